package session

import (
	"sort"
	"strings"
	"sync"
	"time"

	"childsupportkiosk/app/domain"
)

// Session is one signed-in person. Everything it loads from the cache is kept only while the
// person is signed in and dropped at sign-out.
type Session struct {
	m *Manager
	// mustChange is set after a sign-in with a temporary PIN: nothing else is shown until
	// the person has chosen a new PIN.
	mustChange bool
	started    time.Time
	// assistedBy is the staff ID of the staff member who opened this session for the person
	// (no PIN was typed), assistedName their name; both empty for a person's own sign-in.
	assistedBy, assistedName string

	mu          sync.Mutex
	participant domain.Participant
	cases       []domain.Case
	made        []domain.Payment
	received    []domain.Disbursement
	loaded      map[string]bool
	pending     []domain.ContactChange
	sent        []domain.Message
	gone        bool
}

// Participant is the signed-in person.
func (s *Session) Participant() domain.Participant {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.participant
}

// AssistedBy is the staff ID of the staff member who opened the session for the person, or "".
func (s *Session) AssistedBy() string { return s.assistedBy }

// AssistedName is the name of the staff member assisting, or "".
func (s *Session) AssistedName() string { return s.assistedName }

// ParticipantID is the signed-in person's ID, or "" after sign-out.
func (s *Session) ParticipantID() string { return s.Participant().ID }

// Active reports whether the session is still the signed-in one.
func (s *Session) Active() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.gone
}

func (s *Session) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gone = true
	s.participant = domain.Participant{}
	s.cases, s.made, s.received, s.pending, s.sent = nil, nil, nil, nil, nil
	s.loaded = nil
}

// load runs f once per session for a named part of the person's file.
func (s *Session) load(part string, f func(id string) error) error {
	s.mu.Lock()
	if s.gone {
		s.mu.Unlock()
		return domain.ErrNotFound
	}
	if s.loaded[part] {
		s.mu.Unlock()
		return nil
	}
	id := s.participant.ID
	s.mu.Unlock()
	if err := f(id); err != nil {
		return err
	}
	s.mu.Lock()
	if s.loaded == nil {
		s.loaded = map[string]bool{}
	}
	s.loaded[part] = !s.gone
	s.mu.Unlock()
	return nil
}

// Cases are the person's cases, each in the person's own view.
func (s *Session) Cases() ([]domain.Case, error) {
	err := s.load("cases", func(id string) error {
		cs, err := domain.CasesOf(s.m.store, id)
		if err != nil {
			return err
		}
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Number < cs[j].Number })
		s.mu.Lock()
		s.cases = cs
		s.mu.Unlock()
		return nil
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cases, err
}

// ShowOtherParty reports whether the Other Party screen may exist at all: never when any of
// the person's cases carries the family-violence indicator, nor when no case names one.
func (s *Session) ShowOtherParty() bool {
	cs, err := s.Cases()
	if err != nil {
		return false
	}
	return domain.OtherPartyShown(cs)
}

// Roles reports whether the person pays support on some case and receives it on some case.
func (s *Session) Roles() (pays, receives bool) {
	cs, _ := s.Cases()
	for _, c := range cs {
		pays = pays || c.Role == domain.Noncustodial
		receives = receives || c.Role == domain.Custodial
	}
	return pays, receives
}

// Upcoming are the person's appointments and court dates from now on, soonest first.
func (s *Session) Upcoming() ([]domain.Appointment, error) {
	id := s.ParticipantID()
	if id == "" {
		return nil, domain.ErrNotFound
	}
	all, err := s.m.store.Appointments(id)
	if err != nil {
		return nil, err
	}
	now := s.m.cfg.Now()
	var out []domain.Appointment
	for _, a := range all {
		if !a.At.Before(now) {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// Messages are the person's messages with the office, newest first, including those sent in
// this session that have not reached the office yet.
func (s *Session) Messages() ([]domain.Message, error) {
	id := s.ParticipantID()
	if id == "" {
		return nil, domain.ErrNotFound
	}
	ms, err := s.m.store.Messages(id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	ms = append(append([]domain.Message(nil), s.sent...), ms...)
	s.mu.Unlock()
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Sent.After(ms[j].Sent) })
	return ms, nil
}

// Documents are the notices and forms on file for the person, newest first.
func (s *Session) Documents() ([]domain.Document, error) {
	id := s.ParticipantID()
	if id == "" {
		return nil, domain.ErrNotFound
	}
	ds, err := s.m.store.Documents(id)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[j].Date.Before(ds[i].Date) })
	return ds, nil
}

// SendMessage queues a message to the local office. Without a subject, the first line of the
// body is the subject.
func (s *Session) SendMessage(subject, body, caseNumber string) error {
	id := s.ParticipantID()
	if id == "" {
		return domain.ErrNotFound
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return ErrEmpty
	}
	if subject = strings.TrimSpace(subject); subject == "" {
		subject = firstLine(body, 80)
	}
	now := s.m.cfg.Now().UTC()
	msg := domain.Message{ID: newID(), Participant: id, Case: caseNumber, Sent: now,
		Subject: subject, Body: body}
	if err := s.m.store.Send(domain.SendMessage, msg); err != nil {
		return err
	}
	s.mu.Lock()
	s.sent = append(s.sent, msg)
	s.mu.Unlock()
	s.m.audit("message_sent", id)
	return nil
}

// Pending reports whether a message was written at this kiosk in this session and has not
// come back from the office's records yet.
func (s *Session) Pending(msg domain.Message) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.sent {
		if m.ID == msg.ID {
			return true
		}
	}
	return false
}

// Contact fields a person can ask to change.
const (
	FieldAddress = "address"
	FieldPhone   = "phone"
	FieldEmail   = "email"
)

// RequestContactChange queues a request to change the person's address, phone or email. The
// office makes the change; until then it is shown as pending.
func (s *Session) RequestContactChange(field, value string) error {
	id := s.ParticipantID()
	if id == "" {
		return domain.ErrNotFound
	}
	switch field {
	case FieldAddress, FieldPhone, FieldEmail:
	default:
		return domain.ErrNotFound
	}
	if value = strings.TrimSpace(value); value == "" {
		return ErrEmpty
	}
	c := domain.ContactChange{Participant: id, Field: field, Value: value, At: s.m.cfg.Now().UTC()}
	if err := s.m.store.Send(domain.SendContactChange, c); err != nil {
		return err
	}
	s.mu.Lock()
	s.pending = append(s.pending, c)
	s.mu.Unlock()
	s.m.audit("contact_change", id)
	return nil
}

// PendingContactChanges are the requests made in this session.
func (s *Session) PendingContactChanges() []domain.ContactChange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]domain.ContactChange(nil), s.pending...)
}

// SendOtherPartyInfo queues what the person knows about the other parent's employer or
// address. It is refused when the Other Party screen may not exist.
func (s *Session) SendOtherPartyInfo(caseNumber, employer, address string) error {
	id := s.ParticipantID()
	if id == "" || !s.ShowOtherParty() {
		return domain.ErrNotFound
	}
	employer, address = strings.TrimSpace(employer), strings.TrimSpace(address)
	if employer == "" && address == "" {
		return ErrEmpty
	}
	info := domain.OtherPartyInfo{Participant: id, Case: caseNumber, Employer: employer,
		Address: address, At: s.m.cfg.Now().UTC()}
	if err := s.m.store.Send(domain.SendOtherPartyInfo, info); err != nil {
		return err
	}
	s.m.audit("other_party_info", id)
	return nil
}

// firstLine is the first line of s, cut to at most n characters.
func firstLine(s string, n int) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > n {
		s = strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}
