package demo

import (
	"fmt"
	"strings"
	"time"

	"childsupportkiosk/app/domain"
)

// samples picks, for each office, a custodial parent (with a family-violence case and a held
// joint-return offset), a noncustodial parent with a long payment history and a parent who is
// both; it gives them demo PINs, the one who is both a temporary PIN. No one else has a PIN:
// at the kiosk they are sent to the front desk.
func (g *gen) samples() ([]Sample, error) {
	var out []Sample
	for _, o := range g.e.Offices {
		// The custodial sample is a survivor: the other parent's name never appears.
		var custodial, noncustodial, both *person
		for _, pp := range g.people {
			if pp.p.Office == o.ID && pp.role == receives && hasCase(pp.getCase, o.ID, func(k *kase) bool { return k.payer != nil }) {
				custodial = pp
				break
			}
		}
		if custodial == nil {
			return nil, fmt.Errorf("office %s: too few participants for the demo's samples", o.ID)
		}
		k := custodial.getCase[0]
		for _, c := range custodial.getCase {
			if c.payer != nil {
				k = c
				break
			}
		}
		k.rec.FamilyViolence, k.joint = true, true
		g.forced = append(g.forced, k)
		// A survivor often has another case without the indicator, whose other parent is named
		// in the agency's records: the indicator on one case must hide that name too
		// (domain.Shield), so the sample always has one. Its other parent lives in another
		// jurisdiction (a name, no participant record).
		if !hasCase(custodial.getCase, o.ID, func(k *kase) bool { return !k.rec.FamilyViolence }) {
			g.newCase(o.ID, nil, custodial)
			custodial.getCase[len(custodial.getCase)-1].rec.FamilyViolence = false
		}
		// The other two have no family-violence case, so a newcomer sees the other party's name
		// and the Other Party tab; neither is the survivor's other parent.
		for _, pp := range g.people {
			if pp.p.Office != o.ID || pp == custodial || anyFamilyViolence(pp) {
				continue
			}
			switch {
			case pp.role == pays && hasCase(pp.payCase, o.ID, func(k *kase) bool { return k.payee != nil }):
				if noncustodial == nil || oldest(pp.payCase).start.Before(oldest(noncustodial.payCase).start) {
					noncustodial = pp
				}
			case both == nil && pp.role == pays|receives && len(pp.payCase) > 0 && len(pp.getCase) > 0:
				both = pp
			}
		}
		if noncustodial == nil || both == nil {
			return nil, fmt.Errorf("office %s: too few participants for the demo's samples", o.ID)
		}
		// The noncustodial sample has paid every two weeks for over ten years.
		nk := oldest(noncustodial.payCase)
		nk.biweekly = true
		if g.today.AddDays(-365 * 10).Before(nk.start) {
			nk.start = g.today.AddDays(-365*11 - 20)
		}
		for _, s := range []struct {
			pp   *person
			role string
			temp bool
		}{{custodial, "custodial", false}, {noncustodial, "noncustodial", false}, {both, "both", true}} {
			pin, err := g.givePIN(s.pp.p, s.temp)
			if err != nil {
				return nil, err
			}
			out = append(out, Sample{Participant: s.pp.p.ID, Office: o.ID, Role: s.role, PIN: pin,
				Temporary: s.temp, FamilyViolence: anyFamilyViolence(s.pp)})
			g.sampled[s.pp] = true
		}
	}
	return out, nil
}

// anyFamilyViolence reports whether any of a person's cases carries the indicator.
func anyFamilyViolence(pp *person) bool {
	for _, c := range append(append([]*kase{}, pp.payCase...), pp.getCase...) {
		if c.rec.FamilyViolence {
			return true
		}
	}
	return false
}

func hasCase(ks []*kase, office string, ok func(*kase) bool) bool {
	for _, k := range ks {
		if k.rec.Office == office && ok(k) {
			return true
		}
	}
	return false
}

func oldest(ks []*kase) *kase {
	var o *kase
	for _, k := range ks {
		if k.payee != nil && (o == nil || k.start.Before(o.start)) {
			o = k
		}
	}
	if o == nil {
		return ks[0]
	}
	return o
}

// givePIN chooses a demo PIN that passes the rules for a new PIN and stores its verifier. The
// verifier's salt comes from the seed, so the export stays the same from run to run.
func (g *gen) givePIN(p *domain.Participant, temporary bool) (string, error) {
	var pin string
	for {
		pin = g.digits(g.profile.PINLength)
		if domain.CheckNewPIN(pin, g.profile.PINLength, p.BirthDate) == nil {
			break
		}
	}
	v, err := g.verifier(pin)
	if err != nil {
		return "", err
	}
	p.PIN = domain.PIN{Verifier: v, Version: 1, IssuedBy: "import"}
	if temporary {
		p.PIN.Temporary = true
		p.PIN.Expires = g.now.Add(g.profile.TempPINValidity())
		p.PIN.IssuedAt = g.now
	}
	return pin, nil
}

// heldOffsets adds a recent federal refund offset on a joint return to each forced case: its
// disbursement is held, as the custodial sample sees.
func (g *gen) heldOffsets() {
	for i, k := range g.forced {
		g.payment(k, weekday(g.today.AddDays(-75-i)), domain.Cents(g.between(900, 3200)*100+g.r.IntN(100)),
			domain.FederalTaxOffset)
	}
}

// appointments gives about a third of the participants an office appointment in the coming
// weeks, every sample one, and some cases a court date for both parents.
func (g *gen) appointments() {
	topics := []string{"appointment.topic.review", "appointment.topic.intake", "appointment.topic.modification",
		"appointment.topic.documents"}
	office := map[string]*domain.Office{}
	for i := range g.e.Offices {
		office[g.e.Offices[i].ID] = &g.e.Offices[i]
	}
	for _, pp := range g.people {
		ks := append(append([]*kase{}, pp.getCase...), pp.payCase...)
		if len(ks) == 0 || !g.sampled[pp] && !g.chance(0.3) {
			continue
		}
		k := ks[0]
		o := office[k.rec.Office]
		g.nApp++
		g.e.Appointments = append(g.e.Appointments, domain.Appointment{ID: fmt.Sprintf("A%07d", g.nApp),
			Participant: pp.p.ID, Case: k.rec.Number, Kind: domain.OfficeAppointment,
			At: g.slot(g.between(1, 28), 9, 15), Place: o.Name + ", " + o.Address, Topic: topics[g.r.IntN(len(topics))]})
	}
	courts := map[string]County{}
	for _, c := range Counties {
		courts[c.ID] = c
	}
	for _, k := range g.cases {
		if !g.chance(0.1) {
			continue
		}
		at := g.slot(g.between(7, 45), 8, 10)
		place := fmt.Sprintf("%s, Dept. %d", courts[k.rec.Office].Court, g.between(2, 40))
		for _, party := range k.rec.Parties {
			if party.Participant == "" {
				continue
			}
			g.nApp++
			g.e.Appointments = append(g.e.Appointments, domain.Appointment{ID: fmt.Sprintf("A%07d", g.nApp),
				Participant: party.Participant, Case: k.rec.Number, Kind: domain.CourtDate, At: at, Place: place,
				Topic: "appointment.topic.hearing"})
		}
	}
}

// slot is a half-hour on a weekday, days from today, between the hours given, office time.
func (g *gen) slot(days, fromHour, toHour int) time.Time {
	d := g.today.AddDays(days)
	switch d.Time(time.UTC).Weekday() {
	case time.Saturday:
		d = d.AddDays(2)
	case time.Sunday:
		d = d.AddDays(1)
	}
	h := g.between(fromHour, toHour)
	m := 30 * g.r.IntN(2)
	return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, g.loc)
}

// officeMessages are the office's messages: each in English (the record's own text) and in
// Spanish and French beside it, as an agency that writes its notices in several languages
// exports them. The fourth has no French: a French screen shows it in English, and says so.
var officeMessages = []struct{ en, es, fr [2]string }{
	{
		[2]string{"Your payment was received", "We received a payment on your case. It will appear in your payment history within two business days."},
		[2]string{"Recibimos su pago", "Recibimos un pago en su caso. Aparecerá en su historial de pagos dentro de dos días hábiles."},
		[2]string{"Votre paiement a été reçu", "Nous avons reçu un paiement sur votre dossier. Il apparaîtra dans votre historique sous deux jours ouvrés."},
	},
	{
		[2]string{"Appointment reminder", "This is a reminder of your appointment at our office. Please bring a photo ID and any documents about your income."},
		[2]string{"Recordatorio de cita", "Le recordamos su cita en nuestra oficina. Traiga una identificación con foto y documentos sobre sus ingresos."},
		[2]string{"Rappel de rendez-vous", "Nous vous rappelons votre rendez-vous à notre bureau. Munissez-vous d'une pièce d'identité avec photo et de documents sur vos revenus."},
	},
	{
		[2]string{"Annual review of your order", "Your support order is due for its review. You can ask for a review at the front desk or by phone."},
		[2]string{"Revisión anual de su orden", "Su orden de manutención debe revisarse. Puede pedir la revisión en la recepción o por teléfono."},
		[2]string{"Révision annuelle de votre ordonnance", "Votre ordonnance de pension alimentaire doit être révisée. Vous pouvez demander la révision à l'accueil ou par téléphone."},
	},
	{
		[2]string{"Update your address", "Mail to you was returned. Please update your address so that you receive notices and payments."},
		[2]string{"Actualice su dirección", "Nos devolvieron correo que le enviamos. Actualice su dirección para recibir avisos y pagos."},
		[2]string{},
	},
}

// messageText is an office message in English with its Spanish and French, where given.
func messageText(i int) (subject, body string, tr []domain.MessageText) {
	t := officeMessages[i]
	for _, o := range []struct {
		lang string
		text [2]string
	}{{"es", t.es}, {"fr", t.fr}} {
		if o.text[0] != "" {
			tr = append(tr, domain.MessageText{Lang: o.lang, Subject: o.text[0], Body: o.text[1]})
		}
	}
	return t.en[0], t.en[1], tr
}

// documentTitles are the titles of the documents on file, in English with Spanish and French.
// The request form has no French title: a French screen shows it in English, and says so.
var documentTitles = map[string][3]string{
	"order":  {"Order for Child Support", "Orden de manutención de menores", "Ordonnance de pension alimentaire pour enfants"},
	"notice": {"Annual Notice of Collections and Distributions {year}", "Aviso anual de cobros y distribuciones {year}", "Avis annuel des recouvrements et des versements {year}"},
	"form":   {"Request for Review of Support Order", "Solicitud de revisión de la orden de manutención", ""},
}

// messages gives every sample and about a fifth of the others a message or two from the office,
// some answered.
func (g *gen) messages() {
	for _, pp := range g.people {
		ks := append(append([]*kase{}, pp.getCase...), pp.payCase...)
		if len(ks) == 0 || !g.sampled[pp] && !g.chance(0.2) {
			continue
		}
		for i := range g.between(1, 2) {
			subject, body, tr := messageText((i + g.r.IntN(len(officeMessages))) % len(officeMessages))
			g.nMsg++
			sent := g.now.Add(-time.Duration(g.between(2, 60)*24+g.between(0, 8)) * time.Hour)
			m := domain.Message{ID: fmt.Sprintf("M%07d", g.nMsg), Participant: pp.p.ID, Case: ks[0].rec.Number,
				FromOffice: true, Sent: sent, Subject: subject, Body: body, Translations: tr}
			g.e.Messages = append(g.e.Messages, m)
			if g.chance(0.3) {
				g.nMsg++
				g.e.Messages = append(g.e.Messages, domain.Message{ID: fmt.Sprintf("M%07d", g.nMsg),
					Participant: pp.p.ID, Case: m.Case, Sent: sent.Add(time.Duration(g.between(1, 30)) * time.Hour),
					Subject: "Re: " + subject, Body: "Thank you. / Gracias. / Merci.", InReplyTo: m.ID})
			}
		}
	}
}

// documents gives each case's participants its support order, a yearly statement notice and,
// for some, a form to fill in.
func (g *gen) documents() {
	for _, k := range g.cases {
		for _, party := range k.rec.Parties {
			if party.Participant == "" {
				continue
			}
			g.doc(party.Participant, k.rec.Number, "order", k.start)
			g.doc(party.Participant, k.rec.Number, "notice", domain.Date{Year: g.today.Year, Month: time.January, Day: 31})
			if g.chance(0.25) {
				g.doc(party.Participant, k.rec.Number, "form", g.today.AddDays(-g.between(1, 90)))
			}
		}
	}
}

func (g *gen) doc(participant, caseNumber, kind string, date domain.Date) {
	if g.today.Before(date) {
		date = g.today
	}
	g.nDoc++
	year := strings.NewReplacer("{year}", fmt.Sprint(g.today.Year-1))
	titles := documentTitles[kind]
	d := domain.Document{ID: fmt.Sprintf("DOC%07d", g.nDoc), Participant: participant,
		Case: caseNumber, Title: year.Replace(titles[0]), Kind: kind, Date: date}
	for i, lang := range []string{"es", "fr"} {
		if t := titles[i+1]; t != "" {
			d.Translations = append(d.Translations, domain.DocumentText{Lang: lang, Title: year.Replace(t)})
		}
	}
	g.e.Documents = append(g.e.Documents, d)
}

// OtherParents lists the names of every other parent on a participant's cases in an export
// (a participant's name, or a name-only party's), and whether a case without the
// family-violence indicator names one: what a privacy test searches a survivor's screens and
// papers for.
func OtherParents(e *domain.Export, participant string) (names []string, unflaggedNamed bool) {
	byID := map[string]string{}
	for _, p := range e.Participants {
		byID[p.ID] = p.Name
	}
	for _, c := range e.Cases {
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
