package ui

import (
	"image"

	"childsupportkiosk/app/documents"
)

// Printer makes documents and prints them. app/ui/uiprint implements it.
type Printer interface {
	// Prepare makes the document of job and a picture of its first page. It runs off the UI goroutine.
	Prepare(job documents.Job) (Prepared, error)
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
func (q Queues) For(kind documents.Kind) bool {
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
