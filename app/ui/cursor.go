package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// A touch screen needs no mouse pointer, and one left in the middle of the screen covers what
// people read. Fyne asks each object under the pointer for its cursor (desktop.Cursorable),
// the window first and the innermost last, and the last answer wins: a button answers the
// default arrow. So the pointer is hidden by a transparent layer over each screen that answers
// desktop.HiddenCursor; it takes no taps, which go through to the buttons beneath.

// hiddenCursorWindow is a window whose every content is covered by the hiding layer.
type hiddenCursorWindow struct {
	fyne.Window
	layer *cursorHider
}

// hideCursor returns w with the pointer hidden over whatever it shows.
func hideCursor(w fyne.Window) fyne.Window {
	return hiddenCursorWindow{Window: w, layer: newCursorHider()}
}

func (w hiddenCursorWindow) SetContent(content fyne.CanvasObject) {
	w.Window.SetContent(container.NewStack(content, w.layer))
}

// cursorHider is an empty widget that answers the hidden cursor and nothing else.
type cursorHider struct{ widget.BaseWidget }

func newCursorHider() *cursorHider {
	h := &cursorHider{}
	h.ExtendBaseWidget(h)
	return h
}

// Cursor implements desktop.Cursorable.
func (h *cursorHider) Cursor() desktop.Cursor { return desktop.HiddenCursor }

func (h *cursorHider) CreateRenderer() fyne.WidgetRenderer { return emptyRenderer{} }

// emptyRenderer draws nothing.
type emptyRenderer struct{}

func (emptyRenderer) Layout(fyne.Size)             {}
func (emptyRenderer) MinSize() fyne.Size           { return fyne.Size{} }
func (emptyRenderer) Refresh()                     {}
func (emptyRenderer) Objects() []fyne.CanvasObject { return nil }
func (emptyRenderer) Destroy()                     {}
