package client_test

import (
	"errors"
	"testing"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/sync/demo"
	"childsupportkiosk/sync/protocol"
)

// staffDesk is a kiosk's session manager with a front-desk staff member signed in.
func staffDesk(t *testing.T, w *world, c *cache.Cache) (*session.Manager, *session.Staff, demo.StaffLogin) {
	t.Helper()
	m := parentDesk(t, c) // one manager serves parents and staff
	logins := demo.Staff(w.export, w.office)
	if len(logins) == 0 {
		t.Fatal("the demo office has no staff")
	}
	st, err := m.StaffSignIn(logins[0].Staff, logins[0].Password)
	if err != nil {
		t.Fatalf("staff sign-in: %v", err)
	}
	return m, st, logins[0]
}

// A temporary PIN issued at the desk, and its audit event, reach the server once even when
// the answer to the push is lost and the push is sent again; the parent then signs in with it
// and must choose a new PIN.
func TestIssuedPINAndAuditReachTheServerOnce(t *testing.T) {
	w := newWorld(t, 40)
	proxy := newFaultProxy(t, w.url)
	c, cl, _ := w.kiosk(t, proxy.URL, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	m, st, login := staffDesk(t, w, c)
	pid := w.samples[1].Participant
	issued, err := st.IssuePIN(pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(issued.PIN) != m.Profile().PINLength || domain.WeakPIN(issued.PIN, domain.Date{}) {
		t.Fatalf("issued PIN %q: wrong length or weak", issued.PIN)
	}
	proxy.add(rule{path: protocol.PathPush, after: -1, fault: dropResponse, times: 1})
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if proxy.hit(dropResponse) != 1 {
		t.Fatal("the push's answer was not dropped")
	}
	onServer, err := w.db.Participant(pid)
	if err != nil {
		t.Fatal(err)
	}
	if onServer.PIN.Verifier != issued.State.Verifier || !onServer.PIN.Temporary || onServer.PIN.Version != issued.State.Version {
		t.Fatalf("server PIN state %+v, want the issued one", onServer.PIN)
	}
	e, _ := c.Enrolment()
	evs, err := w.db.AuditEvents(e.Kiosk)
	if err != nil {
		t.Fatal(err)
	}
	issues := 0
	for _, ev := range evs {
		if ev.Action == "staff_pin_issue" {
			issues++
			if ev.Staff != login.Staff || ev.Subject == "" || ev.Subject == pid {
				t.Errorf("audit event %+v: want the staff ID and a keyed subject", ev)
			}
		}
	}
	if issues != 1 {
		t.Fatalf("the server holds %d PIN-issue audit events, want 1: %+v", issues, evs)
	}
	if s, _ := c.Status(); s.PendingOutbox != 0 {
		t.Fatalf("outbox still holds %d", s.PendingOutbox)
	}
	m.EndStaff()
	sess, err := m.SignIn(pid, issued.PIN)
	if err != nil || !sess.NeedsNewPIN() {
		t.Fatalf("sign-in with the issued PIN: %v", err)
	}
}

// A PIN the call centre issues at the server after the kiosk issued one wins by version: the
// kiosk's cache takes it on the next sync and says who issued it; the desk's PIN stops
// working. The same holds when the kiosk's PIN had not reached the server yet.
func TestCallCentrePINWinsByVersion(t *testing.T) {
	for _, name := range []string{"after the kiosk's push", "before the kiosk's push"} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, 40)
			proxy := newFaultProxy(t, w.url)
			c, cl, _ := w.kiosk(t, proxy.URL, fast())
			if _, err := cl.Sync(t.Context()); err != nil {
				t.Fatal(err)
			}
			m, st, _ := staffDesk(t, w, c)
			pid := w.samples[0].Participant
			desk, err := st.IssuePIN(pid)
			if err != nil {
				t.Fatal(err)
			}
			pushed := name == "after the kiosk's push"
			if pushed {
				if _, err := cl.Sync(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			callPIN := "583920"
			v, err := seal.HashPIN(callPIN)
			if err != nil {
				t.Fatal(err)
			}
			call, err := w.db.IssuePIN(t.Context(), pid, v, "callcentre", m.Profile().TempPINValidity())
			if err != nil {
				t.Fatal(err)
			}
			if pushed && call.Version <= desk.State.Version || !pushed && call.Version != desk.State.Version {
				t.Fatalf("call centre version %d, desk %d", call.Version, desk.State.Version)
			}
			if _, err := cl.Sync(t.Context()); err != nil {
				t.Fatal(err)
			}
			p, err := c.FindParticipant(pid)
			if err != nil {
				t.Fatal(err)
			}
			if p.PIN.IssuedBy != "callcentre" || p.PIN.Verifier != v || p.PIN.IssuedAt.IsZero() {
				t.Fatalf("kiosk PIN state %+v: want the call centre's", p.PIN)
			}
			onServer, _ := w.db.Participant(pid)
			if onServer.PIN.Verifier != v {
				t.Fatal("the server lost the call centre's PIN")
			}
			m.EndStaff()
			if _, err := m.SignIn(pid, desk.PIN); !errors.Is(err, domain.ErrSignInFailed) {
				t.Fatalf("the desk's PIN still works: %v", err)
			}
			if sess, err := m.SignIn(pid, callPIN); err != nil || !sess.NeedsNewPIN() {
				t.Fatalf("the call centre's PIN: %v", err)
			}
		})
	}
}

// Staff sign-in follows the parents' rules: wrong passwords lock the account, the lock goes to
// the server, and a locked account cannot sign in even with the right password.
func TestStaffLockout(t *testing.T) {
	w := newWorld(t, 40)
	c, cl, _ := w.kiosk(t, w.url, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	m, _, login := staffDesk(t, w, c)
	m.EndStaff()
	if _, err := m.StaffSignIn("NOBODY1", "whatever1"); !errors.Is(err, domain.ErrSignInFailed) {
		t.Fatalf("unknown staff ID: %v", err)
	}
	var err error
	for i := 0; i < m.Profile().MaxFailures; i++ {
		_, err = m.StaffSignIn(login.Staff, "wrong-password")
	}
	if !errors.Is(err, domain.ErrStaffLocked) {
		t.Fatalf("after %d wrong passwords: %v", m.Profile().MaxFailures, err)
	}
	if _, err := m.StaffSignIn(login.Staff, login.Password); !errors.Is(err, domain.ErrStaffLocked) {
		t.Fatalf("locked account with the right password: %v", err)
	}
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	s, err := c.FindStaff(login.Staff)
	if err != nil || !s.Password.Locked() {
		t.Fatalf("after sync the kiosk's copy is not locked: %v", err)
	}
	evs, _ := w.db.AuditEvents(mustKiosk(t, c))
	locked := 0
	for _, ev := range evs {
		if ev.Action == "staff_signin_locked" {
			locked++
		}
	}
	if locked != 1 {
		t.Fatalf("%d locked sign-in attempts audited, want 1", locked)
	}
}

func mustKiosk(t *testing.T, c *cache.Cache) string {
	t.Helper()
	e, err := c.Enrolment()
	if err != nil {
		t.Fatal(err)
	}
	return e.Kiosk
}
