package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/demo"
	"childsupportkiosk/sync/server"
)

type serverFixture struct {
	db     *server.DB
	office string
	export *domain.Export
	srv    *httptest.Server
}

func newServer(t *testing.T) *serverFixture {
	t.Helper()
	db, err := server.Open(filepath.Join(t.TempDir(), "cases.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	exp, _, err := demo.Generate(demo.Options{Seed: 3, Offices: 1, Participants: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(context.Background(), exp); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.Handler(db, nil))
	t.Cleanup(srv.Close)
	return &serverFixture{db: db, office: exp.Offices[0].ID, export: exp, srv: srv}
}

// synced is a kiosk's data directory enrolled at s (with a plain key file) and synced once.
func (s *serverFixture) synced(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kiosk")
	if code, _, errOut := kioskctl(t, "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", s.srv.URL, "--code", s.code(t)); code != exitOK {
		t.Fatalf("enrol: %s", errOut)
	}
	if code, _, errOut := kioskctl(t, "sync", "--data", dir, "--quiet"); code != exitOK {
		t.Fatalf("sync: %s", errOut)
	}
	return dir
}

func (s *serverFixture) code(t *testing.T) string {
	code, err := s.db.NewEnrolmentCode(s.office, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// kioskctl runs one command in-process and returns its exit code and output.
func kioskctl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	if strings.Count(errOut.String(), "\n") > 1 && code != exitUsage {
		t.Errorf("kioskctl %v: more than one line on stderr:\n%s", args, errOut.String())
	}
	return code, out.String(), errOut.String()
}

// noPII fails when output carries a name, SSN or participant ID from the export.
func (s *serverFixture) noPII(t *testing.T, outputs ...string) {
	t.Helper()
	all := strings.Join(outputs, "\n")
	for _, p := range s.export.Participants {
		for _, v := range []string{p.ID, p.SSN, p.Name} {
			if v != "" && strings.Contains(all, v) {
				t.Fatalf("output carries personal data of a participant:\n%s", all)
			}
		}
	}
}

func TestEnrolSyncStatusWipe(t *testing.T) {
	s := newServer(t)
	dir := filepath.Join(t.TempDir(), "kiosk")

	code, out, errOut := kioskctl(t, "status", "--data", dir)
	if code != exitFail || !strings.Contains(errOut, "no enrolled kiosk") {
		t.Fatalf("status before enrolment: %d %q", code, errOut)
	}
	code, _, errOut = kioskctl(t, "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", s.srv.URL, "--code", "WRONG-CODE")
	if code != exitFail || !strings.Contains(errOut, "code is wrong") {
		t.Fatalf("enrol with a wrong code: %d %q", code, errOut)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("a failed enrolment left %d files", len(left))
	}
	code, out, errOut = kioskctl(t, "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", s.srv.URL, "--code", s.code(t))
	if code != exitOK || !strings.Contains(out, "enrolled: kiosk") {
		t.Fatalf("enrol: %d %q %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "kiosk.key")); err != nil {
		t.Fatalf("no key file in the data directory: %v", err)
	}
	code, _, errOut = kioskctl(t, "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", s.srv.URL, "--code", s.code(t))
	if code != exitFail || !strings.Contains(errOut, "already holds a cache") {
		t.Fatalf("second enrolment: %d %q", code, errOut)
	}

	code, syncOut, errOut := kioskctl(t, "sync", "--data", dir)
	if code != exitOK || !strings.Contains(syncOut, "pull: ") || !strings.Contains(syncOut, "synced: pushed 0, pulled ") {
		t.Fatalf("sync: %d %q %q", code, syncOut, errOut)
	}
	code, status, errOut := kioskctl(t, "status", "--data", dir)
	if code != exitOK {
		t.Fatalf("status: %d %q", code, errOut)
	}
	flat := strings.Join(strings.Fields(status), " ")
	for _, want := range []string{"server: " + s.srv.URL, "office: " + s.office, "last success: 20",
		"ago)", "last error: none", "pending outbox: 0", "records: office 1, participant 30, "} {
		if !strings.Contains(flat, want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}
	s.noPII(t, out, syncOut, status)

	code, _, errOut = kioskctl(t, "status", "--data", dir, "--passphrase-file", writeFile(t, "not the key\n"))
	if code != exitFail || !strings.Contains(errOut, "does not fit") {
		t.Fatalf("status with the wrong key: %d %q", code, errOut)
	}

	s.srv.Close()
	code, _, errOut = kioskctl(t, "sync", "--data", dir)
	if code != exitFail || !strings.Contains(errOut, "cannot be reached") {
		t.Fatalf("sync with the server down: %d %q", code, errOut)
	}
	_, status, _ = kioskctl(t, "status", "--data", dir)
	if !strings.Contains(status, "unreachable") {
		t.Fatalf("status after a failed sync:\n%s", status)
	}

	code, _, errOut = kioskctl(t, "wipe", "--data", dir)
	if code != exitUsage || !strings.Contains(errOut, "--yes") {
		t.Fatalf("wipe without --yes: %d %q", code, errOut)
	}
	code, out, errOut = kioskctl(t, "wipe", "--data", dir, "--yes")
	if code != exitOK || !strings.Contains(out, "wiped") {
		t.Fatalf("wipe: %d %q %q", code, out, errOut)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("wipe left %d files", len(left))
	}
	code, _, errOut = kioskctl(t, "sync", "--data", dir)
	if code != exitFail || !strings.Contains(errOut, "no enrolled kiosk") {
		t.Fatalf("sync after the wipe: %d %q", code, errOut)
	}
}

func TestRevokedKioskIsWipedBySync(t *testing.T) {
	s := newServer(t)
	dir := filepath.Join(t.TempDir(), "kiosk")
	if code, _, errOut := kioskctl(t, "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", s.srv.URL, "--code", s.code(t)); code != exitOK {
		t.Fatal(errOut)
	}
	kiosks, err := s.db.Kiosks()
	if err != nil || len(kiosks) != 1 {
		t.Fatalf("kiosks %v %v", kiosks, err)
	}
	if err := s.db.Revoke(kiosks[0].ID); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := kioskctl(t, "sync", "--data", dir)
	if code != exitFail || !strings.Contains(errOut, "revoked") {
		t.Fatalf("sync of a revoked kiosk: %d %q", code, errOut)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("the revoked kiosk kept %d files", len(left))
	}
}

func TestWipeWithoutTheKey(t *testing.T) {
	s := newServer(t)
	dir := filepath.Join(t.TempDir(), "kiosk")
	if code, _, errOut := kioskctl(t, "enroll", "--data", dir, "--key", filepath.Join(dir, "kiosk.key"), "--server", s.srv.URL, "--code", s.code(t)); code != exitOK {
		t.Fatal(errOut)
	}
	os.Remove(filepath.Join(dir, "kiosk.key"))
	code, _, errOut := kioskctl(t, "status", "--data", dir)
	if code != exitFail {
		t.Fatalf("status without the key: %d %q", code, errOut)
	}
	code, out, errOut := kioskctl(t, "wipe", "--data", dir, "--yes")
	if code != exitOK || !strings.Contains(out, "without the key") {
		t.Fatalf("wipe without the key: %d %q %q", code, out, errOut)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("wipe left %d files", len(left))
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"sync"}, {"enroll", "--data", "x"},
		{"sync", "--data", "x", "extra"}, {"status", "--data", "x", "--key", "k", "--passphrase-file", "p"}} {
		if code, _, _ := kioskctl(t, args...); code != exitUsage {
			t.Errorf("kioskctl %v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func writeFile(t *testing.T, content string) string {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
