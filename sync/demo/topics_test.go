package demo

import (
	"testing"

	"childsupportkiosk/app/i18n"
)

// The kiosk shows an appointment's topic only through its translation: every topic the demo
// writes must have one in every language.
func TestAppointmentTopicsTranslated(t *testing.T) {
	export, _, err := Generate(Options{Participants: 60})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range export.Appointments {
		if a.Topic == "" || seen[a.Topic] {
			continue
		}
		seen[a.Topic] = true
		for _, l := range cat.Languages() {
			if !cat.Lang(l).Has(a.Topic) {
				t.Errorf("%s: no text for appointment topic %s", l, a.Topic)
			}
		}
	}
	if len(seen) < 2 {
		t.Fatalf("only %d appointment topics generated", len(seen))
	}
}
