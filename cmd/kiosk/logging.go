package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/syncstate"
)

// The kiosk's log (the service's journal) is structured (log/slog, key=value text) and names
// no person: kiosk IDs, counts, durations and error texts, which are protocol and system errors
// or translation keys, never personal data.

// newLogger writes text records at level and above to w.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// logSync is the background sync's report: every outcome at info with its counts and
// duration, a failure at warn, and a revoked or unenrolled kiosk, which stops syncing, at
// error. Nothing is logged once ctx has ended (the kiosk is stopping).
func logSync(ctx context.Context, logger *slog.Logger) func(syncstate.Result, error) {
	return func(r syncstate.Result, err error) {
		if ctx.Err() != nil {
			return
		}
		attrs := []any{"pulled", r.Pulled, "batches", r.Batches, "pushed", r.Pushed,
			"rejected", r.Rejected, "push_failed", r.PushFailed, "cursor", r.Cursor,
			"took_ms", r.Took.Milliseconds()}
		switch {
		case errors.Is(err, domain.ErrRevoked), errors.Is(err, domain.ErrNotEnrolled), errors.Is(err, client.ErrUnauthorized):
			logger.Error("sync stopped", append(attrs, "error", err.Error())...)
		case err != nil:
			logger.Warn("sync failed", append(attrs, "error", err.Error())...)
		default:
			logger.Info("sync done", attrs...)
		}
	}
}
