package ui

import (
	"image"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/session"
)

func TestPrintReceiptAndMonthFromADetail(t *testing.T) {
	r := newRig(t, shared(t))
	f := &fakePrinter{}
	r.k.o.Printer = f
	s := r.s["custodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.payments"))
	tapFirstRow(t, r)
	open := *r.k.person.pay.open

	tap(t, r.c, r.tr("ui.print.receipt"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.print.kind.receipt"))
	mustHave(t, r.c, r.tr("ui.print.where_roll"))
	j := f.last(t)
	if j.Kind != documents.PaymentReceipt || j.Row == nil || j.Row.Date != open.Date || j.Row.Amount != open.Amount ||
		j.Participant.ID != s.Participant || j.Side != session.Received {
		t.Fatalf("prepared %+v", j)
	}
	tap(t, r.c, r.tr("ui.print.print"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.print.done_roll"))
	tap(t, r.c, r.tr("ui.detail.back"))
	mustHave(t, r.c, r.tr("ui.print.receipt")) // back on the same payment's detail
	if r.k.person.pay.open == nil || r.k.person.pay.open.Date != open.Date {
		t.Fatal("the detail lost its payment")
	}

	month := r.tr("ui.print.month", "month", r.k.lang.MonthYear(open.Date.Year, open.Date.Month))
	tap(t, r.c, month)
	r.k.bridge.wait()
	if j := f.last(t); j.Kind != documents.MonthlyStatement || j.Year != open.Date.Year || j.Month != open.Date.Month {
		t.Fatalf("prepared %+v", j)
	}
	mustHave(t, r.c, r.tr("ui.print.where_office"))
	tap(t, r.c, r.tr("ui.print.cancel"))
	mustHave(t, r.c, r.tr("ui.print.receipt"))
	if _, n := f.counts(); n != 1 || f.undiscarded() != 0 {
		t.Fatalf("printed %d, %d documents kept", n, f.undiscarded())
	}
}

func TestPrintCouponForPayersOnly(t *testing.T) {
	r := newRig(t, shared(t))
	f := &fakePrinter{}
	r.k.o.Printer = f
	s := r.s["custodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.pay"))
	mustNotHave(t, r.c, r.tr("ui.print.coupon"))
	tap(t, r.c, r.tr("ui.sign_out"))

	s = r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.pay"))
	tap(t, r.c, r.tr("ui.print.coupon"))
	r.k.bridge.wait()
	now := r.k.local(r.clock.Now())
	j := f.last(t)
	if j.Kind != documents.PaymentCoupon || j.Year != now.Year() || j.Month != now.Month() || j.Participant.ID != s.Participant {
		t.Fatalf("prepared %+v", j)
	}
	mustHave(t, r.c, r.tr("ui.print.kind.coupon", "month", r.k.lang.MonthYear(now.Year(), now.Month())))
	tap(t, r.c, r.tr("ui.print.print"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("print.completed"))
	tap(t, r.c, r.tr("ui.detail.back"))
	mustHave(t, r.c, r.tr("ui.print.coupon"))
}

// Leaving the preview any way discards the document; a document still being made when the
// person leaves is discarded when it arrives, and never shown.
func TestPreviewIsDiscardedOnLeaving(t *testing.T) {
	r := newRig(t, shared(t))
	f := &fakePrinter{}
	r.k.o.Printer = f
	s := r.s["noncustodial"]
	for _, how := range []string{"quick exit", "time-out", "navigation", "sign-out while preparing"} {
		t.Run(how, func(t *testing.T) {
			r.k.setLanguage("en")
			r.signIn(t, s.Participant, s.PIN)
			tap(t, r.c, r.tr("ui.nav.payments"))
			if how == "sign-out while preparing" {
				f.gate = make(chan struct{})
			}
			tap(t, r.c, r.tr("ui.print.page"))
			switch how {
			case "quick exit":
				r.k.bridge.wait()
				mustHave(t, r.c, r.tr("ui.print.print"))
				tap(t, r.c, r.tr("ui.quick_exit"))
			case "time-out":
				r.k.bridge.wait()
				r.clock.Add(r.env.Profile.Idle() + r.env.Profile.Warning())
				r.k.tick()
				mustHave(t, r.c, r.tr("ui.signin.timed_out"))
			case "navigation":
				r.k.bridge.wait()
				tap(t, r.c, r.tr("ui.nav.home"))
			case "sign-out while preparing":
				mustHave(t, r.c, r.tr("ui.print.preparing"))
				r.k.quickExit()
				close(f.gate)
				r.k.bridge.wait()
				f.gate = nil
				mustNotHave(t, r.c, r.tr("ui.print.print"))
			}
			if f.undiscarded() != 0 {
				t.Fatal("a document outlived the preview")
			}
			if how != "navigation" {
				assertNoTrace(t, r, s)
				if r.k.prev.active() || r.k.prev.doc != nil || r.k.screen == scrPreview {
					t.Fatalf("preview state kept: %+v", r.k.prev)
				}
				r.k.show(scrWelcome)
			} else {
				tap(t, r.c, r.tr("ui.sign_out"))
			}
		})
	}
	if _, n := f.counts(); n != 0 {
		t.Fatalf("printed %d", n)
	}
}

// Quick Exit while the printer works withdraws the job; moving to another screen lets it print.
func TestQuickExitWithdrawsAPrintInProgress(t *testing.T) {
	r := newRig(t, shared(t))
	f := &fakePrinter{}
	r.k.o.Printer = f
	s := r.s["noncustodial"]
	for _, how := range []string{"quick exit", "navigation"} {
		t.Run(how, func(t *testing.T) {
			f.printGate = make(chan struct{})
			r.signIn(t, s.Participant, s.PIN)
			tap(t, r.c, r.tr("ui.nav.payments"))
			tap(t, r.c, r.tr("ui.print.page"))
			r.k.bridge.wait()
			tap(t, r.c, r.tr("ui.print.print"))
			if r.k.prev.stage != previewPrinting {
				t.Fatalf("stage %v after Print", r.k.prev.stage)
			}
			f.waitPrinting(t)
			f.mu.Lock()
			before := f.withdrawn
			f.mu.Unlock()
			switch how {
			case "quick exit":
				tap(t, r.c, r.tr("ui.quick_exit"))
				f.mu.Lock()
				withdrawn := f.withdrawn - before
				f.mu.Unlock()
				if withdrawn != 1 {
					close(f.printGate) // let the print end, so that the test ends
					r.k.bridge.wait()
					t.Fatalf("%d jobs withdrawn after Quick Exit during a print, want 1", withdrawn)
				}
				r.k.bridge.wait()
				assertNoTrace(t, r, s)
				r.k.show(scrWelcome)
			case "navigation":
				tap(t, r.c, r.tr("ui.nav.home"))
				close(f.printGate)
				r.k.bridge.wait()
				f.mu.Lock()
				withdrawn := f.withdrawn - before
				f.mu.Unlock()
				if withdrawn != 0 {
					t.Fatalf("a print was withdrawn when the person moved to Home")
				}
				if _, printed := f.counts(); printed != 1 {
					t.Fatalf("%d printed, want 1", printed)
				}
				tap(t, r.c, r.tr("ui.sign_out"))
			}
			if f.undiscarded() != 0 {
				t.Fatal("a document outlived the print")
			}
		})
	}
}

// Every language and large text fit the preview on the kiosk's screen.
func TestPreviewFits(t *testing.T) {
	r := newRig(t, shared(t))
	r.w.Resize(fyne.NewSize(1280, 800))
	f := &fakePrinter{}
	r.k.o.Printer = f
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.payments"))
	tap(t, r.c, r.tr("ui.print.page"))
	r.k.bridge.wait()
	for _, large := range []bool{false, true} {
		r.k.setLarge(large)
		for _, l := range []string{"en", "es", "fr"} {
			r.k.setLanguage(l)
			mustHave(t, r.c, r.tr("ui.print.print"))
			if m := r.c.Content().MinSize(); m.Width > 1280 {
				t.Errorf("large=%v %s: the preview needs %v", large, l, m)
			}
			// The picture and its buttons show without scrolling: header, body and footer
			// (with the scroller's padding) fit 800 pixels.
			h := r.k.header().MinSize().Height + r.k.previewScreen().MinSize().Height + r.k.footer().MinSize().Height
			if h+4*theme.Padding() > 800 {
				t.Errorf("large=%v %s: the preview is %v px high", large, l, h)
			}
		}
	}
	r.k.setLarge(false)
}

// shotPreviews saves the print preview of a payments page and of a receipt in every language,
// and in large text, for TestShots.
func shotPreviews(t *testing.T, r *rig, role string, shot func(string)) {
	saved := r.k.o.Printer
	defer func() { r.k.o.Printer = saved }()
	r.k.o.Printer = &fakePrinter{page: true}
	for _, large := range []bool{false, true} {
		r.k.setLarge(large)
		for _, l := range []string{"en", "es", "fr"} {
			r.k.setLanguage(l)
			r.k.show(scrPayments)
			tap(t, r.c, r.tr("ui.print.page"))
			r.k.bridge.wait()
			name := role + "-preview-" + l
			if large {
				name += "-large"
			}
			shot(name)
			tap(t, r.c, r.tr("ui.print.print"))
			r.k.bridge.wait()
			shot(name + "-done")
			tap(t, r.c, r.tr("ui.detail.back"))
		}
	}
	r.k.setLarge(false)
	r.k.setLanguage("en")
	r.k.show(scrPayments)
	tapFirstRow(t, r)
	tap(t, r.c, r.tr("ui.print.receipt"))
	r.k.bridge.wait()
	shot(role + "-preview-receipt")
	tap(t, r.c, r.tr("ui.print.cancel"))
}

// With no printer for its kind, the preview still shows the page, says printing is not
// available here, and offers no Print button (the demo without test printers).
func TestPreviewWithoutAPrinter(t *testing.T) {
	r := newRig(t, shared(t))
	f := &fakePrinter{noPrinter: true}
	r.k.o.Printer = f
	s := r.s["custodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.payments"))
	tapFirstRow(t, r)
	tap(t, r.c, r.tr("ui.print.receipt"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.print.kind.receipt"))
	mustHave(t, r.c, r.tr("ui.print.unavailable"))
	mustNotHave(t, r.c, r.tr("ui.print.where_roll"))
	mustNotHave(t, r.c, r.tr("ui.print.all_pages", "pages", r.k.lang.Int(2))) // nothing will be printed
	pictures := 0
	walk(r.c, func(o fyne.CanvasObject, visible bool) {
		if _, ok := o.(*canvas.Image); ok && visible {
			pictures++
		}
		if b, ok := o.(*widget.Button); ok && visible && b.Text == r.tr("ui.print.print") {
			t.Error("a Print button, with no printer to print on")
		}
	})
	if pictures == 0 {
		t.Fatal("no picture of the page")
	}
	tap(t, r.c, r.tr("ui.detail.back"))
	mustHave(t, r.c, r.tr("ui.print.receipt"))
	if _, n := f.counts(); n != 0 || f.undiscarded() != 0 {
		t.Fatalf("printed %d, %d documents kept", n, f.undiscarded())
	}
}

// shownPage finds the page view on screen: the picture it shows (nil: a note), and the width
// the picture is drawn at.
func shownPage(t *testing.T, r *rig) (*pageView, image.Image, float32) {
	t.Helper()
	var v *pageView
	walk(r.c, func(o fyne.CanvasObject, visible bool) {
		if p, ok := o.(*pageView); ok && visible && v == nil {
			v = p
		}
	})
	if v == nil {
		t.Fatalf("no page on screen; texts: %q", texts(r.c))
	}
	if v.pic == nil {
		return v, nil, 0
	}
	return v, v.pic.Image, v.pic.Size().Width
}

// swipe drags a finger across the page on screen, in ten moves. It goes to the page view, as
// the desktop driver sends it (the deepest draggable under the finger): built with the ci tag,
// Fyne's own scroll container takes drags itself, as on a phone, which test.Drag would find.
func swipe(t *testing.T, r *rig, dx, dy float32) {
	t.Helper()
	v, _, _ := shownPage(t, r)
	for range 10 {
		v.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: dx / 10, DY: dy / 10}})
	}
	v.DragEnd()
	r.k.bridge.wait()
}

// The preview shows every page, one at a time, large enough to read on the kiosk's screen,
// in normal and large text: Previous and Next turn it, and so does a finger's swipe; a drag up
// or down scrolls the page and does not turn it.
func TestPreviewPagesByTouch(t *testing.T) {
	r := newRig(t, shared(t))
	r.w.Resize(fyne.NewSize(1280, 800))
	f := &fakePrinter{page: true, pages: 3}
	r.k.o.Printer = f
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.payments"))
	for _, large := range []bool{false, true} {
		r.k.setLarge(large)
		tap(t, r.c, r.tr("ui.print.page"))
		r.k.bridge.wait()
		of := func(n int) string {
			return r.tr("ui.pager.of", "page", r.k.lang.Int(int64(n)), "pages", r.k.lang.Int(3))
		}
		want := func(n int) {
			t.Helper()
			mustHave(t, r.c, of(n))
			_, img, w := shownPage(t, r)
			if img == nil {
				t.Fatalf("large=%v: no picture of page %d", large, n)
			}
			if got := pageOf(img); got != n {
				t.Fatalf("large=%v: the picture of page %d shows, want page %d", large, got, n)
			}
			// A Letter page 900 pixels wide draws the statements' 8.5-point table text 12.5
			// pixels high: readable at arm's length (the old thumbnail: 6 pixels).
			if w < 900 {
				t.Errorf("large=%v: page %d drawn %v pixels wide, want at least 900", large, n, w)
			}
		}
		want(1)
		mustHave(t, r.c, r.tr("preview.swipe"))
		tap(t, r.c, r.tr("ui.pager.next"))
		r.k.bridge.wait()
		want(2)
		tap(t, r.c, r.tr("ui.pager.previous"))
		r.k.bridge.wait()
		want(1)
		swipe(t, r, -200, 10) // to the left: the next page
		want(2)
		swipe(t, r, -200, -20)
		want(3)
		swipe(t, r, -200, 0) // past the last page: stays
		want(3)
		swipe(t, r, 200, 0) // to the right: the previous page
		want(2)
		swipe(t, r, 30, 0) // too short to be a swipe
		want(2)
		v, _, _ := shownPage(t, r)
		swipe(t, r, 10, -300) // up: scrolls the page, does not turn it
		want(2)
		if v.scroll.Offset.Y <= 0 {
			t.Errorf("large=%v: a drag up did not scroll the page (offset %v)", large, v.scroll.Offset)
		}
		for _, b := range []string{"ui.pager.previous", "ui.pager.next"} {
			if h := buttonNamed(t, r, r.tr(b)).Size().Height; h < 56 {
				t.Errorf("large=%v: %s is %v px high", large, b, h)
			}
		}
		tap(t, r.c, r.tr("ui.print.cancel"))
	}
	r.k.setLarge(false)
	if _, n := f.counts(); n != 0 || f.undiscarded() != 0 {
		t.Fatalf("printed %d, %d documents kept", n, f.undiscarded())
	}
}

// buttonNamed is the visible button with the text label.
func buttonNamed(t *testing.T, r *rig, label string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(r.c, func(o fyne.CanvasObject, visible bool) {
		if b, ok := o.(*widget.Button); ok && visible && b.Text == label && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q", label)
	}
	return found
}

// A page drawn after the person turned on, left the preview or signed out is dropped: the
// screen shows the page asked for last, and nothing of a person who left.
func TestPreviewDropsALatePage(t *testing.T) {
	r := newRig(t, shared(t))
	f := &fakePrinter{page: true, pages: 3}
	r.k.o.Printer = f
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.payments"))
	tap(t, r.c, r.tr("ui.print.page"))
	r.k.bridge.wait()

	f.pageGate = make(chan struct{})
	tap(t, r.c, r.tr("ui.pager.next"))
	mustHave(t, r.c, r.tr("preview.drawing", "page", r.k.lang.Int(2)))
	tap(t, r.c, r.tr("ui.pager.next")) // on to page 3 before page 2 is drawn
	mustHave(t, r.c, r.tr("preview.drawing", "page", r.k.lang.Int(3)))
	close(f.pageGate)
	r.k.bridge.wait()
	f.pageGate = nil
	if _, img, _ := shownPage(t, r); img == nil || pageOf(img) != 3 {
		t.Fatalf("after a late page 2, the screen shows %v, want page 3", img)
	}

	f.pageGate = make(chan struct{})
	tap(t, r.c, r.tr("ui.pager.previous"))
	tap(t, r.c, r.tr("ui.quick_exit"))
	close(f.pageGate)
	r.k.bridge.wait()
	f.pageGate = nil
	if r.k.prev.active() || r.k.prev.pic != nil || r.k.screen == scrPreview {
		t.Fatalf("the preview outlived Quick Exit: %+v", r.k.prev)
	}
	assertNoTrace(t, r, s)
	if f.undiscarded() != 0 {
		t.Fatal("a document outlived Quick Exit")
	}
}

// The preview says where a document prints from the queues actually set up for its kind, and
// offers Print only then; the staff status says what the kiosk can print, for each setup.
func TestPrintWhereForEachSetup(t *testing.T) {
	env := shared(t)
	r := newRig(t, env)
	s := r.s["noncustodial"]
	type want struct{ page, receipt, status string }
	for _, c := range []struct {
		name string
		q    Queues
		want want
	}{
		{"both", Queues{Office: true, Receipt: true},
			want{"ui.print.where_office", "ui.print.where_roll", "preview.status_both"}},
		{"office only", Queues{Office: true},
			want{"ui.print.where_office", "preview.no_receipt_printer", "preview.status_office_only"}},
		{"receipt only", Queues{Receipt: true},
			want{"preview.no_office_printer", "ui.print.where_roll", "preview.status_receipt_only"}},
		{"none", Queues{},
			want{"ui.print.unavailable", "ui.print.unavailable", "preview.status_none"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := c.q
			f := &fakePrinter{queues: &q}
			r.k.o.Printer = f
			r.signIn(t, s.Participant, s.PIN)
			tap(t, r.c, r.tr("ui.nav.payments"))
			check := func(kind documents.Kind, key string) {
				t.Helper()
				r.k.bridge.wait()
				_, before := f.counts()
				mustHave(t, r.c, r.tr(key))
				for _, other := range []string{"ui.print.where_office", "ui.print.where_roll", "ui.print.unavailable",
					"preview.no_office_printer", "preview.no_receipt_printer"} {
					if other != key {
						mustNotHave(t, r.c, r.tr(other))
					}
				}
				printable := false
				walk(r.c, func(o fyne.CanvasObject, visible bool) {
					if b, ok := o.(*widget.Button); ok && visible && b.Text == r.tr("ui.print.print") {
						printable = true
					}
				})
				if printable != q.For(kind) {
					t.Errorf("%s: a Print button %v, with queues %+v", kind, printable, q)
				}
				if _, img, _ := shownPage(t, r); img == nil {
					t.Errorf("%s: no page shown", kind)
				}
				r.k.printPrepared() // does nothing without the queue
				r.k.bridge.wait()
				if _, n := f.counts(); (n-before == 1) != q.For(kind) {
					t.Errorf("%s: printed %d with queues %+v", kind, n-before, q)
				}
				r.k.leavePreview()
			}
			tap(t, r.c, r.tr("ui.print.page"))
			check(documents.PaymentPage, c.want.page)
			tapFirstRow(t, r)
			tap(t, r.c, r.tr("ui.print.receipt"))
			check(documents.PaymentReceipt, c.want.receipt)
			tap(t, r.c, r.tr("ui.sign_out"))

			r.k.o.Syncer = SyncWith{Store: env.Cache, Client: env.Client}
			defer func() { r.k.o.Syncer = nil }()
			fd := staffLogin(t, env, domain.FrontDesk)
			r.enterStaff(t, fd.Staff, fd.Password)
			tap(t, r.c, r.tr("ui.staff.status"))
			r.k.bridge.wait()
			mustHave(t, r.c, r.tr(c.want.status))
			mustNotHave(t, r.c, r.tr("ui.print.unavailable"))
			r.k.endStaff(scrWelcome, "")
		})
	}
}
