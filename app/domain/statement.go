package domain

import (
	"sort"
	"time"
)

// Direction tells money a participant paid from money a participant received.
type Direction string

// The two directions of a statement line: "Payments I Made" and "Payments I Received".
const (
	Made     Direction = "made"     // a payment made by the participant (payer side)
	Received Direction = "received" // a disbursement to the participant (receiver side)
)

// StatementLine is one payment or disbursement as a statement shows it: the same shape for both
// sides so that a screen page, a statement and a receipt can list them alike.
type StatementLine struct {
	ID         string
	Case       string
	Direction  Direction
	Date       Date // received by the disbursement unit (made) or disbursed (received)
	Amount     Cents
	Source     Source     // where the collection came from
	Method     Method     // how a disbursement was sent; empty for payments made
	Status     Status     // a disbursement's status; empty for payments made
	Reason     Reason     // why a disbursement is not plainly disbursed
	Allocation Allocation // how a payment made was applied; zero for disbursements
}

// Counts reports whether the line is money that actually reached its destination: every payment
// made (the disbursement unit received it), and disbursements sent or reissued. Held, pended and
// refunded disbursements did not reach the receiver, so they are not part of what a receiver can
// show as income.
func (l StatementLine) Counts() bool {
	if l.Direction == Made {
		return true
	}
	return l.Status == Disbursed || l.Status == Reissued
}

// Waiting reports whether a disbursement is held or pended: collected, not yet sent.
func (l StatementLine) Waiting() bool {
	return l.Direction == Received && (l.Status == Held || l.Status == Pended)
}

// LineOfPayment turns a payment made into a statement line.
func LineOfPayment(p Payment) StatementLine {
	return StatementLine{ID: p.ID, Case: p.Case, Direction: Made, Date: p.Received, Amount: p.Amount,
		Source: p.Source, Allocation: p.Allocation}
}

// LineOfDisbursement turns a disbursement into a statement line.
func LineOfDisbursement(d Disbursement) StatementLine {
	return StatementLine{ID: d.ID, Case: d.Case, Direction: Received, Date: d.Date, Amount: d.Amount,
		Source: d.Source, Method: d.Method, Status: d.Status, Reason: d.Reason}
}

// Totals adds up lines by what they mean: paid, received (sent or reissued to the receiver),
// and held or pending.
type Totals struct {
	Paid     Cents // payments made
	Received Cents // disbursements that reached the receiver
	Held     Cents // disbursements held or pended
}

func (t *Totals) add(l StatementLine) {
	switch {
	case l.Direction == Made:
		t.Paid += l.Amount
	case l.Counts():
		t.Received += l.Amount
	case l.Waiting():
		t.Held += l.Amount
	}
}

// IsZero reports whether nothing was paid, received or held.
func (t Totals) IsZero() bool { return t == Totals{} }

// CaseYear is one case's part of a yearly statement.
type CaseYear struct {
	Case   Case
	Lines  []StatementLine // oldest first
	Months [12]Totals      // January is Months[0]
	Total  Totals
}

// YearlyStatement is the content of "Print By Year": every payment a participant made and every
// disbursement the participant received in one calendar year, per case, with monthly subtotals.
// It carries the participant's name and ID and nothing else about the person (no SSN, no PIN).
type YearlyStatement struct {
	ParticipantID   string
	ParticipantName string
	Year            int
	Date            Date      // the statement date
	DataAsOf        time.Time // when the kiosk's data last matched the agency's
	Cases           []CaseYear
	Months          [12]Totals // all cases together
	Total           Totals
}

// Empty reports whether the year has no payment and no disbursement at all.
func (s YearlyStatement) Empty() bool {
	for _, c := range s.Cases {
		if len(c.Lines) > 0 {
			return false
		}
	}
	return true
}

// Roles lists the roles the participant has across the statement's cases, custodial first.
func (s YearlyStatement) Roles() []Role {
	return rolesOf(s.Cases, func(c CaseYear) Role { return c.Case.Role })
}

// NewYearlyStatement builds a participant's statement for a year from the participant's cases,
// payments made and disbursements received. Payments by someone else and disbursements to
// someone else are ignored; money on a case the list does not name still appears, under its
// case number, so that nothing paid or received goes missing from a proof of income.
func NewYearlyStatement(p Participant, cases []Case, made []Payment, received []Disbursement,
	year int, date Date, dataAsOf time.Time) YearlyStatement {
	s := YearlyStatement{ParticipantID: p.ID, ParticipantName: p.Name, Year: year, Date: date,
		DataAsOf: dataAsOf}
	lines := participantLines(p.ID, made, received, func(d Date) bool { return d.Year == year })
	for _, c := range caseViews(p.ID, cases, lines) {
		cy := CaseYear{Case: c}
		for _, l := range lines {
			if l.Case != c.Number {
				continue
			}
			cy.Lines = append(cy.Lines, l)
			cy.Months[l.Date.Month-1].add(l)
			cy.Total.add(l)
			s.Months[l.Date.Month-1].add(l)
			s.Total.add(l)
		}
		s.Cases = append(s.Cases, cy)
	}
	return s
}

// CaseMonth is one case's part of a monthly account statement.
type CaseMonth struct {
	Case     Case
	Due      Cents           // current support due for the month (payer and receiver alike)
	Lines    []StatementLine // the month's payments or disbursements, oldest first
	Total    Totals          // paid, received, held in the month
	Applied  Allocation      // how the month's payments were applied (payer side)
	Unpaid   Cents           // current support of the month not covered by payments (payer side)
	Balances Balances        // balances after the month, as of Balances.AsOf
}

// MonthlyStatement is the content of a monthly account statement (New York's monthly notice):
// for one month, per case, what was due, what was paid or received, what was held, and the
// balances after it.
type MonthlyStatement struct {
	ParticipantID   string
	ParticipantName string
	Year            int
	Month           time.Month
	Date            Date
	DataAsOf        time.Time
	Cases           []CaseMonth
	Total           Totals
}

// Roles lists the roles the participant has across the statement's cases, custodial first.
func (s MonthlyStatement) Roles() []Role {
	return rolesOf(s.Cases, func(c CaseMonth) Role { return c.Case.Role })
}

// NewMonthlyStatement builds a participant's account statement for one month.
func NewMonthlyStatement(p Participant, cases []Case, made []Payment, received []Disbursement,
	year int, month time.Month, date Date, dataAsOf time.Time) MonthlyStatement {
	s := MonthlyStatement{ParticipantID: p.ID, ParticipantName: p.Name, Year: year, Month: month,
		Date: date, DataAsOf: dataAsOf}
	lines := participantLines(p.ID, made, received, func(d Date) bool { return d.Year == year && d.Month == month })
	for _, c := range caseViews(p.ID, cases, lines) {
		cm := CaseMonth{Case: c, Due: c.Balances.MonthlyCurrent, Balances: c.Balances}
		for _, l := range lines {
			if l.Case != c.Number {
				continue
			}
			cm.Lines = append(cm.Lines, l)
			cm.Total.add(l)
			s.Total.add(l)
			if l.Direction == Made {
				cm.Applied.Current += l.Allocation.Current
				cm.Applied.Arrears += l.Allocation.Arrears
				cm.Applied.Interest += l.Allocation.Interest
				cm.Applied.Fees += l.Allocation.Fees
			}
		}
		if c.Role == Noncustodial && cm.Due > cm.Applied.Current {
			cm.Unpaid = cm.Due - cm.Applied.Current
		}
		s.Cases = append(s.Cases, cm)
	}
	return s
}

// Coupon is the content of a payment coupon for a payer: what to pay for a month and on which
// cases, to be mailed with a check or money order to the profile's remit address.
type Coupon struct {
	ParticipantID   string
	ParticipantName string
	Year            int
	Month           time.Month
	Cases           []Case // the participant's cases as payer
	Due             Cents  // current support due for the month, all those cases together
	PastDue         Cents  // arrears, interest and fees, all those cases together
	DataAsOf        time.Time
}

// NewCoupon builds a payment coupon for the month from the cases where the participant pays.
// ok is false when the participant pays on no case: a receiver gets no coupon.
func NewCoupon(p Participant, cases []Case, year int, month time.Month, dataAsOf time.Time) (c Coupon, ok bool) {
	c = Coupon{ParticipantID: p.ID, ParticipantName: p.Name, Year: year, Month: month, DataAsOf: dataAsOf}
	for _, k := range cases {
		if k.Role != Noncustodial || (k.Participant != "" && k.Participant != p.ID) {
			continue
		}
		c.Cases = append(c.Cases, k)
		c.Due += k.Balances.MonthlyCurrent
		c.PastDue += k.Balances.Owed()
	}
	sort.SliceStable(c.Cases, func(i, j int) bool { return c.Cases[i].Number < c.Cases[j].Number })
	return c, len(c.Cases) > 0
}

// participantLines collects the participant's own payments and disbursements on the dates keep
// accepts, oldest first (ties by case, then ID, so the order never depends on the input's).
func participantLines(id string, made []Payment, received []Disbursement, keep func(Date) bool) []StatementLine {
	var lines []StatementLine
	for _, p := range made {
		if p.Payer == id && keep(p.Received) {
			lines = append(lines, LineOfPayment(p))
		}
	}
	for _, d := range received {
		if d.Payee == id && keep(d.Date) {
			lines = append(lines, LineOfDisbursement(d))
		}
	}
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := lines[i], lines[j]
		if c := a.Date.Compare(b.Date); c != 0 {
			return c < 0
		}
		if a.Case != b.Case {
			return a.Case < b.Case
		}
		return a.ID < b.ID
	})
	return lines
}

// caseViews returns the participant's cases sorted by number, plus a bare case for any case
// number that only the lines mention (its role taken from the direction of its money).
func caseViews(id string, cases []Case, lines []StatementLine) []Case {
	var out []Case
	seen := map[string]bool{}
	for _, c := range Shield(cases) { // a statement built from raw cases still hides the other party
		if (c.Participant != "" && c.Participant != id) || seen[c.Number] {
			continue
		}
		seen[c.Number] = true
		out = append(out, c)
	}
	for _, l := range lines {
		if seen[l.Case] {
			continue
		}
		seen[l.Case] = true
		role := Custodial
		if l.Direction == Made {
			role = Noncustodial
		}
		out = append(out, Case{Number: l.Case, Participant: id, Role: role})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func rolesOf[T any](items []T, role func(T) Role) []Role {
	var has [2]bool
	for _, it := range items {
		switch role(it) {
		case Custodial:
			has[0] = true
		case Noncustodial:
			has[1] = true
		}
	}
	var out []Role
	if has[0] {
		out = append(out, Custodial)
	}
	if has[1] {
		out = append(out, Noncustodial)
	}
	return out
}

// Records are everything the kiosk knows about one participant's money, read once from the case
// file, from which every statement, page, coupon and receipt is built.
type Records struct {
	Participant Participant
	Cases       []Case
	Made        []Payment
	Received    []Disbursement
	DataAsOf    time.Time
}

// ReadRecords reads a participant's cases (through CasesOf, so with the privacy rules applied),
// payments and disbursements from the case file. Every printed kind is built from it.
func ReadRecords(cf CaseFile, login string) (Records, error) {
	var r Records
	var err error
	if r.Participant, err = cf.FindParticipant(login); err != nil {
		return r, err
	}
	id := r.Participant.ID
	if r.Cases, err = CasesOf(cf, id); err != nil {
		return r, err
	}
	if r.Made, err = cf.PaymentsMade(id); err != nil {
		return r, err
	}
	if r.Received, err = cf.PaymentsReceived(id); err != nil {
		return r, err
	}
	r.DataAsOf, err = cf.DataAsOf()
	return r, err
}

// Yearly builds the yearly statement for year, dated date.
func (r Records) Yearly(year int, date Date) YearlyStatement {
	return NewYearlyStatement(r.Participant, r.Cases, r.Made, r.Received, year, date, r.DataAsOf)
}

// Monthly builds the monthly account statement for a month, dated date.
func (r Records) Monthly(year int, month time.Month, date Date) MonthlyStatement {
	return NewMonthlyStatement(r.Participant, r.Cases, r.Made, r.Received, year, month, date, r.DataAsOf)
}

// Coupon builds the payment coupon for a month; ok is false for a participant who pays nothing.
func (r Records) Coupon(year int, month time.Month) (Coupon, bool) {
	return NewCoupon(r.Participant, r.Cases, year, month, r.DataAsOf)
}

// Lines lists the participant's payments made or disbursements received, newest first, as the
// payment screens list them.
func (r Records) Lines(dir Direction) []StatementLine {
	var lines []StatementLine
	if dir == Made {
		lines = participantLines(r.Participant.ID, r.Made, nil, func(Date) bool { return true })
	} else {
		lines = participantLines(r.Participant.ID, nil, r.Received, func(Date) bool { return true })
	}
	for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	return lines
}
