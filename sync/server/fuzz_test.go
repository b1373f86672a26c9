package server

import (
	"bytes"
	"testing"
)

// FuzzParseExport feeds ParseExport and the validator anything: they must answer with an export
// or an error, never panic, and a parsed export must validate (or not) without panicking.
// The seed corpus is in testdata/fuzz/FuzzParseExport.
func FuzzParseExport(f *testing.F) {
	f.Add([]byte(`{"format":"childsupport-export/1","agency":"CA","generated":"2026-11-15T17:00:00Z"}`))
	f.Add([]byte(`{"format":"childsupport-export/1","agency":"CA","generated":"2026-11-15T17:00:00Z","payments":[{"id":"P","amount":-1,"received":"2026-02-30"}]}`))
	f.Add([]byte(`{"format":"childsupport-export/1"} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := parseExport(bytes.NewReader(data), 1<<20)
		if err != nil {
			if e != nil {
				t.Fatal("an error and an export")
			}
			return
		}
		inv, err := validate(e, nil, nil)
		if err != nil {
			t.Fatalf("validate without a database: %v", err)
		}
		if inv != nil && (len(inv.Problems) == 0 || len(inv.Problems) > MaxProblems) {
			t.Fatalf("%d problems", len(inv.Problems))
		}
	})
}
