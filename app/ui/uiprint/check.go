package uiprint

import (
	"context"

	"childsupportkiosk/app/printing"
	"childsupportkiosk/app/ui"
)

var _ ui.PrinterChecker = (*Printer)(nil)

// Check asks CUPS whether the office printer and the receipt printer can print now, for the
// staff status screen. It prints nothing.
func (p *Printer) Check() []ui.PrinterCheck {
	out := make([]ui.PrinterCheck, 0, 2)
	for _, c := range []struct {
		key   string
		queue string
		paper printing.Paper
	}{
		{"ui.staff.printer_office", p.Printer.Config.Office, printing.OfficePaper},
		{"ui.staff.printer_receipt", p.Printer.Config.Receipt, printing.RollPaper},
	} {
		e := p.Printer.Check(context.Background(), c.paper)
		pc := ui.PrinterCheck{NameKey: c.key, Queue: c.queue, Ready: e.State == printing.Ready}
		if !pc.Ready {
			pc.Problem = e
		}
		out = append(out, pc)
	}
	return out
}
