package domain

import "testing"

func TestActivityOf(t *testing.T) {
	for _, c := range []struct{ action, detail, want string }{
		{"signin", "", ActSignIn},
		{"signin_failed", "", ActSignInRefused},
		{"signin_temp_expired", "", ActSignInRefused},
		{"signin_locked", "", ActLocked},
		{"staff_signin", "", ActStaffSignIn},
		{"staff_signin_failed", "", ActStaffRefused},
		{"staff_signin_locked", "", ActStaffRefused},
		{"staff_assist", "", ActAssisted},
		{"staff_pin_issue", "", ActPINIssued},
		{"staff_unlock", "", ActUnlocked},
		{"staff_unlock_staff", "", ActUnlocked},
		{"print_yearly_statement", "completed", ActPrinted + ":yearly_statement"},
		{"print_payment_receipt", "failed:out_of_paper", ActPrintFailed},
		{"print_payment_receipt", "failed:canceled", ActPrintFailed},
		{"print_file", "completed", ""}, // kioskctl's print of a file: not a document of the kiosk's
		{"view_payments", "", ""},
		{"staff_lookup", "name", ""},
		{"pin_change", "", ""},
	} {
		if got := ActivityOf(AuditEvent{Action: c.action, Detail: c.detail}); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.action, c.detail, got, c.want)
		}
	}
}
