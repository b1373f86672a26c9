package ui

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
)

// Start of day: a kiosk whose cache key is wrapped by an office passphrase starts locked. A
// supervisor types the passphrase on the on-screen keyboard; until then nothing of the cache
// can be read, and the screen shows nothing of anyone.

// LockedOptions say how the locked screen looks and what it unlocks.
type LockedOptions struct {
	Catalog   *i18n.Catalog
	Languages []string // offered; all the catalog's when empty
	Language  string   // to start in
	// Unlock tries a passphrase. It runs off the UI goroutine (Argon2id). A passphrase that
	// does not fit returns domain.ErrWrongKey and must change nothing.
	Unlock func(passphrase string) error
	// Unlocked runs on the UI goroutine once Unlock succeeded: it builds the kiosk in the window.
	Unlocked func()
	Now      func() time.Time // the clock; time.Now when nil
}

// Locked is the locked start-of-day screen in a window.
type Locked struct {
	w      fyne.Window
	o      LockedOptions
	lang   i18n.Lang
	bridge bridge

	pass     string
	keys     keyState
	busy     bool
	failures int
	until    time.Time // after failures, no attempt before this
	problem  error
}

// lockedPause is how long the screen refuses a new attempt after n wrong passphrases: nothing
// after the first two, then 5 s doubling up to 5 minutes. Argon2id already makes each attempt
// cost a fraction of a second.
func lockedPause(n int) time.Duration {
	if n < 3 {
		return 0
	}
	d := 5 * time.Second << min(n-3, 6)
	return min(d, 5*time.Minute)
}

// ShowLocked shows the locked screen in w.
func ShowLocked(w fyne.Window, o LockedOptions) (*Locked, error) {
	if o.Catalog == nil || o.Unlock == nil || o.Unlocked == nil {
		return nil, errors.New("ui: Catalog, Unlock and Unlocked are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if len(o.Languages) == 0 {
		o.Languages = o.Catalog.Languages()
	}
	l := &Locked{w: w, o: o, lang: o.Catalog.Lang(o.Language)}
	fyne.CurrentApp().Settings().SetTheme(&kioskTheme{})
	w.Canvas().SetOnTypedRune(l.key)
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyBackspace:
			l.key(keyBack)
		case fyne.KeyReturn, fyne.KeyEnter:
			l.key(keyEnter)
		}
	})
	l.render()
	return l, nil
}

func (l *Locked) t(key string, pairs ...string) string { return l.lang.T(key, pairs...) }

func (l *Locked) key(r rune) {
	if l.busy {
		return
	}
	switch r {
	case keyEnter:
		l.submit()
		return
	case keyBack:
		if l.pass != "" {
			_, n := utf8.DecodeLastRuneInString(l.pass)
			l.pass = l.pass[:len(l.pass)-n]
		}
	case keyClear:
		l.pass = ""
	default:
		if r < ' ' || utf8.RuneCountInString(l.pass) >= 200 {
			return
		}
		l.pass += string(r)
	}
	l.problem = nil
	l.render()
}

func (l *Locked) render() {
	langs := container.NewHBox()
	for _, code := range l.o.Languages {
		code := code
		b := widget.NewButton(l.o.Catalog.Lang(code).T("language.name"), func() {
			l.lang = l.o.Catalog.Lang(code)
			l.render()
		})
		if code == l.lang.Code() {
			b.Importance = widget.HighImportance
		}
		langs.Add(b)
	}
	title := heading(l.t("ui.locked.title"))
	box := container.NewVBox(container.NewBorder(nil, nil, nil, langs, title), widget.NewSeparator(),
		text(l.t("ui.locked.explain")))
	field := widget.NewLabel(strings.Repeat("●", utf8.RuneCountInString(l.pass)) + "▏")
	field.SizeName = theme.SizeNameSubHeadingText
	box.Add(card(boldLabel(l.t("ui.locked.passphrase")), sized(0, 48, field)))
	unlock := widget.NewButton(l.t("ui.locked.unlock"), l.submit)
	unlock.Importance = widget.HighImportance
	if l.busy {
		unlock.SetText(l.t("ui.locked.checking"))
		unlock.Disable()
	}
	box.Add(container.NewHBox(sized(240, 56, unlock)))
	if l.problem != nil {
		var up uiProblem
		msg := l.lang.Problem(l.problem)
		if errors.As(l.problem, &up) {
			msg = l.t(string(up), "seconds", itoa(int((l.until.Sub(l.o.Now())+time.Second-1)/time.Second)))
		}
		box.Add(problemText(msg))
	}
	keys := container.NewPadded(keyboard(l.t, &l.keys, l.key))
	l.w.SetContent(container.NewBorder(nil, keys, nil, nil, newVScroll(container.NewPadded(box))))
}

// submit tries the passphrase off the UI goroutine.
func (l *Locked) submit() {
	if l.busy {
		return
	}
	if l.pass == "" {
		l.problem = uiProblem("ui.locked.empty")
		l.render()
		return
	}
	if now := l.o.Now(); now.Before(l.until) {
		l.problem = uiProblem("ui.locked.wait")
		l.render()
		return
	}
	l.busy, l.problem = true, nil
	l.render()
	pass := l.pass
	var err error
	l.bridge.background(func() { err = l.o.Unlock(pass) }, func() {
		l.busy = false
		l.pass = ""
		if err != nil {
			if errors.Is(err, domain.ErrWrongKey) {
				l.failures++
				l.until = l.o.Now().Add(lockedPause(l.failures))
			}
			l.problem = err
			l.render()
			return
		}
		l.w.Canvas().SetOnTypedRune(nil)
		l.w.Canvas().SetOnTypedKey(nil)
		l.o.Unlocked()
	})
}
