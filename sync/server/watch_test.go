package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"childsupportkiosk/sync/protocol"
)

// longPoll asks for the feed after cursor with a wait and returns the batch and how long the
// answer took.
func (ts *testServer) longPoll(t *testing.T, after int64, wait int) (protocol.Batch, time.Duration) {
	t.Helper()
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s%s?after=%d&wait=%d", ts.url, protocol.PathChanges, after, wait), nil)
	req.Header.Set("Authorization", "Bearer "+ts.token)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	took := time.Since(start)
	if resp.StatusCode != 200 {
		t.Fatalf("long poll: %d %s", resp.StatusCode, data)
	}
	var b protocol.Batch
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	if b.Proof == nil {
		t.Fatal("a long poll's answer is not signed")
	}
	return b, took
}

// A kiosk that is up to date is held until its office's feed moves: a PIN the call centre
// issues from another process (a second handle on the database, as caseserver issue-pin is)
// ends the wait within moments, with the change in the answer; a change in another office
// does not; with nothing new the answer is empty when the time is up; a wait out of range is
// refused.
func TestLongPoll(t *testing.T) {
	ts := newTestServer(t)
	var path string
	var seq int
	var name string
	if err := ts.db.sql.QueryRow(`PRAGMA database_list`).Scan(&seq, &name, &path); err != nil {
		t.Fatal(err)
	}
	other, err := Open(path) // the call centre's process
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	for _, bad := range []string{"31", "-1", "x", "1.5"} {
		var e protocol.Error
		if st := ts.call(t, "GET", protocol.PathChanges+"?after=0&wait="+bad, ts.token, nil, &e); st != 400 || e.Code != protocol.CodeBadRequest {
			t.Errorf("wait=%s: %d %+v", bad, st, e)
		}
	}

	// Behind: answered at once, wait or not.
	all, took := ts.longPoll(t, 0, 10)
	if len(all.Changes) == 0 || took > 5*time.Second {
		t.Fatalf("a kiosk behind waited %v for %d changes", took, len(all.Changes))
	}
	head := all.To
	for all.More {
		b, _ := ts.longPoll(t, head, 10)
		head = b.To
		all.More = b.More
	}

	// Nothing new: empty when the time is up.
	b, took := ts.longPoll(t, head, 1)
	if len(b.Changes) != 0 || b.To != head || took < 900*time.Millisecond {
		t.Fatalf("nothing new: %d changes to %d after %v", len(b.Changes), b.To, took)
	}
	if b.Proof.Head != head {
		t.Fatalf("the signed head %d, the kiosk's cursor %d", b.Proof.Head, head)
	}

	// Another office's change does not wake this one's kiosk.
	laBefore, _ := ts.db.head(t.Context(), "CA-LA")
	go func() {
		time.Sleep(300 * time.Millisecond)
		if _, err := other.IssuePIN(t.Context(), dario, testVerifier(t), "callcentre", time.Hour); err != nil {
			t.Error(err)
		}
	}()
	b, took = ts.longPoll(t, head, 2)
	if laAfter, _ := ts.db.head(t.Context(), "CA-LA"); laAfter != laBefore {
		t.Fatalf("a PIN of the other office moved this office's feed (%d to %d): pick another person", laBefore, laAfter)
	}
	if len(b.Changes) != 0 || took < 1900*time.Millisecond {
		t.Fatalf("another office's change: %d changes after %v", len(b.Changes), took)
	}

	// The call centre's PIN, written by the other process, ends the wait.
	issued := make(chan time.Time, 1)
	go func() {
		time.Sleep(500 * time.Millisecond)
		issued <- time.Now()
		if _, err := other.IssuePIN(t.Context(), ana, testVerifier(t), "callcentre", time.Hour); err != nil {
			t.Error(err)
		}
	}()
	b, took = ts.longPoll(t, head, protocol.MaxWait)
	after := time.Since(<-issued)
	var got bool
	for _, c := range b.Changes {
		got = got || (c.Kind == protocol.KindParticipant && c.ID == ana)
	}
	if !got || b.To <= head {
		t.Fatalf("woken with %d changes to %d, none of them the PIN", len(b.Changes), b.To)
	}
	// Well inside the 30 s asked for; the watcher looks every watchEvery.
	if after > 10*time.Second {
		t.Fatalf("the change took %v to end the wait", after)
	}
	t.Logf("woken %v after the call centre's PIN (held %v in all)", after.Round(time.Millisecond), took.Round(time.Millisecond))

	// Closing the database ends what waits at once, rather than at the end of its time.
	done := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		ts.db.waitForChange(t.Context(), "CA-LA", b.To, time.Minute)
		done <- time.Since(start)
	}()
	time.Sleep(200 * time.Millisecond)
	ts.db.EndWaits()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a wait outlived the database's closing")
	}
}
