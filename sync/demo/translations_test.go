package demo_test

import (
	"testing"

	"childsupportkiosk/sync/demo"
)

// The demo's office messages and documents are in English with Spanish and French beside
// them, and a few lack the French, so that a French screen shows the fall-back to English.
func TestDemoTextsInThreeLanguages(t *testing.T) {
	e, _, err := demo.Generate(demo.Options{Seed: 7, Offices: 1, Participants: 40})
	if err != nil {
		t.Fatal(err)
	}
	frenchMissing := 0
	for _, d := range e.Documents {
		es, okES := d.TitleIn("es")
		fr, okFR := d.TitleIn("fr")
		if !okES || es == d.Title {
			t.Fatalf("document %s has no Spanish title", d.ID)
		}
		if !okFR {
			frenchMissing++
		} else if fr == d.Title || fr == es {
			t.Fatalf("document %s: French title %q", d.ID, fr)
		}
	}
	for _, m := range e.Messages {
		if !m.FromOffice {
			if len(m.Translations) != 0 {
				t.Fatalf("a parent's message %s has translations", m.ID)
			}
			continue
		}
		if s, b, ok := m.TextIn("es"); !ok || s == m.Subject || b == m.Body {
			t.Fatalf("office message %s has no Spanish text", m.ID)
		}
		if _, _, ok := m.TextIn("fr"); !ok {
			frenchMissing++
		}
	}
	if frenchMissing == 0 {
		t.Error("every text has its French: nothing shows the fall-back to English")
	}
}
