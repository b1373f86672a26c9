// Package demo generates a believable agency export for demos, tests and benchmarks: California offices, parents who pay, receive or both, years of payments and disbursements, holds, family-violence cases, appointments, messages and documents.
package demo

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/assets"
)

// Options say what to generate. The zero value means the defaults.
type Options struct {
	Seed         uint64    // the same seed gives the same export
	Offices      int       // California county offices, 1 to len(Counties); default 3
	Participants int       // default 150
	Now          time.Time // the export's "generated" time; default DefaultNow
}

// DefaultNow is the fixed "now" of a demo when Options.Now is zero, so that a seed alone
// decides the export.
var DefaultNow = time.Date(2026, time.November, 15, 17, 0, 0, 0, time.UTC)

// Sample is a participant a person can sign in as in the demo.
type Sample struct {
	Participant string
	Office      string
	Role        string // "custodial", "noncustodial" or "both"
	PIN         string
	Temporary   bool // the PIN must be changed at the first sign-in
	// FamilyViolence says one of the participant's cases carries the family-violence indicator.
	FamilyViolence bool
}

// County is a demo office.
type County struct {
	ID, Name, City, Address, Court string
}

// Counties are the offices a demo can have, in order.
var Counties = []County{
	{"CA-LA", "Los Angeles County Child Support Services", "Los Angeles", "5770 S Eastern Ave, Commerce, CA 90040", "Stanley Mosk Courthouse, 111 N Hill St"},
	{"CA-SD", "San Diego County Child Support Services", "San Diego", "1255 Imperial Ave, San Diego, CA 92101", "Central Courthouse, 1100 Union St"},
	{"CA-FRE", "Fresno County Child Support Services", "Fresno", "2220 Tulare St, Fresno, CA 93721", "B.F. Sisk Courthouse, 1130 O St"},
	{"CA-ALA", "Alameda County Child Support Services", "Oakland", "5669 Gateway Blvd, Hayward, CA 94545", "Hayward Hall of Justice, 24405 Amador St"},
	{"CA-SAC", "Sacramento County Child Support Services", "Sacramento", "3960 Research Dr, Sacramento, CA 95838", "William R. Ridgeway Family Relations Courthouse, 3341 Power Inn Rd"},
	{"CA-RIV", "Riverside County Child Support Services", "Riverside", "2041 Iowa Ave, Riverside, CA 92507", "Riverside Family Law Court, 4175 Main St"},
	{"CA-SCL", "Santa Clara County Child Support Services", "San José", "880 Ridder Park Dr, San José, CA 95131", "Family Justice Center Courthouse, 201 N First St"},
	{"CA-KER", "Kern County Child Support Services", "Bakersfield", "1300 18th St, Bakersfield, CA 93301", "Juvenile Justice Center, 2100 College Ave"},
}

const agency = "CA"

//go:embed given.txt
var givenText string

//go:embed family.txt
var familyText string

func lines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

var (
	givenNames  = lines(givenText)
	familyNames = lines(familyText)
)

// role of a generated participant.
const (
	pays = 1 << iota
	receives
)

type person struct {
	p       *domain.Participant
	role    int
	method  domain.Method
	payCase []*kase // cases where the person pays
	getCase []*kase // cases where the person receives
}

type kase struct {
	rec      *domain.CaseRecord
	payer    *person // nil when the noncustodial parent is only a name
	payee    *person // nil when the custodial parent is only a name
	monthly  domain.Cents
	biweekly bool
	start    domain.Date
	joint    bool // the payer files joint tax returns: federal offsets are held
}

type gen struct {
	r       *rand.Rand
	now     time.Time
	today   domain.Date
	loc     *time.Location
	profile domain.Profile
	e       *domain.Export
	people  []*person
	cases   []*kase
	ids     map[string]bool
	ssns    map[string]bool
	nPay    int
	nDoc    int
	nApp    int
	nMsg    int
	forced  []*kase          // cases that get a held joint-return offset
	sampled map[*person]bool // the samples
}

// Generate makes a demo export and the participants one can sign in as. The same options give
// the same export, byte for byte once encoded.
func Generate(opts Options) (*domain.Export, []Sample, error) {
	if opts.Offices == 0 {
		opts.Offices = 3
	}
	if opts.Participants == 0 {
		opts.Participants = 150
	}
	if opts.Now.IsZero() {
		opts.Now = DefaultNow
	}
	switch {
	case opts.Offices < 1 || opts.Offices > len(Counties):
		return nil, nil, fmt.Errorf("offices: 1 to %d", len(Counties))
	case opts.Participants < 4*opts.Offices:
		return nil, nil, fmt.Errorf("participants: at least 4 per office (%d)", 4*opts.Offices)
	case opts.Participants > 1_000_000:
		return nil, nil, errors.New("participants: at most 1,000,000")
	}
	profile, err := assets.Profile(agency)
	if err != nil {
		return nil, nil, err
	}
	loc, err := profile.Location()
	if err != nil {
		return nil, nil, err
	}
	g := &gen{r: rand.New(rand.NewPCG(opts.Seed, 0x6b696f736b)), now: opts.Now.UTC(), loc: loc,
		profile: profile, ids: map[string]bool{}, ssns: map[string]bool{}, sampled: map[*person]bool{}}
	g.today = domain.DateOf(opts.Now.In(loc))
	g.e = &domain.Export{Format: domain.ExportFormat, Agency: agency, Generated: g.now}
	for _, c := range Counties[:opts.Offices] {
		g.e.Offices = append(g.e.Offices, domain.Office{ID: c.ID, Name: c.Name, Agency: agency,
			TimeZone: profile.TimeZone, Address: c.Address, Phone: profile.Contacts.Phone})
	}
	g.participants(opts.Participants)
	g.makeCases()
	samples, err := g.samples()
	if err != nil {
		return nil, nil, err
	}

	// Room for every payment up front: growing slices of a million payments copies them over
	// and over.
	est := 64
	for _, k := range g.cases {
		step := 30
		if k.biweekly {
			step = 14
		}
		est += daysBetween(k.start, g.today)/step + 16
	}
	g.e.Payments = make([]domain.Payment, 0, est)
	g.e.Disbursements = make([]domain.Disbursement, 0, est)
	for _, k := range g.cases {
		g.history(k)
	}
	g.heldOffsets()
	g.everySource()
	g.statuses()
	g.appointments()
	g.messages()
	g.documents()
	if _, err := g.staff(); err != nil { // last: the rest of the export stays as it was
		return nil, nil, err
	}
	g.e.Cases = make([]domain.CaseRecord, len(g.cases))
	for i, k := range g.cases {
		g.e.Cases[i] = *k.rec
	}
	return g.e, samples, nil
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func (g *gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

func (g *gen) name() string {
	given, family := g.pick(givenNames), g.pick(familyNames)
	switch {
	case g.chance(0.12):
		family += " " + g.pick(familyNames) // two family names: José Núñez García
	case g.chance(0.05):
		family += "-" + g.pick(familyNames)
	}
	return given + " " + family
}

// ssn returns a plausible, unique SSN: never area 000, 666 or 9xx, group 00 or serial 0000.
func (g *gen) ssn() string {
	for {
		area := g.between(1, 899)
		if area == 666 {
			continue
		}
		s := fmt.Sprintf("%03d%02d%04d", area, g.between(1, 99), g.between(1, 9999))
		if !g.ssns[s] {
			g.ssns[s] = true
			return s
		}
	}
}

func (g *gen) participantID() string {
	n := g.profile.ParticipantID.Length
	for {
		id := string(rune('1'+g.r.IntN(9))) + g.digits(n-1)
		if !g.ids[id] {
			g.ids[id] = true
			return id
		}
	}
}

func (g *gen) participants(n int) {
	langs := []string{"en", "en", "en", "es", "es", "fr", ""}
	methods := []domain.Method{domain.DirectDeposit, domain.DirectDeposit, domain.DebitCard, domain.DebitCard, domain.Check}
	g.e.Participants = make([]domain.Participant, n)
	offices := len(g.e.Offices)
	for i := range n {
		p := &g.e.Participants[i]
		*p = domain.Participant{ID: g.participantID(), SSN: g.ssn(), Name: g.name(),
			BirthDate: domain.Date{Year: g.between(1966, 2004), Month: time.Month(g.between(1, 12)), Day: g.between(1, 28)},
			Language:  g.pick(langs), Office: g.e.Offices[i%offices].ID}
		// One in ten pays on one case and receives on another.
		role := pays
		switch (i / offices) % 10 { // every office gets every role
		case 0, 1, 2, 3, 4:
		case 5, 6, 7, 8:
			role = receives
		default:
			role = pays | receives
		}
		g.people = append(g.people, &person{p: p, role: role, method: methods[g.r.IntN(len(methods))]})
	}
}

func (g *gen) caseNumber() string {
	for {
		n := "CS" + g.digits(10)
		if !g.ids[n] {
			g.ids[n] = true
			return n
		}
	}
}

// makeCases pairs payers with receivers of the same office. Some payers have two cases; a
// receiver left without a case gets one whose paying parent lives elsewhere (a name only).
func (g *gen) makeCases() {
	for _, office := range g.e.Offices {
		var payers, receivers []*person
		for _, pp := range g.people {
			if pp.p.Office != office.ID {
				continue
			}
			if pp.role&pays != 0 {
				payers = append(payers, pp)
			}
			if pp.role&receives != 0 {
				receivers = append(receivers, pp)
			}
		}
		g.r.Shuffle(len(receivers), func(i, j int) { receivers[i], receivers[j] = receivers[j], receivers[i] })
		next := 0
		for _, payer := range payers {
			n := 1
			if payer.role == pays && g.chance(0.2) {
				n = 2
			}
			for range n {
				var payee *person
				for try := 0; try < len(receivers); try++ {
					r := receivers[next%len(receivers)]
					next++
					if r != payer && !paired(payer, r) {
						payee = r
						break
					}
				}
				if g.chance(0.04) {
					payee = nil // the custodial parent is a relative with no participant record
				}
				g.newCase(office.ID, payer, payee)
			}
		}
		for _, r := range receivers {
			if len(r.getCase) == 0 {
				g.newCase(office.ID, nil, r)
			}
		}
	}
}

func paired(payer, payee *person) bool {
	for _, k := range payer.payCase {
		if k.payee == payee {
			return true
		}
	}
	return false
}

func (g *gen) newCase(office string, payer, payee *person) {
	monthly := domain.Cents(g.between(15, 150) * 1000) // $150 to $1,500 a month
	k := &kase{payer: payer, payee: payee, monthly: monthly, biweekly: g.chance(0.6), joint: g.chance(0.35)}
	years := g.between(10, 14)
	if g.chance(0.35) {
		years = g.between(1, 9)
	}
	k.start = g.today.AddDays(-365*years - g.between(0, 300))
	rec := &domain.CaseRecord{Number: g.caseNumber(), Office: office,
		CourtOrder:     fmt.Sprintf("%02dFL%06d", k.start.Year%100, g.r.IntN(1_000_000)),
		FamilyViolence: g.chance(0.08)}
	if payee != nil {
		rec.Parties = append(rec.Parties, domain.Party{Participant: payee.p.ID, Role: domain.Custodial})
	} else {
		rec.Parties = append(rec.Parties, domain.Party{Name: g.name(), Role: domain.Custodial})
	}
	if payer != nil {
		rec.Parties = append(rec.Parties, domain.Party{Participant: payer.p.ID, Role: domain.Noncustodial})
	} else {
		rec.Parties = append(rec.Parties, domain.Party{Name: g.name(), Role: domain.Noncustodial})
	}
	b := &rec.Balances
	b.MonthlyCurrent, b.AsOf = monthly, g.today
	if g.chance(0.6) {
		b.Arrears = domain.Cents(g.r.Int64N(int64(monthly) * 24))
	}
	if b.Arrears > 0 && g.chance(0.4) {
		b.Interest = b.Arrears / domain.Cents(g.between(8, 30))
	}
	if g.chance(0.3) {
		b.Fees = domain.Cents(g.between(1, 30) * 500)
	}
	k.rec = rec
	g.cases = append(g.cases, k)
	if payer != nil {
		payer.payCase = append(payer.payCase, k)
	}
	if payee != nil {
		payee.getCase = append(payee.getCase, k)
	}
}
