package client_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// fast are options for tests: tiny pauses between retries.
func fast() client.Options {
	return client.Options{Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		RequestTimeout: 10 * time.Second, Attempts: 4}
}

func enrolled(t *testing.T, f *fakeServer, opts client.Options) (*memStore, *client.Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	st := newMemStore()
	if _, err := client.Enroll(t.Context(), st, srv.URL, " GOOD-CODE ", opts); err != nil {
		t.Fatalf("enrol: %v", err)
	}
	c, err := client.New(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return st, c, srv
}

func TestEnrollAnswers(t *testing.T) {
	f := newFakeServer(0)
	st, _, srv := enrolled(t, f, fast())
	if e, _ := st.Enrolment(); e.Kiosk != "k1" || e.Token != "tok" || e.Office != "of1" || e.Server != srv.URL {
		t.Fatalf("saved enrolment %+v", e)
	}
	if _, err := client.Enroll(t.Context(), st, srv.URL, "GOOD-CODE", fast()); !errors.Is(err, client.ErrAlreadyEnrolled) {
		t.Fatalf("second enrolment: %v", err)
	}
	other := newMemStore()
	if _, err := client.Enroll(t.Context(), other, srv.URL, "GOOD-CODE", fast()); !errors.Is(err, domain.ErrEnrolmentCode) {
		t.Fatalf("used code: %v", err)
	}
	if _, err := other.Enrolment(); !errors.Is(err, domain.ErrNotEnrolled) {
		t.Fatalf("a refused enrolment saved something: %v", err)
	}
	if _, err := client.Enroll(t.Context(), other, deadURL(t), "X", fast()); !errors.Is(err, domain.ErrOffline) {
		t.Fatalf("server down: %v", err)
	}
	if _, err := client.Enroll(t.Context(), other, "http://cases.example:8080", "X", fast()); err == nil ||
		!strings.Contains(err.Error(), "https") {
		t.Fatalf("plain http to another host: %v", err)
	}
}

// deadURL is a loopback address where nothing listens.
func deadURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestSyncPipelineAndProgress(t *testing.T) {
	f := newFakeServer(1003)
	opts := fast()
	opts.BatchSize = 100
	ch := make(chan syncstate.Progress, 1) // nobody reads: the sync must not block
	opts.Progress = client.Notify(ch)
	st, c, _ := enrolled(t, f, opts)
	res, err := c.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Pulled != 1003 || res.Batches != 11 || res.Cursor != 2006 || len(st.records) != 1003 || st.cursor != 2006 {
		t.Fatalf("result %+v, store %d records at %d", res, len(st.records), st.cursor)
	}
	if p := <-ch; p.Phase != syncstate.PhasePull || p.Cursor != 2006 || p.More || p.Done != 1003 {
		t.Fatalf("last progress %+v", p)
	}
	if s, _ := st.Status(); s.LastSuccess.IsZero() || s.LastError != "" {
		t.Fatalf("status %+v", s)
	}
	res, err = c.Sync(t.Context())
	if err != nil || res.Pulled != 0 || res.Batches != 0 || st.applied != 11 {
		t.Fatalf("re-sync: %+v %v, %d applied", res, err, st.applied)
	}
}

func TestSyncRetriesServerErrors(t *testing.T) {
	f := newFakeServer(10)
	st, c, _ := enrolled(t, f, fast())
	f.failNext = 3 // fewer than the attempts
	if _, err := c.Sync(t.Context()); err != nil || st.cursor != 20 {
		t.Fatalf("sync after 503s: %v, cursor %d", err, st.cursor)
	}
	f.failNext = 10
	_, err := c.Sync(t.Context())
	var se *client.ServerError
	if !errors.As(err, &se) || se.Status != 503 {
		t.Fatalf("sync against a failing server: %v", err)
	}
	if s, _ := st.Status(); s.LastError == "" || !strings.Contains(s.LastError, "503") {
		t.Fatalf("status after failure %+v", s)
	}
}

func TestSyncPushesInOrderOnce(t *testing.T) {
	f := newFakeServer(5)
	st, c, _ := enrolled(t, f, fast())
	for i := range protocol.MaxPushItems + 20 {
		st.outbox = append(st.outbox, protocol.Push{ID: fmt.Sprintf("a%04d", i), Seq: int64(i + 1),
			Kind: domain.SendAudit, Data: []byte(`{}`)})
	}
	st.outbox = append(st.outbox, protocol.Push{ID: "bad1", Seq: 9000, Kind: domain.SendAudit, Data: []byte(`{}`)},
		protocol.Push{ID: "later1", Seq: 9001, Kind: domain.SendAudit, Data: []byte(`{}`)},
		protocol.Push{ID: "z", Seq: 9002, Kind: domain.SendAudit, Data: []byte(`{}`)})
	res, err := c.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed != protocol.MaxPushItems+22 || res.Rejected != 1 || res.PushFailed != 1 || f.pushes != 2 {
		t.Fatalf("result %+v after %d pushes", res, f.pushes)
	}
	if len(st.outbox) != 1 || st.outbox[0].ID != "later1" || f.pushed["z"] != 1 {
		t.Fatalf("outbox left %v", st.outbox)
	}
	if res.Pulled != 5 {
		t.Fatalf("a failed item stopped the pull: %+v", res)
	}
}

func TestSyncRevokedWipes(t *testing.T) {
	f := newFakeServer(5)
	st, c, _ := enrolled(t, f, fast())
	if _, err := c.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.revoked = true
	if _, err := c.Sync(t.Context()); !errors.Is(err, domain.ErrRevoked) {
		t.Fatalf("sync of a revoked kiosk: %v", err)
	}
	if !st.wiped || len(st.records) != 0 {
		t.Fatal("not wiped")
	}
	if _, err := c.Sync(t.Context()); !errors.Is(err, domain.ErrNotEnrolled) {
		t.Fatalf("sync after the wipe: %v", err)
	}
}

func TestSyncUnauthorizedAndOffline(t *testing.T) {
	f := newFakeServer(5)
	st, c, srv := enrolled(t, f, fast())
	f.token = "other"
	if _, err := c.Sync(t.Context()); !errors.Is(err, client.ErrUnauthorized) {
		t.Fatalf("unknown token: %v", err)
	}
	srv.Close()
	if _, err := c.Sync(t.Context()); !errors.Is(err, domain.ErrOffline) {
		t.Fatalf("server down: %v", err)
	}
	if st.cursor != 0 || len(st.records) != 0 {
		t.Fatal("a failed sync changed the store")
	}
	if s, _ := st.Status(); !strings.Contains(s.LastError, "unreachable") {
		t.Fatalf("status %+v", s)
	}
}

func TestSyncCancelled(t *testing.T) {
	f := newFakeServer(50)
	f.failNext = 1000
	opts := fast()
	opts.Backoff, opts.MaxBackoff, opts.Attempts = time.Second, time.Second, 100
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	st := newMemStore()
	srv := httptest.NewServer(f)
	defer srv.Close()
	st.enr = &syncstate.Enrolment{Server: srv.URL, Token: "tok", Key: f.publicKey()}
	c, _ := client.New(st, opts)
	start := time.Now()
	if _, err := c.Sync(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled sync: %v", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Fatalf("cancellation took %v", d)
	}
}

func TestRunSyncsUntilRevoked(t *testing.T) {
	f := newFakeServer(5)
	st, c, _ := enrolled(t, f, fast())
	runs := 0
	err := c.Run(t.Context(), 5*time.Millisecond, func(res syncstate.Result, err error) {
		runs++
		if runs == 3 {
			f.mu.Lock()
			f.revoked = true
			f.mu.Unlock()
		}
	})
	if !errors.Is(err, domain.ErrRevoked) || runs != 4 || !st.wiped {
		t.Fatalf("Run ended with %v after %d syncs", err, runs)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	_, c2, _ := enrolled(t, newFakeServer(1), fast())
	if err := c2.Run(ctx, time.Millisecond, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run after its context ended: %v", err)
	}
}

// countingStore is a memStore that counts its outbox apart and its status calls.
type countingStore struct {
	*memStore
	statusCalls int
}

func (s *countingStore) PendingOutbox() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.outbox), nil
}

func (s *countingStore) Status() (syncstate.Status, error) {
	s.mu.Lock()
	s.statusCalls++
	s.mu.Unlock()
	return s.memStore.Status()
}

// A store that counts its outbox apart is not asked for its whole status by a sync (the cache's
// counts the records of each kind), and the push's progress still has the outbox's size.
func TestPushCountsTheOutboxOnly(t *testing.T) {
	f := newFakeServer(10)
	opts := fast()
	var last syncstate.Progress
	opts.Progress = func(p syncstate.Progress) {
		if p.Phase == syncstate.PhasePush {
			last = p
		}
	}
	st, _, _ := enrolled(t, f, opts)
	for i := range 3 {
		st.outbox = append(st.outbox, protocol.Push{ID: fmt.Sprintf("c%d", i), Seq: int64(i + 1),
			Kind: domain.SendAudit, Data: []byte(`{}`)})
	}
	cs := &countingStore{memStore: st}
	c, err := client.New(cs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if cs.statusCalls != 0 {
		t.Fatalf("the sync read the whole status %d times", cs.statusCalls)
	}
	if last.Done != 3 || last.Total != 3 || len(st.outbox) != 0 {
		t.Fatalf("push progress %+v, %d left", last, len(st.outbox))
	}
}
