package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestShots saves screens as PNG files in $KIOSK_SHOTS, to look at them; it does nothing
// otherwise.
func TestShots(t *testing.T) {
	dir := os.Getenv("KIOSK_SHOTS")
	if dir == "" {
		t.Skip("KIOSK_SHOTS not set")
	}
	r := newRig(t, shared(t))
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
	for _, role := range []string{"noncustodial", "custodial"} {
		s := r.s[role]
		r.signIn(t, s.Participant, s.PIN)
		for _, lang := range []string{"en", "es", "fr"} {
			r.k.setLanguage(lang)
			for _, scr := range []string{scrHome, scrPayments, scrPay, scrDocuments, scrMessages, scrOtherParty, scrDetails, scrChangePIN, scrHelp} {
				r.k.show(scr)
				shot(role + "-" + scr + "-" + lang)
			}
		}
		r.k.setLanguage("en")
		r.k.show(scrPayments)
		tapFirstRow(t, r)
		shot(role + "-detail")
		shotPreviews(t, r, role, shot) // preview_test.go
		r.k.show(scrMessages)
		tap(t, r.c, r.tr("ui.messages.write"))
		for _, ch := range "hola" {
			tap(t, r.c, string(ch))
		}
		shot(role + "-compose")
		r.k.quickExit()
		shot("neutral")
		r.k.show(scrWelcome)
	}
}
