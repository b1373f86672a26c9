package server

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// withTranslations is the small export with its message and document given in Spanish and
// French beside the English.
func withTranslations(t testing.TB) *domain.Export {
	e := smallExport(t)
	e.Messages[0].Translations = []domain.MessageText{
		{Lang: "es", Subject: "Pago recibido", Body: "Recibimos su pago."},
		{Lang: "fr-CA", Subject: "Paiement reçu", Body: "Nous avons reçu votre paiement.\nMerci."},
	}
	e.Documents[0].Translations = []domain.DocumentText{
		{Lang: "es", Title: "Orden de manutención de menores"}, {Lang: "fr", Title: "Ordonnance de pension alimentaire"},
		{Lang: "zh-Hant", Title: "子女撫養令"},
	}
	return e
}

// Translated titles and texts are taken, travel to the kiosks in the record's view, and an
// export without them is the same as before (its records unchanged, their place on the feed
// kept).
func TestTranslationsImportedAndFed(t *testing.T) {
	db := openTest(t)
	plain := smallExport(t)
	mustImport(t, db, plain)
	seq := lastSeq(t, db)
	if r := mustImport(t, db, smallExport(t)); r.FeedChanges != 0 || lastSeq(t, db) != seq {
		t.Fatalf("an export without translations, again:\n%s", r)
	}

	e := withTranslations(t)
	if inv := Validate(e); inv != nil {
		t.Fatal(inv)
	}
	r := mustImport(t, db, e)
	if r.Kind("message").Changed != 1 || r.Kind("document").Changed != 1 {
		t.Fatalf("report:\n%s", r)
	}
	got := latest(feed(t, db, "CA-LA", seq))
	var m domain.Message
	if err := json.Unmarshal(got["message M-1"].Data, &m); err != nil {
		t.Fatal(err)
	}
	if s, b, ok := m.TextIn("es"); !ok || s != "Pago recibido" || b != "Recibimos su pago." {
		t.Errorf("the fed message in Spanish: %q %q %v", s, b, ok)
	}
	if s, _, ok := m.TextIn("fr"); !ok || s != "Paiement reçu" {
		t.Errorf("the fed message in French (fr-CA given): %q %v", s, ok)
	}
	var d domain.Document
	if err := json.Unmarshal(got["document DOC-1"].Data, &d); err != nil {
		t.Fatal(err)
	}
	if title, ok := d.TitleIn("es"); !ok || title != "Orden de manutención de menores" {
		t.Errorf("the fed document in Spanish: %q %v", title, ok)
	}
	if title, ok := d.TitleIn("vi"); ok || title != "Order for Child Support" {
		t.Errorf("the fed document in Vietnamese, not given: %q %v, want the English", title, ok)
	}
}

// Bad translations are named by record and field, never quoting the text or the tag.
func TestTranslationsValidated(t *testing.T) {
	e := withTranslations(t)
	m, d := &e.Messages[0], &e.Documents[0]
	m.Translations = append(m.Translations,
		domain.MessageText{Lang: "es", Subject: "Otra vez", Body: "Dos veces"},               // given twice
		domain.MessageText{Lang: "Ana Núñez", Subject: "Hola", Body: "Hola"},                 // a name where a tag belongs
		domain.MessageText{Lang: "en-US", Subject: "Hello", Body: "Hello"},                   // English
		domain.MessageText{Lang: "vi", Subject: "", Body: "Chào"},                            // no subject
		domain.MessageText{Lang: "ko", Subject: "안녕\u0007", Body: "안녕"},                      // a control character
		domain.MessageText{Lang: "tl", Subject: "Kumusta", Body: strings.Repeat("x", 10001)}) // too long
	d.Translations = append(d.Translations,
		domain.DocumentText{Lang: "123456789", Title: "Orden"},                  // an SSN where a tag belongs
		domain.DocumentText{Lang: "es-MX", Title: strings.Repeat("Orden ", 40)}, // longer than 200
		domain.DocumentText{Lang: "fr-FR", Title: "Ordonnance\nde pension"})     // a new line in a title
	inv := Validate(e)
	if inv == nil {
		t.Fatal("bad translations taken")
	}
	want := []string{
		"messages[0] (id M-1): translations[2].lang: given twice",
		"messages[0] (id M-1): translations[3].lang: must be a language tag",
		"messages[0] (id M-1): translations[4].lang: must not be English",
		"messages[0] (id M-1): translations[5].subject: is empty",
		"messages[0] (id M-1): translations[6].subject: contains a control character",
		"messages[0] (id M-1): translations[7].body: longer than 10000 characters",
		"documents[0] (id DOC-1): translations[3].lang: must be a language tag",
		"documents[0] (id DOC-1): translations[4].title: longer than 200 characters",
		"documents[0] (id DOC-1): translations[5].title: contains a control character",
	}
	if len(inv.Problems) != len(want) {
		t.Fatalf("%d problems, want %d:\n%s", len(inv.Problems), len(want), inv)
	}
	for i, w := range want {
		if !strings.HasPrefix(inv.Problems[i], w) {
			t.Errorf("problem %d: %q, want %q", i, inv.Problems[i], w)
		}
		if !problemShape.MatchString(inv.Problems[i]) {
			t.Errorf("problem %q does not name its record and field", inv.Problems[i])
		}
	}
	if x := containsAny(inv.Error(), "Núñez", "123456789", "Otra vez", "안녕", "Orden", "Ordonnance", "Kumusta", "Chào"); x != "" {
		t.Errorf("the problems quote %q:\n%s", x, inv)
	}

	// More languages than a record may have.
	e = withTranslations(t)
	for i := range maxTranslations {
		e.Documents[0].Translations = append(e.Documents[0].Translations,
			domain.DocumentText{Lang: "x-" + string(rune('a'+i)), Title: "T"})
	}
	if inv := Validate(e); inv == nil || inv.Problems[0] != "documents[0] (id DOC-1): translations: more than 20 languages" {
		t.Errorf("too many languages: %v", inv)
	}
}

// A translation that does not decode is named by its place in the record, and an unknown field
// in one is refused like any other.
func TestTranslationsDecodeErrors(t *testing.T) {
	var b strings.Builder
	if err := EncodeExport(&b, withTranslations(t)); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	for _, c := range []struct{ old, new, want string }{
		{`{"lang":"es","title":"Orden de manutención de menores"}`, `{"lang":"es","title":123456789}`,
			"documents[0] (id DOC-1): translations[0].title: must be a JSON string, not a number"},
		{`{"lang":"es","title":"Orden de manutención de menores"}`, `{"lang":"es","title":"Orden","secret":"Ana Núñez"}`,
			"documents[0] (id DOC-1): translations[0].secret: not a field of a document's translations[0]"},
		{messageTranslations(t, good), `"translations":{"es":"Pago recibido"}`,
			"messages[0] (id M-1): translations: must be a JSON list, not an object"},
	} {
		t.Run(c.want, func(t *testing.T) {
			if strings.Count(good, c.old) != 1 {
				t.Fatalf("%q is in the export %d times", c.old, strings.Count(good, c.old))
			}
			doc := strings.Replace(good, c.old, c.new, 1)
			_, err := ParseExport(strings.NewReader(doc))
			var inv *Invalid
			if !errors.As(err, &inv) || len(inv.Problems) != 1 || !strings.HasPrefix(inv.Problems[0], c.want) {
				t.Fatalf("err %v\nwant one problem %q", err, c.want)
			}
			if x := containsAny(err.Error(), "123456789", "Núñez", "Orden"); x != "" {
				t.Fatalf("%q quotes %q", err, x)
			}
		})
	}
	if _, err := openTest(t).ImportJSON(context.Background(), strings.NewReader(good)); err != nil {
		t.Fatalf("the good export: %v", err)
	}
}

// messageTranslations is the message's "translations" member in the encoded export.
func messageTranslations(t *testing.T, doc string) string {
	i := strings.Index(doc, `"translations":[{"lang":"es","subject"`)
	j := strings.Index(doc[i:], "}]")
	if i < 0 || j < 0 {
		t.Fatal("the message's translations are not in the export")
	}
	return doc[i : i+j+2]
}

// Translations come from the agency only: a kiosk's message carries none.
func TestPushedMessageCarriesNoTranslations(t *testing.T) {
	ts := newTestServer(t)
	res := ts.push(t, item("t-1", domain.SendMessage, domain.Message{ID: "K-T-1", Participant: bruno, Sent: generated,
		Subject: "s", Body: "b", Translations: []domain.MessageText{{Lang: "es", Subject: "s", Body: "b\u0007"}}}))
	if res[0].Status != protocol.Rejected || !strings.Contains(res[0].Reason, "translations") {
		t.Fatalf("%+v, want rejected for its translations", res[0])
	}
}
