package ui

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/app/ui/demoenv"
)

// clock is the injected clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// rig is a kiosk in a test window over a demo env.
type rig struct {
	k     *Kiosk
	w     fyne.Window
	c     fyne.Canvas
	clock *clock
	env   *demoenv.Env
	s     map[string]sample
}

func newRig(t testing.TB, env *demoenv.Env) *rig {
	t.Helper()
	return newRigWith(t, env, Options{})
}

// newRigWith is newRig with options of the kiosk's own (the session manager and the catalogue
// are the rig's).
func newRigWith(t testing.TB, env *demoenv.Env, o Options) *rig {
	t.Helper()
	test.NewTempApp(t)
	clk := &clock{t: demoNow}
	// The kiosk ID is the enrolled one, as in cmd/kiosk: the case server takes the audit
	// entries the rig's kiosk pushes.
	kiosk := "test"
	if e, err := env.Cache.Enrolment(); err == nil {
		kiosk = e.Kiosk
	}
	if o.KioskID == "" {
		o.KioskID = kiosk
	}
	mgr, err := session.New(env.Cache, session.Config{Profile: env.Profile, Kiosk: kiosk, Now: clk.Now,
		VerifyPIN: seal.VerifyPIN, HashPIN: seal.HashPIN, Subject: env.Cache.AuditSubject})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 900))
	o.Sessions, o.Catalog = mgr, cat
	k, err := New(w, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Stop(); mgr.SignOut() })
	return &rig{k: k, w: w, c: w.Canvas(), clock: clk, env: env, s: samples(t, env)}
}

// tr is the text of a key in the kiosk's current language.
func (r *rig) tr(key string, pairs ...string) string { return r.k.t(key, pairs...) }

// signIn types login and pin as a person would (keypad digits, other characters from a
// keyboard or scanner) and waits for the answer.
func (r *rig) signIn(t testing.TB, login, pin string) {
	t.Helper()
	idName := r.tr(r.env.Profile.ParticipantID.NameKey)
	tapRowWith(t, r.c, r.tr("ui.signin.id_or_ssn", "id", idName))
	tap(t, r.c, r.tr("ui.key.clear"))
	for _, d := range login {
		r.press(t, d)
	}
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // on to the PIN
	tap(t, r.c, r.tr("ui.key.clear"))
	for _, d := range pin {
		r.press(t, d)
	}
	tap(t, r.c, r.tr("ui.signin.submit"))
	r.k.bridge.wait()
}

// press taps a keypad key for a digit, or types any other character.
func (r *rig) press(t testing.TB, d rune) {
	t.Helper()
	if d >= '0' && d <= '9' {
		tap(t, r.c, string(d))
		return
	}
	test.TypeOnCanvas(r.c, string(d))
}
