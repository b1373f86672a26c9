package pdf

import (
	"fmt"
	"time"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/session"
)

func init() {
	register(documents.MonthlyStatement, func(s source) (Document, error) {
		if s.job.Month < time.January || s.job.Month > time.December {
			return Document{}, fmt.Errorf("pdf: month %d", s.job.Month)
		}
		r, err := s.records()
		if err != nil {
			return Document{}, err
		}
		return s.m.MonthlyStatement(r.Monthly(s.job.Year, s.job.Month, s.today))
	})
	register(documents.PaymentPage, func(s source) (Document, error) {
		dir := domain.Made
		if s.job.Side == session.Received {
			dir = domain.Received
		}
		p := s.job.Participant
		page := Page{ParticipantID: p.ID, ParticipantName: p.Name, Direction: dir,
			Number: s.job.Page, Of: s.job.Pages, DataAsOf: s.job.AsOf, Date: s.today}
		for _, r := range s.job.Rows {
			if ln, ok := line(r); ok {
				page.Lines = append(page.Lines, ln)
			}
		}
		return s.m.PaymentPage(page)
	})
}

// Page is one page of payments as the screen shows it, for Print Page.
type Page struct {
	ParticipantID   string
	ParticipantName string
	Direction       domain.Direction       // "Payments I Made" or "Payments I Received"
	Lines           []domain.StatementLine // the rows on screen, in screen order
	Number, Of      int                    // page Number of Of on screen
	Date            domain.Date            // the day it is printed
	DataAsOf        time.Time              // when the kiosk's data last matched the agency's
}

// PaymentPage makes Print Page: the page of payments on screen, with its filter and page number.
func (m Maker) PaymentPage(p Page) (Document, error) {
	l := m.Lang
	filter := l.T("doc.filter." + string(p.Direction))
	d, err := m.newDoc(documents.PaymentPage, filter)
	if err != nil {
		return Document{}, err
	}
	d.running = d.title + " · " + domain.MaskID(p.ParticipantID)
	b, err := d.run(func() {
		d.letterhead(p.Date, p.DataAsOf)
		d.person(p.ParticipantName, p.ParticipantID)
		d.gap(2)
		d.setFont("B", 10)
		d.para(d.lh(), "L", l.T("doc.page.screen", "page", fmt.Sprint(p.Number), "pages", fmt.Sprint(p.Of)))
		d.gap(1.5)
		if len(p.Lines) == 0 {
			d.text("", 10, l.T("doc.no_payments"))
		} else {
			cols := append([]col{{0.14, "L"}}, scaleCols(lineCols, 0.86)...)
			header := func() {
				d.row(cols, append([]string{l.T("doc.col.case")}, d.headerCells()...), "B", 8.5, shade, true)
			}
			d.head = header
			header()
			var total domain.Totals
			for _, ln := range p.Lines {
				d.row(cols, append([]string{ln.Case}, d.lineCells(ln)...), "", 8.5, shade, false)
				if ln.Reason != domain.NoReason {
					d.setFont("", 7.5)
					d.color(70, 70, 70)
					d.paraAt(d.margin+cols[0].w*d.width(), d.width()*(1-cols[0].w), d.lh(), "L", l.T("reason."+string(ln.Reason)))
					d.color(0, 0, 0)
				}
				total = addLine(total, ln)
			}
			d.head = nil
			d.subtotal(l.T("doc.total_page"), total, "B", 9)
		}
		d.gap(4)
		d.setFont("", 8)
		for _, n := range m.Profile.Notices {
			d.para(d.lh(), "L", l.T(n, "phone", m.Profile.Contacts.Phone))
		}
	})
	return Document{Kind: documents.PaymentPage, Bytes: b}, err
}

func scaleCols(cols []col, f float64) []col {
	out := make([]col, len(cols))
	for i, c := range cols {
		out[i] = col{c.w * f, c.align}
	}
	return out
}

// addLine adds a line to totals the way statements count it.
func addLine(t domain.Totals, ln domain.StatementLine) domain.Totals {
	switch {
	case ln.Direction == domain.Made:
		t.Paid += ln.Amount
	case ln.Counts():
		t.Received += ln.Amount
	case ln.Waiting():
		t.Held += ln.Amount
	}
	return t
}

// MonthlyStatement makes the monthly account statement (New York's monthly notice): for the
// month, per case, the current support due, what was paid or received, what is held, how
// payments were applied, and the balances after it.
func (m Maker) MonthlyStatement(s domain.MonthlyStatement) (Document, error) {
	l := m.Lang
	d, err := m.newDoc(documents.MonthlyStatement, l.T("doc.title.monthly", "month", l.MonthYear(s.Year, s.Month)))
	if err != nil {
		return Document{}, err
	}
	d.running = d.title + " · " + domain.MaskID(s.ParticipantID)
	b, err := d.run(func() {
		d.letterhead(s.Date, s.DataAsOf)
		d.person(s.ParticipantName, s.ParticipantID)
		d.gap(3)
		for _, c := range s.Cases {
			d.caseMonth(c, s)
		}
		d.closing(s.Date)
	})
	return Document{Kind: documents.MonthlyStatement, Bytes: b}, err
}

func (d *doc) caseMonth(c domain.CaseMonth, s domain.MonthlyStatement) {
	l := d.l
	month := l.MonthYear(s.Year, s.Month)
	d.need(50)
	d.caseHeading(c.Case)
	d.gap(1.5)
	d.setFont("B", 9)
	d.para(d.lh(), "L", capFirst(month))
	d.pairIndented(l.T("doc.monthly.due"), d.money(c.Due), "")
	if c.Case.Role == domain.Noncustodial {
		d.pairIndented(l.T("doc.monthly.paid"), d.money(c.Total.Paid), "B")
		a := c.Applied
		d.pairIndented(l.T("doc.applied.current"), d.money(a.Current), "")
		d.pairIndented(l.T("doc.applied.arrears"), d.money(a.Arrears), "")
		if a.Interest != 0 {
			d.pairIndented(l.T("doc.applied.interest"), d.money(a.Interest), "")
		}
		if a.Fees != 0 {
			d.pairIndented(l.T("doc.applied.fees"), d.money(a.Fees), "")
		}
		d.pairIndented(l.T("doc.monthly.unpaid"), d.money(c.Unpaid), "B")
	} else {
		d.pairIndented(l.T("doc.monthly.received"), d.money(c.Total.Received), "B")
		d.pairIndented(l.T("doc.monthly.held"), d.money(c.Total.Held), "")
	}
	d.balances(c.Balances, l.T("doc.balances_after", "date", l.LongDate(c.Balances.AsOf)))
	d.gap(2)
	if len(c.Lines) == 0 {
		d.setFont("", 9)
		d.para(d.lh(), "L", l.T("doc.no_payments_month", "month", month))
	} else {
		d.head = d.lineHeader
		d.lineHeader()
		for _, ln := range c.Lines {
			d.lineRow(ln)
		}
		d.head = nil
	}
	d.gap(4)
}
