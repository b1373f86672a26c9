package domain

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Profile is an agency's settings, shipped as data (assets/profiles/*.json): how its
// identifiers look, how long a PIN is, its phone numbers and addresses, its tutorial videos,
// languages, time-outs and the wording of its notices. Wording is given as translation keys so
// that every string a person reads comes from translations/.
type Profile struct {
	ID       string `json:"id"`       // "CA", "NY", "OH"
	NameKey  string `json:"name_key"` // translation key of the agency's name
	TimeZone string `json:"timezone"`

	ParticipantID IDFormat `json:"participant_id"` // the agency's own identifier
	AcceptSSN     bool     `json:"accept_ssn"`     // sign in with an SSN as well
	PINLength     int      `json:"pin_length"`
	MaxFailures   int      `json:"max_failures"`   // wrong PINs before the account locks
	TempPINHours  int      `json:"temp_pin_hours"` // how long a temporary PIN is valid

	IdleSeconds      int `json:"idle_seconds"`       // no touch for this long: warn
	WarningSeconds   int `json:"warning_seconds"`    // then count down this long and sign out
	StaffIdleSeconds int `json:"staff_idle_seconds"` // staff mode is shorter

	Languages       []string `json:"languages"`
	DefaultLanguage string   `json:"default_language"`

	Contacts Contacts `json:"contacts"`
	Remit    Remit    `json:"remit"`

	PaymentOptions []string `json:"payment_options"` // translation keys, in order
	// Videos are the agency's tutorial videos, shown as QR codes: each a page of the agency
	// that has the video, never its home page (Check). An agency without one has none.
	Videos        []Link   `json:"videos"`
	Forms         []Link   `json:"forms"`           // forms a parent may need
	Notices       []string `json:"notices"`         // translation keys shown with payments
	HistoryStart  Date     `json:"history_start"`   // payments before it may not appear
	SupportDueDay int      `json:"support_due_day"` // day of the month current support is due (1 to 28); 0 when it is not said
}

// IDFormat describes an identifier: its name (a translation key) and its length in digits.
type IDFormat struct {
	NameKey string `json:"name_key"`
	Length  int    `json:"length"`
}

// Contacts are the agency's phone numbers and addresses a person may need.
type Contacts struct {
	Phone        string `json:"phone"`
	TTY          string `json:"tty"`
	InfoLine     string `json:"info_line,omitempty"`
	HoursKey     string `json:"hours_key"`
	Website      string `json:"website"`
	DVHotline    string `json:"dv_hotline"`     // National Domestic Violence Hotline
	DVHotlineTTY string `json:"dv_hotline_tty"` // and its TTY / text line
}

// Remit is where payments by mail go, and what to write on them.
type Remit struct {
	Payee   string   `json:"payee"`
	Lines   []string `json:"lines"`
	MemoKey string   `json:"memo_key"`
	Phone   string   `json:"phone"`
	Website string   `json:"website"` // where to pay online ("pay online" QR code); not the home page
}

// Link is a titled URL: a tutorial video or a form.
type Link struct {
	TitleKey string `json:"title_key"`
	URL      string `json:"url"`
}

// Idle is how long the kiosk waits without a touch before it warns.
func (p Profile) Idle() time.Duration { return time.Duration(p.IdleSeconds) * time.Second }

// Warning is how long the "Are you still there?" countdown runs.
func (p Profile) Warning() time.Duration { return time.Duration(p.WarningSeconds) * time.Second }

// TempPINValidity is how long a temporary PIN works.
func (p Profile) TempPINValidity() time.Duration { return time.Duration(p.TempPINHours) * time.Hour }

// Location is the agency's time zone.
func (p Profile) Location() (*time.Location, error) { return time.LoadLocation(p.TimeZone) }

// ParseProfile reads and checks a profile. Limits follow NIST SP 800-63B: never more than 100
// failures before a lock.
func ParseProfile(b []byte) (Profile, error) {
	var p Profile
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("%w: %v", ErrBadProfile, err)
	}
	return p, p.Check()
}

// Check reports the first rule the profile breaks.
func (p Profile) Check() error {
	bad := func(field, why string) error {
		return fmt.Errorf("%w: profile %q: %s %s", ErrBadProfile, p.ID, field, why)
	}
	switch {
	case p.ID == "":
		return bad("id", "is empty")
	case p.NameKey == "":
		return bad("name_key", "is empty")
	case p.ParticipantID.Length < 4 || p.ParticipantID.Length > 20:
		return bad("participant_id.length", "must be 4 to 20")
	case p.PINLength < 4 || p.PINLength > 12:
		return bad("pin_length", "must be 4 to 12")
	case p.MaxFailures < 1 || p.MaxFailures > 100:
		return bad("max_failures", "must be 1 to 100")
	case p.TempPINHours < 1 || p.TempPINHours > 24*14:
		return bad("temp_pin_hours", "must be 1 to 336")
	case p.IdleSeconds < 30:
		return bad("idle_seconds", "must be at least 30")
	case p.WarningSeconds < 10 || p.WarningSeconds >= p.IdleSeconds:
		return bad("warning_seconds", "must be at least 10 and less than idle_seconds")
	case p.StaffIdleSeconds < 30:
		return bad("staff_idle_seconds", "must be at least 30")
	case len(p.Languages) == 0:
		return bad("languages", "is empty")
	case p.Contacts.Phone == "":
		return bad("contacts.phone", "is empty")
	case p.SupportDueDay < 0 || p.SupportDueDay > 28:
		return bad("support_due_day", "must be 0 to 28")
	}
	if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "" {
		return bad("timezone", "is not a known time zone")
	}
	found := false
	for _, l := range p.Languages {
		found = found || l == p.DefaultLanguage
	}
	if !found {
		return bad("default_language", "is not among languages")
	}
	return p.checkLinks(bad)
}

// checkLinks checks the links a person opens from a QR code: each tutorial video and the
// "pay online" page must be an https page of its own, titled, and not the agency's home page,
// so that a code never says it opens a video and opens the home page instead.
func (p Profile) checkLinks(bad func(field, why string) error) error {
	home := linkKey(p.Contacts.Website)
	seen := map[string]string{}
	own := func(field, raw string) error {
		u, err := url.Parse(raw)
		switch {
		case strings.TrimSpace(raw) == "":
			return bad(field, "is empty")
		case err != nil || u.Scheme != "https" || u.Host == "":
			return bad(field, "is not an https address")
		case home != "" && linkKey(raw) == home:
			return bad(field, "is the agency's home page")
		case seen[linkKey(raw)] != "":
			return bad(field, "is the same page as "+seen[linkKey(raw)])
		}
		seen[linkKey(raw)] = field
		return nil
	}
	for i, v := range p.Videos {
		field := fmt.Sprintf("videos[%d]", i)
		if v.TitleKey == "" {
			return bad(field+".title_key", "is empty")
		}
		if err := own(field+".url", v.URL); err != nil {
			return err
		}
	}
	if p.Remit.Website != "" {
		return own("remit.website", p.Remit.Website)
	}
	return nil
}

// linkKey is what two addresses of the same page share: the host without "www." in lower
// case, and the path without its closing slash; scheme, query and fragment aside.
func linkKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	return strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimRight(u.Path, "/")
}
