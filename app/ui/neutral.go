package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
)

// neutralScreen is what Quick Exit shows: a plain clock with nothing about child support on
// it, for whoever is watching the screen. A touch leads back to the welcome screen.
func (k *Kiosk) neutralScreen() fyne.CanvasObject {
	now := k.local(k.mgr.Now())
	clock := canvas.NewText(k.lang.Time(now), theme.Color(theme.ColorNameForeground))
	clock.TextSize = 96
	clock.Alignment = fyne.TextAlignCenter
	day := widget.NewLabel(k.lang.LongDate(domain.DateOf(now)))
	day.Alignment = fyne.TextAlignCenter
	day.SizeName = theme.SizeNameHeadingText
	hello := widget.NewLabel(k.t("ui.neutral.greeting"))
	hello.Alignment = fyne.TextAlignCenter
	hello.SizeName = theme.SizeNameSubHeadingText
	touch := widget.NewLabel(k.t("ui.neutral.touch"))
	touch.Alignment = fyne.TextAlignCenter
	anywhere := widget.NewButton("", func() { k.show(scrWelcome) })
	anywhere.Importance = widget.LowImportance
	bg := canvas.NewRectangle(color.Transparent)
	langs := container.NewHBox(layout.NewSpacer())
	for _, b := range k.languageButtons() {
		langs.Add(b)
	}
	langs.Add(layout.NewSpacer())
	middle := container.NewVBox(layout.NewSpacer(), clock, day, hello, touch, layout.NewSpacer())
	return container.NewStack(bg, anywhere, container.NewBorder(nil, langs, nil, nil, middle))
}
