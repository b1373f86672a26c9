package domain

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestShieldHidesEveryOtherParty(t *testing.T) {
	cs := []Case{
		{Number: "A", OtherParty: "", FamilyViolence: true},
		{Number: "B", OtherParty: "Luis Pérez"},
	}
	got := Shield(cs)
	for _, c := range got {
		if c.OtherParty != "" || c.ShowOtherParty() || !c.Shielded {
			t.Errorf("case %s: %+v", c.Number, c)
		}
	}
	if cs[1].OtherParty != "Luis Pérez" {
		t.Error("Shield changed the caller's cases")
	}
	if OtherPartyShown(cs) {
		t.Error("the Other Party screen would exist for a survivor")
	}
	open := []Case{{Number: "B", OtherParty: "Luis Pérez"}}
	if got := Shield(open); got[0].OtherParty != "Luis Pérez" || !got[0].ShowOtherParty() || !OtherPartyShown(got) {
		t.Errorf("without the indicator the other party is shown: %+v", got)
	}
	// A statement built from raw cases still hides the name.
	p := Participant{ID: "1"}
	s := NewYearlyStatement(p, []Case{{Number: "A", Participant: "1", FamilyViolence: true},
		{Number: "B", Participant: "1", OtherParty: "Luis Pérez"}}, nil, nil, 2025, Date{Year: 2026, Month: 1, Day: 2}, time.Time{})
	for _, c := range s.Cases {
		if c.Case.ShowOtherParty() || c.Case.OtherParty != "" {
			t.Errorf("the yearly statement shows the other party of case %s", c.Case.Number)
		}
	}
}

// TestCasesAreReadThroughTheRule: nothing outside app/domain reads a participant's cases from
// a case file directly (a method Cases with one argument); every path goes through CasesOf or
// ReadRecords, so the privacy rules hold on all of them. The cache implements Cases, and tests
// may read raw cases to compare.
func TestCasesAreReadThroughTheRule(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testdata", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") ||
			strings.HasPrefix(rel, "app/domain/") || strings.HasPrefix(rel, "app/cache/") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Cases" && len(call.Args) == 1 {
				t.Errorf("%s: reads cases around the privacy rules; use domain.CasesOf", fset.Position(call.Pos()))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
