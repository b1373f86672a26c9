package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// mainScroll is the screen's body: the first vertical touchScroll wider than the menu.
func mainScroll(t *testing.T, c fyne.Canvas) *touchScroll {
	t.Helper()
	var found *touchScroll
	walk(c, func(o fyne.CanvasObject, visible bool) {
		if s, ok := o.(*touchScroll); ok && visible && !s.horizontal && s.Size().Width > 400 && found == nil {
			found = s
		}
	})
	if found == nil {
		t.Fatal("no scrolling body on screen")
	}
	return found
}

// TestFingerDragScrollsThePayments: a drag that starts on the payments list (on its rows,
// which are buttons) moves the list with the finger, and no further than its end.
func TestFingerDragScrollsThePayments(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	r.k.show(scrPayments)
	body := mainScroll(t, r.c)
	if body.scroll.Content.MinSize().Height <= body.Size().Height {
		t.Fatal("the payments screen fits without scrolling: nothing to drag")
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(body).Add(fyne.NewPos(body.Size().Width/2, body.Size().Height*3/4))
	test.Drag(r.c, at, 0, -300)
	if y := body.Offset().Y; y < 299 || y > 301 {
		t.Fatalf("a 300 px drag upwards scrolled %.0f px", y)
	}
	test.Drag(r.c, at, 0, 100)
	if y := body.Offset().Y; y < 199 || y > 201 {
		t.Fatalf("a 100 px drag back left the list at %.0f px, want 200", y)
	}
	test.Drag(r.c, at, 0, -1e6)
	if end := body.scroll.Content.MinSize().Height - body.Size().Height; body.Offset().Y > end+0.5 {
		t.Fatalf("dragged past the end: %.0f of %.0f", body.Offset().Y, end)
	}
	test.Drag(r.c, at, 0, 1e6)
	if body.Offset().Y != 0 {
		t.Fatalf("dragged above the top: %.0f", body.Offset().Y)
	}
}

// TestPlaceKeptAcrossRenders: the page keeps its place when the screen is drawn anew (here a
// language switch) and starts at the top when the person goes to a screen.
func TestPlaceKeptAcrossRenders(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	r.k.show(scrPayments)
	body := mainScroll(t, r.c)
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(body).Add(fyne.NewPos(body.Size().Width/2, body.Size().Height*3/4))
	test.Drag(r.c, at, 0, -250)
	if body.Offset().Y < 249 {
		t.Fatalf("the drag scrolled %.0f px", body.Offset().Y)
	}
	r.k.setLanguage("es")
	if again := mainScroll(t, r.c); again == body || again.Offset().Y < 200 {
		t.Fatalf("after a language switch the page is at %.0f px, was 250", again.Offset().Y)
	}
	r.k.show(scrHome)
	r.k.show(scrPayments)
	if y := mainScroll(t, r.c).Offset().Y; y != 0 {
		t.Fatalf("going to Payments again starts at %.0f px, not the top", y)
	}
}
