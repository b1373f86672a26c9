package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"childsupportkiosk/app/i18n"
)

func TestStatementAndPrint(t *testing.T) {
	s := newServer(t)
	dir := s.synced(t)
	if len(s.export.Payments) == 0 {
		t.Fatal("the demo export has no payments")
	}
	pay := s.export.Payments[0]
	name := ""
	for _, p := range s.export.Participants {
		if p.ID == pay.Payer {
			name = p.Name
		}
	}
	// statement writes a statement in Spanish with the extra flags and checks its title and
	// the participant's name in the PDF's text.
	statement := func(title string, extra ...string) string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "statement.pdf")
		args := append([]string{"statement", "--data", dir, "--participant", pay.Payer, "--lang", "es", "--out", out}, extra...)
		code, stdout, errOut := kioskctl(t, args...)
		if code != exitOK {
			t.Fatalf("statement %v: %d %q", extra, code, errOut)
		}
		s.noPII(t, stdout, errOut)
		if _, err := exec.LookPath("pdftotext"); err == nil {
			text, err := exec.Command("pdftotext", "-layout", out, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(text), title) || !strings.Contains(string(text), name) {
				t.Fatalf("the statement lacks %q or the participant's name:\n%s", title, text)
			}
		}
		return out
	}
	year := strconv.Itoa(pay.Received.Year)
	out := statement("Estado de pagos de "+year, "--year", year)
	if code, _, _ := kioskctl(t, "statement", "--data", dir, "--participant", pay.Payer, "--out", out, "--lang", "de"); code != exitUsage {
		t.Errorf("an unknown language is a usage error, got %d", code)
	}

	// The monthly statement of the payment's month.
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	monthly := statement("Estado de cuenta de "+cat.Lang("es").MonthYear(pay.Received.Year, pay.Received.Month),
		"--year", year, "--month", strconv.Itoa(int(pay.Received.Month)))
	for _, bad := range []string{"13", "-1"} {
		if code, _, _ := kioskctl(t, "statement", "--data", dir, "--participant", pay.Payer, "--year", year,
			"--month", bad, "--out", monthly); code != exitUsage {
			t.Errorf("--month %s is a usage error, got %d", bad, code)
		}
	}

	printer := os.Getenv("KIOSK_TEST_OFFICE_PRINTER")
	if printer == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no test printers under CI: run scripts/test-printers")
		}
		t.Skip("no test printers: run scripts/test-printers and export its KIOSK_TEST_* lines")
	}
	code, stdout, errOut := kioskctl(t, "print", "--data", dir, "--printer", printer, out)
	if code != exitOK || !strings.Contains(stdout, "completed") {
		t.Fatalf("print: %d %q %q", code, stdout, errOut)
	}
	code, _, errOut = kioskctl(t, "print", "--data", dir, "--printer", "NoSuchKioskQueue", "--file", out)
	if code != exitFail || !strings.Contains(errOut, "no_printer") {
		t.Fatalf("print to no such printer: %d %q", code, errOut)
	}
}

// today writes the day's summary slip from the kiosk's own counts: the sync it just made.
func TestTodaySummary(t *testing.T) {
	s := newServer(t)
	dir := s.synced(t)
	out := filepath.Join(t.TempDir(), "today.pdf")
	code, stdout, errOut := kioskctl(t, "today", "--data", dir, "--lang", "en", "--out", out)
	if code != exitOK {
		t.Fatalf("today: %d %q", code, errOut)
	}
	s.noPII(t, stdout, errOut)
	if _, err := exec.LookPath("pdftotext"); err == nil {
		b, err := exec.Command("pdftotext", "-raw", out, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(b)), " ")
		for _, want := range []string{"This kiosk today", "Syncs with the case server 1", "Syncs that failed 0", "Parents signed in 0"} {
			if !strings.Contains(text, want) {
				t.Errorf("%q missing from the summary:\n%s", want, text)
			}
		}
		s.noPII(t, text)
	}
	for _, bad := range []string{"2025-13-01", "tomorrow", "2999-01-01"} {
		if code, _, _ := kioskctl(t, "today", "--data", dir, "--date", bad, "--out", out); code != exitUsage {
			t.Errorf("--date %s is a usage error, got %d", bad, code)
		}
	}
	if code, _, errOut := kioskctl(t, "today", "--data", dir, "--date", "2020-02-29", "--out", out); code != exitOK {
		t.Errorf("a past day: %d %q", code, errOut)
	}
}
