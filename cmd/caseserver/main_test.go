package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDemoImportEnrollRevoke(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cases.db")
	exportFile := filepath.Join(dir, "export.json")
	code, out, errOut := runCmd(t, "demo", "--db", db, "--seed", "4", "--participants", "40", "--offices", "2",
		"--now", "2026-11-15", "--json", exportFile)
	if code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	offices := regexp.MustCompile(`(?m)^office=(\S+) name="[^"]+"$`).FindAllStringSubmatch(out, -1)
	samples := regexp.MustCompile(`(?m)^participant=\d{10} office=\S+ role=(custodial|noncustodial|both) pin=\d{6}( temporary=yes)?( family_violence=yes)?$`).FindAllString(out, -1)
	if len(offices) != 2 || len(samples) != 6 || strings.Count(out, "temporary=yes") != 2 {
		t.Fatalf("demo output:\n%s", out)
	}

	// The export it wrote imports again with nothing to change.
	code, out, errOut = runCmd(t, "import", "--db", db, exportFile)
	if code != 0 || !strings.Contains(out, "kind=payment added=0 changed=0") || !strings.Contains(out, "feed_changes=0") {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}

	// A broken export: the problems, a non-zero exit, nothing changed.
	b, _ := os.ReadFile(exportFile)
	bad := strings.Replace(string(b), `"timezone":"America/Los_Angeles"`, `"timezone":"Nowhere/Else"`, 1)
	badFile := filepath.Join(dir, "bad.json")
	os.WriteFile(badFile, []byte(bad), 0o600)
	code, _, errOut = runCmd(t, "import", "--db", db, badFile)
	if code != 1 || !strings.Contains(errOut, `offices[0] (id CA-LA): timezone: not a known time zone`) ||
		!strings.Contains(errOut, "nothing changed") || strings.Contains(errOut, "Nowhere") {
		t.Fatalf("bad import: %d %s", code, errOut)
	}
	// An SSN where a birth date belongs and a number where a name belongs are named by record
	// and field with the problems the rules find, and not quoted.
	first := regexp.MustCompile(`"id":"(\d{10})","ssn":"(\d{9})","name":"([^"]+)","birth_date":"[0-9-]+"`).FindStringSubmatch(string(b))
	if first == nil {
		t.Fatal("no participant with a birth date in the demo export")
	}
	bad = strings.Replace(bad, first[0], `"id":"`+first[1]+`","ssn":"`+first[2]+`","name":`+first[2]+`,"birth_date":"`+first[2][:3]+"-"+first[2][3:5]+"-"+first[2][5:]+`"`, 1)
	os.WriteFile(badFile, []byte(bad), 0o600)
	code, _, errOut = runCmd(t, "import", "--db", db, badFile)
	for _, want := range []string{"offices[0] (id CA-LA): timezone: not a known time zone",
		"(id " + first[1] + "): name: must be a JSON string, not a number",
		"(id " + first[1] + "): birth_date: not a date (YYYY-MM-DD)", "nothing changed"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("bad import: %d %s\nwant %q", code, errOut, want)
		}
	}
	if x := first[2][:3] + "-" + first[2][3:5]; strings.Contains(errOut, first[2]) || strings.Contains(errOut, x) || strings.Contains(errOut, first[3]) {
		t.Errorf("bad import quotes the SSN or the name: %s", errOut)
	}

	code, out, _ = runCmd(t, "enroll", "--db", db, "--office", offices[0][1], "--ttl", "2h")
	if code != 0 || !regexp.MustCompile(`^code=[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\n$`).MatchString(out) {
		t.Fatalf("enroll: %d %q", code, out)
	}
	code, _, errOut = runCmd(t, "enroll", "--db", db, "--office", "CA-NOPE")
	if code != 1 || !strings.Contains(errOut, `no such office "CA-NOPE"`) || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("enroll unknown office: %d %q", code, errOut)
	}
	code, _, errOut = runCmd(t, "revoke", "--db", db, "--kiosk", "kiosk-nope")
	if code != 1 || !strings.Contains(errOut, "no such kiosk") {
		t.Fatalf("revoke unknown: %d %q", code, errOut)
	}

	// The signing key: one in force; a rotation announces the next, and a second one is
	// refused until it is in force.
	code, out, _ = runCmd(t, "signing-keys", "--db", db)
	if code != 0 || !regexp.MustCompile(`^key=[0-9a-f]{16} state=current since=\S+\n$`).MatchString(out) {
		t.Fatalf("signing-keys: %d %q", code, out)
	}
	code, out, _ = runCmd(t, "rotate-signing-key", "--db", db, "--overlap", "48h")
	if code != 0 || !regexp.MustCompile(`^next_key=[0-9a-f]{16} from=\S+\n`).MatchString(out) {
		t.Fatalf("rotate-signing-key: %d %q", code, out)
	}
	code, _, errOut = runCmd(t, "rotate-signing-key", "--db", db)
	if code != 1 || !strings.Contains(errOut, "already announced") {
		t.Fatalf("second rotation: %d %q", code, errOut)
	}
	code, out, _ = runCmd(t, "signing-keys", "--db", db)
	if code != 0 || strings.Count(out, "state=current") != 1 || strings.Count(out, "state=next") != 1 {
		t.Fatalf("signing-keys after a rotation: %d %q", code, out)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"enroll", "--db"}, {"enroll", "--db", "x.db"},
		{"import", "--db", "x.db"}, {"demo", "--participants", "many"}, {"serve", "--db", "x.db", "--tls-cert", "c.pem"},
		{"revoke", "--db", "x.db", "extra"}} {
		code, _, errOut := runCmd(t, args...)
		if code != 2 || !strings.Contains(errOut, "usage:") {
			t.Errorf("%q: exit %d\n%s", args, code, errOut)
		}
	}
	if code, _, errOut := runCmd(t, "import", "--db", filepath.Join(t.TempDir(), "x.db"), "/nonexistent/export.json"); code != 1 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("missing file: %d %q", code, errOut)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cases.db")
	code, demoOut, errOut := runCmd(t, "demo", "--db", db, "--participants", "12", "--offices", "1")
	if code != 0 {
		t.Fatal(errOut)
	}
	office := regexp.MustCompile(`(?m)^office=(\S+) `).FindStringSubmatch(demoOut)[1]
	code, codeOut, errOut := runCmd(t, "enroll", "--db", db, "--office", office)
	if code != 0 {
		t.Fatal(errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, logs syncBuffer
	done := make(chan int)
	go func() { done <- run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, &out, &logs) }()
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := regexp.MustCompile(`listening=(http://127\.0\.0\.1:\d+)\n`).FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatalf("no listening= line: %q %s", out.String(), logs.String())
	}
	resp, err := http.Get(url + "/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok" {
		t.Fatalf("health: %d %q", resp.StatusCode, body)
	}

	// A kiosk up to date waits on the server (a long poll of up to 30 s); shutting down answers
	// it and stops at once, not when its time is up (nor at the 20 s shutdown limit, an error).
	var enr protocol.EnrollResponse
	req, _ := json.Marshal(protocol.EnrollRequest{Code: strings.TrimPrefix(strings.TrimSpace(codeOut), "code="), Name: "lobby"})
	if resp, err = http.Post(url+protocol.PathEnroll, "application/json", bytes.NewReader(req)); err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&enr)
	resp.Body.Close()
	get := func(query string) (int, protocol.Batch) {
		r, _ := http.NewRequest("GET", url+protocol.PathChanges+query, nil)
		r.Header.Set("Authorization", "Bearer "+enr.Token)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Error(err)
			return 0, protocol.Batch{}
		}
		defer resp.Body.Close()
		var b protocol.Batch
		json.NewDecoder(resp.Body).Decode(&b)
		return resp.StatusCode, b
	}
	st, all := get("?after=0&limit=20000")
	if st != 200 || all.More || len(all.Changes) == 0 {
		t.Fatalf("the feed: %d, %d changes, more %v", st, len(all.Changes), all.More)
	}
	held := make(chan int, 1)
	go func() {
		st, _ := get(fmt.Sprintf("?after=%d&wait=30", all.To))
		held <- st
	}()
	time.Sleep(500 * time.Millisecond)
	stopping := time.Now()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve ended with %d: %s", code, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if took := time.Since(stopping); took > 10*time.Second {
		t.Fatalf("shutting down took %v with a long poll held", took)
	}
	if st := <-held; st != 200 {
		t.Fatalf("the long poll held at shutdown: %d", st)
	}
}

// A problem of the domain is printed in words, never as its key.
func TestProblemsInWords(t *testing.T) {
	for err, want := range map[error]string{
		fmt.Errorf("participant 1000000001: office CA-LA: %w", domain.ErrNotFound): "participant 1000000001: office CA-LA: not on this server",
		errors.Join(errors.New("issuing"), domain.ErrStaffLocked):                  "issuing\nThis staff account is locked",
		errors.New("kiosk.key is missing"):                                         "kiosk.key is missing",
	} {
		if got := words(err); !strings.HasPrefix(got, want) {
			t.Errorf("words(%q) = %q, want %q", err, got, want)
		}
	}
}
