package domain

import (
	"testing"
	"time"
)

// A birthday is blocked however the person writes it: month first, day first or year first.
func TestWeakPINBlocksBirthdays(t *testing.T) {
	birth := Date{Year: 1983, Month: time.November, Day: 2}
	for _, pin := range []string{
		"110283",                           // MMDDYY
		"021183",                           // DDMMYY
		"831102",                           // YYMMDD
		"1983",                             // the year
		"1102",                             // MMDD
		"0211",                             // DDMM
		"19831102", "11021983", "02111983", // with the whole year, for longer PINs
	} {
		if !WeakPIN(pin, birth) {
			t.Errorf("%s passes for a person born %v", pin, birth)
		}
		if err := CheckNewPIN(pin, len(pin), birth); err != ErrPINWeak {
			t.Errorf("CheckNewPIN(%s) = %v, want %v", pin, err, ErrPINWeak)
		}
	}
	// Someone else's birthday is not this person's.
	for _, pin := range []string{"831102", "739164"} {
		if WeakPIN(pin, Date{Year: 1990, Month: time.March, Day: 17}) {
			t.Errorf("%s blocked for a person born on another day", pin)
		}
	}
}
