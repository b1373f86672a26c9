// Package i18n turns translation keys into text in the chosen language and formats money,
// numbers and dates the way that language writes them. The kiosk owns the language switch (the
// OS locale says nothing about the person at the screen), so this package knows nothing of
// Fyne; the UI and the printed documents both use it.
package i18n

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/translations"
)

// Catalog holds every language's messages.
type Catalog struct {
	langs map[string]map[string]string
	order []string
}

// Load reads every *.json file of fsys as one language named by the file ("es.json" → "es").
func Load(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("i18n: no translation files")
	}
	c := &Catalog{langs: map[string]map[string]string{}}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %v", n, err)
		}
		code := strings.TrimSuffix(path.Base(n), ".json")
		c.langs[code] = m
		c.order = append(c.order, code)
	}
	sort.Strings(c.order)
	return c, nil
}

// Shipped loads the translations built into the program.
func Shipped() (*Catalog, error) { return Load(translations.FS) }

// Languages lists the language codes, sorted.
func (c *Catalog) Languages() []string { return append([]string(nil), c.order...) }

// Keys lists every key of any language, sorted.
func (c *Catalog) Keys() []string {
	all := map[string]bool{}
	for _, m := range c.langs {
		for k := range m {
			all[k] = true
		}
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Missing returns, per language, the keys some other language has and it lacks, or whose text
// is empty.
func (c *Catalog) Missing() map[string][]string {
	out := map[string][]string{}
	for _, k := range c.Keys() {
		for _, l := range c.order {
			if strings.Trim(c.langs[l][k], " \t\r\n") == "" { // a no-break space is a real value (French grouping)
				out[l] = append(out[l], k)
			}
		}
	}
	return out
}

// Lang returns the messages of one language. An unknown code gives English if shipped.
func (c *Catalog) Lang(code string) Lang {
	m, ok := c.langs[code]
	if !ok {
		code = "en"
		m = c.langs[code]
	}
	return Lang{code: code, m: m}
}

// Lang is one language's messages and formats.
type Lang struct {
	code string
	m    map[string]string
}

// Code is the language code ("en", "es", "fr").
func (l Lang) Code() string { return l.code }

// Has reports whether key has a text in this language.
func (l Lang) Has(key string) bool { _, ok := l.m[key]; return ok }

// T returns the text of key with {name} placeholders replaced from pairs of name, value. A
// missing key comes back marked ⟦key⟧ so that it shows, and tests fail on it.
func (l Lang) T(key string, pairs ...string) string {
	s, ok := l.m[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	if len(pairs) == 0 || !strings.Contains(s, "{") {
		return s
	}
	r := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		r = append(r, "{"+pairs[i]+"}", pairs[i+1])
	}
	return strings.NewReplacer(r...).Replace(s)
}

// Problem translates an error: a domain.Problem by its key, with {name} placeholders from
// pairs as in T (the PIN length: "n"), anything else as the generic "something went wrong"
// message (its text may carry details not meant for the public).
func (l Lang) Problem(err error, pairs ...string) string {
	var p domain.Problem
	if errors.As(err, &p) && l.Has("problem."+string(p)) {
		return l.T("problem."+string(p), pairs...)
	}
	return l.T("problem.unexpected")
}

// Int writes a whole number with the language's digit grouping: 1,234 or 1 234.
func (l Lang) Int(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := group(fmt.Sprint(n), l.T("fmt.group"))
	if neg {
		return "-" + s
	}
	return s
}

// Money writes an amount the language's way: $1,234.56 (en, es) or 1 234,56 $ (fr).
func (l Lang) Money(c domain.Cents) string {
	units, cents, neg := c.Split()
	amount := group(fmt.Sprint(units), l.T("fmt.group")) + l.T("fmt.decimal") + fmt.Sprintf("%02d", cents)
	sign := ""
	if neg {
		sign = "-"
	}
	return l.T("fmt.money", "sign", sign, "amount", amount)
}

// Dates a person reads always name the month, in the session language: an all-numeric date
// reads differently across languages (03/04/2026 is March in English, April in Spanish). One
// function per form: LongDate ("November 13, 2026", "13 de noviembre de 2026", "13 novembre
// 2026"), ShortDate with the month abbreviated where columns are narrow ("Nov 13, 2026",
// "13 nov 2026", "13 nov. 2026"), and MonthYear. English keeps the month first, as the US
// agencies the kiosk ships for write it; the month's name makes it unambiguous either way.

// Date is ShortDate.
//
// Deprecated: call LongDate, ShortDate or MonthYear, which say which form they write.
func (l Lang) Date(d domain.Date) string { return l.ShortDate(d) }

// ShortDate writes a date with the month abbreviated: Apr 10, 2020 / 10 abr 2020 / 10 avr. 2020.
func (l Lang) ShortDate(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return l.T("fmt.date_short", "D", fmt.Sprint(d.Day), "mon", l.T(fmt.Sprintf("month.short.%d", int(d.Month))),
		"YYYY", fmt.Sprintf("%04d", d.Year))
}

// LongDate writes a date with the month's name: April 10, 2020 / 10 de abril de 2020.
func (l Lang) LongDate(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return l.T("fmt.date_long", "D", fmt.Sprint(d.Day), "month", l.MonthName(d.Month),
		"YYYY", fmt.Sprintf("%04d", d.Year))
}

// MonthName is the name of a month: April, abril, avril.
func (l Lang) MonthName(m time.Month) string { return l.T(fmt.Sprintf("month.%d", int(m))) }

// MonthYear writes a month of a year: April 2020 / abril de 2020.
func (l Lang) MonthYear(y int, m time.Month) string {
	return l.T("fmt.month_year", "month", l.MonthName(m), "YYYY", fmt.Sprintf("%04d", y))
}

// Time writes a clock time: 2:05 PM / 14 h 05.
func (l Lang) Time(t time.Time) string {
	h := t.Hour()
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	ampm := l.T("fmt.am")
	if h >= 12 {
		ampm = l.T("fmt.pm")
	}
	return l.T("fmt.time", "h", fmt.Sprint(h12), "HH", fmt.Sprintf("%02d", h),
		"mm", fmt.Sprintf("%02d", t.Minute()), "ampm", ampm)
}

// DateTime writes a date, with the month's name, and a time together: November 13, 2026 at
// 2:05 PM.
func (l Lang) DateTime(t time.Time) string {
	return l.T("fmt.date_time", "date", l.LongDate(domain.DateOf(t)), "time", l.Time(t))
}

func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
