package domain

import (
	"strings"
	"time"
)

// Activity is what a kiosk did over a span of time, as counts only: how many sign-ins, prints
// and errors, never who. Staff print it as the day's summary slip.
type Activity struct {
	From, To time.Time
	Counts   map[string]int // by the Act* names
}

// What an Activity counts. Printed documents count as ActPrinted + ":" + the document's kind.
const (
	ActSignIn         = "signin"         // a parent signed in
	ActSignInRefused  = "signin_refused" // a wrong PIN, or an expired temporary PIN
	ActLocked         = "signin_locked"  // a sign-in refused because the account is locked
	ActStaffSignIn    = "staff_signin"   // a staff member signed in
	ActStaffRefused   = "staff_refused"  // a wrong staff password, or a locked staff account
	ActAssisted       = "assisted"       // staff opened a parent's kiosk view for them
	ActPINIssued      = "pin_issued"     // staff issued a temporary PIN
	ActUnlocked       = "unlocked"       // staff unlocked a parent's or a colleague's account
	ActPrinted        = "printed"        // a document printed (the printer said so)
	ActPrintFailed    = "print_failed"   // a print failed or was canceled
	ActSyncOK         = "sync_ok"        // a sync with the case server succeeded
	ActSyncFailed     = "sync_failed"    // a sync failed
	activityKindSplit = ":"
)

// ActivityOf says what an audit event counts as, "" when it counts as nothing. It is the one
// place that maps the kiosk's audit actions to the day's counts.
func ActivityOf(ev AuditEvent) string {
	switch ev.Action {
	case "signin":
		return ActSignIn
	case "signin_failed", "signin_temp_expired":
		return ActSignInRefused
	case "signin_locked":
		return ActLocked
	case "staff_signin":
		return ActStaffSignIn
	case "staff_signin_failed", "staff_signin_locked":
		return ActStaffRefused
	case "staff_assist":
		return ActAssisted
	case "staff_pin_issue":
		return ActPINIssued
	case "staff_unlock", "staff_unlock_staff":
		return ActUnlocked
	}
	if kind, ok := strings.CutPrefix(ev.Action, "print_"); ok && kind != "" && kind != "file" {
		if ev.Detail == "completed" {
			return ActPrinted + activityKindSplit + kind
		}
		if strings.HasPrefix(ev.Detail, "failed") {
			return ActPrintFailed
		}
	}
	return ""
}

// N is the count of one thing.
func (a Activity) N(what string) int { return a.Counts[what] }

// Printed is the count of documents printed, by kind, and their total.
func (a Activity) Printed() (byKind map[string]int, total int) {
	byKind = map[string]int{}
	for k, n := range a.Counts {
		if kind, ok := strings.CutPrefix(k, ActPrinted+activityKindSplit); ok {
			byKind[kind] += n
			total += n
		}
	}
	return byKind, total
}

// Errors is the count of what went wrong: sign-ins refused or locked (parents and staff),
// prints that failed, syncs that failed.
func (a Activity) Errors() int {
	return a.N(ActSignInRefused) + a.N(ActLocked) + a.N(ActStaffRefused) + a.N(ActPrintFailed) + a.N(ActSyncFailed)
}
