package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"time"
)

// Rules against guessing at the sign-in, beside the lockout of pin.go: a kiosk slows down
// when many sign-ins fail there (Throttle), and the count of an unknown login is kept under a
// keyed hash (Keyed), never the login itself.

// ErrWait is the problem of a sign-in refused before it was checked: too many sign-ins failed
// at this kiosk lately. The error a sign-in returns is a WaitError, which says for how long.
const ErrWait Problem = "signin.wait"

// WaitError is a sign-in refused, unchecked, until the kiosk's throttle lets the next one be
// tried; it unwraps to ErrWait.
type WaitError struct{ Wait time.Duration }

func (e WaitError) Error() string { return string(ErrWait) }
func (e WaitError) Unwrap() error { return ErrWait }

// WaitFor is how long to wait before trying again.
func (e WaitError) WaitFor() time.Duration { return e.Wait }

// Seconds is the wait in whole seconds, rounded up, at least 1.
func (e WaitError) Seconds() int { return max(1, int((e.Wait+time.Second-1)/time.Second)) }

// TriesError is a wrong sign-in after which Left tries remain before the account locks; it
// unwraps to ErrSignInFailed. A sign-in says so only when TriesWarned or fewer are left, for
// parents and staff, and for a login nobody has, which is counted the same way: the warning
// tells nobody whether the account exists.
type TriesError struct{ Left int }

func (e TriesError) Error() string { return string(ErrSignInFailed) }
func (e TriesError) Unwrap() error { return ErrSignInFailed }

// TriesWarned is how few tries left are said before a lock.
const TriesWarned = 2

// WrongGuess is the error of a wrong sign-in that leaves left tries: a TriesError when few are
// left, ErrSignInFailed otherwise.
func WrongGuess(left int) error {
	if left >= 1 && left <= TriesWarned {
		return TriesError{Left: left}
	}
	return ErrSignInFailed
}

// Throttle is how a kiosk slows guessing down: once Free sign-ins have failed within Window,
// the next attempt waits First after the last failure, and every further failure within the
// window doubles the wait, up to Most. Failures age out of the window one by one, so the waits
// shrink again by themselves.
type Throttle struct {
	Window time.Duration
	Free   int
	First  time.Duration
	Most   time.Duration
}

// SignInThrottle is the kiosk's throttle, for parents and (counted apart) for staff. One person
// mistyping never meets it: the lockout stops one account at 5 failures, and 10 failures in
// 10 minutes is two people locking themselves out back to back. Past that, waits of 5, 10,
// 20, 40 and then 60 seconds: the longest a person who comes after a spray can wait is one
// minute after its last failure, and nobody waits once no sign-in failed for a minute.
var SignInThrottle = Throttle{Window: 10 * time.Minute, Free: 10, First: 5 * time.Second, Most: time.Minute}

// Wait is the pause after the last of failures (times, oldest first) before the next attempt
// at now, or 0 when it may go ahead.
func (t Throttle) Wait(failures []time.Time, now time.Time) time.Duration {
	n := t.InWindow(failures, now)
	if n < t.Free || len(failures) == 0 {
		return 0
	}
	d := t.First
	for i := t.Free; i < n && d < t.Most; i++ {
		d *= 2
	}
	d = min(d, t.Most)
	if left := failures[len(failures)-1].Add(d).Sub(now); left > 0 {
		return left
	}
	return 0
}

// InWindow counts the failures within the window that ends at now.
func (t Throttle) InWindow(failures []time.Time, now time.Time) int {
	n := 0
	for _, f := range failures {
		if now.Sub(f) < t.Window {
			n++
		}
	}
	return n
}

// Prune drops the failures that have left the window, and bounds what is kept.
func (t Throttle) Prune(failures []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(failures) && now.Sub(failures[i]) >= t.Window {
		i++
	}
	failures = failures[i:]
	if keep := t.Free + 256; len(failures) > keep {
		failures = failures[len(failures)-keep:]
	}
	return failures
}

// Keyed is a keyed hash (HMAC-SHA-256) under a random key that lives in memory only: a login
// typed at the kiosk becomes a name that cannot be turned back into it, even by someone who
// reads the memory and tries every ID and SSN, once the key is gone.
type Keyed struct{ key []byte }

// NewKeyed draws a key from random (crypto/rand.Reader).
func NewKeyed(random io.Reader) (Keyed, error) {
	k := make([]byte, 32)
	if _, err := io.ReadFull(random, k); err != nil {
		return Keyed{}, err
	}
	return Keyed{key: k}, nil
}

// KeyedWith is a Keyed with the given key (a key the case server hands out).
func KeyedWith(key []byte) Keyed { return Keyed{key: append([]byte(nil), key...)} }

// Sum is the hex keyed hash of parts, each one delimited so that no two lists of parts meet.
func (k Keyed) Sum(parts ...string) string {
	mac := hmac.New(sha256.New, k.key)
	for _, p := range parts {
		var n [4]byte
		n[0], n[1], n[2], n[3] = byte(len(p)>>24), byte(len(p)>>16), byte(len(p)>>8), byte(len(p))
		mac.Write(n[:])
		io.WriteString(mac, p)
	}
	return hex.EncodeToString(mac.Sum(nil))
}
