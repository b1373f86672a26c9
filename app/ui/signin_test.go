package ui

import (
	"fmt"
	"testing"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/ui/demoenv"
)

func TestSignInWithParticipantIDAndSSN(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	mustHave(t, r.c, r.tr("ui.welcome.title"))
	r.signIn(t, s.Participant, s.PIN)
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
	mustHave(t, r.c, r.tr("ui.case.number", "number", s.Cases[0].Number))
	tap(t, r.c, r.tr("ui.sign_out"))
	mustHave(t, r.c, r.tr("ui.signin.signed_out"))

	ssn := s.SSN[:3] + "-" + s.SSN[3:5] + " " + s.SSN[5:] // as people type it
	r.signIn(t, ssn, s.PIN)
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
}

func TestWrongPINLocksAndUnknownLooksTheSame(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	s := r.s["noncustodial"]
	wrong := fmt.Sprintf("%06d", (atoiT(s.PIN)+1)%1000000)
	failed := r.k.lang.Problem(domain.ErrSignInFailed)

	r.signIn(t, "1234567890", wrong) // nobody
	mustHave(t, r.c, failed)
	for i := 1; i < env.Profile.MaxFailures; i++ {
		r.signIn(t, s.Participant, wrong)
		mustHave(t, r.c, failed)
	}
	r.signIn(t, s.Participant, wrong)
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrLocked))
	r.signIn(t, s.Participant, s.PIN) // the right PIN no longer opens it
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrLocked))
	mustNotHave(t, r.c, s.Name)
	p, err := env.Cache.FindParticipant(s.Participant)
	if err != nil || !p.PIN.Locked() {
		t.Fatalf("the lock is not in the cache: %v %+v", err, p.PIN)
	}
}

func TestTemporaryPINForcesANewPIN(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	s := r.s["both"]
	if !s.Temporary {
		t.Fatal("the demo's 'both' sample should have a temporary PIN")
	}
	r.signIn(t, s.Participant, s.PIN)
	mustHave(t, r.c, r.tr("ui.pin.choose_title"))
	mustNotHave(t, r.c, r.tr("ui.nav.payments")) // nothing else before a new PIN
	mustNotHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))

	typePINs := func(a, b string) {
		for _, d := range a + b {
			r.press(t, d)
		}
		tap(t, r.c, r.tr("ui.pin.save"))
		r.k.bridge.wait()
	}
	typePINs("123456", "123456")
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrPINWeak))
	typePINs("739164", "739146")
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrPINMismatch))
	typePINs("739164", "739164")
	mustHave(t, r.c, r.tr("ui.pin.changed"))
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))

	tap(t, r.c, r.tr("ui.sign_out"))
	r.signIn(t, s.Participant, "739164")
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
	p, _ := env.Cache.FindParticipant(s.Participant)
	if p.PIN.Temporary {
		t.Fatal("the cache still holds a temporary PIN")
	}
}

func TestForgotPINQueuesARequest(t *testing.T) {
	r := newRig(t, shared(t))
	tap(t, r.c, r.tr("ui.signin.forgot"))
	mustHave(t, r.c, r.tr("ui.forgot.need_id"))
	for _, d := range r.s["custodial"].Participant {
		r.press(t, d)
	}
	tap(t, r.c, r.tr("ui.signin.forgot"))
	mustHave(t, r.c, r.tr("ui.forgot.sent"))
}

func atoiT(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
