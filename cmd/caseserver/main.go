// Command caseserver is the central case server: it loads agency exports or demo data, enrols and revokes kiosks, and serves the sync API.
package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/assets"
	"childsupportkiosk/sync/demo"
	"childsupportkiosk/sync/server"
)

const usage = `usage:
  caseserver demo   --db FILE [--seed N] [--participants N] [--offices N] [--now YYYY-MM-DD] [--json FILE]
  caseserver import --db FILE EXPORT.json
  caseserver enroll --db FILE --office OFFICE [--ttl 24h]
  caseserver revoke --db FILE --kiosk ID
  caseserver issue-pin --db FILE --participant ID
  caseserver signing-keys --db FILE
  caseserver rotate-signing-key --db FILE [--overlap 720h]
  caseserver serve  --db FILE --addr HOST:PORT [--tls-cert FILE --tls-key FILE]
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks a mistake in the command line: the usage is shown and the exit code is 2.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"demo": demoCmd, "import": importCmd, "enroll": enrollCmd, "revoke": revokeCmd, "serve": serveCmd,
		"issue-pin": issuePINCmd, "signing-keys": signingKeysCmd, "rotate-signing-key": rotateKeyCmd,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "caseserver: unknown command %q\n%s", args[0], usage)
		return 2
	}
	err := cmd(ctx, args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "caseserver %s: %v\n%s", args[0], strings.TrimPrefix(err.Error(), "usage: "), usage)
		return 2
	}
	fmt.Fprintf(stderr, "caseserver %s: %s\n", args[0], strings.ReplaceAll(words(err), "\n", "\n  "))
	return 1
}

// problemWords say the domain's problems (whose values are translation keys) to IT.
var problemWords = map[domain.Problem]string{
	domain.ErrNotFound:   "not on this server",
	domain.ErrBadProfile: "the agency profile breaks the rules",
}

// keyLike finds what may be a problem's key in a text: "record.not_found".
var keyLike = regexp.MustCompile(`[a-z_]+(?:\.[a-z_]+)+`)

// words is err's text with every problem key in it said in words: caseserver never prints a
// raw key.
func words(err error) string {
	var problems []domain.Problem
	var walk func(error)
	walk = func(e error) {
		switch u := e.(type) {
		case domain.Problem:
			problems = append(problems, u)
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	text := err.Error()
	if len(problems) == 0 {
		return text
	}
	var en i18n.Lang
	if cat, cerr := i18n.Shipped(); cerr == nil {
		en = cat.Lang("en")
	}
	return keyLike.ReplaceAllStringFunc(text, func(k string) string {
		if !slices.Contains(problems, domain.Problem(k)) {
			return k
		}
		if w, ok := problemWords[domain.Problem(k)]; ok {
			return w
		}
		if en.Has("problem." + k) {
			return strings.TrimSuffix(en.T("problem."+k), ".")
		}
		return "an unexpected problem (" + strings.ReplaceAll(k, ".", " ") + ")"
	})
}

// flags makes a command's flag set that reports mistakes as errUsage, without printing twice.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parse(fs *flag.FlagSet, args []string, positional int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errUsage
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != positional {
		if positional == 0 {
			return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
		}
		return fmt.Errorf("%w: expected %d argument(s), got %d", errUsage, positional, fs.NArg())
	}
	return nil
}

func openDB(path string) (*server.DB, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: --db FILE is required", errUsage)
	}
	return server.Open(path)
}

func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("demo", stderr)
	dbPath := fs.String("db", "", "database file")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	participants := fs.Int("participants", 150, "number of participants")
	offices := fs.Int("offices", 3, "number of offices")
	nowFlag := fs.String("now", "", "the demo's today, YYYY-MM-DD (default: today)")
	jsonPath := fs.String("json", "", "also write the export to this file")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse("2006-01-02", *nowFlag)
		if err != nil {
			return fmt.Errorf("%w: --now: not a date (YYYY-MM-DD)", errUsage)
		}
		now = t.Add(17 * time.Hour) // 9 a.m. in California
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	e, samples, err := demo.Generate(demo.Options{Seed: *seed, Participants: *participants, Offices: *offices, Now: now})
	if err != nil {
		return err
	}
	if *jsonPath != "" {
		f, err := os.Create(*jsonPath)
		if err != nil {
			return err
		}
		err = server.EncodeExport(f, e)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	rep, err := db.Import(ctx, e)
	if err != nil {
		return err
	}
	fmt.Fprint(stderr, rep)
	for _, o := range e.Offices {
		fmt.Fprintf(stdout, "office=%s name=%q\n", o.ID, o.Name)
	}
	for _, s := range samples {
		line := fmt.Sprintf("participant=%s office=%s role=%s pin=%s", s.Participant, s.Office, s.Role, s.PIN)
		if s.Temporary {
			line += " temporary=yes"
		}
		if s.FamilyViolence {
			line += " family_violence=yes"
		}
		fmt.Fprintln(stdout, line)
	}
	for _, s := range demo.Staff(e) {
		fmt.Fprintf(stdout, "staff=%s office=%s role=%s password=%s\n", s.Staff, s.Office, s.Role, s.Password)
	}
	return nil
}

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("import", stderr)
	dbPath := fs.String("db", "", "database file")
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	// The file's records that do not decode are reported with the problems the rules find.
	rep, err := db.ImportJSON(ctx, f)
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, rep)
	return nil
}

func enrollCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("enroll", stderr)
	dbPath := fs.String("db", "", "database file")
	office := fs.String("office", "", "the office the kiosk serves")
	ttl := fs.Duration("ttl", server.DefaultCodeTTL, "how long the code works")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *office == "" {
		return fmt.Errorf("%w: --office is required", errUsage)
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	code, err := db.NewEnrolmentCode(*office, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "code=%s\n", code)
	return nil
}

func revokeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("revoke", stderr)
	dbPath := fs.String("db", "", "database file")
	kiosk := fs.String("kiosk", "", "the kiosk ID")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *kiosk == "" {
		return fmt.Errorf("%w: --kiosk is required", errUsage)
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Revoke(*kiosk); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "revoked=%s\n", *kiosk)
	return nil
}

// signingKeysCmd lists the server's signing keys: the one in force, the next one announced
// and the retired ones, whose private halves are erased.
func signingKeysCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("signing-keys", stderr)
	dbPath := fs.String("db", "", "database file")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := db.SigningKeys()
	if err != nil {
		return err
	}
	for _, k := range keys {
		fmt.Fprintf(stdout, "key=%s state=%s since=%s\n", k.ID, k.State, k.Since.Format(time.RFC3339))
	}
	return nil
}

// rotateKeyCmd makes the server's next signing key: announced to every kiosk that syncs
// during the overlap, in force after it.
func rotateKeyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("rotate-signing-key", stderr)
	dbPath := fs.String("db", "", "database file")
	overlap := fs.Duration("overlap", server.DefaultKeyOverlap,
		"how long the new key is announced before it signs (0: at once, and every kiosk must be enrolled again)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	k, err := db.RotateSigningKey(*overlap)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "next_key=%s from=%s\n", k.ID, k.Since.Format(time.RFC3339))
	fmt.Fprintf(stdout, "kiosks that sync before then take the new key; a kiosk that does not must be enrolled again\n")
	return nil
}

// issuePINCmd is the call centre's temporary PIN: it prints the PIN once. Kiosks receive its
// verifier on their next sync; it wins over any PIN issued or chosen before it.
func issuePINCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("issue-pin", stderr)
	dbPath := fs.String("db", "", "database file")
	pid := fs.String("participant", "", "the participant ID")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *pid == "" {
		return fmt.Errorf("%w: --participant is required", errUsage)
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.Participant(*pid)
	if errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("participant %s: not on this server", *pid)
	} else if err != nil {
		return err
	}
	office, err := db.Office(p.Office)
	if err != nil {
		return fmt.Errorf("participant %s: office %s: %w", *pid, p.Office, err)
	}
	profile, err := assets.Profile(office.Agency)
	if err != nil {
		return err
	}
	pin, err := domain.NewTempPIN(rand.Reader, profile.PINLength, p.BirthDate)
	if err != nil {
		return err
	}
	verifier, err := seal.HashPIN(pin)
	if err != nil {
		return err
	}
	st, err := db.IssuePIN(ctx, p.ID, verifier, "callcentre", profile.TempPINValidity())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "participant=%s pin=%s expires=%s version=%d\n", p.ID, pin, st.Expires.Format(time.RFC3339), st.Version)
	return nil
}

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("serve", stderr)
	dbPath := fs.String("db", "", "database file")
	addr := fs.String("addr", "127.0.0.1:8443", "address to listen on, HOST:PORT")
	certFile := fs.String("tls-cert", "", "TLS certificate (PEM)")
	keyFile := fs.String("tls-key", "", "TLS private key (PEM)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if (*certFile == "") != (*keyFile == "") {
		return fmt.Errorf("%w: --tls-cert and --tls-key go together", errUsage)
	}
	db, err := openDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	srv := &http.Server{
		Handler:           server.Handler(db, logger),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // a full batch to a slow office line
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(db.EndWaits) // a kiosk's long poll is answered now, not at its time
	scheme := "http"
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return fmt.Errorf("TLS: %w", err)
		}
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
		scheme = "https"
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if srv.TLSConfig != nil {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "listening=%s://%s\n", scheme, ln.Addr())
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
