package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"childsupportkiosk/sync/protocol"
)

// enrolFrom posts an enrolment with code as if from the remote address from, straight to the
// handler, and returns the status.
func enrolFrom(t *testing.T, h http.Handler, from, code string) int {
	t.Helper()
	body, _ := json.Marshal(protocol.EnrollRequest{Code: code, Name: "lobby"})
	req := httptest.NewRequest(http.MethodPost, protocol.PathEnroll, bytes.NewReader(body))
	req.RemoteAddr = from
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// Issue #19: twenty wrong enrolment codes from one source used to make every enrolment answer
// 429 for a minute, a valid code included, from anywhere. Now a source that keeps guessing is
// slowed and told to wait, and only that source; a valid code enrols from any source.
func TestEnrolLimiterPerSource(t *testing.T) {
	db := openTest(t)
	mustImport(t, db, smallExport(t))
	a := newAPI(db, slog.New(slog.DiscardHandler))
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	a.limiter.now = func() time.Time { return now }
	a.limiter.penalty = time.Millisecond
	h := a.routes()
	code := func() string {
		c, err := db.NewEnrolmentCode("CA-LA", 0)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	const guesser = "192.0.2.10:40000"
	for i := range 25 {
		st := enrolFrom(t, h, guesser, "AAAA-BBBB-CCCC")
		want := http.StatusForbidden
		if i >= 20 {
			want = http.StatusTooManyRequests
		}
		if st != want {
			t.Fatalf("wrong code %d: %d, want %d", i+1, st, want)
		}
	}
	// The guesser's other port is the same source.
	if st := enrolFrom(t, h, "192.0.2.10:40001", "AAAA-BBBB-DDDD"); st != http.StatusTooManyRequests {
		t.Fatalf("the guesser from another port: %d", st)
	}
	// Another source is not held back, for a wrong code or a right one.
	if st := enrolFrom(t, h, "198.51.100.7:5000", "AAAA-BBBB-CCCC"); st != http.StatusForbidden {
		t.Fatalf("a wrong code from another source: %d, want 403", st)
	}
	if st := enrolFrom(t, h, "198.51.100.7:5000", code()); st != http.StatusOK {
		t.Fatalf("a valid code from another source: %d, want 200", st)
	}
	// A valid code enrols even from the source that guessed (a kiosk behind the same NAT).
	if st := enrolFrom(t, h, guesser, code()); st != http.StatusOK {
		t.Fatalf("a valid code from the guessing source: %d, want 200", st)
	}

	// IPv6: one /64 is one source.
	for range 20 {
		enrolFrom(t, h, "[2001:db8:1:2::1]:443", "AAAA-BBBB-CCCC")
	}
	if st := enrolFrom(t, h, "[2001:db8:1:2:ffff:ffff:ffff:ffff]:443", "AAAA-BBBB-CCCC"); st != http.StatusTooManyRequests {
		t.Fatalf("the same /64: %d, want 429", st)
	}
	if st := enrolFrom(t, h, "[2001:db8:1:3::1]:443", "AAAA-BBBB-CCCC"); st != http.StatusForbidden {
		t.Fatalf("the next /64: %d, want 403", st)
	}
	if st := enrolFrom(t, h, "[2001:db8:1:2::1]:443", code()); st != http.StatusOK {
		t.Fatalf("a valid code from the guessing /64: %d", st)
	}

	// A minute later the guesser is heard again.
	now = now.Add(61 * time.Second)
	if st := enrolFrom(t, h, guesser, "AAAA-BBBB-CCCC"); st != http.StatusForbidden {
		t.Fatalf("a minute later: %d, want 403", st)
	}
}

func TestEnrolSource(t *testing.T) {
	for _, c := range []struct{ remote, want string }{
		{"192.0.2.1:80", "192.0.2.1"},
		{"[::ffff:192.0.2.1]:80", "192.0.2.1"},
		{"[2001:db8:a:b:c:d:e:f]:443", "2001:db8:a:b::/64"},
		{"[fe80::1%eth0]:443", "fe80::/64"},
		{"not an address", "not an address"},
	} {
		if got := enrolSource(c.remote); got != c.want {
			t.Errorf("%q: %q, want %q", c.remote, got, c.want)
		}
	}
}
