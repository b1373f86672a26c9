package cache

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// fill puts a small office with two families into c: José pays Hélène on one case. With bulk,
// it comes as an initial sync of two batches (a bulk load).
func fill(t testing.TB, c *Cache, bulk ...bool) {
	f := &feed{t: t}
	f.put(protocol.KindOffice, office.ID, "", office)
	f.put(protocol.KindOffice, "OFF2", "", domain.Office{ID: "OFF2", Name: "Other office"})
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	f.put(protocol.KindParticipant, helene.ID, helene.ID, helene)
	bal := domain.Balances{MonthlyCurrent: 45000, Arrears: 1234567, Interest: 8911, Fees: 2500, AsOf: date("2026-01-31")}
	f.put(protocol.KindCase, "CA-2019-004471/"+jose.ID, jose.ID, domain.Case{Number: "CA-2019-004471", Office: "OFF1",
		CourtOrder: "FL-88231-Q", Participant: jose.ID, Role: domain.Noncustodial, OtherParty: helene.Name, Balances: bal})
	f.put(protocol.KindCase, "CA-2019-004471/"+helene.ID, helene.ID, domain.Case{Number: "CA-2019-004471", Office: "OFF1",
		CourtOrder: "FL-88231-Q", Participant: helene.ID, Role: domain.Custodial, OtherParty: jose.Name, Balances: bal})
	f.put(protocol.KindCase, "CA-2021-000017/"+helene.ID, helene.ID, domain.Case{Number: "CA-2021-000017", Office: "OFF1",
		CourtOrder: "FL-90001-R", Participant: helene.ID, Role: domain.Custodial, FamilyViolence: true, Balances: bal})
	for i, d := range []string{"2025-01-02", "2025-03-15", "2025-03-15", "2024-12-31"} {
		id := "PAY-77" + strconv.Itoa(i)
		f.put(protocol.KindPayment, id, jose.ID, domain.Payment{ID: id, Case: "CA-2019-004471", Payer: jose.ID,
			Received: date(d), Amount: 13015, Source: domain.FederalTaxOffset,
			Allocation: domain.Allocation{Current: 10000, Arrears: 3015}})
		did := "DIS-88" + strconv.Itoa(i)
		f.put(protocol.KindDisbursement, did, helene.ID, domain.Disbursement{ID: did, Case: "CA-2019-004471",
			Payee: helene.ID, Date: date(d).AddDays(2), Amount: 13015, Source: domain.FederalTaxOffset,
			Method: domain.DebitCard, Status: domain.Held, Reason: domain.JointReturnOffset})
	}
	at := time.Date(2026, 4, 2, 15, 4, 5, 0, time.UTC)
	f.put(protocol.KindAppointment, "APT-2", jose.ID, domain.Appointment{ID: "APT-2", Participant: jose.ID,
		Case: "CA-2019-004471", Kind: domain.CourtDate, At: at.Add(48 * time.Hour), Place: "Dept. 12, 4100 Main St"})
	f.put(protocol.KindAppointment, "APT-1", jose.ID, domain.Appointment{ID: "APT-1", Participant: jose.ID,
		Case: "CA-2019-004471", Kind: domain.OfficeAppointment, At: at, Place: "Window 3"})
	f.put(protocol.KindMessage, "MSG-1", helene.ID, domain.Message{ID: "MSG-1", Participant: helene.ID,
		FromOffice: true, Sent: at, Subject: "Votre dossier", Body: "Bonjour Hélène Lefèvre, votre paiement de 130,15 $"})
	f.put(protocol.KindMessage, "MSG-2", helene.ID, domain.Message{ID: "MSG-2", Participant: helene.ID,
		Sent: at.Add(time.Hour), Subject: "Re: Votre dossier", Body: "Merci", InReplyTo: "MSG-1"})
	f.put(protocol.KindDocument, "DOC-1", jose.ID, domain.Document{ID: "DOC-1", Participant: jose.ID,
		Title: "Notice of Federal Tax Refund Offset", Kind: "notice", Date: date("2025-02-10")})
	f.put(protocol.KindDocument, "DOC-2", jose.ID, domain.Document{ID: "DOC-2", Participant: jose.ID,
		Title: "Income Withholding Order", Kind: "order", Date: date("2025-06-01")})
	if len(bulk) == 0 || !bulk[0] {
		apply(t, c, f)
		return
	}
	half := len(f.changes) / 2
	applyAll(t, c, asBatches([][]protocol.Change{f.changes[:half], f.changes[half:]}, true))
	f.changes = nil
}

func TestCaseFileReads(t *testing.T) {
	c, _ := newCache(t)
	fill(t, c)
	p, err := c.FindParticipant(jose.SSN)
	if err != nil || p.ID != jose.ID {
		t.Fatalf("%+v, %v", p, err)
	}
	pays, err := c.PaymentsMade(jose.ID)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, p := range pays {
		order = append(order, p.ID)
	}
	if strings.Join(order, " ") != "PAY-772 PAY-771 PAY-770 PAY-773" {
		t.Fatalf("payments made in order %v", order)
	}
	if pays[0].Amount != 13015 || pays[0].Allocation.Arrears != 3015 || pays[0].Source != domain.FederalTaxOffset {
		t.Fatalf("payment %+v", pays[0])
	}
	if other, _ := c.PaymentsMade(helene.ID); len(other) != 0 {
		t.Fatal("Hélène sees payments she did not make")
	}
	dis, err := c.PaymentsReceived(helene.ID)
	if err != nil || len(dis) != 4 || dis[0].ID != "DIS-882" || dis[3].ID != "DIS-883" || dis[0].Reason != domain.JointReturnOffset {
		t.Fatalf("disbursements %+v, %v", dis, err)
	}
	if none, _ := c.PaymentsReceived(jose.ID); len(none) != 0 {
		t.Fatal("José sees disbursements")
	}
	cases, err := c.Cases(helene.ID)
	if err != nil || len(cases) != 2 || cases[0].Number != "CA-2019-004471" || !cases[1].FamilyViolence ||
		cases[0].Balances.Owed() != 1234567+8911+2500 {
		t.Fatalf("cases %+v, %v", cases, err)
	}
	apts, err := c.Appointments(jose.ID)
	if err != nil || len(apts) != 2 || apts[0].ID != "APT-1" {
		t.Fatalf("appointments %+v, %v", apts, err)
	}
	msgs, err := c.Messages(helene.ID)
	if err != nil || len(msgs) != 2 || msgs[0].ID != "MSG-2" || msgs[1].Body != "Bonjour Hélène Lefèvre, votre paiement de 130,15 $" {
		t.Fatalf("messages %+v, %v", msgs, err)
	}
	docs, err := c.Documents(jose.ID)
	if err != nil || len(docs) != 2 || docs[0].ID != "DOC-2" {
		t.Fatalf("documents %+v, %v", docs, err)
	}
	if o, err := c.Office(); err != nil || o.ID != "OFF1" {
		t.Fatalf("office %+v, %v", o, err)
	}
	c.SaveEnrolment(syncstate.Enrolment{Kiosk: "K", Office: "OFF2"})
	if o, err := c.Office(); err != nil || o.ID != "OFF2" {
		t.Fatalf("office of the enrolment %+v, %v", o, err)
	}
	if none, err := c.Messages("no such participant"); err != nil || len(none) != 0 {
		t.Fatalf("unknown participant: %v, %v", none, err)
	}
}

// TestSwappedRecordsRefused tampers with the database the way someone with the disk could:
// a record copied over another, a record moved to another person's rows.
func TestSwappedRecordsRefused(t *testing.T) {
	c, _ := newCache(t)
	fill(t, c)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := c.w.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	// Hélène's disbursement moved into José's payments: same owner column, different row.
	exec(`UPDATE records SET owner = ?1 WHERE kind = 'disbursement'`, c.ownerToken(jose.ID))
	exec(`UPDATE records SET kind = 'payment' WHERE kind = 'disbursement' AND rid = (SELECT rid FROM records WHERE kind = 'disbursement' LIMIT 1)`)
	if _, err := c.PaymentsMade(jose.ID); !errors.Is(err, domain.ErrCorruptRecord) {
		t.Fatalf("a record moved to another table kind and owner was read: %v", err)
	}
	if _, err := c.PaymentsReceived(jose.ID); !errors.Is(err, domain.ErrCorruptRecord) {
		t.Fatalf("a record moved to another owner was read: %v", err)
	}

	c2, _ := newCache(t)
	fill(t, c2)
	// One payment's body copied over another's.
	if _, err := c2.w.Exec(`UPDATE records SET body = (SELECT body FROM records WHERE kind = 'payment' ORDER BY rid LIMIT 1)
		WHERE kind = 'payment' AND rid = (SELECT rid FROM records WHERE kind = 'payment' ORDER BY rid DESC LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.PaymentsMade(jose.ID); !errors.Is(err, domain.ErrCorruptRecord) {
		t.Fatalf("a body copied to another row was read: %v", err)
	}
	// A participant's look-up pointed at someone else.
	if _, err := c2.w.Exec(`UPDATE lookup SET owner = ?1 WHERE bidx = ?2`, c2.ownerToken(helene.ID), c2.index.Index("ssn", jose.SSN)); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.FindParticipant(jose.SSN); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a redirected look-up found someone: %v", err)
	}
}

// TestNoPlaintextOnDisk fills a cache with known personal values and searches every file in
// its directory, raw, for them: while the cache is open (with its WAL) and after it is closed.
func TestNoPlaintextOnDisk(t *testing.T) {
	for _, bulk := range []bool{false, true} {
		t.Run(fmt.Sprintf("bulk=%v", bulk), func(t *testing.T) { testNoPlaintextOnDisk(t, bulk) })
	}
}

func testNoPlaintextOnDisk(t *testing.T, bulk bool) {
	c, dir := newCache(t)
	fill(t, c, bulk)
	if n, _ := metaInt(sqlStore{c.w}, "bulk"); n != 0 {
		t.Fatal("bulk load still open")
	}
	c.SaveEnrolment(syncstate.Enrolment{Server: "https://cases.example", Kiosk: "K1", Token: "tok-5f2a9c81e7", Office: "OFF1"})
	c.UpdatePIN(jose.ID, domain.PIN{Verifier: "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaG5ld2hhc2huZXc", Version: 2})
	c.Send(domain.SendContactChange, domain.ContactChange{Participant: helene.ID, Field: "phone", Value: "555-867-5309"})
	c.Send(domain.SendOtherPartyInfo, domain.OtherPartyInfo{Participant: helene.ID, Case: "CA-2019-004471", Employer: "Acme Façades Inc."})
	// Overwritten and deleted records must not leave old plaintext behind either.
	f := &feed{t: t, seq: 100}
	moved := helene
	moved.SSN = "222334444"
	f.put(protocol.KindParticipant, helene.ID, helene.ID, moved)
	f.del(protocol.KindPayment, "PAY-770", jose.ID)
	cur, _ := c.Cursor()
	if err := c.ApplyBatch(f.batch(cur), time.Now()); err != nil {
		t.Fatal(err)
	}

	needles := []string{
		jose.Name, helene.Name, "José", "Núñez", "Hélène", "Lefèvre", "Lefevre", "Nunez",
		jose.SSN, helene.SSN, "222334444", "123-45-6789", jose.ID, helene.ID,
		"CA-2019-004471", "CA-2021-000017", "2019-004471", "FL-88231-Q", "PAY-771", "DIS-881",
		"130.15", "13015", "1234567", "12345.67", "3015", "1984-03-07", "2025-03-15", "1990-11-23",
		"555-867-5309", "Acme", "Window 3", "Votre dossier", "Notice of Federal Tax",
		"tok-5f2a9c81e7", "$argon2id$", "bmV3c2FsdA", "federal_tax_offset", "joint_return_offset",
		"Riverside County", "America/Los_Angeles",
	}
	check := func(when string, wantWAL bool) {
		t.Helper()
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		sawWAL, total := false, 0
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			total += len(b)
			if e.Name() == DBFile+"-wal" && len(b) > 0 {
				sawWAL = true
			}
			for _, n := range needles {
				if bytes.Contains(b, []byte(n)) {
					t.Errorf("%s: %s contains %q", when, e.Name(), n)
				}
			}
		}
		if wantWAL && !sawWAL {
			t.Errorf("%s: no WAL to search", when)
		}
		if total < 20000 {
			t.Errorf("%s: only %d bytes on disk: nothing to search?", when, total)
		}
	}
	check("open", true)
	// Make sure the main database file holds the data too, not only the WAL.
	if _, err := c.w.Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		t.Fatal(err)
	}
	check("after a checkpoint", false)
	c.Close()
	check("closed", false)
}
