package session

import (
	"crypto/rand"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/namefold"
)

// StaffStore is what staff mode needs from the kiosk's cache besides Store.
type StaffStore interface {
	Store
	FindStaff(id string) (domain.Staff, error)
	SetStaffState(staff string, password domain.PIN) error
	// Directory reads the office's participants with their case numbers, once per staff
	// session, for search by name and case number.
	Directory() ([]domain.DirectoryEntry, error)
	RecentAudit(n int) ([]domain.AuditEvent, error)
	// Activity is what the kiosk counted between two times: sign-ins, prints, errors, no one's
	// identity.
	Activity(from, to time.Time) (domain.Activity, error)
}

// Staff is a staff member signed in to staff mode. Everything it loads (the office's
// directory) is dropped when staff mode ends.
type Staff struct {
	m     *Manager
	store StaffStore

	mu      sync.Mutex
	account domain.Staff
	dir     []domain.DirectoryEntry
	gone    bool
}

// staffStore is the manager's store as a StaffStore, or nil when it is not one.
func (m *Manager) staffStore() StaffStore {
	s, _ := m.store.(StaffStore)
	return s
}

// StaffSignIn checks a staff ID and password. The rules are a parent's (SignIn): a wrong
// password gives domain.ErrSignInFailed, the profile's MaxFailures of them lock the account
// (domain.ErrStaffLocked), counted at the server across the office's kiosks when it answers,
// and an unknown ID answers the same after the same tries; the throttle counts staff sign-ins
// apart from parents', so a spray at the parents' sign-in does not keep staff out. A successful sign-in
// ends any participant's session. It runs Argon2id: keep it off the UI goroutine.
func (m *Manager) StaffSignIn(id, password string) (*Staff, error) {
	store := m.staffStore()
	if store == nil {
		return nil, domain.ErrNotAllowed
	}
	m.EndStaff()
	m.SignOut()
	now := m.cfg.Now()
	if err := m.guard.wait(true, now); err != nil {
		return nil, err
	}
	id = domain.NormalizeStaffID(id)
	a, err := store.FindStaff(id)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return nil, err
	}
	sec := secret{staff: true, kind: "staff-login", login: id,
		save: func(pw domain.PIN) error { return store.SetStaffState(a.ID, pw) }}
	if err == nil && a.Password.HasPIN() {
		sec.state, sec.account = &a.Password, staffAccount(a)
	} else {
		a = domain.Staff{}
	}
	switch out, left, err := m.checkGuess(sec, password, now); {
	case err != nil:
		return nil, err
	case out == guessRefused:
		m.staffAudit("staff_signin_locked", a.ID, "", "")
		return nil, domain.ErrStaffLocked
	case out != guessRight:
		m.staffAudit("staff_signin_failed", a.ID, "", "")
		if out == guessLocked {
			return nil, domain.ErrStaffLocked
		}
		return nil, domain.WrongGuess(left)
	}
	if a.Password.Failures != 0 {
		a.Password.RecordSuccess()
		a.Password.Version++
		if err := store.SetStaffState(a.ID, a.Password); err != nil {
			return nil, err
		}
	}
	a.Password.Verifier = "" // not needed any more
	s := &Staff{m: m, store: store, account: a}
	m.mu.Lock()
	m.staff = s
	m.mu.Unlock()
	m.staffAudit("staff_signin", a.ID, "", "")
	return s, nil
}

// CurrentStaff returns the staff member in staff mode, or nil.
func (m *Manager) CurrentStaff() *Staff {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.staff
}

// EndStaff ends staff mode, if it is on, and any session it opened for a parent; it forgets
// the directory.
func (m *Manager) EndStaff() {
	m.mu.Lock()
	s := m.staff
	m.staff = nil
	m.mu.Unlock()
	if s == nil {
		return
	}
	if cur := m.Current(); cur != nil && cur.AssistedBy() != "" {
		m.SignOut()
	}
	s.mu.Lock()
	id := s.account.ID
	s.gone, s.dir, s.account = true, nil, domain.Staff{}
	s.mu.Unlock()
	m.staffAudit("staff_signout", id, "", "")
}

// staffAudit records a staff action: the staff ID, and for a participant only the keyed hash.
func (m *Manager) staffAudit(action, staff, participant, detail string) {
	ev := domain.AuditEvent{At: m.cfg.Now().UTC(), Kiosk: m.cfg.Kiosk, Action: action, Staff: staff, Detail: detail}
	if participant != "" && m.cfg.Subject != nil {
		ev.Subject = m.cfg.Subject(participant)
	}
	_ = m.store.Send(domain.SendAudit, ev)
}

// Account is the signed-in staff member (without the password verifier).
func (s *Staff) Account() domain.Staff {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.account
}

// Active reports whether staff mode is still on for this staff member.
func (s *Staff) Active() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.gone
}

// Supervisor reports whether the staff member is a supervisor.
func (s *Staff) Supervisor() bool { return s.Account().Role == domain.Supervisor }

func (s *Staff) id() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gone {
		return "", domain.ErrNotFound
	}
	return s.account.ID, nil
}

// Audit records a staff action about a participant (pid may be empty) with a non-personal
// detail.
func (s *Staff) Audit(action, pid, detail string) {
	if id, err := s.id(); err == nil {
		s.m.staffAudit(action, id, pid, detail)
	}
}

// Match is a participant found by a staff search.
type Match struct {
	ID    string
	Name  string
	Cases []string
}

// How a search found people; it goes into the audit event, never the query itself.
const (
	ByID   = "id"
	BySSN  = "ssn"
	ByCase = "case"
	ByName = "name"
)

// maxMatches bounds a search's answer: staff narrow a search rather than scroll a county.
const maxMatches = 50

// Find looks participants of the office up by participant ID, SSN, case number or name. IDs
// and SSNs go through the cache's blind index; case numbers and names through the office's
// directory, read once per staff session and kept in memory until staff mode ends. by says
// which key matched. The search is audited by its kind, never by what was typed.
func (s *Staff) Find(query string) (matches []Match, by string, err error) {
	staffID, err := s.id()
	if err != nil {
		return nil, "", err
	}
	q := strings.TrimSpace(query)
	if q == "" {
		return nil, "", ErrEmpty
	}
	defer func() {
		if err == nil {
			s.m.staffAudit("staff_lookup", staffID, "", by)
		}
	}()
	digits := domain.Digits(q)
	onlyDigits := strings.Trim(q, "0123456789- ") == ""
	if onlyDigits && digits != "" {
		p, err := s.m.store.FindParticipant(digits)
		switch {
		case err == nil:
			by = ByID
			if domain.Digits(p.ID) != digits {
				by = BySSN
			}
			cases, err := domain.CasesOf(s.m.store, p.ID)
			if err != nil {
				return nil, "", err
			}
			m := Match{ID: p.ID, Name: p.Name}
			for _, c := range cases {
				m.Cases = append(m.Cases, c.Number)
			}
			return []Match{m}, by, nil
		case !errors.Is(err, domain.ErrNotFound):
			return nil, "", err
		}
	}
	dir, err := s.directory()
	if err != nil {
		return nil, "", err
	}
	if key := domain.CaseKey(q); len(key) >= 4 && strings.ContainsAny(key, "0123456789") {
		for _, e := range dir {
			if slices.Contains(e.Cases, key) {
				matches = append(matches, Match{ID: e.ID, Name: e.Name, Cases: e.Cases})
			}
		}
		if len(matches) > 0 || onlyDigits {
			return matches, ByCase, nil
		}
	}
	folded := namefold.Fold(q)
	for _, e := range dir {
		if namefold.Matches(e.Folded, folded) {
			matches = append(matches, Match{ID: e.ID, Name: e.Name, Cases: e.Cases})
			if len(matches) == maxMatches {
				break
			}
		}
	}
	return matches, ByName, nil
}

func (s *Staff) directory() ([]domain.DirectoryEntry, error) {
	s.mu.Lock()
	dir, gone := s.dir, s.gone
	s.mu.Unlock()
	if gone {
		return nil, domain.ErrNotFound
	}
	if dir != nil {
		return dir, nil
	}
	dir, err := s.store.Directory()
	if err != nil {
		return nil, err
	}
	if dir == nil {
		dir = []domain.DirectoryEntry{}
	}
	s.mu.Lock()
	if !s.gone {
		s.dir = dir
	}
	s.mu.Unlock()
	return dir, nil
}

// Person reads a participant for the staff screen: the record (PIN state included) and cases.
// The screen reads it at every redraw; it audits the opening once with Audit("staff_view", …).
func (s *Staff) Person(pid string) (domain.Participant, []domain.Case, error) {
	if _, err := s.id(); err != nil {
		return domain.Participant{}, nil, err
	}
	p, err := s.m.store.FindParticipant(pid)
	if err != nil {
		return domain.Participant{}, nil, err
	}
	if p.ID != pid {
		return domain.Participant{}, nil, domain.ErrNotFound
	}
	cases, err := domain.CasesOf(s.m.store, p.ID)
	if err != nil {
		return domain.Participant{}, nil, err
	}
	return p, cases, nil
}

// IssuedPIN is a temporary PIN just issued: shown once and printed on a slip, never kept.
type IssuedPIN struct {
	PIN   string
	State domain.PIN
}

// IssuePIN gives a participant a new temporary PIN after an ID check at the desk: random from
// the operating system's cryptographic source, the profile's length, never one on the block
// list, valid for the profile's TempPINHours, to be changed at the first sign-in. It replaces
// whatever PIN the person had (and clears a lock), is saved with its outbox item in one
// transaction, and goes up on the version it replaces (the server numbers it); the PIN itself is returned once
// and stored nowhere.
func (s *Staff) IssuePIN(pid string) (IssuedPIN, error) {
	staffID, err := s.id()
	if err != nil {
		return IssuedPIN{}, err
	}
	m := s.m
	p, err := m.store.FindParticipant(pid)
	if err != nil {
		return IssuedPIN{}, err
	}
	if p.ID != pid {
		return IssuedPIN{}, domain.ErrNotFound
	}
	pin, err := domain.NewTempPIN(rand.Reader, m.cfg.Profile.PINLength, p.BirthDate)
	if err != nil {
		return IssuedPIN{}, err
	}
	v, err := m.cfg.HashPIN(pin)
	if err != nil {
		return IssuedPIN{}, err
	}
	now := m.cfg.Now().UTC()
	st := domain.PIN{Verifier: v, Temporary: true, Expires: now.Add(m.cfg.Profile.TempPINValidity()),
		IssuedAt: now, Version: p.PIN.Version + 1, IssuedBy: "kiosk:" + m.cfg.Kiosk}
	if err := m.store.SetPIN(p.ID, st, domain.SendPINIssued); err != nil {
		return IssuedPIN{}, err
	}
	m.staffAudit("staff_pin_issue", staffID, p.ID, "")
	return IssuedPIN{PIN: pin, State: st}, nil
}

// Unlock clears a participant's lock after too many wrong PINs.
func (s *Staff) Unlock(pid string) error {
	staffID, err := s.id()
	if err != nil {
		return err
	}
	m := s.m
	p, err := m.store.FindParticipant(pid)
	if err != nil {
		return err
	}
	if p.ID != pid {
		return domain.ErrNotFound
	}
	if !p.PIN.Locked() && p.PIN.Failures == 0 {
		// Another kiosk may have locked it at the office's count before this one heard.
		m.guard.clear(participantAccount(p))
		return nil
	}
	p.PIN.Unlock()
	p.PIN.Version++
	if err := m.store.SetPIN(p.ID, p.PIN, domain.SendPINState); err != nil {
		return err
	}
	m.guard.clear(participantAccount(p)) // the office's count starts again too
	m.staffAudit("staff_unlock", staffID, p.ID, "")
	return nil
}

// UnlockStaff clears a colleague's staff-account lock after too many wrong passwords, for a
// supervisor only. The cache holds its own office's staff, so a supervisor unlocks colleagues
// of the office. The new state goes to the server with a version above the old one, and the
// server takes it as it takes a sign-in's. It reports false, and changes nothing, for an
// account that is not locked.
func (s *Staff) UnlockStaff(id string) (bool, error) {
	staffID, err := s.id()
	if err != nil {
		return false, err
	}
	if !s.Supervisor() {
		return false, domain.ErrNotAllowed
	}
	a, err := s.store.FindStaff(domain.NormalizeStaffID(id))
	if err != nil {
		return false, err
	}
	if !a.Password.Locked() {
		return false, nil
	}
	a.Password.Unlock()
	a.Password.Version++
	if err := s.store.SetStaffState(a.ID, a.Password); err != nil {
		return false, err
	}
	s.m.guard.clear(staffAccount(a))
	s.m.staffAudit("staff_unlock_staff", staffID, "", a.ID)
	return true, nil
}

// Assist opens a participant's own kiosk view for them, without their PIN, marked as
// assisted by this staff member. It replaces any parent's session.
func (s *Staff) Assist(pid string) (*Session, error) {
	staffID, err := s.id()
	if err != nil {
		return nil, err
	}
	m := s.m
	p, err := m.store.FindParticipant(pid)
	if err != nil {
		return nil, err
	}
	if p.ID != pid {
		return nil, domain.ErrNotFound
	}
	m.SignOut()
	name := s.Account().Name
	sess := &Session{m: m, participant: p, started: m.cfg.Now(), assistedBy: staffID, assistedName: name}
	m.mu.Lock()
	m.current = sess
	m.mu.Unlock()
	m.staffAudit("staff_assist", staffID, p.ID, "")
	return sess, nil
}

// RecentAudit is the kiosk's newest audit entries, for a supervisor only.
func (s *Staff) RecentAudit(n int) ([]domain.AuditEvent, error) {
	staffID, err := s.id()
	if err != nil {
		return nil, err
	}
	if !s.Supervisor() {
		return nil, domain.ErrNotAllowed
	}
	evs, err := s.store.RecentAudit(n)
	if err != nil {
		return nil, err
	}
	s.m.staffAudit("staff_audit_read", staffID, "", "")
	return evs, nil
}

// Activity is what the kiosk did from from to to, in counts only, for the day's summary slip
// that any staff member may print.
func (s *Staff) Activity(from, to time.Time) (domain.Activity, error) {
	staffID, err := s.id()
	if err != nil {
		return domain.Activity{}, err
	}
	a, err := s.store.Activity(from, to)
	if err != nil {
		return domain.Activity{}, err
	}
	s.m.staffAudit("staff_day_summary", staffID, "", "")
	return a, nil
}

// StaffIdle is how long staff mode waits without a touch before it warns.
func (m *Manager) StaffIdle() time.Duration {
	return time.Duration(m.cfg.Profile.StaffIdleSeconds) * time.Second
}
