package ui

import (
	"fmt"
	"testing"

	"childsupportkiosk/app/domain"
)

// fakePrinter stands for the office printer: it records what it was asked to print.
type fakePrinter struct {
	pages, years []PrintJob
	fail         error
}

func (f *fakePrinter) PrintPage(j PrintJob) error { f.pages = append(f.pages, j); return f.fail }
func (f *fakePrinter) PrintYear(j PrintJob) error { f.years = append(f.years, j); return f.fail }

func TestPrintButtons(t *testing.T) {
	r := newRig(t, shared(t))
	tap(t, r.c, r.tr("ui.nav.help")) // signed out: reachable before signing in
	tap(t, r.c, r.tr("ui.detail.back"))
	// Without a printer the screen points to the front desk.
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.payments"))
	tap(t, r.c, r.tr("ui.print.page"))
	mustHave(t, r.c, r.tr("ui.print.unavailable"))

	f := &fakePrinter{}
	r.k.o.Printer = f
	tap(t, r.c, r.tr("ui.print.year"))
	mustHave(t, r.c, r.tr("ui.print.choose_year"))
	made, _ := r.env.Cache.PaymentsMade(s.Participant)
	year := made[0].Received.Year
	tap(t, r.c, fmt.Sprint(year))
	tap(t, r.c, r.tr("ui.print.year"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.print.done"))
	if len(f.years) != 1 || f.years[0].Year != year || f.years[0].Participant.ID != s.Participant {
		t.Fatalf("printed %+v", f.years)
	}
	tap(t, r.c, r.tr("ui.print.page"))
	r.k.bridge.wait()
	if len(f.pages) != 1 || len(f.pages[0].Rows) == 0 || f.pages[0].Page != 1 {
		t.Fatalf("printed page %+v", f.pages)
	}
	f.fail = domain.ErrOffline
	tap(t, r.c, r.tr("ui.print.page"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrOffline))
}

func TestMessageIsQueuedAndShownPending(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["custodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.nav.messages"))
	tap(t, r.c, r.tr("ui.messages.write"))
	tap(t, r.c, r.tr("ui.messages.send"))
	mustHave(t, r.c, r.tr("ui.problem.empty"))
	for _, ch := range "hola" {
		tap(t, r.c, string(ch))
	}
	tap(t, r.c, r.tr("ui.messages.send"))
	mustHave(t, r.c, r.tr("ui.messages.sent"))
	mustHave(t, r.c, r.tr("ui.messages.pending"))
	mustHave(t, r.c, "hola")
	st, err := r.env.Cache.Status()
	if err != nil || st.PendingOutbox == 0 {
		t.Fatalf("nothing in the outbox: %+v %v", st, err)
	}
}
