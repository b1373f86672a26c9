package domain

import "time"

// CaseFile is what the kiosk reads about the people it serves, from its cache. Look-ups by
// participant ID or SSN take the digits only.
type CaseFile interface {
	// FindParticipant finds a participant by participant ID or SSN (digits only). It returns
	// ErrNotFound when neither matches.
	FindParticipant(login string) (Participant, error)
	Cases(participant string) ([]Case, error)
	PaymentsMade(participant string) ([]Payment, error)          // newest first
	PaymentsReceived(participant string) ([]Disbursement, error) // newest first
	Appointments(participant string) ([]Appointment, error)
	Messages(participant string) ([]Message, error)
	Documents(participant string) ([]Document, error)
	Office() (Office, error)
	// DataAsOf is when the cache last matched the server.
	DataAsOf() (time.Time, error)
}
