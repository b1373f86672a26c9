package client_test

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/assets"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/server"
)

// counter is a kiosk's session manager wired as cmd/kiosk wires it; checks counts the PINs it
// checks against the verifier of the participant pid.
func counter(t *testing.T, c *cache.Cache, cl *client.Client, pid string, checks *int) *session.Manager {
	t.Helper()
	e, err := c.Enrolment()
	if err != nil {
		t.Fatal(err)
	}
	profile, err := assets.Profile(e.Profile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.FindParticipant(pid)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(verifier, pin string) bool {
		if verifier == p.PIN.Verifier {
			*checks++
		}
		return seal.VerifyPIN(verifier, pin)
	}
	m, err := session.New(c, session.Config{Profile: profile, Kiosk: e.Kiosk, VerifyPIN: verify,
		HashPIN: seal.HashPIN, Subject: c.AuditSubject, Attempts: cl.Attempts(0)})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Two kiosks of an office, both online, share one count of wrong PINs per account: after the
// profile's MaxFailures wrong PINs in total, taken in turn at the two, the account is locked at
// both, and the right PIN opens it at neither (it took 10 wrong PINs, 5 at each).
func TestTwoKiosksShareTheLockout(t *testing.T) {
	w := newWorld(t, 40)
	s := w.samples[0]
	if s.Temporary {
		t.Fatal("the first sample has a temporary PIN")
	}
	checked := 0
	ms := twoKiosks(t, w, s.Participant, &checked)
	wrong := wrongPIN(s.PIN)
	max := ms[0].Profile().MaxFailures
	for i := range 2 * max {
		_, err := ms[i%2].SignIn(s.Participant, wrong)
		if !errors.Is(err, domain.ErrSignInFailed) && !errors.Is(err, domain.ErrLocked) {
			t.Fatalf("try %d: %v", i+1, err)
		}
	}
	for i, m := range ms {
		if _, err := m.SignIn(s.Participant, s.PIN); !errors.Is(err, domain.ErrLocked) {
			t.Errorf("kiosk %d: the right PIN after %d wrong ones at the two kiosks: %v", i+1, 2*max, err)
		}
	}
	if checked != max {
		t.Errorf("%d wrong PINs were checked before the account locked at both kiosks; want %d", checked, max)
	}
}

// twoKiosks enrols and syncs two kiosks of the world's office, each with a session manager
// whose PIN checks of participant count into checked.
func twoKiosks(t *testing.T, w *world, participant string, checked *int) []*session.Manager {
	t.Helper()
	var ms []*session.Manager
	for range 2 {
		c, cl, _ := w.kiosk(t, w.url, fast())
		if _, err := cl.Sync(t.Context()); err != nil {
			t.Fatal(err)
		}
		ms = append(ms, counter(t, c, cl, participant, checked))
	}
	return ms
}

// wrongPIN is a PIN of the same length that is not pin.
func wrongPIN(pin string) string {
	n, _ := strconv.Atoi(pin)
	return fmt.Sprintf("%0*d", len(pin), (n+1)%int(math.Pow10(len(pin))))
}

// Online, a login nobody has is counted at the office like a real account: taken in turn at
// two kiosks, the same answers after the same number of tries.
func TestTwoKiosksUnknownLoginAnswersLikeARealOne(t *testing.T) {
	w := newWorld(t, 40)
	s := w.samples[0]
	checked := 0
	ms := twoKiosks(t, w, s.Participant, &checked)
	wrong := wrongPIN(s.PIN)
	answers := func(login string) string {
		var got []string
		for i := range 2*ms[0].Profile().MaxFailures - 2 {
			_, err := ms[i%2].SignIn(login, wrong)
			switch {
			case errors.Is(err, domain.ErrLocked):
				got = append(got, "locked")
			case errors.Is(err, domain.ErrSignInFailed):
				got = append(got, "failed")
			default:
				got = append(got, err.Error())
			}
		}
		return fmt.Sprint(got)
	}
	known, unknown := answers(s.Participant), answers("1999999999")
	if known != unknown || known != "[failed failed failed failed locked locked locked locked]" {
		t.Fatalf("a real account answers %s, a login nobody has %s", known, unknown)
	}
}

// A server that does not answer leaves the kiosk to its own count, within the attempts
// timeout: five wrong PINs lock at this kiosk as before.
func TestAttemptsOfflineFallsBack(t *testing.T) {
	w := newWorld(t, 40)
	c, cl, _ := w.kiosk(t, w.url, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	s := w.samples[0]
	checked := 0
	m := counter(t, c, cl, s.Participant, &checked)
	w.srv.Close()
	wrong := wrongPIN(s.PIN)
	start := time.Now()
	for i := 1; i <= 5; i++ {
		_, err := m.SignIn(s.Participant, wrong)
		if want := i == 5; errors.Is(err, domain.ErrLocked) != want {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if took := time.Since(start); took > 5*client.DefaultAttemptTimeout {
		t.Fatalf("five offline sign-ins took %v", took)
	}
	if _, err := cl.Attempts(0).Try(t.Context(), "x"); !errors.Is(err, domain.ErrOffline) {
		t.Fatalf("offline: %v", err)
	}
}

// A server that started again has forgotten its counts and has a new key: the kiosk takes the
// new key with its next question, and counts start again alike at every kiosk.
func TestAttemptsNewKeyAfterARestart(t *testing.T) {
	w := newWorld(t, 40)
	_, cl1, _ := w.kiosk(t, w.url, fast())
	_, cl2, _ := w.kiosk(t, w.url, fast())
	a1, a2 := cl1.Attempts(0), cl2.Attempts(0)
	for i, a := range []*client.Attempts{a1, a2, a1} {
		if n, err := a.Try(t.Context(), "participant 1"); err != nil || n != i+1 {
			t.Fatalf("try %d: %d %v", i+1, n, err)
		}
	}
	w.srv.Config.Handler = server.Handler(w.db, nil) // a new process: a new book
	for i, a := range []*client.Attempts{a2, a1} {
		if n, err := a.Try(t.Context(), "participant 1"); err != nil || n != i+1 {
			t.Fatalf("after the restart, try %d: %d %v", i+1, n, err)
		}
	}
	if err := a2.Clear(t.Context(), "participant 1"); err != nil {
		t.Fatal(err)
	}
	if n, err := a1.Try(t.Context(), "participant 1"); err != nil || n != 1 {
		t.Fatalf("after a clear: %d %v", n, err)
	}
}
