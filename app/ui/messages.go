package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
)

// messagesScreen shows the person's messages with the office and lets them write one; it is
// sent with the next sync.
func (k *Kiosk) messagesScreen() fyne.CanvasObject {
	f := &k.person.form
	box := container.NewVBox(heading(k.t("ui.messages.title")))
	if f.sent != "" {
		box.Add(noteText(k.t(f.sent)))
	}
	if f.open {
		box.Add(text(k.t("ui.messages.write_intro")))
		box.Add(k.textField("body", k.t("ui.messages.body")))
		send := k.btn("ui.messages.send", k.sendMessage)
		send.Importance = widget.HighImportance
		box.Add(k.keyboard(k.formKey, k.formProblem(),
			container.NewHBox(send, k.btn("ui.form.cancel", func() { k.person.form = formState{}; k.render() }))))
		return box
	}
	write := k.btn("ui.messages.write", func() { k.person.form = formState{open: true, field: "body"}; k.render() })
	write.Importance = widget.HighImportance
	box.Add(container.NewHBox(write))
	ms, err := k.sess.Messages()
	if err != nil {
		box.Add(problemText(k.problem(err)))
	}
	if len(ms) == 0 && err == nil {
		box.Add(text(k.t("ui.messages.none")))
	}
	for _, m := range ms {
		box.Add(k.messageCard(m))
	}
	return box
}

func (k *Kiosk) messageCard(m domain.Message) fyne.CanvasObject {
	who := k.t("ui.messages.from_you")
	if m.FromOffice {
		who = k.t("ui.messages.from_office")
	}
	head := who + " · " + k.lang.DateTime(k.local(m.Sent))
	lines := []fyne.CanvasObject{boldLabel(head)}
	if k.sess.Pending(m) {
		lines = append(lines, noteText(k.t("ui.messages.pending")))
	}
	// The office's messages in the session's language where the agency gave it; a parent's
	// own message as they wrote it.
	subject, body, translated := m.TextIn(k.lang.Code())
	if !m.FromOffice {
		subject, body, translated = m.Subject, m.Body, true
	}
	if subject != "" {
		lines = append(lines, subheading(subject))
	}
	if !translated {
		lines = append(lines, englishOnly(k.t("ui.text.english_only")))
	}
	lines = append(lines, text(body))
	return card(lines...)
}

func (k *Kiosk) sendMessage() {
	body := k.person.form.value("body")
	if err := k.sess.SendMessage("", body, ""); err != nil {
		k.person.form.problem = err
		k.render()
		return
	}
	k.person.form = formState{sent: "ui.messages.sent"}
	k.render()
}
