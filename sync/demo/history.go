package demo

import (
	"fmt"
	"time"

	"childsupportkiosk/app/domain"
)

// history makes a case's payments from its start to today: biweekly wage withholding or
// monthly payments, gaps, a spell of unemployment, yearly tax refund offsets when arrears are
// owed, and now and then an intercept; and for each payment to a custodial participant, its
// disbursement two days later.
func (g *gen) history(k *kase) {
	if k.payer == nil {
		// The paying parent lives in another state: collections arrive from there.
		if k.payee != nil {
			for d := g.firstOfMonth(k.start); d.Before(g.today.AddDays(-3)); d = addMonths(d, 1) {
				if g.chance(0.85) {
					p := domain.Payment{Received: d.AddDays(g.between(0, 9)), Amount: k.monthly, Source: domain.IncomeWithholding}
					g.disburse(k, &p, fmt.Sprintf("I%09d", g.nextPay()))
				}
			}
		}
		return
	}
	step := 30
	amount := k.monthly
	if k.biweekly {
		step = 14
		amount = k.monthly * 12 / 26
	}
	source := domain.IncomeWithholding
	if !k.biweekly {
		source = []domain.Source{domain.EFT, domain.Card, domain.CheckOrMoneyOrder, domain.CashAtRetail,
			domain.IncomeWithholding}[g.r.IntN(5)]
	}
	// A spell out of work: unemployment benefits are intercepted instead.
	var outFrom, outTo domain.Date
	if g.chance(0.15) {
		outFrom = k.start.AddDays(g.between(60, max(61, daysBetween(k.start, g.today)-60)))
		outTo = outFrom.AddDays(g.between(60, 240))
	}
	for d := k.start.AddDays(g.between(0, 13)); d.Before(g.today.AddDays(-2)); d = d.AddDays(step) {
		if g.chance(0.05) {
			continue // missed
		}
		src, amt := source, amount
		if !outFrom.IsZero() && !d.Before(outFrom) && d.Before(outTo) {
			src, amt = domain.UnemploymentIntercept, amount*6/10
		} else if !k.biweekly && g.chance(0.03) {
			src = domain.Card
		}
		received := weekday(d)
		if g.today.Before(received) {
			continue
		}
		g.payment(k, received, amt, src)
	}
	// Yearly refund offsets while arrears are owed, and rare intercepts.
	owes := k.rec.Balances.Arrears > 0
	for y := k.start.Year + 1; y <= g.today.Year; y++ {
		if owes && g.chance(0.45) {
			d := weekday(domain.Date{Year: y, Month: time.Month(g.between(2, 8)), Day: g.between(1, 28)})
			if !g.today.Before(d) {
				g.payment(k, d, domain.Cents(g.between(200, 4500)*100+g.r.IntN(100)), domain.FederalTaxOffset)
			}
		}
		if owes && g.chance(0.2) {
			d := weekday(domain.Date{Year: y, Month: time.Month(g.between(3, 9)), Day: g.between(1, 28)})
			if !g.today.Before(d) {
				g.payment(k, d, domain.Cents(g.between(50, 900)*100+g.r.IntN(100)), domain.StateTaxOffset)
			}
		}
		for _, s := range []domain.Source{domain.LotteryIntercept, domain.DisabilityIntercept,
			domain.WorkersCompIntercept, domain.FinancialInstitutionDM} {
			if g.chance(0.01) {
				d := weekday(domain.Date{Year: y, Month: time.Month(g.between(1, 12)), Day: g.between(1, 28)})
				if !g.today.Before(d) {
					g.payment(k, d, domain.Cents(g.between(100, 2500)*100), s)
				}
			}
		}
	}
}

func (g *gen) nextPay() int {
	g.nPay++
	return g.nPay
}

// payment records a payment and, when the custodial parent is a participant, its disbursement.
func (g *gen) payment(k *kase, received domain.Date, amount domain.Cents, src domain.Source) *domain.Payment {
	n := g.nextPay()
	p := domain.Payment{ID: fmt.Sprintf("P%09d", n), Case: k.rec.Number, Payer: k.payer.p.ID,
		Received: received, Amount: amount, Source: src, Allocation: g.allocate(k, amount, src)}
	g.e.Payments = append(g.e.Payments, p)
	if k.payee != nil {
		g.disburse(k, &p, fmt.Sprintf("D%09d", n))
	}
	return &g.e.Payments[len(g.e.Payments)-1]
}

// allocate splits a payment: wage and voluntary payments go to current support first, the rest
// to arrears; intercepts and offsets go to what is past due, fees and interest first.
func (g *gen) allocate(k *kase, amount domain.Cents, src domain.Source) domain.Allocation {
	var a domain.Allocation
	rest := amount
	switch src {
	case domain.IncomeWithholding, domain.EFT, domain.Card, domain.CheckOrMoneyOrder, domain.CashAtRetail,
		domain.UnemploymentIntercept, domain.DisabilityIntercept, domain.WorkersCompIntercept:
		due := k.monthly
		if k.biweekly {
			due = k.monthly * 12 / 26
		}
		a.Current = min(rest, due)
		rest -= a.Current
	}
	if b := k.rec.Balances; rest > 0 {
		a.Fees = min(rest, b.Fees/4)
		rest -= a.Fees
		a.Interest = min(rest, b.Interest/4)
		rest -= a.Interest
	}
	a.Arrears = rest
	return a
}

func (g *gen) disburse(k *kase, p *domain.Payment, id string) {
	date := p.Received.AddDays(2)
	if g.today.Before(date) {
		date = g.today
	}
	d := domain.Disbursement{ID: id, Case: k.rec.Number, Payee: k.payee.p.ID, Date: weekday(date),
		Amount: p.Amount, Source: p.Source, Method: k.payee.method, Status: domain.Disbursed}
	if g.today.Before(d.Date) {
		d.Date = g.today
	}
	// A federal offset on a joint return is held up to six months for the other spouse's claim.
	if p.Source == domain.FederalTaxOffset && k.joint && g.today.AddDays(-180).Before(p.Received) {
		d.Status, d.Reason = domain.Held, domain.JointReturnOffset
	}
	g.e.Disbursements = append(g.e.Disbursements, d)
}

// weekday moves a Saturday or Sunday back to the Friday before: nothing is received at weekends.
func weekday(d domain.Date) domain.Date {
	switch d.Time(time.UTC).Weekday() {
	case time.Saturday:
		return d.AddDays(-1)
	case time.Sunday:
		return d.AddDays(-2)
	}
	return d
}

func daysBetween(a, b domain.Date) int {
	return int(b.Time(time.UTC).Sub(a.Time(time.UTC)).Hours() / 24)
}

func (g *gen) firstOfMonth(d domain.Date) domain.Date {
	return domain.Date{Year: d.Year, Month: d.Month, Day: 1}
}

func addMonths(d domain.Date, n int) domain.Date {
	return domain.DateOf(d.Time(time.UTC).AddDate(0, n, 0))
}

// everySource makes sure every source of collection appears at least once, on the first case
// with a paying participant.
func (g *gen) everySource() {
	seen := map[domain.Source]bool{}
	for i := range g.e.Payments {
		seen[g.e.Payments[i].Source] = true
	}
	var k *kase
	for _, c := range g.cases {
		if c.payer != nil && c.payee != nil {
			k = c
			break
		}
	}
	if k == nil {
		return
	}
	for i, s := range domain.Sources {
		if !seen[s] {
			g.payment(k, weekday(g.today.AddDays(-40-7*i)), domain.Cents(g.between(50, 800)*100), s)
		}
	}
}

// statuses gives some recent disbursements of each office every status and reason that is not
// plain "disbursed", each on a different case.
func (g *gen) statuses() {
	type sr struct {
		s domain.Status
		r domain.Reason
	}
	kinds := []sr{
		{domain.Pended, domain.UnderReview}, {domain.Pended, domain.AddressUnknown},
		{domain.Pended, domain.AccountVerification}, {domain.Pended, domain.CourtOrderPending},
		{domain.Pended, domain.NonsufficientFunds}, {domain.Held, domain.InjuredSpouseClaim},
		{domain.Reissued, domain.CheckUncashed}, {domain.Refunded, domain.OverpaymentReturned},
		{domain.Refunded, domain.DisbursementTerminated},
	}
	office := map[string]string{}
	for _, k := range g.cases {
		office[k.rec.Number] = k.rec.Office
	}
	recent := g.today.AddDays(-120)
	for _, o := range g.e.Offices {
		used := map[string]bool{}
		next := 0
		// Newest first, so the statuses are in what a person sees on the first page.
		for i := len(g.e.Disbursements) - 1; i >= 0 && next < len(kinds); i-- {
			d := &g.e.Disbursements[i]
			if office[d.Case] != o.ID || used[d.Case] || d.Status != domain.Disbursed || d.Date.Before(recent) {
				continue
			}
			used[d.Case] = true
			d.Status, d.Reason = kinds[next].s, kinds[next].r
			if d.Reason == domain.CheckUncashed {
				d.Method = domain.Check
			}
			next++
		}
	}
}
