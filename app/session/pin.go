package session

import (
	"crypto/rand"
	"encoding/hex"
	"errors"

	"childsupportkiosk/app/domain"
)

// ErrEmpty is returned for a form sent with nothing in it.
var ErrEmpty = errors.New("session: nothing was filled in")

// ChangePIN sets a new PIN chosen by the person, typed twice. After a sign-in with a temporary
// PIN, current may be empty (the person has just typed it); otherwise current must be the
// PIN in use. The new PIN must follow the profile's rules and differ from the old one.
func (s *Session) ChangePIN(current, first, second string) error {
	s.mu.Lock()
	p, forced, gone := s.participant, s.mustChange, s.gone
	s.mu.Unlock()
	if gone {
		return domain.ErrNotFound
	}
	m := s.m
	if !forced && !m.cfg.VerifyPIN(p.PIN.Verifier, current) {
		return domain.ErrSignInFailed
	}
	if err := domain.CheckNewPIN(first, m.cfg.Profile.PINLength, p.BirthDate); err != nil {
		return err
	}
	if first != second {
		return domain.ErrPINMismatch
	}
	if m.cfg.VerifyPIN(p.PIN.Verifier, first) {
		return domain.ErrPINSame
	}
	v, err := m.cfg.HashPIN(first)
	if err != nil {
		return err
	}
	pin := domain.PIN{Verifier: v, Version: p.PIN.Version + 1, IssuedBy: "kiosk:" + m.cfg.Kiosk}
	if err := m.store.SetPIN(p.ID, pin, domain.SendPINChange); err != nil {
		return err
	}
	s.mu.Lock()
	if !s.gone {
		s.participant.PIN = pin
		s.mustChange = false
	}
	s.mu.Unlock()
	m.audit("pin_change", p.ID)
	return nil
}

// NeedsNewPIN reports whether the person must choose a PIN before seeing anything.
func (s *Session) NeedsNewPIN() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mustChange && !s.gone
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
