package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"childsupportkiosk/app/domain"
)

// The supervisor's audit shows each event as a sentence in the staff member's language: the
// event's action names a translation key, "audit.<action>", and its detail fills the sentence
// in. A print or an export names its document by kind ("print_" or "export_" and the kind of
// the PDF, "audit.doc.<kind>") with the printer's outcome. An action with no key (none ships:
// TestEveryAuditKindHasWords) is shown as "other event" with its code.

// auditPrefixes are the actions made of a prefix and a document kind.
var auditPrefixes = map[string]string{"print_": "audit.print", "export_": "audit.export"}

// auditSentence says what an audit event records, without the time, staff or person.
func (k *Kiosk) auditSentence(ev domain.AuditEvent) string {
	for prefix, key := range auditPrefixes {
		if doc, ok := strings.CutPrefix(ev.Action, prefix); ok && k.lang.Has("audit.doc."+doc) {
			return k.t(key, "document", k.t("audit.doc."+doc), "outcome", k.printOutcome(ev.Detail), "period", ev.Detail)
		}
	}
	key := "audit." + ev.Action
	if ev.Action == "" || !k.lang.Has(key) {
		return k.t("audit.unknown", "action", ev.Action)
	}
	switch ev.Action {
	case "print_file":
		return k.t(key, "outcome", k.printOutcome(ev.Detail))
	case "staff_lookup":
		by := "audit.by." + ev.Detail
		if !k.lang.Has(by) {
			by = "audit.by.other"
		}
		return k.t(key, "by", k.t(by))
	case "staff_unlock_staff":
		return k.t(key, "id", ev.Detail)
	case "signin_throttled", "staff_signin_throttled":
		// The detail is "N failed in 10m0s" (session.Manager.throttled).
		n, _, _ := strings.Cut(ev.Detail, " ")
		if _, err := strconv.Atoi(n); err != nil {
			n = "?"
		}
		return k.t(key, "n", n, "minutes", itoa(int(domain.SignInThrottle.Window/time.Minute)))
	}
	s := k.t(key)
	if ev.Detail == "assisted" { // a parent's action while staff helped (session.Session.Audit)
		s += " " + k.t("audit.assisted")
	}
	return s
}

// printOutcome says how a print ended, from the detail the printer's audit event carries:
// "completed", or "failed:<reason>" with the reason of app/printing.
func (k *Kiosk) printOutcome(detail string) string {
	state, reason, _ := strings.Cut(detail, ":")
	if state == "completed" {
		return k.t("audit.outcome.completed")
	}
	key := "audit.reason." + reason
	if !k.lang.Has(key) {
		key = "audit.reason.other"
	}
	return k.t("audit.outcome.failed", "reason", k.t(key))
}

// auditLine is one audit event on the supervisor's screen: its time, then the sentence, the
// staff member and the first characters of the person's keyed hash (enough to tell events of
// one person apart; not reversible), in the body font.
func (k *Kiosk) auditLine(ev domain.AuditEvent) fyne.CanvasObject {
	parts := []string{k.auditSentence(ev)}
	if ev.Staff != "" {
		parts = append(parts, k.t("audit.staff", "id", ev.Staff))
	}
	if len(ev.Subject) >= 8 {
		parts = append(parts, k.t("audit.person", "hash", ev.Subject[:8]))
	}
	when := boldLabel(k.lang.DateTime(k.local(ev.At)))
	return container.NewBorder(nil, nil, when, nil, text(strings.Join(parts, " · ")))
}
