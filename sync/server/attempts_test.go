package server

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"childsupportkiosk/sync/protocol"
)

// enrolAt enrols one more kiosk of office at ts's server and returns its token.
func (ts *testServer) enrolAt(t *testing.T, office string) string {
	t.Helper()
	code, err := ts.db.NewEnrolmentCode(office, 0)
	if err != nil {
		t.Fatal(err)
	}
	var resp protocol.EnrollResponse
	if st := ts.call(t, "POST", protocol.PathEnroll, "", protocol.EnrollRequest{Code: code, Name: "lobby"}, &resp); st != 200 {
		t.Fatalf("enroll: %d", st)
	}
	return resp.Token
}

// attemptKey asks for the office's key as a kiosk does on its first request.
func (ts *testServer) attemptKey(t *testing.T, token string) (string, []byte) {
	t.Helper()
	var resp protocol.AttemptResponse
	if st := ts.call(t, "POST", protocol.PathAttempts, token, protocol.AttemptRequest{Op: protocol.AttemptTry}, &resp); st != 200 {
		t.Fatalf("first attempt: %d", st)
	}
	key, err := base64.StdEncoding.DecodeString(resp.Key)
	if err != nil || len(key) != 32 || resp.KeyID == "" || resp.Count != 0 {
		t.Fatalf("first answer %+v: want the key and no count", resp)
	}
	return resp.KeyID, key
}

func accountOf(key []byte, name string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(name))
	return hex.EncodeToString(mac.Sum(nil))
}

// The server counts guesses per account across the kiosks of an office, under a key of the
// office: two kiosks of one office share counts (and the key), a kiosk of another office has
// its own key and counts; a clear starts again; an account never named before answers exactly
// as another one does, so nothing in an answer tells a real account from a login nobody has.
func TestAttemptsCountAcrossAnOfficesKiosks(t *testing.T) {
	ts := newTestServer(t)
	other := ts.enrolAt(t, "CA-LA")
	elsewhere := ts.enrolAt(t, "CA-SD")
	id, key := ts.attemptKey(t, ts.token)
	id2, key2 := ts.attemptKey(t, other)
	if id2 != id || !bytes.Equal(key, key2) {
		t.Fatal("two kiosks of one office got different keys")
	}
	idSD, keySD := ts.attemptKey(t, elsewhere)
	if idSD != id || bytes.Equal(keySD, key) {
		t.Fatal("another office got the same key")
	}
	try := func(token, account, op string) (int, string) {
		t.Helper()
		var resp protocol.AttemptResponse
		if st := ts.call(t, "POST", protocol.PathAttempts, token, protocol.AttemptRequest{KeyID: id, Account: account, Op: op}, &resp); st != 200 {
			t.Fatalf("%s: %d", op, st)
		}
		if resp.Key != "" || resp.KeyID != id {
			t.Fatalf("answer %+v", resp)
		}
		return resp.Count, resp.KeyID
	}
	acct := accountOf(key, "participant 1")
	for i, token := range []string{ts.token, other, ts.token, other} {
		if n, _ := try(token, acct, protocol.AttemptTry); n != i+1 {
			t.Fatalf("try %d: count %d", i+1, n)
		}
	}
	if n, _ := try(elsewhere, acct, protocol.AttemptTry); n != 1 {
		t.Fatalf("another office's kiosk shares the count: %d", n)
	}
	try(other, acct, protocol.AttemptClear)
	if n, _ := try(ts.token, acct, protocol.AttemptTry); n != 1 {
		t.Fatalf("after a clear: %d", n)
	}

	// Two accounts never named before: the same answers, byte for byte.
	raw := func(account string) string {
		req, _ := http.NewRequest("POST", ts.url+protocol.PathAttempts,
			strings.NewReader(`{"key_id":"`+id+`","account":"`+account+`","op":"try"}`))
		req.Header.Set("Authorization", "Bearer "+ts.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.Status + " " + b.String()
	}
	a, b := accountOf(key, "participant 2"), accountOf(key, "login 1999999999")
	for range 3 {
		if ra, rb := raw(a), raw(b); ra != rb {
			t.Fatalf("answers differ: %q and %q", ra, rb)
		}
	}
}

// What the endpoint refuses: no token, another method, an account that is not a keyed hash,
// an unknown operation; a request with an old key ID counts nothing and gets the key again.
func TestAttemptsRefusals(t *testing.T) {
	ts := newTestServer(t)
	id, key := ts.attemptKey(t, ts.token)
	var e protocol.Error
	if st := ts.call(t, "POST", protocol.PathAttempts, "", protocol.AttemptRequest{}, &e); st != http.StatusUnauthorized {
		t.Fatalf("no token: %d", st)
	}
	if st := ts.call(t, "GET", protocol.PathAttempts, ts.token, nil, &e); st != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", st)
	}
	for _, req := range []protocol.AttemptRequest{
		{KeyID: id, Account: "1000000001", Op: protocol.AttemptTry},
		{KeyID: id, Account: strings.ToUpper(accountOf(key, "x")), Op: protocol.AttemptTry},
		{KeyID: id, Account: accountOf(key, "x"), Op: "reset-all"},
	} {
		if st := ts.call(t, "POST", protocol.PathAttempts, ts.token, req, &e); st != http.StatusBadRequest {
			t.Errorf("%+v: %d", req, st)
		}
	}
	var resp protocol.AttemptResponse
	ts.call(t, "POST", protocol.PathAttempts, ts.token, protocol.AttemptRequest{KeyID: "old", Account: accountOf(key, "y"), Op: protocol.AttemptTry}, &resp)
	if resp.Key == "" || resp.Count != 0 {
		t.Fatalf("an old key: %+v", resp)
	}
	if st := ts.call(t, "POST", protocol.PathAttempts, ts.token, protocol.AttemptRequest{KeyID: id, Account: accountOf(key, "y"), Op: protocol.AttemptTry}, &resp); st != 200 || resp.Count != 1 {
		t.Fatalf("the old key's request counted: %d %+v", st, resp)
	}
	ts.checkLog(t)
}

// The book of counts stays within its bound, forgetting the least recently tried account.
func TestAttemptBookIsBounded(t *testing.T) {
	b := newAttemptBook()
	b.maxSize = 3
	for _, a := range []string{"a", "b", "c", "a", "d"} {
		b.try("o", a)
	}
	if len(b.counts) != 3 || b.order.Len() != 3 {
		t.Fatalf("%d counted", len(b.counts))
	}
	if n := b.try("o", "b"); n != 1 {
		t.Fatalf("b, the least recently tried, should have gone: %d", n)
	}
	if n := b.try("o", "a"); n != 3 {
		t.Fatalf("a: %d", n)
	}
}
