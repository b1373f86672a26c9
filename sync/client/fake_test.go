package client_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// memStore is a Store in memory, enough to test the client's logic without the cache.
type memStore struct {
	mu      sync.Mutex
	enr     *syncstate.Enrolment
	cursor  int64
	records map[string]protocol.Change // by kind/id
	outbox  []protocol.Push
	local   map[string]bool // kind/id with an unsent local change
	status  syncstate.Status
	wiped   bool
	applied int // batches applied
}

func newMemStore() *memStore {
	return &memStore{records: map[string]protocol.Change{}, local: map[string]bool{}}
}

func (s *memStore) Enrolment() (syncstate.Enrolment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.enr == nil {
		return syncstate.Enrolment{}, domain.ErrNotEnrolled
	}
	return *s.enr, nil
}

func (s *memStore) SaveEnrolment(e syncstate.Enrolment) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.enr = &e
	return nil
}

func (s *memStore) Cursor() (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursor, nil
}

func (s *memStore) ApplyBatch(b *protocol.Batch, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b.From != s.cursor {
		return fmt.Errorf("batch from %d, cursor %d", b.From, s.cursor)
	}
	for _, c := range b.Changes {
		k := c.Kind + "/" + c.ID
		if s.local[k] {
			continue
		}
		if c.Deleted {
			delete(s.records, k)
		} else {
			c.Data = bytes.Clone(c.Data) // the client reuses b's memory
			s.records[k] = c
		}
	}
	s.cursor = b.To
	s.applied++
	return nil
}

func (s *memStore) Outbox(n int) ([]protocol.Push, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]protocol.Push(nil), s.outbox[:min(n, len(s.outbox))]...), nil
}

func (s *memStore) Acknowledge(results []protocol.PushResult) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	done := map[string]bool{}
	for _, r := range results {
		if r.Status != protocol.Failed {
			done[r.ID] = true
		}
	}
	var keep []protocol.Push
	for _, p := range s.outbox {
		if done[p.ID] {
			var u domain.PINUpdate
			if json.Unmarshal(p.Data, &u) == nil {
				delete(s.local, protocol.KindParticipant+"/"+u.Participant)
			}
			continue
		}
		keep = append(keep, p)
	}
	s.outbox = keep
	return nil
}

func (s *memStore) RecordSync(r syncstate.SyncRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status.LastAttempt = r.At
	s.status.LastError = r.Error
	if r.OK {
		s.status.LastSuccess = r.At
	}
	return nil
}

func (s *memStore) Status() (syncstate.Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.status
	st.Cursor = s.cursor
	st.PendingOutbox = len(s.outbox)
	return st, nil
}

func (s *memStore) Wipe() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.enr, s.cursor, s.outbox, s.status = nil, 0, nil, syncstate.Status{}
	s.records, s.local, s.wiped = map[string]protocol.Change{}, map[string]bool{}, true
	return nil
}

// fakeServer speaks the protocol from memory, with switches for the answers a test needs. It
// signs its answers as the case server does, with a key of its own.
type fakeServer struct {
	key      ed25519.PrivateKey
	mu       sync.Mutex
	feed     []protocol.Change
	code     string
	token    string
	revoked  bool
	pushed   map[string]int // times each push ID was applied
	pushes   int            // push requests answered
	failNext int            // answer this many next requests with 503
}

func newFakeServer(n int) *fakeServer {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	f := &fakeServer{key: key, code: "GOOD-CODE", token: "tok", pushed: map[string]int{}}
	for i := 1; i <= n; i++ {
		f.feed = append(f.feed, protocol.Change{Seq: int64(i) * 2, Kind: protocol.KindPayment,
			ID: "p" + strconv.Itoa(i), Owner: "o" + strconv.Itoa(i%7),
			Data: json.RawMessage(`{"amount":` + strconv.Itoa(i) + `}`)})
	}
	return f
}

// publicKey is the key the fake server signs with, as an enrolment answer gives it.
func (f *fakeServer) publicKey() protocol.ServerKey {
	return protocol.NewServerKey(f.key.Public().(ed25519.PublicKey), 0)
}

func fail(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(protocol.Error{Code: code, Message: code})
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failNext > 0 {
		f.failNext--
		fail(w, http.StatusServiceUnavailable, protocol.CodeInternal)
		return
	}
	if r.URL.Path == protocol.PathEnroll {
		var req protocol.EnrollRequest
		json.NewDecoder(r.Body).Decode(&req)
		if req.Code != f.code {
			fail(w, http.StatusForbidden, protocol.CodeBadCode)
			return
		}
		f.code = ""
		json.NewEncoder(w).Encode(protocol.EnrollResponse{Kiosk: "k1", Token: f.token,
			Office: "of1", Profile: "CA", Key: f.publicKey()})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		fail(w, http.StatusUnauthorized, protocol.CodeUnauthorized)
		return
	}
	if f.revoked {
		st := protocol.RevokedStatement("k1", "of1", r.Header.Get(protocol.HeaderNonce), nil)
		st.Time = time.Now().UnixMilli()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusGone)
		json.NewEncoder(w).Encode(protocol.Error{Code: protocol.CodeRevoked, Message: "revoked",
			Proof: st.Sign(f.key)})
		return
	}
	switch r.URL.Path {
	case protocol.PathChanges:
		after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		b := protocol.Batch{From: after, To: after}
		for _, c := range f.feed {
			if c.Seq <= after {
				continue
			}
			if len(b.Changes) == limit {
				b.More = true
				break
			}
			b.Changes = append(b.Changes, c)
			b.To = c.Seq
		}
		b.Seal()
		st := protocol.BatchStatement(&b, "k1", "of1", after, r.Header.Get(protocol.HeaderNonce), nil)
		st.Time = time.Now().UnixMilli()
		if n := len(f.feed); n > 0 {
			st.Head = f.feed[n-1].Seq
		}
		b.Proof = st.Sign(f.key)
		json.NewEncoder(w).Encode(b)
	case protocol.PathPush:
		f.pushes++
		var req protocol.PushRequest
		json.NewDecoder(r.Body).Decode(&req)
		var resp protocol.PushResponse
		for _, it := range req.Items {
			st := protocol.Applied
			switch {
			case f.pushed[it.ID] > 0:
				st = protocol.Duplicate
			case strings.HasPrefix(it.ID, "bad"):
				st = protocol.Rejected
			case strings.HasPrefix(it.ID, "later"):
				st = protocol.Failed
			default:
				f.pushed[it.ID]++
			}
			resp.Results = append(resp.Results, protocol.PushResult{ID: it.ID, Status: st})
		}
		ps := protocol.PushStatement(resp.Results, "k1", "of1", r.Header.Get(protocol.HeaderNonce), nil)
		ps.Time = time.Now().UnixMilli()
		resp.Proof = ps.Sign(f.key)
		json.NewEncoder(w).Encode(resp)
	default:
		http.NotFound(w, r)
	}
}
