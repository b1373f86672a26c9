package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// cursorAt is the cursor Fyne's desktop driver shows at p: it visits the objects under the
// pointer from the window's content inwards, in order, and the last desktop.Cursorable answer
// wins (the default arrow when none answers).
func cursorAt(c fyne.Canvas, p fyne.Position) desktop.Cursor {
	cur := desktop.Cursor(desktop.DefaultCursor)
	var rec func(o fyne.CanvasObject, at fyne.Position)
	rec = func(o fyne.CanvasObject, at fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		pos := at.Add(o.Position())
		if p.X < pos.X || p.Y < pos.Y || p.X >= pos.X+o.Size().Width || p.Y >= pos.Y+o.Size().Height {
			return
		}
		if cu, ok := o.(desktop.Cursorable); ok {
			cur = cu.Cursor()
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, ch := range v.Objects {
				rec(ch, pos)
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(v).Objects() {
				rec(ch, pos)
			}
		}
	}
	rec(c.Content(), fyne.Position{})
	return cur
}

// buttonCentre is where the visible button with the text label sits on the canvas.
func buttonCentre(t *testing.T, c fyne.Canvas, label string) fyne.Position {
	t.Helper()
	found := button(c, label)
	if found == nil {
		t.Fatalf("no button %q", label)
	}
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(found).Add(fyne.NewPos(found.Size().Width/2, found.Size().Height/2))
}

func TestHiddenCursor(t *testing.T) {
	env := shared(t)
	for _, hide := range []bool{false, true} {
		r := newRigWith(t, env, Options{HideCursor: hide})
		k := r.k

		want := desktop.Cursor(desktop.DefaultCursor)
		if hide {
			want = desktop.HiddenCursor
		}
		// Over a keypad key (a button answers the arrow) and over the empty middle.
		if got := cursorAt(r.c, buttonCentre(t, r.c, "5")); got != want {
			t.Errorf("hide=%v: cursor over a key %v, want %v", hide, got, want)
		}
		if got := cursorAt(r.c, fyne.NewPos(640, 450)); got != want {
			t.Errorf("hide=%v: cursor mid-screen %v, want %v", hide, got, want)
		}
		// The layer takes no taps: signing in and out on the keypad works, and the next screen
		// is covered too.
		s := r.s["custodial"]
		r.signIn(t, s.Participant, s.PIN)
		if k.screen != scrHome {
			t.Fatalf("hide=%v: not signed in; texts %q", hide, texts(r.c))
		}
		if got := cursorAt(r.c, buttonCentre(t, r.c, r.tr("ui.sign_out"))); got != want {
			t.Errorf("hide=%v: cursor over Sign out %v, want %v", hide, got, want)
		}
		tap(t, r.c, r.tr("ui.sign_out"))
		if k.screen != scrWelcome {
			t.Fatalf("hide=%v: not signed out", hide)
		}
		k.Stop()
	}
}
