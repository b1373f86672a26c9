package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// inlineLanguages is how many languages the header offers as a row of buttons; a profile with
// more offers one button, with a globe and the language in use, that opens the chooser.
var inlineLanguages = 3 // a variable for the tests: the shipped profiles offer 3 to 8

// languageControls are the header's way to another language: a button for each when the
// profile offers few, the chooser's button otherwise.
func (k *Kiosk) languageControls() []fyne.CanvasObject {
	if len(k.prof.Languages) <= inlineLanguages {
		return k.languageButtons()
	}
	b := widget.NewButtonWithIcon(k.t("language.name"), globeIcon, func() {
		k.touch()
		k.choosing = true
		k.render()
	})
	b.Importance = widget.HighImportance
	return []fyne.CanvasObject{b}
}

// chooserLayer covers the screen with every language of the profile, each named in itself,
// two to a row; a tap outside closes it, and so does a choice.
func (k *Kiosk) chooserLayer() fyne.CanvasObject {
	grid := container.NewGridWithColumns(2)
	for _, code := range k.prof.Languages {
		code := code
		b := k.button(k.o.Catalog.Lang(code).T("language.name"), func() {
			k.choosing = false
			k.setLanguage(code)
		})
		if code == k.lang.Code() {
			b.Importance = widget.HighImportance
		}
		grid.Add(sized(280, 64, b))
	}
	close := k.btn("ui.language.close", func() { k.choosing = false; k.render() })
	panel := container.NewVBox(heading(k.t("ui.language.choose")), grid, container.NewHBox(sized(200, 56, close)))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	bg.CornerRadius = 12
	outside := widget.NewButton("", func() { k.choosing = false; k.render() })
	outside.Importance = widget.LowImportance
	dim := canvas.NewRectangle(color.NRGBA{A: 0xa0})
	return container.NewStack(outside, dim, container.NewCenter(
		container.NewStack(bg, container.NewPadded(container.NewPadded(panel)))))
}

// globeIcon marks the language chooser in every script: a globe of meridians and parallels.
var globeIcon = theme.NewThemedResource(fyne.NewStaticResource("globe.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#000000" stroke-width="1.8">`+
		`<circle cx="12" cy="12" r="9.5"/><ellipse cx="12" cy="12" rx="4.2" ry="9.5"/>`+
		`<path d="M2.5 12h19M4.2 7h15.6M4.2 17h15.6"/></svg>`)))
