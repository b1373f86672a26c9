package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// previewStage is where the print preview stands.
type previewStage int

const (
	previewNone        previewStage = iota
	previewUnavailable              // no printer at this kiosk
	previewPreparing                // Prepare runs off the UI goroutine
	previewFailed                   // Prepare failed: err says why
	previewReady                    // the first page is shown with Print and Cancel
	previewPrinting                 // Print runs off the UI goroutine
	previewDone                     // the printer said the job completed
	previewPrintFailed              // the printer's reason is in err
)

// previewState is the print preview's view. It holds the prepared document, which is the
// person's data: dropPreview discards it, and sign-out, Quick Exit and time-out call that.
type previewState struct {
	stage previewStage
	kind  PrintKind
	year  int // the year a statement or coupon is for, for the title
	month time.Month
	staff bool   // a staff member prints (the screen may show without a parent signed in)
	back  string // the screen to go back to
	seq   int    // raised at every new preview, so a late result of an old one is dropped
	doc   Prepared
	err   error
}

func (p previewState) active() bool { return p.stage != previewNone }

// previewAllowed reports whether the preview screen may show: a parent's preview needs the
// parent signed in; a staff member's needs a preview under way (staff mode signs itself out).
func (k *Kiosk) previewAllowed() bool {
	return k.prev.active() && (k.prev.staff && k.staffOn() || k.signedIn())
}

// dropPreview forgets the preview. A document being printed belongs to the print until the
// printer answers; the print's callback discards it then.
func (k *Kiosk) dropPreview() {
	if k.prev.doc != nil && k.prev.stage != previewPrinting {
		k.prev.doc.Discard()
	}
	k.prev = previewState{seq: k.prev.seq + 1}
}

// printDoc makes the document of job, shows its first page with Print and Cancel, and goes
// back to the screen back when the person is done. Other screens print only through here.
func (k *Kiosk) printDoc(job PrintJob, back string) {
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
	gen, seq, printer := k.gen, st.seq, k.o.Printer
	var doc Prepared
	var err error
	k.bridge.background(func() {
		doc, err = printer.Prepare(job)
		job.PIN = "" // the goroutine's copy of the job holds the PIN no longer than needed
	}, func() {
		if gen != k.gen || seq != k.prev.seq || k.screen != scrPreview {
			if doc != nil {
				doc.Discard() // the person signed out or moved on
			}
			return
		}
		if err != nil {
			k.prev.stage, k.prev.err = previewFailed, err
		} else {
			k.prev.stage, k.prev.doc = previewReady, doc
		}
		k.render()
	})
}

// printPrepared prints the document on screen off the UI goroutine and shows the printer's
// answer.
func (k *Kiosk) printPrepared() {
	st := &k.prev
	if st.stage != previewReady || st.doc == nil {
		return
	}
	st.stage = previewPrinting
	k.render()
	gen, seq, doc := k.gen, st.seq, st.doc
	var err error
	k.bridge.background(func() { err = doc.Print() }, func() {
		if gen != k.gen || seq != k.prev.seq {
			doc.Discard() // the preview was left while the printer worked
			return
		}
		// Printed or not, the person starts again from the screen they came from.
		doc.Discard()
		k.prev.doc = nil
		if err != nil {
			k.prev.stage, k.prev.err = previewPrintFailed, err
		} else {
			k.prev.stage = previewDone
		}
		k.render()
	})
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

// previewScreen shows the first page as a picture beside what can be done with it.
func (k *Kiosk) previewScreen() fyne.CanvasObject {
	st := &k.prev
	side := container.NewVBox(heading(k.t("ui.print.preview_title")), subheading(k.printTitle()))
	var page fyne.CanvasObject
	back := k.btn("ui.detail.back", k.leavePreview)
	switch st.stage {
	case previewUnavailable:
		side.Add(text(k.t("ui.print.unavailable")))
		side.Add(sized(0, 56, back))
	case previewPreparing:
		side.Add(text(k.t("ui.print.preparing")))
		side.Add(widget.NewProgressBarInfinite())
		side.Add(sized(0, 56, k.btn("ui.print.cancel", k.leavePreview)))
	case previewFailed:
		side.Add(problemText(k.problem(st.err)))
		side.Add(sized(0, 56, back))
	case previewReady, previewPrinting:
		pages := st.doc.Pages()
		side.Add(text(k.t("ui.pager.of", "page", k.lang.Int(1), "pages", k.lang.Int(int64(pages)))))
		p, ok := st.doc.(Printable)
		printable := !ok || p.Printable()
		if pages > 1 && printable {
			side.Add(text(k.t("ui.print.all_pages", "pages", k.lang.Int(int64(pages)))))
		}
		if !printable {
			side.Add(text(k.t("ui.print.unavailable")))
			side.Add(sized(0, 56, back))
			page = k.pagePicture()
			break
		}
		if k.prev.kind.OnRoll() {
			side.Add(text(k.t("ui.print.where_roll")))
		} else {
			side.Add(text(k.t("ui.print.where_office")))
		}
		print := k.btn("ui.print.print", k.printPrepared)
		print.Importance = widget.HighImportance
		cancel := k.btn("ui.print.cancel", k.leavePreview)
		if st.stage == previewPrinting {
			print.Disable()
			cancel.Disable()
			side.Add(sized(0, 56, print))
			side.Add(text(k.t("ui.print.working")))
			side.Add(widget.NewProgressBarInfinite())
		} else {
			side.Add(sized(0, 56, print))
			side.Add(sized(0, 56, cancel))
		}
		page = k.pagePicture()
	case previewDone:
		if st.kind.OnRoll() {
			side.Add(noteText(k.t("ui.print.done_roll")))
		} else {
			side.Add(noteText(k.t("print.completed")))
		}
		side.Add(sized(0, 56, back))
	case previewPrintFailed:
		side.Add(problemText(k.problem(st.err)))
		side.Add(sized(0, 56, back))
	}
	if page == nil {
		return side
	}
	// Lay the column out at its width once, so its wrapped lines count in its height.
	w := k.sideWidth()
	for range 2 {
		side.Resize(fyne.NewSize(w, side.MinSize().Height))
	}
	return container.NewBorder(nil, nil, nil, sized(w, 0, side), page)
}

// sideWidth is the width of the column beside the picture.
func (k *Kiosk) sideWidth() float32 {
	if k.theme.large {
		return 400
	}
	return 340
}

// pagePicture is the first page, fitted into the room left under the header and beside the
// navigation on a 1280×800 screen, or a sentence when no picture could be made.
func (k *Kiosk) pagePicture() fyne.CanvasObject {
	img := k.prev.doc.Preview()
	if img == nil {
		return container.NewVBox(text(k.t("ui.print.no_preview")))
	}
	pic := canvas.NewImageFromImage(img)
	pic.FillMode = canvas.ImageFillContain
	pic.ScaleMode = canvas.ImageScaleSmooth
	h := float32(480)
	if k.theme.large {
		h = 420
	}
	pic.SetMinSize(fyne.NewSize(h*0.78, h))
	frame := canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))
	return container.NewPadded(container.NewStack(frame, container.NewPadded(pic)))
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
	switch st.kind {
	case PrintPage:
		return k.t("ui.print.kind.page")
	case PrintYear:
		return k.t("ui.print.kind.year", "year", itoa(st.year))
	case PrintMonth:
		return k.t("ui.print.kind.month", "month", month())
	case PrintCoupon:
		return k.t("ui.print.kind.coupon", "month", month())
	case PrintReceipt:
		return k.t("ui.print.kind.receipt")
	case PrintPINSlip:
		return k.t("ui.print.kind.pin_slip")
	case PrintCard:
		return k.t("ui.print.kind.card")
	}
	return ""
}
