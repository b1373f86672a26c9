//go:build !demo

package main

import (
	"context"
	"errors"
	"log/slog"
)

// startDemo is refused: the lobby's build links no case server and no demo generator.
func startDemo(context.Context, *slog.Logger) (*demoKiosk, error) {
	return nil, errors.New("this kiosk is built without the demo: build it with -tags demo (scripts/demo does)")
}
