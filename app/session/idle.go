package session

import "time"

// Idle states of a kiosk screen.
const (
	Active   = iota // someone is using the screen
	Warning         // "Are you still there?" is counting down
	TimedOut        // the countdown ran out: sign out
)

// Idle follows inactivity with the injected clock: after idle without a touch the kiosk
// warns, and after warning more it signs out.
type Idle struct {
	idle, warning time.Duration
	last          time.Time
}

// NewIdle starts an inactivity watch at now.
func NewIdle(idle, warning time.Duration, now time.Time) *Idle {
	return &Idle{idle: idle, warning: warning, last: now}
}

// Touch notes activity at now.
func (i *Idle) Touch(now time.Time) { i.last = now }

// State reports the state at now and, during the warning, the time left before sign-out.
func (i *Idle) State(now time.Time) (state int, left time.Duration) {
	quiet := now.Sub(i.last)
	switch {
	case quiet < i.idle:
		return Active, 0
	case quiet < i.idle+i.warning:
		return Warning, i.idle + i.warning - quiet
	}
	return TimedOut, 0
}
