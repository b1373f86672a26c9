// Command kioskctl enrols, syncs, inspects and wipes a kiosk's encrypted cache, headless, for IT and tests.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// caFileName is where enrol keeps a copy of the server's CA certificate, so that sync finds it.
const caFileName = "server-ca.pem"

const usage = `usage: kioskctl COMMAND --data DIR [flags]

commands:
  enroll --server URL --code CODE   create the encrypted cache and enrol the kiosk
  sync                              push the outbox and pull the office's changes
  status                            show the enrolment, last sync, cursor, record counts and key
  rotate                            new data and index keys (every record sealed again, the
                                    blind index made again) and a new bearer token; safe to
                                    interrupt: run it again and it finishes
  wipe --yes                        crypto-shred the cache (keys first, then the files)
  statement --participant ID --year YYYY [--month M] [--lang es] --out FILE.pdf
                                    write a participant's yearly statement (Print By Year),
                                    or with --month the monthly statement of that month
  today [--date YYYY-MM-DD] [--lang es] --out FILE.pdf
                                    write the day's summary slip: what this kiosk did that day
                                    (sign-ins, prints, errors) in counts, naming no one
  print --printer NAME [--media M] FILE.pdf
                                    print a PDF through CUPS and follow the job to its end

common flags:
  --data DIR              the kiosk's data directory (required)
  --tpm DEVICE            the TPM 2.0 the key is sealed to (default /dev/tpmrm0, or $KIOSK_TPM):
                          what enroll uses unless told otherwise
  --passphrase-file FILE  take the key from an office passphrase in FILE (a kiosk without a TPM)
  --key FILE              a plain key file (the demo and tests only: it opens the cache for
                          whoever has the disk)
Run "kioskctl COMMAND -h" for a command's flags.
`

// exit codes
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run carries out one command and returns the exit code; messages go to stdout, failures to
// stderr, one line each.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd := commands[args[0]]
	if cmd == nil {
		fmt.Fprintf(stderr, "kioskctl: unknown command %q\n%s", args[0], usage)
		return exitUsage
	}
	fs := flag.NewFlagSet("kioskctl "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	e := &env{ctx: ctx, stdout: stdout, stderr: stderr, fs: fs}
	fs.StringVar(&e.dir, "data", "", "the kiosk's data directory")
	fs.StringVar(&e.keyFile, "key", "", "a plain key file: the demo and tests only")
	fs.StringVar(&e.tpm, "tpm", defaultTPM(), "the TPM 2.0 device (or emulator socket) the key is sealed to")
	fs.StringVar(&e.passFile, "passphrase-file", "", "file holding the office passphrase")
	run := cmd(e)
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 && !(args[0] == "print" && fs.NArg() == 1) { // print's one argument is its PDF file
		fmt.Fprintf(stderr, "kioskctl %s: unexpected argument %q\n", args[0], fs.Arg(0))
		return exitUsage
	}
	if e.dir == "" {
		fmt.Fprintf(stderr, "kioskctl %s: --data DIR is required\n", args[0])
		return exitUsage
	}
	if e.keyFile != "" && e.passFile != "" {
		fmt.Fprintf(stderr, "kioskctl %s: give --key or --passphrase-file, not both\n", args[0])
		return exitUsage
	}
	if args[0] != "rotate" {
		release, err := lockDir(e.dir, syscall.LOCK_SH)
		if err != nil {
			fmt.Fprintf(stderr, "kioskctl %s: %s\n", args[0], err)
			return exitFail
		}
		defer release()
	}
	if err := run(); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "kioskctl %s: %s\n", args[0], ue)
			return exitUsage
		}
		fmt.Fprintf(stderr, "kioskctl %s: %s\n", args[0], message(err, e.lang))
		return exitFail
	}
	return exitOK
}

// env is what every command shares: flags, output and the context.
type env struct {
	ctx            context.Context
	stdout, stderr io.Writer
	fs             *flag.FlagSet
	dir            string
	keyFile        string
	passFile       string
	tpm            string
	// lang is the language of the person at the kiosk, when a command serves one (statement
	// --lang): the problems meant for them are said in it. Messages for IT are English.
	lang string
}

type usageError string

func (u usageError) Error() string { return string(u) }

// commands register their flags on e.fs and return the function that runs them.
var commands = map[string]func(e *env) func() error{
	"enroll": enrollCmd,
	"sync":   syncCmd,
	"status": statusCmd,
	"rotate": rotateCmd,
	"wipe":   wipeCmd,
}

// defaultTPM is the TPM device: $KIOSK_TPM when set (as tpm2-tools read their own variable),
// else the kernel's resource manager.
func defaultTPM() string {
	if d := os.Getenv("KIOSK_TPM"); d != "" {
		return d
	}
	return seal.DefaultTPM
}

// keySource is the key-encryption key of an existing cache: the one the flags name, or else the
// kind its keyring says (the TPM, or the key file in the data directory).
func (e *env) keySource() (cache.KeySource, error) {
	if e.passFile == "" && e.keyFile == "" {
		switch kind, err := cache.KeyKind(e.dir); {
		case err != nil:
		case kind == seal.KindTPM:
			return cache.TPM(e.tpm), nil
		case kind == seal.KindPassphrase:
			return nil, usageError("this cache is locked by an office passphrase: give --passphrase-file FILE")
		}
	}
	return e.newKeySource()
}

// newKeySource is the key-encryption key for a new cache: a passphrase or key file when the
// flags name one, else the TPM.
func (e *env) newKeySource() (cache.KeySource, error) {
	switch {
	case e.passFile != "":
		b, err := os.ReadFile(e.passFile)
		if err != nil {
			return nil, fmt.Errorf("reading the passphrase file: %w", err)
		}
		pass := strings.TrimRight(string(b), "\r\n")
		if pass == "" {
			return nil, errors.New("the passphrase file is empty")
		}
		return cache.Passphrase(pass), nil
	case e.keyFile != "":
		return cache.KeyFile(e.keyFile), nil
	case enrolling(e):
		return cache.TPM(e.tpm), nil
	}
	return cache.DefaultKeyFile(e.dir), nil
}

// enrolling reports whether e runs enroll, which makes a new cache.
func enrolling(e *env) bool { return strings.HasPrefix(e.fs.Name(), "kioskctl enroll") }

func (e *env) open() (*cache.Cache, error) {
	kek, err := e.keySource()
	if err != nil {
		return nil, err
	}
	return cache.Open(e.dir, kek)
}

func (e *env) clientOptions(caFile string) client.Options {
	opts := client.Options{CAFile: caFile}
	if caFile == "" {
		if p := filepath.Join(e.dir, caFileName); fileExists(p) {
			opts.CAFile = p
		}
	}
	tuneClient(&opts)
	return opts
}

// tuneClient changes the sync client's options: tests ask for small batches and quick retries.
var tuneClient = func(*client.Options) {}

func enrollCmd(e *env) func() error {
	server := e.fs.String("server", "", "the case server's URL, https://host:port")
	code := e.fs.String("code", "", "the one-time enrolment code from the case server")
	name := e.fs.String("name", "", "a label for this machine, for IT (default: the host name)")
	ca := e.fs.String("ca", "", "PEM file of the CA that signed the server's certificate")
	return func() error {
		if *server == "" || *code == "" {
			return usageError("--server URL and --code CODE are required")
		}
		kek, err := e.newKeySource()
		if err != nil {
			return err
		}
		label := *name
		if label == "" {
			label, _ = os.Hostname()
		}
		opts := client.Options{Name: label, CAFile: *ca}
		keyPath := e.keyFile
		keyExisted := keyPath != "" && fileExists(keyPath)
		c, err := cache.Create(e.dir, kek)
		if err != nil {
			if e.keyFile == "" && e.passFile == "" && errors.Is(err, domain.ErrCacheLocked) {
				why := strings.TrimPrefix(err.Error(), string(domain.ErrCacheLocked)+": ")
				return fmt.Errorf("%s; on a kiosk without a TPM, enrol with --passphrase-file FILE (an office passphrase)", why)
			}
			return err
		}
		enr, err := client.Enroll(e.ctx, c, *server, *code, opts)
		if err == nil && *ca != "" {
			err = copyFile(*ca, filepath.Join(e.dir, caFileName))
		}
		if err != nil {
			// Nothing secret was written: remove what Create made, so enrol can be run again.
			c.Close()
			undo := []string{cache.KeyringFile, cache.DBFile, cache.DBFile + "-wal",
				cache.DBFile + "-shm", caFileName}
			for _, f := range undo {
				os.Remove(filepath.Join(e.dir, f))
			}
			if !keyExisted && keyPath != "" {
				os.Remove(keyPath)
			}
			return err
		}
		if err := c.Close(); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "enrolled: kiosk %s, office %s, profile %s, server %s\n",
			enr.Kiosk, enr.Office, enr.Profile, enr.Server)
		// IT compares it with caseserver signing-keys: the one thing pinned on TLS alone.
		fmt.Fprintf(e.stdout, "signing key: %s (compare with caseserver signing-keys)\n", enr.Key.ID)
		return nil
	}
}

func syncCmd(e *env) func() error {
	ca := e.fs.String("ca", "", "PEM file of the server's CA (default DIR/"+caFileName+" when enrol kept one)")
	quiet := e.fs.Bool("quiet", false, "print the summary only")
	return func() error {
		c, err := e.open()
		if err != nil {
			return err
		}
		defer c.Close()
		opts := e.clientOptions(*ca)
		if !*quiet {
			opts.Progress = func(p syncstate.Progress) { printProgress(e.stdout, p) }
		}
		cl, err := client.New(c, opts)
		if err != nil {
			return err
		}
		res, err := cl.Sync(e.ctx)
		if err != nil {
			if res.Pulled > 0 || res.Batches > 0 || res.Pushed > 0 {
				return partialSync{res, err}
			}
			return err
		}
		pushed := fmt.Sprintf("pushed %d", res.Pushed)
		if res.Rejected > 0 || res.PushFailed > 0 {
			pushed += fmt.Sprintf(" (%d rejected, %d left to retry)", res.Rejected, res.PushFailed)
		}
		fmt.Fprintf(e.stdout, "synced: %s, pulled %d changes in %d batches, cursor %d, took %s\n",
			pushed, res.Pulled, res.Batches, res.Cursor, res.Took.Round(time.Millisecond))
		return nil
	}
}

func printProgress(w io.Writer, p syncstate.Progress) {
	switch p.Phase {
	case syncstate.PhasePush:
		fmt.Fprintf(w, "push: %d of %d outbox items sent\n", p.Done, p.Total)
	case syncstate.PhasePull:
		more := "up to date"
		if p.More {
			more = "more to come"
		}
		fmt.Fprintf(w, "pull: %d changes applied, cursor %d, %s\n", p.Done, p.Cursor, more)
	}
}

func statusCmd(e *env) func() error {
	return func() error {
		c, err := e.open()
		if err != nil {
			return err
		}
		defer c.Close()
		st, err := c.Status()
		if err != nil {
			return err
		}
		if st.Kiosk == "" {
			return domain.ErrNotEnrolled
		}
		printStatus(e.stdout, st, time.Now())
		printKey(e.stdout, st.Lock, e.tpm)
		return nil
	}
}

func printStatus(w io.Writer, st syncstate.Status, now time.Time) {
	line := func(k, v string) { fmt.Fprintf(w, "%-15s %s\n", k+":", v) }
	when := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return fmt.Sprintf("%s (%s ago)", t.Local().Format("2006-01-02 15:04:05 MST"),
			now.Sub(t).Round(time.Second))
	}
	line("server", st.Server)
	line("kiosk", st.Kiosk)
	line("office", st.Office)
	line("profile", st.Profile)
	line("last success", when(st.LastSuccess))
	line("last attempt", when(st.LastAttempt))
	lastErr := st.LastError
	if lastErr == "" {
		lastErr = "none"
	}
	line("last error", wordsIn(lastErr))
	line("signing key", signingKey(st))
	if !st.NextKey.IsZero() {
		line("next key", fmt.Sprintf("%s, pinned; the case server signs with it from %s", st.NextKey.ID,
			time.UnixMilli(st.NextKey.From).Local().Format("2006-01-02 15:04:05 MST")))
	}
	line("cursor", fmt.Sprint(st.Cursor))
	line("pending outbox", fmt.Sprint(st.PendingOutbox))
	var counts []string
	seen := map[string]bool{}
	for _, k := range protocol.Kinds {
		seen[k] = true
		counts = append(counts, fmt.Sprintf("%s %d", k, st.Counts[k]))
	}
	var other []string
	for k := range st.Counts {
		if !seen[k] {
			other = append(other, fmt.Sprintf("%s %d", k, st.Counts[k]))
		}
	}
	sort.Strings(other)
	line("records", strings.Join(append(counts, other...), ", "))
}

// signingKey says which of the case server's keys the kiosk verifies answers with, and what IT
// must do when it cannot.
func signingKey(st syncstate.Status) string {
	switch {
	case st.Key.IsZero():
		return "none: " + wordsIn(string(client.ErrNotPinned))
	case strings.Contains(st.LastError, string(client.ErrUnknownKey)):
		return st.Key.ID + ", no longer the case server's: " + wordsIn(string(client.ErrUnknownKey))
	}
	return st.Key.ID + ", pinned"
}

// printKey says what locks the cache: the TPM, a passphrase, or loudly a plain key file.
func printKey(w io.Writer, kind, tpm string) {
	en := english()
	switch kind {
	case seal.KindTPM:
		fmt.Fprintf(w, "%-15s %s\n", "key:", en.T("kiosk.key.tpm")+" ("+tpm+")")
	case seal.KindPassphrase:
		fmt.Fprintf(w, "%-15s %s\n", "key:", en.T("kiosk.key.passphrase"))
	default:
		fmt.Fprintf(w, "%-15s %s\n", "key:", en.T("kiosk.key.plain"))
		fmt.Fprintf(w, "%s\n", en.T("kiosk.key.plain_warning"))
	}
}

// english is the English of the translations, for kioskctl's words to IT.
func english() i18n.Lang {
	if cat, err := i18n.Shipped(); err == nil {
		return cat.Lang("en")
	}
	return i18n.Lang{}
}

func wipeCmd(e *env) func() error {
	yes := e.fs.Bool("yes", false, "wipe without asking (required: kioskctl never asks)")
	return func() error {
		if !*yes {
			return usageError("refusing to wipe without --yes: this destroys the cache and its keys for good")
		}
		kek, err := e.keySource()
		if err != nil {
			return err
		}
		c, err := cache.Open(e.dir, kek)
		if err == nil {
			if err := c.Wipe(); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "wiped: keys shredded, cache removed")
			return nil
		}
		if errors.Is(err, domain.ErrNotEnrolled) {
			return err
		}
		// The key does not fit or is gone (a retired kiosk, a lost passphrase): shredding the
		// wrapped keys still makes the records unreadable for good.
		if serr := seal.ShredKeyring(filepath.Join(e.dir, cache.KeyringFile), kek); serr != nil {
			return serr
		}
		for _, f := range []string{cache.DBFile, cache.DBFile + "-wal", cache.DBFile + "-shm"} {
			if rerr := os.Remove(filepath.Join(e.dir, f)); rerr != nil && !os.IsNotExist(rerr) {
				return rerr
			}
		}
		fmt.Fprintln(e.stdout, "wiped without the key: wrapped keys shredded, cache removed")
		return nil
	}
}

// partialSync is a sync that failed after it had applied or sent something: what it did
// stays done, and the next sync goes on from its checkpoint.
type partialSync struct {
	res syncstate.Result
	err error
}

func (p partialSync) Error() string { return p.err.Error() }
func (p partialSync) Unwrap() error { return p.err }

// String says what the sync did before it failed and why it stopped.
func (p partialSync) String() string {
	var done []string
	if p.res.Pushed > 0 {
		done = append(done, plural(p.res.Pushed, "outbox item was", "outbox items were")+" sent")
	}
	if p.res.Pulled > 0 || p.res.Batches > 0 {
		done = append(done, fmt.Sprintf("%s applied (%s, checkpoint %d)",
			plural(p.res.Pulled, "change was", "changes were"), plural(p.res.Batches, "batch", "batches"), p.res.Cursor))
	}
	var why string
	switch {
	case errors.Is(p.err, context.Canceled):
		why = "interrupted"
	case errors.Is(p.err, domain.ErrOffline):
		why = "the case server stopped answering"
	default:
		why = "the sync failed"
	}
	return fmt.Sprintf("%s after %s; the next sync resumes from there (%s)", why, strings.Join(done, " and "),
		wordsIn(p.err.Error()))
}

// plural writes a count with the noun that fits it: "1 batch", "12 batches".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return group(n) + " " + many
}

// sentence is an error in kioskctl's own words for IT; the problem it wraps is what the person
// at the kiosk is told, in their language.
type sentence struct {
	text string
	err  error
}

func (s sentence) Error() string { return s.text }
func (s sentence) Unwrap() error { return s.err }

// problemWords are kioskctl's words for the problems IT meets; any other problem is said with
// the English text of the translations (problem.KEY).
var problemWords = map[domain.Problem]string{
	domain.ErrNotFound:      "no such record in this kiosk's cache",
	cache.ErrInitialSync:    "the cache is still loading the office's data: its first sync has not finished (run kioskctl sync again)",
	domain.ErrCorruptRecord: "a record in the cache failed its integrity check (wipe the cache and enrol again)",
	domain.ErrBadProfile:    "the agency profile of this kiosk breaks the rules",
	domain.ErrOffline:       "the case server cannot be reached",
	domain.ErrRevoked:       "the case server revoked this kiosk",
	domain.ErrNotEnrolled:   "no enrolled kiosk in this data directory",
	domain.ErrEnrolmentCode: "the enrolment code is wrong, used or expired",
	domain.ErrCacheLocked:   "the cache key cannot be used",
	domain.ErrWrongKey:      "the key or passphrase does not fit this cache",
}

// keyLike finds what may be a problem's key in a text: "cache.initial_sync".
var keyLike = regexp.MustCompile(`[a-z_]+(?:\.[a-z_]+)+`)

// wordsIn replaces every problem key in s with its words.
func wordsIn(s string) string {
	var en *i18n.Lang
	return keyLike.ReplaceAllStringFunc(s, func(k string) string {
		if w, ok := problemWords[domain.Problem(k)]; ok {
			return w
		}
		if en == nil {
			l := i18n.Lang{}
			if cat, err := i18n.Shipped(); err == nil {
				l = cat.Lang("en")
			}
			en = &l
		}
		if en.Has("problem." + k) {
			return strings.TrimSuffix(en.T("problem."+k), ".")
		}
		return k
	})
}

// translated is the problem in err said in lang, for the person at the kiosk, if the
// translations have it.
func translated(err error, lang string) (string, bool) {
	var p domain.Problem
	if lang == "" || !errors.As(err, &p) {
		return "", false
	}
	cat, cerr := i18n.Shipped()
	if cerr != nil || !contains(cat.Languages(), lang) || !cat.Lang(lang).Has("problem."+string(p)) {
		return "", false
	}
	return cat.Lang(lang).T("problem." + string(p)), true
}

// message is a failure in one line a person can act on, without personal data, and never a
// raw key: a problem is said in words, in lang when it is for the person at the kiosk.
func message(err error, lang string) string {
	var partial partialSync
	if errors.As(err, &partial) && !errors.Is(err, domain.ErrRevoked) {
		return partial.String()
	}
	if s, ok := translated(err, lang); ok {
		return s
	}
	switch {
	case errors.Is(err, domain.ErrRevoked):
		return "the case server revoked this kiosk; its cache has been wiped"
	case errors.Is(err, domain.ErrNotEnrolled):
		return "no enrolled kiosk in this data directory (run kioskctl enroll)"
	case errors.Is(err, domain.ErrOffline):
		return "the case server cannot be reached; nothing was changed (" + wordsIn(err.Error()) + ")"
	case errors.Is(err, domain.ErrEnrolmentCode):
		return "the enrolment code is wrong, used or expired; ask IT for a new one"
	case errors.Is(err, domain.ErrWrongKey):
		return "the key or passphrase does not fit this cache"
	case errors.Is(err, domain.ErrCacheLocked):
		return "the cache key cannot be used: " + wordsIn(err.Error())
	case errors.Is(err, cache.ErrExists):
		return "this data directory already holds a cache; wipe it first"
	case errors.Is(err, client.ErrUnauthorized):
		return "the case server no longer accepts this kiosk's token; wipe and enrol again"
	case errors.Is(err, context.Canceled):
		return "interrupted; the cache holds the last whole checkpoint"
	}
	return wordsIn(err.Error())
}

// group writes a count with thousands separators: 1,040,000.
func group(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + group(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
