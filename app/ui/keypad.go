package ui

import (
	"image/color"
	"unicode"
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
	digit := func(b *widget.Button) {
		grid.Add(sized(96, 72, container.NewThemeOverride(b, digitsTheme{k.theme})))
	}
	for _, r := range "123456789" {
		r := r
		digit(k.button(string(r), func() { press(r) }))
	}
	clear := widget.NewButtonWithIcon(k.t("ui.key.clear"), theme.ContentClearIcon(), func() { k.touch(); press(keyClear) })
	// The two word keys keep the ordinary text size in large text: at the large size "Borrar
	// todo" widened the keypad by half, and the form beside it lost its Sign in button.
	plain := &kioskTheme{contrast: k.theme.contrast}
	grid.Add(sized(96, 72, container.NewThemeOverride(clear, plain)))
	digit(k.button("0", func() { press('0') }))
	back := widget.NewButtonWithIcon(k.t("ui.key.back"), theme.NavigateBackIcon(), func() { k.touch(); press(keyBack) })
	grid.Add(sized(96, 72, container.NewThemeOverride(back, plain)))
	return grid
}

// digitsTheme is the keypad digits' look: the kiosk's, with the digits drawn large (and larger
// still in large text), since they are what a finger aims at.
type digitsTheme struct{ *kioskTheme }

func (t digitsTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return t.kioskTheme.Size(theme.SizeNameSubHeadingText)
	}
	return t.kioskTheme.Size(n)
}

// keyboard is the on-screen keyboard for the few forms a person fills in. It is docked below
// the screen's scrolling body, whole on screen (frame.go), so a key stays where the finger
// found it while the page above scrolls; above it stand the form's buttons and its problem
// (above; nil ones are left out), so that what a person types towards stays in sight too.
func (k *Kiosk) keyboard(press func(rune), above ...fyne.CanvasObject) fyne.CanvasObject {
	dock := container.NewVBox()
	for _, o := range above {
		if o != nil {
			dock.Add(o)
		}
	}
	dock.Add(keyboard(k.t, &k.keys, func(r rune) { k.touch(); press(r) }))
	k.dock = dock
	return layout.NewSpacer() // in the body's place: nothing
}

// keyState is the keyboard's state, kept across the screen's re-renders: Shift makes the next
// letter a capital, and tapped twice it stays on (caps lock) until tapped again; symbols puts
// signs in the place of the accented letters.
type keyState struct{ shift, lock, symbols bool }

// keyRows are the keyboard's rows of digits and letters with the signs a message, an address
// or an e-mail needs most; the last row holds the accents of Spanish and French, or more signs
// (keySigns). Every row has 11 keys.
var keyRows = []string{
	"1234567890?",
	"qwertyuiop!",
	"asdfghjklñ'",
	"zxcvbnm,.-@",
	"áéíóúüçèàê¿",
}

// keySigns take the accented letters' row when the symbols key is on.
const keySigns = "#/():;$&\"¡%"

// keyboard is the on-screen keyboard on its own, for screens before a kiosk has a session
// manager (the locked start of day): t translates, st keeps its state, press gets every key.
func keyboard(t func(key string, pairs ...string) string, st *keyState, press func(rune)) fyne.CanvasObject {
	type key struct {
		b     *widget.Button
		r, sr rune // the key's rune, and its sign when symbols are on (0: none)
	}
	var keys []key
	var shift, signs *widget.Button
	value := func(k key) rune {
		r := k.r
		if st.symbols && k.sr != 0 {
			r = k.sr
		}
		if st.shift {
			r = unicode.ToUpper(r)
		}
		return r
	}
	label := func() {
		for _, k := range keys {
			k.b.SetText(string(value(k)))
		}
		shift.Importance = widget.MediumImportance
		shift.SetText(t("ui.key.shift"))
		if st.shift {
			shift.Importance = widget.HighImportance
		}
		if st.lock {
			shift.SetText(t("ui.key.caps"))
		}
		shift.Refresh()
		signs.SetText(t("ui.key.signs"))
		if st.symbols {
			signs.SetText(t("ui.key.accents"))
		}
	}
	box := container.NewVBox()
	last := []rune(keySigns)
	for i, row := range keyRows {
		line := container.New(layout.NewGridLayoutWithColumns(11))
		for j, r := range []rune(row) {
			k := key{r: r}
			if i == len(keyRows)-1 {
				k.sr = last[j]
			}
			k.b = widget.NewButton(string(r), func() {
				c := value(k)
				if st.shift && !st.lock && unicode.IsLetter(c) {
					st.shift = false
					label()
				}
				press(c)
			})
			keys = append(keys, k)
			line.Add(sized(48, 48, k.b))
		}
		box.Add(line)
	}
	shift = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() {
		switch {
		case st.lock:
			st.shift, st.lock = false, false
		case st.shift:
			st.lock = true
		default:
			st.shift = true
		}
		label()
		press(keyNone)
	})
	signs = widget.NewButton("", func() {
		st.symbols = !st.symbols
		label()
		press(keyNone)
	})
	space := widget.NewButton(t("ui.key.space"), func() { press(' ') })
	back := widget.NewButtonWithIcon(t("ui.key.back"), theme.NavigateBackIcon(), func() { press(keyBack) })
	line := widget.NewButton(t("ui.key.newline"), func() { press(keyEnter) })
	left := container.NewGridWithColumns(2, sized(150, 48, shift), sized(120, 48, signs))
	right := container.NewGridWithColumns(2, sized(150, 48, line), sized(150, 48, back))
	box.Add(container.NewBorder(nil, nil, left, right, sized(0, 48, space)))
	label()
	return container.NewThemeOverride(box, keysTheme{fyne.CurrentApp().Settings().Theme()})
}

// keysTheme is the keyboard's look: the kiosk's, with less room around a key's one letter, so
// that all seven rows fit below a form in large text too; every key stays 48 px or more.
type keysTheme struct{ fyne.Theme }

func (t keysTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameInnerPadding:
		return 6
	case theme.SizeNamePadding:
		return 4
	}
	return t.Theme.Size(n)
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
	lines := container.NewThemeOverride(container.NewVBox(title, sized(0, 48, value)), paddedTheme{k.theme, 4})
	return container.NewStack(b, frame, container.NewPadded(lines)), f
}

// paddedTheme is the kiosk's look with less room inside its widgets (inner padding pad):
// a field's name and value closer together, so the sign-in's two fields and its button stay
// in sight in large text; the large-text header's two rows of buttons.
type paddedTheme struct {
	*kioskTheme
	pad float32
}

func (t paddedTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameInnerPadding {
		return t.pad
	}
	return t.kioskTheme.Size(n)
}
