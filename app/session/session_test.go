package session_test

import (
	"errors"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/assets"
)

// memStore is a tiny in-memory cache for the session's own rules.
type memStore struct {
	people []domain.Participant
	cases  map[string][]domain.Case
	made   map[string][]domain.Payment
	sent   []string
}

func (s *memStore) FindParticipant(login string) (domain.Participant, error) {
	for _, p := range s.people {
		if p.ID == login || p.SSN == login {
			return p, nil
		}
	}
	return domain.Participant{}, domain.ErrNotFound
}
func (s *memStore) Cases(id string) ([]domain.Case, error)           { return s.cases[id], nil }
func (s *memStore) PaymentsMade(id string) ([]domain.Payment, error) { return s.made[id], nil }
func (s *memStore) PaymentsReceived(string) ([]domain.Disbursement, error) {
	return nil, nil
}
func (s *memStore) Appointments(string) ([]domain.Appointment, error) { return nil, nil }
func (s *memStore) Messages(string) ([]domain.Message, error)         { return nil, nil }
func (s *memStore) Documents(string) ([]domain.Document, error)       { return nil, nil }
func (s *memStore) Office() (domain.Office, error)                    { return domain.Office{}, nil }
func (s *memStore) DataAsOf() (time.Time, error)                      { return time.Time{}, nil }
func (s *memStore) SetPIN(id string, pin domain.PIN, kind string) error {
	for i := range s.people {
		if s.people[i].ID == id {
			s.people[i].PIN = pin
			return nil
		}
	}
	return domain.ErrNotFound
}
func (s *memStore) Send(kind string, v any) error { s.sent = append(s.sent, kind); return nil }

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func setup(t *testing.T, temporary bool) (*session.Manager, *memStore, *clock) {
	t.Helper()
	v, err := seal.HashPIN("482913")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	pin := domain.PIN{Verifier: v, Temporary: temporary, Version: 1}
	if temporary {
		pin.Expires = clk.t.Add(24 * time.Hour)
	}
	st := &memStore{
		people: []domain.Participant{{ID: "1000000001", SSN: "123456789", Name: "Ana Pérez",
			BirthDate: domain.Date{Year: 1990, Month: 5, Day: 17}, PIN: pin}},
		cases: map[string][]domain.Case{"1000000001": {{Number: "C1", Role: domain.Noncustodial, OtherParty: "Bob"}}},
		made:  map[string][]domain.Payment{},
	}
	for i := range 45 {
		st.made["1000000001"] = append(st.made["1000000001"], domain.Payment{ID: string(rune('a' + i)),
			Received: domain.Date{Year: 2025 - i/30, Month: 1, Day: 1 + i%28}, Amount: 1000, Source: domain.IncomeWithholding})
	}
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

func TestSignInByIDAndSSN(t *testing.T) {
	m, _, _ := setup(t, false)
	for _, login := range []string{"1000000001", "123-45-6789", "123 45 6789"} {
		s, err := m.SignIn(login, "482913")
		if err != nil || s.Participant().Name != "Ana Pérez" || s.NeedsNewPIN() {
			t.Fatalf("%s: %v %+v", login, err, s)
		}
	}
}

func TestSameAnswerAndLockout(t *testing.T) {
	m, st, _ := setup(t, false)
	if _, err := m.SignIn("999", "482913"); !errors.Is(err, domain.ErrSignInFailed) {
		t.Fatalf("unknown: %v", err)
	}
	for i := 1; i <= 5; i++ {
		_, err := m.SignIn("1000000001", "000000")
		want := domain.ErrSignInFailed
		if i == 5 {
			want = domain.ErrLocked
		}
		if !errors.Is(err, want) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if _, err := m.SignIn("1000000001", "482913"); !errors.Is(err, domain.ErrLocked) {
		t.Fatalf("right PIN on a locked account: %v", err)
	}
	if !st.people[0].PIN.Locked() {
		t.Fatal("the lock was not stored")
	}
}

func TestTemporaryPINMustChange(t *testing.T) {
	m, st, clk := setup(t, true)
	s, err := m.SignIn("1000000001", "482913")
	if err != nil || !s.NeedsNewPIN() {
		t.Fatalf("%v", err)
	}
	for pin, want := range map[string]error{"123456": domain.ErrPINWeak, "12345": domain.ErrPINLength,
		"482913": domain.ErrPINSame} {
		if err := s.ChangePIN("", pin, pin); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", pin, err, want)
		}
	}
	if err := s.ChangePIN("", "739164", "739165"); !errors.Is(err, domain.ErrPINMismatch) {
		t.Fatal(err)
	}
	if err := s.ChangePIN("", "739164", "739164"); err != nil || s.NeedsNewPIN() {
		t.Fatal(err)
	}
	if p := st.people[0].PIN; p.Temporary || p.Version != 2 {
		t.Fatalf("stored %+v", p)
	}
	m.SignOut()
	if _, err := m.SignIn("1000000001", "739164"); err != nil {
		t.Fatal(err)
	}
	// An expired temporary PIN does not sign in.
	m2, _, clk2 := setup(t, true)
	clk2.t = clk2.t.Add(25 * time.Hour)
	if _, err := m2.SignIn("1000000001", "482913"); !errors.Is(err, domain.ErrTempPINExpired) {
		t.Fatal(err)
	}
	_ = clk
}

func TestPagesAndSignOut(t *testing.T) {
	m, _, _ := setup(t, false)
	s, _ := m.SignIn("1000000001", "482913")
	pg, err := s.Payments(session.Made, 0, 3)
	if err != nil || pg.Pages != 3 || len(pg.Rows) != 5 || pg.Count != 45 {
		t.Fatalf("%v %+v", err, pg)
	}
	pg, _ = s.Payments(session.Made, 2024, 1)
	if pg.Count != 15 || pg.Total != 15000 || len(pg.Years) != 2 || pg.Years[0] != 2025 {
		t.Fatalf("%+v", pg)
	}
	m.SignOut()
	if s.Active() || s.ParticipantID() != "" || m.Current() != nil {
		t.Fatal("session kept after sign-out")
	}
	if _, err := s.Payments(session.Made, 0, 1); err == nil {
		t.Fatal("payments after sign-out")
	}
}

func TestIdle(t *testing.T) {
	t0 := time.Unix(0, 0)
	i := session.NewIdle(120*time.Second, 30*time.Second, t0)
	if st, _ := i.State(t0.Add(119 * time.Second)); st != session.Active {
		t.Fatal(st)
	}
	if st, left := i.State(t0.Add(130 * time.Second)); st != session.Warning || left != 20*time.Second {
		t.Fatal(st, left)
	}
	if st, _ := i.State(t0.Add(150 * time.Second)); st != session.TimedOut {
		t.Fatal(st)
	}
}
