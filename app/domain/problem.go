package domain

// Problem is an error a person can act on. Its value is the translation key of the message the
// kiosk shows ("See the front desk to unlock your account"); logs may carry it, since it holds
// no personal data.
type Problem string

func (p Problem) Error() string { return string(p) }

// Problems the domain itself raises.
const (
	ErrSignInFailed   Problem = "signin.failed"        // same for unknown participant and wrong PIN
	ErrLocked         Problem = "signin.locked"        // too many failures: see the front desk
	ErrNoPIN          Problem = "signin.no_pin"        // never had a PIN: the front desk issues one
	ErrTempPINExpired Problem = "signin.temp_expired"  // temporary PIN ran out
	ErrPINLength      Problem = "pin.wrong_length"     // new PIN has the wrong number of digits
	ErrPINDigits      Problem = "pin.digits_only"      // new PIN has something other than digits
	ErrPINWeak        Problem = "pin.weak"             // on the block list
	ErrPINMismatch    Problem = "pin.mismatch"         // typed twice, differently
	ErrPINSame        Problem = "pin.same_as_old"      // the new PIN equals the temporary one
	ErrNotFound       Problem = "record.not_found"     // asked for something that is not there
	ErrBadProfile     Problem = "profile.invalid"      // an agency profile that breaks the rules
	ErrOffline        Problem = "sync.offline"         // the case server cannot be reached
	ErrRevoked        Problem = "sync.revoked"         // the kiosk was revoked and wiped
	ErrNotEnrolled    Problem = "sync.not_enrolled"    // no enrolment in this data directory
	ErrEnrolmentCode  Problem = "sync.bad_code"        // wrong, used or expired enrolment code
	ErrCacheLocked    Problem = "cache.locked"         // the cache key cannot be unwrapped
	ErrWrongKey       Problem = "cache.wrong_key"      // the key file or passphrase does not fit
	ErrCorruptRecord  Problem = "cache.corrupt_record" // a sealed record failed authentication
	ErrStaffLocked    Problem = "staff.locked"         // a staff account locked by wrong passwords
	ErrNotAllowed     Problem = "staff.not_allowed"    // the staff member's role may not do this
)
