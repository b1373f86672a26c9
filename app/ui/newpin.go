package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
)

// pinState is what the PIN screens hold while someone types.
type pinState struct {
	field                  int // 0 current PIN, 1 new PIN, 2 new PIN again
	current, first, second string
	problem                error
	done                   bool
	busy                   bool
}

// newPINScreen is shown right after a sign-in with a temporary PIN: choose a new PIN before
// anything else.
func (k *Kiosk) newPINScreen() fyne.CanvasObject {
	if k.person.pin.field == 0 {
		k.person.pin.field = 1
	}
	intro := text(k.t("ui.pin.temporary_intro", "n", itoa(k.prof.PINLength)))
	cancel := k.btn("ui.sign_out", func() { k.signOut(scrWelcome, "ui.signin.signed_out") })
	return k.pinForm(heading(k.t("ui.pin.choose_title")), intro, false, cancel)
}

// changePINScreen changes the PIN of a signed-in person, who types the current one first.
func (k *Kiosk) changePINScreen() fyne.CanvasObject {
	intro := text(k.t("ui.pin.change_intro", "n", itoa(k.prof.PINLength)))
	if k.person.pin.done {
		return container.NewVBox(heading(k.t("ui.pin.change_title")), noteText(k.t("ui.pin.changed")),
			container.NewHBox(k.btn("ui.nav.home", func() { k.show(scrHome) })))
	}
	return k.pinForm(heading(k.t("ui.pin.change_title")), intro, true, nil)
}

func (k *Kiosk) pinForm(title, intro fyne.CanvasObject, withCurrent bool, extra fyne.CanvasObject) fyne.CanvasObject {
	st := &k.person.pin
	left := container.NewVBox(title)
	if st.problem != nil {
		// Under the title, not below the form: in Spanish and French, and in large text, the
		// end of the form lies below the screen's edge.
		left.Add(problemText(k.problem(st.problem)))
	}
	left.Add(intro)
	left.Add(text(k.t("ui.pin.rules")))
	dots := func(s string) string { return strings.Repeat("●", len(s)) }
	if withCurrent {
		left.Add(k.field(k.t("ui.pin.current"), dots(st.current), st.field == 0,
			func() { k.person.pin.field = 0; k.render() }))
	}
	left.Add(k.field(k.t("ui.pin.new"), dots(st.first), st.field == 1, func() { k.person.pin.field = 1; k.render() }))
	left.Add(k.field(k.t("ui.pin.again"), dots(st.second), st.field == 2, func() { k.person.pin.field = 2; k.render() }))
	save := k.btn("ui.pin.save", k.submitPIN)
	save.Importance = widget.HighImportance
	if st.busy {
		save.SetText(k.t("ui.signin.checking"))
		save.Disable()
	}
	buttons := container.NewVBox(sized(0, 64, save))
	if extra != nil {
		buttons.Add(sized(0, 56, extra))
	}
	left.Add(buttons)
	return container.NewBorder(nil, nil, nil, container.NewVBox(k.keypad(k.pinKey)), left)
}

// pinKey takes a key for the PIN field in use.
func (k *Kiosk) pinKey(r rune) {
	st := &k.person.pin
	if st.busy || st.done {
		return
	}
	k.touch()
	st.problem = nil
	if d, ok := domain.NormaliseDigit(r); ok {
		r = d // a keyboard's digits of another script
	}
	fields := []*string{&st.current, &st.first, &st.second}
	target := fields[st.field]
	switch {
	case r >= '0' && r <= '9':
		if len(*target) < k.prof.PINLength {
			*target += string(r)
			if len(*target) == k.prof.PINLength && st.field < 2 {
				st.field++
			}
		}
	case r == keyBack:
		if n := len(*target); n > 0 {
			*target = (*target)[:n-1]
		}
	case r == keyClear:
		*target = ""
	case r == keyEnter:
		if st.field < 2 {
			st.field++
		} else {
			k.submitPIN()
			return
		}
	case r < ' ':
		return
	default:
		st.problem = domain.ErrPINDigits // a letter or a sign from a keyboard: said, not dropped
	}
	k.render()
}

// submitPIN saves the new PIN off the UI goroutine (Argon2id).
func (k *Kiosk) submitPIN() {
	st := &k.person.pin
	s := k.sess
	if st.busy || s == nil {
		return
	}
	forced := s.NeedsNewPIN()
	st.busy, st.problem = true, nil
	k.render()
	cur, first, second := st.current, st.first, st.second
	var err error
	k.async(func() { err = s.ChangePIN(cur, first, second) }, func() {
		if err != nil {
			k.person.pin = pinState{problem: err, field: 1}
			if !forced {
				k.person.pin.field = 0
			}
			k.render()
			return
		}
		k.person.pin = pinState{done: true}
		if forced {
			k.person.pin = pinState{}
			k.note = "ui.pin.changed"
			k.screen = scrHome
		}
		k.render()
	}, nil)
}
