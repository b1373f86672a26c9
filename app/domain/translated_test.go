package domain

import "testing"

// The text for a session's language: the same tag whatever its letter case, else the same
// primary language either way round, else the English, said to be untranslated.
func TestTextInTheSessionLanguage(t *testing.T) {
	d := Document{Title: "Order for Child Support", Translations: []DocumentText{
		{Lang: "es-MX", Title: "Orden (México)"}, {Lang: "ES", Title: "Orden"}, {Lang: "zh-Hant", Title: "子女撫養令"}}}
	for _, tc := range []struct {
		lang, want string
		translated bool
	}{
		{"es", "Orden", true}, {"es-MX", "Orden (México)", true}, {"es-US", "Orden (México)", true},
		{"zh-hant", "子女撫養令", true}, {"zh-Hans", "子女撫養令", true}, {"en", "Order for Child Support", true},
		{"en-US", "Order for Child Support", true}, {"fr", "Order for Child Support", false},
		{"", "Order for Child Support", false},
	} {
		if got, ok := d.TitleIn(tc.lang); got != tc.want || ok != tc.translated {
			t.Errorf("TitleIn(%q) = %q, %v; want %q, %v", tc.lang, got, ok, tc.want, tc.translated)
		}
	}
	m := Message{Subject: "Payment received", Body: "We received your payment.",
		Translations: []MessageText{{Lang: "fr", Subject: "Paiement reçu", Body: "Nous avons reçu votre paiement."},
			{Lang: "es"}}} // given but empty: the English
	if s, b, ok := m.TextIn("fr-CA"); s != "Paiement reçu" || b != "Nous avons reçu votre paiement." || !ok {
		t.Errorf("TextIn(fr-CA) = %q, %q, %v", s, b, ok)
	}
	if s, _, ok := m.TextIn("es"); s != "Payment received" || ok {
		t.Errorf("TextIn(es) with an empty translation = %q, %v; want the English, untranslated", s, ok)
	}
}

func TestValidLanguageTag(t *testing.T) {
	for tag, want := range map[string]bool{
		"es": true, "fr-CA": true, "zh-Hant": true, "zh-Hant-TW": true, "es-419": true, "tl": true, "x-a": false,
		"": false, "e": false, "es_MX": false, "es-": false, "-es": false, "123456789": false, "Ana Núñez": false,
		"es-abcdefghi": false, "abcdefghi": false, "en-US-x-aaaaaaaa-bbbbbbbb-cccccccc": true, "en-US-x-aaaaaaaa-bbbbbbbb-cccccccc-d": false,
	} {
		if got := ValidLanguageTag(tag); got != want {
			t.Errorf("ValidLanguageTag(%q) = %v, want %v", tag, got, want)
		}
	}
}

// What is owed: summed over the cases as payer, per case as receiver in case order, and the
// next due date only when the profile names a day.
func TestOwingOf(t *testing.T) {
	today := Date{Year: 2026, Month: 11, Day: 15}
	cases := []Case{
		{Number: "B", Role: Custodial, Balances: Balances{MonthlyCurrent: 100, Fees: 5}},
		{Number: "A", Role: Custodial, Balances: Balances{Arrears: 7, Interest: 3}},
		{Number: "C", Role: Custodial, Balances: Balances{MonthlyCurrent: 100}},
		{Number: "D", Role: Noncustodial, Balances: Balances{MonthlyCurrent: 200, Arrears: 10, Interest: 1, Fees: 2}},
		{Number: "E", Role: Noncustodial, Balances: Balances{MonthlyCurrent: 300, Arrears: 20}},
	}
	o := OwingOf(cases, today, 1)
	if !o.Pays || !o.Receives || o.Monthly != 500 || o.PastDue != 31 || o.Fees != 2 || o.NextDue != (Date{2026, 12, 1}) {
		t.Errorf("as payer: %+v", o)
	}
	if len(o.Received) != 2 || o.Received[0] != (OwedToYou{Case: "A", PastDue: 10}) || o.Received[1] != (OwedToYou{Case: "B", Fees: 5}) {
		t.Errorf("as receiver: %+v", o.Received)
	}
	if o.Nothing() {
		t.Error("Nothing with something owed")
	}
	if o := OwingOf(cases, today, 0); !o.NextDue.IsZero() {
		t.Errorf("a next due date without a due day: %s", o.NextDue)
	}
	if o := OwingOf(cases[2:3], today, 1); !o.Nothing() || !o.Receives || o.Pays {
		t.Errorf("a receiver with nothing past due: %+v", o)
	}
}
