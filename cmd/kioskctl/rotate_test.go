package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/seal/swtpmtest"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/server"
	"childsupportkiosk/sync/syncstate"
)

// TestMain lets the test binary be kioskctl itself, in a child process that the tests kill:
// KIOSKCTL_TEST_ARGS holds the command line (separated by \x1f), KIOSKCTL_TEST_STOP the step of
// a rotation ("chunk:2" for its second time) at which the process sends itself SIGKILL.
func TestMain(m *testing.M) {
	if args := os.Getenv("KIOSKCTL_TEST_ARGS"); args != "" {
		name, nth := os.Getenv("KIOSKCTL_TEST_STOP"), 1
		if n, c, ok := strings.Cut(name, ":"); ok {
			name = n
			nth, _ = strconv.Atoi(c)
		}
		seen := 0
		rotateStep = func(step string) {
			if step == name {
				if seen++; seen == nth {
					syscall.Kill(os.Getpid(), syscall.SIGKILL)
					select {}
				}
			}
		}
		os.Exit(run(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// readAll reads what the cache shows of every participant of the export, through the blind
// index (by participant ID and by SSN) and the owner index.
func readAll(t *testing.T, s *serverFixture, dir string, kek cache.KeySource) string {
	t.Helper()
	c, err := cache.Open(dir, kek)
	if err != nil {
		t.Fatalf("the cache does not open: %v", err)
	}
	defer c.Close()
	var b strings.Builder
	for _, p := range s.export.Participants {
		byID, err := c.FindParticipant(p.ID)
		if err != nil || byID.Name != p.Name {
			t.Fatalf("participant by ID: %v", err)
		}
		if p.SSN != "" {
			if bySSN, err := c.FindParticipant(p.SSN); err != nil || bySSN.ID != p.ID {
				t.Fatalf("participant by SSN: %v", err)
			}
		}
		cases, err1 := c.Cases(p.ID)
		made, err2 := c.PaymentsMade(p.ID)
		got, err3 := c.PaymentsReceived(p.ID)
		msgs, err4 := c.Messages(p.ID)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %v %v %v %v %v\n", p.ID, byID, cases, made, got, msgs)
	}
	st, err := c.Status()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%v %d\n", st.Counts, st.Cursor)
	return b.String()
}

func enrolment(t *testing.T, dir string, kek cache.KeySource) syncstate.Enrolment {
	t.Helper()
	c, err := cache.Open(dir, kek)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	e, err := c.Enrolment()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// noTokenOnDisk fails when any file of the data directory holds a token's bytes.
func noTokenOnDisk(t *testing.T, dir string, tokens ...string) {
	t.Helper()
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokens {
			if len(tok) < 16 || bytes.Contains(b, []byte(tok)) || bytes.Contains(b, []byte(tok[:16])) {
				t.Fatalf("%s holds the bearer token in clear", f.Name())
			}
		}
	}
}

// A rotation killed with SIGKILL at every step leaves a cache that opens with every record
// readable and the same, and a kiosk whose token the server takes; a last rotation finishes,
// the old token is refused, and no token is ever on disk in clear. All on a (software) TPM.
func TestRotateSurvivesSIGKILL(t *testing.T) {
	s := newServer(t)
	root := t.TempDir()
	sock, _ := swtpmtest.Start(t, filepath.Join(root, "tpm"))
	kek := cache.TPM(sock)
	dir := filepath.Join(root, "kiosk")
	if code, _, errOut := kioskctl(t, "enroll", "--data", dir, "--tpm", sock, "--server", s.srv.URL, "--code", s.code(t)); code != exitOK {
		t.Fatal(errOut)
	}
	if code, _, errOut := kioskctl(t, "sync", "--data", dir, "--tpm", sock, "--quiet"); code != exitOK {
		t.Fatal(errOut)
	}
	want := readAll(t, s, dir, kek)
	first := enrolment(t, dir, kek)
	noTokenOnDisk(t, dir, first.Token)
	c, _ := cache.Open(dir, kek)
	st, _ := c.Status()
	c.Close()
	records := 0
	for _, n := range st.Counts {
		records += n
	}
	chunks := (records + 1023) / 1024
	if chunks < 2 {
		t.Fatalf("the office has %d records: too few for a rotation of more than one chunk", records)
	}
	stops := []string{cache.StepBegun, cache.StepChunk + ":1", cache.StepChunk + ":" + strconv.Itoa(chunks),
		cache.StepCommitted, cache.StepFinished, client.StepTokenIssued, client.StepTokenSaved, client.StepTokenConfirmed}
	for _, stop := range stops {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "KIOSKCTL_TEST_ARGS="+strings.Join([]string{"rotate", "--data", dir, "--tpm", sock}, "\x1f"),
			"KIOSKCTL_TEST_STOP="+stop)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("kioskctl rotate was not killed at %s: %v\n%s", stop, err, out)
		}
		if got := readAll(t, s, dir, kek); got != want {
			t.Fatalf("after a kill at %s the cache reads otherwise", stop)
		}
		if code, _, errOut := kioskctl(t, "sync", "--data", dir, "--tpm", sock, "--quiet"); code != exitOK {
			t.Fatalf("after a kill at %s the kiosk cannot sync: %s", stop, errOut)
		}
		e := enrolment(t, dir, kek)
		noTokenOnDisk(t, dir, first.Token, e.Token)
	}
	code, out, errOut := kioskctl(t, "rotate", "--data", dir, "--tpm", sock)
	if code != exitOK || !strings.Contains(out, "keys rotated") || !strings.Contains(out, "token rotated") {
		t.Fatalf("the last rotation: %d %q %q", code, out, errOut)
	}
	t.Log(strings.TrimSpace(out))
	if got := readAll(t, s, dir, kek); got != want {
		t.Fatal("after the last rotation the cache reads otherwise")
	}
	last := enrolment(t, dir, kek)
	if last.Token == first.Token || last.Kiosk != first.Kiosk || last.Server != first.Server || last.Office != first.Office ||
		!last.Enrolled.Equal(first.Enrolled) {
		t.Fatalf("the enrolment after rotation: %+v", last)
	}
	if _, err := s.db.Authenticate(first.Token); !errors.Is(err, server.ErrUnauthorized) {
		t.Fatalf("the first token still works: %v", err)
	}
	if code, _, errOut := kioskctl(t, "sync", "--data", dir, "--tpm", sock, "--quiet"); code != exitOK {
		t.Fatalf("sync after the rotation: %s", errOut)
	}
	noTokenOnDisk(t, dir, first.Token, last.Token)
	code, status, _ := kioskctl(t, "status", "--data", dir, "--tpm", sock)
	if code != exitOK || !strings.Contains(status, "sealed to this kiosk's TPM") || strings.Contains(status, "WARNING") {
		t.Fatalf("status of a TPM kiosk:\n%s", status)
	}
}

// A data directory copied to another machine (another TPM) opens nothing; kioskctl says the
// key does not fit. The status of a kiosk on a plain key file warns.
func TestCopiedDataOnAnotherTPM(t *testing.T) {
	s := newServer(t)
	root := t.TempDir()
	sockA, _ := swtpmtest.Start(t, filepath.Join(root, "tpm-a"))
	sockB, _ := swtpmtest.Start(t, filepath.Join(root, "tpm-b"))
	dir := filepath.Join(root, "kiosk")
	if code, _, errOut := kioskctl(t, "enroll", "--data", dir, "--tpm", sockA, "--server", s.srv.URL, "--code", s.code(t)); code != exitOK {
		t.Fatal(errOut)
	}
	if code, _, errOut := kioskctl(t, "sync", "--data", dir, "--tpm", sockA, "--quiet"); code != exitOK {
		t.Fatal(errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, cache.KeyFileName)); err == nil {
		t.Fatal("a TPM enrolment left a key file")
	}
	code, _, errOut := kioskctl(t, "status", "--data", dir, "--tpm", sockB)
	if code != exitFail || !strings.Contains(errOut, "does not fit") {
		t.Fatalf("status on another TPM: %d %q", code, errOut)
	}
	if _, err := cache.Open(dir, cache.DefaultKeyFile(dir)); err == nil {
		t.Fatal("a TPM cache opened with a key file")
	}
	if code, _, _ := kioskctl(t, "status", "--data", dir, "--tpm", sockA); code != exitOK {
		t.Fatal("the same TPM does not open the cache")
	}

	plain := filepath.Join(root, "plain")
	if code, _, errOut := kioskctl(t, "enroll", "--data", plain, "--key", filepath.Join(plain, "kiosk.key"), "--server", s.srv.URL, "--code", s.code(t)); code != exitOK {
		t.Fatal(errOut)
	}
	_, status, _ := kioskctl(t, "status", "--data", plain)
	if !strings.Contains(status, "WARNING") || !strings.Contains(status, "PLAIN KEY FILE") {
		t.Fatalf("the status of a kiosk on a plain key file does not warn:\n%s", status)
	}
	// Without a TPM, enrol says to use a passphrase.
	none := filepath.Join(root, "none")
	code, _, errOut = kioskctl(t, "enroll", "--data", none, "--tpm", filepath.Join(root, "no-tpm"), "--server", s.srv.URL, "--code", s.code(t))
	if code != exitFail || !strings.Contains(errOut, "--passphrase-file") {
		t.Fatalf("enrol without a TPM: %d %q", code, errOut)
	}
}

// A rotation does not run beside a kiosk (its lock), and no command opens the cache while a
// rotation runs.
func TestRotateLocks(t *testing.T) {
	s := newServer(t)
	dir := filepath.Join(t.TempDir(), "kiosk")
	if code, _, errOut := kioskctl(t, "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", s.srv.URL, "--code", s.code(t)); code != exitOK {
		t.Fatal(errOut)
	}
	hold := func(path string) func() {
		f, err := os.Open(path)
		if errors.Is(err, os.ErrNotExist) {
			f, err = os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			t.Fatal(err)
		}
		return func() { f.Close() }
	}
	release := hold(filepath.Join(dir, kioskLock)) // as a running kiosk does
	code, _, errOut := kioskctl(t, "rotate", "--data", dir)
	if code != exitFail || !strings.Contains(errOut, "a kiosk is running") {
		t.Fatalf("rotate beside a kiosk: %d %q", code, errOut)
	}
	release()
	release = hold(dir) // as a rotation does
	code, _, errOut = kioskctl(t, "status", "--data", dir)
	if code != exitFail || !strings.Contains(errOut, "rotation is under way") {
		t.Fatalf("status during a rotation: %d %q", code, errOut)
	}
	release()
	if code, out, errOut := kioskctl(t, "rotate", "--data", dir); code != exitOK {
		t.Fatalf("rotate: %d %q %q", code, out, errOut)
	}
}
