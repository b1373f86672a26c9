package i18n

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
)

// numericDate is a date written with digits only, in any order: 13/11/2026, 11-13-2026,
// 2026.11.13.
var numericDate = regexp.MustCompile(`\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b`)

// Every form of a date names its month in the session's language, and none is all digits, for
// every day of a year (13 November and 3 April are the days the numeric forms confused).
func TestDatesNameTheMonth(t *testing.T) {
	c := shipped(t)
	want := map[string][3]string{ // long, short, month-year of 13 November 2026
		"en":      {"November 13, 2026", "Nov 13, 2026", "November 2026"},
		"es":      {"13 de noviembre de 2026", "13 nov 2026", "noviembre de 2026"},
		"fr":      {"13 novembre 2026", "13 nov. 2026", "novembre 2026"},
		"zh-Hans": {"2026年11月13日", "2026年11月13日", "2026年11月"},
		"zh-Hant": {"2026年11月13日", "2026年11月13日", "2026年11月"},
		"ko":      {"2026년 11월 13일", "2026년11월13일", "2026년 11월"},
		"vi":      {"ngày 13 tháng 11 năm 2026", "13 thg 11, 2026", "tháng 11 năm 2026"},
		"tl":      {"Nobyembre 13, 2026", "Nob 13, 2026", "Nobyembre 2026"},
	}
	d := domain.Date{Year: 2026, Month: time.November, Day: 13}
	for code, w := range want {
		l := c.Lang(code)
		if got := [3]string{l.LongDate(d), l.ShortDate(d), l.MonthYear(d.Year, d.Month)}; got != w {
			t.Errorf("%s: got %q, want %q", code, got, w)
		}
		at := time.Date(2026, time.April, 3, 14, 5, 0, 0, time.UTC)
		if got, wantDT := l.DateTime(at), l.LongDate(domain.DateOf(at)); !strings.Contains(got, wantDT) {
			t.Errorf("%s: DateTime %q does not hold the long date %q", code, got, wantDT)
		}
	}
	for _, code := range c.Languages() {
		l := c.Lang(code)
		for day := (domain.Date{Year: 2026, Month: 1, Day: 1}); day.Year == 2026; day = day.AddDays(1) {
			for _, s := range []string{l.LongDate(day), l.ShortDate(day), l.Date(day), l.MonthYear(day.Year, day.Month),
				l.DateTime(day.Time(time.UTC))} {
				if numericDate.MatchString(s) || strings.Contains(s, "⟦") {
					t.Fatalf("%s: %s written %q", code, day, s)
				}
				if !strings.Contains(s, l.T(fmt.Sprintf("month.short.%d", int(day.Month)))) &&
					!strings.Contains(s, l.MonthName(day.Month)) {
					t.Fatalf("%s: %s written %q without its month", code, day, s)
				}
			}
		}
	}
}
