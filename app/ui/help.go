package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// faq are the questions people ask most at the front desk, with their answers.
var faq = []struct{ q, a string }{
	{"ui.faq.pin_q", "ui.faq.pin_a"},
	{"ui.faq.locked_q", "ui.faq.locked_a"},
	{"ui.faq.held_q", "ui.faq.held_a"},
	{"ui.faq.safe_q", "ui.faq.safe_a"},
	{"ui.faq.print_q", "ui.faq.print_a"},
}

// helpScreen has the tutorial videos as QR codes, answers to common questions and the phone
// numbers, including the National Domestic Violence Hotline. It is open signed in or not.
func (k *Kiosk) helpScreen() fyne.CanvasObject {
	c := k.prof.Contacts
	box := container.NewVBox()
	if !k.signedIn() {
		box.Add(container.NewHBox(k.btn("ui.detail.back", func() { k.show(scrWelcome) })))
	}
	box.Add(heading(k.t("ui.help.title")))
	if len(k.prof.Videos) > 0 {
		box.Add(subheading(k.t("ui.help.videos")))
		box.Add(text(k.t("ui.help.videos_explain")))
		grid := container.NewGridWithColumns(3)
		for _, v := range k.prof.Videos {
			grid.Add(qr(v.URL, k.t(v.TitleKey)))
		}
		box.Add(grid)
	}
	box.Add(subheading(k.t("ui.help.faq")))
	for _, f := range faq {
		box.Add(card(boldLabel(k.t(f.q)), text(k.t(f.a))))
	}
	phones := []fyne.CanvasObject{subheading(k.t("ui.help.phones")),
		pair(k.t("ui.help.phone"), c.Phone)}
	if c.TTY != "" {
		phones = append(phones, pair(k.t("ui.help.tty"), c.TTY))
	}
	if c.InfoLine != "" {
		phones = append(phones, pair(k.t("ui.help.info_line"), c.InfoLine))
	}
	if c.HoursKey != "" {
		phones = append(phones, text(k.t(c.HoursKey)))
	}
	box.Add(card(phones...))
	if c.DVHotline != "" {
		dv := []fyne.CanvasObject{subheading(k.t("ui.help.dv_title")), text(k.t("ui.help.dv_explain")),
			pair(k.t("ui.help.phone"), c.DVHotline)}
		if c.DVHotlineTTY != "" {
			dv = append(dv, pair(k.t("ui.help.tty"), c.DVHotlineTTY))
		}
		box.Add(card(dv...))
	}
	return box
}
