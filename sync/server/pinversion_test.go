package server

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// These tests push PIN states as a hostile kiosk would, with a real kiosk token over the HTTP
// server on loopback. Each item goes both with a base (the version the change was made on) and
// without one, as kiosks before bases sent them; neither form may let a kiosk choose a version.

// weakVerifier is a well-formed Argon2id verifier far below the kiosk's PIN cost (8 KiB, 1
// pass): a PIN behind it falls to a search in moments.
const weakVerifier = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"

// pinData is a PIN item's data; base is left out when it is nil.
func pinData(participant string, pin domain.PIN, base *int64) map[string]any {
	m := map[string]any{"participant": participant, "pin": pin}
	if base != nil {
		m["base"] = *base
	}
	return m
}

func staffData(staff string, password domain.PIN, base *int64) map[string]any {
	m := map[string]any{"staff": staff, "password": password}
	if base != nil {
		m["base"] = *base
	}
	return m
}

func ptr(n int64) *int64 { return &n }

// enrolAnother enrols one more kiosk of office and returns its token.
func enrolAnother(t *testing.T, ts *testServer, office string) string {
	t.Helper()
	code, err := ts.db.NewEnrolmentCode(office, 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ts.db.Enroll(code, "another")
	if err != nil {
		t.Fatal(err)
	}
	return r.Token
}

// pushAs pushes items with token over HTTP.
func pushAs(t *testing.T, ts *testServer, token string, items ...protocol.Push) []protocol.PushResult {
	t.Helper()
	var resp protocol.PushResponse
	if st := ts.call(t, "POST", protocol.PathPush, token, protocol.PushRequest{Items: items}, &resp); st != 200 {
		t.Fatalf("push: %d", st)
	}
	if len(resp.Results) != len(items) {
		t.Fatalf("%d results for %d items", len(resp.Results), len(items))
	}
	return resp.Results
}

func serverPIN(t *testing.T, ts *testServer, id string) domain.PIN {
	t.Helper()
	p, err := ts.db.Participant(id)
	if err != nil {
		t.Fatal(err)
	}
	return p.PIN
}

func serverStaff(t *testing.T, ts *testServer, id string) domain.PIN {
	t.Helper()
	s, ok, err := record[domain.Staff](ts.db.sql, "staff", "id", id)
	if err != nil || !ok {
		t.Fatalf("staff %s: %v", id, err)
	}
	return s.Password
}

// notTaken fails unless every result is one of the outcomes that leave the server's state as
// it was: superseded or rejected.
func notTaken(t *testing.T, what string, res []protocol.PushResult) {
	t.Helper()
	for _, r := range res {
		if r.Status != protocol.Superseded && r.Status != protocol.Rejected {
			t.Errorf("%s: item %s %s (%s), want superseded or rejected", what, r.ID, r.Status, r.Reason)
		}
	}
}

func samePIN(a, b domain.PIN) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// The finding of issue #14: a kiosk pushed version 9223372036854775807, the server took it,
// the call centre's PIN then wrapped round to the lowest int64, and an ordinary kiosk change
// after that won over the call centre's PIN.
func TestPINHugeVersionAndCallCentre(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	before := serverPIN(t, ts, ana)
	locked := domain.PIN{Verifier: v, Failures: 5, LockedAt: generated, Version: math.MaxInt64}
	res := pushAs(t, ts, ts.token,
		item("huge-1", domain.SendPINState, pinData(ana, locked, nil)),
		item("huge-2", domain.SendPINState, pinData(ana, locked, ptr(math.MaxInt64))),
		item("huge-3", domain.SendPINState, pinData(ana, locked, ptr(math.MaxInt64-1))))
	notTaken(t, "a huge version", res)
	if got := serverPIN(t, ts, ana); !samePIN(got, before) {
		t.Fatalf("after a huge version the server holds %+v, want %+v", got, before)
	}
	call, err := ts.db.IssuePIN(t.Context(), ana, v, "callcentre", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if call.Version <= before.Version {
		t.Fatalf("the call centre's PIN has version %d, the one before it %d", call.Version, before.Version)
	}
	// An ordinary change a kiosk made before the call centre's PIN, arriving after it.
	late := domain.PIN{Verifier: v, Failures: 1, Version: before.Version + 1}
	res = pushAs(t, ts, ts.token,
		item("late-1", domain.SendPINState, pinData(ana, late, nil)),
		item("late-2", domain.SendPINState, pinData(ana, late, ptr(before.Version))))
	notTaken(t, "a change made before the call centre's PIN", res)
	if got := serverPIN(t, ts, ana); !samePIN(got, call) || got.IssuedBy != "callcentre" {
		t.Fatalf("the server holds %+v, want the call centre's %+v", got, call)
	}
}

// Negative and out-of-range versions and bases are refused outright, not merely outvoted.
func TestPINNumbersOutOfRange(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	before := serverPIN(t, ts, ana)
	n := 0
	for _, c := range []struct {
		version int64
		base    *int64
	}{
		{-1, nil}, {math.MinInt64, nil}, {math.MaxInt64, nil}, {1 << 60, nil},
		{2, ptr(-1)}, {2, ptr(math.MinInt64)}, {-3, ptr(1)}, {math.MaxInt64, ptr(1)}, {2, ptr(1 << 60)},
	} {
		n++
		id := "range-" + string(rune('a'+n))
		res := pushAs(t, ts, ts.token, item(id, domain.SendPINState,
			pinData(ana, domain.PIN{Verifier: v, Failures: 2, Version: c.version}, c.base)))
		if res[0].Status != protocol.Rejected {
			t.Errorf("version %d base %v: %s (%s), want rejected", c.version, c.base, res[0].Status, res[0].Reason)
		}
	}
	// A number that is not an int64 at all.
	res := pushAs(t, ts, ts.token, protocol.Push{ID: "range-float", Kind: domain.SendPINState,
		Data: []byte(`{"participant":"` + ana + `","pin":{"verifier":"` + v + `","version":2},"base":1e30}`)})
	if res[0].Status != protocol.Rejected {
		t.Errorf("base 1e30: %+v", res[0])
	}
	if got := serverPIN(t, ts, ana); !samePIN(got, before) {
		t.Fatalf("the server holds %+v, want %+v", got, before)
	}
}

// A change based on a version the server has moved past is superseded, whatever version it
// claims for itself; a replayed item answers duplicate; and the server, not the kiosk, numbers
// the versions.
func TestPINBasedOnOldVersion(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	// The kiosk claims version 50 for a change on version 1: it gets 2.
	res := pushAs(t, ts, ts.token, item("old-1", domain.SendPINState,
		pinData(ana, domain.PIN{Verifier: v, Failures: 1, Version: 50}, ptr(1))))
	if res[0].Status != protocol.Applied {
		t.Fatalf("a change on the server's version: %+v", res[0])
	}
	if got := serverPIN(t, ts, ana); got.Version != 2 || got.Failures != 1 {
		t.Fatalf("server PIN %+v, want version 2 (the server's count) with 1 failure", got)
	}
	other := enrolAnother(t, ts, "CA-LA")
	res = pushAs(t, ts, other, item("old-2", domain.SendPINState,
		pinData(ana, domain.PIN{Verifier: v, Failures: 3, Version: 3}, ptr(2))))
	if res[0].Status != protocol.Applied {
		t.Fatalf("another kiosk's change on the server's version: %+v", res[0])
	}
	now := serverPIN(t, ts, ana) // version 3, 3 failures
	// The first kiosk's replay of a state on version 1, under a new ID, with and without a
	// base, and claiming versions above the server's.
	res = pushAs(t, ts, ts.token,
		item("old-3", domain.SendPINState, pinData(ana, domain.PIN{Verifier: v, Version: 9}, ptr(1))),
		item("old-4", domain.SendPINState, pinData(ana, domain.PIN{Verifier: v, Version: 9}, nil)),
		item("old-5", domain.SendPINState, pinData(ana, domain.PIN{Verifier: v, Version: 4}, ptr(2))))
	notTaken(t, "a change on an old version", res)
	if res = pushAs(t, ts, ts.token, item("old-1", domain.SendPINState,
		pinData(ana, domain.PIN{Verifier: v, Failures: 1, Version: 50}, ptr(1)))); res[0].Status != protocol.Duplicate {
		t.Fatalf("replayed item: %+v", res[0])
	}
	if got := serverPIN(t, ts, ana); !samePIN(got, now) {
		t.Fatalf("the server holds %+v, want %+v", got, now)
	}
}

// A verifier is needed for a chosen and for an issued PIN, and a failure count does not
// change or clear it; a verifier below the kiosk's PIN cost is refused.
func TestPINEmptyAndWeakVerifiers(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	before := serverPIN(t, ts, ana)
	for _, c := range []struct {
		id, kind string
		pin      domain.PIN
	}{
		{"ev-1", domain.SendPINState, domain.PIN{Version: 2}},
		{"ev-2", domain.SendPINState, domain.PIN{Version: 2, Failures: 1}},
		{"ev-3", domain.SendPINChange, domain.PIN{Version: 2}},
		{"ev-4", domain.SendPINIssued, domain.PIN{Version: 2, Temporary: true, Expires: generated.Add(time.Hour)}},
		{"wv-1", domain.SendPINChange, domain.PIN{Verifier: weakVerifier, Version: 2}},
		{"wv-2", domain.SendPINIssued, domain.PIN{Verifier: weakVerifier, Version: 2, Temporary: true, Expires: generated.Add(time.Hour)}},
		{"wv-3", domain.SendPINState, domain.PIN{Verifier: weakVerifier, Version: 2}},
		{"wv-4", domain.SendPINChange, domain.PIN{Verifier: strings.Replace(v, "m=19456,t=2", "m=19456,t=1", 1), Version: 2}},
		{"wv-5", domain.SendPINChange, domain.PIN{Verifier: strings.Replace(v, "m=19456,t=2", "m=4096,t=10", 1), Version: 2}},
	} {
		for _, base := range []*int64{nil, ptr(before.Version)} {
			id := c.id
			if base != nil {
				id += "-b"
			}
			res := pushAs(t, ts, ts.token, item(id, c.kind, pinData(ana, c.pin, base)))
			if res[0].Status != protocol.Rejected {
				t.Errorf("%s (%s, verifier %q): %s, want rejected", id, c.kind, c.pin.Verifier, res[0].Status)
			}
		}
	}
	if got := serverPIN(t, ts, ana); !samePIN(got, before) {
		t.Fatalf("the server holds %+v, want %+v", got, before)
	}
}

// A kiosk acts only for participants and staff of its own office.
func TestPINOtherOffice(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	before := serverPIN(t, ts, dario) // CA-SD only
	res := pushAs(t, ts, ts.token,
		item("oo-1", domain.SendPINChange, pinData(dario, domain.PIN{Verifier: v, Version: before.Version + 1}, nil)),
		item("oo-2", domain.SendPINChange, pinData(dario, domain.PIN{Verifier: v, Version: before.Version + 1}, ptr(before.Version))),
		item("oo-3", domain.SendPINState, pinData(dario, domain.PIN{Failures: 5, LockedAt: generated, Version: math.MaxInt64}, nil)))
	for _, r := range res {
		if r.Status != protocol.Rejected || !strings.Contains(r.Reason, "not known at this kiosk's office") {
			t.Errorf("%s: %+v", r.ID, r)
		}
	}
	if got := serverPIN(t, ts, dario); !samePIN(got, before) {
		t.Fatalf("another office's participant: %+v", got)
	}
	sd := enrolAnother(t, ts, "CA-SD")
	staffBefore := serverStaff(t, ts, "S1") // CA-LA
	res = pushAs(t, ts, sd, item("oo-4", domain.SendStaffState,
		staffData("S1", domain.PIN{Verifier: staffBefore.Verifier, Failures: 5, LockedAt: generated, Version: 2}, ptr(1))))
	if res[0].Status != protocol.Rejected {
		t.Errorf("another office's staff: %+v", res[0])
	}
}

// The call centre's PIN wins over every kiosk change made before it, however the kiosk numbers
// it and whenever it arrives; a kiosk's change made after it, on its version, is taken.
func TestPINKioskAfterCallCentre(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	pre := serverPIN(t, ts, ana)
	call, err := ts.db.IssuePIN(t.Context(), ana, v, "callcentre", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	res := pushAs(t, ts, ts.token,
		item("cc-1", domain.SendPINChange, pinData(ana, domain.PIN{Verifier: v, Version: pre.Version + 7}, nil)),
		item("cc-2", domain.SendPINChange, pinData(ana, domain.PIN{Verifier: v, Version: pre.Version + 7}, ptr(pre.Version))),
		item("cc-3", domain.SendPINIssued, pinData(ana, domain.PIN{Verifier: v, Temporary: true,
			Expires: generated.Add(time.Hour), Version: pre.Version + 3}, nil)),
		item("cc-4", domain.SendPINState, pinData(ana, domain.PIN{Verifier: v, Version: math.MaxInt64 - 1}, nil)))
	notTaken(t, "a kiosk change made before the call centre's PIN", res)
	if got := serverPIN(t, ts, ana); !samePIN(got, call) {
		t.Fatalf("the server holds %+v, want the call centre's %+v", got, call)
	}
	// The parent then chooses a PIN at a kiosk that has the call centre's PIN.
	res = pushAs(t, ts, ts.token, item("cc-5", domain.SendPINChange,
		pinData(ana, domain.PIN{Verifier: v, Version: call.Version + 1, IssuedBy: "callcentre"}, ptr(call.Version))))
	if res[0].Status != protocol.Applied {
		t.Fatalf("a change on the call centre's version: %+v", res[0])
	}
	if got := serverPIN(t, ts, ana); got.Version != call.Version+1 || got.Temporary || got.IssuedBy != "kiosk:"+ts.kiosk {
		t.Fatalf("after the parent's choice the server holds %+v", got)
	}
}

// A staff account's failures and lock follow the same rule: a kiosk cannot pick the version.
func TestStaffStateVersions(t *testing.T) {
	ts := newTestServer(t)
	before := serverStaff(t, ts, "S1")
	lock := domain.PIN{Verifier: before.Verifier, Failures: 5, LockedAt: generated, Version: math.MaxInt64}
	res := pushAs(t, ts, ts.token,
		item("st-1", domain.SendStaffState, staffData("S1", lock, nil)),
		item("st-2", domain.SendStaffState, staffData("S1", lock, ptr(math.MaxInt64-1))),
		item("st-3", domain.SendStaffState, staffData("S1", domain.PIN{Verifier: before.Verifier, Version: -1}, nil)))
	notTaken(t, "a huge or negative staff version", res)
	if got := serverStaff(t, ts, "S1"); !samePIN(got, before) {
		t.Fatalf("the server holds %+v, want %+v", got, before)
	}
	// One wrong password, on the server's version, is taken with the server's next version.
	res = pushAs(t, ts, ts.token, item("st-4", domain.SendStaffState,
		staffData("S1", domain.PIN{Verifier: before.Verifier, Failures: 1, Version: 40}, ptr(before.Version))))
	if res[0].Status != protocol.Applied {
		t.Fatalf("%+v", res[0])
	}
	if got := serverStaff(t, ts, "S1"); got.Version != before.Version+1 || got.Failures != 1 {
		t.Fatalf("staff state %+v, want version %d with 1 failure", got, before.Version+1)
	}
	// A supervisor's unlock at another kiosk made on the old version comes too late.
	other := enrolAnother(t, ts, "CA-LA")
	res = pushAs(t, ts, other, item("st-5", domain.SendStaffState,
		staffData("S1", domain.PIN{Verifier: before.Verifier, Version: before.Version + 5}, nil)))
	notTaken(t, "an unlock on an old version", res)
}

// The ordinary flow: a kiosk's changes queued one after another, each on the one before it,
// are taken in order with the server's numbers; another kiosk's change made on the same old
// version meanwhile is superseded.
func TestPINChainOfChanges(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	pre := serverPIN(t, ts, ana)
	var items []protocol.Push
	for i := 1; i <= 4; i++ {
		// What this kiosk queues for four wrong PINs: base is the server's version the
		// first was made on.
		items = append(items, item("chain-"+string(rune('0'+i)), domain.SendPINState,
			pinData(ana, domain.PIN{Verifier: v, Failures: i, Version: pre.Version + int64(i)}, ptr(pre.Version))))
	}
	for i, r := range pushAs(t, ts, ts.token, items[:2]...) {
		if r.Status != protocol.Applied {
			t.Fatalf("chain item %d: %+v", i, r)
		}
	}
	other := enrolAnother(t, ts, "CA-LA")
	res := pushAs(t, ts, other, item("chain-other", domain.SendPINState,
		pinData(ana, domain.PIN{Verifier: v, Failures: 1, Version: pre.Version + 1}, ptr(pre.Version))))
	notTaken(t, "another kiosk's change on the old version", res)
	for i, r := range pushAs(t, ts, ts.token, items[2:]...) {
		if r.Status != protocol.Applied {
			t.Fatalf("chain item %d: %+v", i+2, r)
		}
	}
	if got := serverPIN(t, ts, ana); got.Version != pre.Version+4 || got.Failures != 4 || got.Verifier != v {
		t.Fatalf("after the chain the server holds %+v", got)
	}
	// The other kiosk, having pulled version pre+4, adds the fifth failure.
	res = pushAs(t, ts, other, item("chain-5", domain.SendPINState,
		pinData(ana, domain.PIN{Verifier: v, Failures: 5, LockedAt: generated, Version: pre.Version + 5}, ptr(pre.Version+4))))
	if res[0].Status != protocol.Applied {
		t.Fatalf("%+v", res[0])
	}
	if got := serverPIN(t, ts, ana); got.Version != pre.Version+5 || !got.Locked() {
		t.Fatalf("server PIN %+v", got)
	}
}

// A database a kiosk poisoned before the server numbered versions (version 2^63-1 stored):
// the call centre's PIN no longer wraps round but takes RepairedPINVersion, kiosks cannot move
// the forged state, and after the call centre's PIN they go on from its version.
func TestPINForgedVersionRepaired(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	p, err := ts.db.Participant(ana)
	if err != nil {
		t.Fatal(err)
	}
	p.PIN = domain.PIN{Verifier: v, Failures: 5, LockedAt: generated, Version: math.MaxInt64}
	body, _ := json.Marshal(&p)
	if _, err := ts.db.sql.Exec(`UPDATE participants SET hash = ?, body = ? WHERE id = ?`, hashOf(body), body, ana); err != nil {
		t.Fatal(err)
	}
	res := pushAs(t, ts, ts.token, item("fv-1", domain.SendPINState,
		pinData(ana, domain.PIN{Verifier: v, Version: 1 << 40}, ptr(1<<40-1))))
	notTaken(t, "an unlock of a forged state", res)
	call, err := ts.db.IssuePIN(t.Context(), ana, v, "callcentre", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if call.Version != RepairedPINVersion {
		t.Fatalf("the call centre's PIN over a forged version has version %d, want %d", call.Version, int64(RepairedPINVersion))
	}
	res = pushAs(t, ts, ts.token, item("fv-2", domain.SendPINChange,
		pinData(ana, domain.PIN{Verifier: v, Version: call.Version + 1}, ptr(call.Version))))
	if res[0].Status != protocol.Applied {
		t.Fatalf("%+v", res[0])
	}
	if got := serverPIN(t, ts, ana); got.Version != call.Version+1 || got.Temporary {
		t.Fatalf("server PIN %+v", got)
	}
	again, err := ts.db.IssuePIN(t.Context(), ana, v, "callcentre", 24*time.Hour)
	if err != nil || again.Version != call.Version+2 {
		t.Fatalf("the next call-centre PIN: %+v %v", again, err)
	}
}

// A kiosk's queue of changes on one base stops at the call centre's PIN: the rest of it is
// superseded, though this kiosk made the state before.
func TestPINChainEndsAtCallCentre(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	pre := serverPIN(t, ts, ana)
	fail := func(id string, n int) protocol.Push {
		return item(id, domain.SendPINState, pinData(ana, domain.PIN{Verifier: v, Failures: n, Version: pre.Version + int64(n)}, ptr(pre.Version)))
	}
	if res := pushAs(t, ts, ts.token, fail("ce-1", 1)); res[0].Status != protocol.Applied {
		t.Fatalf("%+v", res[0])
	}
	call, err := ts.db.IssuePIN(t.Context(), ana, v, "callcentre", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	notTaken(t, "the rest of a queue after the call centre's PIN", pushAs(t, ts, ts.token, fail("ce-2", 2), fail("ce-3", 3)))
	if got := serverPIN(t, ts, ana); !samePIN(got, call) {
		t.Fatalf("server PIN %+v, want the call centre's", got)
	}
}
