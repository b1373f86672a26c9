package server

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"childsupportkiosk/sync/protocol"
)

// getBatch asks for the batch after cursor and checks it as the kiosk does.
func (ts *testServer) getBatch(t *testing.T, after int64, limit int) protocol.Batch {
	t.Helper()
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s%s?after=%d&limit=%d", ts.url, protocol.PathChanges, after, limit), nil)
	req.Header.Set("Authorization", "Bearer "+ts.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("changes: %v %v", err, resp)
	}
	defer resp.Body.Close()
	b, err := protocol.DecodeBatch(resp.Body, after)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readAhead waits for the batch the server reads ahead for the test kiosk and returns the
// cursor it starts at; it fails when there is none.
func (ts *testServer) readAhead(t *testing.T) int64 {
	t.Helper()
	ts.api.ahead.mu.Lock()
	x := ts.api.ahead.m[ts.kiosk]
	ts.api.ahead.mu.Unlock()
	if x == nil {
		t.Fatal("nothing read ahead")
	}
	select {
	case <-x.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the read ahead did not end")
	}
	return x.after
}

// applied is what a kiosk holds after applying changes in order: each record's last state.
func applied(changes []protocol.Change) map[string]string {
	m := map[string]string{}
	for _, c := range changes {
		key := c.Kind + "\x00" + c.ID
		if c.Deleted {
			delete(m, key)
		} else {
			m[key] = c.Owner + "\x00" + string(c.Data)
		}
	}
	return m
}

// A kiosk that catches up gets the batch the server read while it took the last one; an import
// in between does not make it miss or keep anything: what the import changed comes again later
// in the feed.
func TestReadAhead(t *testing.T) {
	ts := newTestServer(t)
	const limit = 5
	first := ts.getBatch(t, 0, limit)
	if !first.More {
		t.Fatal("the small export fits one batch of 5")
	}
	if at := ts.readAhead(t); at != first.To {
		t.Fatalf("read ahead from %d, the kiosk is at %d", at, first.To)
	}
	before, err := ts.db.Changes("CA-LA", first.To, limit)
	if err != nil {
		t.Fatal(err)
	}

	// Every person and every payment changes before the kiosk asks again.
	e := smallExport(t)
	for i := range e.Participants {
		e.Participants[i].Name += " Jr."
	}
	for i := range e.Payments {
		e.Payments[i].Amount++
		e.Payments[i].Allocation.Current++
	}
	mustImport(t, ts.db, e)
	after, err := ts.db.Changes("CA-LA", first.To, limit)
	if err != nil {
		t.Fatal(err)
	}
	if after.Checksum == before.Checksum {
		t.Fatal("the import did not change the next batch: the test shows nothing")
	}

	second := ts.getBatch(t, first.To, limit)
	if second.Checksum != before.Checksum {
		t.Fatal("the second batch is not the one read ahead")
	}
	got := append(first.Changes, second.Changes...)
	for cursor, more := second.To, second.More; more; {
		b := ts.getBatch(t, cursor, limit)
		got = append(got, b.Changes...)
		cursor, more = b.To, b.More
	}
	want := applied(feed(t, ts.db, "CA-LA", 0))
	have := applied(got)
	if len(have) != len(want) {
		t.Fatalf("the kiosk holds %d records, the office has %d", len(have), len(want))
	}
	for k, v := range want {
		if have[k] != v {
			t.Fatalf("record %q: the kiosk holds %q, the office has %q", k, have[k], v)
		}
	}

	// Asked for a batch of another size, the server reads it afresh.
	ts.getBatch(t, 0, limit)
	ts.readAhead(t)
	other := ts.getBatch(t, first.To, limit+1)
	if fresh, _ := ts.db.Changes("CA-LA", first.To, limit+1); other.Checksum != fresh.Checksum || len(other.Changes) != limit+1 {
		t.Fatal("a request that does not match the batch read ahead got something else than its own")
	}
	ts.checkLog(t)
}

// The server reads ahead for a few kiosks at once, one batch each, and forgets a batch its
// kiosk did not come back for.
func TestReadAheadIsBounded(t *testing.T) {
	db := openTest(t)
	mustImport(t, db, smallExport(t))
	var s aheads
	for i := range aheadKiosks + 3 {
		s.start(db, fmt.Sprint("K", i), "CA-LA", 0, 5)
	}
	s.start(db, "K0", "CA-LA", 5, 5) // a kiosk has one batch read ahead at most
	if len(s.m) != aheadKiosks {
		t.Fatalf("%d kiosks served ahead, at most %d", len(s.m), aheadKiosks)
	}
	if x := s.take("K0", "CA-LA", 5, 5); x == nil {
		t.Fatal("K0's second batch was not read ahead")
	} else {
		<-x.done
		x.buf.release()
	}
	if s.take("K1", "CA-LA", 5, 5) != nil || s.m["K1"] != nil {
		t.Fatal("a batch the kiosk did not ask for was served or kept")
	}
	// Kept a short while, the batches go when their kiosks stay away.
	defer func(keep time.Duration) { aheadKeep = keep }(aheadKeep)
	aheadKeep = 20 * time.Millisecond
	before := len(s.m)
	s.start(db, "K9", "CA-LA", 0, 5)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		s.mu.Lock()
		n, k9 := len(s.m), s.m["K9"]
		s.mu.Unlock()
		if k9 == nil && n == before {
			break // K9's went; the others, started before with a minute, wait
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d batches kept, K9's among them: %v", n, k9 != nil)
		}
	}
}
