package ui

import (
	"fmt"
	"image"
	"image/color"
	"sync"
	"testing"
	"time"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
)

// fakePrinter stands for the printers: it records what it was asked to prepare and to print,
// and fails when told to.
type fakePrinter struct {
	mu          sync.Mutex
	prepared    []documents.Job
	printed     []documents.Job
	docs        []*fakeDoc
	prepareFail error         // Prepare fails with it
	fail        error         // Print fails with it
	noPreview   bool          // Preview returns nil
	gate        chan struct{} // when set, Prepare waits for it to close
	printGate   chan struct{} // when set, Print waits for it to close, or for Discard
	withdrawn   int           // documents discarded while they printed
	page        bool          // Page draws a Letter-shaped page (screenshots)
	noPrinter   bool          // the kiosk has no printer for any kind (Queues is empty)
	queues      *Queues       // when set, the queues the kiosk has (else both, or none with noPrinter)
	pages       int           // pages of each document; default 2
	pageGate    chan struct{} // when set, Page of a page above 1 waits for it to close
	drawn       []int         // the pages asked for, in order
}

func (f *fakePrinter) Queues() Queues {
	switch {
	case f.queues != nil:
		return *f.queues
	case f.noPrinter:
		return Queues{}
	}
	return Queues{Office: true, Receipt: true}
}

func (f *fakePrinter) Prepare(j documents.Job) (Prepared, error) {
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
func (f *fakePrinter) last(t *testing.T) documents.Job {
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
	job       documents.Job
	discarded bool
	printing  bool
	gone      chan struct{} // closed by Discard
}

// Page draws page n: a white page with grey bars where lines would be, and n dark squares at
// its top, so that a test can tell the pages apart by their pixels.
func (d *fakeDoc) Page(n int) image.Image {
	d.f.mu.Lock()
	gate := d.f.pageGate
	d.f.drawn = append(d.f.drawn, n)
	d.f.mu.Unlock()
	if gate != nil && n > 1 {
		<-gate
	}
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	if d.f.noPreview || d.discarded || n < 1 || n > d.pages() {
		return nil
	}
	w, h := 85, 110
	if d.f.page { // as uiprint draws them, at 120 dpi
		w, h = 1020, 1320
		if d.job.Kind.OnRoll() {
			w, h = 378, 700
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
	for i := range n {
		for y := 2; y < 8; y++ {
			for x := 2 + 10*i; x < 8+10*i; x++ {
				img.Set(x, y, color.Black)
			}
		}
	}
	return img
}

// pageOf tells which page a picture drawn by Page is: the number of dark squares at its top.
func pageOf(img image.Image) int {
	n := 0
	for x := 5; x < img.Bounds().Dx(); x += 10 {
		if r, _, _, _ := img.At(x, 5).RGBA(); r != 0 {
			break
		}
		n++
	}
	return n
}

func (d *fakeDoc) pages() int {
	if d.f.pages > 0 {
		return d.f.pages
	}
	return 2
}

func (d *fakeDoc) Pages() int { return d.pages() }

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
	if j := f.last(t); j.Kind != documents.YearlyStatement || j.Year != year || j.Participant.ID != s.Participant {
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
	if j := f.last(t); j.Kind != documents.PaymentPage || len(j.Rows) == 0 || j.Page != 1 {
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
