package domain

import (
	"testing"
	"time"
)

func d(y int, m time.Month, day int) Date { return Date{y, m, day} }

// both is a participant who pays on one case and receives on another.
func bothFixture() (Participant, []Case, []Payment, []Disbursement) {
	p := Participant{ID: "1234567890", Name: "María José Nuñez", SSN: "123456789"}
	cases := []Case{
		{Number: "B-200", Participant: p.ID, Role: Custodial, OtherParty: "Luis Pérez",
			Balances: Balances{MonthlyCurrent: 40000, Arrears: 120000, AsOf: d(2024, 12, 31)}},
		{Number: "A-100", Participant: p.ID, Role: Noncustodial, FamilyViolence: true,
			Balances: Balances{MonthlyCurrent: 25000, Arrears: 5000, Interest: 100, Fees: 2500, AsOf: d(2024, 12, 31)}},
	}
	made := []Payment{
		{ID: "p3", Case: "A-100", Payer: p.ID, Received: d(2024, 3, 5), Amount: 25000, Source: IncomeWithholding,
			Allocation: Allocation{Current: 25000}},
		{ID: "p1", Case: "A-100", Payer: p.ID, Received: d(2024, 1, 5), Amount: 13015, Source: IncomeWithholding,
			Allocation: Allocation{Current: 13015}},
		{ID: "p2", Case: "A-100", Payer: p.ID, Received: d(2024, 1, 19), Amount: 15000, Source: Card,
			Allocation: Allocation{Current: 11985, Arrears: 3015}},
		{ID: "px", Case: "A-100", Payer: p.ID, Received: d(2023, 12, 20), Amount: 99999, Source: Card},
		{ID: "other", Case: "A-100", Payer: "9999999999", Received: d(2024, 1, 9), Amount: 777},
	}
	received := []Disbursement{
		{ID: "d1", Case: "B-200", Payee: p.ID, Date: d(2024, 1, 10), Amount: 40000, Source: IncomeWithholding,
			Method: DirectDeposit, Status: Disbursed},
		{ID: "d2", Case: "B-200", Payee: p.ID, Date: d(2024, 3, 12), Amount: 30000, Source: FederalTaxOffset,
			Method: DirectDeposit, Status: Held, Reason: JointReturnOffset},
		{ID: "d3", Case: "B-200", Payee: p.ID, Date: d(2024, 3, 28), Amount: 5169, Source: IncomeWithholding,
			Method: Check, Status: Reissued, Reason: CheckUncashed},
		{ID: "d4", Case: "C-300", Payee: p.ID, Date: d(2024, 6, 1), Amount: 1000, Source: Card,
			Method: DebitCard, Status: Disbursed},
	}
	return p, cases, made, received
}

func TestYearlyStatementTotals(t *testing.T) {
	p, cases, made, received := bothFixture()
	asOf := time.Date(2025, 1, 2, 8, 0, 0, 0, time.UTC)
	s := NewYearlyStatement(p, cases, made, received, 2024, d(2025, 1, 2), asOf)

	if s.ParticipantID != p.ID || s.ParticipantName != p.Name || !s.DataAsOf.Equal(asOf) {
		t.Fatalf("header wrong: %+v", s)
	}
	if len(s.Cases) != 3 || s.Cases[0].Case.Number != "A-100" || s.Cases[1].Case.Number != "B-200" ||
		s.Cases[2].Case.Number != "C-300" {
		t.Fatalf("cases %+v, want A-100, B-200 and C-300 (money on an unlisted case is kept)", s.Cases)
	}
	a, b, c := s.Cases[0], s.Cases[1], s.Cases[2]
	if len(a.Lines) != 3 || a.Lines[0].ID != "p1" || a.Lines[1].ID != "p2" || a.Lines[2].ID != "p3" {
		t.Fatalf("A-100 lines %+v, want p1, p2, p3 oldest first, without 2023 or another payer", a.Lines)
	}
	if a.Total.Paid != 53015 || a.Months[0].Paid != 28015 || a.Months[2].Paid != 25000 || a.Months[1].Paid != 0 {
		t.Fatalf("A-100 totals %+v months %+v", a.Total, a.Months)
	}
	if b.Total.Received != 45169 || b.Total.Held != 30000 || b.Months[2].Received != 5169 || b.Months[2].Held != 30000 {
		t.Fatalf("B-200 totals %+v, want 451.69 received and 300.00 held", b.Total)
	}
	if c.Case.Role != Custodial || c.Total.Received != 1000 {
		t.Fatalf("C-300 %+v", c)
	}
	want := Totals{Paid: 53015, Received: 46169, Held: 30000}
	if s.Total != want {
		t.Fatalf("year total %+v, want %+v", s.Total, want)
	}
	var sum Totals
	for _, m := range s.Months {
		sum.Paid += m.Paid
		sum.Received += m.Received
		sum.Held += m.Held
	}
	if sum != s.Total {
		t.Fatalf("months add up to %+v, total is %+v", sum, s.Total)
	}
	if r := s.Roles(); len(r) != 2 || r[0] != Custodial || r[1] != Noncustodial {
		t.Fatalf("roles %v, want both", r)
	}
	if s.Empty() {
		t.Fatal("statement with payments says empty")
	}
}

func TestYearlyStatementEmptyYear(t *testing.T) {
	p, cases, made, received := bothFixture()
	s := NewYearlyStatement(p, cases, made, received, 2019, d(2025, 1, 2), time.Time{})
	if !s.Empty() || !s.Total.IsZero() || len(s.Cases) != 2 {
		t.Fatalf("2019 should be empty with the two cases listed: %+v", s)
	}
}

func TestYearlyStatementIgnoresOtherParticipantsCases(t *testing.T) {
	p, cases, made, received := bothFixture()
	cases = append(cases, Case{Number: "Z-999", Participant: "someone-else", Role: Custodial})
	s := NewYearlyStatement(p, cases, made, received, 2024, d(2025, 1, 2), time.Time{})
	for _, c := range s.Cases {
		if c.Case.Number == "Z-999" {
			t.Fatal("another participant's case appears")
		}
	}
}

func TestMonthlyStatement(t *testing.T) {
	p, cases, made, received := bothFixture()
	s := NewMonthlyStatement(p, cases, made, received, 2024, time.January, d(2024, 2, 1), time.Time{})
	if len(s.Cases) != 2 {
		t.Fatalf("cases %+v", s.Cases)
	}
	a, b := s.Cases[0], s.Cases[1]
	if a.Due != 25000 || a.Total.Paid != 28015 || a.Applied.Current != 25000 || a.Applied.Arrears != 3015 || a.Unpaid != 0 {
		t.Fatalf("A-100 January %+v", a)
	}
	if b.Due != 40000 || b.Total.Received != 40000 || b.Unpaid != 0 || b.Balances.Arrears != 120000 {
		t.Fatalf("B-200 January %+v", b)
	}
	m := NewMonthlyStatement(p, cases, made, received, 2024, time.February, d(2024, 3, 1), time.Time{})
	if m.Cases[0].Unpaid != 25000 || !m.Total.IsZero() {
		t.Fatalf("February: nothing paid, all current support unpaid: %+v", m.Cases[0])
	}
	mar := NewMonthlyStatement(p, cases, made, received, 2024, time.March, d(2024, 4, 1), time.Time{})
	if mar.Total.Held != 30000 || mar.Total.Received != 5169 || mar.Total.Paid != 25000 {
		t.Fatalf("March totals %+v", mar.Total)
	}
}

func TestCoupon(t *testing.T) {
	p, cases, _, _ := bothFixture()
	c, ok := NewCoupon(p, cases, 2025, time.February, time.Time{})
	if !ok || len(c.Cases) != 1 || c.Cases[0].Number != "A-100" || c.Due != 25000 || c.PastDue != 7600 {
		t.Fatalf("coupon %+v ok=%v", c, ok)
	}
	if _, ok := NewCoupon(p, cases[:1], 2025, time.February, time.Time{}); ok {
		t.Fatal("a receiver only got a coupon")
	}
}

type fakeFile struct {
	CaseFile
	p        Participant
	cases    []Case
	made     []Payment
	received []Disbursement
}

func (f fakeFile) FindParticipant(string) (Participant, error)     { return f.p, nil }
func (f fakeFile) Cases(string) ([]Case, error)                    { return f.cases, nil }
func (f fakeFile) PaymentsMade(string) ([]Payment, error)          { return f.made, nil }
func (f fakeFile) PaymentsReceived(string) ([]Disbursement, error) { return f.received, nil }
func (f fakeFile) DataAsOf() (time.Time, error)                    { return time.Unix(1700000000, 0), nil }

func TestRecords(t *testing.T) {
	p, cases, made, received := bothFixture()
	r, err := ReadRecords(fakeFile{p: p, cases: cases, made: made, received: received}, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Yearly(2024, d(2025, 1, 1)).Total.Paid != 53015 || r.DataAsOf.Unix() != 1700000000 {
		t.Fatal("records do not build the statement")
	}
	lines := r.Lines(Made)
	if len(lines) != 4 || lines[0].ID != "p3" || lines[3].ID != "px" {
		t.Fatalf("made lines newest first: %+v", lines)
	}
	if got := r.Lines(Received); len(got) != 4 || got[0].ID != "d4" {
		t.Fatalf("received lines: %+v", got)
	}
}
