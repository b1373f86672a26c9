package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/pdf"
	"childsupportkiosk/app/printing"
	"childsupportkiosk/assets"
)

// The statement and print commands register themselves beside main.go's.
func init() {
	commands["statement"] = statementCmd
	commands["print"] = printCmd
	commands["today"] = todayCmd
}

// todayCmd writes the day's summary slip (what the staff screen prints): the kiosk's counts of
// sign-ins, prints and errors from the office's midnight to now, or of a whole past day.
func todayCmd(e *env) func() error {
	date := e.fs.String("date", "", "a past day, YYYY-MM-DD (default: today, up to now)")
	lang := e.fs.String("lang", "", "language: en, es, fr, ko, tl, vi, zh-Hans or zh-Hant (default: the agency's)")
	out := e.fs.String("out", "", "PDF file to write")
	return func() error {
		e.lang = *lang
		if *out == "" {
			return usageError("--out is required")
		}
		c, m, err := e.openMaker(*lang)
		if err != nil {
			return err
		}
		defer c.Close()
		loc := location(m.Profile)
		now := m.Now().In(loc)
		from := domain.DateOf(now).Time(loc)
		to := now
		if *date != "" {
			d, err := time.ParseInLocation("2006-01-02", *date, loc)
			if err != nil || d.After(now) {
				return usageError("--date must be a day such as 2025-03-10, today or before")
			}
			if from, to = d, d.AddDate(0, 0, 1).Add(-time.Second); to.After(now) {
				to = now
			}
		}
		a, err := c.Activity(from, to)
		if err != nil {
			return err
		}
		doc, err := m.Make(c, documents.Job{Kind: documents.KioskDay, Profile: m.Profile, Lang: m.Lang, Activity: a})
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, doc.Bytes, 0o600); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote the summary of %s (%d bytes) to %s\n", from.Format("2006-01-02"), len(doc.Bytes), *out)
		return c.Send(domain.SendAudit, domain.AuditEvent{At: time.Now().UTC(), Kiosk: kioskID(c),
			Action: "export_" + string(documents.KioskDay), Detail: from.Format("2006-01-02")})
	}
}

// statementCmd writes a participant's yearly statement (Print By Year), or a monthly one, to a
// PDF file.
func statementCmd(e *env) func() error {
	participant := e.fs.String("participant", "", "participant ID or SSN (digits)")
	year := e.fs.Int("year", time.Now().Year()-1, "calendar year of the statement")
	month := e.fs.Int("month", 0, "month 1-12: the monthly statement of that month of --year instead")
	lang := e.fs.String("lang", "", "language: en, es, fr, ko, tl, vi, zh-Hans or zh-Hant (default: the agency's)")
	out := e.fs.String("out", "", "PDF file to write")
	return func() error {
		e.lang = *lang
		if *participant == "" || *out == "" {
			return usageError("--participant and --out are required")
		}
		if *year < 1900 || *year > 9999 {
			return usageError("--year must be a year such as 2024")
		}
		if *month < 0 || *month > 12 {
			return usageError("--month must be a month from 1 to 12")
		}
		c, m, err := e.openMaker(*lang)
		if err != nil {
			return err
		}
		defer c.Close()
		r, err := domain.ReadRecords(c, domain.Digits(*participant))
		if errors.Is(err, domain.ErrNotFound) {
			return sentence{"no participant with that ID or SSN in this kiosk's cache", err}
		} else if err != nil {
			return err
		}
		// The same path as the screens' Print: the domain's privacy rules hold here too.
		job := documents.Job{Kind: documents.YearlyStatement, Profile: m.Profile, Lang: m.Lang,
			Participant: r.Participant, Year: *year}
		period := strconv.Itoa(*year)
		if *month != 0 {
			job.Kind, job.Month, period = documents.MonthlyStatement, time.Month(*month), fmt.Sprintf("%d-%02d", *year, *month)
		}
		doc, err := m.Make(c, job)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, doc.Bytes, 0o600); err != nil {
			return err
		}
		// The statement holds personal data: say where it went, never what it says.
		fmt.Fprintf(e.stdout, "wrote the %s statement (%d bytes) to %s\n", period, len(doc.Bytes), *out)
		return c.Send(domain.SendAudit, domain.AuditEvent{At: time.Now().UTC(), Kiosk: kioskID(c),
			Action:  "export_" + string(job.Kind),
			Subject: c.AuditSubject(r.Participant.ID), Detail: period})
	}
}

// printCmd prints a PDF file on a named CUPS queue and follows the job to its end.
func printCmd(e *env) func() error {
	printer := e.fs.String("printer", "", "CUPS queue name")
	media := e.fs.String("media", printing.LetterMedia, "media keyword ("+printing.ReceiptMedia+" for the receipt roll)")
	timeout := e.fs.Duration("timeout", 3*time.Minute, "how long to wait for the printer")
	file := e.fs.String("file", "", "the PDF file to print")
	return func() error {
		if *file == "" && e.fs.NArg() == 1 {
			*file = e.fs.Arg(0)
		}
		if *file == "" {
			return usageError("give the PDF file to print: kioskctl print --printer NAME FILE.pdf")
		}
		if *printer == "" {
			return usageError("--printer NAME is required")
		}
		b, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		p := &printing.Printer{Config: printing.Config{Timeout: *timeout}}
		end := p.Submit(e.ctx, *printer, *media, "kioskctl print", b, func(ev printing.Event) {
			fmt.Fprintf(e.stdout, "%s", ev.State)
			if ev.Job != 0 {
				fmt.Fprintf(e.stdout, " (job %d)", ev.Job)
			}
			fmt.Fprintln(e.stdout)
		})
		c, err := e.open()
		if err == nil {
			_ = c.Send(domain.SendAudit, domain.AuditEvent{At: time.Now().UTC(), Kiosk: kioskID(c), Action: "print_file",
				Detail: string(end.State) + ":" + string(end.Reason)})
			c.Close()
		}
		if end.State != printing.Completed {
			// In words first (the translations' English), then the printer's own code for IT.
			if cat, err := i18n.Shipped(); err == nil && cat.Lang("en").Has(end.Key()) {
				first, _, _ := strings.Cut(cat.Lang("en").T(end.Key()), ". ")
				return fmt.Errorf("%s (%s)", strings.TrimSuffix(first, "."), end.Error())
			}
			return errors.New(end.Error())
		}
		return nil
	}
}

// makerFor builds the document maker for the cache's office and agency, in a language.
// openMaker opens the cache and the document maker of its agency in lang, after checking that
// lang's fonts are installed; the caller closes the cache.
func (e *env) openMaker(lang string) (*cache.Cache, pdf.Maker, error) {
	if err := pdf.CheckFonts(lang); err != nil {
		return nil, pdf.Maker{}, err
	}
	c, err := e.open()
	if err != nil {
		return nil, pdf.Maker{}, err
	}
	m, err := makerFor(c, lang)
	if err != nil {
		c.Close()
		return nil, pdf.Maker{}, err
	}
	return c, m, nil
}

func makerFor(c *cache.Cache, lang string) (pdf.Maker, error) {
	office, err := c.Office()
	if err != nil {
		return pdf.Maker{}, err
	}
	profile, err := assets.Profile(office.Agency)
	if err != nil {
		return pdf.Maker{}, err
	}
	cat, err := i18n.Shipped()
	if err != nil {
		return pdf.Maker{}, err
	}
	if lang == "" {
		lang = profile.DefaultLanguage
	}
	if !contains(cat.Languages(), lang) {
		return pdf.Maker{}, usageError(fmt.Sprintf("--lang %q: choose one of %v", lang, cat.Languages()))
	}
	return pdf.Maker{Profile: profile, Office: office, Lang: cat.Lang(lang), Now: time.Now}, nil
}

// kioskID is the enrolled kiosk's ID, for audit events.
func kioskID(c *cache.Cache) string {
	en, err := c.Enrolment()
	if err != nil {
		return ""
	}
	return en.Kiosk
}

func location(p domain.Profile) *time.Location {
	if loc, err := p.Location(); err == nil {
		return loc
	}
	return time.UTC
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
