package ui

import (
	"fmt"
	"image"
	"image/color"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
)

// fakePrinter stands for the printers: it records what it was asked to prepare and to print,
// and fails when told to.
type fakePrinter struct {
	mu          sync.Mutex
	prepared    []PrintJob
	printed     []PrintJob
	docs        []*fakeDoc
	prepareFail error         // Prepare fails with it
	fail        error         // Print fails with it
	noPreview   bool          // Preview returns nil
	gate        chan struct{} // when set, Prepare waits for it to close
	printGate   chan struct{} // when set, Print waits for it to close, or for Discard
	withdrawn   int           // documents discarded while they printed
	page        bool          // Preview draws a Letter-shaped page (screenshots)
	noPrinter   bool          // the kiosk has no printer for any kind (Printable is false)
}

func (f *fakePrinter) Prepare(j PrintJob) (Prepared, error) {
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.prepared = append(f.prepared, j)
	if f.prepareFail != nil {
		return nil, f.prepareFail
	}
	d := &fakeDoc{f: f, job: j, gone: make(chan struct{})}
	f.docs = append(f.docs, d)
	return d, nil
}

// last is the job last prepared.
func (f *fakePrinter) last(t *testing.T) PrintJob {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.prepared) == 0 {
		t.Fatal("nothing was prepared")
	}
	return f.prepared[len(f.prepared)-1]
}

func (f *fakePrinter) counts() (prepared, printed int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.prepared), len(f.printed)
}

// waitPrinting waits until a document is inside Print.
func (f *fakePrinter) waitPrinting(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		f.mu.Lock()
		for _, d := range f.docs {
			if d.printing {
				f.mu.Unlock()
				return
			}
		}
		f.mu.Unlock()
	}
	t.Fatal("no document started printing within 10 s")
}

// undiscarded counts the documents prepared and not discarded.
func (f *fakePrinter) undiscarded() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, d := range f.docs {
		if !d.discarded {
			n++
		}
	}
	return n
}

type fakeDoc struct {
	f         *fakePrinter
	job       PrintJob
	discarded bool
	printing  bool
	gone      chan struct{} // closed by Discard
}

func (d *fakeDoc) Preview() image.Image {
	if d.f.noPreview {
		return nil
	}
	w, h := 85, 110
	if d.f.page {
		w, h = 612, 792
		if d.job.Kind.OnRoll() {
			w, h = 227, 420
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	// Grey bars where lines of text would be.
	for y := h / 12; y < h*11/12; y += h / 40 {
		for x := w / 10; x < w*9/10-(y*7%(w/4+1)); x++ {
			for dy := 0; dy < h/120+1; dy++ {
				img.Set(x, y+dy, color.Gray{Y: 150})
			}
		}
	}
	return img
}

func (d *fakeDoc) Pages() int { return 2 }

func (d *fakeDoc) Printable() bool { return !d.f.noPrinter }

func (d *fakeDoc) Print() error {
	d.f.mu.Lock()
	if d.discarded {
		d.f.mu.Unlock()
		return fmt.Errorf("printed after Discard")
	}
	gate := d.f.printGate
	d.printing = true
	d.f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-d.gone:
			d.f.mu.Lock()
			d.printing = false
			d.f.mu.Unlock()
			return fmt.Errorf("withdrawn")
		}
	}
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	d.printing = false
	d.f.printed = append(d.f.printed, d.job)
	return d.f.fail
}

func (d *fakeDoc) Discard() {
	d.f.mu.Lock()
	if !d.discarded {
		close(d.gone)
		if d.printing {
			d.f.withdrawn++
		}
	}
	d.discarded = true
	d.job.PIN = ""
	d.f.mu.Unlock()
}

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
	tap(t, r.c, r.tr("ui.detail.back"))
	mustHave(t, r.c, r.tr("ui.print.page"))

	f := &fakePrinter{}
	r.k.o.Printer = f
	tap(t, r.c, r.tr("ui.print.year"))
	mustHave(t, r.c, r.tr("ui.print.choose_year"))
	if n, _ := f.counts(); n != 0 {
		t.Fatal("prepared without a year")
	}
	made, _ := r.env.Cache.PaymentsMade(s.Participant)
	year := made[0].Received.Year
	tap(t, r.c, fmt.Sprint(year))

	// Print by year: the preview, then Print, then the printer's answer and back.
	tap(t, r.c, r.tr("ui.print.year"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.print.preview_title"))
	mustHave(t, r.c, r.tr("ui.print.kind.year", "year", fmt.Sprint(year)))
	mustHave(t, r.c, r.tr("ui.pager.of", "page", "1", "pages", "2"))
	if j := f.last(t); j.Kind != PrintYear || j.Year != year || j.Participant.ID != s.Participant {
		t.Fatalf("prepared %+v", j)
	}
	tap(t, r.c, r.tr("ui.print.print"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("print.completed"))
	if _, n := f.counts(); n != 1 {
		t.Fatalf("printed %d", n)
	}
	if f.undiscarded() != 0 {
		t.Fatal("a printed document was not discarded")
	}
	tap(t, r.c, r.tr("ui.detail.back"))
	mustHave(t, r.c, r.tr("ui.print.page"))

	// Print page, then Cancel: nothing printed, the document discarded.
	tap(t, r.c, r.tr("ui.print.page"))
	r.k.bridge.wait()
	if j := f.last(t); j.Kind != PrintPage || len(j.Rows) == 0 || j.Page != 1 {
		t.Fatalf("prepared page %+v", j)
	}
	tap(t, r.c, r.tr("ui.print.cancel"))
	mustHave(t, r.c, r.tr("ui.print.page"))
	if _, n := f.counts(); n != 1 || f.undiscarded() != 0 {
		t.Fatalf("cancel printed (%d) or kept the document (%d)", n, f.undiscarded())
	}

	// The printer's reason for a failure is shown.
	f.fail = domain.ErrOffline
	tap(t, r.c, r.tr("ui.print.page"))
	r.k.bridge.wait()
	tap(t, r.c, r.tr("ui.print.print"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrOffline))
	tap(t, r.c, r.tr("ui.detail.back"))

	// So is a document that cannot be made, and a missing picture.
	f.fail, f.prepareFail = nil, domain.ErrNotFound
	tap(t, r.c, r.tr("ui.print.page"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrNotFound))
	tap(t, r.c, r.tr("ui.detail.back"))
	f.prepareFail, f.noPreview = nil, true
	tap(t, r.c, r.tr("ui.print.page"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.print.no_preview"))
	tap(t, r.c, r.tr("ui.print.print"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("print.completed"))
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
