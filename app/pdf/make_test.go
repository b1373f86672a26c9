package pdf

import (
	"strings"
	"testing"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/i18n"
)

// Every printed kind of the list has its maker, its title and its line on the day summary in
// every language, and Make refuses
// a kind that is not on the list rather than printing something else.
func TestEveryKindHasAMakerAndATitle(t *testing.T) {
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if len(documents.All()) != len(makers) {
		t.Errorf("%d kinds on the list, %d makers", len(documents.All()), len(makers))
	}
	for _, e := range documents.All() {
		if makers[e.Kind] == nil {
			t.Errorf("%s has no maker", e.Kind)
		}
		for _, lang := range cat.Languages() {
			if !cat.Lang(lang).Has(e.Title) {
				t.Errorf("%s: no title %s for %s", lang, e.Title, e.Kind)
			}
			if key := "doc.day.kind." + string(e.Kind); !cat.Lang(lang).Has(key) {
				t.Errorf("%s: no %s, the day summary would print the kind's code", lang, key)
			}
		}
	}
	m := maker(t, "en", "CA")
	if _, err := m.Make(nil, documents.Job{Kind: "tax_return"}); err == nil || !strings.Contains(err.Error(), "tax_return") {
		t.Errorf("an unknown kind: %v", err)
	}
	// A kind that needs what the job lacks says so and makes nothing.
	for _, k := range []documents.Kind{documents.PaymentReceipt, documents.TempPINSlip} {
		if doc, err := m.Make(nil, documents.Job{Kind: k, Lang: m.Lang, Profile: m.Profile}); err == nil || doc.Bytes != nil {
			t.Errorf("%s without its payment or PIN: %v", k, err)
		}
	}
}
