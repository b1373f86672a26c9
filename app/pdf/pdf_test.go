package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/assets"
)

var fixedNow = time.Date(2025, 1, 15, 17, 30, 0, 0, time.UTC)

func maker(t testing.TB, lang, agency string) Maker {
	t.Helper()
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	p, err := assets.Profile(agency)
	if err != nil {
		t.Fatal(err)
	}
	return Maker{Profile: p, Lang: cat.Lang(lang), Now: func() time.Time { return fixedNow },
		Office: domain.Office{ID: "sac", Name: "Sacramento County Child Support", Agency: agency,
			Address: "3960 Research Dr, Sacramento, CA 95838", Phone: "(916) 875-7400"}}
}

func day(y int, m time.Month, d int) domain.Date { return domain.Date{Year: y, Month: m, Day: d} }

// records: María pays on A-100 (family violence: the other party is hidden) and receives on
// B-200, whose other party, Luis Pérez, is hidden too, because the indicator on any of a
// person's cases hides every other party (domain.Shield).
func records(weekly int) domain.Records {
	p := domain.Participant{ID: "1234567890", Name: "María José Nuñez-Çelik", SSN: "123456789"}
	asOf := day(2025, 1, 10)
	r := domain.Records{Participant: p, DataAsOf: time.Date(2025, 1, 14, 22, 5, 0, 0, time.UTC)}
	r.Cases = []domain.Case{
		{Number: "A-100", Participant: p.ID, Role: domain.Noncustodial, FamilyViolence: true,
			OtherParty: "Jorge Hidden-Name", CourtOrder: "FL-2019-0042",
			Balances: domain.Balances{MonthlyCurrent: 52000, Arrears: 310050, Interest: 1225, Fees: 2500, AsOf: asOf}},
		{Number: "B-200", Participant: p.ID, Role: domain.Custodial, OtherParty: "Luis Pérez",
			CourtOrder: "FL-2020-0777",
			Balances:   domain.Balances{MonthlyCurrent: 40000, Arrears: 120000, AsOf: asOf}},
	}
	start := day(2024, 1, 5)
	for i := 0; i < weekly; i++ {
		r.Made = append(r.Made, domain.Payment{ID: fmt.Sprintf("p%02d", i), Case: "A-100", Payer: p.ID,
			Received: start.AddDays(7 * i), Amount: 13015, Source: domain.IncomeWithholding,
			Allocation: domain.Allocation{Current: 12000, Arrears: 1015}})
	}
	r.Received = []domain.Disbursement{
		{ID: "d1", Case: "B-200", Payee: p.ID, Date: day(2024, 2, 9), Amount: 40000, Source: domain.IncomeWithholding,
			Method: domain.DirectDeposit, Status: domain.Disbursed},
		{ID: "d2", Case: "B-200", Payee: p.ID, Date: day(2024, 3, 12), Amount: 84710, Source: domain.FederalTaxOffset,
			Method: domain.DirectDeposit, Status: domain.Held, Reason: domain.JointReturnOffset},
		{ID: "d3", Case: "B-200", Payee: p.ID, Date: day(2024, 3, 28), Amount: 5169, Source: domain.UnemploymentIntercept,
			Method: domain.Check, Status: domain.Reissued, Reason: domain.CheckUncashed},
		{ID: "d4", Case: "B-200", Payee: p.ID, Date: day(2024, 11, 29), Amount: 123456, Source: domain.WorkersCompIntercept,
			Method: domain.DebitCard, Status: domain.Disbursed},
	}
	return r
}

func pdfText(t testing.TB, b []byte) string { return pdfTextMode(t, b, "-layout") }

// rollText reads a roll document in reading order (centred lines of a narrow page are lost by
// pdftotext's layout mode).
func rollText(t testing.TB, b []byte) string { return pdfTextMode(t, b, "-raw") }

func pdfTextMode(t testing.TB, b []byte, mode string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	cmd := exec.Command("pdftotext", mode, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// Join lines and fold no-break spaces so phrases can be searched whatever the layout.
	s := strings.ReplaceAll(string(out), "\u00a0", " ")
	// No printed kind writes a date in digits only, whose order would read differently in
	// another language: every document any test reads is checked.
	if m := numericDate.FindString(s); m != "" {
		t.Errorf("a numeric date %q in the document", m)
	}
	return s
}

// numericDate is a date in digits only, in any order: 13/11/2026, 11-13-26, 2026-11-13.
var numericDate = regexp.MustCompile(`\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})\b`)

// save writes b under KIOSK_PDF_OUT when set, to look at the documents by eye.
func save(t testing.TB, name string, b []byte) {
	if dir := os.Getenv("KIOSK_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func contains(t *testing.T, text string, want ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(text), " ")
	for _, w := range want {
		if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
}

func lacks(t *testing.T, text string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(text, b) {
			t.Errorf("must not contain %q", b)
		}
	}
}

func TestCheckFonts(t *testing.T) {
	if err := CheckFonts(); err != nil {
		t.Fatal(err)
	}
}

func TestYearlyStatementEnglish(t *testing.T) {
	m := maker(t, "en", "CA")
	r := records(52)
	s := r.Yearly(2024, day(2025, 1, 15))
	doc, err := m.YearlyStatement(s)
	if err != nil {
		t.Fatal(err)
	}
	save(t, "yearly-en.pdf", doc.Bytes)
	text := pdfText(t, doc.Bytes)
	contains(t, text,
		"California Child Support Services", "Payment statement for 2024",
		"María José Nuñez-Çelik", "••••••7890",
		"Case A-100", "Case B-200", "Pays support (noncustodial parent)", "Receives support (custodial parent)",
		"$130.15", "Income withholding order",
		"Subtotal January 2024", "$520.60", // four Fridays in January 2024
		"Subtotal March 2024",
		"Total 2024", "$6,767.80", // 52 × 130.15 paid
		"$1,686.25", // received: 400.00 + 51.69 + 1,234.56
		"$847.10",   // held
		"Monthly current support", "$520.00", "$3,100.50",
		"not taxable income", "Scan to watch the video",
		"Data as of January 14, 2025 at 2:05 PM", // 22:05 UTC is 2:05 PM in Los Angeles
		"Statement date: January 15, 2025",
		"(866) 901-3212", "Page 1 of", "Confidential",
		"Federal tax refund offsets on a joint return can be held up to 6 months")
	lacks(t, text, "Jorge", "Hidden-Name", "Luis", "Pérez", "Other party", "1234567890", "123456789", "⟦")
	if n := strings.Count(text, "Page "); n < 2 {
		t.Errorf("a 52-payment statement should run to several pages, got %d page footers", n)
	}
	if !strings.Contains(text, fmt.Sprintf("Page 1 of %d", strings.Count(text, "\f"))) {
		t.Errorf("page count in the footer does not match the pages")
	}
}

// unflagged is records without the family-violence indicator: A-100 names nobody, B-200 names
// Luis Pérez, who may then be shown.
func unflagged(r domain.Records) domain.Records {
	r.Cases = append([]domain.Case(nil), r.Cases...)
	for i := range r.Cases {
		if r.Cases[i].FamilyViolence {
			r.Cases[i].FamilyViolence, r.Cases[i].OtherParty = false, ""
		}
	}
	return r
}

func TestYearlyStatementLanguages(t *testing.T) {
	r := unflagged(records(8))
	s := r.Yearly(2024, day(2025, 1, 15))
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"es", []string{"Estado de pagos de 2024", "Caso A-100", "Subtotal enero de 2024", "Subtotal marzo de 2024",
			"Página 1 de", "Orden de retención de ingresos", "Compensación del reembolso de",
			"Otra parte: Luis Pérez", "no es un ingreso sujeto a impuestos", "Nuñez-Çelik", "$1,041.20"}},
		{"fr", []string{"Relevé des paiements 2024", "Dossier A-100", "Sous-total janvier 2024", "Sous-total mars 2024",
			"Page 1 sur", "Ordre de retenue sur salaire", "Autre partie : Luis Pérez", "n'est pas un revenu imposable",
			"Données au 14 janvier 2025 à 14 h 05", "1 041,20 $", "Reçu", "Nuñez-Çelik", "décembre"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			doc, err := maker(t, tc.lang, "CA").YearlyStatement(s)
			if err != nil {
				t.Fatal(err)
			}
			save(t, "yearly-"+tc.lang+".pdf", doc.Bytes)
			text := pdfText(t, doc.Bytes)
			if tc.lang == "fr" {
				tc.want = tc.want[:len(tc.want)-1] // no December payments in this fixture
			}
			contains(t, text, tc.want...)
			lacks(t, text, "Jorge", "⟦")
		})
	}
}

func TestYearlyStatementEmptyYear(t *testing.T) {
	r := records(3)
	for lang, want := range map[string]string{
		"en": "No payments were made or received on your cases in 2019.",
		"es": "No se hicieron ni recibieron pagos en sus casos en 2019.",
		"fr": "Aucun paiement n'a été effectué ni reçu dans vos dossiers en 2019.",
	} {
		doc, err := maker(t, lang, "CA").YearlyStatement(r.Yearly(2019, day(2025, 1, 15)))
		if err != nil {
			t.Fatal(err)
		}
		save(t, "yearly-empty-"+lang+".pdf", doc.Bytes)
		contains(t, pdfText(t, doc.Bytes), want)
	}
}

func TestDeterministic(t *testing.T) {
	m := maker(t, "fr", "CA")
	r := records(52)
	s := r.Yearly(2024, day(2025, 1, 15))
	a, err := m.YearlyStatement(s)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		b, err := m.YearlyStatement(s)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes, b.Bytes) {
			t.Fatal("the same statement gave different bytes")
		}
	}
	rc := Receipt{ParticipantID: r.Participant.ID, ParticipantName: r.Participant.Name,
		Line: domain.LineOfPayment(r.Made[0]), DataAsOf: r.DataAsOf}
	x, _ := m.PaymentReceipt(rc)
	y, _ := m.PaymentReceipt(rc)
	if !bytes.Equal(x.Bytes, y.Bytes) {
		t.Fatal("the same receipt gave different bytes")
	}
}

func TestPaymentPage(t *testing.T) {
	r := records(30)
	lines := r.Lines(domain.Received)
	doc, err := maker(t, "es", "CA").PaymentPage(Page{ParticipantID: r.Participant.ID,
		ParticipantName: r.Participant.Name, Direction: domain.Received, Lines: lines, Number: 1, Of: 1,
		Date: day(2025, 1, 15), DataAsOf: r.DataAsOf})
	if err != nil {
		t.Fatal(err)
	}
	save(t, "page-es.pdf", doc.Bytes)
	text := pdfText(t, doc.Bytes)
	contains(t, text, "Pagos que recibí", "Página 1 de 1 como se ve en el quiosco", "B-200", "29 nov 2024",
		"$1,234.56", "Retenido", "Reemitido", "Total de esta página", "$1,686.25")
	lacks(t, text, "⟦")
}

func TestMonthlyStatement(t *testing.T) {
	r := records(52)
	s := r.Monthly(2024, time.March, day(2024, 4, 2))
	for _, lang := range []string{"en", "fr"} {
		doc, err := maker(t, lang, "NY").MonthlyStatement(s)
		if err != nil {
			t.Fatal(err)
		}
		save(t, "monthly-"+lang+".pdf", doc.Bytes)
		text := pdfText(t, doc.Bytes)
		if lang == "en" {
			contains(t, text, "New York Child Support", "Account statement for March",
				"Current support due this month", "$520.00", "Paid this month", "$650.75",
				"Received this month", "$51.69", "Held or pending this month", "$847.10",
				"Current support not paid this month", "Balances after this month")
		} else {
			contains(t, text, "Relevé de compte de mars", "Pension courante due ce mois-ci", "520,00 $",
				"Reçu ce mois-ci", "51,69 $")
		}
		lacks(t, text, "Jorge", "⟦")
	}
}

func TestCoupon(t *testing.T) {
	r := records(1)
	c, ok := r.Coupon(2025, time.February)
	if !ok {
		t.Fatal("no coupon for a payer")
	}
	doc, err := maker(t, "en", "CA").Coupon(c, day(2025, 1, 15))
	if err != nil {
		t.Fatal(err)
	}
	save(t, "coupon-en.pdf", doc.Bytes)
	text := pdfText(t, doc.Bytes)
	contains(t, text, "Payment coupon · February 2025", "Participant ID: 1234567890", "Case numbers: A-100",
		"$520.00", "California State Disbursement Unit", "P.O. Box 989067", "West Sacramento, CA 95798",
		"Write your participant ID and case number(s)", "Amount enclosed", "Do not send cash")
	lacks(t, text, "B-200", "Jorge", "⟦")
}

func TestReceiptAndPINSlip(t *testing.T) {
	r := records(2)
	m := maker(t, "fr", "CA")
	doc, err := m.PaymentReceipt(Receipt{ParticipantID: r.Participant.ID, ParticipantName: r.Participant.Name,
		Line: domain.LineOfDisbursement(r.Received[1]), DataAsOf: r.DataAsOf})
	if err != nil {
		t.Fatal(err)
	}
	save(t, "receipt-fr.pdf", doc.Bytes)
	text := rollText(t, doc.Bytes)
	contains(t, text, "Reçu de paiement", "847,10 $", "Retenu", "Compensation sur le remboursement",
		"••••••7890", "Données au")
	lacks(t, text, "1234567890", "⟦")
	w, h := pageSize(t, doc.Bytes)
	if w < 226 || w > 228 || h > 400 || h < 100 {
		t.Errorf("receipt page %.1f × %.1f pt, want 80 mm (226.8 pt) wide and fitted to the content", w, h)
	}

	slip, err := maker(t, "es", "CA").TempPINSlip(PINSlip{ParticipantID: r.Participant.ID,
		ParticipantName: r.Participant.Name, PIN: "482913", Expires: fixedNow.Add(24 * time.Hour),
		DataAsOf: r.DataAsOf})
	if err != nil {
		t.Fatal(err)
	}
	save(t, "pinslip-es.pdf", slip.Bytes)
	text = rollText(t, slip.Bytes)
	if !strings.Contains(strings.ReplaceAll(text, " ", ""), "482913") {
		t.Error("the temporary PIN is not on the slip")
	}
	contains(t, text, "PIN temporal", "Válido hasta el 16 de enero de 2025", "cambie",
		"María José Nuñez-Çelik", "••••••7890")
	lacks(t, text, "1234567890", "⟦")
}

// pageSize reads the first MediaBox of a PDF, in points.
func pageSize(t *testing.T, b []byte) (w, h float64) {
	t.Helper()
	i := bytes.Index(b, []byte("/MediaBox ["))
	if i < 0 {
		t.Fatal("no MediaBox")
	}
	var x0, y0 float64
	if _, err := fmt.Sscanf(string(b[i+len("/MediaBox ["):]), "%f %f %f %f", &x0, &y0, &w, &h); err != nil {
		t.Fatal(err)
	}
	return w, h
}

func BenchmarkYearlyStatement52(b *testing.B) {
	m := maker(b, "en", "CA")
	s := records(52).Yearly(2024, day(2025, 1, 15))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.YearlyStatement(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReceipt(b *testing.B) {
	m := maker(b, "en", "CA")
	r := records(1)
	rc := Receipt{ParticipantID: r.Participant.ID, ParticipantName: r.Participant.Name,
		Line: domain.LineOfPayment(r.Made[0]), DataAsOf: r.DataAsOf}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.PaymentReceipt(rc); err != nil {
			b.Fatal(err)
		}
	}
}

// A name outside the Latin cut of the fonts makes the document again with the full fonts.
func TestNameOutsideLatin(t *testing.T) {
	r := records(2)
	r.Participant.Name = "Оксана Ковальчук"
	doc, err := maker(t, "en", "CA").PaymentReceipt(Receipt{ParticipantID: r.Participant.ID,
		ParticipantName: r.Participant.Name, Line: domain.LineOfPayment(r.Made[0]), DataAsOf: r.DataAsOf})
	if err != nil {
		t.Fatal(err)
	}
	contains(t, rollText(t, doc.Bytes), "Оксана Ковальчук", "$130.15")
}

// Every kind of document in every language: no missing text, and (with KIOSK_PDF_OUT set) the
// files to look at.
func TestEveryKindEveryLanguage(t *testing.T) {
	r := records(52)
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range cat.Languages() {
		m := maker(t, lang, "CA")
		ny := maker(t, lang, "NY")
		c, _ := r.Coupon(2025, time.February)
		docs := map[string]func() (Document, error){
			"yearly": func() (Document, error) { return m.YearlyStatement(r.Yearly(2024, day(2025, 1, 15))) },
			"page": func() (Document, error) {
				return m.PaymentPage(Page{ParticipantID: r.Participant.ID, ParticipantName: r.Participant.Name,
					Direction: domain.Made, Lines: r.Lines(domain.Made)[:20], Number: 2, Of: 3,
					Date: day(2025, 1, 15), DataAsOf: r.DataAsOf})
			},
			"monthly": func() (Document, error) {
				return ny.MonthlyStatement(r.Monthly(2024, time.September, day(2024, 10, 2)))
			},
			"coupon": func() (Document, error) { return m.Coupon(c, day(2025, 1, 15)) },
			"receipt": func() (Document, error) {
				return m.PaymentReceipt(Receipt{ParticipantID: r.Participant.ID, ParticipantName: r.Participant.Name,
					Line: domain.LineOfPayment(r.Made[3]), DataAsOf: r.DataAsOf})
			},
			"pinslip": func() (Document, error) {
				return m.TempPINSlip(PINSlip{ParticipantID: r.Participant.ID, ParticipantName: r.Participant.Name,
					PIN: "482913", Expires: fixedNow.Add(24 * time.Hour), DataAsOf: r.DataAsOf})
			},
			"card": func() (Document, error) {
				return m.SignInCard(Card{ParticipantID: r.Participant.ID, ParticipantName: r.Participant.Name})
			},
			"day": func() (Document, error) { return m.Day(dayActivity()) },
		}
		made := map[documents.Kind]bool{}
		for name, mk := range docs {
			doc, err := mk()
			if err != nil {
				t.Fatalf("%s %s: %v", name, lang, err)
			}
			made[doc.Kind] = true
			save(t, "all-"+name+"-"+lang+".pdf", doc.Bytes)
			text := pdfText(t, doc.Bytes)
			if strings.Contains(text, "⟦") {
				t.Errorf("%s %s: missing translation: %s", name, lang, text)
			}
			if strings.Contains(text, "Jorge") {
				t.Errorf("%s %s: the hidden other party shows", name, lang)
			}
		}
		for _, e := range documents.All() {
			if !made[e.Kind] {
				t.Errorf("%s: no sample of the printed kind %s here", lang, e.Kind)
			}
		}
	}
}

func TestSignInCard(t *testing.T) {
	r := records(2)
	for _, lang := range []string{"en", "es", "fr"} {
		m := maker(t, lang, "CA")
		card := Card{ParticipantID: r.Participant.ID, ParticipantName: r.Participant.Name}
		doc, err := m.SignInCard(card)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Kind != documents.SignInCard || !doc.Kind.OnRoll() || doc.PageCount() != 1 {
			t.Fatalf("kind %s, on the roll %v, %d pages", doc.Kind, doc.Kind.OnRoll(), doc.PageCount())
		}
		save(t, "card-"+lang+".pdf", doc.Bytes)
		again, err := m.SignInCard(card)
		if err != nil || !bytes.Equal(doc.Bytes, again.Bytes) {
			t.Fatalf("the same card twice differs (%v)", err)
		}
		text := rollText(t, doc.Bytes)
		contains(t, text, m.Lang.T("doc.title.card"), m.Lang.T("doc.card.scan"), "María José Nuñez-Çelik", "••••••7890",
			m.Lang.T(m.Profile.NameKey))
		// The ID is in the QR code only: neither the text nor the file's bytes hold it, and the
		// card has no PIN on it.
		lacks(t, text, r.Participant.ID, "⟦", m.Lang.T("doc.pin.label"))
		if bytes.Contains(doc.Bytes, []byte(r.Participant.ID)) {
			t.Error("the card's bytes hold the participant ID")
		}
		w, h := pageSize(t, doc.Bytes)
		if w < 226 || w > 228 || h > 400 || h < 150 {
			t.Errorf("card page %.1f × %.1f pt, want 80 mm wide and fitted to the content", w, h)
		}
	}
}

func TestPageCount(t *testing.T) {
	r := records(52)
	m := maker(t, "en", "CA")
	doc, err := m.YearlyStatement(r.Yearly(2024, day(2025, 1, 15)))
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, doc.Bytes)
	n := doc.PageCount()
	if n < 2 || !strings.Contains(text, fmt.Sprintf("Page %d of %d", n, n)) {
		t.Errorf("PageCount %d; the statement says:\n%s", n, text)
	}
	if (Document{}).PageCount() != 0 {
		t.Error("an empty document has pages")
	}
}
