package ui

import (
	"fmt"
	"testing"
	"time"

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

// The last two tries before a lock are said, for an account and for a login nobody has alike:
// nothing tells the lobby which is which.
func TestTriesLeftBeforeTheLock(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	max := env.Profile.MaxFailures
	for i, l := range []string{"en", "es"} {
		s := r.s[[]string{"noncustodial", "custodial"}[i]] // a fresh account, and a fresh nobody
		wrong := fmt.Sprintf("%06d", (atoiT(s.PIN)+1)%1000000)
		r.k.setLanguage(l)
		r.clock.Add(11 * time.Minute) // out of the kiosk's throttle window (10 failures in 10 min)
		var seen [][]string
		for _, login := range []string{s.Participant, fmt.Sprint(1234567890 + i)} {
			var said []string
			for i := 1; i <= max; i++ {
				r.signIn(t, login, wrong)
				left := max - i
				switch {
				case left == 0:
					mustHave(t, r.c, r.k.lang.Problem(domain.ErrLocked))
				case left == 1:
					mustHave(t, r.c, r.tr("ui.signin.tries_left_one"))
				case left == 2:
					mustHave(t, r.c, r.tr("ui.signin.tries_left", "tries", "2"))
				default:
					mustHave(t, r.c, r.k.lang.Problem(domain.ErrSignInFailed))
					mustNotHave(t, r.c, r.tr("ui.signin.tries_left", "tries", fmt.Sprint(left)))
				}
				said = append(said, r.k.problem(r.k.signin.problem))
			}
			seen = append(seen, said)
		}
		if fmt.Sprint(seen[0]) != fmt.Sprint(seen[1]) {
			t.Fatalf("%s: an account and a login nobody has are told apart:\n%q\n%q", l, seen[0], seen[1])
		}
	}
}
