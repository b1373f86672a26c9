package printing

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/pdf"
	"childsupportkiosk/assets"
)

// testPrinters returns the test printers that scripts/test-printers set up. Without them the
// test is skipped, except under CI, where printing must really be exercised.
func testPrinters(t *testing.T) (office, receipt, officeSpool, receiptSpool string) {
	t.Helper()
	office, receipt = os.Getenv("KIOSK_TEST_OFFICE_PRINTER"), os.Getenv("KIOSK_TEST_RECEIPT_PRINTER")
	spool := os.Getenv("KIOSK_TEST_SPOOL")
	if office == "" || receipt == "" || spool == "" {
		msg := "no test printers: run scripts/test-printers as root and export the KIOSK_TEST_* lines it prints"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (CI must exercise printing)")
		}
		t.Skip(msg)
	}
	officeSpool, receiptSpool = os.Getenv("KIOSK_TEST_OFFICE_SPOOL"), os.Getenv("KIOSK_TEST_RECEIPT_SPOOL")
	if officeSpool == "" {
		officeSpool = filepath.Join(spool, "office")
	}
	if receiptSpool == "" {
		receiptSpool = filepath.Join(spool, "receipt")
	}
	return
}

var at = time.Date(2025, 3, 3, 16, 0, 0, 0, time.UTC)

func maker(t *testing.T, lang string) pdf.Maker {
	t.Helper()
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	p, err := assets.Profile("CA")
	if err != nil {
		t.Fatal(err)
	}
	return pdf.Maker{Profile: p, Lang: cat.Lang(lang), Now: func() time.Time { return at }}
}

var person = domain.Participant{ID: "3141592653", Name: "Begoña Aragón-Françoise"}

func yearly(t *testing.T) pdf.Document {
	t.Helper()
	cases := []domain.Case{{Number: "CS-9001", Participant: person.ID, Role: domain.Custodial,
		Balances: domain.Balances{MonthlyCurrent: 45000}}}
	recv := []domain.Disbursement{
		{ID: "d1", Case: "CS-9001", Payee: person.ID, Date: domain.Date{Year: 2024, Month: 5, Day: 3}, Amount: 45000,
			Source: domain.IncomeWithholding, Method: domain.DirectDeposit, Status: domain.Disbursed},
		{ID: "d2", Case: "CS-9001", Payee: person.ID, Date: domain.Date{Year: 2024, Month: 6, Day: 7}, Amount: 12345,
			Source: domain.Card, Method: domain.DirectDeposit, Status: domain.Disbursed},
	}
	s := domain.NewYearlyStatement(person, cases, nil, recv, 2024, domain.Date{Year: 2025, Month: 3, Day: 3}, at)
	doc, err := maker(t, "es").YearlyStatement(s)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func receiptDoc(t *testing.T) pdf.Document {
	t.Helper()
	doc, err := maker(t, "fr").PaymentReceipt(pdf.Receipt{ParticipantID: person.ID, ParticipantName: person.Name,
		Line: domain.StatementLine{ID: "p1", Case: "CS-9001", Direction: domain.Made, Amount: 98765,
			Date: domain.Date{Year: 2025, Month: 2, Day: 14}, Source: domain.CheckOrMoneyOrder,
			Allocation: domain.Allocation{Current: 98765}}, DataAsOf: at})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// jobOf is the print job of a document the kiosk made.
func jobOf(d pdf.Document) Job {
	paper := OfficePaper
	if d.Kind.OnRoll() {
		paper = RollPaper
	}
	return Job{Kind: string(d.Kind), Paper: paper, PDF: d.Bytes}
}

type auditLog struct {
	mu     sync.Mutex
	events []domain.AuditEvent
}

func (a *auditLog) Audit(e domain.AuditEvent) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events = append(a.events, e)
	return nil
}

// spooled waits for a PDF written to a printer's spool directory since the test began and
// returns its text. (ippeveprinter numbers its files from 1 again when it restarts, so a file
// name may be reused: the modification time tells.)
func spooled(t *testing.T, dir string, since time.Time) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
		for _, f := range files {
			fi, err := os.Stat(f)
			if err != nil || fi.ModTime().Before(since) {
				continue
			}
			out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", f, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext %s: %v", filepath.Base(f), err)
			}
			return strings.ReplaceAll(string(out), "\u00a0", " ")
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no new PDF arrived in %s", dir)
	return ""
}

func checkNoPII(t *testing.T, log *auditLog) {
	t.Helper()
	for _, e := range log.events {
		all := e.Kiosk + e.Action + e.Subject + e.Staff + e.Detail
		for _, pii := range []string{person.ID, person.Name, "Begoña", "7890", "2653"} {
			if strings.Contains(all, pii) {
				t.Errorf("audit event carries personal data: %+v", e)
			}
		}
	}
}

func TestPrintYearlyStatementOnOfficePrinter(t *testing.T) {
	office, _, spool, _ := testPrinters(t)
	since := time.Now().Add(-time.Second)
	log := &auditLog{}
	p := &Printer{Config: Config{Office: office, Timeout: time.Minute, Poll: 200 * time.Millisecond},
		Kiosk: "kiosk-7", Auditor: log, Now: func() time.Time { return at }}
	var states []State
	end := p.Print(context.Background(), func() Job { j := jobOf(yearly(t)); j.Subject = "tok-abc"; return j }(), func(e Event) {
		states = append(states, e.State)
	})
	if end.State != Completed {
		t.Fatalf("end %+v, want completed (states %v)", end, states)
	}
	if states[0] != Queued || states[len(states)-1] != Completed {
		t.Errorf("states %v, want queued first and completed last", states)
	}
	if got := maker(t, "en").Lang.T(end.Key()); got != "Done — collect your pages at the printer." {
		t.Errorf("completed text %q", got)
	}
	text := spooled(t, spool, since)
	// CUPS keeps job documents for a day unless the job is purged: it must be.
	if _, err := os.Stat("/var/spool/cups"); err == nil {
		if _, err := os.Stat(fmt.Sprintf("/var/spool/cups/d%05d-001", end.Job)); err == nil || !os.IsNotExist(err) {
			t.Errorf("CUPS still holds the statement of job %d in its spool (%v)", end.Job, err)
		}
	}
	for _, want := range []string{"Estado de pagos de 2024", "Begoña Aragón-Françoise", "$450.00", "$573.45",
		"Subtotal mayo de 2024", "Total 2024"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed PDF lacks %q:\n%s", want, text)
		}
	}
	if len(log.events) != 1 || log.events[0].Action != "print_yearly_statement" || log.events[0].Detail != "completed" ||
		log.events[0].Kiosk != "kiosk-7" || !log.events[0].At.Equal(at) || log.events[0].Subject != "tok-abc" {
		t.Errorf("audit %+v", log.events)
	}
	checkNoPII(t, log)
}

func TestPrintReceiptOnRoll(t *testing.T) {
	_, receipt, _, spool := testPrinters(t)
	since := time.Now().Add(-time.Second)
	log := &auditLog{}
	p := &Printer{Config: Config{Receipt: receipt, Timeout: time.Minute, Poll: 200 * time.Millisecond},
		Kiosk: "kiosk-7", Auditor: log}
	end := p.Print(context.Background(), jobOf(receiptDoc(t)), nil)
	if end.State != Completed {
		t.Fatalf("end %+v, want completed", end)
	}
	text := spooled(t, spool, since)
	for _, want := range []string{"Reçu de paiement", "987,65 $", "Chèque ou mandat", "••••••2653"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed receipt lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, person.ID) {
		t.Error("the receipt shows the whole participant ID")
	}
	if len(log.events) != 1 || log.events[0].Action != "print_payment_receipt" {
		t.Errorf("audit %+v", log.events)
	}
	checkNoPII(t, log)
}

func TestNoSuchPrinter(t *testing.T) {
	testPrinters(t)
	log := &auditLog{}
	p := &Printer{Config: Config{Office: "NoSuchKioskQueue", Timeout: 20 * time.Second}, Auditor: log}
	end := p.Print(context.Background(), jobOf(yearly(t)), nil)
	if end.State != Failed || end.Reason != NoSuchPrinter {
		t.Fatalf("end %+v, want failed: no_printer", end)
	}
	if len(log.events) != 1 || log.events[0].Detail != "failed:no_printer" {
		t.Errorf("a failed print is audited too: %+v", log.events)
	}
}

func TestCheck(t *testing.T) {
	office, receipt, _, _ := testPrinters(t)
	p := &Printer{Config: Config{Office: office, Receipt: receipt}}
	for _, k := range []Paper{OfficePaper, RollPaper} {
		if e := p.Check(context.Background(), k); e.State != Ready {
			t.Errorf("paper %d: %+v, want ready", k, e)
		}
	}
	p.Config.Receipt = "NoSuchKioskQueue"
	if e := p.Check(context.Background(), RollPaper); e.Reason != NoSuchPrinter {
		t.Errorf("missing receipt queue: %+v", e)
	}
	if e := (&Printer{}).Check(context.Background(), OfficePaper); e.Reason != NotConfigured {
		t.Errorf("no queue: %+v", e)
	}
}

func TestMediaTheRollLacks(t *testing.T) {
	_, receipt, _, _ := testPrinters(t)
	p := &Printer{Config: Config{Timeout: 20 * time.Second}}
	end := p.Submit(context.Background(), receipt, LetterMedia, "kiosk test", yearly(t).Bytes, nil)
	if end.State != Failed || end.Reason != MediaMissing {
		t.Fatalf("Letter on the roll: %+v, want failed: media", end)
	}
}

func TestStoppedPrinter(t *testing.T) {
	office, _, _, _ := testPrinters(t)
	if err := exec.Command("cupsdisable", "-r", "paper jam (test)", office).Run(); err != nil {
		t.Skipf("cannot stop the test queue (needs CUPS admin rights): %v", err)
	}
	t.Cleanup(func() { _ = exec.Command("cupsenable", office).Run() })
	p := &Printer{Config: Config{Office: office, Timeout: 20 * time.Second}}
	start := time.Now()
	end := p.Print(context.Background(), jobOf(yearly(t)), nil)
	if end.State != Failed || end.Reason != Stopped {
		t.Fatalf("end %+v, want failed: stopped", end)
	}
	if !strings.Contains(end.Message, "paper jam") {
		t.Errorf("the printer's reason is lost: %q", end.Message)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("a stopped printer took %v to report", time.Since(start))
	}
}

func TestCUPSDown(t *testing.T) {
	for _, srv := range []string{"127.0.0.1:1", "no-such-cups-server.invalid"} {
		t.Run(srv, func(t *testing.T) {
			t.Setenv("CUPS_SERVER", srv)
			p := &Printer{Config: Config{Office: "KioskTestOffice", Timeout: 15 * time.Second}}
			start := time.Now()
			end := p.Print(context.Background(), jobOf(pdf.Document{Kind: documents.YearlyStatement, Bytes: []byte("%PDF-1.3")}), nil)
			if end.State != Failed || end.Reason != CUPSDown {
				t.Fatalf("end %+v, want failed: cups_down", end)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v: CUPS being down must be reported quickly", d)
			}
		})
	}
}

func TestNotConfigured(t *testing.T) {
	var got []Event
	p := &Printer{}
	end := p.Print(context.Background(), jobOf(pdf.Document{Kind: documents.PaymentReceipt}), func(e Event) { got = append(got, e) })
	if end.State != Failed || end.Reason != NotConfigured || len(got) != 1 {
		t.Fatalf("end %+v events %v", end, got)
	}
}

func TestMessagesTranslated(t *testing.T) {
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	events := []Event{{State: Ready}, {State: Queued}, {State: Printing}, {State: Completed}}
	for _, r := range []Reason{NotConfigured, NoSuchPrinter, CUPSDown, Stopped, MediaMissing, Canceled, TimedOut, OtherFailure} {
		events = append(events, Event{State: Failed, Reason: r})
	}
	for _, code := range cat.Languages() {
		l := cat.Lang(code)
		for _, e := range events {
			if !l.Has(e.Key()) {
				t.Errorf("%s: no text for %s", code, e.Key())
			}
		}
	}
}

func TestResolveServer(t *testing.T) {
	for in, want := range map[string]server{
		"/run/cups/cups.sock":         {socket: "/run/cups/cups.sock"},
		"printhost":                   {host: "printhost:631"},
		"printhost:8631":              {host: "printhost:8631"},
		"[::1]:631":                   {host: "[::1]:631"},
		"localhost:631/version=1.1":   {host: "localhost:631"},
		"no-such-cups-server.invalid": {host: "no-such-cups-server.invalid:631"},
	} {
		if got := resolveServer(in); got != want {
			t.Errorf("resolveServer(%q) = %+v, want %+v", in, got, want)
		}
	}
}

// fakeCUPS answers IPP like CUPS would, walking a job through the given states.
func fakeCUPS(t *testing.T, jobStates []int, printerState int, reasons string) *httptest.Server {
	t.Helper()
	return countingCUPS(t, jobStates, printerState, reasons, nil)
}

// countingCUPS is fakeCUPS that also counts the Cancel-Job requests it gets.
func countingCUPS(t *testing.T, jobStates []int, printerState int, reasons string, cancels *atomic.Int32) *httptest.Server {
	t.Helper()
	var mu sync.Mutex
	step := 0
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		op := binary.BigEndian.Uint16(b[2:4])
		resp := &request{op: 0} // reuse the encoder: op is the status code in a response
		mu.Lock()
		defer mu.Unlock()
		switch op {
		case opGetPrinterAttributes:
			resp.addInt("printer-state", printerState)
			resp.add(tagKeyword, "printer-state-reasons", reasons)
			resp.add(tagText, "printer-state-message", "fake")
			resp.add(tagKeyword, "media-supported", LetterMedia, ReceiptMedia)
		case opPrintJob:
			resp.addInt("job-id", 42)
		case opCancelJob:
			if cancels != nil {
				cancels.Add(1)
			}
		case opGetJobAttributes:
			s := jobStates[min(step, len(jobStates)-1)]
			step++
			resp.attrs = nil
			resp.addInt("job-state", s)
			resp.add(tagKeyword, "job-state-reasons", "none")
		}
		w.Header().Set("Content-Type", "application/ipp")
		_, _ = w.Write(resp.encode())
	}))
}

func TestFollowsJobToItsEnd(t *testing.T) {
	srv := fakeCUPS(t, []int{jobPending, jobPending, jobProcessing, jobProcessing, jobCompleted}, 3, "none")
	defer srv.Close()
	p := &Printer{Config: Config{Office: "Q", Server: strings.TrimPrefix(srv.URL, "http://"), Poll: 10 * time.Millisecond}}
	var states []State
	end := p.Print(context.Background(), jobOf(pdf.Document{Kind: documents.YearlyStatement}), func(e Event) { states = append(states, e.State) })
	if end.State != Completed || end.Job != 42 {
		t.Fatalf("end %+v", end)
	}
	if want := []State{Queued, Printing, Completed}; !equalStates(states, want) {
		t.Fatalf("states %v, want %v", states, want)
	}
}

func TestJobCanceledByCUPS(t *testing.T) {
	srv := fakeCUPS(t, []int{jobPending, jobCanceled}, 3, "none")
	defer srv.Close()
	p := &Printer{Config: Config{Office: "Q", Server: strings.TrimPrefix(srv.URL, "http://"), Poll: 10 * time.Millisecond}}
	end := p.Print(context.Background(), jobOf(pdf.Document{Kind: documents.YearlyStatement}), nil)
	if end.State != Failed || end.Reason != Canceled {
		t.Fatalf("end %+v", end)
	}
}

func TestJobTimesOut(t *testing.T) {
	srv := fakeCUPS(t, []int{jobPending}, 3, "none")
	defer srv.Close()
	p := &Printer{Config: Config{Office: "Q", Server: strings.TrimPrefix(srv.URL, "http://"),
		Poll: 10 * time.Millisecond, Timeout: 300 * time.Millisecond}}
	end := p.Print(context.Background(), jobOf(pdf.Document{Kind: documents.YearlyStatement}), nil)
	if end.State != Failed || end.Reason != TimedOut {
		t.Fatalf("end %+v", end)
	}
}

// A job the kiosk withdraws (the person used Quick Exit while it waited) is canceled at CUPS,
// and the end says so rather than that the printer timed out.
func TestJobWithdrawnByTheKiosk(t *testing.T) {
	var cancels atomic.Int32
	srv := countingCUPS(t, []int{jobPending}, 3, "none", &cancels)
	defer srv.Close()
	p := &Printer{Config: Config{Office: "Q", Server: strings.TrimPrefix(srv.URL, "http://"), Poll: 10 * time.Millisecond}}
	ctx, cancel := context.WithCancel(context.Background())
	var end Event
	done := make(chan struct{})
	go func() {
		defer close(done)
		end = p.Print(ctx, jobOf(pdf.Document{Kind: documents.YearlyStatement}), func(e Event) {
			if e.State == Queued {
				cancel()
			}
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the withdrawn job was still followed after 10 s")
	}
	if end.State != Failed || end.Reason != Canceled || end.Job != 42 {
		t.Fatalf("end %+v", end)
	}
	if n := cancels.Load(); n != 1 {
		t.Fatalf("%d Cancel-Job requests, want 1", n)
	}
}

func TestPrinterOutOfPaper(t *testing.T) {
	srv := fakeCUPS(t, []int{jobPending}, 3, "media-empty-error")
	defer srv.Close()
	p := &Printer{Config: Config{Office: "Q", Server: strings.TrimPrefix(srv.URL, "http://"), Poll: 10 * time.Millisecond}}
	end := p.Print(context.Background(), jobOf(pdf.Document{Kind: documents.YearlyStatement}), nil)
	if end.State != Failed || end.Reason != MediaMissing {
		t.Fatalf("end %+v", end)
	}
}

func equalStates(a, b []State) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDecodeAdditionalValues(t *testing.T) {
	r := &request{}
	r.add(tagKeyword, "media-supported", "a", "b", "c")
	r.addInt("job-id", 7)
	resp, err := decodeResponse(r.encode())
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.strs("media-supported"); len(got) != 3 || got[2] != "c" || resp.int("job-id") != 7 {
		t.Fatalf("decoded %+v", resp.attrs)
	}
	if _, err := decodeResponse(bytes.Repeat([]byte{1}, 12)); err == nil {
		t.Fatal("garbage decoded")
	}
}
