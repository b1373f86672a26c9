package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/session"
	"childsupportkiosk/sync/demo"
)

// secrets are the things about a person that must not outlive their session on screen: name,
// participant ID, SSN, case numbers, other parties, balances and the payments seen, in every
// language's format.
func secrets(t testing.TB, r *rig, s sample) []string {
	t.Helper()
	out := []string{s.Name, s.Participant, s.SSN, s.Participant[len(s.Participant)-4:]}
	cat, _ := i18n.Shipped()
	for _, c := range s.Cases {
		out = append(out, c.Number)
		if c.OtherParty != "" {
			out = append(out, c.OtherParty)
		}
		for _, code := range cat.Languages() {
			l := cat.Lang(code)
			for _, m := range []int64{int64(c.Balances.MonthlyCurrent), int64(c.Balances.Arrears)} {
				if m != 0 {
					out = append(out, strings.TrimSpace(l.Money(domainCents(m))))
				}
			}
		}
	}
	return out
}

// visitAll opens every signed-in screen, a payments list and a payment's detail.
func visitAll(t testing.TB, r *rig) {
	t.Helper()
	for _, scr := range []string{scrHome, scrPayments, scrPay, scrDocuments, scrMessages, scrOtherParty, scrDetails, scrChangePIN, scrHelp} {
		r.k.show(scr)
	}
	r.k.show(scrPayments)
	tapFirstRow(t, r)
	mustHave(t, r.c, r.tr("ui.detail.back"))
	r.k.show(scrDetails)
	tap(t, r.c, r.tr("ui.signin.show_id"))
	mustHave(t, r.c, r.s["noncustodial"].Participant)
}

func assertNoTrace(t *testing.T, r *rig, s sample) {
	t.Helper()
	all := texts(r.c)
	for _, secret := range secrets(t, r, s) {
		for _, x := range all {
			if secret != "" && strings.Contains(x, secret) {
				t.Errorf("%q still on the canvas after sign-out (in %q)", secret, x)
			}
		}
	}
	k := r.k
	if k.sess != nil || k.mgr.Current() != nil || k.person.pay != (payState{}) || k.signin != (signinState{}) ||
		k.person.form.values != nil || k.person.pin != (pinState{}) {
		t.Errorf("view state kept after sign-out: sess=%v pay=%+v signin=%+v", k.sess, k.person.pay, k.signin)
	}
	if got := r.w.Clipboard().Content(); got != "" {
		t.Errorf("clipboard holds %q", got)
	}
}

func TestQuickExitLeavesNoTrace(t *testing.T) {
	for _, how := range []string{"button", "escape"} {
		t.Run(how, func(t *testing.T) {
			r := newRig(t, shared(t))
			s := r.s["noncustodial"]
			r.signIn(t, s.Participant, s.PIN)
			visitAll(t, r)
			r.w.Clipboard().SetContent(s.Participant)
			if how == "button" {
				tap(t, r.c, r.tr("ui.quick_exit"))
			} else {
				r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			}
			mustHave(t, r.c, r.tr("ui.neutral.touch"))
			mustNotHave(t, r.c, r.tr(r.env.Profile.NameKey)) // nothing says "child support"
			mustNotHave(t, r.c, r.tr("ui.quick_exit"))
			assertNoTrace(t, r, s)
		})
	}
}

// Fyne keeps the renderers of a screen the kiosk has left, with their copies of its text, for
// a minute: the screens a person saw must be emptied once they are replaced, so that nothing of
// the person stays reachable through Fyne's caches after they sign out.
func TestScreensLeftBehindHoldNothing(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	var left []fyne.CanvasObject
	for _, scr := range []string{scrHome, scrPayments, scrOtherParty, scrDetails} {
		r.k.show(scr)
		r.c.Capture() // the renderers are made, as on a real screen
		left = append(left, r.c.Content())
		if scr == scrHome && !slices.ContainsFunc(objectTexts(r.c.Content()), func(x string) bool { return strings.Contains(x, s.Name) }) {
			t.Fatalf("the Home screen does not show %q", s.Name)
		}
	}
	r.k.show(scrPayments)
	tapFirstRow(t, r)
	r.c.Capture()
	left = append(left, r.c.Content())
	tap(t, r.c, r.tr("ui.quick_exit"))
	for i, o := range left {
		for _, x := range objectTexts(o) {
			for _, secret := range secrets(t, r, s) {
				if secret != "" && strings.Contains(x, secret) {
					t.Errorf("screen %d left behind still holds %q (in %q)", i, secret, x)
				}
			}
		}
	}
	// What is kept from screen to screen still works.
	mustHave(t, r.c, r.tr("ui.neutral.touch"))
	r.k.show(scrWelcome)
	mustHave(t, r.c, r.tr(r.env.Profile.NameKey))
	mustHave(t, r.c, r.tr("ui.key.clear"))
}

func TestTimeOutWarnsThenLeavesNoTrace(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	prof := r.env.Profile
	r.signIn(t, s.Participant, s.PIN)
	visitAll(t, r)

	r.clock.Add(prof.Idle() + prof.Warning()/2)
	r.k.tick()
	mustHave(t, r.c, r.tr("ui.idle.question"))
	mustHave(t, r.c, r.tr("ui.idle.countdown", "seconds", itoa(int(prof.Warning().Seconds())/2)))
	tap(t, r.c, r.tr("ui.idle.stay"))
	if r.k.warn.shown {
		t.Fatal("the warning stays after 'still here'")
	}
	r.k.tick()
	mustHave(t, r.c, s.Name) // still signed in

	r.clock.Add(prof.Idle() + prof.Warning())
	r.k.tick()
	mustHave(t, r.c, r.tr("ui.signin.timed_out"))
	assertNoTrace(t, r, s)
}

func TestTimeOutClearsAHalfTypedSignIn(t *testing.T) {
	r := newRig(t, shared(t))
	for _, d := range "12345" {
		r.press(t, d)
	}
	r.clock.Add(r.env.Profile.Idle() + r.env.Profile.Warning())
	r.k.tick()
	if r.k.signin.id != "" {
		t.Fatal("a half-typed ID outlived the idle time")
	}
}

func TestFamilyViolenceHidesTheOtherParty(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["custodial"]
	if !s.FamilyViolence {
		t.Fatal("the custodial sample should carry the family-violence indicator")
	}
	// The other parents' names, from the agency's own export: the survivor has a case without
	// the indicator that names one too.
	other, named := demo.OtherParents(r.env.Export, s.Participant)
	if !named {
		t.Fatal("the survivor should have a case without the indicator that names the other parent")
	}
	r.signIn(t, s.Participant, s.PIN)
	mustNotHave(t, r.c, r.tr("ui.nav.other_party"))
	for _, scr := range []string{scrHome, scrPayments, scrPay, scrDocuments, scrMessages, scrOtherParty, scrDetails, scrHelp} {
		r.k.show(scr)
		for _, name := range other {
			if name != "" {
				mustNotHave(t, r.c, name)
			}
		}
		mustNotHave(t, r.c, r.tr("ui.case.other_party"))
		mustNotHave(t, r.c, r.tr("ui.other.title"))
	}
	if r.k.screen == scrOtherParty {
		t.Fatal("the Other Party screen opened")
	}
}

func TestOtherPartyShownWithoutTheIndicator(t *testing.T) {
	r := newRig(t, shared(t))
	// A fixed order (not the map's), and no temporary PIN: signing in must land on Home. The demo
	// guarantees samples without the indicator.
	var s sample
	var other string
	for _, role := range []string{"noncustodial", "custodial", "both"} {
		x, ok := r.s[role]
		if !ok || x.Temporary || x.FamilyViolence || other != "" {
			continue
		}
		for _, c := range x.Cases {
			if c.ShowOtherParty() {
				s, other = x, c.OtherParty
				break
			}
		}
	}
	if other == "" {
		t.Fatal("the demo has no sample without the indicator and with an other party")
	}
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.other_party"))
	mustHave(t, r.c, other)
	tap(t, r.c, r.tr("ui.other.send"))
	mustHave(t, r.c, r.tr("ui.problem.empty"))
	for _, ch := range "acme" {
		tap(t, r.c, string(ch))
	}
	tap(t, r.c, r.tr("ui.other.send"))
	mustHave(t, r.c, r.tr("ui.other.sent"))
}

func TestLanguageSwitchesAtOnce(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	for _, d := range "42" {
		r.press(t, d)
	}
	chooseLanguage(t, r, "Español")
	mustHave(t, r.c, "Bienvenido")
	mustHave(t, r.c, "¿Olvidó su PIN?")
	if r.k.signin.id != "42" {
		t.Fatal("switching language lost what was typed")
	}
	chooseLanguage(t, r, "Français")
	mustHave(t, r.c, "Bienvenue")
	r.signIn(t, s.Participant, s.PIN)
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
	mustHave(t, r.c, "Paiements")
	c := s.Cases[0]
	mustHave(t, r.c, r.k.lang.Money(c.Balances.MonthlyCurrent)) // 1 234,56 $
	tap(t, r.c, "Paiements")
	mustHave(t, r.c, "Paiements que j'ai faits")
	chooseLanguage(t, r, "English")
	mustHave(t, r.c, "Payments I Made")
	chooseLanguage(t, r, "Español")
	mustHave(t, r.c, "Pagos que hice")
	if r.k.screen != scrPayments {
		t.Fatal("switching language left the screen")
	}
}

func TestSessionStateIsDroppedWithTheSession(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	sess := r.k.sess
	r.k.quickExit()
	if sess.Active() || sess.ParticipantID() != "" {
		t.Fatal("the session outlived Quick Exit")
	}
	if _, err := sess.Payments(session.Made, 0, 1); err == nil {
		t.Fatal("a dropped session still reads payments")
	}
}

func domainCents(n int64) domain.Cents { return domain.Cents(n) }
