//go:build demo

package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/app/ui/demoenv"
	"childsupportkiosk/sync/demo"
	"childsupportkiosk/sync/syncstate"
)

// lockedBuffer is a log destination shared by the case server's goroutines and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A background sync logs its outcome at info with counts and duration, and neither the kiosk's
// log nor the case server's, at debug level, names a participant: no participant ID, SSN,
// name, PIN or case number appears, though people signed in and their audit was pushed.
func TestSyncLogsOutcomeWithoutPersonalData(t *testing.T) {
	var buf lockedBuffer
	logger := newLogger(&buf, slog.LevelDebug)
	ctx := context.Background()
	env, err := demoenv.Start(ctx, demoenv.Options{Logger: logger,
		Demo: demo.Options{Seed: 7, Offices: 1, Participants: 40}})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()

	mgr, err := session.New(env.Cache, session.Config{Profile: env.Profile, Kiosk: "test",
		Now:       func() time.Time { return demo.DefaultNow.Add(time.Hour) },
		VerifyPIN: seal.VerifyPIN, HashPIN: seal.HashPIN, Subject: env.Cache.AuditSubject})
	if err != nil {
		t.Fatal(err)
	}
	var secrets []string
	for _, s := range env.Samples {
		if _, err := mgr.SignIn(s.Participant, s.PIN); err != nil {
			t.Fatalf("sign-in %s: %v", s.Role, err)
		}
		mgr.SignOut()
		// A wrong PIN changes the PIN state, which goes up with the participant's record.
		if _, err := mgr.SignIn(s.Participant, "000000"[:len(s.PIN)]); !errors.Is(err, domain.ErrSignInFailed) {
			t.Fatalf("wrong PIN for %s: %v", s.Role, err)
		}
		p, err := env.Cache.FindParticipant(s.Participant)
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, s.Participant, s.PIN, p.SSN, p.Name)
		cases, err := env.Cache.Cases(s.Participant)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			secrets = append(secrets, c.Number)
		}
	}

	report := logSync(ctx, logger)
	report(env.Client.Sync(ctx))
	report(syncstate.Result{}, errors.New("dial tcp 127.0.0.1:9: connection refused"))
	report(syncstate.Result{}, domain.ErrRevoked)

	log := buf.String()
	for _, want := range []string{`level=INFO msg="sync done"`, `level=WARN msg="sync failed"`, `level=ERROR msg="sync stopped"`, "took_ms=", "pulled="} {
		if !strings.Contains(log, want) {
			t.Errorf("log has no %q:\n%s", want, log)
		}
	}
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "sync done") && strings.Contains(line, " pushed=0 ") {
			t.Errorf("the sign-ins' audit and PIN states were not pushed: %s", line)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(log, s) {
			t.Errorf("the log carries personal data %q", s)
		}
	}
}
