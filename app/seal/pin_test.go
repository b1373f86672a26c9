package seal

import (
	"runtime"
	"strings"
	"testing"
)

func TestPINVerifier(t *testing.T) {
	v, err := HashPIN("48213")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(v, "48213") || !strings.HasPrefix(v, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected verifier %q", v)
	}
	if !VerifyPIN(v, "48213") {
		t.Fatal("right PIN refused")
	}
	for _, wrong := range []string{"48214", "", "482130", "4821"} {
		if VerifyPIN(v, wrong) {
			t.Fatalf("wrong PIN %q accepted", wrong)
		}
	}
	v2, _ := HashPIN("48213")
	if v2 == v {
		t.Fatal("two verifiers of one PIN are equal: salt not random")
	}
	for _, bad := range []string{"", "$argon2id$", "plain", strings.Replace(v, "m=19456", "m=99999999", 1),
		strings.Replace(v, "$argon2id$", "$argon2i$", 1)} {
		if VerifyPIN(bad, "48213") {
			t.Fatalf("malformed verifier %q accepted", bad)
		}
	}
}

func BenchmarkVerifyPIN(b *testing.B) {
	v, _ := HashPIN("48213")
	for b.Loop() {
		VerifyPIN(v, "48213")
	}
}

// TestPINCheckLeavesNoGarbage checks that hashing and verifying a PIN hand Argon2id's 19 MiB
// back to the heap before they return, so that sign-ins do not pile it up (see collect).
func TestPINCheckLeavesNoGarbage(t *testing.T) {
	v, err := HashPIN("4821")
	if err != nil {
		t.Fatal(err)
	}
	var m runtime.MemStats
	for _, check := range []func(){
		func() { HashPIN("4821") },
		func() { VerifyPIN(v, "4821") },
		func() { VerifyPIN(v, "0000") },
	} {
		check()
		runtime.ReadMemStats(&m) // no collection of its own
		if m.HeapAlloc > uint64(PINParams.MemoryKiB)<<10/2 {
			t.Fatalf("%d MiB on the heap after a PIN check", m.HeapAlloc>>20)
		}
	}
}
