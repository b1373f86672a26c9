package client_test

import (
	"crypto/rand"
	"errors"
	"testing"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/assets"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/demo"
)

// parentDesk is a kiosk's session manager for parents.
func parentDesk(t *testing.T, c *cache.Cache) *session.Manager {
	t.Helper()
	e, err := c.Enrolment()
	if err != nil {
		t.Fatal(err)
	}
	profile, err := assets.Profile(e.Profile)
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(c, session.Config{Profile: profile, Kiosk: e.Kiosk, VerifyPIN: seal.VerifyPIN,
		HashPIN: seal.HashPIN, Subject: c.AuditSubject})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func syncOK(t *testing.T, cl *client.Client) {
	t.Helper()
	res, err := cl.Sync(t.Context())
	if err != nil || res.Rejected != 0 {
		t.Fatalf("sync: %+v %v", res, err)
	}
}

// The ordinary flow with the server numbering PIN versions: wrong PINs at one kiosk, queued
// between syncs, reach the server in order and come down to a second kiosk of the office,
// which adds one of its own; a PIN the person then chooses at the first kiosk reaches the
// second, and both kiosks end with the server's state, version for version.
func TestPINFailuresAndChosenPINReachAnotherKiosk(t *testing.T) {
	w := newWorld(t, 40)
	a, clA, _ := w.kiosk(t, w.url, fast())
	b, clB, _ := w.kiosk(t, w.url, fast())
	syncOK(t, clA)
	syncOK(t, clB)
	var s demo.Sample
	for _, x := range w.samples {
		if !x.Temporary {
			s = x
			break
		}
	}
	if s.Participant == "" {
		t.Fatal("no sample with a PIN of its own")
	}
	start, err := w.db.Participant(s.Participant)
	if err != nil {
		t.Fatal(err)
	}
	mA, mB := parentDesk(t, a), parentDesk(t, b)
	for range 2 {
		if _, err := mA.SignIn(s.Participant, "000000"); !errors.Is(err, domain.ErrSignInFailed) {
			t.Fatalf("wrong PIN at kiosk A: %v", err)
		}
	}
	syncOK(t, clA)
	same := func(where string, want int, version int64) {
		t.Helper()
		on, _ := w.db.Participant(s.Participant)
		for _, c := range []*cache.Cache{a, b} {
			p, err := c.FindParticipant(s.Participant)
			if err != nil {
				t.Fatal(err)
			}
			if p.PIN != on.PIN {
				t.Fatalf("%s: a kiosk holds %+v, the server %+v", where, p.PIN, on.PIN)
			}
		}
		if on.PIN.Failures != want || on.PIN.Version != version {
			t.Fatalf("%s: the server holds %d failures at version %d, want %d at %d", where,
				on.PIN.Failures, on.PIN.Version, want, version)
		}
	}
	syncOK(t, clB)
	same("after kiosk A's two wrong PINs", 2, start.PIN.Version+2)

	if _, err := mB.SignIn(s.Participant, "000000"); !errors.Is(err, domain.ErrSignInFailed) {
		t.Fatalf("wrong PIN at kiosk B: %v", err)
	}
	syncOK(t, clB)
	syncOK(t, clA)
	same("after kiosk B's", 3, start.PIN.Version+3)

	// The right PIN at kiosk A clears the count; the person chooses a new PIN there.
	sess, err := mA.SignIn(s.Participant, s.PIN)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := a.FindParticipant(s.Participant)
	chosen, err := domain.NewTempPIN(rand.Reader, mA.Profile().PINLength, p.BirthDate)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.ChangePIN(s.PIN, chosen, chosen); err != nil {
		t.Fatal(err)
	}
	mA.SignOut()
	syncOK(t, clA)
	syncOK(t, clB)
	same("after the chosen PIN", 0, start.PIN.Version+5)
	on, _ := w.db.Participant(s.Participant)
	if on.PIN.IssuedBy != "kiosk:"+mustKiosk(t, a) || !seal.VerifyPIN(on.PIN.Verifier, chosen) {
		t.Fatalf("the server's PIN %+v is not the one chosen at kiosk A", on.PIN)
	}
	if _, err := mB.SignIn(s.Participant, s.PIN); !errors.Is(err, domain.ErrSignInFailed) {
		t.Fatalf("the old PIN at kiosk B: %v", err)
	}
	mB.SignOut()
	if _, err := mB.SignIn(s.Participant, chosen); err != nil {
		t.Fatalf("the chosen PIN at kiosk B: %v", err)
	}
}
