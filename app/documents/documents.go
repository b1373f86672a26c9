// Package documents is the one list of what the kiosk prints: each kind's name (which the
// audit records, saying what was printed and never for whom), its paper (the office printer's
// Letter or the 80 mm receipt roll) and the title the preview shows, and the Job that says what
// one document shows. It holds no PDF maker and no Fyne, so the screens, the preview, the
// printers and kioskctl share it; app/pdf makes each kind from a Job (pdf.Maker.Make).
package documents

import (
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/session"
)

// Kind names a kind of printed document.
type Kind string

// The kinds of printed document; their entries are in list.
const (
	YearlyStatement  Kind = "yearly_statement"  // Print By Year: the yearly statement of Year
	PaymentPage      Kind = "payment_page"      // Print Page: the page of payments on screen
	MonthlyStatement Kind = "monthly_statement" // the monthly account statement of Year, Month
	PaymentCoupon    Kind = "payment_coupon"    // a coupon for Year, Month, to send with a check (payers only)
	PaymentReceipt   Kind = "payment_receipt"   // one payment (Row)
	TempPINSlip      Kind = "temp_pin_slip"     // the staff desk's temporary PIN (PIN, Expires)
	SignInCard       Kind = "signin_card"       // name and a QR code of the participant ID, no PIN
	KioskDay         Kind = "kiosk_day"         // what the kiosk did today, in counts (Activity), for staff
)

// Entry is one printed kind.
type Entry struct {
	Kind Kind
	Roll bool // on the receipt roll, else on the office printer's Letter paper
	// Title is the translation key of the preview's title; it may use {year} and {month}.
	Title string
}

// list is every printed kind. A new kind is an entry here, its maker in app/pdf (one file that
// registers it) and its translations.
var list = []Entry{
	{PaymentPage, false, "ui.print.kind.page"},
	{YearlyStatement, false, "ui.print.kind.year"},
	{MonthlyStatement, false, "ui.print.kind.month"},
	{PaymentCoupon, false, "ui.print.kind.coupon"},
	{PaymentReceipt, true, "ui.print.kind.receipt"},
	{TempPINSlip, true, "ui.print.kind.pin_slip"},
	{SignInCard, true, "ui.print.kind.card"},
	{KioskDay, true, "ui.print.kind.day"},
}

// All is every printed kind's entry, in the order of list.
func All() []Entry { return append([]Entry(nil), list...) }

// Of is kind's entry; ok is false for a kind that is not printed.
func Of(kind Kind) (e Entry, ok bool) {
	for _, e := range list {
		if e.Kind == kind {
			return e, true
		}
	}
	return Entry{}, false
}

// OnRoll reports whether the kind prints on the receipt roll rather than on Letter paper.
func (k Kind) OnRoll() bool {
	e, _ := Of(k)
	return e.Roll
}

// Job is what one printed document shows. What shows a person's cases reads them from the
// kiosk's records through the domain's privacy rules (pdf.Maker.Make), so the family-violence
// indicator holds on paper as on screen.
type Job struct {
	Kind        Kind
	Profile     domain.Profile
	Lang        i18n.Lang
	Participant domain.Participant
	Side        session.Side
	Year        int // YearlyStatement, MonthlyStatement, PaymentCoupon; PaymentPage: the filter (0: every year)
	Month       time.Month
	Page, Pages int // PaymentPage: the page on screen, of how many
	Rows        []session.Row
	Row         *session.Row    // PaymentReceipt
	PIN         string          // TempPINSlip only; never logged; wiped with the document
	Expires     time.Time       // TempPINSlip
	Activity    domain.Activity // KioskDay: the counts
	Staff       string          // staff ID when a staff member prints or assists (audit), else ""
	AsOf        time.Time
}
