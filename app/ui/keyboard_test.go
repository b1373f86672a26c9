package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// Shift makes the next letter a capital, twice it stays on; the signs key puts signs where the
// accents were; a question mark is one tap.
func TestKeyboardShiftSignsAccents(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	r.k.show(scrMessages)
	tap(t, r.c, r.tr("ui.messages.write"))
	shift := r.tr("ui.key.shift")
	for _, k := range []string{shift, "W", "h", "e", "n", " ", "i", "s", "?"} {
		if k == " " {
			k = r.tr("ui.key.space")
		}
		tap(t, r.c, k)
	}
	tap(t, r.c, shift)
	tap(t, r.c, shift) // CAPITALS
	tap(t, r.c, "A")
	tap(t, r.c, "1") // a digit keeps Shift on
	tap(t, r.c, "B")
	tap(t, r.c, r.tr("ui.key.caps"))
	tap(t, r.c, r.tr("ui.key.signs"))
	tap(t, r.c, "#")
	tap(t, r.c, r.tr("ui.key.accents"))
	tap(t, r.c, "ñ")
	tap(t, r.c, "é")
	if got, want := r.k.person.form.value("body"), "When is?A1B#ñé"; got != want {
		t.Fatalf("typed %q, want %q", got, want)
	}
	tap(t, r.c, r.tr("ui.messages.send"))
	ms, err := r.k.sess.Messages()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Body != "When is?A1B#ñé" {
		t.Fatalf("the message sent is not what was typed: %+v", ms)
	}
}

// Every keyboard is whole on a 1280×800 screen, below the page and outside its scroll, in every
// language and text size; the field it types into and the form's button stand in sight.
func TestKeyboardDockedWhole(t *testing.T) {
	r := newRig(t, shared(t))
	r.w.Resize(fyne.NewSize(1280, 800))
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	forms := []struct {
		screen, open, send string
	}{
		{scrMessages, "ui.messages.write", "ui.messages.send"},
		{scrOtherParty, "", "ui.other.send"},
		{scrDetails, "", "ui.details.send"},
	}
	for _, large := range []bool{false, true} {
		r.k.setLarge(large)
		for _, l := range []string{"en", "es", "fr"} {
			r.k.setLanguage(l)
			for _, f := range forms {
				what := fmt.Sprintf("%s, %s, large %v", f.screen, l, large)
				r.k.show(f.screen)
				if f.open != "" {
					tap(t, r.c, r.tr(f.open))
				}
				for _, k := range []string{"q", "p", "z", "@", r.tr("ui.key.space"), r.tr("ui.key.back"), r.tr("ui.key.shift")} {
					b := button(r.c, k)
					if b == nil {
						t.Fatalf("%s: no key %q", what, k)
					}
					if scrollAround(r.c, b, container.ScrollVerticalOnly) != nil {
						t.Fatalf("%s: the key %q scrolls with the page", what, k)
					}
					if gap := room(b, r.c.Content()); gap < 0 {
						t.Errorf("%s: the key %q ends %.0f px below the screen", what, k, -gap)
					}
				}
				send := button(r.c, r.tr(f.send))
				if send == nil || scrollAround(r.c, send, container.ScrollVerticalOnly) != nil || room(send, r.c.Content()) < 0 {
					t.Errorf("%s: the form's button is not docked in sight", what)
				}
				// Typing a long text keeps the field's end in sight.
				for i := 0; i < 40; i++ {
					tap(t, r.c, "w")
				}
				view := scrollAround(r.c, r.k.focus, container.ScrollVerticalOnly)
				if view == nil {
					t.Fatalf("%s: the field typed into is in no scroll", what)
				}
				if gap := room(r.k.focus, view); gap < -1 {
					t.Errorf("%s: the field typed into ends %.0f px below its view", what, -gap)
				}
			}
		}
	}
}
