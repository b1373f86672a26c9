package session_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/assets"
)

// waiter is the error of a sign-in refused before it was checked: the kiosk asks for a pause.
type waiter interface{ WaitFor() time.Duration }

// outcome names a sign-in's answer as the person at the screen sees it.
func outcome(err error) string {
	var w waiter
	var tries domain.TriesError
	switch {
	case err == nil:
		return "signed in"
	case errors.As(err, &w):
		return "wait"
	case errors.As(err, &tries):
		return fmt.Sprintf("failed(%d left)", tries.Left)
	case errors.Is(err, domain.ErrLocked):
		return "locked"
	case errors.Is(err, domain.ErrSignInFailed):
		return "failed"
	}
	return err.Error()
}

// Five tries must not tell whether an ID or SSN belongs to a participant: an unknown ID, an
// unknown SSN and a participant without a PIN lock after the same number of wrong tries as a
// real account, with the same answers, one at a time.
func TestUnknownLoginLocksLikeAKnownOne(t *testing.T) {
	m, st, clk := setup(t, false)
	st.people = append(st.people, domain.Participant{ID: "1000000002", SSN: "223456789", Name: "No PIN"})
	answers := func(login string) []string {
		var got []string
		for range m.Profile().MaxFailures + 2 {
			_, err := m.SignIn(login, "000000")
			got = append(got, outcome(err))
			clk.t = clk.t.Add(time.Minute) // slower than any throttle: only the lockout speaks
		}
		return got
	}
	want := fmt.Sprint(answers("1000000001"))
	for _, login := range []string{"1999999999", "987-65-4321", "1000000002"} {
		if got := fmt.Sprint(answers(login)); got != want {
			t.Errorf("%s answers %s; a real account answers %s", login, got, want)
		}
	}
	if want != "[failed failed failed(2 left) failed(1 left) locked locked locked]" {
		t.Errorf("a real account answers %s", want)
	}
}

// The staff sign-in: an unknown staff ID locks like a real one.
func TestUnknownStaffIDLocksLikeAKnownOne(t *testing.T) {
	m, st, clk := staffSetup(t)
	_ = st
	answers := func(id string) []string {
		var got []string
		for range m.Profile().MaxFailures + 1 {
			_, err := m.StaffSignIn(id, "wrong-password")
			switch {
			case errors.Is(err, domain.ErrStaffLocked):
				got = append(got, "locked")
			default:
				got = append(got, outcome(err))
			}
			clk.t = clk.t.Add(time.Minute)
		}
		return got
	}
	want := fmt.Sprint(answers("S100"))
	if got := fmt.Sprint(answers("S999")); got != want {
		t.Errorf("an unknown staff ID answers %s; a real one %s", got, want)
	}
}

// staffStore is memStore with staff accounts.
type staffStore struct {
	*memStore
	staff map[string]domain.Staff
}

func (s *staffStore) FindStaff(id string) (domain.Staff, error) {
	a, ok := s.staff[id]
	if !ok {
		return domain.Staff{}, domain.ErrNotFound
	}
	return a, nil
}
func (s *staffStore) SetStaffState(id string, pw domain.PIN) error {
	a := s.staff[id]
	a.Password = pw
	s.staff[id] = a
	return nil
}
func (s *staffStore) Directory() ([]domain.DirectoryEntry, error)  { return nil, nil }
func (s *staffStore) RecentAudit(int) ([]domain.AuditEvent, error) { return nil, nil }
func (s *staffStore) Activity(from, to time.Time) (domain.Activity, error) {
	return domain.Activity{From: from, To: to}, nil
}

// The fake must stay a StaffStore: the manager finds staff mode by asking for the interface, so
// a method missing here would turn every staff test into "not allowed".
var _ session.StaffStore = (*staffStore)(nil)

func staffSetup(t *testing.T) (*session.Manager, *staffStore, *clock) {
	t.Helper()
	_, mem, clk := setup(t, false)
	v, err := seal.HashPIN("desk-password-1")
	if err != nil {
		t.Fatal(err)
	}
	st := &staffStore{memStore: mem, staff: map[string]domain.Staff{
		"S100": {ID: "S100", Name: "Desk", Role: domain.FrontDesk, Password: domain.PIN{Verifier: v, Version: 1}}}}
	prof, err := assets.Profile("CA")
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(st, session.Config{Profile: prof, Kiosk: "k1", Now: clk.Now,
		VerifyPIN: seal.VerifyPIN, HashPIN: seal.HashPIN})
	if err != nil {
		t.Fatal(err)
	}
	return m, st, clk
}

// spray is the finding's attack on one kiosk: wrong PINs at many accounts, four each, so that
// none locks, as fast as the kiosk answers. The clock is fake: each checked attempt moves it on
// by what the check really cost, and a pause the kiosk asks for is waited out at once. It
// returns the attempts checked in the simulated hour (or before the accounts ran out, then
// scaled to an hour), the pauses asked for and the accounts locked.
func spray(t testing.TB, accounts int) (perHour float64, checked, waits, locked int) {
	t.Helper()
	prof, err := assets.Profile("CA")
	if err != nil {
		t.Fatal(err)
	}
	st := &memStore{cases: map[string][]domain.Case{}, made: map[string][]domain.Payment{}}
	v, err := seal.HashPIN("482913")
	if err != nil {
		t.Fatal(err)
	}
	for i := range accounts {
		st.people = append(st.people, domain.Participant{ID: fmt.Sprintf("20%08d", i),
			Name: "P", PIN: domain.PIN{Verifier: v, Version: 1}})
	}
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clk := &clock{start}
	m, err := session.New(st, session.Config{Profile: prof, Kiosk: "k1", Now: clk.Now,
		VerifyPIN: seal.VerifyPIN, HashPIN: seal.HashPIN})
	if err != nil {
		t.Fatal(err)
	}
	hour := start.Add(time.Hour)
	wrong := []string{"000000", "111111", "222222", "333333"}
spraying:
	for guess := range wrong {
		for i := range accounts {
			for {
				if !clk.t.Before(hour) {
					break spraying
				}
				began := time.Now()
				_, err := m.SignIn(st.people[i].ID, wrong[guess])
				var w waiter
				if errors.As(err, &w) {
					waits++
					clk.t = clk.t.Add(w.WaitFor())
					continue
				}
				clk.t = clk.t.Add(time.Since(began))
				checked++
				break
			}
		}
	}
	for _, p := range st.people {
		if p.PIN.Locked() {
			locked++
		}
	}
	return float64(checked) / clk.t.Sub(start).Hours(), checked, waits, locked
}

// One kiosk must not take a hundred thousand guesses an hour: after a few failures the kiosk
// makes each further try wait.
func TestSprayIsSlow(t *testing.T) {
	perHour, checked, waits, locked := spray(t, 150)
	t.Logf("spray of 150 accounts × 4 wrong PINs: %.0f attempts per simulated hour (%d checked, %d pauses), %d accounts locked",
		perHour, checked, waits, locked)
	if perHour > 200 {
		t.Fatalf("%.0f attempts an hour at one kiosk", perHour)
	}
}

// BenchmarkSpray reports the attempts one kiosk checks in a simulated hour of spraying.
func BenchmarkSpray(b *testing.B) {
	for range b.N {
		perHour, _, _, locked := spray(b, 150)
		b.ReportMetric(perHour, "attempts/simhour")
		b.ReportMetric(float64(locked), "locked")
	}
}
