package server

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

func TestImportValidation(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(e *domain.Export)
		want   string
	}{
		{"unknown agency", func(e *domain.Export) { e.Agency = "TX" }, "agency: not a known agency profile (CA, NY, OH)"},
		{"no generated", func(e *domain.Export) { e.Generated = time.Time{} }, "generated: is missing"},
		{"office timezone", func(e *domain.Export) { e.Offices[1].TimeZone = "Mars/Olympus" }, "offices[1] (id CA-SD): timezone: not a known time zone"},
		{"office agency", func(e *domain.Export) { e.Offices[0].Agency = "NY" }, `offices[0] (id CA-LA): agency: must be the export's agency "CA"`},
		{"duplicate office", func(e *domain.Export) { e.Offices[1].ID = "CA-LA" }, "offices[1] (id CA-LA): id: same as offices[0]"},
		{"participant id length", func(e *domain.Export) { e.Participants[1].ID = "12345" }, "participants[1]: id: must be 10 digits"},
		{"duplicate participant", func(e *domain.Export) { e.Participants[2].ID = ana }, "participants[2] (id 1000000001): id: same as participants[0]"},
		{"ssn digits", func(e *domain.Export) { e.Participants[0].SSN = "123-45-678" }, "participants[0] (id 1000000001): ssn: must be 9 digits, no dashes"},
		{"ssn area 666", func(e *domain.Export) { e.Participants[0].SSN = "666123456" }, "participants[0] (id 1000000001): ssn: not a number the SSA issues"},
		{"ssn area 9xx", func(e *domain.Export) { e.Participants[0].SSN = "912123456" }, "ssn: not a number the SSA issues"},
		{"ssn group 00", func(e *domain.Export) { e.Participants[0].SSN = "123001234" }, "ssn: not a number the SSA issues"},
		{"ssn serial 0000", func(e *domain.Export) { e.Participants[0].SSN = "123450000" }, "ssn: not a number the SSA issues"},
		{"ssn twice", func(e *domain.Export) { e.Participants[3].SSN = e.Participants[0].SSN }, "participants[3] (id 1000000004): ssn: same as participants[0]"},
		{"empty name", func(e *domain.Export) { e.Participants[1].Name = "  " }, "participants[1] (id 1000000002): name: is empty"},
		{"long name", func(e *domain.Export) { e.Participants[1].Name = strings.Repeat("é", 201) }, "name: longer than 200 characters"},
		{"bad utf8 name", func(e *domain.Export) { e.Participants[1].Name = "Bruno \xff" }, "name: not valid UTF-8"},
		{"control in name", func(e *domain.Export) { e.Participants[1].Name = "Bruno\x00Lefèvre" }, "name: contains a control character"},
		{"bad verifier", func(e *domain.Export) { e.Participants[0].PIN.Verifier = "$2a$10$bcrypt" }, "participants[0] (id 1000000001): pin.verifier: not an Argon2id verifier"},
		{"huge pin version", func(e *domain.Export) { e.Participants[0].PIN.Version = 1 << 60 }, "participants[0] (id 1000000001): pin.version: must be 0 to 2^53-1"},
		{"negative pin version", func(e *domain.Export) { e.Participants[0].PIN.Version = -1 }, "participants[0] (id 1000000001): pin.version: must be 0 to 2^53-1"},
		{"temporary without verifier", func(e *domain.Export) { e.Participants[1].PIN.Temporary = true }, "pin.temporary: a temporary PIN needs a verifier"},
		{"participant office", func(e *domain.Export) { e.Participants[1].Office = "CA-XX" }, "participants[1] (id 1000000002): office: no such office"},
		{"staff id", func(e *domain.Export) { e.Staff[0].ID = "s-1" }, `staff[0] (id s-1): id: 2 to 32 capital letters and digits`},
		{"staff office", func(e *domain.Export) { e.Staff[0].Office = "CA-XX" }, "staff[0] (id S1): office: no such office"},
		{"staff role", func(e *domain.Export) { e.Staff[0].Role = "boss" }, `staff[0] (id S1): role: must be front_desk or supervisor`},
		{"staff without password", func(e *domain.Export) { e.Staff[0].Password = domain.PIN{} }, `staff[0] (id S1): password.verifier: is missing`},
		{"staff plain password", func(e *domain.Export) { e.Staff[0].Password.Verifier = "hunter22" }, `staff[0] (id S1): password.verifier: not an Argon2id verifier`},
		{"duplicate staff", func(e *domain.Export) { e.Staff = append(e.Staff, e.Staff[0]) }, `staff[1] (id S1): id: same as staff[0]`},
		{"case office", func(e *domain.Export) { e.Cases[0].Office = "CA-XX" }, "cases[0] (id C-1): office: no such office"},
		{"case unknown participant", func(e *domain.Export) { e.Cases[0].Parties[1].Participant = "1999999999" }, "cases[0] (id C-1): parties[1].participant: no such participant"},
		{"case bad role", func(e *domain.Export) { e.Cases[0].Parties[1].Role = "payer" }, "cases[0] (id C-1): parties[1].role: must be custodial or noncustodial"},
		{"case two custodial", func(e *domain.Export) { e.Cases[0].Parties[1].Role = domain.Custodial }, "cases[0] (id C-1): parties: must be one custodial and one noncustodial"},
		{"case one party", func(e *domain.Export) { e.Cases[0].Parties = e.Cases[0].Parties[:1] }, "cases[0] (id C-1): parties: must be two"},
		{"case number slash", func(e *domain.Export) { e.Cases[2].Number = "C/3" }, "cases[2]: number: may hold only letters, digits"},
		{"negative arrears", func(e *domain.Export) { e.Cases[1].Balances.Arrears = -1 }, "cases[1] (id C-2): balances.arrears: must not be negative"},
		{"payment amount", func(e *domain.Export) { e.Payments[0].Amount = 0 }, "payments[0] (id P-1): amount: must be more than 0"},
		{"payment unknown case", func(e *domain.Export) { e.Payments[0].Case = "C-9" }, "payments[0] (id P-1): case: no such case"},
		{"payment by custodial", func(e *domain.Export) { e.Payments[0].Payer = ana }, "payments[0] (id P-1): payer: not the noncustodial party of the case"},
		{"payment by stranger", func(e *domain.Export) { e.Payments[0].Payer = dario }, "payments[0] (id P-1): payer: not a party of the case"},
		{"payment source", func(e *domain.Export) { e.Payments[1].Source = "bitcoin" }, "payments[1] (id P-2): source: not a known source"},
		{"allocation sum", func(e *domain.Export) { e.Payments[1].Allocation.Fees = 1 }, "payments[1] (id P-2): allocation: parts do not add up to the amount"},
		{"payment in future", func(e *domain.Export) { e.Payments[2].Received = domain.Date{Year: 2026, Month: 11, Day: 16} }, "payments[2] (id P-3): received: after the export's generated date"},
		{"duplicate payment", func(e *domain.Export) { e.Payments[2].ID = "P-1" }, "payments[2] (id P-1): id: same as payments[0]"},
		{"disbursement to payer", func(e *domain.Export) { e.Disbursements[0].Payee = bruno }, "disbursements[0] (id D-1): payee: not the custodial party of the case"},
		{"disbursement method", func(e *domain.Export) { e.Disbursements[0].Method = "cash" }, "disbursements[0] (id D-1): method: not direct_deposit, debit_card or check"},
		{"disbursement status", func(e *domain.Export) { e.Disbursements[0].Status = "lost" }, "disbursements[0] (id D-1): status: not disbursed"},
		{"held without reason", func(e *domain.Export) { e.Disbursements[1].Reason = "" }, "disbursements[1] (id D-2): reason: required when the status is held"},
		{"unknown reason", func(e *domain.Export) { e.Disbursements[1].Reason = "because" }, "disbursements[1] (id D-2): reason: not a known reason"},
		{"appointment kind", func(e *domain.Export) { e.Appointments[0].Kind = "party" }, "appointments[0] (id A-1): kind: must be appointment or court"},
		{"appointment not party", func(e *domain.Export) { e.Appointments[0].Participant = dario }, "appointments[0] (id A-1): participant: not a party of the case"},
		{"message subject", func(e *domain.Export) { e.Messages[0].Subject = "" }, "messages[0] (id M-1): subject: is empty"},
		{"document kind", func(e *domain.Export) { e.Documents[0].Kind = "memo" }, "documents[0] (id DOC-1): kind: must be notice, order or form"},
		{"deletion kind", func(e *domain.Export) { e.Deletions = []domain.Deletion{{Kind: "kiosk", ID: "x"}} }, "deletions[0] (id x): kind: not one of"},
		{"deleted and present", func(e *domain.Export) { e.Deletions = []domain.Deletion{{Kind: "payment", ID: "P-1"}} }, "payments[0] (id P-1): id: also listed in deletions"},
		{"reference to deleted", func(e *domain.Export) {
			e.Deletions = []domain.Deletion{{Kind: "case", ID: "C-3"}}
			e.Cases = e.Cases[:2]
		}, "payments[2] (id P-3): case: the case is deleted by this export"},
	}
	db := openTest(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := smallExport(t)
			c.break_(e)
			_, err := db.Import(context.Background(), e)
			var inv *Invalid
			if !errors.As(err, &inv) {
				t.Fatalf("import: %v, want an *Invalid", err)
			}
			found := false
			for _, p := range inv.Problems {
				found = found || strings.Contains(p, c.want)
			}
			if !found {
				t.Fatalf("problems %q\ndo not include %q", inv.Problems, c.want)
			}
			// The SSN and the names never appear in a problem, nor the bad values.
			for _, p := range inv.Problems {
				if x := containsAny(p, "123456789", "Núñez", "Lefèvre", "TX", "Mars", "12345", "CA-XX", "C/3",
					"C-9", "bitcoin", "140001", "cash", "lost", "because", "kiosk"); x != "" {
					t.Fatalf("problem %q quotes %q", p, x)
				}
			}
			if n := lastSeq(t, db); n != 0 {
				t.Fatalf("refused import changed the feed: seq %d", n)
			}
		})
	}
}

func TestImportReportsAtMost20Problems(t *testing.T) {
	e := smallExport(t)
	for i := range 50 {
		e.Payments = append(e.Payments, domain.Payment{ID: "Q-" + string(rune('A'+i%26)) + string(rune('a'+i/26)),
			Case: "C-1", Payer: bruno, Received: e.Payments[0].Received, Amount: -5, Source: domain.Card})
	}
	_, err := openTest(t).Import(context.Background(), e)
	var inv *Invalid
	if !errors.As(err, &inv) || len(inv.Problems) != MaxProblems || !inv.More {
		t.Fatalf("err %v: want %d problems and More", err, MaxProblems)
	}
}

func TestImportAllOrNothing(t *testing.T) {
	db := openTest(t)
	mustImport(t, db, smallExport(t))
	before := feed(t, db, "CA-LA", 0)
	seq := lastSeq(t, db)

	// Good changes and one bad payment: nothing of it lands.
	e := smallExport(t)
	e.Participants[1].Name = "Bruno Lefèvre-Martin"
	e.Payments[0].Amount, e.Payments[0].Allocation.Current = 30000, 30000
	e.Payments = append(e.Payments, domain.Payment{ID: "P-9", Case: "C-1", Payer: bruno,
		Received: e.Payments[0].Received, Amount: 0, Source: domain.Card})
	_, err := db.Import(context.Background(), e)
	var inv *Invalid
	if !errors.As(err, &inv) || !strings.Contains(inv.Problems[0], "payments[3] (id P-9): amount: must be more than 0") {
		t.Fatalf("err %v", err)
	}
	if lastSeq(t, db) != seq || len(feed(t, db, "CA-LA", 0)) != len(before) {
		t.Fatal("a refused import changed the feed")
	}
	if p, _ := db.Participant(bruno); p.Name != "Bruno Lefèvre" {
		t.Fatalf("a refused import changed a participant: %q", p.Name)
	}

	// A deletion of a record still referred to is refused whole as well.
	e = smallExport(t)
	e.Participants[1].Name = "Bruno L."
	e.Deletions = []domain.Deletion{{Kind: "participant", ID: dario}}
	e.Participants = e.Participants[:3]
	_, err = db.Import(context.Background(), e)
	if !errors.As(err, &inv) {
		t.Fatalf("err %v", err)
	}
	if lastSeq(t, db) != seq {
		t.Fatal("a refused deletion changed the feed")
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	db := openTest(t)
	r := mustImport(t, db, smallExport(t))
	if r.Kind("payment").Added != 3 || r.Kind("participant").Added != 4 || r.FeedChanges == 0 {
		t.Fatalf("first report:\n%s", r)
	}
	seq := lastSeq(t, db)
	r = mustImport(t, db, smallExport(t))
	for _, k := range r.Kinds {
		if k.Added+k.Changed+k.Deleted != 0 {
			t.Fatalf("second import changed %s:\n%s", k.Kind, r)
		}
	}
	if r.FeedChanges != 0 || lastSeq(t, db) != seq || r.Seq != seq {
		t.Fatalf("second import moved the feed: %s", r)
	}
}

func TestFeedViews(t *testing.T) {
	db := openTest(t)
	mustImport(t, db, smallExport(t))
	la, sd := latest(feed(t, db, "CA-LA", 0)), latest(feed(t, db, "CA-SD", 0))

	// Chloë pays in Los Angeles and receives in San Diego: she is seen at both; Darío only in San Diego.
	for _, want := range []string{"office CA-LA", "participant " + ana, "participant " + bruno, "participant " + chloe,
		"case C-1/" + ana, "case C-1/" + bruno, "case C-2/" + ana, "case C-2/" + chloe, "payment P-1", "payment P-2",
		"disbursement D-1", "disbursement D-2", "appointment A-1", "message M-1", "document DOC-1"} {
		if _, ok := la[want]; !ok {
			t.Errorf("CA-LA feed lacks %s", want)
		}
	}
	for _, want := range []string{"office CA-SD", "participant " + chloe, "participant " + dario, "case C-3/" + chloe,
		"case C-3/" + dario, "payment P-3"} {
		if _, ok := sd[want]; !ok {
			t.Errorf("CA-SD feed lacks %s", want)
		}
	}
	for _, absent := range []string{"participant " + dario, "payment P-3", "office CA-SD"} {
		if _, ok := la[absent]; ok {
			t.Errorf("CA-LA feed has %s", absent)
		}
	}
	if c := la["payment P-1"]; c.Owner != bruno {
		t.Errorf("payment owner %q", c.Owner)
	}
	if c := la["disbursement D-1"]; c.Owner != ana {
		t.Errorf("disbursement owner %q", c.Owner)
	}
	// Ana has a family-violence case (C-2): her view of C-1 names nobody either, though C-1
	// carries no indicator (domain.Shield); Bruno's view of C-1 names her.
	if v := caseView(t, la["case C-1/"+ana]); v.OtherParty != "" || v.Role != domain.Custodial ||
		strings.Contains(string(la["case C-1/"+ana].Data), "Bruno") {
		t.Errorf("C-1 for Ana: %+v", v)
	}
	if v := caseView(t, la["case C-1/"+bruno]); v.OtherParty != "Ana Núñez" || v.Role != domain.Noncustodial {
		t.Errorf("C-1 for Bruno: %+v", v)
	}
	// The family-violence case: neither parent's view names the other, anywhere in the bytes.
	for id, other := range map[string]string{"case C-2/" + ana: "Chloë", "case C-2/" + chloe: "Ana"} {
		c := la[id]
		if v := caseView(t, c); !v.FamilyViolence || v.OtherParty != "" {
			t.Errorf("%s: %+v", id, v)
		}
		if strings.Contains(string(c.Data), other) {
			t.Errorf("%s carries the other party's name: %s", id, c.Data)
		}
	}
	// The server stores bodies compact: they go out byte for byte.
	if d := string(la["payment P-1"].Data); strings.ContainsAny(d, "\n ") {
		t.Errorf("body not compact: %s", d)
	}
}

func TestLaterImportShowsChanges(t *testing.T) {
	db := openTest(t)
	mustImport(t, db, smallExport(t))
	cursor := lastSeq(t, db)

	e := smallExport(t)
	e.Payments[0].Amount, e.Payments[0].Allocation.Current = 30000, 30000
	e.Participants[1].Name = "Bruno Lefèvre-Martin" // Bruno is the other party of Ana on C-1
	e.Participants[2].Name = "Chloë Çelik-Roy"      // Chloë's only cases: family violence, and San Diego
	r := mustImport(t, db, e)
	if r.Kind("payment").Changed != 1 || r.Kind("payment").Unchanged != 2 || r.Kind("participant").Changed != 2 {
		t.Fatalf("report:\n%s", r)
	}
	got := latest(feed(t, db, "CA-LA", cursor))
	// Ana's view of C-1 does not move: she has a family-violence case, so it names nobody.
	want := []string{"payment P-1", "participant " + bruno, "participant " + chloe}
	if len(got) != len(want) {
		t.Errorf("changes after the cursor: %v, want %v", keys(got), want)
	}
	for _, k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("feed lacks %s after the second import (has %v)", k, keys(got))
		}
	}
	// Chloë's new name changes Darío's view of C-3 in San Diego.
	sd := latest(feed(t, db, "CA-SD", cursor))
	if v := caseView(t, sd["case C-3/"+dario]); v.OtherParty != "Chloë Çelik-Roy" {
		t.Errorf("Darío's view of C-3: %+v", v)
	}
}

func TestDeletionsMakeTombstones(t *testing.T) {
	db := openTest(t)
	mustImport(t, db, smallExport(t))
	cursor := lastSeq(t, db)

	// C-3 goes, with its payment; Chloë is then seen in Los Angeles only and Darío nowhere
	// but his home office.
	e := smallExport(t)
	e.Cases = e.Cases[:2]
	e.Payments = e.Payments[:2]
	e.Deletions = []domain.Deletion{{Kind: "case", ID: "C-3"}, {Kind: "payment", ID: "P-3"}, {Kind: "message", ID: "M-404"}}
	r := mustImport(t, db, e)
	if r.Kind("case").Deleted != 1 || r.Kind("payment").Deleted != 1 || r.Kind("message").Unchanged != 2 {
		t.Fatalf("report:\n%s", r)
	}
	sd := latest(feed(t, db, "CA-SD", cursor))
	for _, k := range []string{"case C-3/" + chloe, "case C-3/" + dario, "payment P-3", "participant " + chloe} {
		c, ok := sd[k]
		if !ok || !c.Deleted || len(c.Data) != 0 || c.Owner == "" {
			t.Errorf("%s: %+v, want a tombstone with its owner", k, c)
		}
	}
	if c := sd["participant "+dario]; c.Deleted {
		t.Error("Darío's record at his home office was deleted")
	}
	// Tombstones pass the protocol's own check, and the same export again changes nothing.
	b, err := db.Changes("CA-SD", cursor, 100)
	if err != nil || b.Check(cursor) != nil {
		t.Fatalf("batch: %v / %v", err, b.Check(cursor))
	}
	seq := lastSeq(t, db)
	mustImport(t, db, e)
	if lastSeq(t, db) != seq {
		t.Fatal("re-importing deletions moved the feed")
	}
	// Re-adding the case brings its views back to life.
	mustImport(t, db, smallExport(t))
	sd = latest(feed(t, db, "CA-SD", seq))
	if c := sd["case C-3/"+dario]; c.Deleted || len(c.Data) == 0 {
		t.Errorf("re-added case view: %+v", c)
	}
}

func TestFeedPaging(t *testing.T) {
	db := openTest(t)
	e := smallExport(t)
	for i := range 120 {
		e.Payments = append(e.Payments, domain.Payment{ID: "PX-" + itoa(i), Case: "C-1", Payer: bruno,
			Received: e.Payments[0].Received, Amount: 100, Source: domain.Card, Allocation: domain.Allocation{Current: 100}})
	}
	mustImport(t, db, e)
	all, err := db.Changes("CA-LA", 0, protocol.MaxBatch)
	if err != nil || all.More {
		t.Fatal(err, all.More)
	}
	var paged []protocol.Change
	after := int64(0)
	pages := 0
	for {
		b, err := db.Changes("CA-LA", after, 7)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Check(after); err != nil {
			t.Fatal(err)
		}
		if len(b.Changes) > 7 || b.From != after {
			t.Fatalf("page %d: %d changes from %d", pages, len(b.Changes), b.From)
		}
		pages++
		paged = append(paged, b.Changes...)
		after = b.To
		if !b.More {
			break
		}
	}
	if len(paged) != len(all.Changes) || pages != (len(all.Changes)+6)/7 {
		t.Fatalf("paged %d in %d pages, whole %d", len(paged), pages, len(all.Changes))
	}
	for i := range paged {
		if paged[i].Seq != all.Changes[i].Seq || string(paged[i].Data) != string(all.Changes[i].Data) {
			t.Fatalf("change %d differs", i)
		}
	}
	// Past the end: an empty batch at the same cursor.
	b, _ := db.Changes("CA-LA", after, 7)
	if len(b.Changes) != 0 || b.To != after || b.More || b.Check(after) != nil {
		t.Fatalf("empty batch: %+v", b)
	}
	// A tampered batch fails its checksum.
	b, _ = db.Changes("CA-LA", 0, 3)
	b.Changes[1].Data = []byte(`{"amount":1}`)
	if b.Check(0) == nil {
		t.Fatal("tampered batch passed")
	}
	// The limit is capped.
	if b, _ := db.Changes("CA-LA", 0, 1<<30); len(b.Changes) > protocol.MaxBatch {
		t.Fatal("limit not capped")
	}
}

func keys(m map[string]protocol.Change) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// The example in docs/export-format.md is a valid export.
func TestDocumentedExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/export-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```json\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no JSON example in docs/export-format.md")
	}
	e, err := ParseExport(strings.NewReader(example))
	if err != nil {
		t.Fatal(err)
	}
	r := mustImport(t, openTest(t), e)
	if r.Kind("payment").Added != 2 || r.Kind("payment").Unchanged != 1 {
		t.Fatalf("report:\n%s", r)
	}
}

// A PIN issued or changed since the agency's export was made survives the next import of that
// export, and so does a staff account's lock: the higher version wins, as in a push.
func TestImportKeepsNewerPINs(t *testing.T) {
	db := openTest(t)
	mustImport(t, db, smallExport(t))
	call, err := db.IssuePIN(t.Context(), ana, testVerifier(t), "callcentre", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e := smallExport(t)
	e.Staff[0].Password.Failures, e.Staff[0].Password.LockedAt, e.Staff[0].Password.Version = 5, generated, 2
	mustImport(t, db, e)
	seq := lastSeq(t, db)
	r := mustImport(t, db, smallExport(t)) // the old export again: version 1 everywhere
	if r.FeedChanges != 0 || lastSeq(t, db) != seq {
		t.Fatalf("the old export changed the feed:\n%s", r)
	}
	p, err := db.Participant(ana)
	if err != nil || p.PIN.Version != call.Version || p.PIN.IssuedBy != "callcentre" || !p.PIN.Temporary {
		t.Fatalf("after re-import the PIN is %+v (%v), want the call centre's", p.PIN, err)
	}
	staff := latest(feed(t, db, "CA-LA", 0))["staff S1"]
	var s domain.Staff
	if err := json.Unmarshal(staff.Data, &s); err != nil || !s.Password.Locked() || staff.Owner != domain.StaffOwner("S1") {
		t.Fatalf("staff view %s (%v): want the lock kept and owner staff/S1", staff.Data, err)
	}
	if _, ok := latest(feed(t, db, "CA-SD", 0))["staff S1"]; ok {
		t.Fatal("another office's kiosks see the staff account")
	}
}
