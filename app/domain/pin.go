package domain

import (
	"fmt"
	"io"
	"time"
)

// CheckNewPIN applies the rules for a PIN a person chooses: the profile's length, digits only,
// and not on the block list (repeated digits, sequences, common PINs, the person's birth year
// or birthday). It returns a Problem naming what to fix.
func CheckNewPIN(pin string, length int, birth Date) error {
	for _, r := range pin {
		if r < '0' || r > '9' {
			return ErrPINDigits
		}
	}
	if len(pin) != length {
		return ErrPINLength
	}
	if WeakPIN(pin, birth) {
		return ErrPINWeak
	}
	return nil
}

// commonPINs are PINs people pick far more often than chance (studies of leaked PIN sets).
var commonPINs = map[string]bool{
	"1212": true, "1004": true, "2000": true, "6969": true, "1122": true, "1313": true,
	"2580": true, "0852": true, "1010": true, "2001": true, "4444": true, "5683": true,
	"7777": true, "1986": true, "2222": true, "1230": true, "0007": true, "1984": true,
	"12321": true, "11223": true, "12121": true, "54321": true, "13579": true, "24680": true,
	"121212": true, "112233": true, "123123": true, "159753": true, "147258": true, "654321": true,
}

// WeakPIN reports whether pin is on the block list.
func WeakPIN(pin string, birth Date) bool {
	if len(pin) == 0 || commonPINs[pin] {
		return true
	}
	same, up, down := true, true, true
	for i := 1; i < len(pin); i++ {
		d := int(pin[i]) - int(pin[i-1])
		same = same && d == 0
		up = up && (d == 1 || d == -9)
		down = down && (d == -1 || d == 9)
	}
	if same || up || down {
		return true
	}
	// A short pattern repeated: 1212, 123123, 12121.
	for p := 1; p <= len(pin)/2; p++ {
		repeats := true
		for i := p; i < len(pin); i++ {
			if pin[i] != pin[i-p] {
				repeats = false
				break
			}
		}
		if repeats {
			return true
		}
	}
	// Any year a person could be born in, and the person's own dates: the year, the day and
	// month either way, and the birthday written month first, day first or year first (MMDDYY,
	// DDMMYY, YYMMDD, and with the whole year).
	if len(pin) == 4 {
		if y := atoi(pin); y >= 1900 && y <= time.Now().Year()+1 {
			return true
		}
	}
	if !birth.IsZero() {
		y, m, d := birth.Year, int(birth.Month), birth.Day
		for _, s := range []string{
			fmt.Sprintf("%04d", y), fmt.Sprintf("%02d%02d", m, d), fmt.Sprintf("%02d%02d", d, m),
			fmt.Sprintf("%02d%02d", m, y%100), fmt.Sprintf("%02d%02d%02d", m, d, y%100),
			fmt.Sprintf("%02d%02d%02d", d, m, y%100), fmt.Sprintf("%02d%02d%02d", y%100, m, d),
			fmt.Sprintf("%02d%02d%04d", m, d, y), fmt.Sprintf("%02d%02d%04d", d, m, y),
			fmt.Sprintf("%04d%02d%02d", y, m, d),
		} {
			if len(s) <= len(pin) && containsAt(pin, s) {
				return true
			}
		}
	}
	return false
}

func containsAt(pin, s string) bool {
	for i := 0; i+len(s) <= len(pin); i++ {
		if pin[i:i+len(s)] == s {
			return len(pin)-len(s) <= 1 // the date is (almost) the whole PIN
		}
	}
	return false
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// Lockout rules: a participant's PIN state after one sign-in attempt.

// RecordFailure counts a wrong PIN and locks the account at maxFailures.
func (p *PIN) RecordFailure(now time.Time, maxFailures int) {
	p.Failures++
	if p.Failures >= maxFailures && p.LockedAt.IsZero() {
		p.LockedAt = now
	}
}

// RecordSuccess clears the failure count after a good PIN.
func (p *PIN) RecordSuccess() { p.Failures = 0 }

// Unlock clears a lock (front-desk staff only).
func (p *PIN) Unlock() { p.Failures, p.LockedAt = 0, time.Time{} }

// NewTempPIN draws a temporary PIN of length digits from random (crypto/rand.Reader at the
// kiosk and the server): uniform digits, drawn again while the PIN is on the block list, so a
// person is never handed a PIN they would not be allowed to choose.
func NewTempPIN(random io.Reader, length int, birth Date) (string, error) {
	if length < 4 || length > 12 {
		return "", fmt.Errorf("domain: PIN length %d", length)
	}
	buf := make([]byte, 64)
	for {
		pin := make([]byte, 0, length)
		for len(pin) < length {
			if _, err := io.ReadFull(random, buf); err != nil {
				return "", err
			}
			for _, b := range buf {
				if b < 250 && len(pin) < length { // 250 = 25 × 10: no bias towards low digits
					pin = append(pin, '0'+b%10)
				}
			}
		}
		if !WeakPIN(string(pin), birth) {
			return string(pin), nil
		}
	}
}
