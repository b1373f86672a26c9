package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"childsupportkiosk/sync/protocol"
)

// get sends a feed request with a nonce and decodes the batch or the error body.
func (ts *testServer) get(t *testing.T, after int64, nonce string) (int, protocol.Batch, protocol.Error) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.url+protocol.PathChanges+"?after="+strconv.FormatInt(after, 10), nil)
	req.Header.Set("Authorization", "Bearer "+ts.token)
	req.Header.Set(protocol.HeaderNonce, nonce)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b protocol.Batch
	var e protocol.Error
	if resp.StatusCode == http.StatusOK {
		b, err = protocol.DecodeBatch(resp.Body, after)
	} else {
		err = json.NewDecoder(resp.Body).Decode(&e)
	}
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, e
}

// Every batch, "nothing new" included, and every revocation carries a proof that verifies
// under the key the enrolment answer gave, for this kiosk, its office, the cursor asked and the
// request's nonce, with the server's time and the office feed's head.
func TestAnswersAreSigned(t *testing.T) {
	ts := newTestServer(t)
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	ts.db.Now = func() time.Time { return at }
	key, next, err := ts.db.ServerKeys()
	if err != nil || next != nil {
		t.Fatalf("keys %v %v %v", key, next, err)
	}
	pub, err := key.Key()
	if err != nil {
		t.Fatal(err)
	}
	head, _ := ts.db.head(t.Context(), "CA-LA")
	if head == 0 {
		t.Fatal("no head")
	}
	check := func(b protocol.Batch, after int64, nonce string) {
		t.Helper()
		if b.Proof == nil || b.Proof.Key != key.ID || b.Proof.Head != head || !b.Proof.At().Equal(at) {
			t.Fatalf("proof %+v (head %d)", b.Proof, head)
		}
		st := protocol.BatchStatement(&b, ts.kiosk, "CA-LA", after, nonce, b.Proof)
		if err := st.Verify(pub, b.Proof.Sig); err != nil {
			t.Fatalf("batch after %d: %v", after, err)
		}
		other := protocol.BatchStatement(&b, ts.kiosk, "CA-LA", after, nonce+"x", b.Proof)
		if other.Verify(pub, b.Proof.Sig) == nil {
			t.Fatal("the proof verifies for another nonce")
		}
	}
	status, b, _ := ts.get(t, 0, "first")
	if status != 200 || b.To != head || b.More {
		t.Fatalf("feed: %d to %d more %v", status, b.To, b.More)
	}
	check(b, 0, "first")
	status, empty, _ := ts.get(t, head, "second")
	if status != 200 || len(empty.Changes) != 0 {
		t.Fatalf("nothing new: %d %+v", status, empty)
	}
	check(empty, head, "second")

	if err := ts.db.Revoke(ts.kiosk); err != nil {
		t.Fatal(err)
	}
	status, _, gone := ts.get(t, head, "third")
	if status != http.StatusGone || gone.Code != protocol.CodeRevoked || gone.Proof == nil {
		t.Fatalf("revoked: %d %+v", status, gone)
	}
	st := protocol.RevokedStatement(ts.kiosk, "CA-LA", "third", gone.Proof)
	if err := st.Verify(pub, gone.Proof.Sig); err != nil {
		t.Fatalf("revocation: %v", err)
	}
}

// The keys live in the database: a second server process on the same file signs with the same
// key, sees a rotation made by the first within signerTTL, and switches at the same moment.
// The retired key's private half is erased once the next is in force.
func TestSigningKeysAreTheDatabases(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cases.db")
	one, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	two, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()
	k1, _, _ := one.ServerKeys()
	k2, _, _ := two.ServerKeys()
	if k1 != k2 {
		t.Fatalf("two processes, two keys: %v %v", k1, k2)
	}
	now := time.Now()
	clock := func() time.Time { return now }
	one.Now, two.Now = clock, clock
	next, err := one.RotateSigningKey(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := one.RotateSigningKey(time.Hour); !errors.Is(err, ErrRotating) {
		t.Fatalf("second rotation: %v", err)
	}
	now = now.Add(signerTTL + time.Second)
	_, n2, _ := two.ServerKeys()
	if n2 == nil || n2.ID != next.ID || n2.From != next.From {
		t.Fatalf("the other process does not announce the rotation: %v", n2)
	}
	now = now.Add(time.Hour)
	c1, n1, _ := one.ServerKeys()
	c2, _, _ := two.ServerKeys()
	if c1.ID != next.ID || c2.ID != next.ID || n1 != nil {
		t.Fatalf("after the overlap: %v %v %v", c1, c2, n1)
	}
	var private int
	one.sql.QueryRow(`SELECT COUNT(*) FROM signing_keys WHERE private IS NOT NULL`).Scan(&private)
	if private != 1 {
		t.Fatalf("%d private keys kept after the switch", private)
	}
	keys, _ := one.SigningKeys()
	if len(keys) != 2 || keys[0].State != KeyRetired || keys[1].State != KeyCurrent || keys[0].ID != k1.ID {
		t.Fatalf("keys %+v", keys)
	}
}
