package pdf

import (
	"errors"
	"strings"
	"time"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
)

func init() {
	register(documents.PaymentCoupon, func(s source) (Document, error) {
		r, err := s.records()
		if err != nil {
			return Document{}, err
		}
		c, ok := r.Coupon(s.job.Year, s.job.Month)
		if !ok {
			return Document{}, domain.ErrNotFound // a receiver gets no coupon
		}
		return s.m.Coupon(c, s.today)
	})
	register(documents.PaymentReceipt, func(s source) (Document, error) {
		if s.job.Row == nil {
			return Document{}, errors.New("pdf: a receipt needs its payment")
		}
		ln, ok := line(*s.job.Row)
		if !ok {
			return Document{}, errors.New("pdf: a receipt needs a payment made or received")
		}
		p := s.job.Participant
		return s.m.PaymentReceipt(Receipt{ParticipantID: p.ID, ParticipantName: p.Name, Line: ln, DataAsOf: s.job.AsOf})
	})
	register(documents.TempPINSlip, func(s source) (Document, error) {
		if s.job.PIN == "" {
			return Document{}, errors.New("pdf: a PIN slip needs its PIN")
		}
		p := s.job.Participant
		return s.m.TempPINSlip(PINSlip{ParticipantID: p.ID, ParticipantName: p.Name,
			PIN: s.job.PIN, Expires: s.job.Expires, DataAsOf: s.job.AsOf})
	})
}

// Coupon makes a payment coupon for a payer: the upper part to keep (what is due, other ways to
// pay), the lower part to cut off and mail with a check or money order to the agency's remit
// address, with the participant ID and case numbers the disbursement unit needs to post it.
func (m Maker) Coupon(c domain.Coupon, dated domain.Date) (Document, error) {
	l := m.Lang
	month := l.MonthYear(c.Year, c.Month)
	d, err := m.newDoc(documents.PaymentCoupon, l.T("doc.title.coupon"))
	if err != nil {
		return Document{}, err
	}
	numbers := make([]string, len(c.Cases))
	for i, k := range c.Cases {
		numbers[i] = k.Number
	}
	cases := strings.Join(numbers, ", ")
	r := m.Profile.Remit
	b, err := d.run(func() {
		d.letterhead(dated, c.DataAsOf)
		d.person(c.ParticipantName, c.ParticipantID)
		d.gap(3)
		d.heading(11, l.T("doc.coupon.for_month", "month", month))
		d.gap(1)
		for _, k := range c.Cases {
			d.pairIndented(l.T("doc.case", "number", k.Number), d.money(k.Balances.MonthlyCurrent), "")
		}
		d.pairIndented(l.T("doc.coupon.due"), d.money(c.Due), "B")
		d.pairIndented(l.T("doc.coupon.past_due"), d.money(c.PastDue), "")
		d.gap(2)
		d.setFont("", 8.5)
		d.para(d.lh(), "L", l.T("doc.coupon.past_due_note"))
		d.gap(3)
		if len(m.Profile.PaymentOptions) > 0 {
			d.setFont("B", 9.5)
			d.para(d.lh(), "L", l.T("doc.coupon.other_ways"))
			d.setFont("", 8.5)
			for _, k := range m.Profile.PaymentOptions {
				d.bullet(l.T(k))
			}
		}
		// The stub sits at the foot of the first page, where a window envelope expects it.
		stubH := 84.0
		if top := d.bottom - stubH; d.y < top {
			d.y = top
		} else {
			d.need(stubH)
		}
		d.setFont("", 7.5)
		d.color(70, 70, 70)
		d.para(d.lh(), "C", l.T("doc.coupon.cut"))
		d.color(0, 0, 0)
		if !d.dry {
			d.f.SetDashPattern([]float64{2, 1.5}, 0)
			d.rule([3]int{0, 0, 0})
			d.f.SetDashPattern(nil, 0)
		}
		d.gap(4)
		d.setFont("B", 12)
		d.para(d.lh(), "L", l.T("doc.coupon.stub", "month", month))
		d.gap(1)
		half := d.width()/2 - 3
		y0 := d.y
		d.setFont("", 9.5)
		d.paraAt(d.margin, half, d.lh(), "L", d.field(l.T(m.Profile.ParticipantID.NameKey), c.ParticipantID))
		d.paraAt(d.margin, half, d.lh(), "L", d.field(l.T("doc.name"), c.ParticipantName))
		d.paraAt(d.margin, half, d.lh(), "L", d.field(l.T("doc.coupon.cases"), cases))
		d.paraAt(d.margin, half, d.lh(), "L", d.field(l.T("doc.coupon.due"), d.money(c.Due)))
		d.gap(3)
		d.setFont("B", 10)
		d.paraAt(d.margin, half, d.lh(), "L", l.T("doc.coupon.enclosed"))
		if !d.dry {
			d.f.SetDrawColor(0, 0, 0)
			d.f.Rect(d.margin, d.y+1, half*0.8, 10, "D")
		}
		d.y += 13
		yl := d.y
		d.y = y0
		x := d.margin + half + 6
		d.setFont("B", 9.5)
		d.paraAt(x, half, d.lh(), "L", l.T("doc.coupon.mail_to"))
		d.setFont("", 10)
		for _, ln := range append([]string{r.Payee}, r.Lines...) {
			d.paraAt(x+2, half-2, d.lh(), "L", ln)
		}
		d.gap(2)
		d.setFont("", 8.5)
		if r.MemoKey != "" {
			d.paraAt(x, half, d.lh(), "L", l.T(r.MemoKey))
		}
		d.paraAt(x, half, d.lh(), "L", l.T("doc.coupon.no_cash"))
		if r.Phone != "" {
			d.paraAt(x, half, d.lh(), "L", d.field(l.T("doc.phone"), r.Phone))
		}
		d.y = max(d.y, yl)
	})
	return Document{Kind: documents.PaymentCoupon, Bytes: b}, err
}

// Receipt is one payment's detail for the 80 mm receipt printer.
type Receipt struct {
	ParticipantID   string
	ParticipantName string
	Line            domain.StatementLine
	DataAsOf        time.Time
}

// PaymentReceipt makes a receipt of one payment made or received on the 80 mm roll: the page is
// 80 mm wide and exactly as long as its content.
func (m Maker) PaymentReceipt(r Receipt) (Document, error) {
	l := m.Lang
	d, err := m.newDoc(documents.PaymentReceipt, l.T("doc.title.receipt"))
	if err != nil {
		return Document{}, err
	}
	ln := r.Line
	b, err := d.run(func() {
		d.rollHead(d.title)
		d.rollField(l.T("doc.name"), r.ParticipantName)
		d.rollField(l.T(m.Profile.ParticipantID.NameKey), domain.MaskID(r.ParticipantID))
		d.rollField(l.T("doc.col.case"), ln.Case)
		d.rollRule()
		d.setFont("B", 9.5)
		d.para(d.lh(), "L", l.T("doc.receipt."+string(ln.Direction)))
		d.pair("B", 12, l.T("doc.col.amount"), d.money(ln.Amount))
		d.pair("", 8.5, l.T("doc.col.date"), l.ShortDate(ln.Date))
		d.rollField(l.T("doc.col.source"), l.T("source."+string(ln.Source)))
		if ln.ID != "" {
			d.rollField(l.T("doc.reference"), ln.ID)
		}
		if ln.Direction == domain.Received {
			d.rollField(l.T("doc.col.method"), l.T("method."+string(ln.Method)))
			d.rollField(l.T("doc.col.status"), l.T("status."+string(ln.Status)))
			if ln.Reason != domain.NoReason {
				d.setFont("", 8)
				d.para(d.lh(), "L", l.T("reason."+string(ln.Reason)))
			}
		} else {
			d.rollField(l.T("doc.col.status"), l.T("doc.status.posted"))
			a := ln.Allocation
			if a.Total() != 0 {
				d.gap(1)
				d.setFont("B", 8.5)
				d.para(d.lh(), "L", l.T("doc.applied"))
				d.pair("", 8.5, l.T("doc.applied.current"), d.money(a.Current))
				d.pair("", 8.5, l.T("doc.applied.arrears"), d.money(a.Arrears))
				if a.Interest != 0 {
					d.pair("", 8.5, l.T("doc.applied.interest"), d.money(a.Interest))
				}
				if a.Fees != 0 {
					d.pair("", 8.5, l.T("doc.applied.fees"), d.money(a.Fees))
				}
			}
		}
		d.rollFoot(r.DataAsOf)
	})
	return Document{Kind: documents.PaymentReceipt, Bytes: b}, err
}

// PINSlip is what the staff desk hands a parent with a temporary PIN.
type PINSlip struct {
	ParticipantID   string
	ParticipantName string
	PIN             string // the temporary PIN: printed here only, never logged or kept
	Expires         time.Time
	DataAsOf        time.Time
}

// TempPINSlip makes the temporary-PIN slip on the 80 mm roll: name, masked ID, the PIN in large
// type, when it expires, and that it must be changed at the first sign-in.
func (m Maker) TempPINSlip(s PINSlip) (Document, error) {
	l := m.Lang
	d, err := m.newDoc(documents.TempPINSlip, l.T("doc.title.pin_slip"))
	if err != nil {
		return Document{}, err
	}
	b, err := d.run(func() {
		d.rollHead(d.title)
		d.rollField(l.T("doc.name"), s.ParticipantName)
		d.rollField(l.T(m.Profile.ParticipantID.NameKey), domain.MaskID(s.ParticipantID))
		d.rollRule()
		d.setFont("", 9)
		d.para(d.lh(), "C", l.T("doc.pin.label"))
		d.setFont("B", 24)
		d.para(d.lh(), "C", spaced(s.PIN))
		d.gap(1)
		d.setFont("B", 9)
		d.para(d.lh(), "C", l.T("doc.pin.expires", "when", l.DateTime(s.Expires.In(d.loc))))
		d.gap(1.5)
		d.setFont("", 8.5)
		d.para(d.lh(), "L", l.T("doc.pin.change", "n", d.l.Int(int64(m.Profile.PINLength))))
		d.gap(1)
		d.para(d.lh(), "L", l.T("doc.pin.secret"))
		d.rollFoot(s.DataAsOf)
	})
	return Document{Kind: documents.TempPINSlip, Bytes: b}, err
}

// spaced puts a thin gap between digits so a PIN reads easily.
func spaced(pin string) string {
	r := []rune(pin)
	parts := make([]string, len(r))
	for i, c := range r {
		parts[i] = string(c)
	}
	return strings.Join(parts, " ")
}

func (d *doc) rollHead(title string) {
	l := d.l
	d.setFont("B", 10)
	d.para(d.lh(), "C", l.T(d.m.Profile.NameKey))
	d.setFont("", 7.5)
	if o := d.m.Office; o.Name != "" {
		d.para(d.lh(), "C", o.Name)
	}
	d.gap(1)
	d.setFont("B", 12)
	d.para(d.lh(), "C", title)
	d.setFont("", 7.5)
	d.para(d.lh(), "C", l.T("doc.printed", "when", l.DateTime(d.m.now().In(d.loc))))
	d.rollRule()
}

func (d *doc) rollField(label, value string) {
	d.setFont("", 8.5)
	d.para(d.lh(), "L", d.field(label, value))
}

func (d *doc) rollRule() {
	d.gap(1.5)
	if !d.dry {
		d.f.SetDashPattern([]float64{1, 1}, 0)
		d.rule([3]int{0, 0, 0})
		d.f.SetDashPattern(nil, 0)
	}
	d.gap(2)
}

func (d *doc) rollFoot(asOf time.Time) {
	d.rollRule()
	d.setFont("", 7.5)
	d.para(d.lh(), "L", d.dataAsOf(asOf))
	d.para(d.lh(), "L", d.contactsLine())
	d.gap(1)
	d.setFont("", 6.5)
	d.para(d.lh(), "L", d.l.T("doc.confidential"))
}
