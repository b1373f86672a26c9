package server

import (
	"testing"

	"childsupportkiosk/sync/protocol"
)

// A rotated token: the old one keeps working until the new one is first used, a second
// rotation before that replaces the unused one, and after the new one's first use only it works.
func TestTokenRotation(t *testing.T) {
	ts := newTestServer(t)
	changes := func(token string) int {
		var b protocol.Batch
		return ts.call(t, "GET", protocol.PathChanges+"?after=0&limit=1", token, nil, &b)
	}
	var first, second protocol.TokenResponse
	if st := ts.call(t, "POST", protocol.PathToken, ts.token, "{}", &first); st != 200 || first.Token == "" || first.Kiosk != ts.kiosk {
		t.Fatalf("rotate: %d %+v", st, first)
	}
	// Issued but not saved by the kiosk (it crashed): the old token still works.
	if st := changes(ts.token); st != 200 {
		t.Fatalf("the old token before the new one's use: %d", st)
	}
	// Asked again: a new one replaces the unused one.
	if st := ts.call(t, "POST", protocol.PathToken, ts.token, "{}", &second); st != 200 || second.Token == first.Token {
		t.Fatalf("rotate again: %d", st)
	}
	if st := changes(first.Token); st != 401 {
		t.Fatalf("a replaced, never used token: %d", st)
	}
	var who protocol.TokenResponse
	if st := ts.call(t, "GET", protocol.PathToken, second.Token, nil, &who); st != 200 || who.Kiosk != ts.kiosk || who.Token != "" {
		t.Fatalf("confirm: %d %+v", st, who)
	}
	if st := changes(ts.token); st != 401 {
		t.Fatalf("the old token after the new one's use: %d", st)
	}
	if st := changes(second.Token); st != 200 {
		t.Fatalf("the new token: %d", st)
	}
	if err := ts.db.Revoke(ts.kiosk); err != nil {
		t.Fatal(err)
	}
	if st := ts.call(t, "POST", protocol.PathToken, second.Token, "{}", &first); st != 410 {
		t.Fatalf("a revoked kiosk rotating: %d", st)
	}
}
