package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"childsupportkiosk/app/i18n"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/server"
)

// rawKey is a translation key or problem code such as "cache.initial_sync".
var rawKey = regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)+$`)

// noKeys fails when any output holds a raw key instead of words (file names such as
// kiosk.key are not keys).
func noKeys(t *testing.T, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		for _, tok := range strings.Fields(out) {
			tok = strings.Trim(tok, `"'()[],;:.`)
			ext := tok[strings.LastIndexByte(tok, '.')+1:]
			if rawKey.MatchString(tok) && !strings.Contains("key db pem pdf json toml", ext) {
				t.Errorf("output holds the raw key %q:\n%s", tok, out)
			}
		}
	}
}

// stopper serves the case server until it has answered stopAfter requests for the feed; then
// it stops answering altogether, as a server killed in the middle of a sync: the connection of
// the next request is dropped and no new one is accepted.
type stopper struct {
	srv       *httptest.Server
	stopAfter int32
	served    atomic.Int32
	once      sync.Once
}

func newStopper(t *testing.T, db *server.DB, stopAfter int) *stopper {
	s := &stopper{stopAfter: int32(stopAfter)}
	h := server.Handler(db, nil)
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == protocol.PathChanges && s.served.Add(1) > s.stopAfter {
			s.once.Do(func() { s.srv.Listener.Close() })
			panic(http.ErrAbortHandler)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// quickRetries makes kioskctl's syncs ask for small batches and give up on a dead server soon.
func quickRetries(t *testing.T) {
	old := tuneClient
	tuneClient = func(o *client.Options) {
		o.BatchSize = 250
		o.Attempts = 2
		o.Backoff, o.MaxBackoff = 10*time.Millisecond, 20*time.Millisecond
	}
	t.Cleanup(func() { tuneClient = old })
}

var pulledLine = regexp.MustCompile(`pull: ([0-9]+) changes applied, cursor ([0-9]+)`)

// A sync whose server stops answering part-way says how much it applied and where the next one
// resumes, never that nothing was changed; status agrees on the checkpoint.
func TestSyncStoppedMidwaySaysWhatItApplied(t *testing.T) {
	quickRetries(t)
	s := newServer(t)
	stop := newStopper(t, s.db, 6)
	dir := filepath.Join(t.TempDir(), "kiosk")
	if code, _, errOut := kioskctl(t, "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", stop.srv.URL, "--code", s.code(t)); code != exitOK {
		t.Fatal(errOut)
	}
	code, out, errOut := kioskctl(t, "sync", "--data", dir)
	if code != exitFail {
		t.Fatalf("sync with the server stopping: %d\n%s%s", code, out, errOut)
	}
	m := pulledLine.FindAllStringSubmatch(out, -1)
	if len(m) == 0 {
		t.Fatalf("no batch applied before the server stopped:\n%s%s", out, errOut)
	}
	applied, _ := strconv.Atoi(m[len(m)-1][1])
	cursor := m[len(m)-1][2]
	want := "the case server stopped answering after " + group(applied) + " changes were applied (" +
		strconv.Itoa(len(m)) + " batches, checkpoint " + cursor + "); the next sync resumes from there"
	if !strings.Contains(errOut, want) || strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("sync said:\n%s\nwant %q", errOut, want)
	}
	_, status, _ := kioskctl(t, "status", "--data", dir)
	if flat := strings.Join(strings.Fields(status), " "); !strings.Contains(flat, "cursor: "+cursor+" ") {
		t.Fatalf("status after the stopped sync, want cursor %s:\n%s", cursor, status)
	}
	noKeys(t, out, errOut, status)
	s.noPII(t, out, errOut, status)
	t.Log(errOut)
}

// Every failure kioskctl can be brought to here is said in words, in the statement's language
// where it is for the person at the kiosk, and never as a raw key.
func TestFailuresAreSaidInWords(t *testing.T) {
	quickRetries(t)
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t)
	var outputs []string
	say := func(wantCode int, want string, args ...string) {
		t.Helper()
		code, out, errOut := kioskctl(t, args...)
		if code != wantCode || !strings.Contains(out+errOut, want) {
			t.Errorf("kioskctl %v: %d\n%s%s\nwant %d and %q", args, code, out, errOut, wantCode, want)
		}
		outputs = append(outputs, out, errOut)
	}
	pay := s.export.Payments[0]
	out := filepath.Join(t.TempDir(), "s.pdf")

	// Not enrolled.
	empty := filepath.Join(t.TempDir(), "empty")
	say(exitFail, "no enrolled kiosk", "status", "--data", empty)
	say(exitFail, "no enrolled kiosk", "sync", "--data", empty)
	say(exitFail, "no enrolled kiosk", "statement", "--data", empty, "--participant", pay.Payer, "--year", "2025", "--out", out)

	// The first sync stopped part-way: the cache is still loading.
	stop := newStopper(t, s.db, 3)
	dir := filepath.Join(t.TempDir(), "kiosk")
	say(exitOK, "", "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", stop.srv.URL, "--code", s.code(t))
	say(exitFail, "stopped answering", "sync", "--data", dir)
	say(exitFail, "still loading", "statement", "--data", dir, "--participant", pay.Payer, "--year", "2025", "--out", out)
	say(exitFail, cat.Lang("es").T("problem.cache.initial_sync"),
		"statement", "--data", dir, "--participant", pay.Payer, "--year", "2025", "--lang", "es", "--out", out)

	// The server is down: this sync changed nothing.
	say(exitFail, "cannot be reached; nothing was changed", "sync", "--data", dir)
	say(exitOK, "", "status", "--data", dir)

	// A whole sync, then a participant the cache does not hold.
	good := filepath.Join(t.TempDir(), "good")
	say(exitOK, "", "enroll", "--data", good, "--key", filepath.Join(good, "kiosk.key"), "--server", s.srv.URL, "--code", s.code(t))
	say(exitOK, "synced", "sync", "--data", good)
	say(exitFail, "no participant with that ID or SSN", "statement", "--data", good, "--participant", "9999999999", "--year", "2025", "--out", out)
	say(exitFail, cat.Lang("fr").T("problem.record.not_found"),
		"statement", "--data", good, "--participant", "9999999999", "--year", "2025", "--lang", "fr", "--out", out)

	// A printer that is not there (or no CUPS at all): words first, the printer's code after.
	pdfFile := writeFile(t, "%PDF-1.4\n%%EOF\n")
	code, _, errOut := kioskctl(t, "print", "--data", good, "--printer", "NoSuchKioskQueue", "--timeout", "10s", pdfFile)
	if code != exitFail || !regexp.MustCompile(`kioskctl print: The (printer|printing service) .*\(print failed: (no_printer|cups_down)`).MatchString(errOut) {
		t.Errorf("print to no such printer: %d %q", code, errOut)
	}
	outputs = append(outputs, errOut)

	noKeys(t, outputs...)
	s.noPII(t, outputs...)
}
