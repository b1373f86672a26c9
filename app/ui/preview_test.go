package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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
	open := *r.k.pay.open

	tap(t, r.c, r.tr("ui.print.receipt"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.print.kind.receipt"))
	mustHave(t, r.c, r.tr("ui.print.where_roll"))
	j := f.last(t)
	if j.Kind != PrintReceipt || j.Row == nil || j.Row.Date != open.Date || j.Row.Amount != open.Amount ||
		j.Participant.ID != s.Participant || j.Side != session.Received {
		t.Fatalf("prepared %+v", j)
	}
	tap(t, r.c, r.tr("ui.print.print"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.print.done_roll"))
	tap(t, r.c, r.tr("ui.detail.back"))
	mustHave(t, r.c, r.tr("ui.print.receipt")) // back on the same payment's detail
	if r.k.pay.open == nil || r.k.pay.open.Date != open.Date {
		t.Fatal("the detail lost its payment")
	}

	month := r.tr("ui.print.month", "month", r.k.lang.MonthYear(open.Date.Year, open.Date.Month))
	tap(t, r.c, month)
	r.k.bridge.wait()
	if j := f.last(t); j.Kind != PrintMonth || j.Year != open.Date.Year || j.Month != open.Date.Month {
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
	if j.Kind != PrintCoupon || j.Year != now.Year() || j.Month != now.Month() || j.Participant.ID != s.Participant {
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
