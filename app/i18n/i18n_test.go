package i18n

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"childsupportkiosk/app/domain"
)

func shipped(t *testing.T) *Catalog {
	t.Helper()
	c, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every key must exist, non-empty, in every language the project ships.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	c := shipped(t)
	const want = "en,es,fr,ko,tl,vi,zh-Hans,zh-Hant"
	if got := strings.Join(c.Languages(), ","); got != want {
		t.Fatalf("languages %s, want %s", got, want)
	}
	for lang, keys := range c.Missing() {
		t.Errorf("%s lacks %d key(s): %v", lang, len(keys), keys)
	}
}

// The parity check itself must catch a missing key.
func TestMissingIsDetected(t *testing.T) {
	c, err := Load(fstest.MapFS{
		"en.json": {Data: []byte(`{"a":"A","b":"B"}`)},
		"fr.json": {Data: []byte(`{"a":"A","b":" "}`)},
		"es.json": {Data: []byte(`{"a":"A"}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := c.Missing()
	if fmt.Sprint(m["es"]) != "[b]" || fmt.Sprint(m["fr"]) != "[b]" || len(m["en"]) != 0 {
		t.Fatalf("missing = %v", m)
	}
	if got := c.Lang("es").T("b"); got != "⟦b⟧" {
		t.Fatalf("missing key shows as %q", got)
	}
}

// Every enumerated value of the domain has a translation.
func TestDomainValuesTranslated(t *testing.T) {
	c := shipped(t)
	var keys []string
	for _, s := range domain.Sources {
		keys = append(keys, "source."+string(s))
	}
	for _, r := range domain.Reasons {
		keys = append(keys, "reason."+string(r))
	}
	for _, s := range []domain.Status{domain.Disbursed, domain.Held, domain.Pended, domain.Reissued, domain.Refunded} {
		keys = append(keys, "status."+string(s))
	}
	for _, m := range []domain.Method{domain.DirectDeposit, domain.DebitCard, domain.Check} {
		keys = append(keys, "method."+string(m))
	}
	for _, p := range []domain.Problem{domain.ErrSignInFailed, domain.ErrLocked, domain.ErrNoPIN,
		domain.ErrTempPINExpired, domain.ErrPINLength, domain.ErrPINDigits, domain.ErrPINWeak,
		domain.ErrPINMismatch, domain.ErrPINSame, domain.ErrNotFound, domain.ErrBadProfile, domain.ErrOffline,
		domain.ErrRevoked, domain.ErrNotEnrolled, domain.ErrEnrolmentCode, domain.ErrCacheLocked,
		domain.ErrWrongKey, domain.ErrCorruptRecord} {
		keys = append(keys, "problem."+string(p))
	}
	for _, l := range c.Languages() {
		for _, k := range keys {
			if !c.Lang(l).Has(k) {
				t.Errorf("%s: no text for %s", l, k)
			}
		}
	}
}

func TestFormats(t *testing.T) {
	c := shipped(t)
	en, es, fr := c.Lang("en"), c.Lang("es"), c.Lang("fr")
	d := domain.Date{Year: 2020, Month: time.April, Day: 10}
	cases := []struct{ got, want string }{
		{en.Money(123456789), "$1,234,567.89"},
		{en.Money(-13015), "-$130.15"},
		{en.Money(5), "$0.05"},
		{es.Money(13015), "$130.15"},
		{fr.Money(123456), "1\u00a0234,56\u00a0$"},
		{en.ShortDate(d), "Apr 10, 2020"},
		{es.ShortDate(d), "10 abr 2020"},
		{fr.ShortDate(d), "10 avr. 2020"},
		{en.Date(d), en.ShortDate(d)},
		{en.LongDate(d), "April 10, 2020"},
		{es.LongDate(d), "10 de abril de 2020"},
		{fr.LongDate(d), "10 avril 2020"},
		{es.MonthYear(2026, time.August), "agosto de 2026"},
		{en.Int(1234567), "1,234,567"},
		{en.Time(time.Date(2026, 1, 2, 14, 5, 0, 0, time.UTC)), "2:05 PM"},
		{fr.Time(time.Date(2026, 1, 2, 14, 5, 0, 0, time.UTC)), "14 h 05"},
		{en.Time(time.Date(2026, 1, 2, 0, 30, 0, 0, time.UTC)), "12:30 AM"},
		{en.T("notice.differs", "phone", "(866) 901-3212"), "We have made every effort to make sure this information is correct. If it differs from your records, please call (866) 901-3212."},
	}
	for i, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%d: got %q, want %q", i, tc.got, tc.want)
		}
	}
	if got := c.Lang("de").Code(); got != "en" {
		t.Errorf("unknown language falls back to %q", got)
	}
}

func TestProblemTranslated(t *testing.T) {
	es := shipped(t).Lang("es")
	wrapped := fmt.Errorf("sign in: %w", domain.ErrLocked)
	if got := es.Problem(wrapped); !strings.Contains(got, "recepción") {
		t.Fatalf("locked in Spanish: %q", got)
	}
	if got := es.Problem(errors.New("disk I/O error at /x")); strings.Contains(got, "/x") {
		t.Fatalf("raw error leaked to the screen: %q", got)
	}
}

// The five languages California translates its vital documents into write amounts with the
// dollar sign and US grouping, and times the way their readers expect.
func TestFormatsOfTheThresholdLanguages(t *testing.T) {
	c := shipped(t)
	at := time.Date(2026, 11, 13, 14, 5, 0, 0, time.UTC)
	cases := []struct{ code, money, time, dateTime string }{
		{"zh-Hans", "$1,234.56", "下午2:05", "2026年11月13日 下午2:05"},
		{"zh-Hant", "$1,234.56", "下午2:05", "2026年11月13日 下午2:05"},
		{"ko", "$1,234.56", "오후 2:05", "2026년 11월 13일 오후 2:05"},
		{"vi", "$1,234.56", "14:05", "ngày 13 tháng 11 năm 2026 lúc 14:05"},
		{"tl", "$1,234.56", "2:05 PM", "Nobyembre 13, 2026, 2:05 PM"},
	}
	for _, tc := range cases {
		l := c.Lang(tc.code)
		if l.Code() != tc.code {
			t.Fatalf("%s is not shipped", tc.code)
		}
		if got := l.Money(123456); got != tc.money {
			t.Errorf("%s: money %q, want %q", tc.code, got, tc.money)
		}
		if got := l.Money(-500); got != "-$5.00" {
			t.Errorf("%s: negative money %q", tc.code, got)
		}
		if got := l.Time(at); got != tc.time {
			t.Errorf("%s: time %q, want %q", tc.code, got, tc.time)
		}
		if got := l.DateTime(at); got != tc.dateTime {
			t.Errorf("%s: date and time %q, want %q", tc.code, got, tc.dateTime)
		}
	}
}

// Each language names itself in its own script, for the language chooser.
func TestLanguagesNameThemselves(t *testing.T) {
	c := shipped(t)
	want := map[string]string{"en": "English", "es": "Español", "fr": "Français", "zh-Hans": "中文（简体）",
		"zh-Hant": "中文（繁體）", "vi": "Tiếng Việt", "ko": "한국어", "tl": "Tagalog"}
	for _, code := range c.Languages() {
		if got := c.Lang(code).T("language.name"); got != want[code] {
			t.Errorf("%s names itself %q, want %q", code, got, want[code])
		}
	}
}
