package client_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// The tests in this file check the signatures themselves, through the hostile proxy of
// forge_test.go: unsigned answers, answers signed by a foreign key, answers made for another
// kiosk, a kiosk clock that is off, a kiosk enrolled before signed answers, and the server's
// rotation of its key across an overlap.

// rewrite decodes a feed answer, lets f change it, and encodes it again.
func rewrite(t *testing.T, body []byte, f func(b *protocol.Batch)) []byte {
	t.Helper()
	var b protocol.Batch
	if err := json.Unmarshal(body, &b); err != nil {
		t.Errorf("not a batch: %v", err)
		return body
	}
	f(&b)
	out, _ := json.Marshal(b)
	return out
}

// feedRule alters every feed answer with f.
func feedRule(t *testing.T, f func(r *http.Request, b *protocol.Batch)) func(*http.Request, int, []byte) (int, []byte) {
	return func(r *http.Request, status int, body []byte) (int, []byte) {
		if feedAfter(r) < 0 || status != http.StatusOK {
			return status, body
		}
		return status, rewrite(t, body, func(b *protocol.Batch) { f(r, b) })
	}
}

func TestUnsignedAndForeignAnswersAreRefused(t *testing.T) {
	w := newWorld(t, 30)
	m := newMITM(t, w.url)
	c, cl, _ := w.kiosk(t, m.URL, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	w.addPayments(t, 12)
	enr, _ := c.Enrolment()
	_, foreign, _ := ed25519.GenerateKey(rand.Reader)
	cases := []struct {
		name  string
		alter func(r *http.Request, b *protocol.Batch)
		want  error
	}{
		{"unsigned", func(r *http.Request, b *protocol.Batch) { b.Proof = nil }, client.ErrUnverified},
		{"signed by a foreign key", func(r *http.Request, b *protocol.Batch) {
			// A whole, valid signature of the right statement, by a key the kiosk never pinned.
			st := protocol.BatchStatement(b, enr.Kiosk, enr.Office, b.From, r.Header.Get(protocol.HeaderNonce), b.Proof)
			b.Proof = st.Sign(foreign)
		}, client.ErrUnknownKey},
		{"a foreign key under the pinned key's name", func(r *http.Request, b *protocol.Batch) {
			st := protocol.BatchStatement(b, enr.Kiosk, enr.Office, b.From, r.Header.Get(protocol.HeaderNonce), b.Proof)
			p := st.Sign(foreign)
			p.Key = enr.Key.ID
			b.Proof = p
		}, client.ErrUnverified},
		{"more changes than signed", func(r *http.Request, b *protocol.Batch) { b.More = !b.More }, client.ErrUnverified},
		{"an older head", func(r *http.Request, b *protocol.Batch) { b.Proof.Head = b.From }, client.ErrUnverified},
		{"another time", func(r *http.Request, b *protocol.Batch) { b.Proof.Time += 1000 }, client.ErrUnverified},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := w.snapshot(t, c)
			m.set(feedRule(t, tc.alter), nil)
			if _, err := cl.Sync(t.Context()); !errors.Is(err, tc.want) {
				t.Fatalf("sync: %v, want %v", err, tc.want)
			}
			before.same(t, w.snapshot(t, c), tc.name)
		})
	}
	m.set(nil, nil)
	if res, err := cl.Sync(t.Context()); err != nil || res.Pulled != 12 {
		t.Fatalf("honest sync: %+v %v", res, err)
	}
}

// An answer the server signed for one kiosk is no proof for another of the same office, at the
// same cursor: the statement names the kiosk and the request's nonce. The same holds for a real
// revocation of another kiosk.
func TestAnotherKiosksAnswerIsRefused(t *testing.T) {
	w := newWorld(t, 30)
	m := newMITM(t, w.url)
	a, clA, _ := w.kiosk(t, m.URL, fast())
	b, clB, _ := w.kiosk(t, m.URL, fast())
	for _, cl := range []*client.Client{clA, clB} {
		if _, err := cl.Sync(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	w.addPayments(t, 5)
	cursor, _ := a.Cursor()
	var mu sync.Mutex
	var keptBatch, keptGone []byte
	m.set(func(r *http.Request, status int, body []byte) (int, []byte) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case feedAfter(r) == cursor && status == http.StatusOK && keptBatch == nil:
			keptBatch = bytes.Clone(body)
		case status == http.StatusGone && keptGone == nil:
			keptGone = bytes.Clone(body)
		}
		return status, body
	}, nil)
	if _, err := clB.Sync(t.Context()); err != nil || keptBatch == nil {
		t.Fatalf("kiosk B: %v", err)
	}
	before := w.snapshot(t, a)
	m.set(nil, func(r *http.Request) (int, []byte, bool) {
		if feedAfter(r) == cursor {
			return http.StatusOK, keptBatch, true
		}
		return 0, nil, false
	})
	if _, err := clA.Sync(t.Context()); !errors.Is(err, client.ErrUnverified) {
		t.Fatalf("kiosk B's batch given to A: %v", err)
	}
	before.same(t, w.snapshot(t, a), "another kiosk's batch")

	// B is revoked; its real, signed 410 is handed to A.
	eb, _ := b.Enrolment()
	if err := w.db.Revoke(eb.Kiosk); err != nil {
		t.Fatal(err)
	}
	m.set(func(r *http.Request, status int, body []byte) (int, []byte) {
		mu.Lock()
		defer mu.Unlock()
		if status == http.StatusGone && keptGone == nil {
			keptGone = bytes.Clone(body)
		}
		return status, body
	}, nil)
	if _, err := clB.Sync(t.Context()); err == nil || keptGone == nil {
		t.Fatalf("revoked kiosk B: %v", err)
	}
	m.set(nil, func(r *http.Request) (int, []byte, bool) {
		if r.URL.Path == protocol.PathChanges || r.URL.Path == protocol.PathPush {
			return http.StatusGone, keptGone, true
		}
		return 0, nil, false
	})
	if _, err := clA.Sync(t.Context()); !errors.Is(err, client.ErrUnverifiedRevocation) {
		t.Fatalf("kiosk B's revocation given to A: %v", err)
	}
	before.same(t, w.snapshot(t, a), "another kiosk's revocation")
	m.set(nil, nil)
	if res, err := clA.Sync(t.Context()); err != nil || res.Pulled != 5 {
		t.Fatalf("honest sync of A: %+v %v", res, err)
	}
}

// A kiosk whose clock is further from the server's than protocol.MaxClockSkew takes nothing,
// and says why; within it, it syncs.
func TestClockSkewIsBounded(t *testing.T) {
	w := newWorld(t, 30)
	c, cl, _ := w.kiosk(t, w.url, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	w.addPayments(t, 3)
	for _, off := range []time.Duration{protocol.MaxClockSkew + time.Minute, -protocol.MaxClockSkew - time.Minute} {
		opts := fast()
		opts.Now = func() time.Time { return time.Now().Add(off) }
		skewed, _ := client.New(c, opts)
		before := w.snapshot(t, c)
		if _, err := skewed.Sync(t.Context()); !errors.Is(err, client.ErrClockSkew) {
			t.Fatalf("clock off by %v: %v", off, err)
		}
		before.same(t, w.snapshot(t, c), "a skewed clock")
	}
	opts := fast()
	opts.Now = func() time.Time { return time.Now().Add(protocol.MaxClockSkew - time.Minute) }
	near, _ := client.New(c, opts)
	if res, err := near.Sync(t.Context()); err != nil || res.Pulled != 3 {
		t.Fatalf("clock off by less than the allowance: %+v %v", res, err)
	}
}

// "Data as of" is the server's signed time of the answer that found the kiosk up to date.
func TestDataAsOfIsTheSignedTime(t *testing.T) {
	w := newWorld(t, 30)
	at := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	w.db.Now = func() time.Time { return at }
	c, cl, _ := w.kiosk(t, w.url, fast())
	res, err := cl.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if asOf, _ := c.DataAsOf(); !asOf.Equal(at) || !res.AsOf.Equal(at) {
		t.Fatalf("data as of %v (result %v), the server signed %v", asOf, res.AsOf, at)
	}
	at = at.Add(30 * time.Second)
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if asOf, _ := c.DataAsOf(); !asOf.Equal(at) {
		t.Fatalf("after a verified nothing-new, data as of %v, want %v", asOf, at)
	}
}

// A kiosk enrolled before the server signed its answers has no key to verify them with: it
// takes nothing from the feed and says it must be enrolled again.
func TestKioskWithoutPinnedKeyMustEnrolAgain(t *testing.T) {
	w := newWorld(t, 30)
	c, cl, _ := w.kiosk(t, w.url, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	enr, _ := c.Enrolment()
	enr.Key, enr.NextKey = protocol.ServerKey{}, protocol.ServerKey{}
	if err := c.SaveEnrolment(enr); err != nil {
		t.Fatal(err)
	}
	w.addPayments(t, 4)
	before := w.snapshot(t, c)
	if _, err := cl.Sync(t.Context()); !errors.Is(err, client.ErrNotPinned) {
		t.Fatalf("sync without a pinned key: %v", err)
	}
	before.same(t, w.snapshot(t, c), "a sync without a pinned key")
}

// The server rotates its signing key with an overlap: a kiosk that syncs during the overlap
// pins the next key from an announcement signed by the current one, and after the switch
// verifies under the new key only; a kiosk enrolled during the overlap gets both; a kiosk
// offline through the whole overlap refuses the new key's answers and must be enrolled again.
func TestSigningKeyRotationAcrossAnOverlap(t *testing.T) {
	w := newWorld(t, 30)
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	w.db.Now = clock
	opts := fast()
	opts.Now = clock
	a, clA, _ := w.kiosk(t, w.url, opts)
	b, clB, _ := w.kiosk(t, w.url, opts)
	for _, cl := range []*client.Client{clA, clB} {
		if _, err := cl.Sync(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	old, _ := a.Enrolment()
	next, err := w.db.RotateSigningKey(24 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.RotateSigningKey(24 * time.Hour); err == nil {
		t.Fatal("a second rotation during the overlap was taken")
	}

	// During the overlap: A syncs and pins the announced key; the old one still signs.
	w.addPayments(t, 3)
	if _, err := clA.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	ea, _ := a.Enrolment()
	if ea.Key != old.Key || ea.NextKey.ID != next.ID || ea.NextKey.From != next.From {
		t.Fatalf("A after a sync in the overlap: key %v next %v; announced %v", ea.Key, ea.NextKey, next.ServerKey)
	}
	if st, _ := a.Status(); st.NextKey.ID != next.ID {
		t.Fatalf("status does not show the next key: %+v", st.NextKey)
	}
	// C is enrolled during the overlap: it pins both at once.
	c, clC, _ := w.kiosk(t, w.url, opts)
	if ec, _ := c.Enrolment(); ec.Key != old.Key || ec.NextKey.ID != next.ID {
		t.Fatalf("C enrolled in the overlap: %+v", ec)
	}

	// After the switch the server signs with the new key.
	mu.Lock()
	now = now.Add(25 * time.Hour)
	mu.Unlock()
	w.changeAmounts(t, 5)
	for name, k := range map[string]struct {
		c interface {
			Enrolment() (syncstate.Enrolment, error)
		}
		cl *client.Client
	}{"A": {a, clA}, "C": {c, clC}} {
		if _, err := k.cl.Sync(t.Context()); err != nil {
			t.Fatalf("%s after the switch: %v", name, err)
		}
		e, _ := k.c.Enrolment()
		if e.Key.ID != next.ID || !e.NextKey.IsZero() {
			t.Fatalf("%s after the switch: key %v, next %v", name, e.Key, e.NextKey)
		}
	}
	if asOf, _ := a.DataAsOf(); !asOf.Equal(now.Truncate(time.Millisecond)) {
		t.Fatalf("A's data as of %v, the server's time %v", asOf, now)
	}

	// B slept through the overlap: the new key is unknown to it, and nothing is taken.
	before := w.snapshot(t, b)
	if _, err := clB.Sync(t.Context()); !errors.Is(err, client.ErrUnknownKey) {
		t.Fatalf("B after an overlap it missed: %v", err)
	}
	before.same(t, w.snapshot(t, b), "an answer under a key B never pinned")
	if st, _ := b.Status(); st.Key != old.Key || !bytes.Contains([]byte(st.LastError), []byte("sync.unknown_key")) {
		t.Fatalf("B's status: key %v, last error %q", st.Key, st.LastError)
	}
	keys, err := w.db.SigningKeys()
	if err != nil || len(keys) != 2 || keys[0].State != "retired" || keys[1].State != "current" {
		t.Fatalf("server keys %+v %v", keys, err)
	}
}

// A push answer is signed too: a forged "applied" would make the kiosk drop from its outbox
// what the server never took (a PIN change, the audit). Unproved, nothing is acknowledged; the
// next honest sync delivers the items once.
func TestForgedPushAnswerKeepsTheOutbox(t *testing.T) {
	w := newWorld(t, 30)
	m := newMITM(t, w.url)
	c, cl, _ := w.kiosk(t, m.URL, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := c.Send(domain.SendAudit, domain.AuditEvent{Action: "signin", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	m.set(nil, func(r *http.Request) (int, []byte, bool) {
		if r.URL.Path != protocol.PathPush {
			return 0, nil, false
		}
		var req protocol.PushRequest
		json.NewDecoder(r.Body).Decode(&req)
		var resp protocol.PushResponse
		for _, it := range req.Items {
			resp.Results = append(resp.Results, protocol.PushResult{ID: it.ID, Status: protocol.Applied})
		}
		body, _ := json.Marshal(resp)
		return http.StatusOK, body, true
	})
	_, err := cl.Sync(t.Context())
	if !errors.Is(err, client.ErrUnverified) {
		t.Fatalf("sync with a forged push answer: %v", err)
	}
	if n, _ := c.PendingOutbox(); n != 1 {
		t.Fatalf("%d items in the outbox after a forged answer, want 1", n)
	}
	enr, _ := c.Enrolment()
	if as, _ := w.db.AuditEvents(enr.Kiosk); len(as) != 0 {
		t.Fatalf("the server has %d events it never got", len(as))
	}
	m.set(nil, nil)
	if res, err := cl.Sync(t.Context()); err != nil || res.Pushed != 1 {
		t.Fatalf("honest sync: %+v %v", res, err)
	}
	if as, _ := w.db.AuditEvents(enr.Kiosk); len(as) != 1 {
		t.Fatalf("the server has %d events, want 1", len(as))
	}
}

// The sign-in counter hears a 410 too: a forged one is not a revocation (the kiosk goes by its
// own count), the server's own is.
func TestAttemptsTakeOnlyAProvedRevocation(t *testing.T) {
	w := newWorld(t, 30)
	m := newMITM(t, w.url)
	c, cl, _ := w.kiosk(t, m.URL, fast())
	gone := []byte(`{"error":"revoked","message":"this kiosk was revoked; wipe its data"}`)
	m.set(nil, func(r *http.Request) (int, []byte, bool) {
		if r.URL.Path == protocol.PathAttempts {
			return http.StatusGone, gone, true
		}
		return 0, nil, false
	})
	_, err := cl.Attempts(0).Try(t.Context(), "1234567890")
	if errors.Is(err, domain.ErrRevoked) || !errors.Is(err, client.ErrUnverifiedRevocation) {
		t.Fatalf("a forged 410 to the counter: %v", err)
	}
	m.set(nil, nil)
	enr, _ := c.Enrolment()
	if err := w.db.Revoke(enr.Kiosk); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Attempts(0).Try(t.Context(), "1234567890"); !errors.Is(err, domain.ErrRevoked) {
		t.Fatalf("the server's 410 to the counter: %v", err)
	}
}
