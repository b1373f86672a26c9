package main

import (
	"log/slog"
	"os/exec"
	"strconv"

	"childsupportkiosk/app/speech"
)

// speaker is the kiosk's spoken guidance: espeak-ng at rate words a minute (0: its own), or
// none when turned off. Without espeak-ng the Listen button shows, disabled, that there is no
// voice, and the log says why.
func speaker(off bool, rate int, logger *slog.Logger) speech.Speaker {
	if off {
		return nil
	}
	e := &speech.Espeak{}
	if rate > 0 {
		e.Args = []string{"-s", strconv.Itoa(rate)}
	}
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		logger.Warn("spoken guidance has no voice: espeak-ng is not installed")
	}
	return e
}
