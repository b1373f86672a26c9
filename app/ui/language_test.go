package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/ui/demoenv"
	"childsupportkiosk/sync/demo"
)

// preferring gives the demo's sample of role the preferred language lang, and every other sample
// none, in the export the case server imports.
func preferring(role, lang string) demoenv.Options {
	return demoenv.Options{Adjust: func(e *domain.Export, samples []demo.Sample) {
		ids := map[string]string{}
		for _, s := range samples {
			ids[s.Participant] = s.Role
		}
		for i := range e.Participants {
			if r, ok := ids[e.Participants[i].ID]; ok {
				e.Participants[i].Language = ""
				if r == role {
					e.Participants[i].Language = lang
				}
			}
		}
	}}
}

// A parent whose file says they read Spanish gets Spanish when they sign in on an English
// kiosk, can switch back, and the next person starts in the kiosk's own language again.
func TestSignInSpeaksThePersonsLanguage(t *testing.T) {
	env := fresh(t, preferring("noncustodial", "es"))
	r := newRig(t, env)
	s := r.s["noncustodial"]
	if r.k.lang.Code() != "en" {
		t.Fatalf("the kiosk starts in %s", r.k.lang.Code())
	}
	r.signIn(t, s.Participant, s.PIN)
	if r.k.lang.Code() != "es" {
		t.Fatalf("signed in, the kiosk speaks %s", r.k.lang.Code())
	}
	mustHave(t, r.c, "Pagos")
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
	chooseLanguage(t, r, "English")
	mustHave(t, r.c, "Payments")
	chooseLanguage(t, r, "Español")
	tap(t, r.c, r.tr("ui.sign_out"))
	if r.k.lang.Code() != "en" {
		t.Fatalf("after sign-out the kiosk speaks %s", r.k.lang.Code())
	}
	mustHave(t, r.c, "Welcome")

	// A language chosen at the screen before signing in is the person's own choice: it stays.
	chooseLanguage(t, r, "Français")
	r.signIn(t, s.Participant, s.PIN)
	if r.k.lang.Code() != "fr" {
		t.Fatalf("the French the person chose gave way to %s", r.k.lang.Code())
	}
	r.k.quickExit()
	if r.k.lang.Code() != "en" {
		t.Fatalf("after Quick Exit the kiosk speaks %s", r.k.lang.Code())
	}

	// Someone with no preference, or one the kiosk does not ship, keeps the kiosk's language.
	o := r.s["custodial"]
	r.k.show(scrWelcome)
	r.signIn(t, o.Participant, o.PIN)
	if r.k.lang.Code() != "en" {
		t.Fatalf("a person without a preference got %s", r.k.lang.Code())
	}
}

func TestUnshippedPreferenceKeepsTheKiosksLanguage(t *testing.T) {
	env := fresh(t, preferring("noncustodial", "ru")) // Vietnamese was the example until it shipped
	r := newRig(t, env)
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	if r.k.lang.Code() != "en" {
		t.Fatalf("a preference for ru gave %s", r.k.lang.Code())
	}
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
}

// A parent whose file says Vietnamese, Korean or Chinese gets it at sign-in, in its own font.
func TestSignInSpeaksAThresholdLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, home, font string }{
		{"vi", "Trang chính", ""}, {"ko", "홈", "NanumGothic.ttf"}, {"zh-Hant", "首頁", "bsmi00lp.ttf"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			r := newRig(t, fresh(t, preferring("noncustodial", tc.lang)))
			t.Cleanup(func() { useFontOf("en") })
			s := r.s["noncustodial"]
			r.signIn(t, s.Participant, s.PIN)
			if r.k.lang.Code() != tc.lang {
				t.Fatalf("a preference for %s gave %s", tc.lang, r.k.lang.Code())
			}
			mustHave(t, r.c, tc.home)
			font := fyne.CurrentApp().Settings().Theme().Font(fyne.TextStyle{}).Name()
			if tc.font != "" && font != tc.font {
				t.Errorf("%s drawn in %s", tc.lang, font)
			}
		})
	}
}

// script writes s's ASCII digits in the digits of another script.
func script(s string, zero rune) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return zero + r - '0'
		}
		return r
	}, s)
}

// typeText types s on a keyboard, character by character.
func (r *rig) typeText(s string) {
	for _, ch := range s {
		test.TypeOnCanvas(r.c, string(ch))
	}
}

// A keyboard set to another script types full-width or Arabic-Indic digits: they count as the
// keypad's. Letters are refused with a word rather than dropped.
func TestKeyboardDigitsOfOtherScripts(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	for _, zero := range []rune{'０', '٠', '۰', '०'} {
		r.k.signOut(scrWelcome, "")
		r.typeText(script(s.Participant, zero))
		r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		r.typeText(script(s.PIN, zero))
		if r.k.signin.id != s.Participant || r.k.signin.pin != s.PIN {
			t.Fatalf("%c: typed %q / %d digits", zero, r.k.signin.id, len(r.k.signin.pin))
		}
		r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		r.k.bridge.wait()
		mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
	}
	r.k.signOut(scrWelcome, "")

	// Dashes and spaces between the groups of an SSN are fine; a letter is not, and says so.
	r.typeText("123-45 6")
	if r.k.signin.id != "123456" {
		t.Fatalf("the ID is %q", r.k.signin.id)
	}
	mustNotHave(t, r.c, r.tr("ui.signin.id_digits_only"))
	r.typeText("x")
	mustHave(t, r.c, r.tr("ui.signin.id_digits_only"))
	if r.k.signin.id != "123456" {
		t.Fatalf("the letter went into the ID: %q", r.k.signin.id)
	}
	r.typeText("7")
	mustNotHave(t, r.c, r.tr("ui.signin.id_digits_only"))
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.typeText("1a")
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrPINDigits))
	if r.k.signin.pin != "1" {
		t.Fatalf("the PIN holds %d characters", len(r.k.signin.pin))
	}
}

// The new-PIN screen takes keyboard digits of other scripts too, and refuses letters with a
// word.
func TestNewPINTakesOtherScriptsAndRefusesLetters(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	s := r.s["both"]
	r.signIn(t, s.Participant, s.PIN)
	mustHave(t, r.c, r.tr("ui.pin.choose_title"))
	r.typeText("7b")
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrPINDigits))
	if r.k.person.pin.first != "7" {
		t.Fatalf("the new PIN holds %q", r.k.person.pin.first)
	}
	r.typeText(script("39164", '٠') + script("739164", '０'))
	if r.k.person.pin.first != "739164" || r.k.person.pin.second != "739164" {
		t.Fatalf("typed %q and %q", r.k.person.pin.first, r.k.person.pin.second)
	}
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.pin.changed"))
}

// Every problem a screen can show renders whole in every language: the PIN length's showed
// as "Your PIN must have exactly {n} digits."
func TestEveryProblemRendersWhole(t *testing.T) {
	r := newRig(t, shared(t))
	for _, code := range r.env.Profile.Languages {
		r.k.setLanguage(code)
		for _, key := range r.k.o.Catalog.Keys() {
			if p, ok := strings.CutPrefix(key, "problem."); ok {
				if got := r.k.problem(domain.Problem(p)); strings.ContainsAny(got, "{}") {
					t.Errorf("%s: %s shows as %q", code, key, got)
				}
			}
		}
		for _, p := range []error{errNeedID, errNeedPIN, errNeedIDForgot, errIDDigits} {
			if got := r.k.problem(p); strings.ContainsAny(got, "{}⟦") {
				t.Errorf("%s: %v shows as %q", code, p, got)
			}
		}
	}
}

// The new-PIN screen's messages are shown with their values, and near the field, where a
// person sees them without scrolling, in every language on a 1280×800 kiosk, ordinary or large
// text.
func TestNewPINMessagesWholeAndInView(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	r.w.Resize(fyne.NewSize(1280, 800))
	s := r.s["both"]
	r.signIn(t, s.Participant, s.PIN)
	save := func(a, b string) {
		r.k.person.pin = pinState{field: 1}
		r.k.render()
		for _, d := range a + b {
			r.press(t, d)
		}
		tap(t, r.c, r.tr("ui.pin.save"))
		r.k.bridge.wait()
	}
	for _, large := range []bool{false, true} {
		r.k.setLarge(large)
		for _, code := range r.env.Profile.Languages {
			r.k.setLanguage(code)
			for _, tc := range []struct {
				a, b string
				want domain.Problem
			}{
				{"12345", "", domain.ErrPINLength},
				{"123456", "123456", domain.ErrPINWeak},
				{"739164", "739146", domain.ErrPINMismatch},
			} {
				save(tc.a, tc.b)
				msg := r.k.lang.Problem(tc.want, "n", itoa(r.env.Profile.PINLength))
				if tc.want == domain.ErrPINLength && !strings.Contains(msg, itoa(r.env.Profile.PINLength)) {
					t.Fatalf("%s: %q does not say the length", code, msg)
				}
				label := labelWith(r.c, msg)
				if label == nil {
					t.Fatalf("large %v, %s: %q not on screen; texts %q", large, code, msg, texts(r.c))
				}
				for _, x := range texts(r.c) {
					if strings.ContainsAny(x, "{}") {
						t.Errorf("large %v, %s: %q on screen", large, code, x)
					}
				}
				view := scrollAround(r.c, label, container.ScrollVerticalOnly)
				if view == nil {
					t.Fatalf("the message is in no scroll")
				}
				if gap := room(label, view); gap < 0 {
					t.Errorf("large %v, %s: %q ends %.0f px below the screen", large, code, msg, -gap)
				}
			}
		}
	}
	r.k.setLarge(false)
}

// labelWith is the label on the canvas whose text is s.
func labelWith(c fyne.Canvas, s string) *widget.Label {
	var found *widget.Label
	walk(c, func(o fyne.CanvasObject, visible bool) {
		if l, ok := o.(*widget.Label); ok && visible && l.Text == s && found == nil {
			found = l
		}
	})
	return found
}
