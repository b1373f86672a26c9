package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"childsupportkiosk/app/i18n"
)

// sources are the UI's Go files, tests left out.
func sources(t *testing.T) map[string]string {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out[n] = string(b)
	}
	return out
}

// Every ui. key the code names exists, with text, in every language.
func TestEveryUIKeyIsTranslated(t *testing.T) {
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"(ui\.[a-z0-9_.]+)"`)
	n := 0
	for file, src := range sources(t) {
		for _, m := range key.FindAllStringSubmatch(src, -1) {
			n++
			if strings.HasSuffix(m[1], ".") {
				t.Errorf("%s: key %q is built at run time; name whole keys", file, m[1])
				continue
			}
			for _, code := range cat.Languages() {
				if !cat.Lang(code).Has(m[1]) {
					t.Errorf("%s: %q missing in %s", file, m[1], code)
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("found only %d keys: is the scan broken?", n)
	}
}

// No text a person reads is written in Go: widgets get their words from translations/.
func TestNoUserFacingLiteralsInGo(t *testing.T) {
	// A widget or text constructor, or a SetText, whose first argument is a non-empty string
	// literal with a letter in it.
	literal := regexp.MustCompile(`(?:widget\.New(?:Label|Button|ButtonWithIcon|Check|Hyperlink|RichTextWithText|RichTextFromMarkdown|Card|Entry|Select|RadioGroup|Accordion|AccordionItem|TextGrid(?:FromString)?)|canvas\.NewText|\.SetText|\.SetPlaceHolder|dialog\.New\w*|dialog\.Show\w*|fyne\.NewMenuItem|text|heading|subheading|problemText|noteText|boldLabel|pair|\bk\.button)\(\s*"([^"]*)"`)
	for file, src := range sources(t) {
		for _, m := range literal.FindAllStringSubmatch(src, -1) {
			if strings.IndexFunc(m[1], isLetter) >= 0 {
				t.Errorf("%s: literal text %q; use a translation key", file, m[1])
			}
		}
	}
	// The scan itself catches a literal.
	if !literal.MatchString(`widget.NewLabel("Hello")`) || !literal.MatchString(`k.button("Pay", f)`) {
		t.Fatal("the scan misses literals")
	}
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f
}

// Every ui. key of the translations is named somewhere in the module's Go code: a key nothing
// shows is text translators keep up for nobody, or a screen that lost a message.
func TestEveryUIKeyIsUsed(t *testing.T) {
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	var code strings.Builder
	err = filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != "../.." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			code.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	src := code.String()
	n := 0
	for _, key := range cat.Keys() {
		if !strings.HasPrefix(key, "ui.") {
			continue
		}
		n++
		if !strings.Contains(src, `"`+key+`"`) {
			t.Errorf("%q is in translations/ but no code names it", key)
		}
	}
	if n < 100 {
		t.Fatalf("only %d ui. keys: is the catalog read?", n)
	}
}
