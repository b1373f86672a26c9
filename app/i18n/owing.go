package i18n

import "childsupportkiosk/app/domain"

// Owing writes what is owed now as plain sentences, one a line, in the order a person needs
// them: what they owe as payer (past-due support, fees, the next payment), then what the other
// parent owes on each case where they receive support. The other parent is never named (the
// family-violence rule may hide the name; "the other parent" says who owes without it).
func (l Lang) Owing(o domain.Owing) []string {
	if o.Nothing() {
		return []string{l.T("owing.nothing")}
	}
	var out []string
	if o.Pays {
		switch {
		case o.PastDue > 0:
			out = append(out, l.T("owing.payer.past_due", "amount", l.Money(o.PastDue)))
			if o.Fees > 0 {
				out = append(out, l.T("owing.payer.fees_also", "amount", l.Money(o.Fees)))
			}
		case o.Fees > 0:
			out = append(out, l.T("owing.payer.fees", "amount", l.Money(o.Fees)))
		case o.Monthly > 0:
			out = append(out, l.T("owing.payer.no_past_due"))
		default:
			out = append(out, l.T("owing.payer.nothing"))
		}
		if o.Monthly > 0 {
			if !o.NextDue.IsZero() {
				out = append(out, l.T("owing.payer.next_due", "amount", l.Money(o.Monthly), "date", l.LongDate(o.NextDue)))
			} else {
				out = append(out, l.T("owing.payer.monthly", "amount", l.Money(o.Monthly)))
			}
		}
	}
	for _, r := range o.Received {
		if r.PastDue > 0 {
			out = append(out, l.T("owing.receiver.past_due", "amount", l.Money(r.PastDue), "number", r.Case))
		}
		if r.Fees > 0 {
			out = append(out, l.T("owing.receiver.fees", "amount", l.Money(r.Fees), "number", r.Case))
		}
	}
	if o.Receives && len(o.Received) == 0 {
		out = append(out, l.T("owing.receiver.nothing"))
	}
	return out
}
