package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
)

// frame puts a screen between the header (agency, languages, display modes, Quick Exit), the
// navigation when signed in, and the footer ("data as of", help line).
func (k *Kiosk) frame(body fyne.CanvasObject) fyne.CanvasObject {
	var left fyne.CanvasObject
	if k.signedIn() {
		left = k.nav()
	}
	top := k.header()
	switch {
	case k.assisted():
		top = container.NewVBox(top, k.assistBand())
	case k.staffOn() && (isStaffScreen(k.screen) || k.screen == scrPreview):
		top = container.NewVBox(top, k.staffBand())
	}
	var middle fyne.CanvasObject = k.place.keep(k, newVScroll(container.NewPadded(body)))
	if k.dock != nil {
		// The keyboard stays whole on screen below the page, which scrolls above it.
		middle = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), container.NewPadded(k.dock)), nil, nil, middle)
	}
	foot := k.footer()
	if k.dock != nil {
		foot = nil // room for the keyboard: the help line is on the Help screen and on paper
	}
	var main fyne.CanvasObject = container.NewBorder(top, foot, left, nil, middle)
	if k.choosing {
		main = container.NewStack(main, k.chooserLayer()) // under the idle warning
	}
	// The "Are you still there?" layer holds nothing of anybody either: kept like the header,
	// hidden whenever a screen is drawn anew.
	if key := k.look(); k.warn == nil || k.warnKey != key {
		k.warn, k.warnKey = k.newWarning(), key
	}
	k.warn.hide()
	k.warn.root = container.NewStack(main, k.warn.layer)
	return k.warn.root
}

// header is the same on every screen but for the language and the look: it is built once for
// each and kept, like the keypad (keptPart), since a day's screens would otherwise build it
// hundreds of thousands of times.
func (k *Kiosk) header() fyne.CanvasObject {
	return k.head.get(k.look(), k.buildHeader)
}

func (k *Kiosk) buildHeader() fyne.CanvasObject {
	agency := widget.NewLabel(k.t(k.prof.NameKey))
	agency.TextStyle.Bold = true
	agency.SizeName = theme.SizeNameSubHeadingText
	agency.Wrapping = fyne.TextWrapWord // whole, never cut short: some names take two lines
	tools := container.NewHBox(k.languageControls()...)
	tools.Add(k.listenButton()) // spoken guidance (listen.go)
	large := k.btn("ui.display.large", func() { k.setLarge(!k.theme.large) })
	if k.theme.large {
		large.Importance = widget.HighImportance
	}
	contrast := k.btn("ui.display.contrast", func() { k.setContrast(!k.theme.contrast) })
	if k.theme.contrast {
		contrast.Importance = widget.HighImportance
	}
	if k.theme.large {
		// Large buttons leave the name no room beside them: the name and Quick Exit on one
		// row, the languages and the looks on the next.
		name := container.NewBorder(nil, nil, nil, k.quickExitButton(), k.agencyName(agency))
		looks := container.NewHBox(large, contrast)
		rows := container.NewVBox(name, container.NewBorder(nil, nil, tools, looks))
		// Two rows of buttons cost the screen their padding twice: less of it, every button
		// still 48 px or more.
		return container.NewVBox(container.NewThemeOverride(rows, paddedTheme{k.theme, 10}), widget.NewSeparator())
	}
	tools.Add(large)
	tools.Add(contrast)
	tools.Add(k.quickExitButton())
	return container.NewVBox(container.NewBorder(nil, nil, nil, tools, k.agencyName(agency)), widget.NewSeparator())
}

// languageButtons offer every language of the profile, each named in itself.
func (k *Kiosk) languageButtons() []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, code := range k.prof.Languages {
		code := code
		b := k.button(k.o.Catalog.Lang(code).T("language.name"), func() { k.setLanguage(code) })
		if code == k.lang.Code() {
			b.Importance = widget.HighImportance
		}
		out = append(out, b)
	}
	return out
}

func (k *Kiosk) quickExitButton() *widget.Button {
	b := widget.NewButtonWithIcon(k.t("ui.quick_exit"), theme.LogoutIcon(), k.quickExit)
	b.Importance = widget.DangerImportance
	return b
}

// nav is the signed-in menu. The Other Party entry is absent when any of the person's cases
// carries the family-violence indicator.
func (k *Kiosk) nav() fyne.CanvasObject {
	// The menu names screens, never the person: it is kept between renders (keptPart) for as
	// long as what it shows stays the same.
	return k.navc.get(k.look(k.screen, k.sess.ShowOtherParty(), k.assisted()), k.buildNav)
}

func (k *Kiosk) buildNav() fyne.CanvasObject {
	// Each item has an icon: a reader slow in the kiosk's languages finds Help or Messages
	// by its picture.
	items := []struct {
		key, screen string
		icon        fyne.Resource
	}{
		{"ui.nav.home", scrHome, theme.HomeIcon()},
		{"ui.nav.payments", scrPayments, theme.HistoryIcon()},
		{"ui.nav.pay", scrPay, cardIcon},
		{"ui.nav.documents", scrDocuments, theme.DocumentIcon()},
		{"ui.nav.messages", scrMessages, theme.MailComposeIcon()},
		{"ui.nav.other_party", scrOtherParty, theme.InfoIcon()},
		{"ui.nav.details", scrDetails, theme.AccountIcon()},
		{"ui.nav.change_pin", scrChangePIN, lockIcon},
		{"ui.nav.help", scrHelp, theme.HelpIcon()},
	}
	box := container.NewVBox()
	for _, it := range items {
		if it.screen == scrOtherParty && !k.sess.ShowOtherParty() {
			continue
		}
		screen := it.screen
		b := k.btn(it.key, func() { k.show(screen) })
		b.Icon = it.icon
		b.Alignment = widget.ButtonAlignLeading
		if k.screen == screen || (k.screen == scrDetail && screen == scrPayments) {
			b.Importance = widget.HighImportance
		}
		box.Add(b)
	}
	out := k.btn("ui.sign_out", func() { k.signOut(scrWelcome, "ui.signin.signed_out") })
	if k.assisted() {
		out = k.btn("ui.staff.end_assist", k.endAssist)
	}
	// Sign out stays in sight below the menu, which scrolls above it in large text.
	menu := container.NewBorder(nil, container.NewPadded(out), nil, nil, newVScroll(box))
	return container.NewHBox(menu, widget.NewSeparator())
}

func (k *Kiosk) footer() fyne.CanvasObject {
	asOf := ""
	if t := k.asOf(); !t.IsZero() {
		asOf = k.t("ui.data_as_of", "when", k.lang.DateTime(k.local(t)))
	} else {
		asOf = k.t("ui.data_as_of_unknown")
	}
	// Kept between renders (keptPart) while the language, the look and the time stay the same.
	return k.foot.get(k.look(asOf), func() fyne.CanvasObject { return k.buildFooter(asOf) })
}

func (k *Kiosk) buildFooter(asOf string) fyne.CanvasObject {
	c := k.prof.Contacts
	help := k.t("ui.help_line", "phone", c.Phone, "tty", c.TTY)
	left := widget.NewLabel(asOf)
	right := widget.NewLabel(help)
	right.Alignment = fyne.TextAlignTrailing
	right.Wrapping = fyne.TextWrapWord
	return container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, left, nil, right))
}

// btn is a button with translated text that counts as activity.
func (k *Kiosk) btn(key string, tapped func()) *widget.Button {
	return k.button(k.t(key), tapped)
}

// button is a button with text already translated or taken from data.
func (k *Kiosk) button(text string, tapped func()) *widget.Button {
	return widget.NewButton(text, func() {
		k.touch()
		tapped()
	})
}

// text is a wrapped label.
func text(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// heading is a screen's title.
func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	l.SizeName = theme.SizeNameHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// subheading titles a part of a screen.
func subheading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// problemText shows what went wrong and what to do.
func problemText(s string) *widget.Label {
	l := text(s)
	l.Importance = widget.DangerImportance
	l.TextStyle.Bold = true
	return l
}

// noteText shows that something worked.
func noteText(s string) *widget.Label {
	l := text(s)
	l.Importance = widget.SuccessImportance
	l.TextStyle.Bold = true
	return l
}

// card frames a group of lines.
func card(objs ...fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	bg.StrokeWidth = 2
	bg.CornerRadius = 8
	return container.NewStack(bg, container.NewPadded(container.NewVBox(objs...)))
}

// pair is a "label: value" line of a summary list: the labels of a list take the same share
// of its width (keyShare), so the values of its lines start at one edge.
func pair(label, value string) fyne.CanvasObject {
	l := widget.NewLabel(label)
	l.TextStyle.Bold = true
	l.Wrapping = fyne.TextWrapWord
	return container.New(summaryLine{}, l, text(value))
}

// keyShare is the share of a summary list's width its labels take.
const keyShare = 0.42

// summaryLine lays out a label and its value side by side, the label in the first keyShare of
// the width, the value in the rest, both wrapping.
type summaryLine struct{}

func (summaryLine) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	kw := size.Width * keyShare
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(kw, size.Height))
	objs[1].Move(fyne.NewPos(kw, 0))
	objs[1].Resize(fyne.NewSize(size.Width-kw, size.Height))
}

func (summaryLine) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+b.Width, max(a.Height, b.Height))
}

// atLeast is a layout that gives its objects at least a minimum size: touch targets of 48 px
// and more whatever the theme.
type atLeast struct{ min fyne.Size }

func (a atLeast) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (a atLeast) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := a.min
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m
}

func sized(w, h float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(atLeast{fyne.NewSize(w, h)}, o)
}

// money, date: formatted for the chosen language; date is the short form, with the month's
// abbreviated name, for the columns of a list.
func (k *Kiosk) money(c domain.Cents) string { return k.lang.Money(c) }
func (k *Kiosk) date(d domain.Date) string   { return k.lang.ShortDate(d) }
