package domain

import (
	"strings"
	"time"
)

// Participant is a parent known to the agency: a custodial parent who receives support, a
// noncustodial parent who pays, or both on different cases.
type Participant struct {
	ID        string `json:"id"`   // participant ID (digits; length from the agency profile)
	SSN       string `json:"ssn"`  // nine digits, no dashes
	Name      string `json:"name"` // as the agency writes it, accents included
	BirthDate Date   `json:"birth_date"`
	Language  string `json:"language,omitempty"` // preferred language code, if known
	Office    string `json:"office"`             // home office
	PIN       PIN    `json:"pin"`
}

// PIN is the state of a participant's kiosk PIN. Only an Argon2id verifier is ever stored.
type PIN struct {
	Verifier  string    `json:"verifier,omitempty"`  // "$argon2id$..." or empty: no PIN yet
	Temporary bool      `json:"temporary,omitempty"` // must be changed at the next sign-in
	Expires   time.Time `json:"expires,omitzero"`    // a temporary PIN stops working then
	Failures  int       `json:"failures,omitempty"`  // consecutive wrong PINs
	LockedAt  time.Time `json:"locked_at,omitzero"`  // set when Failures reached the limit
	Version   int64     `json:"version"`             // the case server's count of issues and changes; it alone numbers them
	IssuedBy  string    `json:"issued_by,omitempty"` // "kiosk:<id>", "callcentre", "import"; never a person's PII
	IssuedAt  time.Time `json:"issued_at,omitzero"`  // when a temporary PIN was issued
}

// HasPIN reports whether the participant can sign in at all.
func (p PIN) HasPIN() bool { return p.Verifier != "" }

// Locked reports whether the account is locked.
func (p PIN) Locked() bool { return !p.LockedAt.IsZero() }

// Expired reports whether a temporary PIN has run out at now.
func (p PIN) Expired(now time.Time) bool {
	return p.Temporary && !p.Expires.IsZero() && !now.Before(p.Expires)
}

// Digits keeps only the digits of s, as ASCII: people type IDs and SSNs with dashes and
// spaces, and a keyboard may send the digits of another script (NormaliseDigit).
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if d, ok := NormaliseDigit(r); ok {
			b.WriteRune(d)
		}
	}
	return b.String()
}

// MaskID shows only the last four characters of an identifier: "******7890".
func MaskID(id string) string {
	if len(id) <= 4 {
		return id
	}
	return strings.Repeat("•", len(id)-4) + id[len(id)-4:]
}
