package ui

import (
	"image"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/session"
)

// PrintKind names what a print job makes.
type PrintKind string

// The kinds of print job. Letter kinds print on the office printer; PrintReceipt,
// PrintPINSlip and PrintCard on the receipt roll.
const (
	PrintPage    PrintKind = "page"     // the page of payments on screen
	PrintYear    PrintKind = "year"     // Print By Year: the yearly statement
	PrintMonth   PrintKind = "month"    // the monthly account statement of Year, Month
	PrintCoupon  PrintKind = "coupon"   // a payment coupon for Year, Month (payers only)
	PrintReceipt PrintKind = "receipt"  // one payment (Row), on the receipt roll
	PrintPINSlip PrintKind = "pin_slip" // a temporary PIN slip (PIN, Expires), on the receipt roll
	PrintCard    PrintKind = "card"     // a sign-in card: name and a QR code of the participant ID, no PIN
	PrintDay     PrintKind = "day"      // the kiosk's day in counts (Activity), for staff, no personal data
)

// OnRoll reports whether the kind prints on the receipt roll rather than on Letter paper.
func (k PrintKind) OnRoll() bool {
	return k == PrintReceipt || k == PrintPINSlip || k == PrintCard || k == PrintDay
}

// PrintJob is what a printed document shows. The family-violence indicator of Cases applies on
// paper as on screen: no other party is printed for a person with it on any case.
type PrintJob struct {
	Kind        PrintKind
	Profile     domain.Profile
	Lang        i18n.Lang
	Participant domain.Participant
	Cases       []domain.Case
	Side        session.Side
	Year        int // PrintYear, PrintMonth, PrintCoupon; PrintPage: the filter (0: every year)
	Month       time.Month
	Page, Pages int // PrintPage: the page on screen, of how many
	Rows        []session.Row
	Total       domain.Cents
	Row         *session.Row    // PrintReceipt
	PIN         string          // PrintPINSlip only; never logged; wiped by Discard
	Expires     time.Time       // PrintPINSlip
	Activity    domain.Activity // PrintDay: the counts
	Staff       string          // staff ID when a staff member prints or assists (audit), else ""
	AsOf        time.Time
}

// Printer makes documents and prints them. app/ui/uiprint implements it.
type Printer interface {
	// Prepare makes the document of job and a picture of its first page. It runs off the UI goroutine.
	Prepare(job PrintJob) (Prepared, error)
	// Queues says which of the kiosk's printers are set up. The preview and the staff status
	// say where a document prints, or that it cannot print here, from it.
	Queues() Queues
}

// Queues says which of the kiosk's two printers have a queue set: the office printer, on
// Letter paper, for statements, pages and coupons; the receipt roll for receipts, PIN slips
// and sign-in cards. The staff desk prints through the same kiosk's queues.
type Queues struct {
	Office, Receipt bool
}

// For reports whether the printer for kind is set up.
func (q Queues) For(kind PrintKind) bool {
	if kind.OnRoll() {
		return q.Receipt
	}
	return q.Office
}

// Prepared is a document ready to print. A document is shown whether or not the kiosk has a
// printer for its kind; without one the preview has no Print button.
type Prepared interface {
	Pages() int
	// Page is a picture of page n (from 1), drawn when first asked for: it may take tens of
	// milliseconds, so the screen asks off the UI goroutine. nil when no picture could be made
	// (the screen then says so), and after Discard.
	Page(n int) image.Image
	Print() error // prints on the right printer (roll kinds on the receipt printer) and returns when the printer has answered; success only when CUPS says the job completed
	Discard()     // forgets the document: its bytes and pictures are zeroed; during Print, the job is withdrawn (canceled at the printer)
}
