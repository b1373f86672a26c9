package ui

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// warning is the "Are you still there?" layer over a signed-in screen, with its countdown.
type warning struct {
	layer *fyne.Container
	root  *fyne.Container // the screen's content: the layer over the frame
	count *widget.Label
	shown bool
}

func (k *Kiosk) newWarning() *warning {
	w := &warning{count: heading("")}
	stay := k.btn("ui.idle.stay", func() {})
	stay.Importance = widget.HighImportance
	leave := k.btn("ui.sign_out", func() { k.signOut(scrWelcome, "ui.signin.signed_out") })
	dim := canvas.NewRectangle(color.NRGBA{A: 0xc0})
	// A tap anywhere outside the box also means "still here".
	anywhere := widget.NewButton("", k.touch)
	box := card(heading(k.t("ui.idle.question")), w.count, text(k.t("ui.idle.explain")),
		container.NewGridWithColumns(2, sized(0, 64, stay), sized(0, 64, leave)))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	w.layer = container.NewStack(anywhere, dim, container.NewCenter(container.NewStack(bg, box)))
	w.layer.Hide()
	return w
}

func (k *Kiosk) showWarning(left time.Duration) {
	if k.warn == nil {
		return
	}
	secs := int(math.Ceil(left.Seconds()))
	k.warn.count.SetText(k.t("ui.idle.countdown", "seconds", fmt.Sprint(secs)))
	if !k.warn.shown {
		k.warn.shown = true
		k.warn.layer.Show()
		k.warn.repaint()
	}
}

func (w *warning) hide() {
	if !w.layer.Hidden {
		w.layer.Hide()
		w.repaint()
	}
	w.shown = false
}

// repaint refreshes the whole content after the layer is shown or hidden. Under the desktop
// (GL) driver of Fyne 2.8, a container hidden when the window's content was set and shown
// later is never painted, nor does refreshing the container itself paint it: only a refresh
// of the content above it does (seen on a virtual display; the headless test driver draws
// it either way, which is how the warning passed every test and was never seen).
func (w *warning) repaint() {
	if w.root != nil {
		w.root.Refresh()
	}
}
