package domain

import "strings"

// The agency writes a document's title and a message's subject and body in English, and may
// give the same text in other languages beside it (docs/export-format.md, "translations"). The
// choice of which text a person reads lives here, so that the screens and the paper make the
// same one.

// DocumentText is a document's title in one language other than English.
type DocumentText struct {
	Lang  string `json:"lang"` // a BCP 47 language tag: "es", "fr", "es-MX", "zh-Hant"
	Title string `json:"title"`
}

// MessageText is a message's subject and body in one language other than English.
type MessageText struct {
	Lang    string `json:"lang"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// TitleIn returns the document's title in language lang, or its English title when the agency
// gave none in lang; translated is false then, unless lang is English itself.
func (d Document) TitleIn(lang string) (title string, translated bool) {
	if isEnglish(lang) {
		return d.Title, true
	}
	if i := bestLang(lang, len(d.Translations), func(i int) string { return d.Translations[i].Lang }); i >= 0 &&
		d.Translations[i].Title != "" {
		return d.Translations[i].Title, true
	}
	return d.Title, false
}

// TextIn returns the message's subject and body in language lang, or its own (English) text
// when the agency gave none in lang; translated is false then, unless lang is English itself.
// A message a parent wrote at a kiosk has no translations and is shown as written.
func (m Message) TextIn(lang string) (subject, body string, translated bool) {
	if isEnglish(lang) {
		return m.Subject, m.Body, true
	}
	if i := bestLang(lang, len(m.Translations), func(i int) string { return m.Translations[i].Lang }); i >= 0 &&
		m.Translations[i].Body != "" {
		t := m.Translations[i]
		return t.Subject, t.Body, true
	}
	return m.Subject, m.Body, false
}

// bestLang picks, among n texts tagged by tag(i), the one for lang: the same tag (letter case
// aside), else the first whose primary language is lang's ("es-MX" for "es", "es" for
// "es-MX"). It returns -1 when none fits.
func bestLang(lang string, n int, tag func(int) string) int {
	if lang == "" {
		return -1
	}
	for i := range n {
		if strings.EqualFold(tag(i), lang) {
			return i
		}
	}
	primary := PrimaryLanguage(lang)
	for i := range n {
		if strings.EqualFold(PrimaryLanguage(tag(i)), primary) {
			return i
		}
	}
	return -1
}

// PrimaryLanguage is the first subtag of a language tag: "es" of "es-MX".
func PrimaryLanguage(tag string) string {
	p, _, _ := strings.Cut(tag, "-")
	return strings.ToLower(p)
}

func isEnglish(lang string) bool { return PrimaryLanguage(lang) == "en" }

// ValidLanguageTag reports whether s has the shape of a BCP 47 language tag (RFC 5646): a
// primary language of 2 to 8 letters, then subtags of 1 to 8 letters or digits joined by "-",
// 35 characters at most. It checks the shape only, not IANA's registry.
func ValidLanguageTag(s string) bool {
	if s == "" || len(s) > 35 {
		return false
	}
	for i, sub := range strings.Split(s, "-") {
		if len(sub) < 1 || len(sub) > 8 || i == 0 && len(sub) < 2 {
			return false
		}
		for j := 0; j < len(sub); j++ {
			c := sub[j]
			letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
			if !letter && (i == 0 || c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}
