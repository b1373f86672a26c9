package i18n

import (
	"slices"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
)

// The sentence of what is owed, for each kind of parent and each language.
func TestOwingSentences(t *testing.T) {
	c := shipped(t)
	today := domain.Date{Year: 2026, Month: time.November, Day: 15}
	pays := domain.Case{Number: "C-1", Role: domain.Noncustodial, OtherParty: "Ana Núñez",
		Balances: domain.Balances{MonthlyCurrent: 35000, Arrears: 120000, Interest: 3456, Fees: 2500}}
	paysUpToDate := domain.Case{Number: "C-2", Role: domain.Noncustodial,
		Balances: domain.Balances{MonthlyCurrent: 35000}}
	receives := domain.Case{Number: "C-3", Role: domain.Custodial, OtherParty: "Bruno Lefèvre",
		Balances: domain.Balances{MonthlyCurrent: 50000, Arrears: 8000}}
	receivesFees := domain.Case{Number: "C-4", Role: domain.Custodial, FamilyViolence: true,
		Balances: domain.Balances{MonthlyCurrent: 50000, Fees: 8000}}
	receivesNothing := domain.Case{Number: "C-5", Role: domain.Custodial, Balances: domain.Balances{MonthlyCurrent: 20000}}
	settled := domain.Case{Number: "C-6", Role: domain.Noncustodial}

	for _, tc := range []struct {
		name   string
		cases  []domain.Case
		dueDay int
		want   map[string][]string
	}{
		{"payer behind", []domain.Case{pays}, 1, map[string][]string{
			"en": {"You owe $1,234.56 in past-due support.", "You also owe $25.00 in fees.",
				"Your next payment of $350.00 is due on December 1, 2026."},
			"es": {"Usted debe $1,234.56 de manutención atrasada.", "También debe $25.00 en cargos.",
				"Su próximo pago de $350.00 vence el 1 de diciembre de 2026."},
			"fr": {"Vous devez 1\u00a0234,56\u00a0$ d'arriérés de pension alimentaire.", "Vous devez aussi 25,00\u00a0$ de frais.",
				"Votre prochain paiement de 350,00\u00a0$ est dû le 1 décembre 2026."},
		}},
		{"payer up to date, no due day", []domain.Case{paysUpToDate}, 0, map[string][]string{
			"en": {"You owe no past-due support.", "Your monthly support is $350.00."},
			"es": {"No debe manutención atrasada.", "Su manutención mensual es de $350.00."},
			"fr": {"Vous ne devez aucun arriéré de pension alimentaire.", "Votre pension alimentaire mensuelle est de 350,00\u00a0$."},
		}},
		{"receiver", []domain.Case{receivesFees, receives}, 1, map[string][]string{
			"en": {"The other parent owes $80.00 in past-due support on case C-3.",
				"The other parent owes $80.00 in fees to the agency on case C-4; fees are not paid to you."},
			"es": {"El otro padre o madre debe $80.00 de manutención atrasada en el caso C-3.",
				"El otro padre o madre debe $80.00 en cargos a la agencia en el caso C-4; los cargos no se le pagan a usted."},
			"fr": {"L'autre parent doit 80,00\u00a0$ d'arriérés de pension alimentaire sur le dossier C-3.",
				"L'autre parent doit 80,00\u00a0$ de frais à l'agence sur le dossier C-4 ; ces frais ne vous sont pas versés."},
		}},
		{"both, owed nothing as receiver", []domain.Case{receivesNothing, paysUpToDate}, 1, map[string][]string{
			"en": {"You owe no past-due support.", "Your next payment of $350.00 is due on December 1, 2026.", "Nothing is owed to you now."},
			"es": {"No debe manutención atrasada.", "Su próximo pago de $350.00 vence el 1 de diciembre de 2026.", "No se le debe nada a usted por ahora."},
			"fr": {"Vous ne devez aucun arriéré de pension alimentaire.", "Votre prochain paiement de 350,00\u00a0$ est dû le 1 décembre 2026.", "Rien ne vous est dû pour le moment."},
		}},
		{"nothing at all", []domain.Case{receivesNothing, settled}, 1, map[string][]string{
			"en": {"Nothing is owed now."},
			"es": {"No se debe nada por ahora."},
			"fr": {"Rien n'est dû pour le moment."},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cases := domain.Shield(tc.cases)
			o := domain.OwingOf(cases, today, tc.dueDay)
			for code, want := range tc.want {
				got := c.Lang(code).Owing(o)
				if !slices.Equal(got, want) {
					t.Errorf("%s:\n got  %q\n want %q", code, got, want)
				}
				for _, s := range got {
					for _, name := range []string{"Ana Núñez", "Bruno Lefèvre"} {
						if strings.Contains(s, name) {
							t.Errorf("%s: %q names %s", code, s, name)
						}
					}
				}
			}
		})
	}
}

// The next payment falls on the profile's due day of this month, or of the next once it has
// passed, across the turn of the year.
func TestNextDueDate(t *testing.T) {
	for _, tc := range []struct {
		today domain.Date
		day   int
		want  domain.Date
	}{
		{domain.Date{Year: 2026, Month: 11, Day: 1}, 1, domain.Date{Year: 2026, Month: 11, Day: 1}},
		{domain.Date{Year: 2026, Month: 11, Day: 2}, 1, domain.Date{Year: 2026, Month: 12, Day: 1}},
		{domain.Date{Year: 2026, Month: 12, Day: 20}, 15, domain.Date{Year: 2027, Month: 1, Day: 15}},
		{domain.Date{Year: 2026, Month: 2, Day: 10}, 28, domain.Date{Year: 2026, Month: 2, Day: 28}},
	} {
		if got := domain.NextDueDate(tc.today, tc.day); got != tc.want {
			t.Errorf("NextDueDate(%s, %d) = %s, want %s", tc.today, tc.day, got, tc.want)
		}
	}
}
