package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/server"
)

// codingServer serves the world's database with the request's Accept-Encoding replaced by
// accept (deleted when empty), as a server that knows fewer codings would answer, and notes
// each feed answer's Content-Encoding. With damage set, it alters one byte of each encoded feed
// answer in the middle.
type codingServer struct {
	accept string
	damage bool
	mu     sync.Mutex
	seen   []string
}

func (s *codingServer) handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != protocol.PathChanges {
			h.ServeHTTP(w, r)
			return
		}
		if s.accept == "" {
			r.Header.Del("Accept-Encoding")
		} else {
			r.Header.Set("Accept-Encoding", s.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		coding := rec.Header().Get("Content-Encoding")
		s.mu.Lock()
		s.seen = append(s.seen, coding)
		s.mu.Unlock()
		body := rec.Body.Bytes()
		if s.damage && coding != "" && rec.Code == 200 {
			body[len(body)/2] ^= 0x55
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

func (s *codingServer) codings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Compact(slices.Clone(s.seen))
}

// The kiosk asks for zstd and gzip and undoes either; a server that knows neither sends the
// feed plain. The kiosk's data is the same each way.
func TestFeedCodings(t *testing.T) {
	w := newWorld(t, 40)
	opts := client.Options{BatchSize: 500}
	want := w.cleanFingerprint(t, opts)
	for _, c := range []struct{ accept, coding string }{
		{"zstd, gzip", "zstd"}, // as the kiosk asks: this server
		{"gzip", "gzip"},       // a server without zstd
		{"", ""},               // a server without compression
	} {
		t.Run(c.coding, func(t *testing.T) {
			cs := &codingServer{accept: c.accept}
			srv := httptest.NewServer(cs.handler(server.Handler(w.db, nil)))
			defer srv.Close()
			cache, cl, _ := w.kiosk(t, srv.URL, opts)
			res, err := cl.Sync(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if res.Batches < 2 {
				t.Fatalf("%d batches: the test shows little", res.Batches)
			}
			if got := cs.codings(); !slices.Equal(got, []string{c.coding}) {
				t.Fatalf("the feed came as %q, want %q", got, c.coding)
			}
			if got := w.fingerprint(t, cache); got != want {
				t.Fatal("the kiosk's data differs from a clean sync's")
			}
		})
	}
}

// A compressed answer damaged on the way is refused whole, in either coding: nothing is applied
// and the sync fails with the reason.
func TestDamagedCodingAppliesNothing(t *testing.T) {
	w := newWorld(t, 20)
	for _, accept := range []string{"zstd", "gzip"} {
		t.Run(accept, func(t *testing.T) {
			cs := &codingServer{accept: accept, damage: true}
			srv := httptest.NewServer(cs.handler(server.Handler(w.db, nil)))
			defer srv.Close()
			opts := client.Options{BatchSize: 200, Attempts: 2, Backoff: time.Millisecond}
			cache, cl, _ := w.kiosk(t, srv.URL, opts)
			_, err := cl.Sync(context.Background())
			if err == nil {
				t.Fatal("a damaged feed synced")
			}
			if cur, _ := cache.Cursor(); cur != 0 {
				t.Fatalf("cursor %d after a damaged feed", cur)
			}
			if !errors.Is(err, protocol.ErrBadBatch) {
				t.Fatalf("the sync failed with %v, not as a damaged batch", err)
			}
			t.Log(err)
		})
	}
}
