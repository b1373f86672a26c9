package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// documentsScreen lists the notices and orders on file for the person and the agency's forms,
// each form as a QR code to open on a phone.
func (k *Kiosk) documentsScreen() fyne.CanvasObject {
	box := container.NewVBox(heading(k.t("ui.documents.title")), subheading(k.t("ui.documents.on_file")))
	docs, err := k.sess.Documents()
	switch {
	case err != nil:
		box.Add(problemText(k.problem(err)))
	case len(docs) == 0:
		box.Add(text(k.t("ui.documents.none")))
	}
	for _, d := range docs {
		kind := d.Kind
		if key, ok := documentKinds[kind]; ok {
			kind = k.t(key)
		}
		title, translated := d.TitleIn(k.lang.Code())
		if !translated && k.lang.Has(d.Title) { // a title given as a translation key
			title, translated = k.t(d.Title), true
		}
		lines := []fyne.CanvasObject{boldLabel(title)}
		if !translated {
			lines = append(lines, englishOnly(k.t("ui.text.english_only")))
		}
		lines = append(lines, text(kind+" · "+k.lang.LongDate(d.Date)))
		if d.Case != "" {
			lines = append(lines, pair(k.t("ui.detail.case"), d.Case))
		}
		box.Add(card(lines...))
	}
	if len(k.prof.Forms) > 0 {
		box.Add(subheading(k.t("ui.documents.forms")))
		box.Add(text(k.t("ui.documents.forms_explain")))
		grid := container.NewGridWithColumns(3)
		for _, f := range k.prof.Forms {
			grid.Add(qr(f.URL, k.t(f.TitleKey)))
		}
		box.Add(grid)
	}
	return box
}

// englishOnly marks a text the agency gave only in English, on a screen in another language:
// a parent then knows the English is all there is, not a mistake of the screen.
func englishOnly(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Italic = true
	l.Importance = widget.MediumImportance
	return l
}

// documentKinds name the kinds of document on file.
var documentKinds = map[string]string{
	"notice": "ui.documents.kind_notice",
	"order":  "ui.documents.kind_order",
	"form":   "ui.documents.kind_form",
}
