package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestShots saves the main screens as PNG files in $KIOSK_SHOTS, to look at them; it does
// nothing otherwise.
func TestShots(t *testing.T) {
	dir := os.Getenv("KIOSK_SHOTS")
	if dir == "" {
		t.Skip("KIOSK_SHOTS not set")
	}
	r := newRig(t)
	shot := func(name string) {
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, r.c.Capture()); err != nil {
			t.Fatal(err)
		}
	}
	shot("welcome")
	r.signIn(t, r.s[0].login, r.s[0].pin)
	shot("home")
	tapT(t, r.c, r.tr("ui.nav.payments"))
	shot("payments")
	r.k.setLanguage("es")
	shot("payments-es")
	r.k.quickExit()
	shot("neutral")
}
