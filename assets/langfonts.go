package assets

import (
	"fmt"
	"os"
	"sort"
	"sync"
)

// Fonts by language. The shipped Noto Sans covers the Latin letters of English, Spanish,
// French, Tagalog and Vietnamese (with its stacked accents: ệ, ở, ữ). Chinese and Korean need
// fonts of several megabytes each (27 MB for the three), too big to carry in the repository and
// the binary, so they are read at run time from the Debian packages that install them
// (scripts/packages lists them): AR PL SungtiL GB for simplified Chinese, AR PL Mingti2L Big5
// for traditional Chinese and Nanum Gothic for Korean. All three are plain TrueType (glyf
// outlines, one font per file), which gofpdf can embed, and which Fyne draws.

// A systemFont is a font file installed by a Debian package.
type systemFont struct {
	pkg, path string
}

// langFonts are the languages whose text is not set in Noto Sans: their regular and bold
// fonts. A zero bold means the font has no bold weight.
var langFonts = map[string]struct{ regular, bold systemFont }{
	"zh-Hans": {regular: systemFont{"fonts-arphic-gbsn00lp", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"}},
	"zh-Hant": {regular: systemFont{"fonts-arphic-bsmi00lp", "/usr/share/fonts/truetype/arphic-bsmi00lp/bsmi00lp.ttf"}},
	"ko": {regular: systemFont{"fonts-nanum", "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"},
		bold: systemFont{"fonts-nanum", "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf"}},
}

// Shipped Noto Sans, for every other language.
const (
	notoRegular = "NotoSans-Regular.ttf"
	notoBold    = "NotoSans-Bold.ttf"
)

// A LangFont is the font a language's text is set in, in one weight.
type LangFont struct {
	Name    string // file name: "NotoSans-Bold.ttf", "NanumGothic.ttf"
	Bytes   []byte
	Shipped bool // Noto Sans, built into the program
	// NoBold is set when bold was asked for and the font has no bold weight: the regular
	// weight is given, and the caller draws bold its own way (or not at all).
	NoBold bool
}

var systemBytes sync.Map // path → *loaded

type loaded struct {
	once sync.Once
	b    []byte
	err  error
}

// FontFor returns the font that text in language lang is set in, on screen and on paper: the
// shipped Noto Sans unless the language needs a script it lacks. It fails, naming the Debian
// package to install, when that font is not installed.
func FontFor(lang string, bold bool) (LangFont, error) {
	lf, ok := langFonts[lang]
	if !ok {
		name := notoRegular
		if bold {
			name = notoBold
		}
		b, err := Font(name)
		if err != nil {
			return LangFont{}, fmt.Errorf("assets: font %s is missing: %w", name, err)
		}
		return LangFont{Name: name, Bytes: b, Shipped: true}, nil
	}
	f, noBold := lf.regular, false
	if bold {
		if lf.bold.path != "" {
			f = lf.bold
		} else {
			noBold = true
		}
	}
	v, _ := systemBytes.LoadOrStore(f.path, &loaded{})
	l := v.(*loaded)
	l.once.Do(func() {
		l.b, l.err = os.ReadFile(f.path)
		if l.err == nil && (len(l.b) < 4 || string(l.b[:4]) != "\x00\x01\x00\x00") {
			l.err = fmt.Errorf("not a plain TrueType font")
		}
	})
	if l.err != nil {
		return LangFont{}, fmt.Errorf("assets: the font for %s (%s) cannot be read: %v; install the Debian package %s",
			lang, f.path, l.err, f.pkg)
	}
	return LangFont{Name: baseName(f.path), Bytes: l.b, NoBold: noBold}, nil
}

// OwnFont reports whether language lang is set in a font of its own rather than Noto Sans.
func OwnFont(lang string) bool { _, ok := langFonts[lang]; return ok }

// FontPackages lists the Debian packages the language fonts come from, sorted.
func FontPackages() []string {
	seen := map[string]bool{}
	var out []string
	for _, lf := range langFonts {
		for _, f := range []systemFont{lf.regular, lf.bold} {
			if f.pkg != "" && !seen[f.pkg] {
				seen[f.pkg] = true
				out = append(out, f.pkg)
			}
		}
	}
	sort.Strings(out)
	return out
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}
