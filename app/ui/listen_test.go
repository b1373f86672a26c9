package ui

import (
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/speech"
	"childsupportkiosk/app/ui/demoenv"
)

// listenRig is a rig with a recording speaker and the demo's sample sign-ins on the welcome
// screen (which show PINs and IDs: never to be said).
func listenRig(t *testing.T, env *demoenv.Env, langs map[string]bool) (*rig, *speech.Recorder) {
	t.Helper()
	rec := &speech.Recorder{Langs: langs}
	var logins []DemoLogin
	for _, s := range env.Samples {
		logins = append(logins, DemoLogin{Login: s.Participant, PIN: s.PIN, Role: s.Role, Temporary: s.Temporary})
	}
	var staff []DemoLogin
	for _, s := range env.Staff {
		staff = append(staff, DemoLogin{Login: s.Staff, PIN: s.Password, Role: string(s.Role)})
	}
	return newRigWith(t, env, Options{Speaker: rec, Demo: logins, DemoStaff: staff}), rec
}

// listenButton is the visible Listen button.
func (r *rig) listenControl(t testing.TB) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(r.c, func(o fyne.CanvasObject, visible bool) {
		if b, ok := o.(*widget.Button); ok && visible && found == nil &&
			(b.Text == r.tr("ui.listen") || b.Text == r.tr("ui.listen.no_voice")) {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("%s: no Listen button; texts %q", r.k.screen, texts(r.c))
	}
	return found
}

// hear taps Listen twice and returns the overview and the details said.
func (r *rig) hear(t testing.TB, rec *speech.Recorder) (overview, details string) {
	t.Helper()
	b := r.listenControl(t)
	if b.Disabled() {
		t.Fatalf("%s: Listen is disabled in %s", r.k.screen, r.k.lang.Code())
	}
	n := len(rec.Said())
	test.Tap(b)
	test.Tap(r.listenControl(t))
	said := rec.Said()
	if len(said) != n+2 {
		t.Fatalf("%s: %d utterances for two taps", r.k.screen, len(said)-n)
	}
	for _, u := range said[n:] {
		if u.Lang != r.k.lang.Code() {
			t.Errorf("%s: said in %s on a %s screen", r.k.screen, u.Lang, r.k.lang.Code())
		}
	}
	return said[n].Text, said[n+1].Text
}

// screenHeading is the visible heading of the screen's body.
func screenHeading(c fyne.Canvas) string {
	h := ""
	walk(c, func(o fyne.CanvasObject, visible bool) {
		if l, ok := o.(*widget.Label); ok && visible && h == "" && l.SizeName == theme.SizeNameHeadingText {
			h = l.Text
		}
	})
	return h
}

// squeeze drops the spaces and dashes of a text, so that a number said in groups is found.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '.' {
			return -1
		}
		return r
	}, s)
}

// checkSaid fails when what was said lacks the screen's heading or holds a secret.
func (r *rig) checkSaid(t *testing.T, rec *speech.Recorder, where string, secrets ...string) {
	t.Helper()
	overview, details := r.hear(t, rec)
	h := strings.TrimSpace(screenHeading(r.c))
	if h == "" {
		t.Errorf("%s: the screen has no heading", where)
	}
	if strings.IndexFunc(h, unicode.IsDigit) < 0 && !strings.Contains(details, h) {
		t.Errorf("%s: the details do not say the heading %q: %q", where, h, details)
	}
	if r.k.ownWordsOf().has(h) && !strings.HasPrefix(overview, h) {
		t.Errorf("%s: the overview does not start with the heading %q: %q", where, h, overview)
	}
	if !strings.Contains(overview, r.tr("ui.listen.button", "label", r.tr("ui.quick_exit"))) {
		t.Errorf("%s: Quick Exit is not said: %q", where, overview)
	}
	for _, said := range []string{overview, details} {
		flat := squeeze(said)
		for _, s := range secrets {
			if s = squeeze(s); len(s) >= 3 && strings.Contains(flat, s) {
				t.Errorf("%s: %q was said aloud: %q", where, s, said)
			}
		}
		if strings.ContainsAny(said, "•●⟦") {
			t.Errorf("%s: a mask or a missing key said: %q", where, said)
		}
	}
}

// What Listen says on every screen, in every language that has a voice, signed in as each
// kind of parent and as staff: the heading, Quick Exit, and never a PIN, an SSN, an ID or a
// digit typed, at either tap.
func TestListenSaysEveryScreenAndNoSecret(t *testing.T) {
	// Its own env: staff issue temporary PINs in it.
	r, rec := listenRig(t, fresh(t, demoenv.Options{Adjust: adjustContent}), nil)
	var all []string // every sample's and staff member's secrets, and what is typed
	for _, s := range r.s {
		all = append(all, s.Participant, s.PIN, s.SSN)
	}
	for _, s := range r.env.Staff {
		all = append(all, s.Password)
	}
	screens := 0
	for _, lang := range voiced(r) {
		r.k.setLanguage(lang)
		r.checkSaid(t, rec, lang+" welcome", all...)
		// Half an ID typed, then the whole ID shown with Show, and part of the PIN.
		s := r.s["custodial"]
		idName := r.tr(r.env.Profile.ParticipantID.NameKey)
		tapRowWith(t, r.c, r.tr("ui.signin.id_or_ssn", "id", idName))
		for _, d := range s.Participant[:4] {
			r.press(t, d)
		}
		overview, _ := r.hear(t, rec)
		if !strings.Contains(overview, r.tr("ui.listen.digits", "n", "4")) {
			t.Errorf("%s: the ID field does not say 4 digits: %q", lang, overview)
		}
		r.checkSaid(t, rec, lang+" welcome, 4 digits typed", append(all, s.Participant[:4])...)
		for _, d := range s.Participant[4:] {
			r.press(t, d)
		}
		tap(t, r.c, r.tr("ui.signin.show_id"))
		mustHave(t, r.c, s.Participant) // the ID is on screen, whole
		r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		for _, d := range s.PIN[:3] {
			r.press(t, d)
		}
		r.checkSaid(t, rec, lang+" welcome, ID shown, PIN typed", append(all, s.PIN[:3])...)
		tap(t, r.c, r.tr("ui.key.clear"))
		r.k.signin = signinState{}
		tap(t, r.c, r.tr("ui.nav.help"))
		r.checkSaid(t, rec, lang+" help, signed out", all...)
		r.k.show(scrWelcome)
		screens += 4
	}
	for _, role := range []string{"custodial", "noncustodial", "both"} {
		s := r.s[role]
		r.signIn(t, s.Participant, s.PIN)
		if r.k.screen != scrHome {
			t.Fatalf("%s: signed in to %s", role, r.k.screen)
		}
		for _, lang := range voiced(r) {
			r.k.setLanguage(lang)
			for _, scr := range []string{scrHome, scrPay, scrDocuments, scrMessages, scrOtherParty, scrDetails, scrHelp, scrChangePIN} {
				if scr == scrOtherParty && !r.k.sess.ShowOtherParty() {
					continue
				}
				r.k.show(scr)
				where := role + " " + lang + " " + scr
				r.checkSaid(t, rec, where, all...)
				screens++
			}
			// The PIN change with digits typed in its field.
			r.k.show(scrChangePIN)
			for _, d := range "4829" {
				r.k.keyInput(d)
			}
			r.checkSaid(t, rec, role+" "+lang+" change PIN, typed", append(all, "4829")...)
			for _, side := range r.k.sess.Sides() {
				r.k.show(scrPayments)
				r.k.person.pay = payState{side: side}
				r.k.render()
				r.checkSaid(t, rec, role+" "+lang+" payments "+string(side), all...)
				screens++
				if len(rows(r.c)) > 0 {
					tapFirstRow(t, r)
					r.checkSaid(t, rec, role+" "+lang+" detail "+string(side), all...)
					screens++
				}
			}
		}
		r.k.signOut(scrWelcome, "ui.signin.signed_out")
	}
	// Staff: sign-in (a password typed), search, a person's page with the ID shown whole, a
	// temporary PIN issued and shown, the status and the audit.
	sv := staffLogin(t, r.env, domain.Supervisor)
	r.k.o.Syncer = SyncWith{Store: r.env.Cache, Client: r.env.Client}
	for _, lang := range voiced(r) {
		r.k.setLanguage(lang)
		r.holdAgencyName(t, staffHold)
		test.TypeOnCanvas(r.c, strings.ToLower(sv.Staff))
		r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		test.TypeOnCanvas(r.c, sv.Password[:3])
		r.checkSaid(t, rec, "staff "+lang+" sign-in", append(all, sv.Password[:3])...)
		test.TypeOnCanvas(r.c, sv.Password[3:])
		r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		r.k.bridge.wait()
		r.checkSaid(t, rec, "staff "+lang+" search", all...)
		for _, role := range []string{"custodial", "noncustodial"} {
			p := r.s[role]
			r.search(t, p.Participant)
			r.k.st.showID = true
			r.k.render()
			mustHave(t, r.c, p.Participant)
			r.checkSaid(t, rec, "staff "+lang+" person "+role, all...)
		}
		tap(t, r.c, r.tr("ui.staff.issue"))
		r.checkSaid(t, rec, "staff "+lang+" check ID", all...)
		tap(t, r.c, r.tr("ui.staff.issue_confirm"))
		r.k.bridge.wait()
		pin := shownPIN(t, r)
		r.checkSaid(t, rec, "staff "+lang+" PIN issued", append(all, pin)...)
		tap(t, r.c, r.tr("ui.staff.pin_done"))
		tap(t, r.c, r.tr("ui.staff.status"))
		r.k.bridge.wait()
		r.checkSaid(t, rec, "staff "+lang+" status", all...)
		tap(t, r.c, r.tr("ui.staff.audit"))
		r.checkSaid(t, rec, "staff "+lang+" audit", all...)
		tap(t, r.c, r.tr("ui.staff.leave"))
		screens += 7
	}
	t.Logf("%d screens listened to, %d utterances", screens, len(rec.Said()))
}

// The overview holds back a person's data (a name, amounts) and says that it did; the second
// tap says it.
func TestListenHoldsDetailsForTheSecondTap(t *testing.T) {
	r, rec := listenRig(t, contentDemo(t), nil)
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	overview, details := r.hear(t, rec)
	hello := r.tr("ui.home.hello", "name", s.Name)
	if strings.Contains(overview, s.Name) {
		t.Errorf("the overview says the person's name: %q", overview)
	}
	if !strings.Contains(details, hello) {
		t.Errorf("the details do not say %q: %q", hello, details)
	}
	if !strings.Contains(overview, r.tr("ui.listen.button", "label", r.tr("ui.nav.payments"))) {
		t.Errorf("the overview does not say the menu: %q", overview)
	}
	if strings.Contains(overview, "$") {
		t.Errorf("the overview says an amount: %q", overview)
	}
	if !strings.Contains(details, "$") {
		t.Errorf("the details say no amount: %q", details)
	}
	if !strings.Contains(overview, strings.SplitN(r.tr("ui.listen.held", "n", "X"), "X", 2)[1][:10]) {
		t.Errorf("the overview does not say that details were held back: %q", overview)
	}
	// The help line is the agency's: said in the overview, whole.
	if !strings.Contains(overview, r.env.Profile.Contacts.Phone) {
		t.Errorf("the help line %q is not said: %q", r.env.Profile.Contacts.Phone, overview)
	}
}

// Quick Exit, sign-out, the time-out and a new screen end what is being said.
func TestListenStopsWhenThePersonLeaves(t *testing.T) {
	r, rec := listenRig(t, contentDemo(t), nil)
	s := r.s["custodial"]
	listenThen := func(what string, leave func()) {
		t.Helper()
		test.Tap(r.listenControl(t))
		before := rec.Stops()
		leave()
		if rec.Stops() == before {
			t.Errorf("%s: still speaking", what)
		}
	}
	r.signIn(t, s.Participant, s.PIN)
	listenThen("Quick Exit", r.k.quickExit)
	r.k.show(scrWelcome)
	r.signIn(t, s.Participant, s.PIN)
	listenThen("Quick Exit by Esc", func() { r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) })
	r.k.show(scrWelcome)
	r.signIn(t, s.Participant, s.PIN)
	listenThen("sign-out", func() { tap(t, r.c, r.tr("ui.sign_out")) })
	r.signIn(t, s.Participant, s.PIN)
	listenThen("another screen", func() { tap(t, r.c, r.tr("ui.nav.payments")) })
	listenThen("another language", func() { chooseLanguage(t, r, "Español") })
	listenThen("time-out", func() {
		r.clock.Add(r.env.Profile.Idle() + r.env.Profile.Warning())
		r.k.tick()
		if r.k.sess != nil {
			t.Fatal("not timed out")
		}
	})
	// The same screen drawn anew (a key typed) goes on speaking.
	test.Tap(r.listenControl(t))
	before := rec.Stops()
	r.k.keyInput(keyClear)
	if rec.Stops() != before {
		t.Error("a key on the same screen stopped the speech")
	}
}

// A language without a voice shows the control disabled, saying why in that language.
func TestListenWithoutAVoice(t *testing.T) {
	r, _ := listenRig(t, contentDemo(t), map[string]bool{"en": true, "fr": true})
	if b := r.listenControl(t); b.Disabled() || b.Text != r.tr("ui.listen") {
		t.Fatalf("English: %q disabled=%t", b.Text, b.Disabled())
	}
	r.k.setLanguage("es")
	b := r.listenControl(t)
	if !b.Disabled() || b.Text != "No hay voz en este idioma" {
		t.Fatalf("Spanish without a voice: %q disabled=%t", b.Text, b.Disabled())
	}
}

// unsaid hides IDs, SSNs and masked values and keeps the agency's numbers, years and amounts.
func TestUnsaid(t *testing.T) {
	r, _ := listenRig(t, contentDemo(t), nil)
	hidden := r.tr("ui.listen.hidden")
	c := r.env.Profile.Contacts
	for in, want := range map[string]string{
		"ID 5076159232":                 "ID " + hidden,
		"SSN 123-45-6789 on file":       "SSN " + hidden + " on file",
		"PIN 021 688":                   "PIN " + hidden,
		"Card ••••••9232":               "Card " + hidden,
		"Case CS20250001, since 2019":   "Case " + hidden + ", since 2019",
		"$1,234.56 on November 1, 2026": "$1,234.56 on November 1, 2026",
		"Call " + c.Phone:               "Call " + c.Phone,
	} {
		if got := r.k.unsaid(in, nil); got != want {
			t.Errorf("unsaid(%q) = %q, want %q", in, got, want)
		}
	}
	if got := r.k.unsaid("password Sunny-42x", []string{"Sunny-42x"}); strings.Contains(got, "Sunny") {
		t.Errorf("a secret said: %q", got)
	}
}

// A docked keyboard is said in one line, not key by key, and the footer it replaces is not
// said.
func TestListenSaysTheKeyboardOnce(t *testing.T) {
	r, rec := listenRig(t, contentDemo(t), nil)
	r.holdAgencyName(t, staffHold)
	if r.k.dock == nil {
		t.Fatal("the staff sign-in has no keyboard")
	}
	overview, _ := r.hear(t, rec)
	if !strings.Contains(overview, r.tr("ui.listen.keyboard")) {
		t.Errorf("the keyboard is not said: %q", overview)
	}
	if strings.Contains(overview, r.tr("ui.listen.button", "label", "q")) {
		t.Errorf("the keyboard is said key by key: %q", overview)
	}
	if strings.Contains(overview, r.env.Profile.Contacts.TTY) {
		t.Errorf("the footer, not on screen, is said: %q", overview)
	}
}

// voiced are the languages of the rig's profile that have a voice (all but Tagalog).
func voiced(r *rig) []string {
	var out []string
	for _, l := range r.k.prof.Languages {
		if _, ok := speech.Voices[l]; ok {
			out = append(out, l)
		}
	}
	return out
}
