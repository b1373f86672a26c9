package ui

import (
	"testing"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/ui/demoenv"
)

// cupsDown is a printer's outcome as the printing package gives it: it names its translation.
type cupsDown struct{}

func (cupsDown) Error() string                   { return "print failed: cups_down" }
func (cupsDown) Key() string                     { return "print.failed.cups_down" }
func (c *checkingPrinter) Check() []PrinterCheck { return c.checks }

// checkingPrinter is a fakePrinter that also tells its printers' state.
type checkingPrinter struct {
	fakePrinter
	checks []PrinterCheck
}

// With CUPS down, the front desk's status screen says so for each printer, in the staff
// member's language.
func TestStaffStatusShowsCUPSDown(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	r.k.o.Syncer = SyncWith{Store: env.Cache, Client: env.Client}
	r.k.o.Printer = &checkingPrinter{checks: []PrinterCheck{
		{NameKey: "ui.staff.printer_office", Queue: "OfficeQ", Problem: cupsDown{}},
		{NameKey: "ui.staff.printer_receipt", Queue: "RollQ", Problem: cupsDown{}},
	}}
	fd := staffLogin(t, env, domain.FrontDesk)
	r.enterStaff(t, fd.Staff, fd.Password)
	for _, lang := range []string{"en", "es"} {
		r.k.setLanguage(lang)
		tap(t, r.c, r.tr("ui.staff.status"))
		r.k.bridge.wait()
		down := r.tr("print.failed.cups_down")
		mustHave(t, r.c, "OfficeQ · "+down)
		mustHave(t, r.c, "RollQ · "+down)
	}
}
