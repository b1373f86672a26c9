// Package session is one person's time at the kiosk in plain Go: sign-in with a participant ID
// or SSN and a PIN, lockout, the forced change of a temporary PIN, inactivity and Quick Exit.
package session

import (
	"errors"
	"sync"
	"time"

	"childsupportkiosk/app/domain"
)

// PINStore keeps a participant's PIN state. The encrypted cache implements it, writing the
// change and its outbox item in one transaction.
type PINStore interface {
	// SetPIN saves the PIN state and queues it for the server as kind: domain.SendPINChange
	// for a PIN the person chose, domain.SendPINState for failures and locks.
	SetPIN(participant string, pin domain.PIN, kind string) error
}

// Outbox queues what the kiosk sends up to the case server (domain.Send* kinds).
type Outbox interface {
	Send(kind string, v any) error
}

// Store is everything a session needs from the kiosk's cache.
type Store interface {
	domain.CaseFile
	PINStore
	Outbox
}

// Config is what a Manager needs besides the store.
type Config struct {
	Profile domain.Profile
	Kiosk   string           // kiosk ID, for PIN IssuedBy and audit events
	Now     func() time.Time // the clock; time.Now when nil
	// VerifyPIN and HashPIN are the Argon2id verifier functions (app/seal).
	VerifyPIN func(verifier, pin string) bool
	HashPIN   func(pin string) (string, error)
	// Subject turns a participant ID into a non-reversible token for audit events; when nil,
	// audit events carry no subject.
	Subject func(participant string) string
	// Attempts, when set, counts guesses per account at the case server across the office's
	// kiosks (sync/client); without it, or while the server does not answer, the kiosk goes
	// by its own count.
	Attempts Attempts
}

// Manager signs people in and out. One person at a time: a new sign-in drops any session.
type Manager struct {
	store Store
	cfg   Config
	// decoy is a verifier checked when no participant matches, so that an unknown ID costs
	// the same time as a wrong PIN.
	decoy string
	guard *guard // the throttle and the counts of logins nobody has

	mu      sync.Mutex
	current *Session
	staff   *Staff // staff mode, when on
}

// New returns a Manager over store.
func New(store Store, cfg Config) (*Manager, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.VerifyPIN == nil || cfg.HashPIN == nil {
		return nil, errors.New("session: VerifyPIN and HashPIN are required")
	}
	if err := cfg.Profile.Check(); err != nil {
		return nil, err
	}
	decoy, err := cfg.HashPIN("decoy-never-a-pin")
	if err != nil {
		return nil, err
	}
	g, err := newGuard(cfg.Attempts)
	if err != nil {
		return nil, err
	}
	return &Manager{store: store, cfg: cfg, decoy: decoy, guard: g}, nil
}

// Profile is the agency profile the manager applies.
func (m *Manager) Profile() domain.Profile { return m.cfg.Profile }

// Now is the manager's clock.
func (m *Manager) Now() time.Time { return m.cfg.Now() }

// Store is the cache the manager reads.
func (m *Manager) Store() Store { return m.store }

// Current returns the signed-in session, or nil.
func (m *Manager) Current() *Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.current
}

// SignIn checks login (participant ID or SSN, dashes and spaces allowed) and pin. A wrong PIN
// gives domain.ErrSignInFailed, and the profile's MaxFailures of them lock the account
// (domain.ErrLocked); a login nobody has, and an account without a PIN, answer the same, after
// the same number of tries, at the same cost, so that trying tells nobody in the lobby whether
// someone is known here. With Config.Attempts the count is the office's: the server counts
// each guess before it is checked. After many failures at this kiosk a sign-in is refused
// unchecked with a domain.WaitError (domain.SignInThrottle). A correct temporary PIN signs in
// with NeedsNewPIN set: the person chooses a new PIN before anything else. It runs Argon2id,
// so callers keep it off the UI goroutine.
func (m *Manager) SignIn(login, pin string) (*Session, error) {
	m.SignOut()
	now := m.cfg.Now()
	if err := m.guard.wait(false, now); err != nil {
		return nil, err
	}
	id := domain.Digits(login)
	p, err := m.find(id)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return nil, err
	}
	sec := secret{kind: "login", login: id,
		save: func(pin domain.PIN) error { return m.store.SetPIN(p.ID, pin, domain.SendPINState) }}
	if err == nil && p.PIN.HasPIN() {
		sec.state, sec.account = &p.PIN, participantAccount(p)
	} else {
		p = domain.Participant{}
	}
	switch out, left, err := m.checkGuess(sec, pin, now); {
	case err != nil:
		return nil, err
	case out == guessRefused:
		m.audit("signin_locked", p.ID)
		return nil, domain.ErrLocked
	case out != guessRight:
		m.audit("signin_failed", p.ID)
		if out == guessLocked {
			return nil, domain.ErrLocked
		}
		return nil, domain.WrongGuess(left)
	}
	if p.PIN.Expired(now) {
		m.audit("signin_temp_expired", p.ID)
		return nil, domain.ErrTempPINExpired
	}
	if p.PIN.Failures != 0 {
		p.PIN.RecordSuccess()
		p.PIN.Version++
		if err := m.store.SetPIN(p.ID, p.PIN, domain.SendPINState); err != nil {
			return nil, err
		}
	}
	s := &Session{m: m, participant: p, mustChange: p.PIN.Temporary, started: now}
	m.mu.Lock()
	m.current = s
	m.mu.Unlock()
	m.audit("signin", p.ID)
	return s, nil
}

func (m *Manager) find(id string) (domain.Participant, error) {
	if id == "" {
		return domain.Participant{}, domain.ErrNotFound
	}
	return m.store.FindParticipant(id)
}

// RequestPIN is "Forgot PIN?": it queues a request for a new PIN when login names a
// participant. It says nothing about whether one was found: the answer on screen is the same.
func (m *Manager) RequestPIN(login string) error {
	p, err := m.find(domain.Digits(login))
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	m.audit("pin_request", p.ID)
	return m.store.Send(domain.SendPINRequest, domain.PINRequest{Participant: p.ID, At: m.cfg.Now().UTC()})
}

// SignOut drops the current session, if any, and everything it had loaded.
func (m *Manager) SignOut() {
	m.mu.Lock()
	s := m.current
	m.current = nil
	m.mu.Unlock()
	if s != nil {
		s.drop()
	}
}

func (m *Manager) audit(action, participant string) {
	ev := domain.AuditEvent{At: m.cfg.Now().UTC(), Kiosk: m.cfg.Kiosk, Action: action}
	if participant != "" && m.cfg.Subject != nil {
		ev.Subject = m.cfg.Subject(participant)
	}
	// An audit event that cannot be queued must not stop the person; the sync status shows
	// the cache's trouble to staff.
	_ = m.store.Send(domain.SendAudit, ev)
}

// Audit records a non-personal event of the current session ("view_payments", "print_year").
func (s *Session) Audit(action string) {
	id := s.ParticipantID()
	switch {
	case id == "":
	case s.assistedBy != "":
		s.m.staffAudit(action, s.assistedBy, id, "assisted")
	default:
		s.m.audit(action, id)
	}
}
