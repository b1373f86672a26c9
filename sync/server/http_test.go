package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"github.com/klauspost/compress/zstd"

	"childsupportkiosk/sync/protocol"
)

func TestEnrolment(t *testing.T) {
	db := openTest(t)
	mustImport(t, db, smallExport(t))
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }

	if _, err := db.NewEnrolmentCode("CA-XX", 0); !errors.Is(err, ErrUnknownOffice) || !strings.Contains(err.Error(), `"CA-XX"`) {
		t.Fatalf("unknown office: %v", err)
	}
	code, err := db.NewEnrolmentCode("CA-LA", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 14 || code[4] != '-' || code[9] != '-' || strings.ContainsAny(code, "01ILOU") {
		t.Fatalf("code %q is not XXXX-XXXX-XXXX of the unambiguous alphabet", code)
	}
	var stored int
	db.sql.QueryRow(`SELECT COUNT(*) FROM enrolment_codes WHERE hash = ?`, []byte(code)).Scan(&stored)
	if stored != 0 {
		t.Fatal("code stored in clear")
	}
	if _, err := db.Enroll("ABCD-EFGH-JKMN", "lobby 1"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("wrong code: %v", err)
	}
	// Typed in lower case without dashes, it still works.
	resp, err := db.Enroll(strings.ToLower(strings.ReplaceAll(code, "-", " ")), "lobby 1")
	if err != nil {
		t.Fatal(err)
	}
	if resp.Office != "CA-LA" || resp.Profile != "CA" || resp.Kiosk == "" || len(resp.Token) < 40 {
		t.Fatalf("enrolment %+v", resp)
	}
	if _, err := db.Enroll(code, "lobby 2"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("reused code: %v", err)
	}
	k, err := db.Authenticate(resp.Token)
	if err != nil || k.ID != resp.Kiosk || k.Office != "CA-LA" {
		t.Fatalf("authenticate: %+v %v", k, err)
	}
	var tokens int
	db.sql.QueryRow(`SELECT COUNT(*) FROM kiosks WHERE token_hash = ?`, []byte(resp.Token)).Scan(&tokens)
	if tokens != 0 {
		t.Fatal("token stored in clear")
	}

	short, _ := db.NewEnrolmentCode("CA-LA", time.Hour)
	now = now.Add(time.Hour)
	if _, err := db.Enroll(short, "lobby 3"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("expired code: %v", err)
	}
	long, _ := db.NewEnrolmentCode("CA-SD", 0)
	now = now.Add(23 * time.Hour)
	if r, err := db.Enroll(long, "lobby 4"); err != nil || r.Office != "CA-SD" {
		t.Fatalf("code within its day: %+v %v", r, err)
	}

	if err := db.Revoke("kiosk-nope"); !errors.Is(err, ErrUnknownKiosk) {
		t.Fatalf("revoke unknown: %v", err)
	}
	if err := db.Revoke(resp.Kiosk); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(resp.Token); !errors.Is(err, ErrRevoked) {
		t.Fatalf("revoked kiosk authenticates: %v", err)
	}
}

// testServer is a case server on loopback with the small export and one enrolled kiosk of
// CA-LA; its log is kept to look for PII.
type testServer struct {
	db    *DB
	url   string
	token string
	kiosk string
	log   *bytes.Buffer
	mu    *sync.Mutex
	api   *api
}

type lockedBuffer struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (l lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func newTestServer(t *testing.T) *testServer {
	db := openTest(t)
	mustImport(t, db, smallExport(t))
	ts := &testServer{db: db, log: &bytes.Buffer{}, mu: &sync.Mutex{}}
	logger := slog.New(slog.NewTextHandler(lockedBuffer{ts.mu, ts.log}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts.api = newAPI(db, logger)
	srv := httptest.NewServer(ts.api.routes())
	t.Cleanup(srv.Close)
	ts.url = srv.URL
	code, err := db.NewEnrolmentCode("CA-LA", 0)
	if err != nil {
		t.Fatal(err)
	}
	var resp protocol.EnrollResponse
	if st := ts.call(t, "POST", protocol.PathEnroll, "", protocol.EnrollRequest{Code: code, Name: "lobby"}, &resp); st != 200 {
		t.Fatalf("enroll: %d", st)
	}
	ts.token, ts.kiosk = resp.Token, resp.Kiosk
	return ts
}

// call makes one request; body is marshalled unless it is a string; out receives a 2xx body or
// the protocol.Error of another.
func (ts *testServer) call(t *testing.T, method, path, token string, body, out any) int {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, ts.url+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		var e protocol.Error
		if err := json.Unmarshal(data, &e); err != nil || e.Code == "" {
			t.Fatalf("%s %s: %d with a body that is not a protocol.Error: %s", method, path, resp.StatusCode, data)
		}
		if pe, ok := out.(*protocol.Error); ok {
			*pe = e
		}
		return resp.StatusCode
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
	return resp.StatusCode
}

func (ts *testServer) push(t *testing.T, items ...protocol.Push) []protocol.PushResult {
	t.Helper()
	var resp protocol.PushResponse
	if st := ts.call(t, "POST", protocol.PathPush, ts.token, protocol.PushRequest{Items: items}, &resp); st != 200 {
		t.Fatalf("push: %d", st)
	}
	if len(resp.Results) != len(items) {
		t.Fatalf("%d results for %d items", len(resp.Results), len(items))
	}
	return resp.Results
}

func item(id, kind string, data any) protocol.Push {
	j, _ := json.Marshal(data)
	return protocol.Push{ID: id, Kind: kind, Data: j}
}

func TestHTTPSync(t *testing.T) {
	ts := newTestServer(t)

	resp, err := http.Get(ts.url + protocol.PathHealth)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", err, resp)
	}
	resp.Body.Close()

	// A whole sync in pages, each batch decoded and checked as the kiosk does.
	var cursor int64
	var got []protocol.Change
	for {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s%s?after=%d&limit=5", ts.url, protocol.PathChanges, cursor), nil)
		req.Header.Set("Authorization", "Bearer "+ts.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("changes: %v %v", err, resp.Status)
		}
		b, err := protocol.DecodeBatch(resp.Body, cursor)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, b.Changes...)
		cursor = b.To
		if !b.More {
			break
		}
	}
	if want := feed(t, ts.db, "CA-LA", 0); len(got) != len(want) || len(got) < 15 {
		t.Fatalf("synced %d changes, feed has %d", len(got), len(want))
	}

	var e protocol.Error
	for _, c := range []struct {
		method, path, token string
		body                any
		status              int
		code                string
	}{
		{"GET", protocol.PathChanges, "", nil, 401, protocol.CodeUnauthorized},
		{"GET", protocol.PathChanges, "not-a-token", nil, 401, protocol.CodeUnauthorized},
		{"GET", protocol.PathChanges + "?after=-1", ts.token, nil, 400, protocol.CodeBadRequest},
		{"GET", protocol.PathChanges + "?after=x", ts.token, nil, 400, protocol.CodeBadRequest},
		{"POST", protocol.PathChanges, ts.token, nil, 405, protocol.CodeBadRequest},
		{"GET", protocol.PathPush, ts.token, nil, 405, protocol.CodeBadRequest},
		{"DELETE", protocol.PathEnroll, "", nil, 405, protocol.CodeBadRequest},
		{"POST", protocol.PathPush, ts.token, `{"items":[`, 400, protocol.CodeBadRequest},
		{"POST", protocol.PathPush, ts.token, `{"items":[],"extra":1}`, 400, protocol.CodeBadRequest},
		{"POST", protocol.PathPush, ts.token, `{"items":[` + strings.Repeat(`{"id":"x","kind":"audit","data":{}},`, protocol.MaxPushItems) + `{"id":"y","kind":"audit","data":{}}]}`, 400, protocol.CodeBadRequest},
		{"POST", protocol.PathPush, ts.token, `{"items":"` + strings.Repeat("x", protocol.MaxPushBytes) + `"}`, 413, protocol.CodeBadRequest},
		{"POST", protocol.PathEnroll, "", protocol.EnrollRequest{Code: "AAAA-BBBB-CCCC"}, 403, protocol.CodeBadCode},
		{"POST", protocol.PathEnroll, "", protocol.EnrollRequest{Code: "AAAA-BBBB-CCCC", Name: "lobby\x00"}, 400, protocol.CodeBadRequest},
		{"GET", "/v1/participants/" + ana, ts.token, nil, 404, protocol.CodeBadRequest},
	} {
		if st := ts.call(t, c.method, c.path, c.token, c.body, &e); st != c.status || e.Code != c.code {
			t.Errorf("%s %s: %d %q, want %d %q", c.method, c.path, st, e.Code, c.status, c.code)
		}
	}

	// Revoked: every call with the token answers 410 "revoked".
	if err := ts.db.Revoke(ts.kiosk); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, path string }{{"GET", protocol.PathChanges}, {"POST", protocol.PathPush}} {
		e = protocol.Error{}
		if st := ts.call(t, c.method, c.path, ts.token, `{"items":[]}`, &e); st != http.StatusGone || e.Code != protocol.CodeRevoked {
			t.Errorf("%s after revoke: %d %q", c.path, st, e.Code)
		}
	}
	ts.checkLog(t)
}

// checkLog fails when the server's log carries any personal data of the small export.
func (ts *testServer) checkLog(t *testing.T) {
	t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	log := ts.log.String()
	e := smallExport(t)
	var pii []string
	for _, p := range e.Participants {
		pii = append(pii, p.ID, p.SSN, p.Name)
		pii = append(pii, strings.Fields(p.Name)...)
	}
	for _, k := range e.Cases {
		pii = append(pii, k.Number, k.CourtOrder)
	}
	pii = append(pii, "23077", "150000", "Bearer", ts.token)
	if x := containsAny(log, pii...); x != "" {
		t.Fatalf("the log carries %q:\n%s", x, log)
	}
	if !strings.Contains(log, ts.kiosk) {
		t.Fatalf("the log does not name the kiosk:\n%s", log)
	}
}

func TestPushAppliedOnce(t *testing.T) {
	ts := newTestServer(t)
	cursor := lastSeq(t, ts.db)
	v := testVerifier(t)

	change := item("out-1", domain.SendPINChange, domain.PINUpdate{Participant: ana,
		PIN: domain.PIN{Verifier: v, Version: 2, IssuedBy: "kiosk:" + ts.kiosk}})
	msg := item("out-2", domain.SendMessage, domain.Message{ID: "K-M-1", Participant: ana, Case: "C-1",
		Sent: generated, Subject: "Question", Body: "When is my next payment disbursed?"})
	req := item("out-3", domain.SendPINRequest, domain.PINRequest{Participant: ana, At: generated})
	contact := item("out-4", domain.SendContactChange, domain.ContactChange{Participant: bruno, Field: "phone", Value: "(213) 555-0199", At: generated})
	other := item("out-5", domain.SendOtherPartyInfo, domain.OtherPartyInfo{Participant: ana, Case: "C-1", Employer: "Acme Trucking", At: generated})
	audit := item("out-6", domain.SendAudit, domain.AuditEvent{At: generated, Kiosk: ts.kiosk, Action: "signin", Subject: "90412377a1c05f6b2e8d4f3a9c7b1e06"})

	res := ts.push(t, change, msg, req, contact, other, audit)
	for _, r := range res {
		if r.Status != protocol.Applied {
			t.Fatalf("first push: %+v", res)
		}
	}
	seq := lastSeq(t, ts.db)
	// The retry (a lost answer) applies nothing again.
	res = ts.push(t, change, msg, req, contact, other, audit)
	for _, r := range res {
		if r.Status != protocol.Duplicate {
			t.Fatalf("retried push: %+v", res)
		}
	}
	if lastSeq(t, ts.db) != seq {
		t.Fatal("a duplicate moved the feed")
	}
	if p, _ := ts.db.Participant(ana); p.PIN.Version != 2 || p.PIN.Verifier != v {
		t.Fatalf("PIN not applied: %+v", p.PIN)
	}
	got := latest(feed(t, ts.db, "CA-LA", cursor))
	if _, ok := got["participant "+ana]; !ok {
		t.Error("the PIN change is not on the feed")
	}
	if c, ok := got["message K-M-1"]; !ok || c.Owner != ana {
		t.Errorf("the message is not on the feed: %v", keys(got))
	}
	rs, err := ts.db.Requests("CA-LA")
	if err != nil || len(rs) != 3 || rs[0].Kind != domain.SendPINRequest || rs[1].Participant != bruno || rs[2].Kiosk != ts.kiosk {
		t.Fatalf("requests: %+v %v", rs, err)
	}
	as, err := ts.db.AuditEvents(ts.kiosk)
	if err != nil || len(as) != 1 || as[0].Action != "signin" || !as[0].At.Equal(generated) {
		t.Fatalf("audit: %+v %v", as, err)
	}
	ts.checkLog(t)
}

func TestPushPINVersions(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	pin := func(id string, version int64, failures int) protocol.Push {
		return item(id, domain.SendPINState, domain.PINUpdate{Participant: ana, PIN: domain.PIN{Verifier: v,
			Version: version, Failures: failures}})
	}
	// The server holds version 1. A kiosk from before bases numbered each change as the one
	// it was made on plus one: 2 and then 3 follow on 1; 1 is old and 5 skips ahead.
	res := ts.push(t, pin("s-1", 1, 3), pin("s-2", 2, 2), pin("s-3", 5, 4), pin("s-4", 3, 0))
	want := []string{protocol.Superseded, protocol.Applied, protocol.Superseded, protocol.Applied}
	for i, r := range res {
		if r.Status != want[i] {
			t.Fatalf("item %d: %+v, want %s", i, r, want[i])
		}
	}
	if p, _ := ts.db.Participant(ana); p.PIN.Version != 3 || p.PIN.Failures != 0 {
		t.Fatalf("server PIN %+v", p.PIN)
	}
	// A temporary PIN issued at the desk on version 3 gets version 4, whatever number the
	// kiosk put on it; a change made offline at another kiosk on version 3 then comes too late.
	issued := item("i-1", domain.SendPINIssued, protocol.PINPush{PINUpdate: domain.PINUpdate{Participant: ana,
		PIN: domain.PIN{Verifier: v, Temporary: true, Expires: generated.Add(24 * time.Hour), Version: 9}}, Base: ptr(3)})
	offline := item("c-1", domain.SendPINChange, protocol.PINPush{PINUpdate: domain.PINUpdate{Participant: ana,
		PIN: domain.PIN{Verifier: v, Version: 4}}, Base: ptr(3)})
	if res = ts.push(t, issued); res[0].Status != protocol.Applied {
		t.Fatalf("%+v", res)
	}
	if res = pushAs(t, ts, enrolAnother(t, ts, "CA-LA"), offline); res[0].Status != protocol.Superseded {
		t.Fatalf("%+v", res)
	}
	if p, _ := ts.db.Participant(ana); !p.PIN.Temporary || p.PIN.Version != 4 || p.PIN.IssuedBy != "kiosk:"+ts.kiosk {
		t.Fatalf("server PIN %+v", p.PIN)
	}
}

func TestPushRejects(t *testing.T) {
	ts := newTestServer(t)
	v := testVerifier(t)
	for _, c := range []struct {
		item protocol.Push
		want string
	}{
		{item("r-1", "teleport", map[string]string{}), "unknown kind"},
		{protocol.Push{ID: "r-2", Kind: domain.SendPINChange, Data: []byte(`{"participant":1}`)}, "not the expected JSON"},
		{item("r-3", domain.SendPINChange, map[string]any{"participant": ana, "pin": map[string]any{"verifier": v, "version": 3}, "pin_plain": "480213"}), "not the expected JSON"},
		{item("r-4", domain.SendPINChange, domain.PINUpdate{Participant: ana, PIN: domain.PIN{Verifier: "480213", Version: 3}}), "not an Argon2id verifier"},
		{item("r-5", domain.SendPINChange, domain.PINUpdate{Participant: dario, PIN: domain.PIN{Verifier: v, Version: 3}}), "not known at this kiosk's office"},
		{item("r-6", domain.SendMessage, domain.Message{ID: "M-1", Participant: bruno, Sent: generated, Subject: "s", Body: "b"}), "a message with this id exists"},
		{item("r-7", domain.SendMessage, domain.Message{ID: "K-2", Participant: bruno, FromOffice: true, Sent: generated, Subject: "s", Body: "b"}), "from_office"},
		{item("r-8", domain.SendMessage, domain.Message{ID: "K-3", Participant: bruno, Case: "C-2", Sent: generated, Subject: "s", Body: "b"}), "not one of the participant's cases"},
		{item("r-9", domain.SendAudit, domain.AuditEvent{At: generated, Action: "signin", Subject: ana}), "never an identifier"},
		{item("r-10", domain.SendAudit, domain.AuditEvent{At: generated, Action: "print", Detail: "SSN 123-45-6789"}), "carry no PII"},
		{item("r-11", domain.SendAudit, domain.AuditEvent{At: generated, Kiosk: "kiosk-other", Action: "signin"}), "not this kiosk"},
		{item("r-12", domain.SendContactChange, domain.ContactChange{Participant: ana, Field: "ssn", Value: "1", At: generated}), "field"},
		{item("bad id!", domain.SendAudit, domain.AuditEvent{At: generated, Action: "signin"}), "item id"},
	} {
		res := ts.push(t, c.item)
		if res[0].Status != protocol.Rejected || !strings.Contains(res[0].Reason, c.want) {
			t.Errorf("%s: %+v, want rejected with %q", c.item.ID, res[0], c.want)
		}
		if x := containsAny(res[0].Reason, ana, dario, "123-45-6789", "480213"); x != "" {
			t.Errorf("%s: reason carries %q", c.item.ID, x)
		}
	}
	if as, _ := ts.db.AuditEvents(ts.kiosk); len(as) != 0 {
		t.Fatalf("rejected audit events stored: %+v", as)
	}
	ts.checkLog(t)
}

// TestFeedIsCompressed checks that a batch goes gzip-encoded to a client that takes it, the
// same bytes once decoded, and plain to one that does not; Go's client asks and decodes by
// itself.
func TestFeedIsCompressed(t *testing.T) {
	ts := newTestServer(t)
	// One time for every answer: each carries a proof signed at the server's time, and
	// Ed25519 signs alike what is alike.
	at := time.Now()
	ts.db.Now = func() time.Time { return at }
	get := func(acceptEncoding string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.url+protocol.PathChanges+"?after=0&limit=50", nil)
		req.Header.Set("Authorization", "Bearer "+ts.token)
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding) // the transport then leaves the body as sent
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("changes: %v %v", err, resp)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	_, plain := get("identity")
	for _, ae := range []string{"gzip", "br, gzip;q=0.8", "GZIP"} {
		resp, zipped := get(ae)
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Accept-Encoding %q: Content-Encoding %q", ae, resp.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(zipped))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(unzipped, plain) {
			t.Fatalf("Accept-Encoding %q: the decoded body differs (%v)", ae, err)
		}
		if len(zipped)*2 > len(plain) {
			t.Fatalf("gzip %d bytes for %d plain", len(zipped), len(plain))
		}
	}
	// zstd where the request takes it, unless it weighs gzip higher.
	for _, c := range []struct{ ae, coding string }{
		{"zstd", "zstd"}, {"zstd, gzip", "zstd"}, {"gzip, zstd", "zstd"}, {"gzip;q=1, zstd;q=0.5", "gzip"},
		{"zstd;q=0, gzip", "gzip"}, {"ZSTD;q=0.1", "zstd"},
	} {
		resp, body := get(c.ae)
		if got := resp.Header.Get("Content-Encoding"); got != c.coding {
			t.Fatalf("Accept-Encoding %q: Content-Encoding %q, want %q", c.ae, got, c.coding)
		}
		if c.coding != "zstd" {
			continue
		}
		zr, err := zstd.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, err := io.ReadAll(zr)
		zr.Close()
		if err != nil || !bytes.Equal(unzipped, plain) {
			t.Fatalf("Accept-Encoding %q: the decoded body differs (%v)", c.ae, err)
		}
		if len(body)*2 > len(plain) {
			t.Fatalf("zstd %d bytes for %d plain", len(body), len(plain))
		}
	}
	for _, ae := range []string{"identity", "gzip;q=0", "br", "zstd;q=0"} {
		if resp, body := get(ae); resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, plain) {
			t.Fatalf("Accept-Encoding %q: Content-Encoding %q", ae, resp.Header.Get("Content-Encoding"))
		}
	}
	// Go's own client asks for gzip and hands back the decoded body.
	req, _ := http.NewRequest("GET", ts.url+protocol.PathChanges+"?after=0&limit=50", nil)
	req.Header.Set("Authorization", "Bearer "+ts.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if !resp.Uncompressed {
		t.Fatal("the batch did not reach Go's client compressed")
	}
	if _, err := protocol.DecodeBatch(resp.Body, 0); err != nil {
		t.Fatal(err)
	}
}
