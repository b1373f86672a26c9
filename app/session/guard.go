package session

import (
	"context"
	"crypto/rand"
	"strconv"
	"sync"
	"time"

	"childsupportkiosk/app/domain"
)

// Attempts is the case server's count of sign-in guesses per account across the kiosks of the
// office (sync/client implements it). An account is named by a string the session makes
// (participant or staff ID with the PIN verifier, or the login typed when nobody has it); the
// implementation sends only a keyed hash of it, the same at every kiosk of the office, so the
// server cannot tell a real account from a login nobody has.
type Attempts interface {
	// Try counts one guess at account at the server before the kiosk checks it, and returns
	// the guesses the server has counted since the account's last Clear, this one included.
	// An error means the server could not be asked in time: the kiosk goes by its own count.
	Try(ctx context.Context, account string) (int, error)
	// Clear starts the account's count again: the PIN was right, or staff unlocked it.
	Clear(ctx context.Context, account string) error
}

// Limits of what the guard keeps in memory.
const (
	maxUnknownLogins = 10000 // unknown logins with failures: at the throttle's pace, days of spraying
	maxPendingClears = 64    // Clears the server did not hear, sent again once it answers
)

// guard keeps a kiosk's defences against guessing: the throttle's recent failures (parents and
// staff apart), the failure count of every login nobody has, under a keyed hash, and the
// Clears the server did not hear yet.
type guard struct {
	remote Attempts
	keys   domain.Keyed
	rule   domain.Throttle

	mu       sync.Mutex
	failures map[bool][]time.Time // by staff
	alerted  map[bool]bool        // an alert was written for the current run of failures
	alert    Alert
	unknown  map[string]int // keyed hash of a login → its failures
	order    []string       // unknown's keys, oldest first
	pending  []string       // accounts whose Clear did not reach the server
}

// Alert is the throttle's last alert, for the staff status screen.
type Alert struct {
	At       time.Time // when the throttle began to make sign-ins wait
	Staff    bool      // staff sign-ins, not parents'
	Failures int       // failed sign-ins within the window then
	Until    time.Time // the latest wait asked for since, ends then
}

func newGuard(remote Attempts) (*guard, error) {
	keys, err := domain.NewKeyed(rand.Reader)
	if err != nil {
		return nil, err
	}
	return &guard{remote: remote, keys: keys, rule: domain.SignInThrottle,
		failures: map[bool][]time.Time{}, alerted: map[bool]bool{}, unknown: map[string]int{}}, nil
}

// wait returns the domain.WaitError that refuses an attempt at now, or nil.
func (g *guard) wait(staff bool, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failures[staff] = g.rule.Prune(g.failures[staff], now)
	if d := g.rule.Wait(g.failures[staff], now); d > 0 {
		if until := now.Add(d); g.alert.Staff == staff && until.After(g.alert.Until) {
			g.alert.Until = until
		}
		return domain.WaitError{Wait: d}
	}
	return nil
}

// failed counts a failed sign-in at now. It returns the alert when this failure starts a run
// of waits (the audit records it), or nil.
func (g *guard) failed(staff bool, now time.Time) *Alert {
	g.mu.Lock()
	defer g.mu.Unlock()
	f := append(g.rule.Prune(g.failures[staff], now), now)
	g.failures[staff] = f
	n := g.rule.InWindow(f, now)
	if n < g.rule.Free {
		g.alerted[staff] = false
		return nil
	}
	if g.alerted[staff] {
		return nil
	}
	g.alerted[staff] = true
	g.alert = Alert{At: now, Staff: staff, Failures: n, Until: now.Add(g.rule.Wait(f, now))}
	a := g.alert
	return &a
}

// lastAlert is the last alert, zero when there was none.
func (g *guard) lastAlert() Alert {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.alert
}

// unknownKey is the name under which a login nobody has is counted.
func (g *guard) unknownKey(kind, login string) string { return g.keys.Sum(kind, login) }

// unknownFailures is the failure count of a login nobody has.
func (g *guard) unknownFailures(key string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.unknown[key]
}

// setUnknown keeps the failure count of a login nobody has, forgetting the oldest such login
// when there are too many.
func (g *guard) setUnknown(key string, n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.unknown[key]; !ok {
		g.order = append(g.order, key)
		for len(g.order) > maxUnknownLogins {
			delete(g.unknown, g.order[0])
			g.order = g.order[1:]
		}
	}
	g.unknown[key] = n
}

// try asks the server to count a guess at account: the count there, this guess included, or
// -1 when there is no server or it did not answer.
func (g *guard) try(account string) int {
	if g.remote == nil {
		return -1
	}
	// Clears first, so that a count the server should have forgotten does not refuse this
	// guess; a server that does not hear them will not answer the Try either.
	for {
		g.mu.Lock()
		if len(g.pending) == 0 {
			g.mu.Unlock()
			break
		}
		a := g.pending[0]
		g.mu.Unlock()
		if err := g.remote.Clear(context.Background(), a); err != nil {
			return -1
		}
		g.mu.Lock()
		if len(g.pending) > 0 && g.pending[0] == a {
			g.pending = g.pending[1:]
		}
		g.mu.Unlock()
	}
	n, err := g.remote.Try(context.Background(), account)
	if err != nil {
		return -1
	}
	return n
}

// clear starts account's count at the server again; when the server does not hear it, it is
// sent again before the next guess.
func (g *guard) clear(account string) {
	if g.remote == nil {
		return
	}
	if err := g.remote.Clear(context.Background(), account); err != nil {
		g.mu.Lock()
		if len(g.pending) < maxPendingClears {
			g.pending = append(g.pending, account)
		}
		g.mu.Unlock()
	}
}

// Accounts as the server counts them: an account with a PIN by its ID and verifier (a new PIN
// starts a new count), a login nobody has (or an account without a PIN) by what was typed.
func participantAccount(p domain.Participant) string {
	return "participant\x00" + p.ID + "\x00" + p.PIN.Verifier
}
func staffAccount(a domain.Staff) string { return "staff\x00" + a.ID + "\x00" + a.Password.Verifier }
func loginAccount(kind, login string) string {
	return kind + "\x00" + login
}

// guess is one sign-in attempt as the lockout sees it.
type guess struct {
	known    bool   // an account with a PIN: its failures are its record's
	failures int    // failures so far, here
	locked   bool   // locked here
	key      string // unknown: the keyed hash its count is kept under
	remote   int    // the server's count, this guess included; -1 without one
}

// refused reports whether the guess may not be checked: the account is locked here, or the
// server has counted more guesses at it than the profile allows.
func (g guess) refused(max int) bool {
	return g.locked || g.failures >= max || g.remote > max
}

// count is the account's failures once this guess failed: one more than known here, or the
// server's count when that is higher (other kiosks' failures not synced yet).
func (g guess) count() int { return max(g.failures+1, g.remote) }

// Guessing is the throttle's last alert (zero when sign-ins never had to wait since the kiosk
// started), for the staff status screen.
func (m *Manager) Guessing() Alert { return m.guard.lastAlert() }

// throttled writes the audit event of an alert.
func (m *Manager) throttled(a *Alert) {
	if a == nil {
		return
	}
	action := "signin_throttled"
	if a.Staff {
		action = "staff_signin_throttled"
	}
	m.staffAudit(action, "", "", strconv.Itoa(a.Failures)+" failed in "+m.guard.rule.Window.String())
}

// secret is an account's PIN or password as one sign-in guess sees it, a parent's or a staff
// member's alike.
type secret struct {
	staff   bool        // counted with staff sign-ins (the throttle keeps the two apart)
	kind    string      // "login" or "staff-login": what an unknown login is kept under
	login   string      // what was typed, normalised
	state   *domain.PIN // the account's; nil when nobody has the login or it has no PIN
	account string      // the account at the office's count, when state is not nil
	save    func(domain.PIN) error
}

// outcome is what checkGuess found.
type outcome int

const (
	guessRight   outcome = iota // the PIN is the account's
	guessWrong                  // a wrong PIN, or a login nobody has
	guessLocked                 // wrong, and the account is locked by it
	guessRefused                // not checked: locked already, here or at the office
)

// checkGuess is one sign-in guess, for parents and staff: the office's count asked first, a
// locked account refused unchecked, the same Argon2id work and the same count whether or not
// anybody has the login, a failure written to the account's record (or kept under the login's
// keyed hash) and counted by the throttle. A right guess clears the office's count; clearing
// the record's failures is the caller's (a parent's expired temporary PIN keeps them).
//
// left is the number of tries a wrong guess leaves before the lock.
func (m *Manager) checkGuess(s secret, typed string, now time.Time) (out outcome, left int, err error) {
	limit := m.cfg.Profile.MaxFailures
	g := guess{known: s.state != nil}
	account := s.account
	if g.known {
		g.failures, g.locked = s.state.Failures, s.state.Locked()
	} else {
		account = loginAccount(s.kind, s.login)
		g.key = m.guard.unknownKey(s.kind, s.login)
		g.failures = m.guard.unknownFailures(g.key)
	}
	g.remote = m.guard.try(account)
	fail := func(n int) error {
		if !g.known {
			m.guard.setUnknown(g.key, n)
			return nil
		}
		s.state.Failures = n - 1
		s.state.RecordFailure(now, limit)
		s.state.Version++ // the local copy moves on; the server numbers the change itself
		return s.save(*s.state)
	}
	if g.refused(limit) {
		m.cfg.VerifyPIN(m.decoy, typed)
		if !g.known || !s.state.Locked() { // locked by the office's count: kept here too
			if err := fail(g.count()); err != nil {
				return 0, 0, err
			}
		}
		m.throttled(m.guard.failed(s.staff, now))
		return guessRefused, 0, nil
	}
	verifier := m.decoy
	if g.known {
		verifier = s.state.Verifier
	}
	if !m.cfg.VerifyPIN(verifier, typed) || !g.known {
		n := g.count()
		if err := fail(n); err != nil {
			return 0, 0, err
		}
		m.throttled(m.guard.failed(s.staff, now))
		if n >= limit {
			return guessLocked, 0, nil
		}
		return guessWrong, limit - n, nil
	}
	if g.remote != 0 { // counted at the server, or perhaps (offline) by another kiosk there
		m.guard.clear(account)
	}
	return guessRight, 0, nil
}
