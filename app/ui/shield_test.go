package ui

import (
	"testing"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/ui/demoenv"
)

// otherParents are the names of every other parent on a participant's cases, from the agency's
// own export, and whether a case without the indicator names one.
func otherParents(env *demoenv.Env, participant string) (names []string, unflaggedNamed bool) {
	byID := map[string]string{}
	for _, p := range env.Export.Participants {
		byID[p.ID] = p.Name
	}
	for _, c := range env.Export.Cases {
		mine := false
		for _, p := range c.Parties {
			mine = mine || p.Participant == participant
		}
		if !mine {
			continue
		}
		for _, p := range c.Parties {
			if p.Participant == participant {
				continue
			}
			name := p.Name
			if p.Participant != "" {
				name = byID[p.Participant]
			}
			if name != "" {
				names = append(names, name)
				unflaggedNamed = unflaggedNamed || !c.FamilyViolence
			}
		}
	}
	return names, unflaggedNamed
}

// TestStaffNeverSeeTheOtherParentOfASurvivor: the front desk looks a survivor up (one case with
// the family-violence indicator, one without it that names its other parent), opens the
// person's page and an assisted session, and walks every screen: no widget names any other
// parent. The lobby can see the kiosk's screen while staff help someone.
func TestStaffNeverSeeTheOtherParentOfASurvivor(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["custodial"]
	others, named := otherParents(r.env, s.Participant)
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
