package printing

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/pdf"
)

// These tests send real jobs to the CUPS scheduler that scripts/test-printers started, in the
// ways a kiosk ends a job (done, withdrawn at Quick Exit, out of time, canceled at CUPS, media
// missing, no such queue), and hold CUPS to two promises: the scheduler is the same process
// afterwards, and its spool keeps nothing of the job.

// TestMain fails the package when the scheduler it printed through died or was replaced while
// its tests ran (CUPS 2.4.2 crashed on the kiosk's Cancel-Job; see jobUser).
func TestMain(m *testing.M) {
	before := os.Getenv("KIOSK_TEST_CUPSD_PID")
	code := m.Run()
	if before != "" {
		if now := cupsdPID(); now != before {
			fmt.Fprintf(os.Stderr, "FAIL: the CUPS scheduler was process %s before the printing tests and is %q after them\n", before, now)
			code = 1
		}
	}
	os.Exit(code)
}

// cupsdPID is the process ID of the running CUPS scheduler, "" when none runs.
func cupsdPID() string {
	out, err := exec.Command("pgrep", "-o", "-x", "cupsd").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// schedulerAlive fails the test at once when the scheduler the suite began with is gone.
func schedulerAlive(t *testing.T) {
	t.Helper()
	want := os.Getenv("KIOSK_TEST_CUPSD_PID")
	if want == "" {
		return
	}
	if got := cupsdPID(); got != want {
		t.Fatalf("the CUPS scheduler (process %s) is gone after this test: now %q", want, got)
	}
}

// heldQueue is the test queue that holds every job it takes, so a job stays unfinished.
func heldQueue(t *testing.T) string {
	t.Helper()
	testPrinters(t)
	q := os.Getenv("KIOSK_TEST_HELD_PRINTER")
	if q == "" {
		msg := "no held test queue: run scripts/test-printers again (it adds KioskTestHeld)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return q
}

// spoolKeepsNothing fails when CUPS's spool still holds the job's document or control file.
// The spool is readable by root only; elsewhere the check cannot be made and says so.
func spoolKeepsNothing(t *testing.T, job int) {
	t.Helper()
	if job == 0 {
		t.Fatal("no job number to look for")
	}
	const spool = "/var/spool/cups"
	if _, err := os.ReadDir(spool); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("cannot read CUPS's spool: %v", err)
		}
		t.Logf("cannot read CUPS's spool (%v): not checked", err)
		return
	}
	// The purge reaches the spool a moment after CUPS answers it.
	deadline := time.Now().Add(5 * time.Second)
	for {
		var left []string
		for _, name := range []string{fmt.Sprintf("d%05d-001", job), fmt.Sprintf("c%05d", job)} {
			if _, err := os.Stat(spool + "/" + name); err == nil {
				left = append(left, name)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("CUPS's spool still holds %v of job %d", left, job)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestSchedulerOutlivesEveryEnd prints through the real scheduler and ends each job a way a
// kiosk ends one; after each, the scheduler is the same process and keeps nothing of the job.
func TestSchedulerOutlivesEveryEnd(t *testing.T) {
	office, receipt, _, _ := testPrinters(t)
	held := heldQueue(t)
	doc := yearly(t)
	cfg := func(timeout time.Duration) Config {
		return Config{Office: office, Receipt: receipt, Timeout: timeout, Poll: 100 * time.Millisecond}
	}

	t.Run("completed", func(t *testing.T) {
		p := &Printer{Config: cfg(time.Minute)}
		end := p.Submit(context.Background(), office, LetterMedia, "kiosk test", doc.Bytes, nil)
		if end.State != Completed {
			t.Fatalf("end %+v, want completed", end)
		}
		schedulerAlive(t)
		spoolKeepsNothing(t, end.Job)
	})

	t.Run("withdrawn at Quick Exit", func(t *testing.T) {
		p := &Printer{Config: cfg(time.Minute)}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		end := p.Submit(ctx, held, LetterMedia, "kiosk test", doc.Bytes, func(e Event) {
			if e.State == Queued && e.Job != 0 {
				cancel() // the person touched Quick Exit while the job waited
			}
		})
		if end.State != Failed || end.Reason != Canceled {
			t.Fatalf("end %+v, want failed: canceled", end)
		}
		schedulerAlive(t)
		spoolKeepsNothing(t, end.Job)
		if st := jobState(t, end.Job); st != "" {
			t.Errorf("job %d still known to CUPS: %s", end.Job, st)
		}
	})

	t.Run("out of time", func(t *testing.T) {
		p := &Printer{Config: cfg(1500 * time.Millisecond)}
		end := p.Submit(context.Background(), held, LetterMedia, "kiosk test", doc.Bytes, nil)
		if end.State != Failed || end.Reason != TimedOut {
			t.Fatalf("end %+v, want failed: timeout", end)
		}
		schedulerAlive(t)
		spoolKeepsNothing(t, end.Job)
	})

	t.Run("canceled at CUPS", func(t *testing.T) {
		p := &Printer{Config: cfg(time.Minute)}
		end := p.Submit(context.Background(), held, LetterMedia, "kiosk test", doc.Bytes, func(e Event) {
			if e.State == Queued && e.Job != 0 {
				// Someone at CUPS cancels it, as the front desk might.
				if out, err := exec.Command("cancel", held+"-"+strconv.Itoa(e.Job)).CombinedOutput(); err != nil {
					t.Errorf("cancel: %v %s", err, out)
				}
			}
		})
		if end.State != Failed || end.Reason != Canceled {
			t.Fatalf("end %+v, want failed: canceled", end)
		}
		schedulerAlive(t)
		spoolKeepsNothing(t, end.Job)
	})

	t.Run("media missing", func(t *testing.T) {
		p := &Printer{Config: cfg(20 * time.Second)}
		end := p.Submit(context.Background(), receipt, LetterMedia, "kiosk test", doc.Bytes, nil)
		if end.State != Failed || end.Reason != MediaMissing {
			t.Fatalf("end %+v, want failed: media", end)
		}
		schedulerAlive(t)
	})

	t.Run("no such queue", func(t *testing.T) {
		p := &Printer{Config: cfg(20 * time.Second)}
		end := p.Submit(context.Background(), "NoSuchKioskQueue", LetterMedia, "kiosk test", doc.Bytes, nil)
		if end.State != Failed || end.Reason != NoSuchPrinter {
			t.Fatalf("end %+v, want failed: no_printer", end)
		}
		schedulerAlive(t)
	})
}

// jobState is what lpstat says of a job among all jobs CUPS remembers, "" when it knows none.
func jobState(t *testing.T, job int) string {
	t.Helper()
	out, _ := exec.Command("lpstat", "-W", "all", "-o").Output()
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasSuffix(f[0], "-"+strconv.Itoa(job)) {
			return line
		}
	}
	return ""
}

// TestWithdrawnUnderTheKiosksAccount: the kiosk submits and withdraws a job under the account
// it runs as, never under a name the scheduler may not know.
func TestWithdrawnUnderTheKiosksAccount(t *testing.T) {
	if jobUser() == "" {
		t.Skip("this process runs as no named account")
	}
	for _, c := range []struct {
		srv  server
		want error
	}{
		{server{socket: "/run/cups/cups.sock"}, nil},
		{server{host: "localhost:631"}, nil},
		{server{host: "127.0.0.1:8631"}, nil},
		{server{host: "[::1]:631"}, nil},
		{server{host: "printserver.example:631"}, errRemoteScheduler},
		{server{host: "192.0.2.7:631"}, errRemoteScheduler},
	} {
		// A remote scheduler is refused before anything is sent: the context is already done,
		// so a request that was sent would fail otherwise.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := newClient(c.srv, time.Second).cancelJob(ctx, "Q", 1, true)
		if c.want != nil && err != c.want {
			t.Errorf("%+v: %v, want %v", c.srv, err, c.want)
		}
		if c.want == nil && (err == errRemoteScheduler || err == errNoAccount) {
			t.Errorf("%+v: %v, want the cancel sent", c.srv, err)
		}
	}
}

// TestPrintsAgainWhenCUPSComesBack: while the scheduler is down a print fails as cups_down
// (said in the person's language, audited); once it is back at the same address the same
// Printer prints again, with nothing restarted.
func TestPrintsAgainWhenCUPSComesBack(t *testing.T) {
	up := fakeCUPS(t, []int{jobPending, jobCompleted}, 3, "none")
	addr := strings.TrimPrefix(up.URL, "http://")
	handler := up.Config.Handler
	up.Close() // the scheduler dies

	log := &auditLog{}
	p := &Printer{Config: Config{Office: "Q", Server: addr, Timeout: 10 * time.Second, Poll: 10 * time.Millisecond},
		Kiosk: "kiosk-7", Auditor: log}
	doc := jobOf(pdf.Document{Kind: documents.YearlyStatement, Bytes: []byte("%PDF-1.3")})
	end := p.Print(context.Background(), doc, nil)
	if end.State != Failed || end.Reason != CUPSDown {
		t.Fatalf("with CUPS down: %+v, want failed: cups_down", end)
	}
	if got := maker(t, "es").Lang.T(end.Key()); got == "" || got == end.Key() {
		t.Errorf("no Spanish text for %s: %q", end.Key(), got)
	}

	// The scheduler comes back on the same address.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s again: %v", addr, err)
	}
	back := httptest.NewUnstartedServer(handler)
	back.Listener.Close()
	back.Listener = ln
	back.Start()
	defer back.Close()
	if end := p.Print(context.Background(), doc, nil); end.State != Completed {
		t.Fatalf("after CUPS came back: %+v, want completed", end)
	}
	if len(log.events) != 2 || log.events[0].Detail != "failed:cups_down" || log.events[1].Detail != "completed" {
		t.Errorf("audit %+v, want failed:cups_down then completed", log.events)
	}
}
