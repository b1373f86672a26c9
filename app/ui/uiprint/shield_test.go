package uiprint

import (
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/session"
	"childsupportkiosk/sync/demo"
)

// TestEveryKindHidesTheOtherParentOfASurvivor makes every printed kind for the demo's survivor
// (one case with the family-violence indicator, another without it that names its other
// parent) in every language, reads each back with pdftotext and searches it for the names of
// every other parent on the survivor's cases, from the agency's own export.
func TestEveryKindHidesTheOtherParentOfASurvivor(t *testing.T) {
	needPoppler(t)
	e := demoEnv(t)
	s := sampleOf(t, e, "custodial")
	if !s.FamilyViolence {
		t.Fatal("the custodial sample should carry the family-violence indicator")
	}
	others, unflaggedNamed := demo.OtherParents(e.Export, s.Participant)
	if !unflaggedNamed {
		t.Fatal("the survivor should have a case without the indicator that names the other parent")
	}
	got, err := e.Cache.PaymentsReceived(s.Participant)
	if err != nil || len(got) == 0 {
		t.Fatalf("the survivor received nothing: %v", err)
	}
	d := got[0]
	row := session.Row{Date: d.Date, Amount: d.Amount, Source: d.Source, Case: d.Case, Received: &d}
	p := &Printer{CaseFile: e.Cache, Now: func() time.Time { return at }}
	edits := map[documents.Kind]func(*documents.Job){
		documents.PaymentPage: func(j *documents.Job) {
			j.Side, j.Page, j.Pages, j.Rows = session.Received, 1, 1, []session.Row{row}
		},
		documents.YearlyStatement:  func(j *documents.Job) { j.Year = d.Date.Year },
		documents.MonthlyStatement: func(j *documents.Job) { j.Year, j.Month = d.Date.Year, d.Date.Month },
		documents.PaymentReceipt:   func(j *documents.Job) { j.Row = &row },
		documents.TempPINSlip:      func(j *documents.Job) { j.PIN, j.Expires = "482916", at.Add(24*time.Hour) },
		documents.SignInCard:       func(j *documents.Job) {},
	}
	for _, lang := range []string{"en", "es", "fr"} {
		for kind, edit := range edits {
			j := job(t, e, s, kind, lang)
			edit(&j)
			prep, err := p.Prepare(j)
			if err != nil {
				t.Fatalf("%s/%s: %v", lang, kind, err)
			}
			text := strings.Join(strings.Fields(text(t, prep.(*prepared).doc.Bytes)), " ")
			prep.Discard()
			if !strings.Contains(text, j.Participant.Name) {
				t.Fatalf("%s/%s: the survivor's own name is missing; is this the right document?", lang, kind)
			}
			for _, name := range others {
				if strings.Contains(text, name) {
					t.Errorf("%s/%s names the other parent %q", lang, kind, name)
				}
			}
		}
	}
}
