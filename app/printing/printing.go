// Package printing sends the kiosk's PDFs to CUPS and follows each job to the printer's real
// outcome, reporting queued, printing, completed or failed with the reason, and audits every
// print without personal data.
package printing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"childsupportkiosk/app/domain"
)

// Default media: CUPS cancels a job whose media the printer lacks, so a job always names it.
const (
	LetterMedia  = "na_letter_8.5x11in"       // the office printer's Letter paper
	ReceiptMedia = "custom_80x297mm_80x297mm" // an 80 mm receipt roll, as CUPS names it
)

// Config names the office's two CUPS queues and their media.
type Config struct {
	Office       string // queue for full pages (statements, coupons); empty: none
	Receipt      string // queue for the 80 mm roll (receipts, PIN slips); empty: none
	OfficeMedia  string // default LetterMedia
	ReceiptMedia string // default ReceiptMedia
	// Server is CUPS's address, "host:port" or a socket path. Empty: the CUPS_SERVER
	// environment variable, then the local socket, then localhost:631.
	Server  string
	Timeout time.Duration // how long a job may take from submission to its end; default 3 min
	Poll    time.Duration // how often the job is looked at; default 500 ms
}

// State is where a print job stands.
type State string

// States reported as events.
const (
	Ready     State = "ready"     // from Check: the printer can print now
	Queued    State = "queued"    // CUPS holds the job; the printer has not started it
	Printing  State = "printing"  // the printer is working on it
	Completed State = "completed" // the printer says it printed
	Failed    State = "failed"    // it did not print; Reason says why
)

// Reason is why a print failed. Its value is the end of a translation key, "print.failed.<reason>".
type Reason string

// Reasons a print fails.
const (
	NotConfigured Reason = "not_configured" // no queue set for this kind of document
	NoSuchPrinter Reason = "no_printer"     // CUPS has no queue of that name
	CUPSDown      Reason = "cups_down"      // CUPS cannot be reached
	Stopped       Reason = "stopped"        // the queue or printer is stopped or refuses jobs
	MediaMissing  Reason = "media"          // the printer lacks the media, or ran out of it
	Canceled      Reason = "canceled"       // someone canceled the job
	TimedOut      Reason = "timeout"        // no end state in time; the job was canceled
	OtherFailure  Reason = "other"          // the printer aborted the job
)

// Event is a step in a print job's life. Message is the printer's own words (for staff; it
// never holds personal data, since the job carries none in its attributes).
type Event struct {
	State   State
	Reason  Reason // set when State is Failed
	Job     int    // CUPS job ID, once there is one
	Queue   string
	Message string
}

// Key is the translation key of what to tell the person at the kiosk (the screens translate it).
func (e Event) Key() string {
	if e.State == Failed {
		return "print.failed." + string(e.Reason)
	}
	return "print." + string(e.State)
}

// Done reports whether the job has reached its end.
func (e Event) Done() bool { return e.State == Completed || e.State == Failed }

// Error makes a failed event usable as an error (its text holds no personal data).
func (e Event) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("print %s: %s (%s)", e.State, e.Reason, e.Message)
	}
	return fmt.Sprintf("print %s: %s", e.State, e.Reason)
}

// Auditor records that something was printed. The cache's outbox implements it (through an
// adapter in cmd/ or the UI) so the event reaches the case server. It receives no personal
// data: the kind of document, the kiosk, the time and the outcome.
type Auditor interface {
	Audit(domain.AuditEvent) error
}

// AuditFunc makes a function an Auditor.
type AuditFunc func(domain.AuditEvent) error

// Audit calls f.
func (f AuditFunc) Audit(e domain.AuditEvent) error { return f(e) }

// Printer prints the kiosk's documents through CUPS.
type Printer struct {
	Config  Config
	Kiosk   string           // kiosk ID, for audit events
	Auditor Auditor          // may be nil in tools; the kiosk always sets it
	Now     func() time.Time // clock for audit events; default time.Now
}

// Paper is the printer a document goes to: the office's Letter printer or the receipt roll.
type Paper int

const (
	OfficePaper Paper = iota // Config.Office, Letter
	RollPaper                // Config.Receipt, the 80 mm roll
)

// Job is a document to print. Kind names it (a document kind such as "yearly_statement") in the
// job's title and the audit, and holds no personal data. Subject, if set, is the participant's
// blind-index token (never the participant ID itself), so the audit trail can tell whose
// statement was printed.
type Job struct {
	Kind    string
	Paper   Paper
	PDF     []byte
	Subject string
	Staff   string // staff ID when staff print for someone
}

// Print sends a document to the queue for its kind (Letter or the receipt roll) and follows it
// to its end, calling events (if not nil) at each change of state. It returns the final event:
// Completed only when CUPS says the printer finished the job. A job that fails or runs out of
// time is canceled, so pages never come out after the person has gone. Every print is audited.
func (p *Printer) Print(ctx context.Context, j Job, events func(Event)) Event {
	queue, media := p.target(j.Paper)
	end := p.Submit(ctx, queue, media, "kiosk "+j.Kind, j.PDF, events)
	p.audit(j, end)
	return end
}

func (p *Printer) audit(j Job, end Event) {
	if p.Auditor == nil {
		return
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	detail := string(end.State)
	if end.State == Failed {
		detail += ":" + string(end.Reason)
	}
	// An audit failure must not turn a printed page into an error for the person; the outbox
	// is local and only fails when the cache itself is broken, which the kiosk reports elsewhere.
	_ = p.Auditor.Audit(domain.AuditEvent{At: now().UTC(), Kiosk: p.Kiosk, Action: "print_" + j.Kind,
		Subject: j.Subject, Staff: j.Staff, Detail: detail})
}

// Submit prints a PDF on a named queue with the given media and follows the job to its end.
// The job's title must hold no personal data: CUPS keeps it in its job history.
func (p *Printer) Submit(ctx context.Context, queue, media, title string, doc []byte, events func(Event)) Event {
	emit := func(e Event) Event {
		e.Queue = queue
		if events != nil {
			events(e)
		}
		return e
	}
	fail := func(r Reason, job int, msg string) Event {
		return emit(Event{State: Failed, Reason: r, Job: job, Message: msg})
	}
	if strings.TrimSpace(queue) == "" {
		return fail(NotConfigured, 0, "")
	}
	if media == "" {
		media = LetterMedia
	}
	timeout := p.Config.Timeout
	if timeout <= 0 {
		timeout = 3 * time.Minute
	}
	poll := p.Config.Poll
	if poll <= 0 {
		poll = 500 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := newClient(resolveServer(p.Config.Server), 5*time.Second)

	// Before sending anything: is there such a printer, does it take jobs, has it the media?
	if e, ok := preflight(ctx, c, queue, media); !ok {
		return emit(e)
	}

	pj, err := c.printJob(ctx, queue, media, title, doc)
	if err != nil {
		return fail(CUPSDown, 0, "")
	}
	switch {
	case pj.status == statusNotFound:
		return fail(NoSuchPrinter, 0, "")
	case pj.status == statusNotAccepting || pj.status == statusNotPossible:
		return fail(Stopped, 0, pj.str("status-message"))
	case pj.status == statusAttrUnsupported:
		return fail(MediaMissing, 0, pj.str("status-message"))
	case pj.status >= 0x0400:
		return fail(OtherFailure, 0, fmt.Sprintf("IPP status 0x%04x", pj.status))
	}
	job := pj.int("job-id")
	if job == 0 {
		return fail(OtherFailure, 0, "no job id")
	}
	// From here on, a job that does not finish is canceled: a statement must not come out of
	// the printer after its owner has walked away. And whatever the end, the job is purged:
	// CUPS would otherwise keep the document (personal data) in its spool for a day.
	defer func() {
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ccancel()
		_ = c.cancelJob(cctx, queue, job, true)
	}()
	last := State("")
	report := func(s State, msg string) {
		if s != last {
			last = s
			emit(Event{State: s, Job: job, Message: msg})
		}
	}
	report(Queued, "")
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		ja, err := c.jobAttributes(ctx, queue, job)
		if err != nil {
			if ctx.Err() != nil {
				return fail(ended(ctx), job, "")
			}
			return fail(CUPSDown, job, "")
		}
		msg := ja.str("job-printer-state-message")
		switch ja.int("job-state") {
		case jobCompleted:
			return emit(Event{State: Completed, Job: job, Message: msg})
		case jobCanceled, jobAborted:
			return fail(jobFailure(ja), job, msg)
		case jobProcessing:
			report(Printing, msg)
		case jobStopped:
			return fail(Stopped, job, msg)
		case jobPending, jobHeld:
			report(Queued, msg)
		}
		// While the job waits, the printer may be stopped, out of paper or gone.
		if pa, err := c.printerAttributes(ctx, queue); err == nil {
			if r, pmsg, bad := printerTrouble(pa); bad {
				return fail(r, job, pmsg)
			}
		}
		select {
		case <-ctx.Done():
			return fail(ended(ctx), job, msg)
		case <-tick.C:
		}
	}
}

// ended is why a job's context ended: its time ran out, or the kiosk withdrew it (the person
// left with Quick Exit or was signed out), which cancels the job like someone at CUPS would.
func ended(ctx context.Context) Reason {
	if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		return TimedOut
	}
	return Canceled
}

// preflight asks CUPS whether a queue exists, takes jobs and has the media; ok is false with a
// Failed event when it cannot print.
func preflight(ctx context.Context, c *client, queue, media string) (e Event, ok bool) {
	fail := func(r Reason, msg string) (Event, bool) {
		return Event{State: Failed, Reason: r, Queue: queue, Message: msg}, false
	}
	pa, err := c.printerAttributes(ctx, queue)
	switch {
	case err != nil:
		return fail(CUPSDown, "")
	case pa.status == statusNotFound:
		return fail(NoSuchPrinter, "")
	case pa.status >= 0x0400:
		return fail(OtherFailure, fmt.Sprintf("IPP status 0x%04x", pa.status))
	}
	if r, msg, bad := printerTrouble(pa); bad {
		return fail(r, msg)
	}
	if ms := pa.strs("media-supported"); len(ms) > 0 && !slices.Contains(ms, media) {
		return fail(MediaMissing, "media "+media+" not supported")
	}
	return Event{State: Ready, Queue: queue, Message: pa.str("printer-state-message")}, true
}

// Check tells, without printing, whether the printer of a paper can print now: a Ready event,
// or a Failed one with the reason. Staff screens show it; the kiosk may hide a print button
// that cannot work.
func (p *Printer) Check(ctx context.Context, paper Paper) Event {
	queue, media := p.target(paper)
	if strings.TrimSpace(queue) == "" {
		return Event{State: Failed, Reason: NotConfigured}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	e, _ := preflight(ctx, newClient(resolveServer(p.Config.Server), 5*time.Second), queue, media)
	return e
}

// Configured reports whether a queue is set for a paper: without one, a print on it fails as
// not_configured.
func (p *Printer) Configured(paper Paper) bool {
	queue, _ := p.target(paper)
	return strings.TrimSpace(queue) != ""
}

// target is the queue and media of a paper.
func (p *Printer) target(paper Paper) (queue, media string) {
	queue, media = p.Config.Office, p.Config.OfficeMedia
	if paper == RollPaper {
		queue, media = p.Config.Receipt, p.Config.ReceiptMedia
		if media == "" {
			media = ReceiptMedia
		}
	} else if media == "" {
		media = LetterMedia
	}
	return queue, media
}

// printerTrouble tells from a printer's attributes whether a job cannot print now.
func printerTrouble(pa response) (Reason, string, bool) {
	msg := pa.str("printer-state-message")
	for _, r := range pa.strs("printer-state-reasons") {
		r = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(r, "-error"), "-warning"), "-report")
		switch {
		case strings.HasPrefix(r, "media-empty"), strings.HasPrefix(r, "media-needed"):
			return MediaMissing, msg, true
		}
	}
	if pa.int("printer-state") == printerStopped {
		return Stopped, msg, true
	}
	if v := pa.attrs["printer-is-accepting-jobs"]; len(v) > 0 && v[0].int() == 0 {
		return Stopped, msg, true
	}
	return "", "", false
}

// jobFailure tells why a canceled or aborted job failed.
func jobFailure(ja response) Reason {
	all := strings.ToLower(strings.Join(append(ja.strs("job-state-reasons"), ja.str("job-printer-state-message")), " "))
	switch {
	case strings.Contains(all, "media"), strings.Contains(all, "supplied options"):
		return MediaMissing
	case strings.Contains(all, "canceled-by-user"), strings.Contains(all, "canceled-by-operator"):
		return Canceled
	case ja.int("job-state") == jobCanceled:
		return Canceled
	}
	return OtherFailure
}
