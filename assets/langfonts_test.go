package assets

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/image/font/sfnt"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
)

var placeholder = regexp.MustCompile(`\{([^{}]*)\}`)

// Every text of every language, with its placeholders given values written the language's way
// (an amount, a date and time, a number), has a glyph for each of its characters in the font
// that language is set in on screen and on paper: nothing prints or shows as an empty box.
func TestEveryTextHasItsGlyphs(t *testing.T) {
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 13, 14, 5, 0, 0, time.UTC)
	checked := 0
	for _, code := range cat.Languages() {
		l := cat.Lang(code)
		sample := strings.Join([]string{l.Money(-123456), l.LongDate(domain.DateOf(at)), l.ShortDate(domain.DateOf(at)),
			l.DateTime(at), l.Int(1234567), "0123456789"}, " ")
		for _, bold := range []bool{false, true} {
			lf, err := FontFor(code, bold)
			if err != nil {
				t.Fatalf("%s: %v", code, err)
			}
			f, err := sfnt.Parse(lf.Bytes)
			if err != nil {
				t.Fatalf("%s: %s: %v", code, lf.Name, err)
			}
			var buf sfnt.Buffer
			missing := map[rune][]string{}
			for _, key := range cat.Keys() {
				var pairs []string
				for _, m := range placeholder.FindAllStringSubmatch(l.T(key), -1) {
					pairs = append(pairs, m[1], sample)
				}
				for _, r := range l.T(key, pairs...) {
					if !unicode.IsGraphic(r) && r != '\u00a0' {
						continue // line breaks
					}
					checked++
					if gi, err := f.GlyphIndex(&buf, r); err != nil || gi == 0 {
						missing[r] = append(missing[r], key)
					}
				}
			}
			var rs []string
			for r, keys := range missing {
				rs = append(rs, fmt.Sprintf("%q (U+%04X) in %s", r, r, keys[0]))
			}
			sort.Strings(rs)
			if len(rs) > 0 {
				t.Errorf("%s: %s (bold %v) has no glyph for %d character(s): %s", code, lf.Name, bold, len(rs),
					strings.Join(rs, "; "))
			}
		}
	}
	if checked < 100000 {
		t.Fatalf("checked only %d characters", checked)
	}
}

// A language set in a font of its own gets it; the others Noto Sans. Bold falls back to the
// regular weight, said so, where the font has no bold.
func TestFontForLanguage(t *testing.T) {
	for lang, want := range map[string][2]string{
		"en": {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf"}, "vi": {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf"},
		"tl": {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf"}, "zh-Hans": {"gbsn00lp.ttf", "gbsn00lp.ttf"},
		"zh-Hant": {"bsmi00lp.ttf", "bsmi00lp.ttf"}, "ko": {"NanumGothic.ttf", "NanumGothicBold.ttf"},
	} {
		r, err1 := FontFor(lang, false)
		b, err2 := FontFor(lang, true)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if r.Name != want[0] || b.Name != want[1] {
			t.Errorf("%s: fonts %s, %s; want %v", lang, r.Name, b.Name, want)
		}
		if b.NoBold != strings.HasPrefix(lang, "zh") || r.Shipped != !OwnFont(lang) {
			t.Errorf("%s: NoBold %v, Shipped %v", lang, b.NoBold, r.Shipped)
		}
	}
	if got := strings.Join(FontPackages(), " "); got != "fonts-arphic-bsmi00lp fonts-arphic-gbsn00lp fonts-nanum" {
		t.Errorf("packages %s", got)
	}
}

// A missing font says which package to install.
func TestMissingLanguageFontNamesItsPackage(t *testing.T) {
	saved := langFonts["ko"]
	defer func() { langFonts["ko"] = saved }()
	langFonts["ko"] = struct{ regular, bold systemFont }{regular: systemFont{"fonts-nanum", t.TempDir() + "/NanumGothic.ttf"}}
	_, err := FontFor("ko", false)
	if err == nil || !strings.Contains(err.Error(), "install the Debian package fonts-nanum") {
		t.Fatalf("error %v", err)
	}
}

// The scripts that build, run and test the kiosk install every font package it reads.
func TestScriptsInstallTheFontPackages(t *testing.T) {
	b, err := os.ReadFile("../scripts/packages")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^font_pkgs=\(([^)]*)\)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("scripts/packages has no font_pkgs")
	}
	listed := strings.Fields(string(m[1]))
	sort.Strings(listed)
	if got, want := strings.Join(listed, " "), strings.Join(FontPackages(), " "); got != want {
		t.Errorf("scripts/packages installs %s, the kiosk reads %s", got, want)
	}
	for _, s := range []string{"demo", "test", "package"} {
		b, err := os.ReadFile("../scripts/" + s)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `"${font_pkgs[@]}"`) {
			t.Errorf("scripts/%s does not install the font packages", s)
		}
	}
}
