package ui

import (
	"testing"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/demo"
)

// TestStaffNeverSeeTheOtherParentOfASurvivor: the front desk looks a survivor up (one case with
// the family-violence indicator, one without it that names its other parent), opens the
// person's page and an assisted session, and walks every screen: no widget names any other
// parent. The lobby can see the kiosk's screen while staff help someone.
func TestStaffNeverSeeTheOtherParentOfASurvivor(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["custodial"]
	others, named := demo.OtherParents(r.env.Export, s.Participant)
	if !s.FamilyViolence || !named {
		t.Fatal("the custodial sample should be a survivor with a case that names the other parent")
	}
	check := func(where string) {
		t.Helper()
		for _, name := range others {
			if name != "" && has(r.c, name) {
				t.Fatalf("%s shows the other parent %q", where, name)
			}
		}
	}
	fd := staffLogin(t, r.env, domain.FrontDesk)
	r.enterStaff(t, fd.Staff, fd.Password)
	r.search(t, s.Participant)
	check("the staff look-up")
	tap(t, r.c, r.tr("ui.staff.assist"))
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
	for _, scr := range []string{scrHome, scrPayments, scrPay, scrDocuments, scrMessages, scrOtherParty, scrDetails, scrHelp} {
		r.k.show(scr)
		check("the assisted " + scr + " screen")
		mustNotHave(t, r.c, r.tr("ui.case.other_party"))
	}
}
