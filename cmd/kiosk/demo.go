//go:build demo

package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"childsupportkiosk/app/ui"
	"childsupportkiosk/app/ui/demoenv"
	demodata "childsupportkiosk/sync/demo"
	"childsupportkiosk/sync/syncstate"
)

// startDemo starts the demo's case server in this process on loopback with generated data,
// enrols a kiosk into a temporary cache, syncs it, and prints the demo's sign-ins.
func startDemo(ctx context.Context, logger *slog.Logger) (*demoKiosk, error) {
	env, err := demoenv.Start(ctx, demoenv.Options{Logger: logger,
		// Today, so the temporary PIN is valid and the appointments lie ahead.
		Demo: demodata.Options{Now: time.Now()}})
	if err != nil {
		return nil, err
	}
	d := &demoKiosk{store: env.Cache, syncer: env.Client, progress: env.Progress, close: func() { env.Close() }}
	d.withdraw = func(ctx context.Context, after time.Duration, logger *slog.Logger, done func(syncstate.Result, error)) {
		withdrawDemo(ctx, env, after, logger, done)
	}
	fmt.Println("Demo sign-ins (demo data only):")
	for _, s := range env.Samples {
		note := s.Role
		if s.Temporary {
			note += ", temporary PIN"
		}
		if s.FamilyViolence {
			note += ", family-violence indicator"
		}
		fmt.Printf("  participant ID %s  PIN %s  (%s)\n", s.Participant, s.PIN, note)
		d.logins = append(d.logins, ui.DemoLogin{Login: s.Participant, PIN: s.PIN, Role: s.Role,
			Temporary: s.Temporary, FamilyViolence: s.FamilyViolence})
	}
	fmt.Println("Demo staff (hold the agency name for 3 s, or Ctrl+Alt+S, on the welcome screen):")
	for _, s := range env.Staff {
		fmt.Printf("  staff ID %s  password %s  (%s)\n", s.Staff, s.Password, s.Role)
		d.staff = append(d.staff, ui.DemoLogin{Login: s.Staff, PIN: s.Password, Role: string(s.Role)})
	}
	return d, nil
}

// withdrawDemo has the demo's case server withdraw the demo kiosk after a while, then syncs
// at once and reports the outcome to done as the background sync would: the demo's way to the
// out-of-service screen (kiosk --demo --demo-withdraw-after 10s).
func withdrawDemo(ctx context.Context, env *demoenv.Env, after time.Duration,
	logger *slog.Logger, done func(syncstate.Result, error)) {
	go func() {
		t := time.NewTimer(after)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		enr, err := env.Cache.Enrolment()
		if err == nil {
			err = env.Server.Revoke(enr.Kiosk)
		}
		if err != nil {
			logger.Warn("demo: the kiosk could not be withdrawn", "error", err.Error())
			return
		}
		logger.Info("demo: the case server withdrew this kiosk", "kiosk", enr.Kiosk)
		res, err := env.Client.Sync(ctx)
		done(res, err)
	}()
}
