package ui

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
)

// A kiosk enrolled with an office passphrase starts locked: a wrong passphrase is refused
// without changing anything, repeated ones make the screen wait, and the right one opens the
// cache and hands over to the kiosk.
func TestLockedStartOfDay(t *testing.T) {
	test.NewTempApp(t)
	dir := filepath.Join(t.TempDir(), "kiosk")
	c, err := cache.Create(dir, cache.Passphrase("harbor lights 77"))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if locked, err := cache.NeedsPassphrase(dir); err != nil || !locked {
		t.Fatalf("NeedsPassphrase %v %v", locked, err)
	}
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: demoNow}
	var opened *cache.Cache
	unlocked := false
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	l, err := ShowLocked(w, LockedOptions{Catalog: cat, Language: "en", Now: clk.Now,
		Unlock: func(p string) error {
			c, err := cache.Open(dir, cache.Passphrase(p))
			if err == nil {
				opened = c
			}
			return err
		},
		Unlocked: func() { unlocked = true }})
	if err != nil {
		t.Fatal(err)
	}
	cv := w.Canvas()
	tr := func(key string, pairs ...string) string { return l.lang.T(key, pairs...) }
	mustHave(t, cv, tr("ui.locked.title"))
	try := func(p string) {
		t.Helper()
		test.TypeOnCanvas(cv, p)
		tap(t, cv, tr("ui.locked.unlock"))
		l.bridge.wait()
	}
	try("harbor lights 78")
	mustHave(t, cv, l.lang.Problem(domain.ErrWrongKey))
	if opened != nil || unlocked {
		t.Fatal("a wrong passphrase opened the kiosk")
	}
	try("nope")
	try("still wrong")
	mustHave(t, cv, l.lang.Problem(domain.ErrWrongKey))
	// The third failure makes the next attempt wait, whatever is typed.
	try("harbor lights 77")
	mustHave(t, cv, tr("ui.locked.wait", "seconds", "5"))
	if opened != nil {
		t.Fatal("an attempt during the pause was tried")
	}
	l.pass = ""
	clk.Add(6 * time.Second)
	tap(t, cv, tr("language.name")) // languages switch on the locked screen too
	try("harbor lights 77")
	if opened == nil || !unlocked {
		t.Fatalf("the right passphrase did not open the kiosk (problem %v)", l.problem)
	}
	opened.Close()
}
