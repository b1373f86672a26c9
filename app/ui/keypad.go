package ui

import (
	"image/color"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keypad is the on-screen number pad for IDs and PINs: there is no keyboard at the kiosk.
// Keys are at least 96 × 72 px.
func (k *Kiosk) keypad(press func(rune)) fyne.CanvasObject {
	grid := container.New(layout.NewGridLayoutWithColumns(3))
	key := func(b *widget.Button) { grid.Add(sized(96, 72, b)) }
	for _, r := range "123456789" {
		r := r
		key(k.button(string(r), func() { press(r) }))
	}
	clear := widget.NewButtonWithIcon(k.t("ui.key.clear"), theme.ContentClearIcon(), func() { k.touch(); press(keyClear) })
	key(clear)
	key(k.button("0", func() { press('0') }))
	back := widget.NewButtonWithIcon(k.t("ui.key.back"), theme.NavigateBackIcon(), func() { k.touch(); press(keyBack) })
	key(back)
	return grid
}

// keyboard is the on-screen keyboard for the few forms a person fills in: letters with the
// accents of Spanish and French, digits and the signs an address or an e-mail needs.
func (k *Kiosk) keyboard(press func(rune)) fyne.CanvasObject {
	return keyboard(k.t, func(r rune) { k.touch(); press(r) })
}

// keyboard is the on-screen keyboard on its own, for screens before a kiosk has a session
// manager (the locked start of day): t translates, press gets every key.
func keyboard(t func(key string, pairs ...string) string, press func(rune)) fyne.CanvasObject {
	rows := []string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "áéíóúñüçèà", "@.,-'#/"}
	box := container.NewVBox()
	for _, row := range rows {
		line := container.New(layout.NewGridLayoutWithColumns(10))
		for _, r := range row {
			r := r
			line.Add(sized(56, 56, widget.NewButton(string(r), func() { press(r) })))
		}
		box.Add(line)
	}
	space := widget.NewButton(t("ui.key.space"), func() { press(' ') })
	back := widget.NewButtonWithIcon(t("ui.key.back"), theme.NavigateBackIcon(), func() { press(keyBack) })
	line := widget.NewButton(t("ui.key.newline"), func() { press(keyEnter) })
	box.Add(container.NewGridWithColumns(3, sized(0, 56, space), sized(0, 56, line), sized(0, 56, back)))
	return box
}

// editText applies a key of a keyboard to a text field's value: Erase takes the last letter
// off, Clear empties it, and any other key from a space up (Enter is a new line) is added while
// the value stays within max letters. ok is false when the key is refused.
func editText(v string, r rune, max int) (string, bool) {
	switch {
	case r == keyBack:
		if v != "" {
			_, n := utf8.DecodeLastRuneInString(v)
			v = v[:len(v)-n]
		}
		return v, true
	case r == keyClear:
		return "", true
	case r < ' ' && r != keyEnter, utf8.RuneCountInString(v) >= max:
		return v, false
	}
	return v + string(r), true
}

// field shows what was typed in a keypad or keyboard field; tapping it makes it the one the
// keys go to.
func (k *Kiosk) field(label, shown string, active bool, tap func()) fyne.CanvasObject {
	f, _ := k.fieldValue(label, shown, active, tap)
	return f
}

// liveField is a field's changing parts, so that typing, or moving from one field to the
// other, can change them alone.
type liveField struct {
	title, value *widget.Label
	frame        *canvas.Rectangle
}

// setActive draws the field as the one the keys go to, or not.
func (f liveField) setActive(active bool) {
	f.frame.StrokeWidth = 2
	f.frame.StrokeColor = theme.Color(theme.ColorNameSeparator)
	f.title.Importance = widget.MediumImportance
	if active {
		f.frame.StrokeWidth = 5
		f.frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
		f.title.Importance = widget.HighImportance
	}
	f.frame.Refresh()
	f.title.Refresh()
}

// fieldValue is field, with its changing parts.
func (k *Kiosk) fieldValue(label, shown string, active bool, tap func()) (fyne.CanvasObject, liveField) {
	title := widget.NewLabel(label)
	title.TextStyle.Bold = true
	title.Wrapping = fyne.TextWrapWord // long names (French and Spanish, large text) take two lines
	value := widget.NewLabel(shown)
	value.SizeName = theme.SizeNameSubHeadingText
	value.Wrapping = fyne.TextWrapWord
	b := k.button("", tap)
	b.Importance = widget.LowImportance
	frame := canvas.NewRectangle(color.Transparent)
	frame.CornerRadius = 8
	f := liveField{title: title, value: value, frame: frame}
	f.setActive(active)
	return container.NewStack(b, frame, container.NewPadded(container.NewVBox(title, sized(0, 48, value)))), f
}
