package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/phpdave11/gofpdf"
	qrcode "github.com/skip2/go-qrcode"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
)

func init() {
	register(documents.YearlyStatement, func(s source) (Document, error) {
		r, err := s.records()
		if err != nil {
			return Document{}, err
		}
		return s.m.YearlyStatement(r.Yearly(s.job.Year, s.today))
	})
}

// registerQR adds a QR code of url to the document as a PNG image and returns its name.
func registerQR(f *gofpdf.Fpdf, url string) (string, error) {
	sum := sha256.Sum256([]byte(url))
	name := "qr-" + hex.EncodeToString(sum[:8])
	if info := f.GetImageInfo(name); info != nil {
		return name, nil
	}
	png, err := qrcode.Encode(url, qrcode.Medium, 256)
	if err != nil {
		return "", fmt.Errorf("pdf: QR code: %w", err)
	}
	f.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	return name, f.Error()
}

// YearlyStatement makes the "Print By Year" statement: per case, every payment made or received
// in the year with monthly subtotals, the year's total, the current obligation and balances, the
// tax note, a QR code to the agency's first help video, "data as of" and the agency's contacts.
// The other party's name appears only where the case allows it (never with family violence).
func (m Maker) YearlyStatement(s domain.YearlyStatement) (Document, error) {
	l := m.Lang
	d, err := m.newDoc(documents.YearlyStatement, l.T("doc.title.yearly", "year", fmt.Sprint(s.Year)))
	if err != nil {
		return Document{}, err
	}
	d.running = d.title + " · " + domain.MaskID(s.ParticipantID)
	var qrErr error
	b, err := d.run(func() {
		d.letterhead(s.Date, s.DataAsOf)
		if v := m.Profile.Videos; len(v) > 0 {
			qrErr = d.personWithQR(s.ParticipantName, s.ParticipantID, v[0].URL,
				l.T("doc.qr", "title", l.T(v[0].TitleKey))+"\n"+v[0].URL)
		} else {
			d.person(s.ParticipantName, s.ParticipantID)
		}
		d.gap(2)
		if s.Empty() {
			d.gap(2)
			d.text("B", 11, l.T("doc.no_payments_year", "year", fmt.Sprint(s.Year)))
			d.gap(2)
		} else {
			d.yearSummary(s)
		}
		for _, c := range s.Cases {
			d.caseYear(c, s.Year)
		}
		d.closing(s.Date)
	})
	if err == nil {
		err = qrErr
	}
	return Document{Kind: documents.YearlyStatement, Bytes: b}, err
}

// yearSummary is the month-by-month table for all cases together, with the year's total. It
// shows a column for each direction of money the participant has.
func (d *doc) yearSummary(s domain.YearlyStatement) {
	l := d.l
	paid, recv := false, false
	for _, r := range s.Roles() {
		paid = paid || r == domain.Noncustodial
		recv = recv || r == domain.Custodial
	}
	paid = paid || s.Total.Paid != 0
	recv = recv || s.Total.Received != 0 || s.Total.Held != 0
	cols := []col{{0.34, "L"}}
	head := []string{l.T("doc.col.month")}
	n := 0
	if paid {
		n++
	}
	if recv {
		n += 2
	}
	w := 0.66 / float64(n)
	if paid {
		cols = append(cols, col{w, "R"})
		head = append(head, l.T("doc.col.paid"))
	}
	if recv {
		cols = append(cols, col{w, "R"}, col{w, "R"})
		head = append(head, l.T("doc.col.received"), l.T("doc.col.held"))
	}
	cells := func(label string, t domain.Totals) []string {
		c := []string{label}
		if paid {
			c = append(c, d.money(t.Paid))
		}
		if recv {
			c = append(c, d.money(t.Received), d.money(t.Held))
		}
		return c
	}
	d.heading(11, l.T("doc.summary", "year", fmt.Sprint(s.Year)))
	d.gap(1)
	d.row(cols, head, "B", 8.5, shade, true)
	for i, t := range s.Months {
		if t.IsZero() {
			continue
		}
		d.row(cols, cells(l.MonthName(time.Month(i+1)), t), "", 8.5, shade, false)
	}
	d.row(cols, cells(l.T("doc.total_year", "year", fmt.Sprint(s.Year)), s.Total), "B", 9, shade, true)
	if recv {
		d.setFont("", 7.5)
		d.gap(1)
		d.para(d.lh(), "L", l.T("doc.held_note"))
	}
	d.gap(4)
}

// caseHeading writes a case's number, the participant's role, the court order and, only when
// the case allows it, the other party's name.
func (d *doc) caseHeading(c domain.Case) {
	l := d.l
	d.heading(11, l.T("doc.case", "number", c.Number))
	d.setFont("", 9)
	d.para(d.lh(), "L", d.field(l.T("doc.your_role"), d.roleText(c.Role)))
	if c.CourtOrder != "" {
		d.para(d.lh(), "L", d.field(l.T("doc.court_order"), c.CourtOrder))
	}
	if c.ShowOtherParty() {
		d.para(d.lh(), "L", d.field(l.T("doc.other_party"), c.OtherParty))
	}
}

// balances writes a case's obligation and balances as of their date.
func (d *doc) balances(b domain.Balances, title string) {
	l := d.l
	d.gap(1)
	d.setFont("B", 9)
	d.para(d.lh(), "L", title)
	for _, p := range []struct {
		key string
		v   domain.Cents
	}{
		{"doc.monthly_current", b.MonthlyCurrent},
		{"doc.arrears", b.Arrears},
		{"doc.interest", b.Interest},
		{"doc.fees", b.Fees},
	} {
		d.pairIndented(l.T(p.key), d.money(p.v), "")
	}
	d.pairIndented(l.T("doc.owed"), d.money(b.Owed()), "B")
}

// pairIndented is a label and value in the left half of the page, as a small table.
func (d *doc) pairIndented(label, value, style string) {
	d.setFont(style, 9)
	w := d.width() * 0.6
	d.need(d.lh())
	lines := d.wrap(label, w-40)
	y := d.y
	for _, ln := range lines {
		d.line(d.margin+4, w-40, d.lh(), "L", ln)
		d.y += d.lh()
	}
	end := d.y
	d.y = y
	d.line(d.margin+4, w, d.lh(), "R", value)
	d.y = end
}

func (d *doc) caseYear(c domain.CaseYear, year int) {
	l := d.l
	d.need(40)
	d.caseHeading(c.Case)
	asOf := c.Case.Balances.AsOf
	if !asOf.IsZero() || c.Case.Balances != (domain.Balances{}) {
		d.balances(c.Case.Balances, l.T("doc.balances", "date", l.LongDate(asOf)))
	}
	d.gap(2)
	if len(c.Lines) == 0 {
		d.setFont("", 9)
		d.para(d.lh(), "L", l.T("doc.no_payments_case", "year", fmt.Sprint(year)))
		d.gap(5)
		return
	}
	title := l.T("doc.filter.received")
	if c.Case.Role == domain.Noncustodial {
		title = l.T("doc.filter.made")
	}
	d.setFont("B", 9)
	d.para(d.lh(), "L", title)
	d.gap(1)
	d.head = d.lineHeader
	d.lineHeader()
	for i, ln := range c.Lines {
		d.lineRow(ln)
		last := i == len(c.Lines)-1 || c.Lines[i+1].Date.Month != ln.Date.Month
		if last {
			t := c.Months[ln.Date.Month-1]
			d.subtotal(l.T("doc.subtotal_month", "month", l.MonthYear(year, ln.Date.Month)), t, "", 8.5)
		}
	}
	d.subtotal(l.T("doc.total_case", "number", c.Case.Number, "year", fmt.Sprint(year)), c.Total, "B", 9)
	d.head = nil
	d.gap(6)
}

// subtotal is a shaded row: a label (with what is held, if anything), then the amount paid or
// received under the amount column.
func (d *doc) subtotal(label string, t domain.Totals, style string, size float64) {
	if t.Held != 0 {
		label += " · " + d.l.T("doc.held_amount", "amount", d.money(t.Held))
	}
	d.row([]col{{0.84, "L"}, {0.16, "R"}}, []string{label, d.money(t.Paid + t.Received)}, style, size, shade, true)
}

// closing writes the notices every statement carries: the tax note and the agency's notices.
func (d *doc) closing(dated domain.Date) {
	l := d.l
	// The notices stay together: measure them first.
	d.setFont("B", 9)
	h := 2 + 1.5 + 3 + float64(len(d.wrap(l.T("doc.tax_note"), d.width())))*d.lh()
	d.setFont("", 8)
	for _, n := range d.m.Profile.Notices {
		h += float64(len(d.wrap(l.T(n, "phone", d.m.Profile.Contacts.Phone), d.width()))) * d.lh()
	}
	d.need(h)
	d.gap(2)
	d.setFont("B", 9)
	d.para(d.lh(), "L", l.T("doc.tax_note"))
	d.gap(1.5)
	d.setFont("", 8)
	for _, n := range d.m.Profile.Notices {
		d.para(d.lh(), "L", l.T(n, "phone", d.m.Profile.Contacts.Phone))
	}
	d.gap(3)
}
