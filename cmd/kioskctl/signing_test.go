package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Status says which of the case server's keys the kiosk verifies answers with, the next one it
// pinned during a rotation, and in words what IT must do when the server moved to a key the
// kiosk never heard of (a rotation it slept through: enrol again).
func TestStatusSaysTheSigningKey(t *testing.T) {
	s := newServer(t)
	dir := filepath.Join(t.TempDir(), "kiosk")
	code, out, errOut := kioskctl(t, "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", s.srv.URL, "--code", s.code(t))
	if code != exitOK {
		t.Fatalf("enrol: %s", errOut)
	}
	if code, _, errOut := kioskctl(t, "sync", "--data", dir); code != exitOK {
		t.Fatalf("sync: %s", errOut)
	}
	keys, err := s.db.SigningKeys()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v %v", keys, err)
	}
	if !strings.Contains(out, "signing key: "+keys[0].ID+" (compare with caseserver signing-keys)\n") {
		t.Fatalf("enrol does not name the pinned key:\n%s", out)
	}
	_, status, _ := kioskctl(t, "status", "--data", dir)
	if !strings.Contains(status, "signing key:    "+keys[0].ID+", pinned\n") || strings.Contains(status, "next key") {
		t.Fatalf("status before a rotation:\n%s", status)
	}

	next, err := s.db.RotateSigningKey(48 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := kioskctl(t, "sync", "--data", dir); code != exitOK {
		t.Fatalf("sync in the overlap: %s", errOut)
	}
	_, status, _ = kioskctl(t, "status", "--data", dir)
	if !strings.Contains(status, "next key:       "+next.ID+", pinned; the case server signs with it from "+
		next.Since.Local().Format("2006-01-02")) {
		t.Fatalf("status in the overlap:\n%s", status)
	}

	// Another server switches at once to a key announced nowhere (as after a leak); its kiosk
	// refuses the answers and status says what to do.
	s = newServer(t)
	dir = filepath.Join(t.TempDir(), "kiosk2")
	if code, _, errOut := kioskctl(t, "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", s.srv.URL, "--code", s.code(t)); code != exitOK {
		t.Fatalf("enrol: %s", errOut)
	}
	keys, _ = s.db.SigningKeys()
	if _, err := s.db.RotateSigningKey(0); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = kioskctl(t, "sync", "--data", dir)
	if code != exitFail || !strings.Contains(errOut, "signed with a key this kiosk does not know") {
		t.Fatalf("sync after an unannounced key: %d %q", code, errOut)
	}
	_, status, _ = kioskctl(t, "status", "--data", dir)
	for _, want := range []string{"signing key:    " + keys[0].ID + ", no longer the case server's",
		"the kiosk must be enrolled again"} {
		if !strings.Contains(status, want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}
	noKeys(t, status, errOut)
}
