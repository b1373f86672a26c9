package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/ui/demoenv"
)

// auditActions reads, from the program's source, every audit action the kiosk, kioskctl and
// the case server's tools write: the literal names passed to the audit functions or set as
// an event's Action, and the prefixes joined to a document kind ("print_" + kind), with the
// kinds of documents.All. It reads the code rather than a list kept by hand, so a new kind of
// event cannot be added without its words.
func auditActions(t *testing.T) (plain, prefixes, kinds []string) {
	t.Helper()
	root := filepath.Join("..", "..")
	literal := []*regexp.Regexp{
		regexp.MustCompile(`\b(?:audit|staffAudit|Audit)\("([a-z0-9_]+)"`),
		regexp.MustCompile(`\baction\s*:?=\s*"([a-z0-9_]+)"`),
		regexp.MustCompile(`\bAction:\s*"([a-z0-9_]+)"`),
	}
	prefix := regexp.MustCompile(`\bAction:\s*"([a-z0-9_]+_)"\s*\+`)
	seen := map[string]bool{}
	for _, dir := range []string{"app", "cmd", "sync"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			src := string(b)
			for _, m := range prefix.FindAllStringSubmatch(src, -1) {
				if !seen["prefix:"+m[1]] {
					seen["prefix:"+m[1]] = true
					prefixes = append(prefixes, m[1])
				}
			}
			for _, re := range literal {
				for _, m := range re.FindAllStringSubmatch(src, -1) {
					if a := m[1]; !strings.HasSuffix(a, "_") && !seen[a] {
						seen[a] = true
						plain = append(plain, a)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range documents.All() {
		kinds = append(kinds, string(e.Kind))
	}
	slices.Sort(plain)
	slices.Sort(prefixes)
	return plain, prefixes, kinds
}

// Every kind of audit event has its words in every language, and the supervisor's screen says
// each in a sentence with no code left in it.
func TestEveryAuditKindHasWords(t *testing.T) {
	plain, prefixes, kinds := auditActions(t)
	// The reading of the code found what it should: the events of sign-in, staff, the
	// throttle, printing and kioskctl.
	for _, want := range []string{"signin", "signin_failed", "signin_throttled", "staff_signin_throttled",
		"staff_unlock_staff", "pin_change", "print_file"} {
		if !slices.Contains(plain, want) {
			t.Errorf("the source's audit actions %v lack %q", plain, want)
		}
	}
	if !slices.Equal(prefixes, []string{"export_", "print_"}) || len(kinds) < 7 {
		t.Errorf("prefixes %v, document kinds %v", prefixes, kinds)
	}
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	actions := slices.Clone(plain)
	for _, p := range prefixes {
		for _, k := range kinds {
			actions = append(actions, p+k)
		}
	}
	r := newRig(t, shared(t))
	for _, lang := range cat.Languages() {
		l := cat.Lang(lang)
		for _, a := range plain {
			if !l.Has("audit." + a) {
				t.Errorf("%s: no translation of the audit event %q (audit.%s)", lang, a, a)
			}
		}
		for _, k := range kinds {
			if !l.Has("audit.doc." + k) {
				t.Errorf("%s: no name for the document %q in the audit (audit.doc.%s)", lang, k, k)
			}
		}
		r.k.setLanguage(lang)
		for _, a := range actions {
			for _, detail := range []string{"", "completed", "failed:cups_down", "failed:", "12 failed in 10m0s", "id", "2025", "assisted"} {
				s := r.k.auditSentence(domain.AuditEvent{Action: a, Detail: detail})
				if strings.Contains(s, a) || strings.ContainsAny(s, "{}") || s == r.tr("audit.unknown", "action", a) {
					t.Errorf("%s: %s (%q) reads %q", lang, a, detail, s)
				}
			}
		}
	}
	r.k.setLanguage("en")
	if got := r.k.auditSentence(domain.AuditEvent{Action: "print_yearly_statement", Detail: "failed:stopped"}); got != "Yearly statement: not printed (printer stopped)" {
		t.Errorf("a failed print reads %q", got)
	}
	if got := r.k.auditSentence(domain.AuditEvent{Action: "signin_throttled", Detail: "10 failed in 10m0s"}); got != "Sign-ins made to wait: 10 failed in 10 minutes" {
		t.Errorf("the throttle reads %q", got)
	}
}

// The supervisor's audit shows a wrong PIN as "Sign-in failed: wrong PIN or unknown ID" with
// its time, in the body font, in the supervisor's language; never the code signin_failed.
func TestAuditScreenInWords(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, wrongPIN(s.PIN))
	failed := r.k.mgr.Now()
	sv := staffLogin(t, env, domain.Supervisor)
	r.enterStaff(t, sv.Staff, sv.Password)
	for _, lang := range []string{"en", "es", "fr"} {
		r.k.setLanguage(lang)
		tap(t, r.c, r.tr("ui.staff.audit"))
		mustHave(t, r.c, r.tr("audit.signin_failed"))
		mustHave(t, r.c, r.tr("audit.staff_signin")+" · "+r.tr("audit.staff", "id", sv.Staff))
		mustHave(t, r.c, r.k.lang.DateTime(r.k.local(failed)))
		walk(r.c, func(o fyne.CanvasObject, visible bool) {
			if l, ok := o.(*widget.Label); ok && visible {
				if l.TextStyle.Monospace {
					t.Errorf("%s: %q in monospace", lang, l.Text)
				}
				for _, code := range []string{"signin_failed", "staff_signin", "staff_audit_read"} {
					if strings.Contains(l.Text, code) {
						t.Errorf("%s: the code %s on screen: %q", lang, code, l.Text)
					}
				}
			}
		})
		tap(t, r.c, r.tr("ui.staff.leave"))
		r.enterStaff(t, sv.Staff, sv.Password)
	}
}
