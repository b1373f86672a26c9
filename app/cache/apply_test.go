package cache

import (
	"errors"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

func TestApplyOverwriteDelete(t *testing.T) {
	c, _ := newCache(t)
	f := &feed{t: t}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	f.put(protocol.KindPayment, "P1", jose.ID, domain.Payment{ID: "P1", Payer: jose.ID, Amount: 13015, Received: date("2025-01-02")})
	f.put(protocol.KindPayment, "P2", jose.ID, domain.Payment{ID: "P2", Payer: jose.ID, Amount: 5000, Received: date("2025-02-02")})
	apply(t, c, f)
	// Overwrite P1, delete P2, add P3 — and overwrite P3 again in the same batch.
	f.put(protocol.KindPayment, "P1", jose.ID, domain.Payment{ID: "P1", Payer: jose.ID, Amount: 13016, Received: date("2025-01-02")})
	f.del(protocol.KindPayment, "P2", jose.ID)
	f.put(protocol.KindPayment, "P3", jose.ID, domain.Payment{ID: "P3", Payer: jose.ID, Amount: 1, Received: date("2025-03-02")})
	f.put(protocol.KindPayment, "P3", jose.ID, domain.Payment{ID: "P3", Payer: jose.ID, Amount: 2, Received: date("2025-03-02")})
	f.del(protocol.KindPayment, "P9", jose.ID) // never seen: nothing to do
	apply(t, c, f)
	pays, err := c.PaymentsMade(jose.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pays) != 2 || pays[0].ID != "P3" || pays[0].Amount != 2 || pays[1].ID != "P1" || pays[1].Amount != 13016 {
		t.Fatalf("payments %+v", pays)
	}
	if cur, _ := c.Cursor(); cur != f.seq {
		t.Fatalf("cursor %d, want %d", cur, f.seq)
	}
	st, _ := c.Status()
	if st.Counts[protocol.KindPayment] != 2 || st.Counts[protocol.KindParticipant] != 1 {
		t.Fatalf("counts %v", st.Counts)
	}
	// The counts follow later batches.
	f.put(protocol.KindPayment, "P4", jose.ID, domain.Payment{ID: "P4", Payer: jose.ID, Amount: 3})
	apply(t, c, f)
	if st, _ := c.Status(); st.Counts[protocol.KindPayment] != 3 {
		t.Fatalf("counts after another batch %v", st.Counts)
	}
	// An empty batch moves the cursor on.
	b := &protocol.Batch{From: f.seq, To: f.seq + 10}
	if err := c.ApplyBatch(b, time.Now()); err != nil {
		t.Fatal(err)
	}
	if cur, _ := c.Cursor(); cur != f.seq+10 {
		t.Fatalf("cursor %d after an empty batch", cur)
	}
}

func TestCursorMismatchWritesNothing(t *testing.T) {
	c, _ := newCache(t)
	f := &feed{t: t}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	apply(t, c, f)
	f.put(protocol.KindParticipant, helene.ID, helene.ID, helene)
	for _, from := range []int64{0, 2, 5} {
		b := f.batch(from)
		b.To = max(b.To, from)
		err := c.ApplyBatch(b, time.Now())
		if !errors.Is(err, ErrCursorMismatch) {
			t.Fatalf("batch from %d: %v", from, err)
		}
		f.changes = b.Changes
	}
	if cur, _ := c.Cursor(); cur != 1 {
		t.Fatalf("cursor moved to %d", cur)
	}
	if _, err := c.FindParticipant(helene.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a refused batch was written: %v", err)
	}
	if err := c.ApplyBatch(&protocol.Batch{From: 1, To: 0}, time.Now()); err == nil {
		t.Fatal("a batch going back was taken")
	}
}

func TestFailedBatchLeavesNothing(t *testing.T) {
	c, _ := newCache(t)
	f := &feed{t: t}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	apply(t, c, f)
	// 3,000 good payments, then a participant whose body is not JSON, then more.
	for i := range 3000 {
		id := "Q" + itoa(i)
		f.put(protocol.KindPayment, id, jose.ID, domain.Payment{ID: id, Payer: jose.ID, Amount: 100})
	}
	f.seq++
	f.changes = append(f.changes, protocol.Change{Seq: f.seq, Kind: protocol.KindParticipant, ID: "X", Owner: "X", Data: []byte("{not json")})
	for i := range 500 {
		id := "R" + itoa(i)
		f.put(protocol.KindPayment, id, jose.ID, domain.Payment{ID: id, Payer: jose.ID, Amount: 100})
	}
	var steps []string
	ApplyHook = func(step string, n int) { steps = append(steps, step) }
	defer func() { ApplyHook = nil }()
	if err := c.ApplyBatch(f.batch(1), time.Now()); err == nil {
		t.Fatal("a batch with a broken participant was taken")
	}
	if len(steps) < 3 || steps[0] != "begin" || steps[len(steps)-1] != "rows" {
		t.Fatalf("hook steps %v", steps)
	}
	if cur, _ := c.Cursor(); cur != 1 {
		t.Fatalf("cursor moved to %d", cur)
	}
	if pays, err := c.PaymentsMade(jose.ID); err != nil || len(pays) != 0 {
		t.Fatalf("%d payments of a failed batch were kept (%v)", len(pays), err)
	}

	// A good batch calls every step.
	steps = nil
	f.put(protocol.KindPayment, "S1", jose.ID, domain.Payment{ID: "S1", Payer: jose.ID})
	if err := c.ApplyBatch(f.batch(1), time.Now()); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 || steps[0] != "begin" || steps[1] != "commit" || steps[2] != "committed" {
		t.Fatalf("hook steps %v", steps)
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

func TestLookupByPIDAndSSN(t *testing.T) {
	c, _ := newCache(t)
	f := &feed{t: t}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	f.put(protocol.KindParticipant, helene.ID, helene.ID, helene)
	apply(t, c, f)
	for login, want := range map[string]string{jose.ID: jose.Name, jose.SSN: jose.Name,
		helene.ID: helene.Name, helene.SSN: helene.Name, "123-45-6789": jose.Name} {
		p, err := c.FindParticipant(login)
		if err != nil || p.Name != want {
			t.Fatalf("FindParticipant(%q) = %q, %v", login, p.Name, err)
		}
	}
	if p, _ := c.FindParticipant(jose.ID); p.PIN != jose.PIN || p.BirthDate != jose.BirthDate {
		t.Fatalf("participant not whole: %+v", p)
	}
	for _, unknown := range []string{"", "abc", "1000000003", "123456780", jose.ID[:9]} {
		if _, err := c.FindParticipant(unknown); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("FindParticipant(%q): %v", unknown, err)
		}
	}

	// The SSN is corrected on the server: the old one finds no one.
	moved := jose
	moved.SSN = "555443333"
	f.put(protocol.KindParticipant, jose.ID, jose.ID, moved)
	apply(t, c, f)
	if _, err := c.FindParticipant(jose.SSN); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("old SSN still finds someone: %v", err)
	}
	if p, err := c.FindParticipant("555443333"); err != nil || p.ID != jose.ID {
		t.Fatalf("new SSN: %+v, %v", p, err)
	}
	if p, err := c.FindParticipant(jose.ID); err != nil || p.SSN != "555443333" {
		t.Fatalf("ID after the SSN change: %+v, %v", p, err)
	}

	// Deleted: neither ID nor SSN finds her, and her records go with the feed's deletions.
	f.del(protocol.KindParticipant, helene.ID, helene.ID)
	apply(t, c, f)
	for _, login := range []string{helene.ID, helene.SSN} {
		if _, err := c.FindParticipant(login); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("deleted participant found by %q: %v", login, err)
		}
	}
	var n int
	c.r.QueryRow(`SELECT count(*) FROM lookup`).Scan(&n)
	if n != 2 {
		t.Fatalf("%d look-up rows, want 2", n)
	}
}

func TestLocalMarkProtectsRecord(t *testing.T) {
	c, _ := newCache(t)
	f := &feed{t: t}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	apply(t, c, f)

	newPIN := domain.PIN{Verifier: "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaG5ld2hhc2huZXc", Version: 2, IssuedBy: "kiosk:K1"}
	if err := c.UpdatePIN(jose.ID, newPIN); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdatePIN("404", newPIN); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("UpdatePIN of an unknown participant: %v", err)
	}
	p, _ := c.FindParticipant(jose.ID)
	if p.PIN != newPIN || p.Name != jose.Name {
		t.Fatalf("after UpdatePIN: %+v", p)
	}
	items, err := c.Outbox(10)
	if err != nil || len(items) != 1 || items[0].Kind != domain.SendPINChange {
		t.Fatalf("outbox %+v, %v", items, err)
	}

	// A download of the participant (the server has not seen the change yet) does not undo it,
	// nor does a deletion.
	stale := jose
	stale.Name = "José Núñez García"
	f.put(protocol.KindParticipant, jose.ID, jose.ID, stale)
	apply(t, c, f)
	if p, _ := c.FindParticipant(jose.ID); p.PIN != newPIN || p.Name != jose.Name {
		t.Fatalf("a download overwrote a local change: %+v", p)
	}
	// A failed push keeps it.
	if err := c.Acknowledge([]protocol.PushResult{{ID: items[0].ID, Status: protocol.Failed}}); err != nil {
		t.Fatal(err)
	}
	if left, _ := c.Outbox(10); len(left) != 1 {
		t.Fatal("a failed push left the outbox")
	}
	// Applied: the mark goes, the local state stays until the server's comes down.
	if err := c.Acknowledge([]protocol.PushResult{{ID: items[0].ID, Status: protocol.Applied}}); err != nil {
		t.Fatal(err)
	}
	if left, _ := c.Outbox(10); len(left) != 0 {
		t.Fatal("an applied push stayed in the outbox")
	}
	if p, _ := c.FindParticipant(jose.ID); p.PIN != newPIN {
		t.Fatalf("acknowledge lost the local state: %+v", p)
	}
	server := stale
	server.PIN = newPIN
	f.put(protocol.KindParticipant, jose.ID, jose.ID, server)
	apply(t, c, f)
	if p, _ := c.FindParticipant(jose.ID); p.Name != server.Name {
		t.Fatalf("after acknowledge a download was refused: %+v", p)
	}
}

func TestSupersededRestoresServerState(t *testing.T) {
	c, _ := newCache(t)
	f := &feed{t: t}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	apply(t, c, f)
	mine := domain.PIN{Verifier: "$argon2id$mine", Version: 2}
	if err := c.UpdatePIN(jose.ID, mine); err != nil {
		t.Fatal(err)
	}
	// Meanwhile the call centre issued a temporary PIN and the SSN was corrected.
	theirs := jose
	theirs.SSN = "111223333"
	theirs.PIN = domain.PIN{Verifier: "$argon2id$theirs", Version: 3, Temporary: true}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, theirs)
	apply(t, c, f)
	if p, _ := c.FindParticipant(jose.SSN); p.PIN != mine {
		t.Fatalf("local change lost: %+v", p)
	}
	items, _ := c.Outbox(10)
	if err := c.Acknowledge([]protocol.PushResult{{ID: items[0].ID, Status: protocol.Superseded}}); err != nil {
		t.Fatal(err)
	}
	p, err := c.FindParticipant("111223333")
	if err != nil || p.PIN != theirs.PIN {
		t.Fatalf("superseded change not replaced by the server's: %+v, %v", p, err)
	}
	if _, err := c.FindParticipant(jose.SSN); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("old SSN after restore: %v", err)
	}

	// Rejected with nothing downloaded meanwhile: back to the state before the change.
	if err := c.UpdatePIN(jose.ID, mine); err != nil {
		t.Fatal(err)
	}
	items, _ = c.Outbox(10)
	c.Acknowledge([]protocol.PushResult{{ID: items[0].ID, Status: protocol.Rejected}})
	if p, _ := c.FindParticipant(jose.ID); p.PIN != theirs.PIN {
		t.Fatalf("rejected change kept: %+v", p)
	}

	// Deleted on the server while the change was pending, then superseded: gone.
	c.UpdatePIN(jose.ID, mine)
	f.del(protocol.KindParticipant, jose.ID, jose.ID)
	apply(t, c, f)
	if _, err := c.FindParticipant(jose.ID); err != nil {
		t.Fatalf("a deletion removed a record with a local change: %v", err)
	}
	items, _ = c.Outbox(10)
	c.Acknowledge([]protocol.PushResult{{ID: items[0].ID, Status: protocol.Superseded}})
	if _, err := c.FindParticipant(jose.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("deleted participant still found: %v", err)
	}
}

func TestOutboxOrderAndAcknowledge(t *testing.T) {
	c, _ := newCache(t)
	f := &feed{t: t}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	apply(t, c, f)
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	c.Send(domain.SendAudit, domain.AuditEvent{At: at, Kiosk: "K1", Action: "signin", Subject: c.AuditSubject(jose.ID)})
	c.Send(domain.SendPINRequest, domain.PINRequest{Participant: jose.ID, At: at})
	c.UpdatePIN(jose.ID, domain.PIN{Verifier: "$argon2id$x", Version: 2})
	c.Send(domain.SendMessage, domain.Message{Participant: jose.ID, Subject: "Hola", Body: "¿Cuándo?"})
	if err := c.Send("", nil); err == nil {
		t.Fatal("an item without a kind was queued")
	}
	items, err := c.Outbox(10)
	if err != nil || len(items) != 4 {
		t.Fatalf("outbox %d items, %v", len(items), err)
	}
	kinds := []string{domain.SendAudit, domain.SendPINRequest, domain.SendPINChange, domain.SendMessage}
	ids := map[string]bool{}
	for i, it := range items {
		if it.Kind != kinds[i] || (i > 0 && it.Seq <= items[i-1].Seq) || len(it.ID) != 32 || ids[it.ID] {
			t.Fatalf("item %d: %+v", i, it)
		}
		ids[it.ID] = true
	}
	var u domain.PINUpdate
	if err := jsonUnmarshal(items[2].Data, &u); err != nil || u.Participant != jose.ID || u.PIN.Version != 2 {
		t.Fatalf("PIN change item %s", items[2].Data)
	}
	if first, _ := c.Outbox(2); len(first) != 2 || first[1].ID != items[1].ID {
		t.Fatal("Outbox(2) is not the two oldest")
	}
	// The server takes 1 and 3, fails 2; 4 is not answered.
	err = c.Acknowledge([]protocol.PushResult{{ID: items[0].ID, Status: protocol.Applied},
		{ID: items[1].ID, Status: protocol.Failed}, {ID: items[2].ID, Status: protocol.Duplicate},
		{ID: "unknown", Status: protocol.Applied}})
	if err != nil {
		t.Fatal(err)
	}
	left, _ := c.Outbox(10)
	if len(left) != 2 || left[0].ID != items[1].ID || left[1].ID != items[3].ID || left[0].Seq != items[1].Seq {
		t.Fatalf("left %+v", left)
	}
	// Sequence numbers keep rising after items are dropped.
	c.Send(domain.SendAudit, domain.AuditEvent{Action: "signout"})
	c.Acknowledge([]protocol.PushResult{{ID: left[0].ID, Status: protocol.Rejected}, {ID: left[1].ID, Status: protocol.Applied}})
	last, _ := c.Outbox(10)
	if len(last) != 1 || last[0].Seq <= items[3].Seq {
		t.Fatalf("after more acks %+v", last)
	}
	var local int
	c.r.QueryRow(`SELECT count(*) FROM records WHERE local <> 0`).Scan(&local)
	if local != 0 {
		t.Fatalf("%d local marks left after every item was acknowledged", local)
	}
}
