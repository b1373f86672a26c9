package domain

import "time"

// ExportFormat names the version of the agency export format (docs/export-format.md).
const ExportFormat = "childsupport-export/1"

// Export is what an agency's case management system hands the central case server: every
// office, participant, case and money movement it wants kiosks to see. The case server's import
// checks all of it and loads all or nothing; its demo generator produces the same shape.
type Export struct {
	Format        string         `json:"format"`
	Agency        string         `json:"agency"` // profile ID
	Generated     time.Time      `json:"generated"`
	Offices       []Office       `json:"offices"`
	Staff         []Staff        `json:"staff,omitempty"`
	Participants  []Participant  `json:"participants"`
	Cases         []CaseRecord   `json:"cases"`
	Payments      []Payment      `json:"payments"`
	Disbursements []Disbursement `json:"disbursements"`
	Appointments  []Appointment  `json:"appointments"`
	Messages      []Message      `json:"messages"`
	Documents     []Document     `json:"documents"`
	Deletions     []Deletion     `json:"deletions,omitempty"`
}

// Deletion names a record the agency no longer keeps: kiosks receive a tombstone for every view
// of it. Kind is one of the export's record kinds ("office", "participant", "case", "payment",
// "disbursement", "appointment", "message", "document"); ID is its id, a case's number.
type Deletion struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// CaseRecord is a case as the agency keeps it, with both parties. Kiosks never see it whole:
// the server turns it into one Case view per participant.
type CaseRecord struct {
	Number         string   `json:"number"`
	Office         string   `json:"office"`
	CourtOrder     string   `json:"court_order"`
	Parties        []Party  `json:"parties"`
	FamilyViolence bool     `json:"family_violence,omitempty"`
	Balances       Balances `json:"balances"`
}

// Party is a parent on a case: a participant known to the agency, or only a name (a parent in
// another jurisdiction, say).
type Party struct {
	Participant string `json:"participant,omitempty"`
	Name        string `json:"name,omitempty"` // when there is no participant record
	Role        Role   `json:"role"`
}

// ViewFor returns participant pid's view of the case, with the other party's name looked up by
// name(); the family-violence indicator leaves the other party out entirely.
func (c CaseRecord) ViewFor(pid string, name func(participant string) string) (Case, bool) {
	v := Case{Number: c.Number, Office: c.Office, CourtOrder: c.CourtOrder, Participant: pid,
		FamilyViolence: c.FamilyViolence, Balances: c.Balances}
	mine := false
	for _, p := range c.Parties {
		if p.Participant == pid && p.Participant != "" {
			v.Role, mine = p.Role, true
		}
	}
	if !mine {
		return Case{}, false
	}
	if !c.FamilyViolence {
		for _, p := range c.Parties {
			if p.Participant == pid && p.Participant != "" {
				continue
			}
			if p.Name != "" {
				v.OtherParty = p.Name
			} else if n := name(p.Participant); n != "" {
				v.OtherParty = n
			}
		}
	}
	return v, true
}
