package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
)

// makePaymentScreen says how to pay: the agency's payment options and where checks go, with
// what to write on them.
func (k *Kiosk) makePaymentScreen() fyne.CanvasObject {
	r := k.prof.Remit
	p := k.sess.Participant()
	box := container.NewVBox(heading(k.t("ui.pay.title")))
	if pays, _ := k.sess.Roles(); pays {
		box.Add(k.couponPrint())
	}
	box.Add(subheading(k.t("ui.pay.options")))
	for _, key := range k.prof.PaymentOptions {
		box.Add(text(k.t("ui.pay.option", "text", k.t(key))))
	}
	mail := []fyne.CanvasObject{subheading(k.t("ui.pay.by_mail")), boldLabel(r.Payee)}
	for _, l := range r.Lines {
		mail = append(mail, widget.NewLabel(l))
	}
	if r.MemoKey != "" {
		mail = append(mail, text(k.t(r.MemoKey)))
	}
	id := domain.MaskID(p.ID)
	if k.person.form.showID {
		id = p.ID
	}
	showKey := "ui.signin.show_id"
	if k.person.form.showID {
		showKey = "ui.signin.hide_id"
	}
	mail = append(mail, container.NewBorder(nil, nil, nil,
		k.btn(showKey, func() { k.person.form.showID = !k.person.form.showID; k.render() }),
		pair(k.t(k.prof.ParticipantID.NameKey), id)))
	cases, _ := k.sess.Cases()
	for _, c := range cases {
		if c.Role == domain.Noncustodial {
			mail = append(mail, pair(k.t("ui.pay.case"), c.Number))
		}
	}
	box.Add(card(mail...))
	var online []fyne.CanvasObject
	if r.Phone != "" {
		online = append(online, pair(k.t("ui.pay.phone"), r.Phone))
	}
	if r.Website != "" {
		online = append(online, qr(r.Website, k.t("ui.pay.website")))
	}
	if len(online) > 0 {
		box.Add(card(online...))
	}
	return box
}

// couponPrint offers a payment coupon for the current month, to mail with a check or money
// order. Only a person who pays on some case has one.
func (k *Kiosk) couponPrint() fyne.CanvasObject {
	now := k.local(k.mgr.Now())
	month := k.lang.MonthYear(now.Year(), now.Month())
	b := k.btn("ui.print.coupon", func() {
		job := k.printJob(documents.PaymentCoupon)
		job.Year, job.Month = now.Year(), now.Month()
		k.printDoc(job, scrPay)
	})
	return container.NewBorder(nil, nil, nil, sized(0, 56, b), text(k.t("ui.print.coupon_note", "month", month)))
}
