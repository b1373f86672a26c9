package ui

import (
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
)

// memStore is a stand-in cache until the real one lands.
type memStore struct {
	mu     sync.Mutex
	people []domain.Participant
	cases  map[string][]domain.Case
	made   map[string][]domain.Payment
	got    map[string][]domain.Disbursement
	sent   []string
}

func (s *memStore) FindParticipant(login string) (domain.Participant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.people {
		if p.ID == login || p.SSN == login {
			return p, nil
		}
	}
	return domain.Participant{}, domain.ErrNotFound
}
func (s *memStore) Cases(id string) ([]domain.Case, error) {
	return append([]domain.Case(nil), s.cases[id]...), nil
}
func (s *memStore) PaymentsMade(id string) ([]domain.Payment, error) {
	return append([]domain.Payment(nil), s.made[id]...), nil
}
func (s *memStore) PaymentsReceived(id string) ([]domain.Disbursement, error) {
	return append([]domain.Disbursement(nil), s.got[id]...), nil
}
func (s *memStore) Appointments(string) ([]domain.Appointment, error) { return nil, nil }
func (s *memStore) Messages(string) ([]domain.Message, error)         { return nil, nil }
func (s *memStore) Documents(string) ([]domain.Document, error)       { return nil, nil }
func (s *memStore) Office() (domain.Office, error)                    { return domain.Office{Agency: "CA"}, nil }
func (s *memStore) DataAsOf() (time.Time, error) {
	return time.Date(2026, 11, 15, 17, 0, 0, 0, time.UTC), nil
}
func (s *memStore) UpdatePIN(id string, pin domain.PIN) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.people {
		if s.people[i].ID == id {
			s.people[i].PIN = pin
			return nil
		}
	}
	return domain.ErrNotFound
}
func (s *memStore) Send(kind string, v any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, kind)
	return nil
}

func memFixture(t testing.TB) (*memStore, []sample) {
	v, err := seal.HashPIN("482913")
	if err != nil {
		t.Fatal(err)
	}
	st := &memStore{
		people: []domain.Participant{
			{ID: "1000000001", SSN: "123456789", Name: "Ana Pérez", PIN: domain.PIN{Verifier: v, Version: 1}},
			{ID: "1000000002", SSN: "223456789", Name: "Rosa Díaz", PIN: domain.PIN{Verifier: v, Version: 1}},
			{ID: "1000000003", SSN: "323456789", Name: "Tom Lee", PIN: domain.PIN{Verifier: v, Version: 1, Temporary: true, Expires: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)}},
		},
		cases: map[string][]domain.Case{
			"1000000001": {{Number: "CA0000000011", Role: domain.Noncustodial, OtherParty: "Bob Smith",
				Balances: domain.Balances{MonthlyCurrent: 45000, Arrears: 123456, Interest: 2345, AsOf: domain.Date{Year: 2026, Month: 11, Day: 1}}}},
			"1000000002": {{Number: "CA0000000022", Role: domain.Custodial, FamilyViolence: true}},
			"1000000003": {{Number: "CA0000000033", Role: domain.Custodial, OtherParty: "Zed"}},
		},
		made: map[string][]domain.Payment{},
		got:  map[string][]domain.Disbursement{},
	}
	for i := range 45 {
		st.made["1000000001"] = append(st.made["1000000001"], domain.Payment{ID: "P" + itoa(i), Case: "CA0000000011",
			Received: domain.Date{Year: 2026 - i/24, Month: time.Month(12 - (i/2)%12), Day: 1 + i%2*14}, Amount: domain.Cents(13015 + i),
			Source: domain.IncomeWithholding, Allocation: domain.Allocation{Current: 10000, Arrears: domain.Cents(3015 + i)}})
	}
	st.got["1000000002"] = []domain.Disbursement{{ID: "D1", Case: "CA0000000022", Payee: "1000000002",
		Date: domain.Date{Year: 2026, Month: 4, Day: 10}, Amount: 51769, Source: domain.FederalTaxOffset,
		Method: domain.DirectDeposit, Status: domain.Held, Reason: domain.JointReturnOffset}}
	return st, []sample{
		{login: "1000000001", pin: "482913", name: "Ana Pérez", role: "noncustodial"},
		{login: "1000000002", pin: "482913", name: "Rosa Díaz", role: "custodial", fv: true},
		{login: "1000000003", pin: "482913", name: "Tom Lee", role: "both", temporary: true},
	}
}

// sample is a participant a test can sign in as.
type sample struct {
	login, pin, name, role string
	temporary, fv          bool
}
