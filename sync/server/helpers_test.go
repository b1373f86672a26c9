package server

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/sync/protocol"
)

var (
	verifierOnce sync.Once
	verifier     string
)

// testVerifier is one real Argon2id verifier, made once: each costs tens of milliseconds.
func testVerifier(t testing.TB) string {
	verifierOnce.Do(func() {
		v, err := seal.HashPIN("480213")
		if err != nil {
			panic(err)
		}
		verifier = v
	})
	return verifier
}

var generated = time.Date(2026, 11, 15, 17, 0, 0, 0, time.UTC)

// People of the small export, by participant ID.
const (
	ana   = "1000000001" // custodial on C-1 and C-2 (C-2 is a family-violence case)
	bruno = "1000000002" // noncustodial on C-1
	chloe = "1000000003" // noncustodial on C-2, custodial on C-3: both
	dario = "1000000004" // noncustodial on C-3
)

// smallExport is an export with every kind of record, small enough to read.
func smallExport(t testing.TB) *domain.Export {
	d := func(s string) domain.Date {
		v, err := domain.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	bal := domain.Balances{MonthlyCurrent: 50000, Arrears: 120000, AsOf: d("2026-11-15")}
	return &domain.Export{
		Format: domain.ExportFormat, Agency: "CA", Generated: generated,
		Offices: []domain.Office{
			{ID: "CA-LA", Name: "Los Angeles County Child Support Services", Agency: "CA", TimeZone: "America/Los_Angeles"},
			{ID: "CA-SD", Name: "San Diego County Child Support Services", Agency: "CA", TimeZone: "America/Los_Angeles"},
		},
		Staff: []domain.Staff{
			{ID: "S1", Name: "Eva Ortíz", Office: "CA-LA", Role: domain.FrontDesk, Password: domain.PIN{Verifier: testVerifier(t), Version: 1}},
		},
		Participants: []domain.Participant{
			{ID: ana, SSN: "123456789", Name: "Ana Núñez", BirthDate: d("1988-03-09"), Office: "CA-LA",
				PIN: domain.PIN{Verifier: testVerifier(t), Version: 1}},
			{ID: bruno, SSN: "223456789", Name: "Bruno Lefèvre", BirthDate: d("1985-07-01"), Office: "CA-LA"},
			{ID: chloe, SSN: "323456789", Name: "Chloë Çelik", BirthDate: d("1990-12-24"), Office: "CA-LA", Language: "fr"},
			{ID: dario, SSN: "423456789", Name: "Darío Ibáñez", BirthDate: d("1979-01-15"), Office: "CA-SD"},
		},
		Cases: []domain.CaseRecord{
			{Number: "C-1", Office: "CA-LA", CourtOrder: "19FL000001", Balances: bal, Parties: []domain.Party{
				{Participant: ana, Role: domain.Custodial}, {Participant: bruno, Role: domain.Noncustodial}}},
			{Number: "C-2", Office: "CA-LA", CourtOrder: "20FL000002", Balances: bal, FamilyViolence: true,
				Parties: []domain.Party{{Participant: ana, Role: domain.Custodial}, {Participant: chloe, Role: domain.Noncustodial}}},
			{Number: "C-3", Office: "CA-SD", CourtOrder: "21FL000003", Balances: bal, Parties: []domain.Party{
				{Participant: chloe, Role: domain.Custodial}, {Participant: dario, Role: domain.Noncustodial}}},
		},
		Payments: []domain.Payment{
			{ID: "P-1", Case: "C-1", Payer: bruno, Received: d("2026-10-01"), Amount: 23077, Source: domain.IncomeWithholding,
				Allocation: domain.Allocation{Current: 23077}},
			{ID: "P-2", Case: "C-2", Payer: chloe, Received: d("2026-04-10"), Amount: 150000, Source: domain.FederalTaxOffset,
				Allocation: domain.Allocation{Arrears: 120000, Interest: 20000, Fees: 10000}},
			{ID: "P-3", Case: "C-3", Payer: dario, Received: d("2026-11-01"), Amount: 40000, Source: domain.EFT,
				Allocation: domain.Allocation{Current: 40000}},
		},
		Disbursements: []domain.Disbursement{
			{ID: "D-1", Case: "C-1", Payee: ana, Date: d("2026-10-03"), Amount: 23077, Source: domain.IncomeWithholding,
				Method: domain.DirectDeposit, Status: domain.Disbursed},
			{ID: "D-2", Case: "C-2", Payee: ana, Date: d("2026-04-12"), Amount: 150000, Source: domain.FederalTaxOffset,
				Method: domain.DebitCard, Status: domain.Held, Reason: domain.JointReturnOffset},
		},
		Appointments: []domain.Appointment{
			{ID: "A-1", Participant: ana, Case: "C-1", Kind: domain.OfficeAppointment,
				At: time.Date(2026, 11, 20, 17, 30, 0, 0, time.UTC), Place: "Commerce office, window 4"},
		},
		Messages: []domain.Message{
			{ID: "M-1", Participant: bruno, Case: "C-1", FromOffice: true, Sent: generated.Add(-48 * time.Hour),
				Subject: "Payment received", Body: "We received your payment."},
		},
		Documents: []domain.Document{
			{ID: "DOC-1", Participant: chloe, Title: "Order for Child Support", Kind: "order", Date: d("2020-02-02")},
		},
	}
}

func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "cases.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustImport(t testing.TB, db *DB, e *domain.Export) Report {
	t.Helper()
	r, err := db.Import(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// feed reads an office's whole feed from a cursor, checking every batch.
func feed(t testing.TB, db *DB, office string, after int64) []protocol.Change {
	t.Helper()
	var all []protocol.Change
	for {
		b, err := db.Changes(office, after, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Check(after); err != nil {
			t.Fatal(err)
		}
		all = append(all, b.Changes...)
		after = b.To
		if !b.More {
			return all
		}
	}
}

// latest is the newest state of each record of a feed, by kind and ID.
func latest(changes []protocol.Change) map[string]protocol.Change {
	m := map[string]protocol.Change{}
	for _, c := range changes {
		m[c.Kind+" "+c.ID] = c
	}
	return m
}

func lastSeq(t testing.TB, db *DB) int64 {
	n, err := db.LastSeq()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func caseView(t testing.TB, c protocol.Change) domain.Case {
	t.Helper()
	var v domain.Case
	if err := json.Unmarshal(c.Data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func containsAny(s string, subs ...string) string {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return x
		}
	}
	return ""
}
