package ui

import (
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/documents"
)

// previewStage is where the print preview stands.
type previewStage int

const (
	previewNone        previewStage = iota
	previewUnavailable              // no Printer at all: nothing can make the document
	previewPreparing                // Prepare runs off the UI goroutine
	previewFailed                   // Prepare failed: err says why
	previewReady                    // a page is shown, with Print and Cancel where a printer is set up
	previewPrinting                 // Print runs off the UI goroutine
	previewDone                     // the printer said the job completed
	previewPrintFailed              // the printer's reason is in err
)

// previewState is the print preview's view. It holds the prepared document, which is the
// person's data: dropPreview discards it, and sign-out, Quick Exit and time-out call that.
type previewState struct {
	stage previewStage
	kind  documents.Kind
	year  int // the year a statement or coupon is for, for the title
	month time.Month
	staff bool   // a staff member prints (the screen may show without a parent signed in)
	back  string // the screen to go back to
	seq   int    // raised at every new preview, so a late result of an old one is dropped
	doc   Prepared
	err   error

	page    int         // the page on screen, from 1
	pic     image.Image // its picture once drawn; nil while it is drawn or when none could be made
	drawing bool        // the page on screen is being drawn off the UI goroutine
}

func (p previewState) active() bool { return p.stage != previewNone }

// previewAllowed reports whether the preview screen may show: a parent's preview needs the
// parent signed in; a staff member's needs a preview under way (staff mode signs itself out).
func (k *Kiosk) previewAllowed() bool {
	return k.prev.active() && (k.prev.staff && k.staffOn() || k.signedIn())
}

// dropPreview forgets the preview. A document being printed belongs to the print until the
// printer answers; the print's callback discards it then. The pictures of its pages go with
// the document (Discard zeroes them).
func (k *Kiosk) dropPreview() {
	if k.prev.doc != nil && k.prev.stage != previewPrinting {
		k.prev.doc.Discard()
	}
	k.prev = previewState{seq: k.prev.seq + 1}
}

// queues is which of the kiosk's printers are set up; none without a Printer.
func (k *Kiosk) queues() Queues {
	if k.o.Printer == nil {
		return Queues{}
	}
	return k.o.Printer.Queues()
}

// printDoc makes the document of job, shows its pages with Print and Cancel, and goes back to
// the screen back when the person is done. Other screens print only through here. The pages
// are shown whether or not this kiosk can print the document; the screen says which.
func (k *Kiosk) printDoc(job documents.Job, back string) {
	if job.Staff == "" && k.sess != nil && k.staffOn() {
		job.Staff = k.sess.AssistedBy() // a print for a parent helped by staff is the staff's action
	}
	k.touch()
	k.dropPreview()
	st := &k.prev
	st.kind, st.year, st.month, st.staff, st.back = job.Kind, job.Year, job.Month, job.Staff != "", back
	k.screen = scrPreview
	if k.o.Printer == nil {
		st.stage = previewUnavailable
		k.render()
		return
	}
	st.stage = previewPreparing
	k.render()
	seq, printer := st.seq, k.o.Printer
	var doc Prepared
	var pic image.Image
	var err error
	discard := func() {
		if doc != nil {
			doc.Discard() // the person signed out or moved on
		}
	}
	k.async(func() {
		doc, err = printer.Prepare(job)
		job.PIN = "" // the goroutine's copy of the job holds the PIN no longer than needed
		if err == nil {
			pic = doc.Page(1)
		}
	}, func() {
		if seq != k.prev.seq || k.screen != scrPreview {
			discard()
			return
		}
		if err != nil {
			k.prev.stage, k.prev.err = previewFailed, err
		} else {
			k.prev.stage, k.prev.doc, k.prev.page, k.prev.pic = previewReady, doc, 1, pic
		}
		k.render()
		k.drawAhead(2)
	}, discard)
}

// turnPage shows the page delta away from the one on screen, if there is one: at once when it
// was drawn already, else a note while it is drawn off the UI goroutine.
func (k *Kiosk) turnPage(delta int) {
	st := &k.prev
	if st.doc == nil || (st.stage != previewReady && st.stage != previewPrinting) {
		return
	}
	n := st.page + delta
	if delta == 0 || n < 1 || n > st.doc.Pages() {
		return
	}
	k.touch()
	st.page, st.pic, st.drawing = n, nil, true
	k.render()
	seq, doc := st.seq, st.doc
	var pic image.Image
	k.async(func() { pic = doc.Page(n) }, func() {
		if seq != k.prev.seq || k.prev.doc != doc || k.prev.page != n {
			return // late: the person turned on or left (the document keeps or has zeroed it)
		}
		k.prev.pic, k.prev.drawing = pic, false
		k.render()
		k.drawAhead(n + 1)
	}, nil)
}

// drawAhead draws page n of the document on screen off the UI goroutine, so that Next shows
// it at once. The document keeps the picture; nothing here holds it.
func (k *Kiosk) drawAhead(n int) {
	doc := k.prev.doc
	if doc == nil || n > doc.Pages() {
		return
	}
	k.bridge.background(func() { doc.Page(n) }, func() {})
}

// printPrepared prints the document on screen off the UI goroutine and shows the printer's
// answer.
func (k *Kiosk) printPrepared() {
	st := &k.prev
	if st.stage != previewReady || st.doc == nil || !k.queues().For(st.kind) {
		return
	}
	st.stage = previewPrinting
	k.render()
	seq, doc := st.seq, st.doc
	var err error
	k.async(func() { err = doc.Print() }, func() {
		if seq != k.prev.seq {
			doc.Discard() // the preview was left while the printer worked
			return
		}
		// Printed or not, the person starts again from the screen they came from.
		doc.Discard()
		k.prev.doc, k.prev.pic = nil, nil
		if err != nil {
			k.prev.stage, k.prev.err = previewPrintFailed, err
		} else {
			k.prev.stage = previewDone
		}
		k.render()
	}, doc.Discard) // signed out while the printer worked
}

// leavePreview discards the document and goes back.
func (k *Kiosk) leavePreview() {
	back := k.prev.back
	k.dropPreview()
	if back == "" {
		back = scrHome
	}
	k.show(back)
}

// whereText says where the document will print, from the queues actually set up for its
// kind, or that it cannot print at this kiosk. The staff desk prints through the same queues,
// so nothing here promises that the front desk can print what the kiosk cannot.
func (k *Kiosk) whereText(kind documents.Kind) string {
	q := k.queues()
	switch {
	case q.For(kind) && kind.OnRoll():
		return k.t("ui.print.where_roll")
	case q.For(kind):
		return k.t("ui.print.where_office")
	case !q.Office && !q.Receipt:
		return k.t("ui.print.unavailable")
	case kind.OnRoll():
		return k.t("preview.no_receipt_printer")
	}
	return k.t("preview.no_office_printer")
}

// printSetupText tells staff what this kiosk can print, and where, from the queues set up.
func (k *Kiosk) printSetupText() string {
	q := k.queues()
	switch {
	case q.Office && q.Receipt:
		return k.t("preview.status_both")
	case q.Office:
		return k.t("preview.status_office_only")
	case q.Receipt:
		return k.t("preview.status_receipt_only")
	}
	return k.t("preview.status_none")
}

// previewScreen shows the document's pages, one at a time across the screen's width, with
// what can be done with it; or where the preview stands.
func (k *Kiosk) previewScreen() fyne.CanvasObject {
	st := &k.prev
	title := container.NewVBox(heading(k.t("ui.print.preview_title")), subheading(k.printTitle()))
	back := k.btn("ui.detail.back", k.leavePreview)
	box := container.NewVBox(title)
	switch st.stage {
	case previewUnavailable:
		box.Add(text(k.whereText(st.kind)))
		box.Add(sized(0, 56, back))
	case previewPreparing:
		box.Add(text(k.t("ui.print.preparing")))
		box.Add(widget.NewProgressBarInfinite())
		box.Add(sized(0, 56, k.btn("ui.print.cancel", k.leavePreview)))
	case previewFailed, previewPrintFailed:
		box.Add(problemText(k.problem(st.err)))
		box.Add(sized(0, 56, back))
	case previewReady, previewPrinting:
		return k.pagesScreen(title)
	case previewDone:
		if st.kind.OnRoll() {
			box.Add(noteText(k.t("ui.print.done_roll")))
		} else {
			box.Add(noteText(k.t("print.completed")))
		}
		box.Add(sized(0, 56, back))
	}
	return box
}

// pagesScreen is the preview of a prepared document: the title and what can be done with it
// above, the pager, and the page on screen below, filling the rest of the screen.
func (k *Kiosk) pagesScreen(title fyne.CanvasObject) fyne.CanvasObject {
	st := &k.prev
	pages := st.doc.Pages()
	printable := k.queues().For(st.kind)
	info := k.whereText(st.kind)
	if printable && pages > 1 {
		info += " " + k.t("ui.print.all_pages", "pages", k.lang.Int(int64(pages)))
	}
	if pages > 1 {
		info += " " + k.t("preview.swipe")
	}
	var actions []fyne.CanvasObject
	if printable {
		print := k.btn("ui.print.print", k.printPrepared)
		print.Importance = widget.HighImportance
		cancel := k.btn("ui.print.cancel", k.leavePreview)
		if st.stage == previewPrinting {
			print.Disable()
			cancel.Disable()
		}
		actions = append(actions, sized(160, 56, print), sized(140, 56, cancel))
	} else {
		actions = append(actions, sized(140, 56, k.btn("ui.detail.back", k.leavePreview)))
	}
	// The title with the buttons beside it, what prints where across the width, the pager;
	// the page below gets the rest of the screen (topAndPage).
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewVBox(container.NewHBox(actions...)), title),
		text(info))
	if st.stage == previewPrinting {
		top.Add(text(k.t("ui.print.working")))
		top.Add(widget.NewProgressBarInfinite())
	}
	top.Add(k.pagePager(pages))
	note := ""
	switch {
	case st.drawing:
		note = k.t("preview.drawing", "page", k.lang.Int(int64(st.page)))
	case st.pic == nil:
		note = k.t("ui.print.no_preview")
	}
	return container.New(topAndPage{}, top, newPageView(st.pic, note, k.turnPage))
}

// pagePager is "Page 2 of 3" between big Previous and Next buttons.
func (k *Kiosk) pagePager(pages int) fyne.CanvasObject {
	st := &k.prev
	of := boldLabel(k.t("ui.pager.of", "page", k.lang.Int(int64(st.page)), "pages", k.lang.Int(int64(pages))))
	of.Alignment = fyne.TextAlignCenter
	if pages <= 1 {
		return of
	}
	prev := k.btn("ui.pager.previous", func() { k.turnPage(-1) })
	prev.Icon = theme.NavigateBackIcon()
	next := k.btn("ui.pager.next", func() { k.turnPage(1) })
	next.Icon, next.IconPlacement = theme.NavigateNextIcon(), widget.ButtonIconTrailingText
	if st.page <= 1 {
		prev.Disable()
	}
	if st.page >= pages {
		next.Disable()
	}
	return container.NewCenter(container.NewHBox(sized(180, 64, prev), sized(140, 64, container.NewCenter(of)), sized(180, 64, next)))
}

// printTitle names what is being printed.
func (k *Kiosk) printTitle() string {
	st := &k.prev
	month := func() string {
		if st.month == 0 {
			return ""
		}
		return k.lang.MonthYear(st.year, st.month)
	}
	e, ok := documents.Of(st.kind)
	if !ok {
		return ""
	}
	return k.t(e.Title, "year", itoa(st.year), "month", month())
}
