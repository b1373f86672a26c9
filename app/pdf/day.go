package pdf

import (
	"sort"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
)

func init() {
	register(documents.KioskDay, func(s source) (Document, error) { return s.m.Day(s.job.Activity) })
}

// dayLines are the counts of the day's slip, in the order printed, with their labels.
var dayLines = []struct{ what, key string }{
	{domain.ActSignIn, "doc.day.signins"},
	{domain.ActSignInRefused, "doc.day.signins_refused"},
	{domain.ActLocked, "doc.day.locked"},
	{domain.ActAssisted, "doc.day.assisted"},
	{domain.ActPINIssued, "doc.day.pins_issued"},
	{domain.ActUnlocked, "doc.day.unlocked"},
	{domain.ActStaffSignIn, "doc.day.staff_signins"},
	{domain.ActStaffRefused, "doc.day.staff_refused"},
}

// Day makes the day's summary slip on the 80 mm roll: what the kiosk did from a.From to a.To
// (sign-ins, prints by kind, errors), in counts. It names no participant and no staff member.
func (m Maker) Day(a domain.Activity) (Document, error) {
	l := m.Lang
	d, err := m.newDoc(documents.KioskDay, l.T("doc.title.day"))
	if err != nil {
		return Document{}, err
	}
	count := func(label string, n int) { d.pair("", 8.5, label, l.Int(int64(n))) }
	b, err := d.run(func() {
		d.rollHead(d.title)
		from, to := a.From.In(d.loc), a.To.In(d.loc)
		d.setFont("", 8.5)
		d.para(d.lh(), "L", l.T("doc.day.span", "from", l.DateTime(from), "to", l.DateTime(to)))
		d.rollRule()
		for _, ln := range dayLines {
			count(l.T(ln.key), a.N(ln.what))
		}
		d.rollRule()
		byKind, total := a.Printed()
		d.pair("B", 9, l.T("doc.day.printed"), l.Int(int64(total)))
		kinds := make([]string, 0, len(byKind))
		for k := range byKind {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			label := k // a kind counted by an earlier version and no longer printed
			if key := "doc.day.kind." + k; l.Has(key) {
				label = l.T(key)
			}
			d.pair("", 8.5, "• "+label, l.Int(int64(byKind[k])))
		}
		count(l.T("doc.day.print_failed"), a.N(domain.ActPrintFailed))
		d.rollRule()
		count(l.T("doc.day.syncs"), a.N(domain.ActSyncOK))
		count(l.T("doc.day.sync_failed"), a.N(domain.ActSyncFailed))
		d.rollRule()
		d.pair("B", 10, l.T("doc.day.errors"), l.Int(int64(a.Errors())))
		d.gap(1)
		d.setFont("", 7.5)
		d.para(d.lh(), "L", l.T("doc.day.no_personal"))
	})
	return Document{Kind: documents.KioskDay, Bytes: b}, err
}
