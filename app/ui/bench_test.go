package ui

import (
	"fmt"
	"testing"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/ui/demoenv"
	"childsupportkiosk/sync/demo"
)

// BenchmarkSignInToHome is a sign-in on the keypad, Argon2id included, until the home screen
// is built; Quick Exit between rounds is not timed.
func BenchmarkSignInToHome(b *testing.B) {
	r := newRig(b, shared(b))
	s := r.s["noncustodial"]
	for b.Loop() {
		r.signIn(b, s.Participant, s.PIN)
		if r.k.screen != scrHome {
			b.Fatal("not signed in")
		}
		b.StopTimer()
		r.k.quickExit()
		r.k.show(scrWelcome)
		b.StartTimer()
	}
}

// thousandPayments gives the noncustodial sample of the kiosk's office 1,000 payments, copies
// of their own going further back in time.
func thousandPayments(e *domain.Export, samples []demo.Sample) {
	var payer string
	for _, s := range samples {
		if s.Office == e.Offices[0].ID && s.Role == "noncustodial" {
			payer = s.Participant
		}
	}
	var theirs []domain.Payment
	oldest := demo.DefaultNow
	for _, p := range e.Payments {
		if p.Payer == payer {
			theirs = append(theirs, p)
			if t := p.Received.Time(oldest.Location()); t.Before(oldest) {
				oldest = t
			}
		}
	}
	for i := 0; len(theirs) > 0 && len(theirs)+i < 1000; i++ {
		p := theirs[i%len(theirs)]
		p.ID = fmt.Sprintf("BENCH%06d", i)
		p.Received = domain.DateOf(oldest.AddDate(0, 0, -7*(i+1)))
		e.Payments = append(e.Payments, p)
	}
}

// BenchmarkOpenPayments1000 opens the Payments screen of a participant with 1,000 payments:
// reading and decrypting them from the cache, sorting, paging and building the screen. Each
// round is a new session, so nothing is read from a previous round.
func BenchmarkOpenPayments1000(b *testing.B) {
	env := fresh(b, demoenv.Options{Adjust: thousandPayments})
	r := newRig(b, env)
	s := r.s["noncustodial"]
	made, err := env.Cache.PaymentsMade(s.Participant)
	if err != nil || len(made) < 1000 {
		b.Fatalf("%d payments, %v", len(made), err)
	}
	for b.Loop() {
		b.StopTimer()
		r.signIn(b, s.Participant, s.PIN)
		b.StartTimer()
		r.k.show(scrPayments)
		b.StopTimer()
		if len(rows(r.c)) != 20 {
			b.Fatal("no page of payments")
		}
		r.k.quickExit()
		r.k.show(scrWelcome)
		b.StartTimer()
	}
}
