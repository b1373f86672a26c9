// Package uiprint joins the kiosk's Print buttons to the printers: it makes the PDF of a print
// job (app/pdf), pictures of its pages for the preview (poppler's pdftoppm, through pipes only,
// a page when it is asked for, kept in memory only), and prints it through CUPS
// (app/printing), reporting success only when the printer says the job is done.
package uiprint

import (
	"bytes"
	"context"
	"errors"
	"image"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/pdf"
	"childsupportkiosk/app/printing"
	"childsupportkiosk/app/ui"
)

// Printer implements ui.Printer.
type Printer struct {
	CaseFile domain.CaseFile
	Printer  *printing.Printer
	Subject  func(participant string) string // audit token of a participant; may be nil
	Now      func() time.Time                // default time.Now
	// Rasterizer is the pdftoppm program that draws the preview; default "pdftoppm" on PATH.
	// When it is missing or fails, a document has no preview and still prints.
	Rasterizer string
	// PreviewDPI is the preview's resolution; default 120 (a Letter page is 1020×1320 pixels,
	// about the width of the preview on a 1280×800 screen, where the statements' 8.5-point
	// table text is 14 pixels high).
	PreviewDPI int
	// PreviewTimeout bounds the drawing of a page; default 10 seconds.
	PreviewTimeout time.Duration
}

var _ ui.Printer = (*Printer)(nil)

// Queues says which of the kiosk's two queues are set: the office printer (Letter) and the
// receipt roll.
func (p *Printer) Queues() ui.Queues {
	if p.Printer == nil {
		return ui.Queues{}
	}
	return ui.Queues{Office: p.Printer.Configured(printing.OfficePaper), Receipt: p.Printer.Configured(printing.RollPaper)}
}

func (p *Printer) maker(job documents.Job) (pdf.Maker, error) {
	office, err := p.CaseFile.Office()
	if err != nil {
		return pdf.Maker{}, err
	}
	return pdf.Maker{Profile: job.Profile, Office: office, Lang: job.Lang, Now: p.Now}, nil
}

// Prepare makes the document of job and a picture of its first page; the other pages are
// drawn when the preview asks for them (Page).
func (p *Printer) Prepare(job documents.Job) (ui.Prepared, error) {
	doc, err := p.document(job)
	if err != nil {
		zero(doc.Bytes)
		return nil, err
	}
	d := &prepared{p: p, doc: doc, pages: doc.PageCount(), staff: job.Staff, pics: map[int]*image.RGBA{}}
	if p.Subject != nil && job.Participant.ID != "" {
		d.subject = p.Subject(job.Participant.ID)
	}
	d.Page(1)
	return d, nil
}

// document makes the PDF of a job, the one way every printed kind is made (pdf.Maker.Make).
func (p *Printer) document(job documents.Job) (pdf.Document, error) {
	m, err := p.maker(job)
	if err != nil {
		return pdf.Document{}, err
	}
	return m.Make(p.CaseFile, job)
}

// rasterize draws page n with pdftoppm: the PDF goes in on its standard input and the page
// comes back on its standard output as a PPM (raw RGB: encoding a PNG took pdftoppm ten times
// as long as drawing the page), so the document never touches the disk. It returns nil when
// there is no pdftoppm, it fails or it takes too long.
func (p *Printer) rasterize(doc []byte, n int) *image.RGBA {
	prog := p.Rasterizer
	if prog == "" {
		prog = "pdftoppm"
	}
	path, err := exec.LookPath(prog)
	if err != nil {
		return nil
	}
	dpi := p.PreviewDPI
	if dpi <= 0 {
		dpi = 120
	}
	timeout := p.PreviewTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// "-" reads the PDF from standard input; -singlefile with no output name writes the one
	// page to standard output.
	page := strconv.Itoa(n)
	cmd := exec.CommandContext(ctx, path, "-singlefile", "-f", page, "-l", page,
		"-r", strconv.Itoa(dpi), "-")
	cmd.Stdin = bytes.NewReader(doc)
	// Room for a Letter page, so that the buffer seldom grows; when it does, wipingBuffer
	// zeroes what it leaves behind.
	out := &wipingBuffer{b: make([]byte, 0, (dpi*17/2)*(dpi*11)*3+64)}
	cmd.Stdout = out
	err = cmd.Run()
	defer zero(out.b)
	if err != nil {
		return nil
	}
	img, err := decodePPM(out.b)
	if err != nil {
		return nil
	}
	return img
}

// wipingBuffer collects a child's output and zeroes the old bytes whenever it grows.
type wipingBuffer struct{ b []byte }

func (w *wipingBuffer) Write(p []byte) (int, error) {
	if len(w.b)+len(p) > cap(w.b) {
		grown := make([]byte, len(w.b), 2*cap(w.b)+len(p))
		copy(grown, w.b)
		zero(w.b)
		w.b = grown
	}
	w.b = append(w.b, p...)
	return len(p), nil
}

// decodePPM reads a binary PPM (P6, 8 bits a channel) as pdftoppm writes it, into an RGBA
// picture whose pixels can be zeroed when the document is discarded.
func decodePPM(b []byte) (*image.RGBA, error) {
	bad := errors.New("uiprint: not a PPM page")
	var fields [4]int
	pos := 0
	for i := range fields {
		// Skip white space and comments before each field.
		for pos < len(b) {
			if c := b[pos]; c == '#' {
				for pos < len(b) && b[pos] != '\n' {
					pos++
				}
			} else if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				pos++
			} else {
				break
			}
		}
		start := pos
		for pos < len(b) && b[pos] > ' ' {
			pos++
		}
		tok := string(b[start:pos])
		if i == 0 {
			if tok != "P6" {
				return nil, bad
			}
			continue
		}
		v, err := strconv.Atoi(tok)
		if err != nil || v <= 0 || v > 1<<15 {
			return nil, bad
		}
		fields[i] = v
	}
	w, h, maxval := fields[1], fields[2], fields[3]
	pos++ // the one white space character before the pixels
	if maxval != 255 || pos > len(b) || len(b)-pos < w*h*3 {
		return nil, bad
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	src, dst := b[pos:pos+w*h*3], img.Pix
	for i, j := 0, 0; i < len(src); i, j = i+3, j+4 {
		dst[j], dst[j+1], dst[j+2], dst[j+3] = src[i], src[i+1], src[i+2], 0xff
	}
	return img, nil
}

// keptPages is how many drawn pages a document keeps: the page on screen and its neighbours.
const keptPages = 3

// prepared is a document ready to print. Discard during a print waits for the printer's answer.
type prepared struct {
	p       *Printer
	doc     pdf.Document
	pages   int
	subject string
	staff   string
	pics    map[int]*image.RGBA // pages drawn, by number (nil: pdftoppm could not draw it)

	mu        sync.Mutex
	printing  bool
	discarded bool
	withdraw  context.CancelFunc // during Print: cancels the job at CUPS
}

// Page is a picture of page n, drawn the first time it is asked for (tens of milliseconds: it
// runs off the UI goroutine) and kept, with the pages next to it, until Discard. It is nil when
// pdftoppm could not draw it, when n is not a page of the document, or after Discard.
func (d *prepared) Page(n int) image.Image {
	if n < 1 || n > d.pages {
		return nil
	}
	d.mu.Lock()
	if d.discarded {
		d.mu.Unlock()
		return nil
	}
	if img, ok := d.pics[n]; ok {
		d.mu.Unlock()
		if img == nil {
			return nil
		}
		return img
	}
	// pdftoppm reads a copy, so that Discard need not wait for it.
	doc := bytes.Clone(d.doc.Bytes)
	d.mu.Unlock()
	img := d.p.rasterize(doc, n)
	zero(doc)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.discarded {
		if img != nil {
			zero(img.Pix)
		}
		return nil
	}
	if old, ok := d.pics[n]; ok && old != nil { // drawn twice at once
		if img != nil {
			zero(img.Pix)
		}
		return old
	}
	d.pics[n] = img
	d.forgetFar(n)
	if img == nil {
		return nil
	}
	return img
}

// forgetFar zeroes and forgets the drawn pages farthest from page n beyond keptPages.
func (d *prepared) forgetFar(n int) {
	for len(d.pics) > keptPages {
		far, dist := 0, -1
		for k := range d.pics {
			if dd := max(k-n, n-k); dd > dist {
				far, dist = k, dd
			}
		}
		if img := d.pics[far]; img != nil {
			zero(img.Pix)
		}
		delete(d.pics, far)
	}
}

func (d *prepared) Pages() int { return d.pages }

// Print sends the document to the queue of its kind and waits for the printer's answer.
func (d *prepared) Print() error {
	d.mu.Lock()
	if d.discarded {
		d.mu.Unlock()
		return errors.New("uiprint: the document was discarded")
	}
	if d.printing {
		d.mu.Unlock()
		return errors.New("uiprint: the document is already printing")
	}
	d.printing = true
	ctx, withdraw := context.WithCancel(context.Background())
	d.withdraw = withdraw
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		withdraw()
		d.withdraw = nil
		d.printing = false
		if d.discarded {
			d.wipe()
		}
		d.mu.Unlock()
	}()
	if d.p.Printer == nil {
		return printing.Event{State: printing.Failed, Reason: printing.NotConfigured}
	}
	end := d.p.Printer.Print(ctx, printing.Job{Kind: string(d.doc.Kind), Paper: paperOf(d.doc.Kind), PDF: d.doc.Bytes,
		Subject: d.subject, Staff: d.staff}, nil)
	if end.State != printing.Completed {
		return end
	}
	return nil
}

// Discard zeroes the document and its pictures. During a print it withdraws the job, which
// CUPS cancels and purges (a statement must not come out of the printer after its owner left
// with Quick Exit), and zeroes the document as soon as Print returns.
func (d *prepared) Discard() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.discarded = true
	if d.printing {
		d.withdraw()
		return
	}
	d.wipe()
}

func (d *prepared) wipe() {
	zero(d.doc.Bytes)
	d.doc.Bytes = nil
	for n, img := range d.pics {
		if img != nil {
			zero(img.Pix)
		}
		delete(d.pics, n)
	}
}

func zero(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

// paperOf is the paper a kind of document prints on.
func paperOf(k documents.Kind) printing.Paper {
	if k.OnRoll() {
		return printing.RollPaper
	}
	return printing.OfficePaper
}
