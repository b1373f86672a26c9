package ui

import (
	"testing"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/ui/demoenv"
	"childsupportkiosk/sync/syncstate"
)

// tpmStatus is the demo's status as a kiosk sealed to its TPM reports it.
type tpmStatus struct{ SyncWith }

func (s tpmStatus) Status() (syncstate.Status, error) {
	st, err := s.SyncWith.Status()
	st.Lock = "tpm2"
	return st, err
}

// The staff status says loudly, in each language, that a kiosk runs on a plain key file (the
// demo does), and says nothing of the kind for a kiosk sealed to its TPM.
func TestStaffStatusWarnsOfPlainKeyFile(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	r.k.o.Syncer = SyncWith{Store: env.Cache, Client: env.Client}
	fd := staffLogin(t, env, domain.FrontDesk)
	r.enterStaff(t, fd.Staff, fd.Password)
	tap(t, r.c, r.tr("ui.staff.status"))
	for _, lang := range []string{"en", "es", "fr"} {
		r.k.setLanguage(lang) // the screen is drawn again in it
		mustHave(t, r.c, r.tr("kiosk.key.plain_warning"))
	}
	r.k.o.Syncer = tpmStatus{SyncWith{Store: env.Cache, Client: env.Client}}
	r.k.setLanguage("en")
	mustHave(t, r.c, r.tr("ui.staff.server"))
	mustNotHave(t, r.c, r.tr("kiosk.key.plain_warning"))
}
