package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/server"
	"childsupportkiosk/sync/syncstate"
)

// A sync whose server stops answering part-way returns, with its error, a Result that counts
// exactly what was applied: the changes and batches up to the checkpoint the cache holds, so
// that a caller can say what was done and where the next sync resumes.
func TestResultCountsWhatAFailedSyncApplied(t *testing.T) {
	w := newWorld(t, 20)
	var served atomic.Int32
	var once sync.Once
	var srv *httptest.Server
	h := server.Handler(w.db, nil)
	srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == protocol.PathChanges && served.Add(1) > 5 {
			once.Do(func() { srv.Listener.Close() }) // killed: no new connection is taken
			panic(http.ErrAbortHandler)
		}
		h.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	const limit = 200
	var last atomic.Int64
	opts := client.Options{BatchSize: limit, Attempts: 2, Backoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		Progress: func(p syncstate.Progress) { last.Store(int64(p.Done)) }}
	c, cl, _ := w.kiosk(t, srv.URL, opts)

	res, err := cl.Sync(context.Background())
	if !errors.Is(err, domain.ErrOffline) {
		t.Fatalf("sync: %v, want the server unreachable", err)
	}
	cursor, cerr := c.Cursor()
	if cerr != nil {
		t.Fatal(cerr)
	}
	if res.Batches == 0 || res.Cursor != cursor {
		t.Fatalf("result %+v, the cache's cursor %d", res, cursor)
	}
	// The feed up to that cursor, read as the kiosk read it.
	changes, batches := 0, 0
	for after := int64(0); after < cursor; {
		b, err := w.db.Changes(w.office, after, limit)
		if err != nil {
			t.Fatal(err)
		}
		changes += len(b.Changes)
		batches++
		after = b.To
	}
	if res.Pulled != changes || res.Batches != batches || int64(res.Pulled) != last.Load() {
		t.Fatalf("result: %d changes in %d batches (progress said %d); the feed up to cursor %d has %d in %d",
			res.Pulled, res.Batches, last.Load(), cursor, changes, batches)
	}
}
