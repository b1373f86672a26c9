package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/session"
)

// myDetailsScreen shows who is signed in and takes requests to change the address, phone or
// e-mail the office has; the office makes the change, so a request shows as pending.
func (k *Kiosk) myDetailsScreen() fyne.CanvasObject {
	f := &k.person.form
	p := k.sess.Participant()
	id := domain.MaskID(p.ID)
	if f.showID {
		id = p.ID
	}
	showKey := "ui.signin.show_id"
	if f.showID {
		showKey = "ui.signin.hide_id"
	}
	box := container.NewVBox(heading(k.t("ui.details.title")),
		pair(k.t("ui.details.name"), p.Name),
		container.NewBorder(nil, nil, nil, k.btn(showKey, func() { k.person.form.showID = !k.person.form.showID; k.render() }),
			pair(k.t(k.prof.ParticipantID.NameKey), id)))
	if pending := k.sess.PendingContactChanges(); len(pending) > 0 {
		box.Add(subheading(k.t("ui.details.pending_title")))
		for _, c := range pending {
			box.Add(text(k.t("ui.details.pending", "what", k.t(fieldKey(c.Field)), "value", c.Value,
				"date", k.lang.LongDate(domain.DateOf(k.local(c.At))))))
		}
	}
	if f.sent != "" {
		box.Add(noteText(k.t(f.sent)))
	}
	box.Add(subheading(k.t("ui.details.change_title")))
	box.Add(text(k.t("ui.details.change_explain")))
	if f.choice == "" {
		f.choice = session.FieldAddress
	}
	choices := container.NewHBox()
	for _, name := range []string{session.FieldAddress, session.FieldPhone, session.FieldEmail} {
		name := name
		b := k.btn(fieldKey(name), func() { k.person.form.choice = name; k.person.form.field = "value"; k.render() })
		if name == f.choice {
			b.Importance = widget.HighImportance
		}
		choices.Add(b)
	}
	box.Add(choices)
	f.field = "value"
	box.Add(k.textField("value", k.t(fieldKey(f.choice))))
	send := k.btn("ui.details.send", func() {
		if err := k.sess.RequestContactChange(k.person.form.choice, k.person.form.value("value")); err != nil {
			k.person.form.problem = err
		} else {
			k.person.form = formState{sent: "ui.details.sent"}
		}
		k.render()
	})
	send.Importance = widget.HighImportance
	box.Add(k.keyboard(k.formKey, k.formProblem(), container.NewHBox(send)))
	return box
}

func fieldKey(field string) string {
	switch field {
	case session.FieldPhone:
		return "ui.details.phone"
	case session.FieldEmail:
		return "ui.details.email"
	}
	return "ui.details.address"
}
