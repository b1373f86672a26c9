package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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
	walk(c, func(o fyne.CanvasObject, _ bool) {
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
	})
	return out
}

// tap taps the visible button whose text is exactly label.
func tap(t testing.TB, c fyne.Canvas, label string) {
	t.Helper()
	var found *widget.Button
	walk(c, func(o fyne.CanvasObject, visible bool) {
		if b, ok := o.(*widget.Button); ok && visible && b.Text == label && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q on screen; texts: %q", label, texts(c))
	}
	if found.Disabled() {
		t.Fatalf("button %q is disabled", label)
	}
	test.Tap(found)
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
