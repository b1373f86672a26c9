package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// otherPartyScreen names the other parent of each case and lets the person tell the office
// where the other parent works or lives. The screen does not exist when any of the person's
// cases carries the family-violence indicator.
func (k *Kiosk) otherPartyScreen() fyne.CanvasObject {
	if !k.sess.ShowOtherParty() {
		k.screen = scrHome
		return k.homeScreen()
	}
	f := &k.person.form
	box := container.NewVBox(heading(k.t("ui.other.title")))
	cases, _ := k.sess.Cases()
	choices := container.NewHBox()
	for _, c := range cases {
		if !c.ShowOtherParty() {
			continue
		}
		box.Add(pair(k.t("ui.case.number", "number", c.Number), c.OtherParty))
		if f.choice == "" {
			f.choice = c.Number
		}
		number := c.Number
		b := k.button(number, func() { k.person.form.choice = number; k.render() })
		if number == f.choice {
			b.Importance = widget.HighImportance
		}
		choices.Add(b)
	}
	if f.sent != "" {
		box.Add(noteText(k.t(f.sent)))
	}
	box.Add(subheading(k.t("ui.other.tell_us")))
	box.Add(text(k.t("ui.other.explain")))
	box.Add(container.NewHBox(boldLabel(k.t("ui.other.which_case")), choices))
	if f.field == "" {
		f.field = "employer"
	}
	box.Add(k.textField("employer", k.t("ui.other.employer")))
	box.Add(k.textField("address", k.t("ui.other.address")))
	send := k.btn("ui.other.send", func() {
		err := k.sess.SendOtherPartyInfo(k.person.form.choice, k.person.form.value("employer"), k.person.form.value("address"))
		if err != nil {
			k.person.form.problem = err
		} else {
			k.person.form = formState{sent: "ui.other.sent"}
		}
		k.render()
	})
	send.Importance = widget.HighImportance
	box.Add(k.keyboard(k.formKey, k.formProblem(), container.NewHBox(send)))
	return box
}
