package domain

// Cents is an amount of money in whole cents. Money is never a float.
type Cents int64

// Split returns the whole units and the remaining cents of an amount, both non-negative, and
// whether the amount is negative. Formatting for a language is the UI's job.
func (c Cents) Split() (units int64, cents int64, negative bool) {
	v := int64(c)
	if v < 0 {
		negative = true
		v = -v
	}
	return v / 100, v % 100, negative
}
