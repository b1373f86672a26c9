// Package ui is the kiosk's touch-screen interface in Fyne: one file per screen, each built
// from the domain and a small view state and rebuilt whole when the language, the text size or
// the contrast changes, so nothing of a person outlives their session in a widget. The only
// widgets kept from one screen to the next are those that hold nothing of anybody: the header,
// the welcome screen's keypad, the menu, the footer and the idle warning (keptPart); typing on the welcome screen
// changes its fields in place (liveFields).
package ui

import (
	"errors"
	"strconv"
	"time"

	"fyne.io/fyne/v2"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/session"
	"childsupportkiosk/app/speech"
	"childsupportkiosk/sync/syncstate"
)

// DemoLogin is a sample sign-in shown on the welcome screen in demo mode only; the screen says
// what it shows in the kiosk's language.
type DemoLogin struct {
	Login string
	PIN   string // a participant's PIN or a staff member's password
	// Role is a participant's ("custodial", "noncustodial" or "both") or a staff member's
	// ("front_desk", "supervisor").
	Role           string
	Temporary      bool // the PIN is a temporary one
	FamilyViolence bool // a case carries the family-violence indicator
}

// Options are what the kiosk UI is built from.
type Options struct {
	Sessions *session.Manager
	Catalog  *i18n.Catalog
	Printer  Printer     // nil: Print buttons point to the front desk
	Demo     []DemoLogin // non-empty only in demo mode
	// DemoStaff are demo staff sign-ins (Login = staff ID, PIN = password), named on the
	// welcome screen's demo banner with the way into staff mode; demo mode only.
	DemoStaff []DemoLogin
	Language  string // the language to start in; the profile's default when empty
	Large     bool   // start in large-text mode
	Contrast  bool   // start in high-contrast mode
	// Tick is how often the idle watch looks at the clock (default one second); 0 in tests,
	// which call tick themselves after moving the injected clock.
	Tick time.Duration
	// HideCursor hides the mouse pointer over the whole window, for touch screens (cursor.go).
	HideCursor bool
	// KioskID is this kiosk's ID, so staff screens can say a PIN was issued here.
	KioskID string
	// Syncer is the kiosk's sync for the staff status screen and "Sync now"; nil in tests
	// without a server. SyncProgress, when set, carries its progress events.
	Syncer       Syncer
	SyncProgress <-chan syncstate.Progress
	// OutOfService, when set, is called on the UI goroutine once the kiosk went out of service
	// (the case server withdrew it and its cache was wiped), with when that was heard: cmd/kiosk
	// notes it beside the cache so that a restart shows the same screen (outofservice.go).
	OutOfService func(at time.Time)
	// Speaker reads the screen aloud at a tap on Listen (listen.go); nil: no Listen button.
	Speaker speech.Speaker
}

// Screens.
const (
	scrNeutral    = "neutral"
	scrWelcome    = "welcome"
	scrNewPIN     = "newpin"
	scrHome       = "home"
	scrPayments   = "payments"
	scrDetail     = "detail"
	scrPay        = "pay"
	scrDocuments  = "documents"
	scrMessages   = "messages"
	scrOtherParty = "otherparty"
	scrDetails    = "details"
	scrChangePIN  = "changepin"
	scrHelp       = "help"
	scrPreview    = "preview" // print preview: preview.go
	// scrOutOfService is a kiosk the case server withdrew: outofservice.go. Once shown, no
	// other screen is.
	scrOutOfService = "out_of_service"
)

// Kiosk is the running interface in one window.
type Kiosk struct {
	w       fyne.Window
	o       Options
	mgr     *session.Manager
	prof    domain.Profile
	lang    i18n.Lang
	theme   *kioskTheme
	bridge  bridge
	screen  string
	helpOut string // the screen Help was opened from, when signed out

	// defaultLang is the kiosk's own language, which every sign-out returns to; langChosen says
	// that the person at the screen picked the language before signing in, which their file's
	// preferred language then does not override (language.go).
	defaultLang string
	langChosen  bool

	// Staff mode (staff.go): the staff member, nil when off, and the staff screens' state.
	staff *session.Staff
	st    staffState

	// The signed-in person; nil when nobody is.
	sess    *session.Session
	gen     int // raised at every sign-out, so a late sign-in result is dropped
	idle    *session.Idle
	warn    *warning
	warnKey string // the language and look warn was built for
	place   place  // where the screen's body was scrolled to (touchscroll.go)

	// View state, cleared at sign-out: what is typed on the welcome screen, and person, what
	// the screens hold of the person signed in (or helped by staff), forgotten whole.
	signin   signinState
	person   personView
	keys     keyState // the on-screen keyboard's Shift (keypad.go)
	choosing bool     // the language chooser is open (chooser.go)
	note     string   // a translation key shown once on the next screen

	dock  fyne.CanvasObject // the screen's keyboard, docked below its body; set by keyboard
	focus fyne.CanvasObject // the field the keyboard types into, kept in sight (reveal)

	live liveFields   // the welcome screen's changing parts, reset at every render (welcome.go)
	pad  keptPart     // the welcome screen's keypad, kept between renders (welcome.go)
	head keptPart     // the header, kept between renders (frame.go)
	navc keptPart     // the signed-in menu, likewise
	foot keptPart     // the footer, likewise
	prev previewState // the document in the print preview (preview.go), discarded at sign-out

	// withdrawn is set once the case server withdrew the kiosk, at revokedAt (outofservice.go).
	withdrawn bool
	revokedAt time.Time

	speech listenState // the Listen button's (listen.go)
}

// New builds the kiosk in w and shows the welcome screen.
func New(w fyne.Window, o Options) (*Kiosk, error) {
	if o.Sessions == nil || o.Catalog == nil {
		return nil, errors.New("ui: Sessions and Catalog are required")
	}
	k := &Kiosk{w: w, o: o, mgr: o.Sessions, prof: o.Sessions.Profile(),
		theme: &kioskTheme{large: o.Large, contrast: o.Contrast}}
	if o.HideCursor {
		k.w = hideCursor(w)
	}
	lang := o.Language
	if lang == "" {
		lang = k.prof.DefaultLanguage
	}
	k.lang = o.Catalog.Lang(lang)
	k.defaultLang = k.lang.Code()
	if o.Syncer != nil {
		k.o.Syncer = watchedSyncer{Syncer: o.Syncer, k: k} // staff's Sync now may hear a withdrawal
	}
	k.idle = session.NewIdle(k.prof.Idle(), k.prof.Warning(), k.mgr.Now())
	fyne.CurrentApp().Settings().SetTheme(k.theme)
	w.Canvas().SetOnTypedKey(k.typedKey)
	w.Canvas().SetOnTypedRune(k.typedRune)
	k.staffShortcut()
	k.screen = scrWelcome
	k.render()
	if o.Tick > 0 {
		k.bridge.every(o.Tick, k.tick)
	}
	return k, nil
}

// Stop ends the idle watch and signs out.
func (k *Kiosk) Stop() {
	k.bridge.stopTicking()
	if k.staff != nil {
		k.endStaff(scrNeutral, "")
		return
	}
	k.signOut(scrNeutral, "")
}

// t translates a key in the chosen language.
func (k *Kiosk) t(key string, pairs ...string) string { return k.lang.T(key, pairs...) }

// problem translates an error for the person at the screen.
func (k *Kiosk) problem(err error) string {
	if errors.Is(err, session.ErrEmpty) {
		return k.t("ui.problem.empty")
	}
	var said interface{ Key() string } // a printer's outcome names its translation
	if errors.As(err, &said) {
		return k.t(said.Key())
	}
	var wait domain.WaitError // the throttle: say how long
	if errors.As(err, &wait) {
		if wait.Seconds() == 1 {
			return k.t("ui.signin.wait_one")
		}
		return k.t("ui.signin.wait", "seconds", itoa(wait.Seconds()))
	}
	var tries domain.TriesError // few tries left before a lock: said after the failure
	if errors.As(err, &tries) {
		left := k.t("ui.signin.tries_left", "tries", itoa(tries.Left))
		if tries.Left == 1 {
			left = k.t("ui.signin.tries_left_one")
		}
		return k.lang.Problem(domain.ErrSignInFailed) + " " + left
	}
	var up uiProblem
	if errors.As(err, &up) {
		return k.t(string(up), "n", itoa(k.prof.PINLength))
	}
	return k.lang.Problem(err, "n", itoa(k.prof.PINLength))
}

// show moves to a screen. Signed-in screens need a session; without one the welcome screen
// is shown instead.
func (k *Kiosk) show(screen string) {
	k.touch()
	k.person.form, k.person.pin, k.note, k.keys, k.choosing = formState{}, pinState{}, "", keyState{}, false
	k.screen = screen
	k.place = place{} // a screen one goes to starts at its top
	k.render()
}

// signedIn reports whether someone is signed in with a PIN they chose.
func (k *Kiosk) signedIn() bool {
	return k.sess != nil && k.sess.Active() && !k.sess.NeedsNewPIN()
}

// render rebuilds the whole window from the state.
func (k *Kiosk) render() {
	useFontOf(k.lang.Code()) // Chinese and Korean are drawn in fonts of their own (theme.go)
	defer k.speechFollows()  // a new screen or language ends what was being said (listen.go)
	old := k.w.Content()
	defer k.scrubOld(old) // after the new screen is up (scrub.go)
	k.live = liveFields{}
	if k.screen != scrPreview && k.prev.active() {
		k.dropPreview() // the person left the preview: its document is discarded
	}
	if k.withdrawn {
		k.screen = scrOutOfService
		k.w.SetContent(k.outOfServiceScreen())
		return
	}
	switch k.screen {
	case scrWelcome, scrNeutral, scrHelp:
	case scrPreview:
		if !k.previewAllowed() {
			k.screen = scrWelcome
		}
	case scrNewPIN:
		if k.sess == nil || !k.sess.Active() {
			k.screen = scrWelcome
		}
	case scrStaffSignIn:
		if k.sess != nil {
			k.screen = scrWelcome
		}
	case scrStaff, scrStaffPerson, scrStaffPIN, scrStaffStatus, scrStaffAudit:
		if !k.staffOn() {
			k.screen = scrWelcome
		}
	default:
		if !k.signedIn() {
			k.screen = scrWelcome
		}
	}
	if k.screen == scrNeutral {
		k.w.SetContent(k.neutralScreen())
		return
	}
	var body fyne.CanvasObject
	k.dock, k.focus = nil, nil
	switch k.screen {
	case scrWelcome:
		body = k.welcomeScreen()
	case scrNewPIN:
		body = k.newPINScreen()
	case scrHome:
		body = k.homeScreen()
	case scrPayments:
		body = k.paymentsScreen()
	case scrDetail:
		body = k.detailScreen()
	case scrPay:
		body = k.makePaymentScreen()
	case scrDocuments:
		body = k.documentsScreen()
	case scrMessages:
		body = k.messagesScreen()
	case scrOtherParty:
		body = k.otherPartyScreen()
	case scrDetails:
		body = k.myDetailsScreen()
	case scrChangePIN:
		body = k.changePINScreen()
	case scrHelp:
		body = k.helpScreen()
	case scrPreview:
		body = k.previewScreen()
	case scrStaffSignIn:
		body = k.staffSignInScreen()
	case scrStaff:
		body = k.staffSearchScreen()
	case scrStaffPerson:
		body = k.staffPersonScreen()
	case scrStaffPIN:
		body = k.staffPINScreen()
	case scrStaffStatus:
		body = k.staffStatusScreen()
	case scrStaffAudit:
		body = k.staffAuditScreen()
	}
	k.w.SetContent(k.frame(body))
	k.reveal()
}

// touch notes that someone used the screen.
func (k *Kiosk) touch() {
	k.idle.Touch(k.mgr.Now())
	if k.warn != nil && k.warn.shown {
		k.warn.hide()
	}
}

// setLanguage switches the language and re-renders at once.
func (k *Kiosk) setLanguage(code string) {
	k.touch()
	if k.sess == nil && k.staff == nil {
		k.langChosen = true
	}
	k.lang = k.o.Catalog.Lang(code)
	k.render()
}

func (k *Kiosk) setLarge(on bool) {
	k.touch()
	k.theme.large = on
	fyne.CurrentApp().Settings().SetTheme(&kioskTheme{large: k.theme.large, contrast: k.theme.contrast})
	k.render()
}

func (k *Kiosk) setContrast(on bool) {
	k.touch()
	k.theme.contrast = on
	fyne.CurrentApp().Settings().SetTheme(&kioskTheme{large: k.theme.large, contrast: k.theme.contrast})
	k.render()
}

// quickExit drops the session and shows the neutral screen at once.
func (k *Kiosk) quickExit() {
	if k.staff != nil {
		k.endStaff(scrNeutral, "")
		return
	}
	k.signOut(scrNeutral, "")
}

// personView is what the screens hold of the person signed in, or helped by staff. It is
// replaced whole when they leave (forgetPerson), so a field added here is forgotten with the
// others.
type personView struct {
	pin  pinState
	pay  payState
	form formState
}

// forgetPerson ends the person's session and drops what the screens hold of them: their
// views, the spoken text and the document in the preview (zeroed). A late answer of work
// started for them is dropped (gen).
func (k *Kiosk) forgetPerson() {
	k.gen++
	k.stopSpeech() // Quick Exit, sign-out and time-out silence the kiosk at once (listen.go)
	k.mgr.SignOut()
	k.sess = nil
	k.person = personView{}
	k.dropPreview()
}

// signOut ends the session and forgets everything the screens held about the person, then
// shows screen with an optional one-time note.
func (k *Kiosk) signOut(screen, note string) {
	if k.prev.doc != nil && k.prev.stage == previewPrinting {
		// Quick Exit, a time-out or a sign-out while the printer works: the job is withdrawn.
		// (Leaving the preview for another screen while signed in lets it print.)
		k.prev.doc.Discard()
	}
	k.forgetPerson()
	k.signin, k.keys, k.choosing = signinState{}, keyState{}, false
	k.note = note
	k.helpOut = ""
	k.lang, k.langChosen = k.o.Catalog.Lang(k.defaultLang), false // the next person starts afresh
	if k.warn != nil {
		k.warn.hide()
	}
	k.w.Clipboard().SetContent("")
	k.idle.Touch(k.mgr.Now())
	k.screen = screen
	k.render()
}

// tick follows inactivity: the warning's countdown, then sign-out. Signed out, it clears
// whatever was half typed on the sign-in screen.
func (k *Kiosk) tick() {
	if k.withdrawn {
		return
	}
	state, left := k.idle.State(k.mgr.Now())
	if k.screen == scrNeutral {
		k.render() // the clock moves on
		return
	}
	if k.staff != nil && k.sess == nil {
		switch state {
		case session.Warning:
			k.showWarning(left)
		case session.TimedOut:
			k.endStaff(scrWelcome, "ui.staff.timed_out")
		}
		return
	}
	if k.sess == nil {
		if state != session.Active && k.screen == scrStaffSignIn {
			k.st = staffState{}
			k.screen = scrWelcome
			k.render()
			return
		}
		if state != session.Active && (k.signin.id != "" || k.signin.pin != "" || k.screen == scrHelp) {
			k.signin = signinState{}
			k.screen = scrWelcome
			k.render()
		}
		return
	}
	switch state {
	case session.Warning:
		k.showWarning(left)
	case session.TimedOut:
		if k.staff != nil {
			k.endStaff(scrWelcome, "ui.staff.timed_out") // an assisted session ends staff mode too
			return
		}
		k.signOut(scrWelcome, "ui.signin.timed_out")
	}
}

func (k *Kiosk) typedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		k.quickExit()
	case fyne.KeyBackspace:
		k.keyInput(keyBack)
	case fyne.KeyReturn, fyne.KeyEnter:
		k.keyInput(keyEnter)
	}
}

func (k *Kiosk) typedRune(r rune) { k.keyInput(r) }

// Special keys of the on-screen keypads.
const (
	keyBack  rune = '\b'
	keyClear rune = '\x7f'
	keyEnter rune = '\n'
	keyNone  rune = 0 // no key: Shift, which only counts as activity
)

// keyInput sends a key from a keypad, a keyboard or a scanner to the screen that takes it.
func (k *Kiosk) keyInput(r rune) {
	switch k.screen {
	case scrWelcome:
		k.signinKey(r)
	case scrNewPIN, scrChangePIN:
		k.pinKey(r)
	case scrMessages, scrOtherParty, scrDetails:
		k.formKey(r)
	case scrStaffSignIn, scrStaff, scrStaffAudit:
		k.staffKey(r)
	}
}

// asOf is the cache's "data as of" time, or zero.
func (k *Kiosk) asOf() time.Time {
	t, err := k.mgr.Store().DataAsOf()
	if err != nil {
		return time.Time{}
	}
	return t
}

// local turns an instant into the agency's time zone.
func (k *Kiosk) local(t time.Time) time.Time {
	if loc, err := k.prof.Location(); err == nil {
		return t.In(loc)
	}
	return t
}

// uiProblem is a problem of a form on screen, named by its translation key.
type uiProblem string

func (p uiProblem) Error() string { return string(p) }

func itoa(n int) string { return strconv.Itoa(n) }
