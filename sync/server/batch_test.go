package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"childsupportkiosk/app/domain"
)

// TestImportManyChanges takes changed payments through more than one read-ahead (readAhead)
// and more than one statement (batchRows) of each write: every third has a new amount (its
// row keeps its place in the indexes), every seventh of those moves to C-2 at the same office
// (a new case and payer) and every eleventh to C-3 at CA-SD (its CA-LA view becomes a
// tombstone). Each change takes one new sequence number, the indexes agree with the table, and
// the same export again changes nothing.
func TestImportManyChanges(t *testing.T) {
	db := openTest(t)
	e := smallExport(t)
	const n = 2*readAhead + batchRows + 17
	for i := range n {
		p := e.Payments[0] // C-1 at CA-LA, paid by Bruno
		p.ID = fmt.Sprintf("PB-%04d", i)
		e.Payments = append(e.Payments, p)
	}
	mustImport(t, db, e)
	cursor := lastSeq(t, db)

	amount, moved, away := map[string]domain.Cents{}, map[string]bool{}, map[string]bool{}
	for i := range e.Payments {
		p := &e.Payments[i]
		if i < 3 || i%3 != 0 {
			continue
		}
		p.Amount += domain.Cents(i)
		p.Allocation.Current += domain.Cents(i)
		amount[p.ID] = p.Amount
		switch {
		case i%11 == 0:
			p.Case, p.Payer = "C-3", dario
			away[p.ID] = true
		case i%7 == 0:
			p.Case, p.Payer = "C-2", chloe
			moved[p.ID] = true
		}
	}
	r := mustImport(t, db, e)
	if got := r.Kind("payment"); got.Changed != len(amount) || got.Added != 0 || got.Unchanged != len(e.Payments)-len(amount) {
		t.Fatalf("report, want %d payments changed:\n%s", len(amount), r)
	}
	if want := len(amount) + len(away); r.FeedChanges != want || lastSeq(t, db) != cursor+int64(want) {
		t.Fatalf("%d feed changes, last seq %d; want %d after %d:\n%s", r.FeedChanges, lastSeq(t, db), want, cursor, r)
	}

	la, sd := latest(feed(t, db, "CA-LA", cursor)), latest(feed(t, db, "CA-SD", cursor))
	seqs := map[int64]bool{}
	for _, c := range append(feed(t, db, "CA-LA", cursor), feed(t, db, "CA-SD", cursor)...) {
		if seqs[c.Seq] {
			t.Errorf("sequence number %d given twice", c.Seq)
		}
		seqs[c.Seq] = true
	}
	for id, want := range amount {
		c, ok := la["payment "+id]
		if away[id] {
			if !ok || !c.Deleted {
				t.Errorf("%s at CA-LA: %+v, want a tombstone", id, c)
			}
			c, ok = sd["payment "+id]
		}
		if !ok || c.Deleted {
			t.Errorf("%s: %+v, want its new view", id, c)
			continue
		}
		var p domain.Payment
		if err := json.Unmarshal(c.Data, &p); err != nil {
			t.Fatal(err)
		}
		if p.Amount != want || p.Payer != c.Owner {
			t.Errorf("%s: amount %d owner %s, want %d and the payer %s", id, p.Amount, c.Owner, want, p.Payer)
		}
		var base []byte
		if err := db.sql.QueryRow(`SELECT body FROM payments WHERE id = ?`, id).Scan(&base); err != nil || string(base) != string(c.Data) {
			t.Errorf("%s: stored %s, its view %s (%v)", id, base, c.Data, err)
		}
	}
	if len(la) != len(amount) || len(sd) != len(away) {
		t.Errorf("%d changes at CA-LA and %d at CA-SD, want %d and %d", len(la), len(sd), len(amount), len(away))
	}

	var check string
	if err := db.sql.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check: %q %v", check, err)
	}
	for _, c := range []struct {
		query, arg string
		want       int
	}{
		{`SELECT count(*) FROM payments INDEXED BY payments_owner WHERE owner = ?`, chloe, len(moved) + 1},
		{`SELECT count(*) FROM payments INDEXED BY payments_owner WHERE owner = ?`, dario, len(away) + 1},
		{`SELECT count(*) FROM payments INDEXED BY payments_case WHERE case_number = ?`, "C-2", len(moved) + 1},
		{`SELECT count(*) FROM payments INDEXED BY payments_case WHERE case_number = ?`, "C-1", len(e.Payments) - len(moved) - len(away) - 2},
	} {
		var got int
		if err := db.sql.QueryRow(c.query, c.arg).Scan(&got); err != nil || got != c.want {
			t.Errorf("%s (%s): %d, want %d (%v)", c.query, c.arg, got, c.want, err)
		}
	}

	seq := lastSeq(t, db)
	if r := mustImport(t, db, e); r.FeedChanges != 0 || changesIn(r) != 0 || lastSeq(t, db) != seq {
		t.Fatalf("the same export again:\n%s", r)
	}
}

// TestImportOfStoredCases imports payments alone, whose cases the server already holds: the
// validator checks them against the stored cases and the import finds their offices in the
// same cache, the case read once.
func TestImportOfStoredCases(t *testing.T) {
	db := openTest(t)
	e := smallExport(t)
	mustImport(t, db, e)
	cursor := lastSeq(t, db)

	p1, p3 := e.Payments[0], e.Payments[2]
	p1.Amount, p1.Allocation.Current = p1.Amount+1, p1.Allocation.Current+1
	p3.ID = "P-30"
	only := &domain.Export{Format: e.Format, Agency: e.Agency, Generated: e.Generated,
		Payments: []domain.Payment{p1, p3}}
	r := mustImport(t, db, only)
	if c := r.Kind("payment"); c.Changed != 1 || c.Added != 1 || r.FeedChanges != 2 {
		t.Fatalf("report:\n%s", r)
	}
	if c, ok := latest(feed(t, db, "CA-LA", cursor))["payment P-1"]; !ok || c.Deleted {
		t.Errorf("P-1 at CA-LA: %+v", c)
	}
	if c, ok := latest(feed(t, db, "CA-SD", cursor))["payment P-30"]; !ok || c.Deleted {
		t.Errorf("P-30 at CA-SD: %+v", c)
	}

	// A payer who is not the stored case's noncustodial parent is refused, and nothing changes.
	seq := lastSeq(t, db)
	p3.ID, p3.Payer = "P-31", ana
	_, err := db.Import(context.Background(), &domain.Export{Format: e.Format, Agency: e.Agency,
		Generated: e.Generated, Payments: []domain.Payment{p1, p3}})
	var inv *Invalid
	if !errors.As(err, &inv) || lastSeq(t, db) != seq {
		t.Fatalf("a payer of another case: %v, last seq %d, want %d", err, lastSeq(t, db), seq)
	}
}
