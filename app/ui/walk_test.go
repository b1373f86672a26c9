package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// walk visits every object of the window's canvas, through containers, widget renderers and
// overlays, hidden or not.
func walk(c fyne.Canvas, visit func(o fyne.CanvasObject, visible bool)) {
	var rec func(o fyne.CanvasObject, visible bool)
	rec = func(o fyne.CanvasObject, visible bool) {
		if o == nil {
			return
		}
		visible = visible && o.Visible()
		visit(o, visible)
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				rec(c, visible)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				rec(c, visible)
			}
		}
	}
	rec(c.Content(), true)
	for _, o := range c.Overlays().List() {
		rec(o, true)
	}
}

// texts returns every piece of text the canvas holds, shown or hidden.
func texts(c fyne.Canvas) []string {
	var out []string
	walk(c, func(o fyne.CanvasObject, _ bool) { out = appendText(out, o) })
	return out
}

// objectTexts returns every piece of text under o, through the widgets' renderers.
func objectTexts(o fyne.CanvasObject) []string {
	var out []string
	walkObject(o, func(o fyne.CanvasObject) { out = appendText(out, o) })
	return out
}

// appendText appends the text o holds, if any.
func appendText(out []string, o fyne.CanvasObject) []string {
	{
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *widget.Button:
			out = append(out, v.Text)
		case *widget.Entry:
			out = append(out, v.Text, v.PlaceHolder)
		case *widget.RichText:
			out = append(out, v.String())
		case *canvas.Text:
			out = append(out, v.Text)
		case *canvas.Image:
			if v.Resource != nil {
				out = append(out, v.Resource.Name())
			}
		}
	}
	return out
}

// tap taps the visible button whose text is exactly label.
func tap(t testing.TB, c fyne.Canvas, label string) {
	t.Helper()
	found := button(c, label)
	if found == nil {
		t.Fatalf("no button %q on screen; texts: %q", label, texts(c))
	}
	if found.Disabled() {
		t.Fatalf("button %q is disabled", label)
	}
	test.Tap(found)
}

// button is the visible button with the text label, or nil.
func button(c fyne.Canvas, label string) *widget.Button {
	var found *widget.Button
	walk(c, func(o fyne.CanvasObject, visible bool) {
		if b, ok := o.(*widget.Button); ok && visible && b.Text == label && found == nil {
			found = b
		}
	})
	return found
}

// has reports whether some text on the canvas contains s.
func has(c fyne.Canvas, s string) bool {
	for _, x := range texts(c) {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

func mustHave(t testing.TB, c fyne.Canvas, s string) {
	t.Helper()
	if !has(c, s) {
		t.Fatalf("%q not on screen; texts: %q", s, texts(c))
	}
}

func mustNotHave(t testing.TB, c fyne.Canvas, s string) {
	t.Helper()
	if has(c, s) {
		t.Fatalf("%q is on screen and must not be", s)
	}
}

// rows are the tappable payment rows on screen, top to bottom: a stack of a text-less button
// and the row's labels.
func rows(c fyne.Canvas) []*widget.Button {
	var out []*widget.Button
	walk(c, func(o fyne.CanvasObject, visible bool) {
		st, ok := o.(*fyne.Container)
		if !ok || !visible || len(st.Objects) != 2 {
			return
		}
		if b, ok := st.Objects[0].(*widget.Button); ok && b.Text == "" {
			if _, ok := st.Objects[1].(*fyne.Container); ok {
				out = append(out, b)
			}
		}
	})
	return out
}

// tapRowWith taps the payment row, or the keypad field, holding every one of the texts: a
// stack of a text-less button under the labels.
func tapRowWith(t testing.TB, c fyne.Canvas, want ...string) {
	t.Helper()
	var found *widget.Button
	walk(c, func(o fyne.CanvasObject, visible bool) {
		st, ok := o.(*fyne.Container)
		if !ok || !visible || len(st.Objects) < 2 || found != nil {
			return
		}
		b, ok := st.Objects[0].(*widget.Button)
		if !ok || b.Text != "" {
			return
		}
		var got []string
		for _, part := range st.Objects[1:] {
			walkObject(part, func(o fyne.CanvasObject) {
				if l, ok := o.(*widget.Label); ok {
					got = append(got, l.Text)
				}
			})
		}
		for _, w := range want {
			if !slices.Contains(got, w) {
				return
			}
		}
		found = b
	})
	if found == nil {
		t.Fatalf("no payment row with %q", want)
	}
	test.Tap(found)
}

// scrollAround is the first scroll on c, of the direction dir, that holds o; nil if none.
func scrollAround(c fyne.Canvas, o fyne.CanvasObject, dir container.ScrollDirection) *container.Scroll {
	var found *container.Scroll
	walk(c, func(x fyne.CanvasObject, _ bool) {
		if s, ok := x.(*container.Scroll); ok && s.Direction == dir && found == nil {
			walkObject(s.Content, func(in fyne.CanvasObject) {
				if in == o {
					found = s
				}
			})
		}
	})
	return found
}

// room is how far the bottom of o lies above the bottom of outer, on screen (negative: below).
func room(o, outer fyne.CanvasObject) float32 {
	d := fyne.CurrentApp().Driver()
	return d.AbsolutePositionForObject(outer).Y + outer.Size().Height -
		(d.AbsolutePositionForObject(o).Y + o.Size().Height)
}

func walkObject(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walkObject(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walkObject(c, visit)
		}
	}
}

func tapFirstRow(t testing.TB, r *rig) {
	t.Helper()
	rs := rows(r.c)
	if len(rs) == 0 {
		t.Fatal("no payment rows")
	}
	test.Tap(rs[0])
}
