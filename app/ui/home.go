package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
)

// homeScreen greets the person and shows their cases, balances and what is coming up.
func (k *Kiosk) homeScreen() fyne.CanvasObject {
	p := k.sess.Participant()
	box := container.NewVBox(heading(k.t("ui.home.hello", "name", p.Name)))
	if k.note != "" {
		box.Add(noteText(k.t(k.note)))
	}
	cases, err := k.sess.Cases()
	if err != nil {
		box.Add(problemText(k.problem(err)))
	}
	if err == nil && len(cases) > 0 {
		box.Add(subheading(k.t("ui.home.owing")))
		box.Add(k.owingCard(cases))
	}
	box.Add(subheading(k.t("ui.home.cases")))
	if len(cases) == 0 && err == nil {
		box.Add(text(k.t("ui.home.no_cases")))
	}
	grid := container.NewGridWithColumns(2)
	for _, c := range cases {
		grid.Add(k.caseCard(c))
	}
	box.Add(grid)

	box.Add(subheading(k.t("ui.home.upcoming")))
	apps, err := k.sess.Upcoming()
	switch {
	case err != nil:
		box.Add(problemText(k.problem(err)))
	case len(apps) == 0:
		box.Add(text(k.t("ui.home.no_upcoming")))
	}
	for _, a := range apps {
		box.Add(k.appointmentCard(a))
	}
	pay := k.btn("ui.nav.payments", func() { k.show(scrPayments) })
	pay.Importance = widget.HighImportance
	box.Add(container.NewHBox(pay, k.btn("ui.nav.pay", func() { k.show(scrPay) })))
	return box
}

// owingCard says in plain sentences what is owed now and by whom (i18n's Lang.Owing), from
// the cases as read through the privacy rules: it names no other parent.
func (k *Kiosk) owingCard(cases []domain.Case) fyne.CanvasObject {
	today := domain.DateOf(k.local(k.mgr.Now()))
	var lines []fyne.CanvasObject
	for _, s := range k.lang.Owing(domain.OwingOf(cases, today, k.prof.SupportDueDay)) {
		lines = append(lines, text(s))
	}
	return card(lines...)
}

// caseCard shows one case as the person sees it. The other party's name is left out when the
// case's family-violence indicator is set, and on every case of a person who has the indicator
// on any case: the same parent may be the other party on more than one case.
func (k *Kiosk) caseCard(c domain.Case) fyne.CanvasObject {
	lines := []fyne.CanvasObject{
		subheading(k.t("ui.case.number", "number", c.Number)),
		text(k.t("role." + string(c.Role))),
	}
	if c.ShowOtherParty() && k.sess.ShowOtherParty() {
		lines = append(lines, pair(k.t("ui.case.other_party"), c.OtherParty))
	}
	b := c.Balances
	lines = append(lines,
		pair(k.t("ui.balance.monthly"), k.money(b.MonthlyCurrent)),
		pair(k.t("ui.balance.arrears"), k.money(b.Arrears)),
		pair(k.t("ui.balance.interest"), k.money(b.Interest)))
	if b.Fees != 0 {
		lines = append(lines, pair(k.t("ui.balance.fees"), k.money(b.Fees)))
	}
	lines = append(lines, pair(k.t("ui.balance.owed"), k.money(b.Owed())))
	if !b.AsOf.IsZero() {
		lines = append(lines, text(k.t("ui.balance.as_of", "date", k.lang.LongDate(b.AsOf))))
	}
	return card(lines...)
}

func (k *Kiosk) appointmentCard(a domain.Appointment) fyne.CanvasObject {
	kind := k.t("ui.appointment.office")
	if a.Kind == domain.CourtDate {
		kind = k.t("ui.appointment.court")
	}
	at := k.local(a.At)
	lines := []fyne.CanvasObject{
		subheading(kind + " · " + k.lang.LongDate(domain.DateOf(at)) + " · " + k.lang.Time(at)),
	}
	if a.Topic != "" && k.lang.Has(a.Topic) {
		lines = append(lines, text(k.t(a.Topic)))
	}
	if a.Place != "" {
		lines = append(lines, pair(k.t("ui.appointment.place"), a.Place))
	}
	if a.Case != "" {
		lines = append(lines, pair(k.t("ui.appointment.case"), a.Case))
	}
	return card(lines...)
}
