package ui

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/ui/demoenv"
	"childsupportkiosk/sync/demo"
)

// The UI tests run on a real cache filled the real way: demo data, imported by the case
// server, served on loopback, enrolled and synced into an encrypted cache (demoenv). Tests that
// only read share one; tests that change PINs get their own.

var (
	sharedOnce sync.Once
	sharedEnv  *demoenv.Env
	sharedErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedEnv != nil {
		sharedEnv.Close()
	}
	os.Exit(code)
}

// smallDemo is one office with few people: quick to start, with every kind of sample.
var smallDemo = demo.Options{Seed: 7, Offices: 1, Participants: 40}

func shared(t testing.TB) *demoenv.Env {
	t.Helper()
	sharedOnce.Do(func() { sharedEnv, sharedErr = demoenv.Start(context.Background(), demoenv.Options{Demo: smallDemo}) })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedEnv
}

func fresh(t testing.TB, o demoenv.Options) *demoenv.Env {
	t.Helper()
	if o.Demo == (demo.Options{}) {
		o.Demo = smallDemo
	}
	env, err := demoenv.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

// sample is a participant a test can sign in as, with what the screens should show of them.
type sample struct {
	demo.Sample
	SSN   string
	Name  string
	Cases []domain.Case
}

// samples returns the env's sign-ins by role: "custodial", "noncustodial", "both".
func samples(t testing.TB, env *demoenv.Env) map[string]sample {
	t.Helper()
	out := map[string]sample{}
	for _, s := range env.Samples {
		p, err := env.Cache.FindParticipant(s.Participant)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := env.Cache.Cases(s.Participant)
		if err != nil {
			t.Fatal(err)
		}
		out[s.Role] = sample{Sample: s, SSN: p.SSN, Name: p.Name, Cases: cs}
	}
	for _, r := range []string{"custodial", "noncustodial", "both"} {
		if _, ok := out[r]; !ok {
			t.Fatalf("the demo has no %s sample", r)
		}
	}
	return out
}

// demoNow is the test clock's start: an hour after the demo data was made.
var demoNow = demo.DefaultNow.Add(time.Hour)
