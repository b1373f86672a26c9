package ui

import (
	"reflect"
	"testing"

	"childsupportkiosk/app/domain"
)

// Every way a person's screens end (Quick Exit, time-out, the end of an assisted session)
// leaves nothing of them in the screens: their views are zero, no session, no document in the
// preview, and none of their screens opens.
func TestLeavingForgetsThePerson(t *testing.T) {
	r := newRig(t, shared(t))
	r.k.o.Printer = &fakePrinter{}
	s := r.s["noncustodial"]
	// open puts something of the person in every part of their view that a tap can reach.
	open := func(t *testing.T) {
		t.Helper()
		mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
		tap(t, r.c, r.tr("ui.nav.payments"))
		tap(t, r.c, r.tr("ui.pager.next")) // the view holds the page
		tap(t, r.c, r.tr("ui.print.page"))
		r.k.bridge.wait()
		if reflect.ValueOf(r.k.person).IsZero() || r.k.prev.doc == nil {
			t.Fatal("the person's screens hold nothing to forget")
		}
	}
	forgotten := func(t *testing.T, how string) {
		t.Helper()
		if !reflect.ValueOf(r.k.person).IsZero() {
			t.Errorf("after %s the screens still hold %+v", how, r.k.person)
		}
		if r.k.sess != nil || r.k.mgr.Current() != nil || r.k.prev.doc != nil {
			t.Errorf("after %s: session %v, preview %v", how, r.k.sess != nil, r.k.prev.doc != nil)
		}
		for _, scr := range []string{scrHome, scrPayments, scrPreview} {
			r.k.show(scr)
			if r.k.screen == scr {
				t.Errorf("after %s the screen %s of the last person opens", how, scr)
			}
		}
	}

	r.signIn(t, s.Participant, s.PIN)
	open(t)
	tap(t, r.c, r.tr("ui.quick_exit"))
	forgotten(t, "Quick Exit")
	mustNotHave(t, r.c, s.Name)

	r.signIn(t, s.Participant, s.PIN)
	open(t)
	r.clock.Add(r.env.Profile.Idle() + r.env.Profile.Warning())
	r.k.tick()
	mustHave(t, r.c, r.tr("ui.signin.timed_out"))
	forgotten(t, "a time-out")
	mustNotHave(t, r.c, s.Name)

	fd := staffLogin(t, r.env, domain.FrontDesk)
	r.enterStaff(t, fd.Staff, fd.Password)
	r.search(t, s.Participant)
	tap(t, r.c, r.tr("ui.staff.assist"))
	open(t)
	tap(t, r.c, r.tr("ui.staff.end_assist")) // from the preview itself
	mustHave(t, r.c, r.tr("ui.staff.band", "name", fd.Name, "role", r.tr("staff.role.front_desk")))
	forgotten(t, "the end of an assisted session")
}
