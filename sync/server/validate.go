package server

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/assets"
	"childsupportkiosk/sync/protocol"
)

// MaxProblems is how many problems an import reports before it stops looking.
const MaxProblems = 20

// Invalid is the error of an export that breaks the rules: the first problems found, each naming
// the record and the field, and never quoting a value of the export (which may be a name, an
// SSN, a birth date or an amount in the wrong place). Nothing was changed.
type Invalid struct {
	Problems []string
	More     bool // more problems were left unreported
}

func (e *Invalid) Error() string {
	s := fmt.Sprintf("export refused, nothing changed: %d problem(s)", len(e.Problems))
	if e.More {
		s = fmt.Sprintf("export refused, nothing changed: more than %d problems", len(e.Problems))
	}
	return s + ":\n  " + strings.Join(e.Problems, "\n  ")
}

// known answers what the server already holds, for references an export makes to records it
// does not carry. A nil known means an empty server.
type known interface {
	office(id string) (domain.Office, bool, error)
	participant(id string) (bool, error)
	caseRecord(number string) (domain.CaseRecord, bool, error)
	ssnHolder(ssn string) (string, bool, error)
}

// Validate checks an export on its own, as if the server held nothing yet, and returns the
// first problems found (at most MaxProblems), or nil.
func Validate(e *domain.Export) *Invalid {
	inv, _ := validate(e, nil, nil)
	return inv
}

type checker struct {
	e        *domain.Export
	db       known
	problems []string
	more     bool

	idLen        int
	offices      map[string]*domain.Office
	locs         map[string]*time.Location
	genDates     map[string]domain.Date // the generated date in each office's time zone
	participants map[string]*domain.Participant
	cases        map[string]*domain.CaseRecord
	deleted      map[string]map[string]bool // kind → id

	// bad are the records and fields that did not decode: their problems are reported in their
	// record's place, instead of the checker's own problems with those records. With
	// onlyUndecoded, they are the only problems reported.
	bad           *undecoded
	onlyUndecoded bool
}

// errFull stops validation once MaxProblems are found.
type errFull struct{}

func validate(e *domain.Export, db known, bad *undecoded) (inv *Invalid, err error) {
	return validateWith(e, db, bad, false)
}

func validateWith(e *domain.Export, db known, bad *undecoded, onlyUndecoded bool) (inv *Invalid, err error) {
	c := &checker{e: e, db: db, offices: map[string]*domain.Office{}, locs: map[string]*time.Location{}, genDates: map[string]domain.Date{},
		participants: map[string]*domain.Participant{}, cases: map[string]*domain.CaseRecord{},
		deleted: map[string]map[string]bool{}, bad: bad, onlyUndecoded: onlyUndecoded}
	defer func() {
		switch r := recover().(type) {
		case nil:
		case errFull:
			c.more = true
		case dbError:
			err = r.err
		default:
			panic(r)
		}
		if err == nil && len(c.problems) > 0 {
			inv = &Invalid{Problems: c.problems, More: c.more}
		}
	}()
	c.run()
	return nil, nil
}

type dbError struct{ err error }

func (c *checker) must(err error) {
	if err != nil {
		panic(dbError{err})
	}
}

// add reports a problem found by the rules. A problem of a record (its first argument a
// recRef) or an export field that did not decode is left out: the decoding's problem stands for
// it.
func (c *checker) add(format string, a ...any) {
	if c.onlyUndecoded {
		return
	}
	if len(a) > 0 {
		if r, ok := a[0].(recRef); ok && r.undecoded {
			return
		}
	}
	if c.bad != nil && len(c.bad.top) > 0 {
		if field, _, ok := strings.Cut(format, ":"); ok && c.bad.topField(field) {
			return
		}
	}
	c.report(fmt.Sprintf(format, a...))
}

func (c *checker) report(problem string) {
	if len(c.problems) == MaxProblems {
		panic(errFull{})
	}
	c.problems = append(c.problems, problem)
}

// recRef names a record for a problem: "payments[12] (id P-9)". It is formatted only when a
// problem is reported.
type recRef struct {
	list      string
	i         int
	id        string
	idLen     int  // the length of a participant ID, 0 when unknown
	undecoded bool // the record did not decode whole: its problems are reported already
}

// at names the record i of list, and reports the problems of the record's decoding.
func (c *checker) at(list string, i int, id string) recRef {
	r := recRef{list: list, i: i, id: id, idLen: c.idLen}
	if c.bad != nil && c.bad.records != nil {
		if ps, ok := c.bad.records[recKey{list, i}]; ok {
			r.undecoded = true
			for _, p := range ps {
				if p.field == "" {
					c.report(fmt.Sprintf("%s: %s", r, p.text))
				} else {
					c.report(fmt.Sprintf("%s: %s: %s", r, p.field, p.text))
				}
			}
		}
	}
	return r
}

// showable reports whether the record's ID may name it in a problem: a valid ID of its kind (a
// participant's has the agency's length), and nothing that looks like an SSN. An ID that breaks
// its rules may be anything, a name or an SSN in the wrong column: the record is then named by
// its list and index only.
func (r recRef) showable() bool {
	id := r.id
	if id == "" || len(id) > 64 || !plainID(id) || looksLikeSSN(id) {
		return false
	}
	if r.list == "participants" {
		return r.idLen > 0 && len(id) == r.idLen && domain.Digits(id) == id
	}
	return true
}

// looksLikeSSN is nine digits, with or without the dashes of 123-45-6789.
func looksLikeSSN(s string) bool {
	if len(s) == 11 && s[3] == '-' && s[6] == '-' {
		s = s[:3] + s[4:6] + s[7:]
	}
	return len(s) == 9 && domain.Digits(s) == s
}

func (r recRef) String() string {
	if !r.showable() {
		return fmt.Sprintf("%s[%d]", r.list, r.i)
	}
	return fmt.Sprintf("%s[%d] (id %s)", r.list, r.i, r.id)
}

func plainID(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.' || b == ':') {
			return false
		}
	}
	return true
}

// ident checks a record ID: 1 to 64 of letters, digits and - _ . : (never "/", which joins a
// case number and a participant ID in a case view's ID).
func (c *checker) ident(rec recRef, field, s string) bool {
	switch {
	case s == "":
		c.add("%s: %s: is empty", rec, field)
	case len(s) > 64:
		c.add("%s: %s: longer than 64 characters", rec, field)
	case !plainID(s):
		c.add("%s: %s: may hold only letters, digits and - _ . :", rec, field)
	default:
		return true
	}
	return false
}

// text checks free text: valid UTF-8, no control characters but new lines in long text, at most
// max characters, and not empty when required.
func (c *checker) text(rec recRef, field, s string, max int, required bool) {
	switch {
	case !utf8.ValidString(s):
		c.add("%s: %s: not valid UTF-8", rec, field)
	case required && strings.TrimSpace(s) == "":
		c.add("%s: %s: is empty", rec, field)
	case utf8.RuneCountInString(s) > max:
		c.add("%s: %s: longer than %d characters", rec, field, max)
	default:
		for _, r := range s {
			if unicode.IsControl(r) && !(max > 200 && (r == '\n' || r == '\t')) {
				c.add("%s: %s: contains a control character", rec, field)
				return
			}
		}
	}
}

// identOnce checks a record's ID field: its shape, that list has it once, and that the
// export does not delete it too (a record of kind).
func (c *checker) identOnce(ids map[string]int, rec recRef, field, id string, i int, list, kind string) {
	if c.ident(rec, field, id) {
		c.seen(ids, rec, id, i, list)
		c.alsoDeleted(rec, kind, id)
	}
}

func (c *checker) seen(ids map[string]int, rec recRef, id string, i int, list string) {
	if j, dup := ids[id]; dup {
		c.add("%s: id: same as %s[%d]", rec, list, j)
		return
	}
	ids[id] = i
}

// SSNs whose area, group or serial the Social Security Administration never issues.
func plausibleSSN(s string) bool {
	if len(s) != 9 || domain.Digits(s) != s {
		return false
	}
	area, group, serial := s[:3], s[3:5], s[5:]
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

func (c *checker) generatedDate(office string) domain.Date {
	if d, ok := c.genDates[office]; ok {
		return d
	}
	loc := c.locs[office]
	if loc == nil {
		loc = time.UTC
	}
	d := domain.DateOf(c.e.Generated.In(loc))
	if c.locs[office] != nil {
		c.genDates[office] = d
	}
	return d
}

// run checks the whole export, list by list in the export's order, collecting problems (add).
func (c *checker) run() {
	if !c.checkHeader() {
		return
	}
	c.checkDeletions()
	c.checkOffices()
	c.checkStaff()
	c.checkParticipants()
	c.checkCases()
	c.checkPayments()
	c.checkDisbursements()
	c.checkAppointments()
	c.checkMessages()
	c.checkDocuments()
}

// checkHeader checks the format, agency and generated time; false when nothing more can be
// checked (an unknown agency, whose ID length every participant depends on, and no record
// that failed to decode).
func (c *checker) checkHeader() bool {
	e := c.e
	if e.Format != domain.ExportFormat {
		c.add("format: must be %q", domain.ExportFormat)
	}
	if c.bad != nil {
		for _, p := range c.bad.top {
			c.report(p.field + ": " + p.text)
		}
	}
	profile, err := assets.Profile(e.Agency)
	if err != nil {
		c.add("agency: not a known agency profile (%s)", strings.Join(assets.ProfileIDs(), ", "))
		// Every participant ID's length depends on it: the records' decoding problems are all
		// that can still be told.
		if c.bad == nil || len(c.bad.records) == 0 {
			return false
		}
		c.onlyUndecoded = true
	} else {
		c.idLen = profile.ParticipantID.Length
	}
	if e.Generated.IsZero() {
		c.add("generated: is missing")
	}
	return true
}

// checkDeletions checks the deletions: a known kind, an ID, each once.
func (c *checker) checkDeletions() {
	e := c.e
	for i, d := range e.Deletions {
		rec := c.at("deletions", i, d.ID)
		if !deletable[d.Kind] {
			c.add("%s: kind: not one of office, staff, participant, case, payment, disbursement, appointment, message, document", rec)
			continue
		}
		if !c.ident(rec, "id", d.ID) {
			continue
		}
		if c.deleted[d.Kind] == nil {
			c.deleted[d.Kind] = map[string]bool{}
		}
		if c.deleted[d.Kind][d.ID] {
			c.add("%s: listed twice", rec)
		}
		c.deleted[d.Kind][d.ID] = true
	}
}

// checkOffices checks the offices and keeps each, with its time zone, for the records that name it.
func (c *checker) checkOffices() {
	e := c.e
	ids := map[string]int{}
	for i := range e.Offices {
		o := &e.Offices[i]
		rec := c.at("offices", i, o.ID)
		c.identOnce(ids, rec, "id", o.ID, i, "offices", "office")
		c.text(rec, "name", o.Name, 200, true)
		if o.Agency != e.Agency {
			c.add("%s: agency: must be the export's agency %q", rec, e.Agency)
		}
		if loc, err := time.LoadLocation(o.TimeZone); err != nil || o.TimeZone == "" || o.TimeZone == "Local" {
			c.add("%s: timezone: not a known time zone (an IANA name such as America/Los_Angeles)", rec)
		} else {
			c.locs[o.ID] = loc
		}
		c.text(rec, "address", o.Address, 300, false)
		c.text(rec, "phone", o.Phone, 40, false)
		c.offices[o.ID] = o
	}
}

// checkStaff checks the staff accounts: ID, role, office and a password verifier.
func (c *checker) checkStaff() {
	e := c.e
	ids := map[string]int{}
	for i := range e.Staff {
		s := &e.Staff[i]
		rec := c.at("staff", i, s.ID)
		if !domain.ValidStaffID(s.ID) || domain.NormalizeStaffID(s.ID) != s.ID {
			c.add("%s: id: 2 to 32 capital letters and digits", rec)
		} else {
			c.seen(ids, rec, s.ID, i, "staff")
			c.alsoDeleted(rec, "staff", s.ID)
		}
		c.text(rec, "name", s.Name, 200, true)
		c.officeRef(rec, "office", s.Office)
		if !s.Role.Valid() {
			c.add("%s: role: must be front_desk or supervisor", rec)
		}
		c.pin(rec, "password", s.Password)
		switch {
		case s.Password.Verifier == "":
			c.add("%s: password.verifier: is missing; staff sign in with a password", rec)
		case s.Password.Temporary:
			c.add("%s: password.temporary: staff passwords are not temporary", rec)
		}
	}
}

// checkParticipants checks the participants: ID, SSN (unique here and on the server), name, birth date, language, office, PIN.
func (c *checker) checkParticipants() {
	e := c.e
	ids := map[string]int{}
	ssns := map[string]int{}
	for i := range e.Participants {
		p := &e.Participants[i]
		rec := c.at("participants", i, p.ID)
		if len(p.ID) != c.idLen || domain.Digits(p.ID) != p.ID {
			c.add("%s: id: must be %d digits", rec, c.idLen)
		} else {
			c.seen(ids, rec, p.ID, i, "participants")
			c.alsoDeleted(rec, "participant", p.ID)
		}
		switch {
		case len(p.SSN) != 9 || domain.Digits(p.SSN) != p.SSN:
			c.add("%s: ssn: must be 9 digits, no dashes", rec)
		case !plausibleSSN(p.SSN):
			c.add("%s: ssn: not a number the SSA issues (area 000, 666 or 9xx, group 00 or serial 0000)", rec)
		default:
			if j, dup := ssns[p.SSN]; dup {
				c.add("%s: ssn: same as participants[%d]", rec, j)
			} else {
				ssns[p.SSN] = i
				if c.db != nil {
					holder, ok, err := c.db.ssnHolder(p.SSN)
					c.must(err)
					if ok && holder != p.ID && !c.isDeleted("participant", holder) {
						if _, inExport := ids[holder]; !inExport {
							c.add("%s: ssn: already belongs to another participant on the server", rec)
						}
					}
				}
			}
		}
		c.text(rec, "name", p.Name, 200, true)
		if !p.BirthDate.IsZero() && (p.BirthDate.Year < 1900 || c.generatedDate(p.Office).Before(p.BirthDate)) {
			c.add("%s: birth_date: must be after 1900 and not in the future", rec)
		}
		if len(p.Language) > 16 || strings.Trim(p.Language, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" {
			c.add("%s: language: must be a language code such as \"es\"", rec)
		}
		c.officeRef(rec, "office", p.Office)
		c.pin(rec, "pin", p.PIN)
		c.participants[p.ID] = p
	}
	// A participant whose SSN another participant of the export had before is fine: the later
	// record wins within one import only when the holder moves away, which the unique index checks.
}

// checkCases checks the cases: number, office, parties and balances.
func (c *checker) checkCases() {
	e := c.e
	ids := map[string]int{}
	for i := range e.Cases {
		k := &e.Cases[i]
		rec := c.at("cases", i, k.Number)
		c.identOnce(ids, rec, "number", k.Number, i, "cases", "case")
		c.officeRef(rec, "office", k.Office)
		c.text(rec, "court_order", k.CourtOrder, 64, false)
		c.parties(rec, k)
		b := k.Balances
		for _, f := range []struct {
			name string
			v    domain.Cents
		}{{"monthly_current", b.MonthlyCurrent}, {"arrears", b.Arrears}, {"interest", b.Interest}, {"fees", b.Fees}} {
			if f.v < 0 {
				c.add("%s: balances.%s: must not be negative", rec, f.name)
			}
		}
		if !b.AsOf.IsZero() && c.generatedDate(k.Office).Before(b.AsOf) {
			c.add("%s: balances.as_of: after the export's generated date", rec)
		}
		c.cases[k.Number] = k
	}
}

// checkPayments checks the payments: ID, case and payer, amount, source, allocation, date.
func (c *checker) checkPayments() {
	e := c.e
	ids := make(map[string]int, len(e.Payments))
	for i := range e.Payments {
		p := &e.Payments[i]
		rec := c.at("payments", i, p.ID)
		c.identOnce(ids, rec, "id", p.ID, i, "payments", "payment")
		office := c.partyRef(rec, "case", "payer", p.Case, p.Payer, domain.Noncustodial)
		c.amount(rec, "amount", p.Amount)
		if !p.Source.Valid() {
			c.add("%s: source: not a known source", rec)
		}
		a := p.Allocation
		if a.Current < 0 || a.Arrears < 0 || a.Interest < 0 || a.Fees < 0 {
			c.add("%s: allocation: parts must not be negative", rec)
		} else if a.Total() != p.Amount {
			c.add("%s: allocation: parts do not add up to the amount", rec)
		}
		c.date(rec, "received", p.Received, office)
	}
}

// checkDisbursements checks the disbursements: ID, case and payee, amount, source, method, status and its reason, date.
func (c *checker) checkDisbursements() {
	e := c.e
	ids := make(map[string]int, len(e.Disbursements))
	for i := range e.Disbursements {
		d := &e.Disbursements[i]
		rec := c.at("disbursements", i, d.ID)
		c.identOnce(ids, rec, "id", d.ID, i, "disbursements", "disbursement")
		office := c.partyRef(rec, "case", "payee", d.Case, d.Payee, domain.Custodial)
		c.amount(rec, "amount", d.Amount)
		if !d.Source.Valid() {
			c.add("%s: source: not a known source", rec)
		}
		if !d.Method.Valid() {
			c.add("%s: method: not direct_deposit, debit_card or check", rec)
		}
		switch {
		case !d.Status.Valid():
			c.add("%s: status: not disbursed, held, pended, reissued or refunded", rec)
		case !d.Reason.Valid():
			c.add("%s: reason: not a known reason", rec)
		case d.Status != domain.Disbursed && d.Reason == domain.NoReason:
			c.add("%s: reason: required when the status is %s", rec, d.Status)
		}
		c.date(rec, "date", d.Date, office)
	}
}

// checkAppointments checks the appointments: ID, whose, kind, time and place.
func (c *checker) checkAppointments() {
	e := c.e
	ids := map[string]int{}
	for i := range e.Appointments {
		a := &e.Appointments[i]
		rec := c.at("appointments", i, a.ID)
		c.identOnce(ids, rec, "id", a.ID, i, "appointments", "appointment")
		c.ownerRef(rec, a.Participant, a.Case)
		if a.Kind != domain.OfficeAppointment && a.Kind != domain.CourtDate {
			c.add("%s: kind: must be appointment or court", rec)
		}
		if a.At.IsZero() {
			c.add("%s: at: is missing", rec)
		}
		c.text(rec, "place", a.Place, 300, true)
		c.text(rec, "topic", a.Topic, 100, false)
	}
}

// checkMessages checks the messages: ID, whose, time, texts and their translations.
func (c *checker) checkMessages() {
	e := c.e
	ids := map[string]int{}
	for i := range e.Messages {
		m := &e.Messages[i]
		rec := c.at("messages", i, m.ID)
		c.identOnce(ids, rec, "id", m.ID, i, "messages", "message")
		c.ownerRef(rec, m.Participant, m.Case)
		if m.Sent.IsZero() {
			c.add("%s: sent: is missing", rec)
		} else if m.Sent.After(e.Generated) {
			c.add("%s: sent: after the export's generated time", rec)
		}
		c.text(rec, "subject", m.Subject, 200, true)
		c.text(rec, "body", m.Body, 10000, true)
		if m.InReplyTo != "" {
			c.ident(rec, "in_reply_to", m.InReplyTo)
		}
		c.translations(rec, len(m.Translations), func(i int) string { return m.Translations[i].Lang },
			func(i int, field string) {
				c.text(rec, field+".subject", m.Translations[i].Subject, 200, true)
				c.text(rec, field+".body", m.Translations[i].Body, 10000, true)
			})
	}
}

// checkDocuments checks the documents: ID, whose, title and its translations, kind, date.
func (c *checker) checkDocuments() {
	e := c.e
	ids := map[string]int{}
	for i := range e.Documents {
		d := &e.Documents[i]
		rec := c.at("documents", i, d.ID)
		c.identOnce(ids, rec, "id", d.ID, i, "documents", "document")
		c.ownerRef(rec, d.Participant, d.Case)
		c.text(rec, "title", d.Title, 200, true)
		c.translations(rec, len(d.Translations), func(i int) string { return d.Translations[i].Lang },
			func(i int, field string) { c.text(rec, field+".title", d.Translations[i].Title, 200, true) })
		if d.Kind != "notice" && d.Kind != "order" && d.Kind != "form" {
			c.add("%s: kind: must be notice, order or form", rec)
		}
		if d.Date.IsZero() {
			c.add("%s: date: is missing", rec)
		}
	}

}

// maxTranslations is how many languages one record's texts may be given in: California's
// threshold languages and more, and still a bounded record.
const maxTranslations = 20

// translations checks a record's texts in other languages: at most maxTranslations, each with
// a language tag of BCP 47's shape that is not English (the record's own text is) and not given
// twice; texts(i, "translations[i]") checks the texts of the i-th.
func (c *checker) translations(rec recRef, n int, lang func(int) string, texts func(i int, field string)) {
	if n > maxTranslations {
		c.add("%s: translations: more than %d languages", rec, maxTranslations)
		return
	}
	seen := map[string]bool{}
	for i := range n {
		field := fmt.Sprintf("translations[%d]", i)
		tag := strings.ToLower(lang(i))
		switch {
		case !domain.ValidLanguageTag(tag):
			c.add("%s: %s.lang: must be a language tag such as \"es\" or \"zh-Hant\"", rec, field)
		case domain.PrimaryLanguage(tag) == "en":
			c.add("%s: %s.lang: must not be English (the record's own text is)", rec, field)
		case seen[tag]:
			c.add("%s: %s.lang: given twice", rec, field)
		}
		seen[tag] = true
		texts(i, field)
	}
}

var deletable = map[string]bool{"office": true, "staff": true, "participant": true, "case": true, "payment": true,
	"disbursement": true, "appointment": true, "message": true, "document": true}

func truncate(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "?")
}

func (c *checker) isDeleted(kind, id string) bool { return c.deleted[kind][id] }

func (c *checker) alsoDeleted(rec recRef, kind, id string) {
	if c.isDeleted(kind, id) {
		c.add("%s: id: also listed in deletions", rec)
	}
}

func (c *checker) amount(rec recRef, field string, v domain.Cents) {
	if v <= 0 {
		c.add("%s: %s: must be more than 0", rec, field)
	} else if v > 100_000_000_00 {
		c.add("%s: %s: more than 100 million", rec, field)
	}
}

func (c *checker) date(rec recRef, field string, d domain.Date, office string) {
	switch {
	case d.IsZero():
		c.add("%s: %s: is missing", rec, field)
	case d.Year < 1950:
		c.add("%s: %s: before 1950", rec, field)
	case c.generatedDate(office).Before(d):
		c.add("%s: %s: after the export's generated date", rec, field)
	}
}

func (c *checker) pin(rec recRef, field string, p domain.PIN) {
	switch {
	case p.Verifier != "" && !seal.ValidVerifier(p.Verifier):
		c.add("%s: %s.verifier: not an Argon2id verifier ($argon2id$v=19$m=…,t=…,p=…$salt$hash)", rec, field)
	case p.Verifier == "" && p.Temporary:
		c.add("%s: %s.temporary: a temporary PIN needs a verifier", rec, field)
	}
	if p.Version < 0 || p.Version > protocol.MaxPINVersion {
		c.add("%s: %s.version: must be 0 to 2^53-1", rec, field)
	}
	if p.Failures < 0 || p.Failures > 100 {
		c.add("%s: %s.failures: must be 0 to 100", rec, field)
	}
	c.text(rec, field+".issued_by", p.IssuedBy, 64, false)
}

// officeRef checks that an office is in the export or on the server, and not deleted.
func (c *checker) officeRef(rec recRef, field, id string) bool {
	if id == "" {
		c.add("%s: %s: is empty", rec, field)
		return false
	}
	if c.isDeleted("office", id) {
		c.add("%s: %s: the office is deleted by this export", rec, field)
		return false
	}
	if _, ok := c.offices[id]; ok {
		return true
	}
	if c.db != nil {
		o, ok, err := c.db.office(id)
		c.must(err)
		if ok {
			c.offices[id] = &o
			if loc, err := time.LoadLocation(o.TimeZone); err == nil {
				c.locs[id] = loc
			}
			return true
		}
	}
	c.add("%s: %s: no such office", rec, field)
	return false
}

func (c *checker) participantRef(rec recRef, field, id string) bool {
	if id == "" {
		c.add("%s: %s: is empty", rec, field)
		return false
	}
	if c.isDeleted("participant", id) {
		c.add("%s: %s: the participant is deleted by this export", rec, field)
		return false
	}
	if _, ok := c.participants[id]; ok {
		return true
	}
	if c.db != nil {
		ok, err := c.db.participant(id)
		c.must(err)
		if ok {
			c.participants[id] = nil // known on the server
			return true
		}
	}
	c.add("%s: %s: no such participant", rec, field)
	return false
}

func (c *checker) caseRef(rec recRef, field, number string) *domain.CaseRecord {
	if number == "" {
		c.add("%s: %s: is empty", rec, field)
		return nil
	}
	if c.isDeleted("case", number) {
		c.add("%s: %s: the case is deleted by this export", rec, field)
		return nil
	}
	if k, ok := c.cases[number]; ok {
		return k
	}
	if c.db != nil {
		k, ok, err := c.db.caseRecord(number)
		c.must(err)
		if ok {
			c.cases[number] = &k
			return &k
		}
	}
	c.add("%s: %s: no such case", rec, field)
	return nil
}

func (c *checker) parties(rec recRef, k *domain.CaseRecord) {
	if len(k.Parties) != 2 {
		c.add("%s: parties: must be two, one custodial and one noncustodial", rec)
		return
	}
	roles := map[domain.Role]int{}
	participants := 0
	for j, p := range k.Parties {
		field := fmt.Sprintf("parties[%d]", j)
		if !p.Role.Valid() {
			c.add("%s: %s.role: must be custodial or noncustodial", rec, field)
		}
		roles[p.Role]++
		switch {
		case p.Participant != "" && p.Name != "":
			c.add("%s: %s: either a participant or a name, not both", rec, field)
		case p.Participant != "":
			participants++
			c.participantRef(rec, field+".participant", p.Participant)
		case p.Name != "":
			c.text(rec, field+".name", p.Name, 200, true)
		default:
			c.add("%s: %s: needs a participant or a name", rec, field)
		}
	}
	if roles[domain.Custodial] != 1 || roles[domain.Noncustodial] != 1 {
		c.add("%s: parties: must be one custodial and one noncustodial", rec)
	}
	if participants == 0 {
		c.add("%s: parties: at least one must be a participant", rec)
	}
	if k.Parties[0].Participant != "" && k.Parties[0].Participant == k.Parties[1].Participant {
		c.add("%s: parties: the same participant twice", rec)
	}
}

// partyRef checks a money record's case and participant, and that the participant has the role
// on that case; it returns the case's office.
func (c *checker) partyRef(rec recRef, caseField, whoField, number, who string, role domain.Role) string {
	k := c.caseRef(rec, caseField, number)
	if !c.participantRef(rec, whoField, who) || k == nil {
		if k != nil {
			return k.Office
		}
		return ""
	}
	for _, p := range k.Parties {
		if p.Participant == who {
			if p.Role != role {
				c.add("%s: %s: not the %s party of the case", rec, whoField, role)
			}
			return k.Office
		}
	}
	c.add("%s: %s: not a party of the case", rec, whoField)
	return k.Office
}

// ownerRef checks the participant of an appointment, message or document, and its case when it
// names one: the participant must be a party of it.
func (c *checker) ownerRef(rec recRef, who, number string) {
	okWho := c.participantRef(rec, "participant", who)
	if number == "" {
		return
	}
	k := c.caseRef(rec, "case", number)
	if k == nil || !okWho {
		return
	}
	for _, p := range k.Parties {
		if p.Participant == who {
			return
		}
	}
	c.add("%s: participant: not a party of the case", rec)
}
