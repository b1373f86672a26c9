package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/session"
)

// signinState is what the welcome screen holds while someone types: never a session.
type signinState struct {
	onPIN   bool   // the keypad types into the PIN field
	id, pin string // digits typed so far
	showID  bool   // the ID is shown whole instead of masked
	problem error
	notice  string // translation key of a confirmation ("ui.forgot.sent")
	busy    bool
}

// welcomeScreen is the sign-in: participant ID or SSN and PIN on the on-screen keypad.
func (k *Kiosk) welcomeScreen() fyne.CanvasObject {
	st := &k.signin
	idName := k.t(k.prof.ParticipantID.NameKey)
	var ask string
	switch {
	case k.prof.AcceptSSN:
		ask = k.t("ui.signin.ask_id_or_ssn", "id", idName)
	default:
		ask = k.t("ui.signin.ask_id", "id", idName)
	}
	idLabel := idName
	if k.prof.AcceptSSN {
		idLabel = k.t("ui.signin.id_or_ssn", "id", idName)
	}
	shownID := st.id
	if !st.showID {
		shownID = domain.MaskID(st.id)
	}
	idField, idLive := k.fieldValue(idLabel, shownID, !st.onPIN, func() { k.signinField(false) })
	pinField, pinLive := k.fieldValue(k.t("ui.signin.pin", "n", itoa(k.prof.PINLength)), strings.Repeat("●", len(st.pin)),
		st.onPIN, func() { k.signinField(true) })
	showKey := "ui.signin.show_id"
	if st.showID {
		showKey = "ui.signin.hide_id"
	}
	show := k.btn(showKey, func() { k.signin.showID = !k.signin.showID; k.render() })

	go1 := k.btn("ui.signin.submit", k.submitSignIn)
	go1.Importance = widget.HighImportance
	if st.busy {
		go1.SetText(k.t("ui.signin.checking"))
		go1.Disable()
	}
	k.live = liveFields{id: idLive, pin: pinLive, submit: go1}
	forgot := k.btn("ui.signin.forgot", k.forgotPIN)

	left := container.NewVBox(heading(k.t("ui.welcome.title")), text(ask))
	if k.note != "" {
		left.Add(noteText(k.t(k.note)))
	}
	left.Add(container.NewBorder(nil, nil, nil, show, idField))
	left.Add(pinField)
	help := k.btn("ui.nav.help", func() { k.helpOut = scrWelcome; k.show(scrHelp) })
	left.Add(container.NewBorder(nil, nil, nil, sized(0, 64, help),
		container.NewGridWithColumns(2, sized(0, 64, go1), sized(0, 64, forgot))))
	if st.problem != nil {
		left.Add(problemText(k.problem(st.problem)))
	}
	if st.notice != "" {
		left.Add(noteText(k.t(st.notice)))
	}
	left.Add(text(k.t("ui.signin.first_time")))

	right := container.NewVBox(k.signinPad())
	if len(k.o.Demo) > 0 {
		right.Add(k.demoBanner())
	}
	return container.NewBorder(nil, nil, nil, right, left)
}

// demoRoleKey names what a demo participant's role shows.
var demoRoleKey = map[string]string{
	"custodial":    "ui.demo.role.custodial",
	"noncustodial": "ui.demo.role.noncustodial",
	"both":         "ui.demo.role.both",
}

// demoBanner lists sample sign-ins in demo mode; tapping one fills the fields.
func (k *Kiosk) demoBanner() fyne.CanvasObject {
	box := container.NewVBox(subheading(k.t("ui.demo.title")), text(k.t("ui.demo.explain")))
	for _, d := range k.o.Demo {
		d := d
		notes := []string{k.t(demoRoleKey[d.Role])}
		if d.Temporary {
			notes = append(notes, k.t("ui.demo.temporary"))
		}
		if d.FamilyViolence {
			notes = append(notes, k.t("ui.demo.family_violence"))
		}
		// The line wraps on the button rather than widening the column beside the form: in
		// large text it pushed Sign in below the fold.
		line := widget.NewLabel(k.t("ui.demo.sample", "login", d.Login, "pin", d.PIN, "notes", strings.Join(notes, ", ")))
		line.TextStyle.Bold = true
		line.Wrapping = fyne.TextWrapWord
		b := k.button("", func() {
			k.signin = signinState{id: d.Login, pin: d.PIN, onPIN: true, showID: true}
			k.render()
		})
		box.Add(container.NewStack(b, line))
	}
	if len(k.o.DemoStaff) > 0 {
		box.Add(text(k.t("ui.demo.staff")))
		for _, d := range k.o.DemoStaff {
			box.Add(text(k.t("ui.demo.staff_login", "login", d.Login, "password", d.PIN,
				"role", k.t("staff.role."+d.Role))))
		}
	}
	return card(box)
}

// signinKey takes a key from the keypad, a keyboard or a card scanner.
func (k *Kiosk) signinKey(r rune) {
	st := &k.signin
	if st.busy {
		return
	}
	k.touch()
	if d, ok := domain.NormaliseDigit(r); ok {
		r = d // a keyboard's digits of another script: ٣ is 3
	}
	// A digit or an erase changes only the text of a field: the labels shown are updated in
	// place rather than the whole screen rebuilt at every key (a day of sign-ins is tens of
	// thousands of keys).
	light := k.live.submit != nil && st.problem == nil && st.notice == "" && k.note == "" && (r != keyEnter || !st.onPIN)
	st.problem, st.notice, k.note = nil, "", ""
	target := &st.id
	limit := 20
	if st.onPIN {
		target, limit = &st.pin, k.prof.PINLength
	}
	switch {
	case r >= '0' && r <= '9':
		if len(*target) < limit {
			*target += string(r)
		}
	case r == keyBack:
		if n := len(*target); n > 0 {
			*target = (*target)[:n-1]
		}
	case r == keyClear:
		*target = ""
	case r == keyEnter:
		if !st.onPIN {
			st.onPIN = true
		} else {
			k.submitSignIn()
			return
		}
	case r < ' ':
		return
	case !st.onPIN && domain.IsSeparator(r):
		return // dashes and spaces between the groups of an ID or an SSN, as people write them
	default:
		// A letter or a sign from a keyboard: said, not silently dropped.
		st.problem = errIDDigits
		if st.onPIN {
			st.problem = domain.ErrPINDigits
		}
		k.render()
		return
	}
	if light {
		shownID := st.id
		if !st.showID {
			shownID = domain.MaskID(st.id)
		}
		k.live.id.value.SetText(shownID)
		k.live.pin.value.SetText(strings.Repeat("●", len(st.pin)))
		k.live.id.setActive(!st.onPIN)
		k.live.pin.setActive(st.onPIN)
		return
	}
	k.render()
}

// signinField makes the ID field (false) or the PIN field (true) the one the keys go to.
func (k *Kiosk) signinField(onPIN bool) {
	k.touch()
	k.signin.onPIN = onPIN
	if k.live.submit == nil {
		k.render()
		return
	}
	k.live.id.setActive(!onPIN)
	k.live.pin.setActive(onPIN)
}

// liveFields are the welcome screen's changing parts while it is shown: the two fields and
// the sign-in button. Typing, moving between the fields and the wait for the PIN check change
// them in place rather than rebuilding the screen (a day of sign-ins is tens of thousands of
// keys); anything else renders anew.
type liveFields struct {
	id, pin liveField
	submit  *widget.Button
}

// keptPart keeps a part of the screen that holds nothing of anybody from one render to the
// next: the welcome screen's keypad (ten digits, Clear and Erase; building its twelve buttons
// was most of the memory a sign-in left for Fyne's caches), the header, the menu and the
// footer. Each is built anew when its key (the language and the look, and what else it shows)
// changes.
type keptPart struct {
	key string
	obj fyne.CanvasObject
}

// get returns the part kept for key, building it when there is none or the key changed.
func (p *keptPart) get(key string, build func() fyne.CanvasObject) fyne.CanvasObject {
	if p.obj == nil || p.key != key {
		*p = keptPart{key: key, obj: build()}
	}
	return p.obj
}

// look is the key of a kept part: the language, the text size, the contrast and what else
// the part shows.
func (k *Kiosk) look(more ...any) string {
	return fmt.Sprintf("%s/%t/%t/%v", k.lang.Code(), k.theme.large, k.theme.contrast, more)
}

// signinPad is the welcome screen's keypad, built once per language and look.
func (k *Kiosk) signinPad() fyne.CanvasObject {
	return k.pad.get(k.look(), func() fyne.CanvasObject { return k.keypad(k.signinKey) })
}

// submitSignIn checks the PIN off the UI goroutine (Argon2id) and shows the result.
func (k *Kiosk) submitSignIn() {
	st := &k.signin
	if st.busy {
		return
	}
	st.problem, st.notice, k.note = nil, "", ""
	switch {
	case st.id == "":
		st.problem, st.onPIN = errNeedID, false
	case len(st.pin) != k.prof.PINLength:
		st.problem, st.onPIN = errNeedPIN, true
	}
	if st.problem != nil {
		k.render()
		return
	}
	st.busy = true
	if k.live.submit != nil {
		k.live.submit.SetText(k.t("ui.signin.checking"))
		k.live.submit.Disable()
	} else {
		k.render()
	}
	login, pin := st.id, st.pin
	var s *session.Session
	var err error
	k.async(func() { s, err = k.mgr.SignIn(login, pin) }, func() {
		k.signin.busy = false
		k.signin.pin = ""
		if err != nil {
			k.signin.problem = err
			k.render()
			return
		}
		k.signin = signinState{}
		k.sess = s
		k.speakTheirLanguage(s)
		k.touch()
		if s.NeedsNewPIN() {
			k.person.pin = pinState{}
			k.screen = scrNewPIN
		} else {
			k.screen = scrHome
		}
		k.render()
	}, k.mgr.SignOut) // Quick Exit or a time-out came first: the sign-in no longer stands
}

// forgotPIN queues a request for a new PIN. The answer is the same whether or not the ID is
// known here.
func (k *Kiosk) forgotPIN() {
	st := &k.signin
	st.problem, st.notice, k.note = nil, "", ""
	if st.id == "" {
		st.problem, st.onPIN = errNeedIDForgot, false
		k.render()
		return
	}
	if err := k.mgr.RequestPIN(st.id); err != nil {
		st.problem = err
		k.render()
		return
	}
	k.signin = signinState{notice: "ui.forgot.sent"}
	k.render()
}

// Problems of the sign-in form itself, shown by their ui. keys.
var (
	errNeedID       error = uiProblem("ui.signin.need_id")
	errNeedPIN      error = uiProblem("ui.signin.need_pin")
	errNeedIDForgot error = uiProblem("ui.forgot.need_id")
	errIDDigits     error = uiProblem("ui.signin.id_digits_only")
)
