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
)

// OnRoll reports whether the kind prints on the receipt roll rather than on Letter paper.
func (k PrintKind) OnRoll() bool {
	return k == PrintReceipt || k == PrintPINSlip || k == PrintCard
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
	Row         *session.Row // PrintReceipt
	PIN         string       // PrintPINSlip only; never logged; wiped by Discard
	Expires     time.Time    // PrintPINSlip
	Staff       string       // staff ID when a staff member prints or assists (audit), else ""
	AsOf        time.Time
}

// Printer makes documents and prints them. app/ui/uiprint implements it.
type Printer interface {
	// Prepare makes the document of job and a picture of its first page. It runs off the UI goroutine.
	Prepare(job PrintJob) (Prepared, error)
}

// Prepared is a document ready to print.
// Printable is implemented by a Prepared document that can tell whether this kiosk has a
// printer for its kind. One that has none is still shown, with no Print button: a parent sees
// the page and is told printing is not available here.
type Printable interface {
	Printable() bool
}

type Prepared interface {
	Preview() image.Image // the first page; nil when no picture could be made (the screen then says so)
	Pages() int
	Print() error // prints on the right printer (roll kinds on the receipt printer) and returns when the printer has answered; success only when CUPS says the job completed
	Discard()     // forgets the document: its bytes are zeroed; during Print, the job is withdrawn (canceled at the printer)
}
