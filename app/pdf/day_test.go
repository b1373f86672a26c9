package pdf

import (
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
)

// dayActivity is a day of counts with a number of its own for each line, so that a line that
// printed another line's count shows.
func dayActivity() domain.Activity {
	from := time.Date(2025, 1, 15, 8, 0, 0, 0, time.UTC) // midnight in Los Angeles
	return domain.Activity{From: from, To: from.Add(14*time.Hour + 32*time.Minute), Counts: map[string]int{
		domain.ActSignIn: 41, domain.ActSignInRefused: 7, domain.ActLocked: 2, domain.ActAssisted: 5,
		domain.ActPINIssued: 3, domain.ActUnlocked: 4, domain.ActStaffSignIn: 6, domain.ActStaffRefused: 1,
		domain.ActPrinted + ":yearly_statement": 12, domain.ActPrinted + ":payment_receipt": 9,
		domain.ActPrintFailed: 8, domain.ActSyncOK: 310, domain.ActSyncFailed: 11,
	}}
}

func TestDaySlip(t *testing.T) {
	for _, lang := range []string{"en", "es", "fr", "zh-Hant"} {
		m := maker(t, lang, "CA")
		doc, err := m.Day(dayActivity())
		if err != nil {
			t.Fatal(err)
		}
		if doc.Kind != documents.KioskDay || !doc.Kind.OnRoll() || doc.PageCount() != 1 {
			t.Fatalf("kind %s, on the roll %v, %d pages", doc.Kind, doc.Kind.OnRoll(), doc.PageCount())
		}
		save(t, "day-"+lang+".pdf", doc.Bytes)
		text := rollText(t, doc.Bytes)
		l := m.Lang
		contains(t, text, l.T("doc.title.day"), l.T("doc.day.no_personal"), l.T("doc.day.kind.yearly_statement"),
			l.T("doc.day.kind.payment_receipt"), l.T(m.Profile.NameKey))
		// Each count beside its own label (pdftotext -layout keeps a line a line).
		for _, want := range []struct {
			key string
			n   string
		}{{"doc.day.signins", "41"}, {"doc.day.signins_refused", "7"}, {"doc.day.locked", "2"},
			{"doc.day.assisted", "5"}, {"doc.day.pins_issued", "3"}, {"doc.day.unlocked", "4"},
			{"doc.day.staff_signins", "6"}, {"doc.day.staff_refused", "1"}, {"doc.day.printed", "21"},
			{"doc.day.print_failed", "8"}, {"doc.day.syncs", "310"}, {"doc.day.sync_failed", "11"},
			{"doc.day.errors", "29"}} {
			if !lineWith(text, l.T(want.key), want.n) {
				t.Errorf("%s: no line %q … %s in\n%s", lang, l.T(want.key), want.n, text)
			}
		}
		lacks(t, text, "⟦")
	}
}

// lineWith reports whether label is followed by the count n in text, whitespace aside (a long
// label wraps, and Chinese wraps between any two characters).
func lineWith(text, label, n string) bool {
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	return strings.Contains(squeeze(text), squeeze(label)+n)
}
