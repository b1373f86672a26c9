package cache

import (
	"encoding/json"
	"testing"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// baseOf is the base of the outbox's item number i (from the oldest).
func baseOf(t *testing.T, c *Cache, i int) int64 {
	t.Helper()
	items, err := c.Outbox(100)
	if err != nil || len(items) <= i {
		t.Fatalf("outbox %d items (%v), want more than %d", len(items), err, i)
	}
	var u protocol.PINPush
	if err := json.Unmarshal(items[i].Data, &u); err != nil || u.Base == nil {
		t.Fatalf("item %d: %s (%v): no base", i, items[i].Data, err)
	}
	return *u.Base
}

// A PIN change goes up with the server's version it was made on: the version downloaded; for
// changes queued one after another, the first one's base, even when a download of a newer
// server state came in between; after the server took them, the version the server gave.
func TestPINChangeCarriesItsBase(t *testing.T) {
	c, _ := newCache(t)
	f := &feed{t: t}
	server := jose
	server.PIN.Version = 7
	f.put(protocol.KindParticipant, jose.ID, jose.ID, server)
	apply(t, c, f)

	pin := server.PIN
	for i := 1; i <= 2; i++ { // two wrong PINs before the next sync
		pin.Failures, pin.Version = i, pin.Version+1
		if err := c.SetPIN(jose.ID, pin, domain.SendPINState); err != nil {
			t.Fatal(err)
		}
	}
	if b0, b1 := baseOf(t, c, 0), baseOf(t, c, 1); b0 != 7 || b1 != 7 {
		t.Fatalf("bases %d and %d, want 7 for both", b0, b1)
	}
	// The call centre's PIN arrives while they wait: the next change, made on the kiosk's
	// state, still says 7, and the server supersedes all three.
	callCentre := server
	callCentre.PIN = domain.PIN{Verifier: "$argon2id$call", Temporary: true, Version: 8, IssuedBy: "callcentre"}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, callCentre)
	apply(t, c, f)
	pin.Failures, pin.Version = 3, pin.Version+1
	if err := c.SetPIN(jose.ID, pin, domain.SendPINState); err != nil {
		t.Fatal(err)
	}
	if b := baseOf(t, c, 2); b != 7 {
		t.Fatalf("base after a download meanwhile: %d, want 7", b)
	}
	items, _ := c.Outbox(10)
	var res []protocol.PushResult
	for _, it := range items {
		res = append(res, protocol.PushResult{ID: it.ID, Status: protocol.Superseded})
	}
	if err := c.Acknowledge(res); err != nil {
		t.Fatal(err)
	}
	if p, _ := c.FindParticipant(jose.ID); p.PIN != callCentre.PIN {
		t.Fatalf("after superseded the kiosk holds %+v, want the call centre's", p.PIN)
	}
	// The person chooses a PIN on the call centre's: base 8. The server takes it (as 9); until
	// the pull brings it back, the next change is made on 9.
	if err := c.UpdatePIN(jose.ID, domain.PIN{Verifier: "$argon2id$mine", Version: 9, IssuedBy: "kiosk:K1"}); err != nil {
		t.Fatal(err)
	}
	if b := baseOf(t, c, 0); b != 8 {
		t.Fatalf("base on the call centre's PIN: %d, want 8", b)
	}
	items, _ = c.Outbox(10)
	if err := c.Acknowledge([]protocol.PushResult{{ID: items[0].ID, Status: protocol.Applied}}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetPIN(jose.ID, domain.PIN{Verifier: "$argon2id$mine", Failures: 1, Version: 10, IssuedBy: "kiosk:K1"}, domain.SendPINState); err != nil {
		t.Fatal(err)
	}
	if b := baseOf(t, c, 0); b != 9 {
		t.Fatalf("base after the server took the change: %d, want 9", b)
	}
}

// An item queued before bases (its version one above the state it was made on) still gives
// the changes queued after it their base.
func TestPINBaseAfterAnOldItem(t *testing.T) {
	c, _ := newCache(t)
	f := &feed{t: t}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose) // version 1
	apply(t, c, f)
	old := jose.PIN
	old.Failures, old.Version = 1, 2
	legacy := func(int64) ([]byte, error) {
		return json.Marshal(domain.PINUpdate{Participant: jose.ID, PIN: old})
	}
	if err := c.setLocal(protocol.KindParticipant, jose.ID, jose.ID, "pin", old, domain.SendPINState, legacy); err != nil {
		t.Fatal(err)
	}
	next := old
	next.Failures, next.Version = 2, 3
	if err := c.SetPIN(jose.ID, next, domain.SendPINState); err != nil {
		t.Fatal(err)
	}
	if b := baseOf(t, c, 1); b != 1 {
		t.Fatalf("base after an old item: %d, want 1", b)
	}
}

// A staff account's failures go up with their base too.
func TestStaffStateCarriesItsBase(t *testing.T) {
	c, _ := newCache(t)
	f := &feed{t: t}
	s := domain.Staff{ID: "S1", Name: "Eva Ortíz", Office: "OFF1", Role: domain.FrontDesk,
		Password: domain.PIN{Verifier: jose.PIN.Verifier, Version: 4}}
	f.put(protocol.KindStaff, s.ID, domain.StaffOwner(s.ID), s)
	apply(t, c, f)
	pw := s.Password
	pw.Failures, pw.Version = 1, 5
	if err := c.SetStaffState(s.ID, pw); err != nil {
		t.Fatal(err)
	}
	items, _ := c.Outbox(10)
	var u protocol.StaffPush
	if err := json.Unmarshal(items[0].Data, &u); err != nil || u.Base == nil || *u.Base != 4 || u.Staff != "S1" || u.Password.Failures != 1 {
		t.Fatalf("staff item %s (%v)", items[0].Data, err)
	}
}
