package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/session"
)

// detailScreen explains one payment in plain words: where the money came from, how it was
// applied or sent, and why it is held when it is.
func (k *Kiosk) detailScreen() fyne.CanvasObject {
	r := k.person.pay.open
	back := k.btn("ui.detail.back", func() { k.person.pay.open = nil; k.screen = scrPayments; k.render() })
	if r == nil {
		return container.NewVBox(back)
	}
	box := container.NewVBox(k.detailTop(back, *r))
	switch {
	case r.Made != nil:
		p := r.Made
		box.Add(heading(k.t("ui.detail.made_title", "amount", k.money(p.Amount), "date", k.lang.LongDate(p.Received))))
		box.Add(text(k.t("ui.detail.made_explain", "amount", k.money(p.Amount), "date", k.lang.LongDate(p.Received),
			"source", k.t("source."+string(p.Source)))))
		a := p.Allocation
		box.Add(card(
			subheading(k.t("ui.detail.allocation")),
			pair(k.t("ui.detail.current"), k.money(a.Current)),
			pair(k.t("ui.detail.arrears"), k.money(a.Arrears)),
			pair(k.t("ui.detail.interest"), k.money(a.Interest)),
			pair(k.t("ui.detail.fees"), k.money(a.Fees)),
			pair(k.t("ui.detail.total"), k.money(a.Total())),
		))
		box.Add(pair(k.t("ui.detail.case"), p.Case))
		box.Add(pair(k.t("ui.detail.source"), k.t("source."+string(p.Source))))
	case r.Received != nil:
		d := r.Received
		box.Add(heading(k.t("ui.detail.received_title", "amount", k.money(d.Amount), "date", k.lang.LongDate(d.Date))))
		box.Add(pair(k.t("ui.detail.case"), d.Case))
		box.Add(pair(k.t("ui.detail.source"), k.t("source."+string(d.Source))))
		box.Add(pair(k.t("ui.detail.method"), k.t("method."+string(d.Method))))
		status := text(k.t("status." + string(d.Status)))
		status.TextStyle.Bold = true
		box.Add(container.NewBorder(nil, nil, boldLabel(k.t("ui.detail.status")), nil, status))
		if d.Reason != "" {
			box.Add(card(subheading(k.t("ui.detail.why")), text(k.t("reason."+string(d.Reason)))))
		}
	}
	return box
}

// detailTop is Back beside a receipt of the payment, for the front desk's receipt printer, and
// the account statement of the payment's month.
func (k *Kiosk) detailTop(back *widget.Button, r session.Row) fyne.CanvasObject {
	receipt := k.btn("ui.print.receipt", func() {
		job := k.printJob(documents.PaymentReceipt)
		row := r
		job.Row, job.Side = &row, k.person.pay.side
		k.printDoc(job, scrDetail)
	})
	month := k.button(k.t("ui.print.month", "month", k.lang.MonthYear(r.Date.Year, r.Date.Month)), func() {
		job := k.printJob(documents.MonthlyStatement)
		job.Year, job.Month = r.Date.Year, r.Date.Month
		k.printDoc(job, scrDetail)
	})
	if k.theme.large { // the three long labels in large text are wider than the screen
		return container.NewVBox(container.NewHBox(back, receipt), container.NewHBox(month))
	}
	return container.NewHBox(back, receipt, month)
}

func boldLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	return l
}
