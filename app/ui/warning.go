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
	}
}

func (w *warning) hide() {
	w.shown = false
	w.layer.Hide()
}
