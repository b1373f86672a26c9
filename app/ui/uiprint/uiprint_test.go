package uiprint

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/printing"
	"childsupportkiosk/app/session"
	"childsupportkiosk/app/ui"
	"childsupportkiosk/app/ui/demoenv"
	"childsupportkiosk/sync/demo"
)

// The documents are made from a real cache, filled through the real sync path.
var (
	envOnce sync.Once
	env     *demoenv.Env
	envErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if env != nil {
		env.Close()
	}
	os.Exit(code)
}

func demoEnv(t *testing.T) *demoenv.Env {
	t.Helper()
	envOnce.Do(func() {
		env, envErr = demoenv.Start(context.Background(), demoenv.Options{Demo: demo.Options{Seed: 7, Offices: 1, Participants: 40}})
	})
	if envErr != nil {
		t.Fatal(envErr)
	}
	return env
}

var at = time.Date(2026, 3, 3, 16, 0, 0, 0, time.UTC)

func sampleOf(t *testing.T, e *demoenv.Env, role string) demo.Sample {
	t.Helper()
	for _, s := range e.Samples {
		if s.Role == role {
			return s
		}
	}
	t.Fatalf("no %s sample", role)
	return demo.Sample{}
}

// job is a print job of a sample, as the kiosk's screens make it.
func job(t *testing.T, e *demoenv.Env, s demo.Sample, kind documents.Kind, lang string) documents.Job {
	t.Helper()
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Cache.FindParticipant(s.Participant)
	if err != nil {
		t.Fatal(err)
	}
	return documents.Job{Kind: kind, Profile: e.Profile, Lang: cat.Lang(lang), Participant: p, AsOf: at}
}

// text reads a PDF's text with pdftotext, through pipes.
func text(t *testing.T, doc []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(doc)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.ReplaceAll(string(out), "\u00a0", " ")
}

func needPoppler(t *testing.T) {
	t.Helper()
	for _, prog := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(prog); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing (poppler-utils)", prog)
			}
			t.Skipf("%s is missing (poppler-utils)", prog)
		}
	}
}

func TestPrepareEveryKind(t *testing.T) {
	needPoppler(t)
	e := demoEnv(t)
	payer, both := sampleOf(t, e, "noncustodial"), sampleOf(t, e, "both")
	made, err := e.Cache.PaymentsMade(payer.Participant)
	if err != nil || len(made) == 0 {
		t.Fatalf("no payments made: %v", err)
	}
	pay := made[0]
	row := session.Row{Date: pay.Received, Amount: pay.Amount, Source: pay.Source, Case: pay.Case, Made: &pay}
	p := &Printer{CaseFile: e.Cache, Now: func() time.Time { return at }}

	for _, lang := range []string{"en", "es", "fr"} {
		cat, _ := i18n.Shipped()
		l := cat.Lang(lang)
		type want struct {
			kind   documents.Kind
			sample demo.Sample
			edit   func(*documents.Job)
			text   []string
		}
		kinds := []want{
			{documents.PaymentPage, payer, func(j *documents.Job) {
				j.Side, j.Page, j.Pages, j.Rows = session.Made, 1, 1, []session.Row{row}
			}, []string{l.Money(pay.Amount), l.Date(pay.Received)}},
			{documents.YearlyStatement, payer, func(j *documents.Job) { j.Year = pay.Received.Year },
				[]string{l.T("doc.total_year", "year", strconv.Itoa(pay.Received.Year))}},
			{documents.MonthlyStatement, both, func(j *documents.Job) { j.Year, j.Month = pay.Received.Year, pay.Received.Month },
				[]string{l.T("doc.title.monthly", "month", l.MonthYear(pay.Received.Year, pay.Received.Month))}},
			{documents.PaymentCoupon, payer, func(j *documents.Job) { j.Year, j.Month = 2026, time.March },
				[]string{l.T("doc.coupon.for_month", "month", l.MonthYear(2026, time.March))}},
			{documents.PaymentReceipt, payer, func(j *documents.Job) { j.Row = &row },
				[]string{l.T("doc.title.receipt"), l.Money(pay.Amount)}},
			{documents.TempPINSlip, both, func(j *documents.Job) { j.PIN, j.Expires = "482916", at.Add(24*time.Hour) },
				[]string{l.T("doc.pin.label"), "4 8 2 9 1 6"}},
			{documents.SignInCard, both, nil, []string{l.T("doc.title.card"), l.T("doc.card.scan")}},
		}
		for _, k := range kinds {
			t.Run(lang+"/"+string(k.kind), func(t *testing.T) {
				j := job(t, e, k.sample, k.kind, lang)
				if k.edit != nil {
					k.edit(&j)
				}
				prep, err := p.Prepare(j)
				if err != nil {
					t.Fatal(err)
				}
				d := prep.(*prepared)
				if d.doc.Kind.OnRoll() != k.kind.OnRoll() {
					t.Errorf("%s: on the roll %v, want %v", d.doc.Kind, d.doc.Kind.OnRoll(), k.kind.OnRoll())
				}
				if prep.Pages() < 1 {
					t.Errorf("pages %d", prep.Pages())
				}
				img := prep.Page(1)
				if img == nil {
					t.Fatal("no preview with pdftoppm installed")
				}
				b := img.Bounds()
				if k.kind.OnRoll() {
					if b.Dx() < 340 || b.Dx() > 430 || b.Dy() < 250 || b.Dy() > 3400 {
						t.Errorf("roll preview %v", b)
					}
				} else if b.Dx() != 1020 || b.Dy() != 1320 {
					t.Errorf("Letter preview %v, want 1020×1320 at 120 dpi", b)
				}
				got := strings.Join(strings.Fields(text(t, d.doc.Bytes)), " ") // lines wrap anywhere
				name := j.Participant.Name
				for _, w := range append(k.text, name) {
					if w = strings.ReplaceAll(w, "\u00a0", " "); !strings.Contains(got, w) {
						t.Errorf("%q missing from:\n%s", w, got)
					}
				}
				if k.kind == documents.SignInCard || k.kind == documents.PaymentReceipt || k.kind == documents.TempPINSlip {
					id := j.Participant.ID
					if strings.Contains(got, id) || !strings.Contains(got, id[len(id)-4:]) {
						t.Errorf("the ID must show masked but for its last four:\n%s", got)
					}
				}
				// Discard zeroes the document and the picture.
				bs, pix := d.doc.Bytes, d.pics[1].Pix
				prep.Discard()
				if !allZero(bs) || !allZero(pix) || prep.Page(1) != nil {
					t.Error("Discard left the document or its picture")
				}
				if err := prep.Print(); err == nil {
					t.Error("a discarded document printed")
				}
			})
		}
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// The sign-in card's QR code holds the participant ID, and nothing else of the card does.
func TestSignInCardQRHoldsTheID(t *testing.T) {
	needPoppler(t)
	if _, err := exec.LookPath("pdfimages"); err != nil {
		t.Skip("pdfimages is missing")
	}
	e := demoEnv(t)
	s := sampleOf(t, e, "custodial")
	p := &Printer{CaseFile: e.Cache, Now: func() time.Time { return at }}
	prep, err := p.Prepare(job(t, e, s, documents.SignInCard, "en"))
	if err != nil {
		t.Fatal(err)
	}
	defer prep.Discard()
	doc := prep.(*prepared).doc.Bytes
	if bytes.Contains(doc, []byte(s.Participant)) {
		t.Error("the card's bytes hold the participant ID in clear")
	}
	dir := t.TempDir() // demo data only
	f := filepath.Join(dir, "card.pdf")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdfimages", "-png", f, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v %s", err, out)
	}
	imgs, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	if len(imgs) != 1 {
		t.Fatalf("%d images on the card, want the QR code only", len(imgs))
	}
	got := decodePNG(t, mustRead(t, imgs[0]))
	wantPNG, err := qrcode.Encode(s.Participant, qrcode.Medium, 256)
	if err != nil {
		t.Fatal(err)
	}
	want := decodePNG(t, wantPNG)
	if got.Bounds() != want.Bounds() {
		t.Fatalf("QR %v, want %v", got.Bounds(), want.Bounds())
	}
	for y := 0; y < want.Bounds().Dy(); y++ {
		for x := 0; x < want.Bounds().Dx(); x++ {
			if dark(got, x, y) != dark(want, x, y) {
				t.Fatalf("the card's QR code differs from one of the participant ID at (%d,%d)", x, y)
			}
		}
	}
}

func mustRead(t *testing.T, f string) []byte {
	t.Helper()
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(img.Bounds().Min.X+x, img.Bounds().Min.Y+y).RGBA()
	return r+g+b < 3*0x8000
}

// Family violence: no other party on paper for a person with the indicator on any case.
func TestFamilyViolenceOffPaper(t *testing.T) {
	needPoppler(t)
	e := demoEnv(t)
	var s demo.Sample
	for _, x := range e.Samples {
		if x.FamilyViolence {
			s = x
			break
		}
	}
	if s.Participant == "" {
		t.Fatal("the demo has no sample with the family-violence indicator")
	}
	names := map[string]string{}
	for _, p := range e.Export.Participants {
		names[p.ID] = p.Name
	}
	var other []string
	for _, c := range e.Export.Cases {
		mine := false
		for _, p := range c.Parties {
			mine = mine || p.Participant == s.Participant
		}
		for _, p := range c.Parties {
			if mine && p.Participant != s.Participant {
				other = append(other, names[p.Participant], p.Name)
			}
		}
	}
	p := &Printer{CaseFile: e.Cache, Now: func() time.Time { return at }}
	received, _ := e.Cache.PaymentsReceived(s.Participant)
	year, month := 2025, time.June
	if len(received) > 0 {
		year, month = received[0].Date.Year, received[0].Date.Month
	}
	for _, kind := range []documents.Kind{documents.YearlyStatement, documents.MonthlyStatement} {
		j := job(t, e, s, kind, "en")
		j.Year, j.Month = year, month
		prep, err := p.Prepare(j)
		if err != nil {
			t.Fatal(err)
		}
		got := text(t, prep.(*prepared).doc.Bytes)
		prep.Discard()
		if strings.Contains(got, j.Lang.T("doc.other_party")) {
			t.Errorf("%s names an other party", kind)
		}
		for _, n := range other {
			if n != "" && strings.Contains(got, n) {
				t.Errorf("%s prints the other party %q", kind, n)
			}
		}
	}
}

// Without pdftoppm there is no picture, and the document still prints (here: no printer set
// up, which Print says in the printer's words).
func TestNoRasterizerNoPreview(t *testing.T) {
	e := demoEnv(t)
	s := sampleOf(t, e, "both")
	p := &Printer{CaseFile: e.Cache, Rasterizer: "no-such-pdftoppm-here", Now: func() time.Time { return at },
		Printer: &printing.Printer{Config: printing.Config{Server: "127.0.0.1:1"}}}
	prep, err := p.Prepare(job(t, e, s, documents.SignInCard, "en"))
	if err != nil {
		t.Fatal(err)
	}
	defer prep.Discard()
	if prep.Page(1) != nil {
		t.Fatal("a preview without pdftoppm")
	}
	err = prep.Print()
	var ev printing.Event
	if !errors.As(err, &ev) || ev.State != printing.Failed || ev.Reason != printing.NotConfigured {
		t.Fatalf("print without a receipt queue: %v", err)
	}
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

// Through the real path: CUPS and an IPP Everywhere test printer (scripts/test-printers).
func TestPrintThroughCUPS(t *testing.T) {
	needPoppler(t)
	office, receipt := os.Getenv("KIOSK_TEST_OFFICE_PRINTER"), os.Getenv("KIOSK_TEST_RECEIPT_PRINTER")
	spool := os.Getenv("KIOSK_TEST_SPOOL")
	if office == "" || receipt == "" || spool == "" {
		msg := "no test printers: run scripts/test-printers as root and export the KIOSK_TEST_* lines it prints"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (CI must exercise printing)")
		}
		t.Skip(msg)
	}
	receiptSpool := os.Getenv("KIOSK_TEST_RECEIPT_SPOOL")
	if receiptSpool == "" {
		receiptSpool = filepath.Join(spool, "receipt")
	}
	e := demoEnv(t)
	s := sampleOf(t, e, "both")
	log := &auditLog{}
	p := &Printer{CaseFile: e.Cache, Subject: e.Cache.AuditSubject, Now: func() time.Time { return at },
		Printer: &printing.Printer{Config: printing.Config{Office: office, Receipt: receipt, Timeout: time.Minute,
			Poll: 200 * time.Millisecond}, Kiosk: "kiosk-9", Auditor: log}}
	since := time.Now().Add(-time.Second)
	j := job(t, e, s, documents.SignInCard, "es")
	j.Staff = "S-0042"
	prep, err := p.Prepare(j)
	if err != nil {
		t.Fatal(err)
	}
	if err := prep.Print(); err != nil {
		t.Fatalf("print: %v", err)
	}
	prep.Discard()
	got := spooledText(t, receiptSpool, since)
	for _, w := range []string{j.Lang.T("doc.title.card"), j.Participant.Name, s.Participant[len(s.Participant)-4:]} {
		if !strings.Contains(got, w) {
			t.Errorf("the printed card lacks %q:\n%s", w, got)
		}
	}
	if len(log.events) != 1 || log.events[0].Action != "print_signin_card" || log.events[0].Staff != "S-0042" ||
		log.events[0].Detail != "completed" || log.events[0].Subject == "" {
		t.Fatalf("audit %+v", log.events)
	}
	all := log.events[0].Subject + log.events[0].Action + log.events[0].Detail
	if strings.Contains(all, s.Participant) || strings.Contains(all, j.Participant.Name) {
		t.Errorf("the audit event carries personal data: %+v", log.events[0])
	}
}

// spooledText waits for a PDF the test printer wrote since the test began and returns its text.
func spooledText(t *testing.T, dir string, since time.Time) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
		for _, f := range files {
			fi, err := os.Stat(f)
			if err != nil || fi.ModTime().Before(since) {
				continue
			}
			return text(t, mustRead(t, f))
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no new PDF arrived in %s", dir)
	return ""
}

// Discard during Print withdraws the job: Print returns at once instead of waiting on a
// printer that does not answer, and the document is zeroed when it does.
func TestDiscardWithdrawsAPrint(t *testing.T) {
	e := demoEnv(t)
	s := sampleOf(t, e, "both")
	asked, stop := make(chan struct{}, 1), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case asked <- struct{}{}:
		default:
		}
		select { // a CUPS that never answers
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer srv.Close()
	defer close(stop)
	p := &Printer{CaseFile: e.Cache, Rasterizer: "no-such-pdftoppm-here", Now: func() time.Time { return at },
		Printer: &printing.Printer{Config: printing.Config{Receipt: "receipt", Timeout: time.Minute,
			Server: strings.TrimPrefix(srv.URL, "http://")}}}
	prep, err := p.Prepare(job(t, e, s, documents.SignInCard, "en"))
	if err != nil {
		t.Fatal(err)
	}
	doc := prep.(*prepared)
	done := make(chan error, 1)
	go func() { done <- prep.Print() }()
	<-asked
	start := time.Now()
	prep.Discard()
	select {
	case err = <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("Print still waited on the printer 3 s after Discard")
	}
	if err == nil {
		t.Fatal("a withdrawn print reported success")
	}
	t.Logf("withdrawn in %v: %v", time.Since(start), err)
	doc.mu.Lock()
	defer doc.mu.Unlock()
	if doc.doc.Bytes != nil {
		t.Fatal("the document was not zeroed after the withdrawn print")
	}
}

// The printer tells the preview which of the kiosk's queues are set: the office printer for
// statements, the roll for sign-in cards; none without a printing.Printer at all.
func TestQueuesByKind(t *testing.T) {
	for _, c := range []struct {
		printer *printing.Printer
		kind    documents.Kind
		want    bool
	}{
		{&printing.Printer{Config: printing.Config{Office: "Office"}}, documents.YearlyStatement, true},
		{&printing.Printer{Config: printing.Config{Office: "Office"}}, documents.SignInCard, false},
		{&printing.Printer{Config: printing.Config{Receipt: "Roll"}}, documents.SignInCard, true},
		{&printing.Printer{Config: printing.Config{Receipt: "Roll"}}, documents.YearlyStatement, false},
		{&printing.Printer{Config: printing.Config{Office: "Office", Receipt: "Roll"}}, documents.PaymentReceipt, true},
		{&printing.Printer{Config: printing.Config{Office: " ", Receipt: ""}}, documents.PaymentPage, false},
		{nil, documents.YearlyStatement, false},
	} {
		p := &Printer{Printer: c.printer}
		if got := p.Queues().For(c.kind); got != c.want {
			t.Errorf("%v with %+v: printable %v, want %v", c.kind, c.printer, got, c.want)
		}
	}
}

// With the scheduler gone, Check says so for each printer: cups_down, which the staff status
// screen shows in the staff member's language.
func TestCheckWithCUPSDown(t *testing.T) {
	p := &Printer{Printer: &printing.Printer{Config: printing.Config{Office: "OfficeQ", Receipt: "RollQ", Server: "127.0.0.1:1"}}}
	checks := p.Check()
	if len(checks) != 2 {
		t.Fatalf("%d checks, want 2", len(checks))
	}
	for _, c := range checks {
		var ev printing.Event
		if c.Ready || !errors.As(c.Problem, &ev) || ev.Reason != printing.CUPSDown {
			t.Errorf("%s (%s): ready %v, problem %v; want cups_down", c.NameKey, c.Queue, c.Ready, c.Problem)
		}
	}
}

// threePages prepares a real document of at least three pages: the yearly statement of a
// demo participant with many payments in a year.
func threePages(t *testing.T, p *Printer) ui.Prepared {
	t.Helper()
	e := demoEnv(t)
	for _, s := range e.Samples {
		for _, year := range []int{2025, 2024, 2026, 2023} {
			j := job(t, e, s, documents.YearlyStatement, "en")
			j.Year = year
			prep, err := p.Prepare(j)
			if err != nil {
				t.Fatal(err)
			}
			if prep.Pages() >= 3 {
				return prep
			}
			prep.Discard()
		}
	}
	t.Fatal("no demo statement has three pages")
	return nil
}

// The preview draws any page of a document, through pipes, when asked: three pages of a real
// yearly statement, each its own picture, none past the last; the pictures are kept (at most
// three) and zeroed with the document.
func TestPreviewDrawsEveryPage(t *testing.T) {
	needPoppler(t)
	p := &Printer{CaseFile: demoEnv(t).Cache, Now: func() time.Time { return at }}
	prep := threePages(t, p)
	d := prep.(*prepared)
	var pics []*image.RGBA
	for n := 1; n <= prep.Pages(); n++ {
		start := time.Now()
		img := prep.Page(n)
		took := time.Since(start)
		if img == nil {
			t.Fatalf("page %d of %d: no picture", n, prep.Pages())
		}
		if n > 1 { // page 1 was drawn by Prepare
			t.Logf("page %d of %d drawn in %d ms", n, prep.Pages(), took.Milliseconds())
		}
		rgba := img.(*image.RGBA)
		if b := rgba.Bounds(); b.Dx() != 1020 || b.Dy() != 1320 {
			t.Errorf("page %d is %v, want Letter at 120 dpi", n, b)
		}
		for i, other := range pics {
			if bytes.Equal(other.Pix, rgba.Pix) {
				t.Errorf("page %d is the same picture as page %d", n, i+1)
			}
		}
		if n <= 3 {
			pics = append(pics, rgba)
		}
	}
	if again := prep.Page(2); again != image.Image(pics[1]) {
		t.Error("page 2 was drawn anew rather than kept")
	}
	for _, n := range []int{0, -1, prep.Pages() + 1} {
		if prep.Page(n) != nil {
			t.Errorf("a picture of page %d of %d", n, prep.Pages())
		}
	}
	d.mu.Lock()
	kept := len(d.pics)
	d.mu.Unlock()
	if kept > keptPages {
		t.Errorf("%d pictures kept, want at most %d", kept, keptPages)
	}
	prep.Discard()
	for i, pic := range pics { // kept or forgotten, every picture drawn is zeroed
		if !allZero(pic.Pix) || len(d.pics) != 0 {
			t.Errorf("page %d outlived Discard", i+1)
		}
	}
	if prep.Page(1) != nil || prep.Page(3) != nil {
		t.Error("a picture after Discard")
	}
}

// The preview reads pdftoppm's raw PPM: a well-formed page becomes its pixels; anything else,
// a truncated page included, is refused (the preview then has no picture).
func TestDecodePPM(t *testing.T) {
	img, err := decodePPM([]byte("P6\n# pdftoppm\n2 1\n255\n\x01\x02\x03\xfa\xfb\xfc"))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 2 || b.Dy() != 1 || !bytes.Equal(img.Pix, []byte{1, 2, 3, 255, 0xfa, 0xfb, 0xfc, 255}) {
		t.Fatalf("decoded %v %v", img.Bounds(), img.Pix)
	}
	for _, bad := range []string{"", "P6", "P3\n1 1\n255\n1 2 3", "P6\n2 1\n255\n\x01\x02\x03", "P6\n1 1\n65535\n\x00\x00\x00\x00\x00\x00",
		"P6\n-1 1\n255\n", "P6\n99999 99999\n255\n"} {
		if _, err := decodePPM([]byte(bad)); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

// The day's summary is made from the kiosk's own counts: on the roll, the counts beside their
// labels, the office named, no participant's name or ID.
func TestPrepareDaySummary(t *testing.T) {
	needPoppler(t)
	e := demoEnv(t)
	s := sampleOf(t, e, "both")
	for _, action := range []string{"signin", "signin", "signin_failed"} {
		if err := e.Cache.Send(domain.SendAudit, domain.AuditEvent{At: at.Add(-time.Hour), Action: action}); err != nil {
			t.Fatal(err)
		}
	}
	a, err := e.Cache.Activity(at.Add(-10*time.Hour), at)
	if err != nil {
		t.Fatal(err)
	}
	j := job(t, e, s, documents.KioskDay, "es")
	j.Participant, j.Activity = domain.Participant{}, a
	p := &Printer{CaseFile: e.Cache, Now: func() time.Time { return at }}
	prep, err := p.Prepare(j)
	if err != nil {
		t.Fatal(err)
	}
	defer prep.Discard()
	d := prep.(*prepared)
	if !d.doc.Kind.OnRoll() || prep.Page(1) == nil {
		t.Fatalf("kind %s: on the roll %v, preview %v", d.doc.Kind, d.doc.Kind.OnRoll(), prep.Page(1) != nil)
	}
	got := strings.Join(strings.Fields(text(t, d.doc.Bytes)), " ")
	l := j.Lang
	office, _ := e.Cache.Office()
	for _, w := range []string{l.T("doc.title.day"), l.T("doc.day.signins") + " 2", l.T("doc.day.errors") + " 1", office.Name} {
		if !strings.Contains(got, w) {
			t.Errorf("%q missing from:\n%s", w, got)
		}
	}
	pt, _ := e.Cache.FindParticipant(s.Participant)
	if strings.Contains(got, pt.Name) || strings.Contains(got, s.Participant[len(s.Participant)-4:]) {
		t.Errorf("the day's summary names a participant:\n%s", got)
	}
}
