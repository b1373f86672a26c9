package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"childsupportkiosk/app/i18n"
)

// placeholderNames are the {name} placeholders of a text, sorted.
func placeholderNames(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`\{([^{}]*)\}`).FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

// translateCall is one place in the module's code that translates a key named by a literal.
type translateCall struct {
	where string
	key   string
	names []string // the placeholder names passed
	known bool     // every name is a literal and nothing is spread (...): names is the whole set
}

// translateCalls finds every call of a translating method (T, t, btn) whose key is a string
// literal, in the module's Go code, tests left out.
func translateCalls(t *testing.T) []translateCall {
	t.Helper()
	var out []translateCall
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != "../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return nil // a file someone is editing right now; the build will say
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			if !isTranslating(call) {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			c := translateCall{where: fset.Position(call.Pos()).String(), key: key,
				known: !call.Ellipsis.IsValid()}
			for i := 1; i < len(call.Args); i += 2 {
				l, ok := call.Args[i].(*ast.BasicLit)
				if !ok || l.Kind != token.STRING {
					c.known = false
					continue
				}
				s, _ := strconv.Unquote(l.Value)
				c.names = append(c.names, s)
			}
			out = append(out, c)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every translation names the same placeholders in every language, and every place that
// translates a key passes a value for each of them: a placeholder left over showed as "{n}"
// on the new-PIN screen.
func TestEveryCallPassesItsPlaceholders(t *testing.T) {
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	en := cat.Lang("en")
	calls := translateCalls(t)
	n := 0
	for _, c := range calls {
		if !en.Has(c.key) {
			continue // not a key of the catalogue (another T)
		}
		n++
		var want []string
		for _, code := range cat.Languages() {
			want = append(want, placeholderNames(cat.Lang(code).T(c.key))...)
		}
		for _, p := range want {
			if !slices.Contains(c.names, p) && c.known {
				t.Errorf("%s: %q is translated without {%s}", c.where, c.key, p)
			}
		}
		for _, p := range c.names {
			// A format (fmt.*) is offered every field; each language picks the ones it writes.
			if !slices.Contains(want, p) && !strings.HasPrefix(c.key, "fmt.") {
				t.Errorf("%s: %q is given %q, which no language's text has", c.where, c.key, p)
			}
		}
	}
	if n < 300 {
		t.Fatalf("found only %d calls: is the scan broken?", n)
	}
}

// Keys named outside a translating call are shown by a path that passes fixed values: a note
// or a notice (k.t(k.note), no values), a form's problem (k.problem: {n}, the PIN length; the
// locked screen: {seconds}), a domain problem (k.problem: {n}), or a key chosen in a function
// that then translates it with values (key := "..."; k.t(key, "n", ...)). Their texts may have
// no other placeholder.
func TestKeysShownLaterHaveNoOtherPlaceholder(t *testing.T) {
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			// In each function (and each package-level declaration): the keys it names outside
			// a translating call, and the values its translating calls of a key held elsewhere
			// pass.
			allowed := []string{"n", "seconds"}
			direct := map[*ast.BasicLit]bool{}
			var later []*ast.BasicLit
			ast.Inspect(decl, func(x ast.Node) bool {
				switch v := x.(type) {
				case *ast.CallExpr:
					if !isTranslating(v) || len(v.Args) == 0 {
						return true
					}
					if lit, ok := v.Args[0].(*ast.BasicLit); ok {
						direct[lit] = true
						return true
					}
					for i := 1; i < len(v.Args); i += 2 {
						if l, ok := v.Args[i].(*ast.BasicLit); ok && l.Kind == token.STRING {
							s, _ := strconv.Unquote(l.Value)
							allowed = append(allowed, s)
						}
					}
				case *ast.BasicLit:
					if s, err := strconv.Unquote(v.Value); v.Kind == token.STRING && err == nil && strings.HasPrefix(s, "ui.") {
						later = append(later, v)
					}
				}
				return true
			})
			for _, lit := range later {
				if direct[lit] {
					continue
				}
				key, _ := strconv.Unquote(lit.Value)
				n++
				for _, code := range cat.Languages() {
					for _, p := range placeholderNames(cat.Lang(code).T(key)) {
						if !slices.Contains(allowed, p) {
							t.Errorf("%s: %q (%s) has {%s}, which the path that shows it does not fill", fset.Position(lit.Pos()), key, code, p)
						}
					}
				}
			}
		}
	}
	if n < 20 {
		t.Fatalf("found only %d keys shown later: is the scan broken?", n)
	}
	for _, k := range cat.Keys() {
		if !strings.HasPrefix(k, "problem.") {
			continue
		}
		for _, code := range cat.Languages() {
			for _, p := range placeholderNames(cat.Lang(code).T(k)) {
				if p != "n" {
					t.Errorf("%s (%s) has {%s}: k.problem fills only {n}", k, code, p)
				}
			}
		}
	}
}

// isTranslating reports whether call is one of the translating methods (T, t, btn).
func isTranslating(call *ast.CallExpr) bool {
	var name string
	switch fn := call.Fun.(type) {
	case *ast.SelectorExpr:
		name = fn.Sel.Name
	case *ast.Ident:
		name = fn.Name
	}
	return name == "T" || name == "t" || name == "btn"
}
