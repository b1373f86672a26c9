package server

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"childsupportkiosk/app/domain"
)

// problemShape is a problem that names its record (list, index and, when the record has a
// valid one, its ID) and its field: "participants[17] (id 1000000017): birth_date: …".
var problemShape = regexp.MustCompile(`^[a-z]+\[\d+\]( \(id [A-Za-z0-9._:-]+\))?: [a-z_]+(\[\d+\])?(\.[a-z_]+)*: \S`)

// An export with 25 bad records, some of them only found by decoding the JSON (an SSN where
// the birth date belongs, a number where a name belongs, a date that does not exist, an amount
// written as text) and some by the rules (a name where a method belongs, an SSN where a case
// number belongs, parts that do not add up to the amount, messages without a subject): the
// import names exactly the first 20, each with its record and field, and not one of them quotes a value of the export.
func TestImportProblemsNameRecordsNotValues(t *testing.T) {
	e := smallExport(t)
	for i := range 30 {
		e.Participants = append(e.Participants, domain.Participant{ID: fmt.Sprintf("20000000%02d", i),
			SSN: fmt.Sprintf("5%02d4%05d", 10+i, 11111+i), Name: fmt.Sprintf("Zoë Quiñones-%c", 'A'+i),
			BirthDate: domain.Date{Year: 1970 + i, Month: 5, Day: 1 + i%27}, Office: "CA-LA"})
	}
	// Bad by the rules (the JSON decodes).
	e.Disbursements[0].Method = "Ana Núñez"       // a name where a method belongs
	e.Payments[0].Case = "545123456"              // an SSN where a case number belongs
	e.Payments[1].Allocation.Fees = 777777        // parts that do not add up to the amount
	e.Participants[5].Language = "Zoë Quiñones-B" // a name where a language belongs
	for i := range 17 {                           // 17 messages without a subject
		m := e.Messages[0]
		m.ID, m.Subject, m.Body = fmt.Sprintf("N-%d", i), "", "Dear Zoë Quiñones-A"
		e.Messages = append(e.Messages, m)
	}
	var b strings.Builder
	if err := EncodeExport(&b, e); err != nil {
		t.Fatal(err)
	}
	doc := b.String()
	// Bad in the JSON itself.
	replace := func(old, new string) {
		t.Helper()
		if strings.Count(doc, old) != 1 {
			t.Fatalf("%q is in the export %d times", old, strings.Count(doc, old))
		}
		doc = strings.Replace(doc, old, new, 1)
	}
	replace(`"birth_date":"1985-07-01"`, `"birth_date":"545-12-3456"`) // participants[1]: an SSN as a birth date
	replace(`"name":"Zoë Quiñones-C"`, `"name":987654321`)             // participants[6]: a number as a name
	replace(`"received":"2026-11-01"`, `"received":"2026-02-30"`)      // payments[2]: a date that does not exist
	replace(`"amount":150000,"source":"federal_tax_offset","method"`,  // disbursements[1]: an amount as text
		`"amount":"1500.00","source":"federal_tax_offset","method"`)

	_, err := openTest(t).ImportJSON(context.Background(), strings.NewReader(doc))
	var inv *Invalid
	if !errors.As(err, &inv) {
		t.Fatalf("import: %v, want an *Invalid", err)
	}
	if len(inv.Problems) != MaxProblems || !inv.More {
		t.Fatalf("%d problems (more: %v), want %d and more:\n%s", len(inv.Problems), inv.More, MaxProblems, err)
	}
	secrets := []string{"545-12-3456", "545123456", "987654321", "2026-02-30", "1500.00", "777777", "Núñez", "Quiñones"}
	for _, p := range e.Participants {
		secrets = append(secrets, p.SSN, p.Name, p.BirthDate.String())
	}
	for _, p := range inv.Problems {
		if !problemShape.MatchString(p) {
			t.Errorf("problem %q does not name its record and field", p)
		}
		if x := containsAny(p, secrets...); x != "" {
			t.Errorf("problem %q quotes %q", p, x)
		}
	}
	if x := containsAny(err.Error(), secrets...); x != "" {
		t.Errorf("the error quotes %q:\n%s", x, err)
	}
	for _, want := range []string{
		"participants[1] (id 1000000002): birth_date: not a date (YYYY-MM-DD)",
		"participants[5] (id 2000000001): language: must be a language code",
		"participants[6] (id 2000000002): name: must be a JSON string, not a number",
		"cases[0] (id C-1)", // nothing wrong with it: it must not be there
		"payments[0] (id P-1): case: no such case",
		"payments[1] (id P-2): allocation: parts do not add up to the amount",
		"payments[2] (id P-3): received: not a date (YYYY-MM-DD)",
		"disbursements[0] (id D-1): method: not direct_deposit, debit_card or check",
		"disbursements[1] (id D-2): amount: must be a JSON number (whole cents), not a string",
		"messages[1] (id N-0): subject: is empty",
	} {
		found := false
		for _, p := range inv.Problems {
			found = found || strings.HasPrefix(p, want)
		}
		if found != (want != "cases[0] (id C-1)") {
			t.Errorf("problems found %q: %v\n%s", want, found, err)
		}
	}
	// The problems come in the order of the export's lists and records.
	if !strings.HasPrefix(inv.Problems[0], "participants[1] ") || !strings.HasPrefix(inv.Problems[MaxProblems-1], "messages[12] ") {
		t.Errorf("problems out of order:\n%s", err)
	}
}

// A value of the wrong JSON type is reported with its record and field, not with the end of the
// file as its place: each of these used to stop the import at the first, with encoding/json's
// message and the file's last byte.
func TestDecodeErrorsNameTheirRecord(t *testing.T) {
	var b strings.Builder
	if err := EncodeExport(&b, smallExport(t)); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	cases := []struct{ old, new, want string }{
		{`"ssn":"223456789"`, `"ssn":223456789`, "participants[1] (id 1000000002): ssn: must be a JSON string, not a number"},
		{`"birth_date":"1990-12-24"`, `"birth_date":19901224`, "participants[2] (id 1000000003): birth_date: not a date (YYYY-MM-DD)"},
		{`"ssn":"123456789","name":"Ana Núñez","birth_date":"1988-03-09","office":"CA-LA","pin":{"verifier":`, `"ssn":"123456789","name":"Ana Núñez","birth_date":"1988-03-09","office":"CA-LA","pin":{"version":"1","verifier":`, "participants[0] (id 1000000001): pin.version: must be a JSON number"},
		{`"as_of":"2026-11-15"}},{"number":"C-3"`, `"as_of":"yesterday"}},{"number":"C-3"`, "cases[1] (id C-2): balances.as_of: not a date (YYYY-MM-DD)"},
		{`"participant":"1000000002","role":"noncustodial"}]`, `"participant":"1000000002","role":7}]`, "cases[0] (id C-1): parties[1].role: must be a JSON string, not a number"},
		{`"at":"2026-11-20T17:30:00Z"`, `"at":"soon"`, "appointments[0] (id A-1): at: not an instant (RFC 3339"},
		{`"from_office":true`, `"from_office":"yes"`, "messages[0] (id M-1): from_office: must be true or false, not a string"},
		{`"kind":"order"`, `"kind":"order","secret":"Ana Núñez"`, "documents[0] (id DOC-1): secret: not a field of a document"},
		{`"payments":[`, `"payments":[7,`, "payments[0]: must be a JSON object, not a number"},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			if strings.Count(good, c.old) != 1 {
				t.Fatalf("%q is in the export %d times", c.old, strings.Count(good, c.old))
			}
			doc := strings.Replace(good, c.old, c.new, 1)
			_, err := ParseExport(strings.NewReader(doc))
			var inv *Invalid
			if !errors.As(err, &inv) || len(inv.Problems) != 1 || !strings.Contains(inv.Problems[0], c.want) {
				t.Fatalf("err %v\nwant one problem with %q", err, c.want)
			}
			if x := containsAny(err.Error(), "223456789", "19901224", "yesterday", "soon", "Núñez", "byte"); x != "" {
				t.Fatalf("%q quotes %q", err, x)
			}
		})
	}
}

// A file that is not an export is refused with one reason that quotes nothing of it; the
// export's own fields that do not decode are named like a record's.
func TestExportFileErrors(t *testing.T) {
	for in, want := range map[string]string{
		``:                                     "export: empty",
		`{"format":"childsupport-export/1"`:    "export: cut short: the JSON ends early",
		`[{"name":"Ana Núñez"}]`:               "export: must be one JSON object",
		`{"format":"childsupport-export/1"} 1`: "export: trailing data after the export object",
		`{"format":"123456789"}`:               `export: format: must be "childsupport-export/1"`,
		`{"format":"childsupport-export/1","format":"childsupport-export/1"}`:                 "export: format: given twice",
		`{"format":"childsupport-export/1","ssn":"123456789"}`:                                "export: ssn: not a field of the export",
		`{"format":"childsupport-export/1","Ana Núñez":1}`:                                    "export: a field that is not one of the export's",
		`{"format":"childsupport-export/1","payments":{"id":"P-1"}}`:                          "export: payments: must be a list",
		`{"format":"childsupport-export/1","payments":[{"id":"P-1","case":"123456789"`:        "export: payments[0]: cut short",
		`{"format":"childsupport-export/1","agency":123456789,"generated":"2026-13-01"}`:      "export refused, nothing changed: 2 problem(s):\n  agency: must be a JSON string, not a number\n  generated: not an instant",
		`{"format":"childsupport-export/1","payments":[` + strings.Repeat("1,", 1000) + `1]}`: "export: more than 1000 records do not decode (the last read: payments[1000])",
	} {
		_, err := ParseExport(strings.NewReader(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
		if err != nil && containsAny(err.Error(), "123456789", "Núñez", "2026-13-01") != "" {
			t.Errorf("%q: %v quotes the file", in, err)
		}
	}
}
