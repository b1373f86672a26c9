package domain

import "sort"

// Owing is what a person's cases say is owed now, and by whom, in the pieces a plain sentence
// needs (i18n's Lang.Owing writes it): what the person owes as payer, summed over their cases
// as payer, and what the other parent owes on each case where the person receives support. It
// never holds a name: a receiver is told "the other parent", whatever the family-violence rule
// says, so the sentence can reveal no one.
type Owing struct {
	Pays     bool        // the person pays support on at least one case
	Monthly  Cents       // current support due each month, on the cases where the person pays
	PastDue  Cents       // arrears and interest the person owes
	Fees     Cents       // fees the person owes
	NextDue  Date        // when the next monthly payment is due; zero when the profile does not say
	Receives bool        // the person receives support on at least one case
	Received []OwedToYou // the cases as receiver where something is owed
}

// OwedToYou is what the other parent owes on one case where the person receives support.
type OwedToYou struct {
	Case    string
	PastDue Cents // arrears and interest
	Fees    Cents // fees owed to the agency, not to the person
}

// Nothing reports whether nothing is owed now on any of the person's cases, and no support is
// due each month.
func (o Owing) Nothing() bool {
	if o.Monthly != 0 || o.PastDue != 0 || o.Fees != 0 {
		return false
	}
	for _, r := range o.Received {
		if r.PastDue != 0 || r.Fees != 0 {
			return false
		}
	}
	return true
}

// OwingOf sums a person's cases (as read through CasesOf) into what is owed. today is the
// civil date in the agency's time zone and dueDay the day of the month support is due (the
// profile's SupportDueDay; 0 when it does not say, and then NextDue stays zero). The cases as
// receiver come in case-number order.
func OwingOf(cases []Case, today Date, dueDay int) Owing {
	var o Owing
	for _, c := range cases {
		b := c.Balances
		switch c.Role {
		case Noncustodial:
			o.Pays = true
			o.Monthly += b.MonthlyCurrent
			o.PastDue += b.Arrears + b.Interest
			o.Fees += b.Fees
		case Custodial:
			o.Receives = true
			if b.Owed() != 0 {
				o.Received = append(o.Received, OwedToYou{Case: c.Number, PastDue: b.Arrears + b.Interest, Fees: b.Fees})
			}
		}
	}
	sort.SliceStable(o.Received, func(i, j int) bool { return o.Received[i].Case < o.Received[j].Case })
	if o.Monthly > 0 && dueDay >= 1 && dueDay <= 28 && !today.IsZero() {
		o.NextDue = NextDueDate(today, dueDay)
	}
	return o
}

// NextDueDate is the first date on or after today that falls on day dueDay (1 to 28) of a
// month.
func NextDueDate(today Date, dueDay int) Date {
	d := Date{Year: today.Year, Month: today.Month, Day: dueDay}
	if d.Before(today) {
		if d.Month == 12 {
			d.Year, d.Month = d.Year+1, 1
		} else {
			d.Month++
		}
	}
	return d
}
