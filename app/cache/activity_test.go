package cache

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/syncstate"
)

// The day's counts come from the audit events and sync records the kiosk writes anyway, by the
// hour they happened in, and are sealed on disk.
func TestActivityCountsTheDay(t *testing.T) {
	c, dir := newCache(t)
	day := time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC) // midnight in Los Angeles (PDT)
	audit := func(at time.Time, action, detail string) {
		t.Helper()
		if err := c.Send(domain.SendAudit, domain.AuditEvent{At: at, Kiosk: "K1", Action: action, Detail: detail}); err != nil {
			t.Fatal(err)
		}
	}
	audit(day.Add(-time.Minute), "signin", "") // the evening before: not today
	audit(day.Add(time.Hour), "signin", "")
	audit(day.Add(2*time.Hour), "signin", "")
	audit(day.Add(2*time.Hour), "signin_failed", "")
	audit(day.Add(3*time.Hour), "signin_locked", "")
	audit(day.Add(3*time.Hour), "view_payments", "") // counts as nothing
	audit(day.Add(4*time.Hour), "print_yearly_statement", "completed")
	audit(day.Add(4*time.Hour), "print_yearly_statement", "failed:out_of_paper")
	audit(day.Add(5*time.Hour), "print_payment_receipt", "completed")
	audit(day.Add(5*time.Hour), "staff_pin_issue", "")
	audit(day.Add(30*time.Hour), "signin", "") // tomorrow
	for _, ok := range []bool{true, true, false} {
		if err := c.RecordSync(syncstate.SyncRecord{At: day.Add(6 * time.Hour), OK: ok}); err != nil {
			t.Fatal(err)
		}
	}
	a, err := c.Activity(day, day.Add(10*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{domain.ActSignIn: 2, domain.ActSignInRefused: 1, domain.ActLocked: 1,
		domain.ActPrinted + ":yearly_statement": 1, domain.ActPrinted + ":payment_receipt": 1,
		domain.ActPrintFailed: 1, domain.ActPINIssued: 1, domain.ActSyncOK: 2, domain.ActSyncFailed: 1}
	if len(a.Counts) != len(want) {
		t.Errorf("counts %v, want %v", a.Counts, want)
	}
	for k, n := range want {
		if a.N(k) != n {
			t.Errorf("%s: %d, want %d (all: %v)", k, a.N(k), n, a.Counts)
		}
	}
	if byKind, total := a.Printed(); total != 2 || byKind["yearly_statement"] != 1 {
		t.Errorf("printed %v (%d)", byKind, total)
	}
	if a.Errors() != 4 { // refused, locked, print failed, sync failed
		t.Errorf("errors %d, want 4", a.Errors())
	}
	// Hours beyond the kept week are forgotten as new ones come.
	audit(day.Add(9*24*time.Hour), "signin", "")
	if old, err := c.Activity(day, day.Add(10*time.Hour)); err != nil || len(old.Counts) != 0 {
		t.Errorf("a day more than a week old still counts: %v (%v)", old.Counts, err)
	}
	// Someone reading the disk learns neither what was counted nor when.
	c.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, s := range []string{"sync_ok", "printed:", "signin_refused"} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds %q in plaintext", filepath.Base(f), s)
			}
		}
	}
}
