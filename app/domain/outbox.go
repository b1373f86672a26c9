package domain

import "time"

// Kinds of what a kiosk sends up to the case server. Each is written to the kiosk's outbox in
// the same transaction as its local effect and pushed with a stable ID, so a retried push is
// applied once.
const (
	SendPINChange      = "pin_change"       // a participant chose a new PIN (verifier only)
	SendPINIssued      = "pin_issued"       // front-desk staff issued a temporary PIN
	SendPINRequest     = "pin_request"      // "Forgot PIN?": ask the office for a new one
	SendPINState       = "pin_state"        // failures, lock or unlock at this kiosk
	SendStaffState     = "staff_state"      // a staff account's failures or lock at this kiosk
	SendMessage        = "message"          // a message to the local office
	SendContactChange  = "contact_change"   // request to change address, phone or email
	SendOtherPartyInfo = "other_party_info" // new information about the other parent
	SendAudit          = "audit"            // an audit event, without PII
)

// PINUpdate carries a participant's new PIN state: a verifier, never a PIN.
type PINUpdate struct {
	Participant string `json:"participant"`
	PIN         PIN    `json:"pin"`
}

// StaffUpdate carries a staff account's new sign-in state at a kiosk: failures and lock, never
// a new password (a kiosk cannot change one).
type StaffUpdate struct {
	Staff    string `json:"staff"`
	Password PIN    `json:"password"`
}

// PINRequest asks the office for a new PIN.
type PINRequest struct {
	Participant string    `json:"participant"`
	At          time.Time `json:"at"`
}

// ContactChange asks the office to change how it reaches a participant.
type ContactChange struct {
	Participant string    `json:"participant"`
	Field       string    `json:"field"` // "address", "phone", "email"
	Value       string    `json:"value"`
	At          time.Time `json:"at"`
}

// OtherPartyInfo is what a parent tells the office about the other parent.
type OtherPartyInfo struct {
	Participant string    `json:"participant"`
	Case        string    `json:"case"`
	Employer    string    `json:"employer,omitempty"`
	Address     string    `json:"address,omitempty"`
	Other       string    `json:"other,omitempty"`
	At          time.Time `json:"at"`
}

// AuditEvent records that something happened at a kiosk. It carries no PII: the subject is a
// keyed hash of the participant ID, never the ID itself.
type AuditEvent struct {
	At      time.Time `json:"at"`
	Kiosk   string    `json:"kiosk"`
	Action  string    `json:"action"`            // "signin", "signin_failed", "view_payments", "print_statement", ...
	Subject string    `json:"subject,omitempty"` // blind-index token of the participant
	Staff   string    `json:"staff,omitempty"`   // staff ID for staff actions
	Detail  string    `json:"detail,omitempty"`  // non-personal detail: a document kind, a page
}
