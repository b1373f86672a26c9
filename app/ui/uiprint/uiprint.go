// Package uiprint joins the kiosk's Print buttons to the printers: it makes the PDF of a print
// job (app/pdf), a picture of its first page for the preview (poppler's pdftoppm, through pipes
// only), and prints it through CUPS (app/printing), reporting success only when the printer
// says the job is done.
package uiprint

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/pdf"
	"childsupportkiosk/app/printing"
	"childsupportkiosk/app/session"
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
	// PreviewDPI is the preview's resolution; default 72 (a Letter page is 612×792 pixels).
	PreviewDPI int
	// PreviewTimeout bounds the drawing of a preview; default 10 seconds.
	PreviewTimeout time.Duration
}

var _ ui.Printer = (*Printer)(nil)

func (p *Printer) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

func (p *Printer) maker(job ui.PrintJob) (pdf.Maker, error) {
	office, err := p.CaseFile.Office()
	if err != nil {
		return pdf.Maker{}, err
	}
	return pdf.Maker{Profile: job.Profile, Office: office, Lang: job.Lang, Now: p.Now}, nil
}

// Prepare makes the document of job and a picture of its first page.
func (p *Printer) Prepare(job ui.PrintJob) (ui.Prepared, error) {
	doc, err := p.document(job)
	if err != nil {
		zero(doc.Bytes)
		return nil, err
	}
	d := &prepared{p: p, doc: doc, pages: doc.PageCount(), staff: job.Staff}
	if p.Subject != nil {
		d.subject = p.Subject(job.Participant.ID)
	}
	d.preview = p.rasterize(doc.Bytes)
	return d, nil
}

// document makes the PDF of a job.
func (p *Printer) document(job ui.PrintJob) (pdf.Document, error) {
	m, err := p.maker(job)
	if err != nil {
		return pdf.Document{}, err
	}
	today := domain.DateOf(p.local(job, p.now()))
	part := job.Participant
	switch job.Kind {
	case ui.PrintPage:
		dir := domain.Made
		if job.Side == session.Received {
			dir = domain.Received
		}
		page := pdf.Page{ParticipantID: part.ID, ParticipantName: part.Name,
			Direction: dir, Number: job.Page, Of: job.Pages, DataAsOf: job.AsOf, Date: today}
		for _, r := range job.Rows {
			if ln, ok := line(r); ok {
				page.Lines = append(page.Lines, ln)
			}
		}
		return m.PaymentPage(page)
	case ui.PrintYear, ui.PrintMonth, ui.PrintCoupon:
		recs, err := domain.ReadRecords(p.CaseFile, part.ID) // with the domain's privacy rules
		if err != nil {
			return pdf.Document{}, err
		}
		switch job.Kind {
		case ui.PrintYear:
			return m.YearlyStatement(recs.Yearly(job.Year, today))
		case ui.PrintMonth:
			if job.Month < time.January || job.Month > time.December {
				return pdf.Document{}, fmt.Errorf("uiprint: month %d", job.Month)
			}
			return m.MonthlyStatement(recs.Monthly(job.Year, job.Month, today))
		default:
			c, ok := recs.Coupon(job.Year, job.Month)
			if !ok {
				return pdf.Document{}, domain.ErrNotFound // a receiver gets no coupon
			}
			return m.Coupon(c, today)
		}
	case ui.PrintReceipt:
		if job.Row == nil {
			return pdf.Document{}, errors.New("uiprint: a receipt needs its payment")
		}
		ln, ok := line(*job.Row)
		if !ok {
			return pdf.Document{}, errors.New("uiprint: a receipt needs a payment made or received")
		}
		return m.PaymentReceipt(pdf.Receipt{ParticipantID: part.ID, ParticipantName: part.Name,
			Line: ln, DataAsOf: job.AsOf})
	case ui.PrintPINSlip:
		if job.PIN == "" {
			return pdf.Document{}, errors.New("uiprint: a PIN slip needs its PIN")
		}
		return m.TempPINSlip(pdf.PINSlip{ParticipantID: part.ID, ParticipantName: part.Name,
			PIN: job.PIN, Expires: job.Expires, DataAsOf: job.AsOf})
	case ui.PrintCard:
		return m.SignInCard(pdf.Card{ParticipantID: part.ID, ParticipantName: part.Name})
	}
	return pdf.Document{}, fmt.Errorf("uiprint: unknown kind %q", job.Kind)
}

// line is a row of the Payments screen as a statement line.
func line(r session.Row) (domain.StatementLine, bool) {
	switch {
	case r.Made != nil:
		return domain.LineOfPayment(*r.Made), true
	case r.Received != nil:
		return domain.LineOfDisbursement(*r.Received), true
	}
	return domain.StatementLine{}, false
}

func (p *Printer) local(job ui.PrintJob, t time.Time) time.Time {
	if loc, err := job.Profile.Location(); err == nil {
		return t.In(loc)
	}
	return t
}

// rasterize draws the first page with pdftoppm: the PDF goes in on its standard input and the
// PNG comes back on its standard output, so the document never touches the disk. It returns
// nil when there is no pdftoppm, it fails or it takes too long.
func (p *Printer) rasterize(doc []byte) *image.RGBA {
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
		dpi = 72
	}
	timeout := p.PreviewTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// "-" reads the PDF from standard input; -singlefile with no output name writes the one
	// page's PNG to standard output.
	cmd := exec.CommandContext(ctx, path, "-png", "-singlefile", "-f", "1", "-l", "1",
		"-r", strconv.Itoa(dpi), "-")
	cmd.Stdin = bytes.NewReader(doc)
	var out bytes.Buffer
	cmd.Stdout = &out
	err = cmd.Run()
	defer zero(out.Bytes())
	if err != nil {
		return nil
	}
	img, err := png.Decode(bytes.NewReader(out.Bytes()))
	if err != nil {
		return nil
	}
	// An RGBA copy: its pixels can be zeroed when the document is discarded.
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	wipeImage(img)
	return rgba
}

// prepared is a document ready to print. Discard during a print waits for the printer's answer.
type prepared struct {
	p       *Printer
	doc     pdf.Document
	pages   int
	preview *image.RGBA
	subject string
	staff   string

	mu        sync.Mutex
	printing  bool
	discarded bool
	withdraw  context.CancelFunc // during Print: cancels the job at CUPS
}

func (d *prepared) Preview() image.Image {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.preview == nil || d.discarded {
		return nil
	}
	return d.preview
}

func (d *prepared) Pages() int { return d.pages }

// Printable reports whether this kiosk has a printer for the document's kind (ui.Printable).
func (d *prepared) Printable() bool { return d.p.Printer != nil && d.p.Printer.Configured(d.doc.Kind) }

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
	end := d.p.Printer.Print(ctx, printing.Job{Doc: d.doc, Subject: d.subject, Staff: d.staff}, nil)
	if end.State != printing.Completed {
		return end
	}
	return nil
}

// Discard zeroes the document and its picture. During a print it withdraws the job, which
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
	if d.preview != nil {
		zero(d.preview.Pix)
		d.preview = nil
	}
}

func zero(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

// wipeImage zeroes the pixels of the decoded PNG.
func wipeImage(img image.Image) {
	switch m := img.(type) {
	case *image.RGBA:
		zero(m.Pix)
	case *image.NRGBA:
		zero(m.Pix)
	case *image.Gray:
		zero(m.Pix)
	case *image.Paletted:
		zero(m.Pix)
	case *image.RGBA64:
		zero(m.Pix)
	case *image.NRGBA64:
		zero(m.Pix)
	case *image.Gray16:
		zero(m.Pix)
	}
}
