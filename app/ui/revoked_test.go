package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/ui/demoenv"
)

// revoke has the case server withdraw the rig's kiosk: its next sync is answered 410 and wipes
// the cache.
func revoke(t *testing.T, r *rig) {
	t.Helper()
	enr, err := r.env.Cache.Enrolment()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.env.Server.Revoke(enr.Kiosk); err != nil {
		t.Fatal(err)
	}
}

// assertOutOfService checks the screen a withdrawn kiosk shows: the notice in every language of
// the profile at once, the reason for staff, nothing of anybody, and no way to sign in.
func assertOutOfService(t *testing.T, r *rig, s sample) {
	t.Helper()
	cat, _ := i18n.Shipped()
	for _, code := range r.env.Profile.Languages {
		l := cat.Lang(code)
		mustHave(t, r.c, l.T("ui.out_of_service.title"))
		mustHave(t, r.c, l.T("ui.out_of_service.explain"))
		when := l.LongDate(domain.DateOf(r.k.local(r.k.revokedAt)))
		mustHave(t, r.c, l.T("ui.out_of_service.staff", "date", when))
	}
	assertNoTrace(t, r, s)
	for _, key := range []string{"ui.signin.submit", "ui.welcome.title", "ui.signin.forgot", "ui.quick_exit", "ui.key.clear",
		"ui.staff.leave", "ui.staff.end_assist", "ui.nav.home"} {
		mustNotHave(t, r.c, r.tr(key))
	}
	// Nothing leads to a sign-in: not the keys, not the staff shortcut, not the clock, not
	// Quick Exit's key.
	for _, d := range "123456" {
		r.k.typedRune(d)
	}
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	r.k.openStaffSignIn()
	r.clock.Add(time.Hour)
	r.k.tick()
	mustNotHave(t, r.c, r.tr("ui.signin.submit"))
	mustNotHave(t, r.c, r.tr("ui.staff.signin_title"))
	mustHave(t, r.c, r.tr("ui.out_of_service.title"))
	if r.k.signin != (signinState{}) || r.k.screen != scrOutOfService {
		t.Fatalf("typing reached %q: %+v", r.k.screen, r.k.signin)
	}
	if r.k.head.obj != nil || r.k.pad.obj != nil || r.k.navc.obj != nil || r.k.foot.obj != nil || r.k.warn != nil {
		t.Error("parts of the old screens are still kept")
	}
}

// A parent is signed in when the background sync hears that the kiosk was withdrawn: their
// screen goes at once, and the kiosk stays out of service.
func TestRevocationEndsTheSessionAndShowsOutOfService(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	visitAll(t, r)
	r.k.show(scrHome)
	r.c.Capture()
	left := r.c.Content()
	mustHave(t, r.c, s.Cases[0].Number)
	mustHave(t, r.c, s.Name)

	revoke(t, r)
	// The background sync as cmd/kiosk runs it: every outcome goes to the kiosk.
	err := env.Client.Run(context.Background(), time.Hour, r.k.SyncOutcome)
	if !errors.Is(err, domain.ErrRevoked) {
		t.Fatalf("the sync ended with %v", err)
	}
	r.k.bridge.wait()
	assertOutOfService(t, r, s)
	for _, x := range objectTexts(left) {
		for _, secret := range secrets(t, r, s) {
			if secret != "" && strings.Contains(x, secret) {
				t.Errorf("the screen left behind still holds %q (in %q)", secret, x)
			}
		}
	}
}

// Staff mode with a parent's session open for them ends the same way, when it is staff's own
// Sync now that hears of the withdrawal.
func TestRevocationEndsStaffModeAndAssistedSession(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRigWith(t, env, Options{Syncer: SyncWith{Store: env.Cache, Client: env.Client}})
	fd := staffLogin(t, env, domain.FrontDesk)
	s := r.s["noncustodial"]
	r.enterStaff(t, fd.Staff, fd.Password)
	r.search(t, s.Participant)
	tap(t, r.c, r.tr("ui.staff.assist"))
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
	tap(t, r.c, r.tr("ui.staff.end_assist"))
	tap(t, r.c, r.tr("ui.staff.assist"))
	tap(t, r.c, r.tr("ui.nav.payments"))

	revoke(t, r)
	r.k.staffGo(scrStaffStatus) // staff's status screen, while the assisted session is open
	tap(t, r.c, r.tr("ui.staff.sync_now"))
	r.k.bridge.wait()
	assertOutOfService(t, r, s)
	for _, x := range texts(r.c) {
		if strings.Contains(x, fd.Name) || strings.Contains(x, fd.Staff) {
			t.Errorf("the staff member is still on screen: %q", x)
		}
	}
	if r.k.staff != nil || r.k.mgr.Current() != nil || r.k.st.values != nil {
		t.Error("staff mode outlived the withdrawal")
	}
}

// The screen a kiosk shows when it starts on a data directory wiped at the case server's word.
func TestOutOfServiceAtStart(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	cat, _ := i18n.Shipped()
	at := time.Date(2026, time.November, 20, 15, 4, 0, 0, time.UTC)
	if err := ShowOutOfService(w, OutOfServiceOptions{Catalog: cat, At: at}); err != nil {
		t.Fatal(err)
	}
	c := w.Canvas()
	for _, code := range cat.Languages() {
		l := cat.Lang(code)
		mustHave(t, c, l.T("ui.out_of_service.title"))
		mustHave(t, c, l.T("ui.out_of_service.staff", "date", l.LongDate(domain.DateOf(at.Local()))))
	}
	if w := c.Content().MinSize(); w.Width > 1280 || w.Height > 800 {
		t.Errorf("the screen needs %v", w)
	}
}
