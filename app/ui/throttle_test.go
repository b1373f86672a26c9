package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/ui/demoenv"
)

// After many failed sign-ins the kiosk asks, in the person's language, for a pause of so many
// seconds before the next try, and staff see the alert on the status screen.
func TestSprayMakesTheKioskAskForAPause(t *testing.T) {
	for _, lang := range []string{"es", "fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			env := fresh(t, demoenv.Options{})
			r := newRigWith(t, env, Options{Language: lang})
			wrong := "000000"[:env.Profile.PINLength]
			failed := r.k.lang.Problem(domain.ErrSignInFailed)
			for i := range domain.SignInThrottle.Free {
				r.signIn(t, fmt.Sprintf("19000000%02d", i), wrong) // nobody: no account locks
				mustHave(t, r.c, failed)
			}
			r.signIn(t, "1900000099", wrong)
			want := r.tr("ui.signin.wait", "seconds", "5")
			mustHave(t, r.c, want)
			if strings.Contains(want, "{") || lang != "en" && strings.Contains(want, "Please wait") {
				t.Fatalf("not translated: %q", want)
			}
			r.clock.Add(4 * time.Second)
			r.signIn(t, "1900000099", wrong)
			mustHave(t, r.c, r.tr("ui.signin.wait_one"))
			r.clock.Add(time.Second)
			r.signIn(t, "1900000099", wrong)
			mustHave(t, r.c, failed) // checked again

			r.k.o.Syncer = SyncWith{Store: env.Cache, Client: env.Client}
			fd := staffLogin(t, env, domain.FrontDesk)
			r.enterStaff(t, fd.Staff, fd.Password)
			tap(t, r.c, r.tr("ui.staff.status"))
			alert, _, _ := strings.Cut(r.tr("ui.staff.guessing_parents", "n", "10", "minutes", "10", "when", "\x00"), "\x00")
			mustHaveText(t, r, alert)
		})
	}
}

// mustHaveText fails unless some text on screen begins with prefix.
func mustHaveText(t *testing.T, r *rig, prefix string) {
	t.Helper()
	for _, s := range texts(r.c) {
		if strings.HasPrefix(s, prefix) {
			return
		}
	}
	t.Fatalf("no text beginning %q on screen; texts: %q", prefix, texts(r.c))
}
