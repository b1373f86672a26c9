package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// touchScroll is a scrolling area a finger can drag. Fyne's scroll container follows the
// mouse wheel and its scroll bar on the desktop driver, and a drag nowhere: a kiosk has no
// wheel, and an 8-16 px bar is no target for a finger. The drag goes to the deepest draggable
// object under the finger; buttons and labels are not draggable, so a drag that starts on
// one scrolls the area, and a press that does not move is still a tap.
type touchScroll struct {
	widget.BaseWidget
	scroll     *container.Scroll
	horizontal bool
}

func newTouchScroll(content fyne.CanvasObject, horizontal bool) *touchScroll {
	t := &touchScroll{horizontal: horizontal}
	if horizontal {
		t.scroll = container.NewHScroll(content)
	} else {
		t.scroll = container.NewVScroll(content)
	}
	t.ExtendBaseWidget(t)
	return t
}

// newVScroll is a vertical touchScroll; newHScroll a horizontal one.
func newVScroll(content fyne.CanvasObject) *touchScroll { return newTouchScroll(content, false) }
func newHScroll(content fyne.CanvasObject) *touchScroll { return newTouchScroll(content, true) }

// CreateRenderer draws the scroll container itself.
func (t *touchScroll) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(t.scroll)
}

// Dragged moves the content with the finger: a drag upwards shows what lies below.
func (t *touchScroll) Dragged(e *fyne.DragEvent) {
	off := t.scroll.Offset
	if t.horizontal {
		off.X -= e.Dragged.DX
	} else {
		off.Y -= e.Dragged.DY
	}
	t.scroll.ScrollToOffset(clampOffset(off, t.scroll.Size(), t.scroll.Content.MinSize()))
}

// DragEnd ends a drag; the content stays where the finger left it.
func (t *touchScroll) DragEnd() {}

// Offset is how far the content is scrolled.
func (t *touchScroll) Offset() fyne.Position { return t.scroll.Offset }

// setOffset scrolls to off, within the content.
func (t *touchScroll) setOffset(off fyne.Position) {
	t.scroll.Offset = clampOffset(off, t.scroll.Size(), t.scroll.Content.MinSize())
	t.scroll.Refresh()
}

func clampOffset(off fyne.Position, size, content fyne.Size) fyne.Position {
	clamp := func(v, outer, inner float32) float32 {
		if v > inner-outer {
			v = inner - outer
		}
		if v < 0 {
			v = 0
		}
		return v
	}
	return fyne.NewPos(clamp(off.X, size.Width, content.Width), clamp(off.Y, size.Height, content.Height))
}

// place is where a screen's body was scrolled to. A screen drawn anew (a tap that changes
// something on it, a language or text-size switch, a message) keeps the place, so the page
// does not jump back to its top under the person's finger; going to a screen, or a new
// person, starts at the top.
type place struct {
	screen string
	gen    int // the kiosk's sign-out generation
	body   *touchScroll
}

// reveal scrolls the screen's body, the least it can, so that the field the docked keyboard
// types into is in sight whole (its end first, where the letters appear).
func (k *Kiosk) reveal() {
	if k.dock == nil || k.focus == nil || k.place.body == nil {
		return
	}
	body := k.place.body
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(k.focus).Y - d.AbsolutePositionForObject(body).Y
	bottom, view := top+k.focus.Size().Height, body.Size().Height
	off := body.Offset()
	switch {
	case bottom > view:
		off.Y += min(bottom-view, top) // the field's end in sight, its top not above the view
	case top < 0:
		off.Y += top
	default:
		return
	}
	body.setOffset(off)
}

// keep returns body scrolled to where the last body of the same screen was, and remembers it.
func (p *place) keep(k *Kiosk, body *touchScroll) *touchScroll {
	if p.body != nil && p.screen == k.screen && p.gen == k.gen {
		body.scroll.Offset = p.body.Offset() // within the content once it is laid out
	}
	*p = place{screen: k.screen, gen: k.gen, body: body}
	return body
}
