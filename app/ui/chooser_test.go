package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// chooseLanguage switches to the language named name as a person would: its button in the
// header, or the chooser's.
func chooseLanguage(t testing.TB, r *rig, name string) {
	t.Helper()
	if len(r.k.prof.Languages) > inlineLanguages && !r.k.choosing {
		var globe *widget.Button
		walk(r.c, func(o fyne.CanvasObject, visible bool) {
			if b, ok := o.(*widget.Button); ok && visible && b.Icon == globeIcon && globe == nil {
				globe = b
			}
		})
		if globe == nil {
			t.Fatal("no language chooser in the header")
		}
		test.Tap(globe)
	}
	tap(t, r.c, name)
}

// With more languages than the header holds, one button with a globe and the language in use
// opens the chooser; a choice switches at once and closes it; the idle warning stands above it;
// the chooser is whole on screen in large text; sign-out closes it.
func TestLanguageChooser(t *testing.T) {
	old := inlineLanguages
	inlineLanguages = 1
	t.Cleanup(func() { inlineLanguages = old })
	r := newRig(t, shared(t))
	r.w.Resize(fyne.NewSize(1280, 800))
	for _, large := range []bool{false, true} {
		r.k.setLarge(large)
		mustNotHave(t, r.c, "Español") // not in the header
		chooseLanguage(t, r, "Español")
		if r.k.lang.Code() != "es" || r.k.choosing {
			t.Fatalf("large %v: the choice did not switch to Spanish and close the chooser (%s, open %v)", large, r.k.lang.Code(), r.k.choosing)
		}
		mustHave(t, r.c, "Bienvenido")
		chooseLanguage(t, r, "English")
		if r.k.lang.Code() != "en" {
			t.Fatalf("large %v: English was not chosen back", large)
		}
	}
	r.k.setLarge(true)
	r.k.choosing = true
	r.k.render()
	for _, name := range []string{"English", "Español", "Français"} {
		b := button(r.c, name)
		if b == nil {
			t.Fatalf("the chooser lacks %s", name)
		}
		if gap := room(b, r.c.Content()); gap < 0 {
			t.Errorf("%s ends %.0f px below the screen in large text", name, -gap)
		}
		if b.Size().Height < 48 || b.Size().Width < 48 {
			t.Errorf("%s is %v: smaller than a finger", name, b.Size())
		}
	}
	// The idle warning is drawn above the chooser.
	if objs := r.k.warn.root.Objects; objs[len(objs)-1] != r.k.warn.layer {
		t.Fatal("the idle warning is not the top layer over the chooser")
	}
	// Close closes it and changes nothing.
	tap(t, r.c, r.tr("ui.language.close"))
	if r.k.choosing || r.k.lang.Code() != "en" {
		t.Fatal("Close did not close the chooser, or changed the language")
	}
	// Signed in, the chooser is in the header too, and sign-out closes it.
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	r.k.choosing = true
	r.k.render()
	tap(t, r.c, r.tr("ui.sign_out"))
	if r.k.choosing {
		t.Fatal("the chooser stayed open after sign-out")
	}
}
