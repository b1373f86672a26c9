package ui

import (
	"fyne.io/fyne/v2"
)

// formState is what a form holds while someone types on the on-screen keyboard. It is
// cleared when the person leaves the screen or signs out.
type formState struct {
	open    bool              // the form is shown (Messages: "Write to the office")
	field   string            // the field the keys go to
	values  map[string]string // typed text by field
	choice  string            // a choice made with buttons: a case, a contact field
	showID  bool              // the participant ID is shown whole
	problem error
	sent    string // translation key of the confirmation
}

func (f *formState) value(name string) string { return f.values[name] }

// maxField bounds what one field takes.
const maxField = 600

// formKey takes a key for the form field in use.
func (k *Kiosk) formKey(r rune) {
	f := &k.person.form
	if f.field == "" {
		return
	}
	k.touch()
	if f.values == nil {
		f.values = map[string]string{}
	}
	v, ok := editText(f.values[f.field], r, maxField)
	if !ok {
		return
	}
	f.values[f.field] = v
	f.problem, f.sent = nil, ""
	k.render()
}

// formProblem is what is wrong with the form, or nil.
func (k *Kiosk) formProblem() fyne.CanvasObject {
	if k.person.form.problem == nil {
		return nil
	}
	return problemText(k.problem(k.person.form.problem))
}

// textField is a keyboard field of a form.
func (k *Kiosk) textField(name, label string) fyne.CanvasObject {
	shown := k.person.form.value(name)
	if k.person.form.field == name {
		shown += "▏"
	}
	return k.typedInto(k.person.form.field == name, k.field(label, shown, k.person.form.field == name, func() { k.person.form.field = name; k.render() }))
}

// typedInto notes f as the field the keyboard types into when active, and returns it.
func (k *Kiosk) typedInto(active bool, f fyne.CanvasObject) fyne.CanvasObject {
	if active {
		k.focus = f
	}
	return f
}
