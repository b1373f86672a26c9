package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/assets"
	"childsupportkiosk/sync/demo"
	"childsupportkiosk/sync/server"
)

func encode(t *testing.T, e *domain.Export) []byte {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeterministic(t *testing.T) {
	a, sa, err := demo.Generate(demo.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	b, sb, err := demo.Generate(demo.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(t, a), encode(t, b)) {
		t.Fatal("the same seed gave two exports")
	}
	if len(sa) != len(sb) || sa[0] != sb[0] {
		t.Fatal("the same seed gave two sets of samples")
	}
	c, _, err := demo.Generate(demo.Options{Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(encode(t, a), encode(t, c)) {
		t.Fatal("two seeds gave one export")
	}
}

func TestDefaultDemo(t *testing.T) {
	e, samples, err := demo.Generate(demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if inv := server.Validate(e); inv != nil {
		t.Fatal(inv)
	}
	if len(e.Offices) != 3 || len(e.Participants) != 150 || !e.Generated.Equal(demo.DefaultNow) {
		t.Fatalf("%d offices, %d participants, generated %v", len(e.Offices), len(e.Participants), e.Generated)
	}

	// Every source, a held joint-return offset and every other status and reason.
	sources := map[domain.Source]bool{}
	for _, p := range e.Payments {
		sources[p.Source] = true
	}
	for _, s := range domain.Sources {
		if !sources[s] {
			t.Errorf("no payment from source %s", s)
		}
	}
	statuses := map[domain.Status]bool{}
	reasons := map[domain.Reason]bool{}
	heldJoint := 0
	for _, d := range e.Disbursements {
		statuses[d.Status], reasons[d.Reason] = true, true
		if d.Status == domain.Held && d.Reason == domain.JointReturnOffset && d.Source == domain.FederalTaxOffset {
			heldJoint++
		}
	}
	if heldJoint < len(e.Offices) {
		t.Errorf("%d held joint-return offsets, want one per office at least", heldJoint)
	}
	for _, s := range []domain.Status{domain.Disbursed, domain.Held, domain.Pended, domain.Reissued, domain.Refunded} {
		if !statuses[s] {
			t.Errorf("no disbursement %s", s)
		}
	}
	for _, r := range domain.Reasons {
		if !reasons[r] {
			t.Errorf("no disbursement with reason %s", r)
		}
	}

	// Roles: pays only, receives only, both; several cases for some; family violence on some.
	role := map[string]map[domain.Role]int{}
	fv := 0
	for _, k := range e.Cases {
		if k.FamilyViolence {
			fv++
		}
		for _, p := range k.Parties {
			if p.Participant != "" {
				if role[p.Participant] == nil {
					role[p.Participant] = map[domain.Role]int{}
				}
				role[p.Participant][p.Role]++
			}
		}
	}
	both, multi := 0, 0
	for _, r := range role {
		if r[domain.Custodial] > 0 && r[domain.Noncustodial] > 0 {
			both++
		}
		if r[domain.Custodial]+r[domain.Noncustodial] > 1 {
			multi++
		}
	}
	if both < 5 || multi < 10 || fv < 3 {
		t.Errorf("%d participants in both roles, %d with several cases, %d family-violence cases", both, multi, fv)
	}

	// Names with accents.
	var names strings.Builder
	for _, p := range e.Participants {
		names.WriteString(p.Name + "\n")
	}
	accents := 0
	for _, r := range "áéíóúñçëïüöèêàâôÑÇ" {
		if strings.ContainsRune(names.String(), r) {
			accents++
		}
	}
	if accents < 5 {
		t.Errorf("only %d accented letters among the names:\n%s", accents, names.String())
	}

	// Ten years and more of history: someone has hundreds of payments to page through.
	perPayer := map[string]int{}
	oldest := e.Payments[0].Received
	for _, p := range e.Payments {
		perPayer[p.Payer]++
		if p.Received.Before(oldest) {
			oldest = p.Received
		}
		if p.Allocation.Total() != p.Amount {
			t.Fatalf("payment %s: allocation %d for amount %d", p.ID, p.Allocation.Total(), p.Amount)
		}
	}
	top := 0
	for _, n := range perPayer {
		top = max(top, n)
	}
	if top < 260 || oldest.Year > 2016 {
		t.Errorf("most payments by one payer %d, oldest %v", top, oldest)
	}

	// Appointments and court dates ahead; messages and documents.
	court, ahead := 0, 0
	for _, a := range e.Appointments {
		if a.Kind == domain.CourtDate {
			court++
		}
		if a.At.After(e.Generated) && a.At.Before(e.Generated.Add(60*24*time.Hour)) {
			ahead++
		}
	}
	if court == 0 || ahead != len(e.Appointments) || len(e.Messages) == 0 || len(e.Documents) == 0 {
		t.Errorf("%d court dates, %d of %d appointments ahead, %d messages, %d documents", court, ahead,
			len(e.Appointments), len(e.Messages), len(e.Documents))
	}

	checkSamples(t, e, samples)
}

func checkSamples(t *testing.T, e *domain.Export, samples []demo.Sample) {
	t.Helper()
	profile, err := assets.Profile(e.Agency)
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]domain.Participant{}
	for _, p := range e.Participants {
		people[p.ID] = p
	}
	withPIN := 0
	for _, p := range e.Participants {
		if p.PIN.HasPIN() {
			withPIN++
		}
	}
	if withPIN != len(samples) {
		t.Errorf("%d participants have a PIN, %d samples", withPIN, len(samples))
	}
	perOffice := map[string]map[string]bool{}
	temporary := map[string]int{}
	fv := false
	for _, s := range samples {
		p := people[s.Participant]
		if p.Office != s.Office {
			t.Errorf("sample %s is of office %s, not %s", s.Participant, p.Office, s.Office)
		}
		if err := domain.CheckNewPIN(s.PIN, profile.PINLength, p.BirthDate); err != nil {
			t.Errorf("sample PIN %s: %v", s.PIN, err)
		}
		if !seal.VerifyPIN(p.PIN.Verifier, s.PIN) {
			t.Errorf("sample %s: the PIN does not match the verifier", s.Participant)
		}
		if p.PIN.Temporary != s.Temporary {
			t.Errorf("sample %s: temporary %v in the export", s.Participant, p.PIN.Temporary)
		}
		if perOffice[s.Office] == nil {
			perOffice[s.Office] = map[string]bool{}
		}
		perOffice[s.Office][s.Role] = true
		if s.Temporary {
			temporary[s.Office]++
		}
		fv = fv || s.FamilyViolence
	}
	for _, o := range e.Offices {
		if r := perOffice[o.ID]; !r["custodial"] || !r["noncustodial"] || !r["both"] || temporary[o.ID] != 1 {
			t.Errorf("office %s samples: roles %v, %d temporary", o.ID, r, temporary[o.ID])
		}
	}
	if !fv {
		t.Error("no sample has a family-violence case")
	}
}

func TestDemoImports(t *testing.T) {
	e, _, err := demo.Generate(demo.Options{Seed: 3, Offices: 2, Participants: 40})
	if err != nil {
		t.Fatal(err)
	}
	db, err := server.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.Import(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind("payment").Added != len(e.Payments) {
		t.Fatalf("report:\n%s", r)
	}
	// The same seed again: nothing changes.
	e2, _, _ := demo.Generate(demo.Options{Seed: 3, Offices: 2, Participants: 40})
	r, err = db.Import(context.Background(), e2)
	if err != nil || r.FeedChanges != 0 {
		t.Fatalf("second import: %v\n%s", err, r)
	}
}

func TestLargeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates over a million payments")
	}
	start := time.Now()
	e, _, err := demo.Generate(demo.Options{Seed: 1, Offices: 1, Participants: 10000})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if len(e.Offices) != 1 || len(e.Payments) < 1_000_000 {
		t.Fatalf("%d offices, %d payments", len(e.Offices), len(e.Payments))
	}
	if took > 40*time.Second {
		t.Fatalf("took %v", took)
	}
	t.Logf("%d payments, %d disbursements, %d cases in %v", len(e.Payments), len(e.Disbursements), len(e.Cases), took)
}

func TestOptions(t *testing.T) {
	for _, o := range []demo.Options{{Offices: 99}, {Offices: 3, Participants: 5}, {Offices: -1}} {
		if _, _, err := demo.Generate(o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

// TestSurvivorHasACaseNamingTheOtherParent: every office's survivor sample has, besides the
// case with the family-violence indicator, a case without it whose other parent has a name, so
// that every path's tests check that the indicator on one case hides the names on all of them.
func TestSurvivorHasACaseNamingTheOtherParent(t *testing.T) {
	for _, o := range []demo.Options{{Seed: 1}, {Seed: 3, Offices: 1, Participants: 30}, {Seed: 7, Offices: 1, Participants: 40}} {
		e, samples, err := demo.Generate(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range samples {
			if s.Role != "custodial" {
				continue
			}
			flagged, named := false, false
			for _, c := range e.Cases {
				for _, p := range c.Parties {
					if p.Participant != s.Participant {
						continue
					}
					flagged = flagged || c.FamilyViolence
					for _, q := range c.Parties {
						named = named || (!c.FamilyViolence && q != p && (q.Name != "" || q.Participant != ""))
					}
				}
			}
			if !flagged || !named {
				t.Errorf("seed %d office %s: survivor flagged %v, unflagged case with a named other parent %v",
					o.Seed, s.Office, flagged, named)
			}
		}
	}
}
