package session_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/assets"
)

// office is a fake case server's count of guesses; down makes it not answer.
type office struct {
	counts map[string]int
	down   bool
	tries  int
}

func (o *office) Try(_ context.Context, account string) (int, error) {
	if o.down {
		return 0, errors.New("offline")
	}
	o.tries++
	o.counts[account]++
	return o.counts[account], nil
}

func (o *office) Clear(_ context.Context, account string) error {
	if o.down {
		return errors.New("offline")
	}
	delete(o.counts, account)
	return nil
}

// auditStore keeps the audit events a manager sends.
type auditStore struct {
	*memStore
	events []domain.AuditEvent
}

func (s *auditStore) Send(kind string, v any) error {
	if ev, ok := v.(domain.AuditEvent); ok {
		s.events = append(s.events, ev)
	}
	return s.memStore.Send(kind, v)
}

// withOffice is setup with the manager counting at o; checks counts the PINs checked against
// the participant's own verifier.
func withOffice(t *testing.T, o *office) (*session.Manager, *auditStore, *clock, *int) {
	t.Helper()
	_, mem, clk := setup(t, false)
	st := &auditStore{memStore: mem}
	prof, err := assets.Profile("CA")
	if err != nil {
		t.Fatal(err)
	}
	checks := new(int)
	verifier := mem.people[0].PIN.Verifier
	m, err := session.New(st, session.Config{Profile: prof, Kiosk: "k1", Now: clk.Now, Attempts: o,
		VerifyPIN: func(v, pin string) bool {
			if v == verifier {
				*checks++
			}
			return seal.VerifyPIN(v, pin)
		}, HashPIN: seal.HashPIN})
	if err != nil {
		t.Fatal(err)
	}
	return m, st, clk, checks
}

// Guesses other kiosks made count here: with three already counted at the office, the second
// wrong PIN here locks the account, and a further guess is refused without being checked.
func TestOfficeCountLocksSooner(t *testing.T) {
	o := &office{counts: map[string]int{}}
	m, st, _, checks := withOffice(t, o)
	if _, err := m.SignIn("1000000001", "000000"); !errors.Is(err, domain.ErrSignInFailed) {
		t.Fatal(err)
	}
	for k := range o.counts {
		o.counts[k] += 2 // two more at another kiosk, not synced here yet
	}
	if _, err := m.SignIn("1000000001", "000000"); !errors.Is(err, domain.ErrSignInFailed) {
		t.Fatal(err)
	}
	if _, err := m.SignIn("123-45-6789", "000000"); !errors.Is(err, domain.ErrLocked) {
		t.Fatalf("the office's fifth wrong PIN: %v", err)
	}
	if p := st.people[0].PIN; !p.Locked() || p.Failures != 5 {
		t.Fatalf("stored %+v", p)
	}
	if _, err := m.SignIn("1000000001", "482913"); !errors.Is(err, domain.ErrLocked) || *checks != 3 {
		t.Fatalf("the right PIN after the lock: %v, %d checks", err, *checks)
	}
}

// A lock the office counted is kept here too, and refused unchecked, even before the other
// kiosk's lock arrives by sync.
func TestOfficeLockRefusedUnchecked(t *testing.T) {
	o := &office{counts: map[string]int{}}
	m, st, _, checks := withOffice(t, o)
	if _, err := m.SignIn("1000000001", "000000"); err == nil {
		t.Fatal("signed in")
	}
	for k := range o.counts {
		o.counts[k] = 5
	}
	if _, err := m.SignIn("1000000001", "482913"); !errors.Is(err, domain.ErrLocked) || *checks != 1 {
		t.Fatalf("the right PIN at an account the office locked: %v, %d checks", err, *checks)
	}
	if !st.people[0].PIN.Locked() {
		t.Fatal("the office's lock was not kept here")
	}
}

// A right PIN clears the office's count, and so does a staff unlock; a Clear the server did
// not hear is sent again once it answers.
func TestRightPINAndUnlockClearTheOfficeCount(t *testing.T) {
	o := &office{counts: map[string]int{}}
	m, st, _, _ := withOffice(t, o)
	m.SignIn("1000000001", "000000")
	if _, err := m.SignIn("1000000001", "482913"); err != nil {
		t.Fatal(err)
	}
	if len(o.counts) != 0 {
		t.Fatalf("the right PIN left counts %v", o.counts)
	}
	for range 5 {
		m.SignIn("1000000001", "000000")
	}
	if !st.people[0].PIN.Locked() || len(o.counts) != 1 {
		t.Fatal("not locked")
	}
	o.down = true
	p := st.people[0]
	p.PIN.Unlock()
	st.people[0] = p // as a staff unlock at another kiosk would, after a sync
	// Offline, the kiosk's own count: the account is open again here.
	if _, err := m.SignIn("1000000001", "482913"); err != nil {
		t.Fatalf("offline, after the unlock: %v", err)
	}
	o.down = false
	m.SignIn("1999999999", "000000") // the next question to the server sends the Clear again
	for k := range o.counts {
		if strings.Contains(k, "1000000001") {
			t.Fatalf("the Clear was not sent again: %v", o.counts)
		}
	}
}

// Offline, the kiosk goes by its own count: five wrong PINs lock.
func TestOfflineFallsBackToTheKiosksCount(t *testing.T) {
	o := &office{counts: map[string]int{}, down: true}
	m, st, _, _ := withOffice(t, o)
	for i := 1; i <= 5; i++ {
		_, err := m.SignIn("1000000001", "000000")
		if want := i == 5; errors.Is(err, domain.ErrLocked) != want {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if !st.people[0].PIN.Locked() {
		t.Fatal("not locked")
	}
}

// The throttle: ten failures within ten minutes, then waits of 5, 10, 20, 40 and 60 seconds
// after the last failure; one alert in the audit per run of waits, shown by Guessing; staff
// sign-ins are counted apart; once no sign-in failed for the window, nobody waits.
func TestThrottleWaitsAndAlertsOnce(t *testing.T) {
	o := &office{counts: map[string]int{}}
	m, st, clk, _ := withOffice(t, o)
	wrong := func() error {
		_, err := m.SignIn("1999999"+string(rune('0'+len(st.events)%10))+"00", "000000")
		return err
	}
	for i := range domain.SignInThrottle.Free {
		if err := wrong(); !errors.Is(err, domain.ErrSignInFailed) && !errors.Is(err, domain.ErrLocked) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	var waits []time.Duration
	for range 6 {
		var w domain.WaitError
		if err := wrong(); !errors.As(err, &w) {
			t.Fatalf("after %d failures: %v", domain.SignInThrottle.Free+len(waits), err)
		}
		if _, err := m.StaffSignIn("S1", "x"); errors.As(err, new(domain.WaitError)) {
			t.Fatal("staff wait for parents' failures")
		}
		waits = append(waits, w.Wait)
		clk.t = clk.t.Add(w.Wait)
		if err := wrong(); errors.As(err, new(domain.WaitError)) {
			t.Fatalf("still waiting after %v", w.Wait)
		}
	}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, time.Minute, time.Minute}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	alerts := 0
	for _, ev := range st.events {
		if ev.Action == "signin_throttled" {
			alerts++
			if ev.Subject != "" || strings.ContainsAny(ev.Detail, "9") && strings.Contains(ev.Detail, "1999999") {
				t.Fatalf("the alert names someone: %+v", ev)
			}
		}
	}
	if a := m.Guessing(); alerts != 1 || a.At.IsZero() || a.Staff || a.Failures != domain.SignInThrottle.Free {
		t.Fatalf("%d alerts, Guessing %+v", alerts, a)
	}
	clk.t = clk.t.Add(domain.SignInThrottle.Window)
	if err := wrong(); errors.As(err, new(domain.WaitError)) {
		t.Fatal("a wait after a quiet window")
	}
}

// A staff unlock clears the office's count as well as the record, so the right PIN opens the
// account again at once, even where the lock was only the office's.
func TestStaffUnlockClearsTheOfficeCount(t *testing.T) {
	_, st, clk := staffSetup(t)
	o := &office{counts: map[string]int{}}
	prof, err := assets.Profile("CA")
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(st, session.Config{Profile: prof, Kiosk: "k1", Now: clk.Now, Attempts: o,
		VerifyPIN: seal.VerifyPIN, HashPIN: seal.HashPIN})
	if err != nil {
		t.Fatal(err)
	}
	m.SignIn("1000000001", "000000")
	for k := range o.counts {
		o.counts[k] = 5 // locked at another kiosk; this one has not heard
	}
	if _, err := m.SignIn("1000000001", "482913"); !errors.Is(err, domain.ErrLocked) {
		t.Fatal(err)
	}
	desk, err := m.StaffSignIn("S100", "desk-password-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.Unlock("1000000001"); err != nil {
		t.Fatal(err)
	}
	m.EndStaff()
	if _, err := m.SignIn("1000000001", "482913"); err != nil {
		t.Fatalf("after the unlock: %v", err)
	}
}
