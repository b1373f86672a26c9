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
	"childsupportkiosk/assets"
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

type rig struct {
	k     *Kiosk
	w     fyne.Window
	c     fyne.Canvas
	clock *clock
	store session.Store
	s     []sample
}

func newRig(t testing.TB) *rig {
	test.NewTempApp(t)
	store, samples := memFixture(t)
	prof, err := assets.Profile("CA")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 11, 16, 18, 0, 0, 0, time.UTC)}
	mgr, err := session.New(store, session.Config{Profile: prof, Kiosk: "test", Now: clk.Now,
		VerifyPIN: seal.VerifyPIN, HashPIN: seal.HashPIN})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 900))
	k, err := New(w, Options{Sessions: mgr, Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{k: k, w: w, c: w.Canvas(), clock: clk, store: store, s: samples}
}

// en is the English text of a key, for finding buttons.
func (r *rig) tr(key string, pairs ...string) string { return r.k.t(key, pairs...) }

// signIn types login and pin on the keypad and waits for the answer.
func (r *rig) signIn(t testing.TB, login, pin string) {
	r.k.signin.onPIN = false
	for _, d := range login {
		r.press(t, d)
	}
	r.k.signinKey(keyEnter)
	for _, d := range pin {
		r.press(t, d)
	}
	tapT(t, r.c, r.tr("ui.signin.submit"))
	r.k.bridge.wait()
}

// press taps a keypad key (digits), or sends other characters as a keyboard would.
func (r *rig) press(t testing.TB, d rune) {
	if d >= '0' && d <= '9' {
		tapT(t, r.c, string(d))
		return
	}
	r.k.typedRune(d)
}

func tapT(t testing.TB, c fyne.Canvas, label string) {
	t.Helper()
	tap(t, c, label)
}

func TestSignInWithParticipantID(t *testing.T) {
	r := newRig(t)
	mustHave(t, r.c, r.tr("ui.welcome.title"))
	r.signIn(t, r.s[0].login, r.s[0].pin)
	mustHave(t, r.c, r.tr("ui.home.hello", "name", r.s[0].name))
}
