// Package uiprint joins the Payments screen's Print buttons to the office printer: it makes the
// PDF (app/pdf) for the page on screen or the year, and prints it through CUPS (app/printing),
// reporting success only when the printer says the job is done.
package uiprint

import (
	"context"
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

// PrintPage prints the page of payments on screen.
func (p *Printer) PrintPage(job ui.PrintJob) error {
	m, err := p.maker(job)
	if err != nil {
		return err
	}
	dir := domain.Made
	if job.Side == session.Received {
		dir = domain.Received
	}
	page := pdf.Page{ParticipantID: job.Participant.ID, ParticipantName: job.Participant.Name,
		Direction: dir, Number: job.Page, Of: job.Pages, DataAsOf: job.AsOf,
		Date: domain.DateOf(p.local(job, p.now()))}
	for _, r := range job.Rows {
		if r.Made != nil {
			page.Lines = append(page.Lines, domain.LineOfPayment(*r.Made))
		} else if r.Received != nil {
			page.Lines = append(page.Lines, domain.LineOfDisbursement(*r.Received))
		}
	}
	doc, err := m.PaymentPage(page)
	if err != nil {
		return err
	}
	return p.print(job, doc)
}

// PrintYear prints the yearly statement (Print By Year): both sides, every case, the year.
func (p *Printer) PrintYear(job ui.PrintJob) error {
	m, err := p.maker(job)
	if err != nil {
		return err
	}
	recs, err := domain.ReadRecords(p.CaseFile, job.Participant.ID)
	if err != nil {
		return err
	}
	// The screen leaves out every other party of a person with a family-violence indicator on
	// any case; paper does the same.
	hide := false
	for _, c := range recs.Cases {
		hide = hide || c.FamilyViolence
	}
	if hide {
		for i := range recs.Cases {
			recs.Cases[i].OtherParty = ""
		}
	}
	doc, err := m.YearlyStatement(recs.Yearly(job.Year, domain.DateOf(p.local(job, p.now()))))
	if err != nil {
		return err
	}
	return p.print(job, doc)
}

func (p *Printer) print(job ui.PrintJob, doc pdf.Document) error {
	j := printing.Job{Doc: doc}
	if p.Subject != nil {
		j.Subject = p.Subject(job.Participant.ID)
	}
	end := p.Printer.Print(context.Background(), j, nil)
	if end.State != printing.Completed {
		return end
	}
	return nil
}

func (p *Printer) local(job ui.PrintJob, t time.Time) time.Time {
	if loc, err := job.Profile.Location(); err == nil {
		return t.In(loc)
	}
	return t
}
