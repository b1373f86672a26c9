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
	`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill-rule="evenodd">`+
		`<path d="M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20zm0 1.8a8.2 8.2 0 1 1 0 16.4a8.2 8.2 0 1 1 0-16.4z"/>`+
		`<path d="M12 2c-2.8 2.6-4.3 6.2-4.3 10s1.5 7.4 4.3 10c2.8-2.6 4.3-6.2 4.3-10S14.8 4.6 12 2zm0 2.6c1.8 2.1 2.6 4.6 2.6 7.4s-.8 5.3-2.6 7.4c-1.8-2.1-2.6-4.6-2.6-7.4s.8-5.3 2.6-7.4z"/>`+
		`<path d="M2.5 11.1h19v1.8h-19zM4 6.6h16v1.6H4zM4 15.8h16v1.6H4z"/></svg>`)))

// cardIcon marks "Make a payment" (a payment card); lockIcon "Change PIN" (a padlock).
var (
	cardIcon = theme.NewThemedResource(fyne.NewStaticResource("card.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill-rule="evenodd">`+
			`<path d="M4 5h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2zm-.2 6v6.2h16.4V11z"/>`+
			`<path d="M6 14h5v1.6H6z"/></svg>`)))
	lockIcon = theme.NewThemedResource(fyne.NewStaticResource("lock.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill-rule="evenodd">`+
			`<path d="M12 2a5 5 0 0 0-5 5v3H5v12h14V10h-2V7a5 5 0 0 0-5-5zm-3 8V7a3 3 0 0 1 6 0v3z"/></svg>`)))
)
