package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/session"
)

func TestBrowsePaymentsPageYearAndDetail(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	made, err := r.env.Cache.PaymentsMade(s.Participant)
	if err != nil || len(made) <= 2*session.PageSize {
		t.Fatalf("the sample needs more than two pages of payments: %d, %v", len(made), err)
	}
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.payments"))
	mustHave(t, r.c, r.tr("ui.payments.made"))
	pages := (len(made) + session.PageSize - 1) / session.PageSize
	mustHave(t, r.c, r.tr("ui.pager.of", "page", "1", "pages", fmt.Sprint(pages)))
	if n := len(rows(r.c)); n != session.PageSize {
		t.Fatalf("%d rows on a page, want %d", n, session.PageSize)
	}
	tap(t, r.c, r.tr("ui.pager.next"))
	mustHave(t, r.c, r.tr("ui.pager.of", "page", "2", "pages", fmt.Sprint(pages)))

	// The year filter, with the year's total, on a year that is not the newest.
	year := made[len(made)/2].Received.Year
	var total domain.Cents
	count := 0
	for _, p := range made {
		if p.Received.Year == year {
			total += p.Amount
			count++
		}
	}
	tap(t, r.c, fmt.Sprint(year))
	mustHave(t, r.c, r.tr("ui.payments.year_total", "year", fmt.Sprint(year), "total", r.k.money(total),
		"count", r.k.lang.Int(int64(count))))
	if n := len(rows(r.c)); n != min(count, session.PageSize) {
		t.Fatalf("%d rows for %d, want %d", n, year, min(count, session.PageSize))
	}

	// A row opens its detail in plain words.
	var first domain.Payment
	for _, p := range made {
		if p.Received.Year == year {
			first = p
			break
		}
	}
	tapRowWith(t, r.c, r.k.date(first.Received), r.k.money(first.Amount))
	mustHave(t, r.c, r.tr("ui.detail.made_title", "amount", r.k.money(first.Amount), "date", r.k.lang.LongDate(first.Received)))
	mustHave(t, r.c, r.tr("source."+string(first.Source)))
	mustHave(t, r.c, r.k.money(first.Allocation.Current))
	tap(t, r.c, r.tr("ui.detail.back"))
	mustHave(t, r.c, r.tr("ui.payments.year_total", "year", fmt.Sprint(year), "total", r.k.money(total),
		"count", r.k.lang.Int(int64(count))))
}

func TestHeldDisbursementSaysWhy(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["custodial"]
	got, err := r.env.Cache.PaymentsReceived(s.Participant)
	if err != nil {
		t.Fatal(err)
	}
	var held *domain.Disbursement
	for i := range got {
		if got[i].Status == domain.Held && got[i].Reason != "" {
			held = &got[i]
			break
		}
	}
	if held == nil {
		t.Fatal("the custodial sample has no held disbursement")
	}
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.payments"))
	mustHave(t, r.c, r.tr("ui.payments.received"))
	tap(t, r.c, fmt.Sprint(held.Date.Year))
	// Find the page the held payment is on.
	for page := 1; !hasRow(r, r.k.date(held.Date), r.k.money(held.Amount)); page++ {
		if page > 30 {
			t.Fatal("held payment not found on any page")
		}
		tap(t, r.c, r.tr("ui.pager.next"))
	}
	tapRowWith(t, r.c, r.k.date(held.Date), r.k.money(held.Amount))
	mustHave(t, r.c, r.tr("status.held"))
	mustHave(t, r.c, r.tr("reason."+string(held.Reason)))
	mustHave(t, r.c, r.tr("method."+string(held.Method)))
}

func hasRow(r *rig, date, amount string) bool {
	return has(r.c, date) && has(r.c, amount)
}

// The rows of year buttons and page buttons scroll sideways with room under them for the
// scroll bar, which covered the bottom of the buttons once the row had been touched.
func TestSidewaysRowsLeaveRoomForTheScrollBar(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.payments"))
	for _, label := range []string{r.tr("ui.payments.all_years"), r.tr("ui.pager.next")} {
		var button *widget.Button
		walk(r.c, func(o fyne.CanvasObject, _ bool) {
			if b, ok := o.(*widget.Button); ok && b.Text == label && button == nil {
				button = b
			}
		})
		row := scrollAround(r.c, button, container.ScrollHorizontalOnly)
		if button == nil || row == nil {
			t.Fatalf("%q: no button in a sideways row", label)
		}
		if under, bar := room(button, row), theme.Size(theme.SizeNameScrollBar); under < bar {
			t.Errorf("%q: %.0f px under the button for a scroll bar of %.0f", label, under, bar)
		}
	}
}
