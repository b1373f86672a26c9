package domain

import (
	"strings"
)

// StaffRole is what a staff member may do at the kiosk.
type StaffRole string

// Staff roles.
const (
	FrontDesk  StaffRole = "front_desk" // look up, issue temporary PINs, unlock, assist, print
	Supervisor StaffRole = "supervisor" // all of that, and read the kiosk's audit entries
)

// Valid reports whether r is a known staff role.
func (r StaffRole) Valid() bool { return r == FrontDesk || r == Supervisor }

// Staff is a member of an office's staff who may use the kiosk's staff mode. Accounts come from
// the agency through the central case server; the kiosk keeps them encrypted like everything
// else. The password is kept only as an Argon2id verifier, in the same PIN state a parent has,
// so the same lockout rules apply.
type Staff struct {
	ID       string    `json:"id"` // staff ID: letters and digits
	Name     string    `json:"name"`
	Office   string    `json:"office"`
	Role     StaffRole `json:"role"`
	Password PIN       `json:"password"` // Verifier, Failures, LockedAt, Version
}

// StaffOwner is the owner name a staff record has on the change feed and in the cache: a
// staff account owns itself, in a namespace apart from participant IDs.
func StaffOwner(id string) string { return "staff/" + id }

// ValidStaffID reports whether id is a plausible staff ID: 2 to 32 letters and digits.
func ValidStaffID(id string) bool {
	if len(id) < 2 || len(id) > 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		if !(b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z') {
			return false
		}
	}
	return true
}

// NormalizeStaffID makes a typed staff ID comparable: no spaces, upper case.
func NormalizeStaffID(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// MinStaffPassword is the shortest staff password the kiosk accepts at the server's import.
const MinStaffPassword = 8

// CaseKey makes a case number comparable as people type it: letters and digits only, upper
// case. "ca-2024 001" → "CA2024001".
func CaseKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		}
	}
	return b.String()
}

// DirectoryEntry is what staff look a participant up by: ID, name and case numbers. It holds
// no SSN (staff find a person by SSN through the cache's blind index).
type DirectoryEntry struct {
	ID     string
	Name   string
	Folded string   // namefold.Fold(Name)
	Cases  []string // case numbers, as CaseKey
}
