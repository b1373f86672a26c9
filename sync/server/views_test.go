package server

import (
	"strings"
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
	if _, ok := got["case C-1/"+ana]; ok {
		t.Error("Ana's view of C-1 changed, though it names nobody (she has a family-violence case)")
	}
	if v := caseView(t, got["case C-1/"+dario]); v.OtherParty != "Ana Núñez" {
		t.Errorf("Darío's view of C-1 names %q", v.OtherParty)
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

// TestIndicatorHidesTheOtherPartyOnEveryCase: the family-violence indicator on one of a
// participant's cases keeps every other party's name of that participant off the feed, on
// cases without it too (domain.Shield); setting or clearing it on one case changes the views
// of the participant's other cases in the same import, and deleting the flagged case brings
// the names back.
func TestIndicatorHidesTheOtherPartyOnEveryCase(t *testing.T) {
	db := openTest(t)
	e := smallExport(t)
	e.Cases[1].FamilyViolence = false // C-2 (Ana and Chloë) without the indicator at first
	mustImport(t, db, e)
	la := latest(feed(t, db, "CA-LA", 0))
	if v := caseView(t, la["case C-1/"+ana]); v.OtherParty != "Bruno Lefèvre" {
		t.Fatalf("without any indicator Ana's view of C-1 names %q", v.OtherParty)
	}

	cursor := lastSeq(t, db)
	e.Cases[1].FamilyViolence = true
	mustImport(t, db, e)
	got := latest(feed(t, db, "CA-LA", cursor))
	for _, id := range []string{"case C-1/" + ana, "case C-2/" + ana, "case C-2/" + chloe} {
		c, ok := got[id]
		if !ok {
			t.Fatalf("%s did not change with the indicator on C-2 (feed %v)", id, keys(got))
		}
		if v := caseView(t, c); v.OtherParty != "" || strings.Contains(string(c.Data), "Bruno") ||
			strings.Contains(string(c.Data), "Chloë") || strings.Contains(string(c.Data), "Ana") {
			t.Errorf("%s still names someone: %s", id, c.Data)
		}
	}
	if _, ok := got["case C-1/"+bruno]; ok {
		t.Error("Bruno's view of C-1 changed: his cases carry no indicator")
	}

	cursor = lastSeq(t, db)
	e.Cases[1].FamilyViolence = false
	mustImport(t, db, e)
	got = latest(feed(t, db, "CA-LA", cursor))
	if v := caseView(t, got["case C-1/"+ana]); v.OtherParty != "Bruno Lefèvre" {
		t.Errorf("the indicator cleared, Ana's view of C-1 names %q", v.OtherParty)
	}

	// Flagged again, then the flagged case deleted: the names come back on C-1.
	e.Cases[1].FamilyViolence = true
	mustImport(t, db, e)
	cursor = lastSeq(t, db)
	e.Cases = append(e.Cases[:1], e.Cases[2:]...)
	e.Payments = append(e.Payments[:1], e.Payments[2:]...)
	e.Disbursements = e.Disbursements[:1]
	e.Deletions = append(e.Deletions, domain.Deletion{Kind: "payment", ID: "P-2"},
		domain.Deletion{Kind: "disbursement", ID: "D-2"}, domain.Deletion{Kind: "case", ID: "C-2"})
	mustImport(t, db, e)
	got = latest(feed(t, db, "CA-LA", cursor))
	if v := caseView(t, got["case C-1/"+ana]); v.OtherParty != "Bruno Lefèvre" {
		t.Errorf("the flagged case deleted, Ana's view of C-1 names %q", v.OtherParty)
	}
	// And once more: nothing moves.
	seq := lastSeq(t, db)
	if r := mustImport(t, db, e); r.FeedChanges != 0 || lastSeq(t, db) != seq {
		t.Fatalf("the same export again:\n%s", r)
	}
}
