package client_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// The tests in this file put a hostile network between a kiosk and the real case server: an
// HTTP proxy on loopback that can change, forge and replay the server's answers, as a
// TLS-terminating proxy, a mis-issued certificate or a compromised load balancer could. Each
// of the four findings (a forged amount with its checksum recomputed, a forged 410, a replayed
// "nothing new", an old batch replayed) is reproduced here, and each must change nothing in
// the cache: not a row, not the cursor, not "data as of".

// mitm is the proxy. alter, when set, sees every answer the server gave and returns the one
// the kiosk gets; forge, when set, may answer a request itself without asking the server.
type mitm struct {
	*httptest.Server
	target string
	mu     sync.Mutex
	alter  func(r *http.Request, status int, body []byte) (int, []byte)
	forge  func(r *http.Request) (status int, body []byte, ok bool)
}

func newMITM(t *testing.T, target string) *mitm {
	m := &mitm{target: target}
	m.Server = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(m.Server.Close)
	return m
}

func (m *mitm) set(alter func(*http.Request, int, []byte) (int, []byte), forge func(*http.Request) (int, []byte, bool)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.alter, m.forge = alter, forge
}

func (m *mitm) serve(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	alter, forge := m.alter, m.forge
	m.mu.Unlock()
	if forge != nil {
		if status, body, ok := forge(r); ok {
			if status == 0 {
				panic(http.ErrAbortHandler)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write(body)
			return
		}
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, m.target+r.URL.RequestURI(), r.Body)
	if err != nil {
		panic(err)
	}
	req.Header = r.Header.Clone()
	req.Header.Del("Accept-Encoding") // the proxy reads and rewrites the JSON itself
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	status := resp.StatusCode
	if alter != nil {
		status, body = alter(r, status, body)
		if status == 0 { // the proxy keeps the answer and drops the connection
			panic(http.ErrAbortHandler)
		}
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.Header().Del(protocol.HeaderNext) // the hint would let the kiosk ask ahead of the proxy
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// feedAfter is the cursor of a feed request, or -1 for any other request.
func feedAfter(r *http.Request) int64 {
	if r.URL.Path != protocol.PathChanges {
		return -1
	}
	n, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// snapshot is what a test compares before and after a forged answer: every readable record,
// the counts and the cursor (the world's fingerprint), and "data as of".
type snapshot struct {
	print string
	asOf  time.Time
}

func (w *world) snapshot(t *testing.T, c *cache.Cache) snapshot {
	t.Helper()
	asOf, err := c.DataAsOf()
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{w.fingerprint(t, c), asOf}
}

func (s snapshot) same(t *testing.T, after snapshot, what string) {
	t.Helper()
	if s.print != after.print {
		t.Errorf("%s changed the cache's records or cursor", what)
	}
	if !s.asOf.Equal(after.asOf) {
		t.Errorf("%s moved data as of from %v to %v", what, s.asOf, after.asOf)
	}
}

// refused checks that a sync failed with the problem code (said in its message); the test goes
// on to compare the cache.
func refused(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), code) {
		t.Errorf("want a refusal with %s, got %v", code, err)
	}
}

// forgeAmount changes the amount of the first payment in a batch and recomputes the checksum,
// which anyone on the way can do.
func forgeAmount(t *testing.T, body []byte) ([]byte, bool) {
	var b protocol.Batch
	if err := json.Unmarshal(body, &b); err != nil {
		return body, false
	}
	for i, c := range b.Changes {
		if c.Kind != protocol.KindPayment || c.Deleted {
			continue
		}
		var p map[string]any
		if err := json.Unmarshal(c.Data, &p); err != nil {
			t.Error(err)
			return body, false
		}
		p["amount"] = 987654321
		b.Changes[i].Data, _ = json.Marshal(p)
		b.Checksum = protocol.Checksum(b.From, b.To, b.Changes)
		out, _ := json.Marshal(b)
		return out, true
	}
	return body, false
}

// Finding 1: a batch with a forged amount and a recomputed checksum was applied, and stayed
// wrong after later honest syncs.
func TestForgedAmountWithRecomputedChecksumIsRefused(t *testing.T) {
	w := newWorld(t, 40)
	m := newMITM(t, w.url)
	c, cl, _ := w.kiosk(t, m.URL, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	w.addPayments(t, 30)
	clean := w.cleanFingerprint(t, fast())
	before := w.snapshot(t, c)
	forged := 0
	m.set(func(r *http.Request, status int, body []byte) (int, []byte) {
		if feedAfter(r) < 0 || status != http.StatusOK {
			return status, body
		}
		out, ok := forgeAmount(t, body)
		if ok {
			forged++
		}
		return status, out
	}, nil)
	_, err := cl.Sync(t.Context())
	if forged == 0 {
		t.Fatal("the proxy found no payment to forge")
	}
	refused(t, err, "sync.unverified")
	before.same(t, w.snapshot(t, c), "a forged amount")
	// Honest again: the kiosk syncs as if nothing had happened.
	m.set(nil, nil)
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if w.fingerprint(t, c) != clean {
		t.Fatal("after an honest sync the cache differs from a clean kiosk's")
	}
}

// Finding 2: a forged HTTP 410 made the kiosk wipe itself. Now it is a failed sync, reported,
// and the cache stays whole.
func TestForgedRevocationDoesNotWipe(t *testing.T) {
	w := newWorld(t, 40)
	m := newMITM(t, w.url)
	c, cl, dir := w.kiosk(t, m.URL, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	before := w.snapshot(t, c)
	filesBefore := files(t, dir)
	gone := []byte(`{"error":"revoked","message":"this kiosk was revoked; wipe its data"}`)
	m.set(nil, func(r *http.Request) (int, []byte, bool) {
		if r.URL.Path == protocol.PathChanges || r.URL.Path == protocol.PathPush {
			return http.StatusGone, gone, true
		}
		return 0, nil, false
	})
	_, err := cl.Sync(t.Context())
	if errors.Is(err, domain.ErrRevoked) {
		t.Error("a forged 410 was taken for a revocation")
	}
	refused(t, err, "sync.unverified_revocation")
	if got := files(t, dir); strings.Join(got, " ") != strings.Join(filesBefore, " ") {
		t.Fatalf("files %v after a forged 410, %v before", got, filesBefore)
	}
	before.same(t, w.snapshot(t, c), "a forged 410")
	if st, _ := c.Status(); !strings.Contains(st.LastError, "sync.unverified_revocation") {
		t.Fatalf("the forged 410 is not reported: last error %q", st.LastError)
	}
}

// Finding 3: a replayed "nothing new" was taken as success, and "data as of" moved forward
// while rows stayed stale.
func TestReplayedNothingNewIsRefused(t *testing.T) {
	w := newWorld(t, 40)
	m := newMITM(t, w.url)
	c, cl, _ := w.kiosk(t, m.URL, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	cursor, _ := c.Cursor()
	// The proxy keeps the server's "nothing new" at the kiosk's cursor.
	var kept []byte
	m.set(func(r *http.Request, status int, body []byte) (int, []byte) {
		if feedAfter(r) == cursor && status == http.StatusOK && kept == nil {
			kept = bytes.Clone(body)
		}
		return status, body
	}, nil)
	if _, err := cl.Sync(t.Context()); err != nil || kept == nil {
		t.Fatalf("second sync: %v (kept %d bytes)", err, len(kept))
	}
	// The agency's next export adds payments; the proxy answers the kiosk with the old
	// "nothing new" at its cursor.
	w.addPayments(t, 96)
	before := w.snapshot(t, c)
	replayAt(m, cursor, kept)
	_, err := cl.Sync(t.Context())
	refused(t, err, "sync.unverified")
	before.same(t, w.snapshot(t, c), "a replayed nothing-new")
	m.set(nil, nil)
	res, err := cl.Sync(t.Context())
	if err != nil || res.Pulled != 96 {
		t.Fatalf("honest sync after the replay: %+v, %v", res, err)
	}
	if asOf, _ := c.DataAsOf(); !asOf.After(before.asOf) {
		t.Fatalf("data as of %v did not move forward after an honest sync (was %v)", asOf, before.asOf)
	}
}

// Finding 4: an old batch, kept by the proxy and replayed to a later request from the same
// cursor, was applied: the kiosk took stale data for the feed's end.
func TestReplayedOldBatchIsRefused(t *testing.T) {
	w := newWorld(t, 40)
	m := newMITM(t, w.url)
	c, cl, _ := w.kiosk(t, m.URL, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	cursor, _ := c.Cursor()
	w.addPayments(t, 10)
	// The proxy keeps the server's batch of the 10 new payments and drops the connection:
	// the kiosk's sync fails and its cursor stays.
	var kept []byte
	m.set(func(r *http.Request, status int, body []byte) (int, []byte) {
		if feedAfter(r) == cursor && status == http.StatusOK {
			if kept == nil {
				kept = bytes.Clone(body)
			}
			return 0, nil // and every retry's answer too
		}
		return status, body
	}, nil)
	if _, err := cl.Sync(t.Context()); err == nil || kept == nil {
		t.Fatalf("the proxy kept nothing: %v", err)
	}
	if !bytes.Contains(kept, []byte(`"payment"`)) {
		t.Fatal("the kept batch holds no payments")
	}
	// Amounts changed since; the proxy replays the old batch to the kiosk's next request.
	w.changeAmounts(t, 20)
	before := w.snapshot(t, c)
	replayAt(m, cursor, kept)
	_, err := cl.Sync(t.Context())
	refused(t, err, "sync.unverified")
	before.same(t, w.snapshot(t, c), "an old batch replayed")
}

// replayAt makes the proxy answer every feed request from cursor with the answer it kept.
func replayAt(m *mitm, cursor int64, kept []byte) {
	m.set(nil, func(r *http.Request) (int, []byte, bool) {
		if feedAfter(r) == cursor {
			return http.StatusOK, kept, true
		}
		return 0, nil, false
	})
}

// changeAmounts imports the agency's next export with the first n payments' amounts raised by
// a cent: n changes at the end of the feed.
func (w *world) changeAmounts(t testing.TB, n int) {
	t.Helper()
	for i := range n {
		w.export.Payments[i].Amount++
		w.export.Payments[i].Allocation.Fees++
	}
	if _, err := w.db.Import(t.Context(), w.export); err != nil {
		t.Fatal(err)
	}
}
