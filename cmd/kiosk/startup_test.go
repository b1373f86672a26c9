package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// In kiosk mode a close request (Alt-F4, the window's close button) neither signs out nor
// closes; outside it, it does both.
func TestCloseRequest(t *testing.T) {
	for _, kiosk := range []bool{true, false} {
		var buf bytes.Buffer
		stopped, closed := false, false
		closeRequest(kiosk, newLogger(&buf, slog.LevelInfo), func() { stopped = true }, func() { closed = true })()
		if kiosk && (stopped || closed || !strings.Contains(buf.String(), "close request refused")) {
			t.Errorf("kiosk mode: stopped %v, closed %v, log %q", stopped, closed, buf.String())
		}
		if !kiosk && (!stopped || !closed) {
			t.Errorf("window mode: stopped %v, closed %v", stopped, closed)
		}
	}
}

func TestSinceExec(t *testing.T) {
	// The process started before package main was initialised, to the kernel's 10 ms tick.
	d, ok := sinceExec()
	if !ok || d+20*time.Millisecond < time.Since(mainStarted) || d > time.Hour {
		t.Fatalf("since exec %v, %v", d, ok)
	}
}
