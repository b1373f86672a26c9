package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/session"
)

// payState is the Payments screen's view: which list, which year, which page, which row is
// open, and what stopped a print (a year to choose first).
type payState struct {
	side    session.Side
	year    int
	page    int
	open    *session.Row
	problem error
}

// paymentsScreen lists "Payments I Made" and "Payments I Received" (as the person's roles
// have them), 20 a page, with a year filter and its total.
func (k *Kiosk) paymentsScreen() fyne.CanvasObject {
	st := &k.person.pay
	sides := k.sess.Sides()
	box := container.NewVBox(heading(k.t("ui.payments.title")))
	if len(sides) == 0 {
		box.Add(text(k.t("ui.payments.none")))
		return box
	}
	if st.side == "" {
		st.side = sides[0]
	}
	if len(sides) > 1 {
		tabs := container.NewGridWithColumns(len(sides))
		for _, s := range sides {
			s := s
			b := k.btn(sideKey(s), func() { k.person.pay = payState{side: s}; k.render() })
			if s == st.side {
				b.Importance = widget.HighImportance
			}
			tabs.Add(sized(0, 56, b))
		}
		box.Add(tabs)
	} else {
		box.Add(subheading(k.t(sideKey(st.side))))
	}
	pg, err := k.sess.Payments(st.side, st.year, st.page)
	if err != nil {
		box.Add(problemText(k.problem(err)))
		return box
	}
	st.page = pg.Number

	// The year filter and what the filter adds up to.
	years := container.NewHBox()
	all := k.btn("ui.payments.all_years", func() { k.person.pay.year, k.person.pay.page = 0, 1; k.render() })
	if st.year == 0 {
		all.Importance = widget.HighImportance
	}
	years.Add(all)
	for _, y := range pg.Years {
		y := y
		b := k.button(fmt.Sprint(y), func() { k.person.pay.year, k.person.pay.page = y, 1; k.render() })
		if y == st.year {
			b.Importance = widget.HighImportance
		}
		years.Add(b)
	}
	box.Add(sideways(years))
	if st.year != 0 {
		box.Add(subheading(k.t("ui.payments.year_total", "year", fmt.Sprint(st.year),
			"total", k.money(pg.Total), "count", k.lang.Int(int64(pg.Count)))))
	} else {
		box.Add(text(k.t("ui.payments.count", "count", k.lang.Int(int64(pg.Count)))))
	}

	if len(pg.Rows) == 0 {
		box.Add(text(k.t("ui.payments.empty")))
	} else {
		box.Add(text(k.t("ui.payments.tap_row")))
		box.Add(k.paymentHeader())
		for i := range pg.Rows {
			box.Add(k.paymentRow(pg.Rows[i]))
		}
	}
	box.Add(k.pager(pg))

	// Print and pay.
	printPage := k.btn("ui.print.page", func() { k.print(false, pg) })
	printYear := k.btn("ui.print.year", func() { k.print(true, pg) })
	pay := k.btn("ui.nav.pay", func() { k.show(scrPay) })
	box.Add(container.NewHBox(printPage, printYear, pay))
	if st.problem != nil {
		box.Add(problemText(k.problem(st.problem)))
	}
	for _, n := range k.prof.Notices {
		box.Add(text(k.t(n, "phone", k.prof.Contacts.Phone)))
	}
	return box
}

func sideKey(s session.Side) string {
	if s == session.Received {
		return "ui.payments.received"
	}
	return "ui.payments.made"
}

func (k *Kiosk) paymentHeader() fyne.CanvasObject {
	cols := []string{k.t("ui.payments.col_date"), k.t("ui.payments.col_amount"), k.t("ui.payments.col_source")}
	if k.person.pay.side == session.Received {
		cols = append(cols, k.t("ui.payments.col_status"))
	}
	row := container.New(layout.NewGridLayoutWithColumns(len(cols)))
	for i, c := range cols {
		l := widget.NewLabel(c)
		l.TextStyle.Bold = true
		if i == 1 {
			l.Alignment = fyne.TextAlignTrailing // over the amounts
		}
		l.Wrapping = fyne.TextWrapWord // "Type de paiement" in large text would widen every column
		row.Add(l)
	}
	return container.NewVBox(row, widget.NewSeparator())
}

// paymentRow is one tappable line; tapping it opens the payment in plain words.
func (k *Kiosk) paymentRow(r session.Row) fyne.CanvasObject {
	amount := widget.NewLabel(k.money(r.Amount))
	amount.Alignment = fyne.TextAlignTrailing // amounts line up on their last digit
	cols := []fyne.CanvasObject{widget.NewLabel(k.date(r.Date)), amount, text(k.t("source." + string(r.Source)))}
	if r.Received != nil {
		cols = append(cols, text(k.t("status."+string(r.Received.Status))))
	}
	line := container.New(layout.NewGridLayoutWithColumns(len(cols)), cols...)
	b := k.button("", func() {
		row := r
		k.person.pay.open = &row
		k.person.pay.problem = nil
		k.screen = scrDetail
		k.render()
	})
	b.Importance = widget.LowImportance
	return sized(0, 56, container.NewStack(b, line))
}

// pager moves between pages: previous, the page numbers around this one, next.
func (k *Kiosk) pager(pg session.Page) fyne.CanvasObject {
	if pg.Pages <= 1 {
		return layout.NewSpacer()
	}
	go2 := func(n int) func() { return func() { k.person.pay.page = n; k.render() } }
	bar := container.NewHBox()
	prev := k.btn("ui.pager.previous", go2(pg.Number-1))
	if pg.Number <= 1 {
		prev.Disable()
	}
	bar.Add(prev)
	from, to := max(1, pg.Number-3), min(pg.Pages, pg.Number+3)
	for n := from; n <= to; n++ {
		b := k.button(k.lang.Int(int64(n)), go2(n))
		if n == pg.Number {
			b.Importance = widget.HighImportance
		}
		bar.Add(sized(56, 56, b))
	}
	next := k.btn("ui.pager.next", go2(pg.Number+1))
	if pg.Number >= pg.Pages {
		next.Disable()
	}
	bar.Add(next)
	of := widget.NewLabel(k.t("ui.pager.of", "page", k.lang.Int(int64(pg.Number)), "pages", k.lang.Int(int64(pg.Pages))))
	return sideways(container.NewHBox(bar, of))
}

// sideways scrolls a row of buttons sideways, with room under it for the scroll bar, which
// otherwise covers the bottom of the buttons once the row has been touched.
func sideways(row fyne.CanvasObject) fyne.CanvasObject {
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(0, theme.Size(theme.SizeNameScrollBar)))
	return newHScroll(container.NewVBox(row, room))
}

// print shows the page on screen, or the yearly statement of the year of the filter, in the
// print preview.
func (k *Kiosk) print(year bool, pg session.Page) {
	st := &k.person.pay
	st.problem = nil
	if year && st.year == 0 {
		st.problem = uiProblem("ui.print.choose_year")
		k.render()
		return
	}
	job := k.printJob(documents.PaymentPage)
	job.Side, job.Year, job.Page, job.Pages, job.Rows = st.side, st.year, pg.Number, pg.Pages, pg.Rows
	if year {
		job.Kind, job.Rows, job.Page, job.Pages = documents.YearlyStatement, nil, 0, 0 // the statement reads the whole year itself
	}
	k.printDoc(job, scrPayments)
}

// printJob is a print job of the signed-in person.
func (k *Kiosk) printJob(kind documents.Kind) documents.Job {
	return documents.Job{Kind: kind, Profile: k.prof, Lang: k.lang, Participant: k.sess.Participant(), AsOf: k.asOf()}
}
