package main

import (
	"context"
	"log/slog"
	"time"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/ui"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/syncstate"
)

// demoKiosk is what --demo gives the kiosk (demo.go, built with -tags demo): a cache filled
// from demo data through a case server in this process, its sync client and progress, the
// sign-ins to show, and the way to close it all.
type demoKiosk struct {
	store         *cache.Cache
	syncer        *client.Client
	progress      chan syncstate.Progress
	logins, staff []ui.DemoLogin
	close         func()
	// withdraw has the demo's case server withdraw the kiosk after a while (the demo's way to
	// the out-of-service screen).
	withdraw func(ctx context.Context, after time.Duration, logger *slog.Logger, done func(syncstate.Result, error))
}
