package seal

import (
	"strings"
	"testing"
)

// The costs of a verifier are read exactly as written, and a verifier cheaper than a kiosk's
// own is not strong.
func TestVerifierParamsAndStrength(t *testing.T) {
	v, err := HashPIN("48213")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := VerifierParams(v)
	if !ok || p != PINParams {
		t.Fatalf("params of a kiosk's verifier: %+v %v, want %+v", p, ok, PINParams)
	}
	if !StrongVerifier(v) {
		t.Fatal("a kiosk's own verifier is not strong")
	}
	with := func(costs string) string { return strings.Replace(v, "m=19456,t=2,p=1", costs, 1) }
	for _, c := range []struct {
		costs         string
		valid, strong bool
	}{
		{"m=19456,t=2,p=1", true, true},
		{"m=65536,t=3,p=4", true, true},
		{"m=47104,t=1,p=1", true, true}, // 46 MiB, one pass: more work than 19 MiB twice
		{"m=8,t=1,p=1", true, false},
		{"m=19456,t=1,p=1", true, false},
		{"m=12288,t=3,p=1", true, false}, // less memory than a kiosk's
		{"m=4096,t=10,p=1", true, false},
		{"m=19456,t=2,p=1junk", false, false},
		{"m=19456,t=2,p=1,x=1", false, false},
		{"t=2,m=19456,p=1", false, false},
		{"m=+19456,t=2,p=1", false, false},
		{"m=-19456,t=2,p=1", false, false},
		{"m= 19456,t=2,p=1", false, false},
		{"m=19456,t=2,p=", false, false},
		{"m=4294967297,t=2,p=1", false, false},
		{"m=19456,t=2,p=300", false, false},
		{"m=19456,t=0,p=1", false, false},
		{"m=999999,t=2,p=1", false, false},
	} {
		got := with(c.costs)
		if ValidVerifier(got) != c.valid || StrongVerifier(got) != c.strong {
			t.Errorf("%s: valid %v strong %v, want %v %v", c.costs, ValidVerifier(got), StrongVerifier(got), c.valid, c.strong)
		}
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=19456,t=2,p=1$", strings.Replace(v, "v=19", "v=16", 1),
		strings.Replace(v, "v=19", "v=019", 1), strings.Replace(v, "$argon2id$", "$argon2i$", 1)} {
		if _, ok := VerifierParams(bad); ok || StrongVerifier(bad) {
			t.Errorf("%q: taken", bad)
		}
	}
}
