package main

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/demo"
)

// survivor finds, in an export, a participant with one case that carries the family-violence
// indicator and another that does not and names its other parent, and returns the names of
// every other parent on the participant's cases. The demo always has one (sync/demo).
func survivor(t *testing.T, exp *domain.Export) (string, []string) {
	t.Helper()
	for _, p := range exp.Participants {
		flagged := false
		for _, c := range exp.Cases {
			for _, q := range c.Parties {
				flagged = flagged || (c.FamilyViolence && q.Participant == p.ID)
			}
		}
		if others, named := demo.OtherParents(exp, p.ID); flagged && named {
			return p.ID, others
		}
	}
	t.Fatal("the demo export has no participant with a flagged case and a case naming the other parent")
	return "", nil
}

// TestStatementHidesTheOtherParentOfASurvivor: kioskctl statement goes through the same
// privacy rule as the screens. For a person with one flagged and one unflagged case, no
// statement it writes, yearly or monthly, in any language, names any other parent.
func TestStatementHidesTheOtherParentOfASurvivor(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is missing (poppler-utils)")
	}
	s := newServer(t)
	dir := s.synced(t)
	id, others := survivor(t, s.export)
	years := map[int]bool{}
	for _, d := range s.export.Disbursements {
		if d.Payee == id {
			years[d.Date.Year] = true
		}
	}
	if len(years) == 0 {
		t.Fatal("the survivor received nothing: the statements would be empty")
	}
	checked := 0
	for year := range years {
		for _, lang := range []string{"en", "es", "fr"} {
			for _, month := range []string{"", "1", "6"} {
				out := filepath.Join(t.TempDir(), "statement.pdf")
				args := []string{"statement", "--data", dir, "--participant", id, "--year", strconv.Itoa(year),
					"--lang", lang, "--out", out}
				if month != "" {
					args = append(args, "--month", month)
				}
				code, stdout, errOut := kioskctl(t, args...)
				if code != exitOK {
					t.Fatalf("statement %v: %d %q", args, code, errOut)
				}
				text, err := exec.Command("pdftotext", "-raw", out, "-").Output()
				if err != nil {
					t.Fatal(err)
				}
				all := strings.Join(strings.Fields(string(text)+" "+stdout+" "+errOut), " ")
				for _, name := range others {
					if strings.Contains(all, name) {
						t.Fatalf("statement of %d (month %q, %s) names the other parent %q", year, month, lang, name)
					}
				}
				checked++
			}
		}
		if checked >= 18 {
			break
		}
	}
}
