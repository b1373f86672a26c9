package domain

import "time"

// Role is a participant's part in one case.
type Role string

// The two roles a parent can have on a case.
const (
	Custodial    Role = "custodial"    // receives support
	Noncustodial Role = "noncustodial" // pays support
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == Custodial || r == Noncustodial }

// Office is a local child support office; a kiosk serves one office.
type Office struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Agency   string `json:"agency"` // agency profile ID: "CA", "NY", "OH"
	TimeZone string `json:"timezone"`
	Address  string `json:"address,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// Balances are what is owed on a case as of a date.
type Balances struct {
	MonthlyCurrent Cents `json:"monthly_current"` // current support due each month
	Arrears        Cents `json:"arrears"`
	Interest       Cents `json:"interest"`
	Fees           Cents `json:"fees"`
	AsOf           Date  `json:"as_of"`
}

// Owed is the total past-due balance: arrears, interest and fees.
func (b Balances) Owed() Cents { return b.Arrears + b.Interest + b.Fees }

// Case is one participant's view of a case: the same case looks different to each parent.
type Case struct {
	Number         string   `json:"number"`
	Office         string   `json:"office"`
	CourtOrder     string   `json:"court_order"`
	Participant    string   `json:"participant"` // whose view this is
	Role           Role     `json:"role"`
	OtherParty     string   `json:"other_party,omitempty"` // name only; empty when FamilyViolence
	FamilyViolence bool     `json:"family_violence,omitempty"`
	Balances       Balances `json:"balances"`
	// Shielded is set by Shield when another of the person's cases carries the indicator:
	// this case hides its other party too. It is worked out on reading, never stored.
	Shielded bool `json:"-"`
}

// ShowOtherParty reports whether anything about the other parent may be shown, on screen or on
// paper. The family-violence indicator hides the other party everywhere, and a case read
// through CasesOf is shielded when any of the person's cases carries it.
func (c Case) ShowOtherParty() bool {
	return !c.FamilyViolence && !c.Shielded && c.OtherParty != ""
}

// AppointmentKind tells an office appointment from a court date.
type AppointmentKind string

// Kinds of appointment.
const (
	OfficeAppointment AppointmentKind = "appointment"
	CourtDate         AppointmentKind = "court"
)

// Appointment is an office appointment or a court date for a participant.
type Appointment struct {
	ID          string          `json:"id"`
	Participant string          `json:"participant"`
	Case        string          `json:"case"`
	Kind        AppointmentKind `json:"kind"`
	At          time.Time       `json:"at"`
	Place       string          `json:"place"`
	Topic       string          `json:"topic,omitempty"` // translation key, e.g. "appointment.topic.review"
}

// Message is a message between a participant and the local office.
type Message struct {
	ID          string    `json:"id"`
	Participant string    `json:"participant"`
	Case        string    `json:"case,omitempty"`
	FromOffice  bool      `json:"from_office"`
	Sent        time.Time `json:"sent"`
	Subject     string    `json:"subject"`
	Body        string    `json:"body"`
	InReplyTo   string    `json:"in_reply_to,omitempty"`
	// Translations are the subject and body in other languages, as the agency gives them;
	// Subject and Body are English (TextIn chooses).
	Translations []MessageText `json:"translations,omitempty"`
}

// Document is a notice or form on file for a participant.
type Document struct {
	ID          string `json:"id"`
	Participant string `json:"participant"`
	Case        string `json:"case,omitempty"`
	Title       string `json:"title"`
	Kind        string `json:"kind"` // "notice", "order", "form"
	Date        Date   `json:"date"`
	// Translations are the title in other languages, as the agency gives them; Title is
	// English (TitleIn chooses).
	Translations []DocumentText `json:"translations,omitempty"`
}
