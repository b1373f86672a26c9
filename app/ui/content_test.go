package ui

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/ui/demoenv"
	"childsupportkiosk/sync/demo"
)

// The content a person reads: the agency's titles and messages in their language, dates with
// the month's name, and what is owed in a sentence. These tests run on a demo office whose
// export the test adjusts before the case server imports it, so the texts travel the real
// way: export → import → feed → cache → screen.

var (
	contentOnce sync.Once
	contentEnv  *demoenv.Env
	contentErr  error
)

// A document and an office message given in English and Spanish only, for the noncustodial
// sample: a Spanish screen shows the Spanish, a French one the English, marked as such.
const (
	hearingEN = "Notice of Hearing on Your Support Order"
	hearingES = "Aviso de audiencia sobre su orden de manutención"
	letterEN  = "Your case was reviewed"
	letterES  = "Revisamos su caso"
)

// contentSamples are the participants of the adjusted demo by role.
func contentDemo(t testing.TB) *demoenv.Env {
	t.Helper()
	contentOnce.Do(func() {
		contentEnv, contentErr = demoenv.Start(context.Background(), demoenv.Options{Demo: smallDemo, Adjust: adjustContent})
	})
	if contentErr != nil {
		t.Fatal(contentErr)
	}
	return contentEnv
}

// adjustContent gives the samples balances whose sentences are known: nothing owed for the
// parent who both pays and receives, $80.00 past due owed to the receiver, and $1,234.56 past
// due and $350.00 a month for the payer; and adds the English-and-Spanish-only records.
func adjustContent(e *domain.Export, samples []demo.Sample) {
	role := map[string]string{}
	for _, s := range samples {
		if s.Office == e.Offices[0].ID {
			role[s.Participant] = s.Role
		}
	}
	for _, want := range []string{"both", "custodial", "noncustodial"} {
		for i := range e.Cases {
			c := &e.Cases[i]
			for _, p := range c.Parties {
				if role[p.Participant] != want {
					continue
				}
				b := &c.Balances
				switch {
				case want == "both":
					b.MonthlyCurrent, b.Arrears, b.Interest, b.Fees = 0, 0, 0, 0
				case want == "custodial" && p.Role == domain.Custodial:
					b.Arrears, b.Interest, b.Fees = 8000, 0, 0
				case want == "noncustodial" && p.Role == domain.Noncustodial:
					b.MonthlyCurrent, b.Arrears, b.Interest, b.Fees = 35000, 123456, 0, 0
				}
			}
		}
	}
	for i := range e.Participants { // the "both" sample signs in straight to Home
		if p := &e.Participants[i]; role[p.ID] == "both" {
			p.PIN.Temporary, p.PIN.Expires, p.PIN.IssuedAt = false, time.Time{}, time.Time{}
		}
	}
	for id, r := range role {
		if r != "noncustodial" {
			continue
		}
		e.Documents = append(e.Documents, domain.Document{ID: "DOC-HEARING", Participant: id, Title: hearingEN,
			Kind: "notice", Date: domain.DateOf(e.Generated), Translations: []domain.DocumentText{{Lang: "es", Title: hearingES}}})
		e.Messages = append(e.Messages, domain.Message{ID: "M-REVIEW", Participant: id, FromOffice: true,
			Sent: e.Generated.Add(-time.Hour), Subject: letterEN, Body: "We reviewed your case.",
			Translations: []domain.MessageText{{Lang: "es-MX", Subject: letterES, Body: "Revisamos su caso."}}})
	}
}

// In Spanish the document and the message are in Spanish; in French, where the agency gave
// no text, in English with "En anglais seulement"; in English, unmarked.
func TestTitlesAndMessagesInTheSessionLanguage(t *testing.T) {
	r := newRig(t, contentDemo(t))
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	for _, tc := range []struct{ lang, title, subject string }{
		{"es", hearingES, letterES}, {"fr", hearingEN, letterEN}, {"en", hearingEN, letterEN},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			r.k.setLanguage(tc.lang)
			mark := r.tr("ui.text.english_only")
			r.k.show(scrDocuments)
			mustHave(t, r.c, tc.title)
			if tc.title != hearingEN {
				mustNotHave(t, r.c, hearingEN)
			}
			// The demo's own documents have Spanish titles; in French, the request form has
			// none and the hearing notice neither: the mark shows there only.
			if marked := has(r.c, mark); marked != (tc.lang == "fr") {
				t.Errorf("%s: %q shown: %v", tc.lang, mark, marked)
			}
			r.k.show(scrMessages)
			mustHave(t, r.c, tc.subject)
			if tc.subject != letterEN {
				mustNotHave(t, r.c, letterEN)
			}
			if marked := has(r.c, mark); tc.lang == "fr" && !marked || tc.lang != "fr" && marked {
				t.Errorf("%s: messages: %q shown: %v", tc.lang, mark, marked)
			}
		})
	}
}

// numericDate is a date written in digits only, in any order: 13/11/2026, 11-13-26, 2026-11-13.
var numericDate = regexp.MustCompile(`\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})\b`)

// No screen a parent reads shows an all-numeric date, in any language, for any kind of
// parent; the widget trees are walked, hidden parts included.
func TestNoNumericDateOnAnyScreen(t *testing.T) {
	r := newRig(t, contentDemo(t))
	check := func(t *testing.T, where string) {
		t.Helper()
		for _, x := range texts(r.c) {
			if m := numericDate.FindString(x); m != "" {
				t.Errorf("%s: numeric date %q in %q", where, m, x)
			}
		}
	}
	for _, lang := range []string{"en", "es", "fr"} {
		r.k.setLanguage(lang)
		check(t, lang+" welcome")
	}
	details := 0
	for _, role := range []string{"custodial", "noncustodial", "both"} {
		s := r.s[role]
		r.signIn(t, s.Participant, s.PIN)
		if r.k.screen != scrHome {
			t.Fatalf("%s: signed in to %s", role, r.k.screen)
		}
		for _, lang := range []string{"en", "es", "fr"} {
			r.k.setLanguage(lang)
			for _, scr := range []string{scrHome, scrPay, scrDocuments, scrMessages, scrOtherParty, scrDetails, scrHelp} {
				r.k.show(scr)
				check(t, role+" "+lang+" "+scr)
			}
			for _, side := range r.k.sess.Sides() {
				r.k.show(scrPayments)
				r.k.person.pay = payState{side: side}
				r.k.render()
				check(t, role+" "+lang+" payments "+string(side))
				if len(rows(r.c)) > 0 {
					tapFirstRow(t, r)
					check(t, role+" "+lang+" detail "+string(side))
					details++
				}
			}
		}
		r.k.signOut(scrWelcome, "ui.signin.signed_out")
	}
	// Staff screens too: a person's page, the kiosk's status and the audit, in each language.
	sv := staffLogin(t, r.env, domain.Supervisor)
	r.k.o.Syncer = SyncWith{Store: r.env.Cache, Client: r.env.Client}
	for _, lang := range []string{"en", "es", "fr"} {
		r.k.setLanguage(lang)
		r.enterStaff(t, sv.Staff, sv.Password)
		for _, role := range []string{"custodial", "noncustodial"} {
			r.search(t, r.s[role].Participant)
			check(t, "staff "+lang+" person "+role)
		}
		tap(t, r.c, r.tr("ui.staff.status"))
		r.k.bridge.wait()
		check(t, "staff "+lang+" status")
		tap(t, r.c, r.tr("ui.staff.audit"))
		check(t, "staff "+lang+" audit")
		tap(t, r.c, r.tr("ui.staff.leave"))
	}
	if details < 3*3 {
		t.Errorf("%d payment details seen, want at least one a language and kind of parent", details)
	}
}

// Home says what is owed, and by whom, in every language: the payer what they owe and when the
// next payment is due, the receiver what the other parent owes (never their name, which the
// family-violence rule hides), the parent with nothing owed that nothing is.
func TestHomeSaysWhatIsOwed(t *testing.T) {
	env := contentDemo(t)
	r := newRig(t, env)
	today := domain.DateOf(r.k.local(demoNow))
	want := map[string][]string{ // English, checked word for word; the others from the catalog
		"noncustodial": {"You owe $1,234.56 in past-due support.", "Your next payment of $350.00 is due on December 1, 2026."},
		"custodial":    {"The other parent owes $80.00 in past-due support on case "},
		"both":         {"Nothing is owed now."},
	}
	for role, en := range want {
		t.Run(role, func(t *testing.T) {
			s := r.s[role]
			cases, err := domain.CasesOf(env.Cache, s.Participant)
			if err != nil {
				t.Fatal(err)
			}
			others, _ := demo.OtherParents(env.Export, s.Participant)
			r.signIn(t, s.Participant, s.PIN)
			if r.k.screen != scrHome {
				t.Fatalf("signed in to %s", r.k.screen)
			}
			defer r.k.signOut(scrWelcome, "ui.signin.signed_out")
			for _, lang := range []string{"en", "es", "fr"} {
				r.k.setLanguage(lang)
				r.k.show(scrHome)
				mustHave(t, r.c, r.tr("ui.home.owing"))
				lines := r.k.lang.Owing(domain.OwingOf(cases, today, env.Profile.SupportDueDay))
				for _, l := range lines {
					mustHave(t, r.c, l)
				}
				if lang == "en" {
					for _, w := range en {
						mustHave(t, r.c, w)
					}
				}
				if s.FamilyViolence {
					for _, name := range others {
						for _, x := range texts(r.c) {
							if strings.Contains(x, name) {
								t.Errorf("%s: the other parent's name on Home: %q", lang, x)
							}
						}
					}
				}
			}
		})
	}
	if !r.s["custodial"].FamilyViolence {
		t.Error("the custodial sample has no family-violence case: the name check checked nothing")
	}
}
