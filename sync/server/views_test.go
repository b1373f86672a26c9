package server

import (
	"testing"

	"childsupportkiosk/app/domain"
)

// TestCaseViewsRetired checks the live views of a case, found as a range of IDs: when C-1
// changes parties, its view for the parent who left becomes a tombstone, and C-10, whose
// views' IDs begin with the same characters, keeps its own.
func TestCaseViewsRetired(t *testing.T) {
	db := openTest(t)
	e := smallExport(t)
	c10 := e.Cases[0]
	c10.Number, c10.CourtOrder = "C-10", "19FL000010"
	c10.Parties = append([]domain.Party(nil), c10.Parties...)
	e.Cases = append(e.Cases, c10)
	mustImport(t, db, e)
	cursor := lastSeq(t, db)

	e.Cases[0].Parties[1].Participant = dario
	e.Payments[0].Payer = dario
	e.Messages[0].Participant = dario
	r := mustImport(t, db, e)
	if r.Kind("case").Changed != 1 {
		t.Fatalf("report:\n%s", r)
	}
	got := latest(feed(t, db, "CA-LA", cursor))
	if c, ok := got["case C-1/"+bruno]; !ok || !c.Deleted {
		t.Errorf("Bruno's view of C-1: %+v, want a tombstone", c)
	}
	if c, ok := got["case C-1/"+dario]; !ok || c.Deleted {
		t.Errorf("Darío's view of C-1: %+v", c)
	}
	if v := caseView(t, got["case C-1/"+ana]); v.OtherParty != "Darío Ibáñez" {
		t.Errorf("Ana's view of C-1 names %q", v.OtherParty)
	}
	for k := range got {
		if k == "case C-10/"+ana || k == "case C-10/"+bruno {
			t.Errorf("%s changed with C-1", k)
		}
	}
	all := latest(feed(t, db, "CA-LA", 0))
	for _, k := range []string{"case C-10/" + ana, "case C-10/" + bruno} {
		if c, ok := all[k]; !ok || c.Deleted {
			t.Errorf("%s: %+v", k, c)
		}
	}
	// And once more: nothing moves.
	seq := lastSeq(t, db)
	if r := mustImport(t, db, e); r.FeedChanges != 0 || lastSeq(t, db) != seq {
		t.Fatalf("the same export again:\n%s", r)
	}
}
