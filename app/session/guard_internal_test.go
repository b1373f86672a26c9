package session

import (
	"fmt"
	"strings"
	"testing"
)

// The counts of logins nobody has are kept under a keyed hash, never the login, and no more
// than maxUnknownLogins of them: the oldest goes first.
func TestUnknownLoginsKeyedAndBounded(t *testing.T) {
	g, err := newGuard(nil)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newGuard(nil)
	login := "123456789"
	key := g.unknownKey("login", login)
	if strings.Contains(key, login) || key == other.unknownKey("login", login) || key == g.unknownKey("staff-login", login) {
		t.Fatalf("key %q: the login in clear, or not keyed", key)
	}
	g.setUnknown(key, 3)
	for i := range maxUnknownLogins {
		g.setUnknown(g.unknownKey("login", fmt.Sprint(i)), 1)
	}
	if len(g.unknown) != maxUnknownLogins || len(g.order) != maxUnknownLogins {
		t.Fatalf("%d kept", len(g.unknown))
	}
	if g.unknownFailures(key) != 0 || g.unknownFailures(g.unknownKey("login", fmt.Sprint(maxUnknownLogins-1))) != 1 {
		t.Fatal("not the oldest forgotten")
	}
	for k := range g.unknown {
		if strings.Contains(k, "123456789") {
			t.Fatal("a login in clear")
		}
	}
}
