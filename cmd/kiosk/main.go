// Command kiosk runs the child support office kiosk on an enrolled cache (--data). Built with
// -tags demo (scripts/demo), it also starts on generated demo data served in-process on
// loopback (--demo); the lobby's own build holds no case server and no demo generator.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"fyne.io/fyne/v2"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/config"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/pdf"
	"childsupportkiosk/app/printing"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/app/ui"
	"childsupportkiosk/app/ui/uiprint"
	"childsupportkiosk/assets"
	_ "childsupportkiosk/cmd/kiosk/internal/posixlocale" // before Fyne reads the locale
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/syncstate"
)

func main() {
	// A kiosk runs for days: the heap profiler's record of allocation sites, on by default in
	// every Go program, would only grow. The soak (app/ui) runs the same way.
	runtime.MemProfileRate = 0
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		os.Exit(1)
	}
}

// options are the command line's flags, with what the settings file (--config) gives for
// those not on the command line.
type options struct {
	demo, fullscreen, large, contrast, hideCursor, noSpeech bool
	dataDir, keyFile, lang, cfgPath                         string
	queue, receiptQueue, cups                               string
	every, withdrawAfter                                    time.Duration
	speechRate                                              int
}

// kiosk is one run of the program: its options and settings, and what it opened. run wires
// them: the cache (or the demo's), the locked start of day, the out-of-service screen, and
// the screens with their session manager, printers, speech and background sync.
type kiosk struct {
	opt     options
	cfg     *config.Config // nil without --config
	level   slog.Level
	catalog *i18n.Catalog
	logger  *slog.Logger

	store       *cache.Cache
	syncer      *client.Client
	progress    chan syncstate.Progress // the sync client's progress, for the staff status screen
	demo        []ui.DemoLogin
	demoStaff   []ui.DemoLogin
	demoRun     *demoKiosk // the demo's, with --demo (demo.go)
	cleanup     func()
	lockedStart bool
	withdrawn   *time.Time // the case server withdrew this kiosk then, and its cache is wiped

	app fyne.App
	w   fyne.Window
	k   *ui.Kiosk
}

func run() error {
	m := &kiosk{level: slog.LevelWarn, cleanup: func() {}, progress: make(chan syncstate.Progress, 1)}
	m.parseFlags()
	var err error
	if m.catalog, err = i18n.Shipped(); err != nil {
		return err
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	if m.opt.demo == (m.opt.dataDir != "") {
		flag.Usage()
		return errors.New("give either --demo or --data DIR")
	}
	release, err := oneInstance(m.opt.demo, m.opt.dataDir)
	if err != nil {
		return err
	}
	defer release()
	m.logger = newLogger(os.Stderr, m.level)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	if err := m.open(ctx); err != nil {
		return err
	}
	defer func() { m.cleanup() }()

	// Ctrl-C or a service stop still removes a demo's temporary files.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		stop()
		m.cleanup()
		os.Exit(0)
	}()

	m.window()
	switch {
	case m.withdrawn != nil:
		return m.runOutOfService()
	case m.lockedStart:
		return m.runLocked(ctx)
	}
	if err := m.begin(ctx); err != nil {
		return err
	}
	m.w.ShowAndRun()
	return nil
}

// parseFlags reads the command line into m.opt.
func (m *kiosk) parseFlags() {
	o := &m.opt
	flag.BoolVar(&o.demo, "demo", false, "start with generated demo data served in-process on loopback")
	flag.StringVar(&o.dataDir, "data", "", "directory of the enrolled, encrypted cache")
	flag.StringVar(&o.keyFile, "key", "", "a plain key file of the cache, for the demo and tests (default: what the cache is locked by: the TPM, a passphrase, or the key file in the data directory)")
	flag.BoolVar(&o.fullscreen, "fullscreen", false, "fill the screen (the kiosk itself)")
	flag.StringVar(&o.lang, "lang", "", "language to start in (en, es, fr)")
	flag.BoolVar(&o.large, "large-text", false, "start in large-text mode")
	flag.BoolVar(&o.contrast, "high-contrast", false, "start in high-contrast mode")
	flag.StringVar(&o.queue, "printer", "", "CUPS queue of the office printer for Print Page and Print By Year (none: the screen points to the front desk)")
	flag.StringVar(&o.receiptQueue, "receipt-printer", "", "CUPS queue of the 80 mm receipt printer (receipts, PIN slips, sign-in cards)")
	flag.StringVar(&o.cups, "cups", "", "CUPS server, host:port or socket (default: CUPS_SERVER, then the local one)")
	flag.DurationVar(&o.every, "sync-every", 5*time.Minute, "how often to sync with the case server")
	flag.BoolVar(&o.hideCursor, "hide-cursor", false, "hide the mouse pointer (touch screens)")
	flag.BoolVar(&o.noSpeech, "no-speech", false, "no Listen button (spoken guidance through espeak-ng)")
	flag.StringVar(&o.cfgPath, "config", "", "the office's settings file (TOML; see docs/kiosk.example.toml); flags given override it")
	flag.DurationVar(&o.withdrawAfter, "demo-withdraw-after", 0, "demo only: have the demo's case server withdraw this kiosk after this long, to see the out-of-service screen")
	flag.Parse()
}

// loadConfig reads the settings file, when --config names one: what it sets stands for each
// flag not given on the command line.
func (m *kiosk) loadConfig() error {
	o := &m.opt
	if o.cfgPath == "" {
		return nil
	}
	checks := config.Checks{Profile: assets.Profile, Languages: m.catalog.Languages()}
	c, err := config.Load(o.cfgPath, checks)
	if err != nil {
		return err
	}
	c.Override(os.Getenv)
	if err := c.Recheck(checks); err != nil {
		return err
	}
	m.cfg = &c
	given := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
	apply := func(name string, set func()) {
		if !given[name] {
			set()
		}
	}
	if !o.demo {
		apply("data", func() { o.dataDir = c.DataDir })
	}
	apply("fullscreen", func() { o.fullscreen = c.Kiosk.Fullscreen })
	apply("lang", func() { o.lang = c.Languages.Default })
	apply("large-text", func() { o.large = c.Display.LargeText })
	apply("high-contrast", func() { o.contrast = c.Display.HighContrast })
	apply("printer", func() { o.queue = c.Printers.Office })
	apply("receipt-printer", func() { o.receiptQueue = c.Printers.Receipt })
	apply("sync-every", func() { o.every = c.SyncEvery() })
	apply("hide-cursor", func() { o.hideCursor = c.Kiosk.HideCursor })
	apply("no-speech", func() { o.noSpeech = c.Speech.Off })
	o.speechRate = c.Speech.Rate
	m.level = c.Level()
	return nil
}

// open opens what the kiosk serves from: the demo's cache, or the enrolled cache with the key
// it is locked by. A cache locked by an office passphrase is opened later, at the start of day
// (lockedStart); a kiosk the case server withdrew has nothing to open (withdrawn).
func (m *kiosk) open(ctx context.Context) error {
	o := m.opt
	if o.demo {
		d, err := startDemo(ctx, m.logger)
		if err != nil {
			return err
		}
		m.cleanup = d.close
		m.store, m.syncer, m.demo, m.demoStaff, m.progress, m.demoRun = d.store, d.syncer, d.logins, d.staff, d.progress, d
		return nil
	}
	kind, err := cache.KeyKind(o.dataDir)
	if err != nil {
		m.withdrawn, err = startsWithdrawn(o.dataDir, err)
		return err
	}
	if kind == seal.KindPassphrase && o.keyFile == "" {
		// Enrolled with an office passphrase: the kiosk starts locked and opens the cache when
		// a supervisor types it (begin runs then).
		if m.cfg != nil && m.cfg.Key.Source != config.KeyPassphrase {
			_, err := keySource(o.dataDir, kind, "", m.cfg, m.logger)
			return err
		}
		m.lockedStart = true
		return nil
	}
	key, err := keySource(o.dataDir, kind, o.keyFile, m.cfg, m.logger)
	if err != nil {
		return err
	}
	opened := time.Now()
	if m.store, m.syncer, err = m.openData(key); err != nil {
		return err
	}
	m.logger.Info("cache opened", "key", kind, "ms", time.Since(opened).Milliseconds())
	store := m.store
	m.cleanup = func() { store.Close() }
	return nil
}

// window makes the Fyne app and its one window, titled with the agency's name when the
// settings name the agency.
func (m *kiosk) window() {
	title := m.catalog.Lang(m.catalog.Languages()[0]).T("ui.locked.title")
	if m.cfg != nil {
		if p, err := assets.Profile(m.cfg.Profile); err == nil {
			title = m.catalog.Lang(p.DefaultLanguage).T(p.NameKey)
		}
	}
	m.app = newFyneApp(title) // no app ID, so no Fyne preferences: startup.go
	m.w = m.app.NewWindow(title)
	m.w.Resize(fyne.NewSize(1280, 800))
	m.w.SetFullScreen(m.opt.fullscreen)
	m.w.SetCloseIntercept(closeRequest(m.opt.fullscreen, m.logger, func() {
		if m.k != nil {
			m.k.Stop()
		}
	}, m.w.Close))
}

// profile is the agency profile the kiosk was enrolled for, with the office's settings
// applied; the settings file must name the same profile and server as the enrolment.
func (m *kiosk) profile(enr syncstate.Enrolment) (domain.Profile, error) {
	profile, err := assets.Profile(enr.Profile)
	if err != nil {
		return domain.Profile{}, err
	}
	// The fonts of the languages offered, on screen and paper: Chinese and Korean come from
	// Debian packages, and a missing one stops the kiosk here, naming the package.
	if err := pdf.CheckFonts(profile.Languages...); err != nil {
		return domain.Profile{}, err
	}
	if cfg := m.cfg; cfg != nil {
		if cfg.Profile != enr.Profile {
			return domain.Profile{}, fmt.Errorf("%s: profile %q, but this kiosk was enrolled for %q", m.opt.cfgPath, cfg.Profile, enr.Profile)
		}
		if cfg.Server != "" && cfg.Server != enr.Server {
			return domain.Profile{}, fmt.Errorf("%s: server_url %s, but this kiosk was enrolled with %s (re-enrol to move it)", m.opt.cfgPath, cfg.Server, enr.Server)
		}
		profile = cfg.Apply(profile)
	}
	return profile, nil
}

// begin builds the kiosk's screens on the open cache and starts the background sync.
func (m *kiosk) begin(ctx context.Context) error {
	o, store := m.opt, m.store
	enr, err := store.Enrolment()
	if err != nil {
		return err
	}
	profile, err := m.profile(enr)
	if err != nil {
		return err
	}
	m.w.SetTitle(m.catalog.Lang(profile.DefaultLanguage).T(profile.NameKey))
	mgr, err := session.New(store, session.Config{Profile: profile, Kiosk: enr.Kiosk,
		VerifyPIN: seal.VerifyPIN, HashPIN: seal.HashPIN, Subject: store.AuditSubject,
		Attempts: m.syncer.Attempts(0)}) // wrong PINs counted across the office's kiosks
	if err != nil {
		return err
	}

	// With either printer, both or none: the preview shows every page and says what prints
	// where from the queues set up (none: printing is not available here).
	if err := pdf.CheckFonts(); err != nil {
		return err
	}
	var printer ui.Printer = &uiprint.Printer{CaseFile: store, Subject: store.AuditSubject,
		Printer: &printing.Printer{Config: printerConfig(m.cfg, o.queue, o.receiptQueue, o.cups), Kiosk: enr.Kiosk,
			Auditor: printing.AuditFunc(func(e domain.AuditEvent) error { return store.Send(domain.SendAudit, e) })}}

	if !o.demo {
		if err := forgetWithdrawn(o.dataDir); err != nil { // enrolled again since
			m.logger.Warn("a stale out-of-service note stays", "error", err.Error())
		}
	}
	m.k, err = ui.New(measureStart(m.app, m.w, os.Stdout), ui.Options{Sessions: mgr, Catalog: m.catalog, Printer: printer,
		Demo: m.demo, DemoStaff: m.demoStaff, Language: o.lang, Large: o.large, Contrast: o.contrast, Tick: time.Second,
		HideCursor: o.hideCursor, KioskID: enr.Kiosk, Speaker: speaker(o.noSpeech, o.speechRate, m.logger),
		Syncer: ui.SyncWith{Store: store, Client: m.syncer}, SyncProgress: m.progress,
		OutOfService: func(at time.Time) {
			m.logger.Error("kiosk out of service: withdrawn by the case server, cache wiped", "kiosk", enr.Kiosk)
			if !o.demo {
				if err := noteWithdrawn(o.dataDir, at); err != nil {
					m.logger.Error("the out-of-service note could not be written", "error", err.Error())
				}
			}
		}})
	if err != nil {
		return err
	}
	// Sync in the background, once the kiosk is up to hear a withdrawal: it serves from its
	// cache whether or not a sync succeeds.
	logged := logSync(ctx, m.logger)
	k := m.k
	done := func(r syncstate.Result, err error) { logged(r, err); k.SyncOutcome(r, err) }
	go m.syncer.Run(ctx, o.every, done)
	if m.demoRun != nil && o.withdrawAfter > 0 {
		m.demoRun.withdraw(ctx, o.withdrawAfter, m.logger, done)
	}
	m.logger.Info("kiosk started", "kiosk", enr.Kiosk, "profile", profile.ID, "demo", o.demo,
		"fullscreen", o.fullscreen, "hide_cursor", o.hideCursor, "sync_every", o.every.String(), "locked_start", m.lockedStart)
	return nil
}

// runOutOfService shows that the case server withdrew the kiosk and wiped it: nothing to
// unlock or sign in to until IT enrols it again.
func (m *kiosk) runOutOfService() error {
	o := ui.OutOfServiceOptions{Catalog: m.catalog, At: *m.withdrawn}
	if m.cfg != nil {
		if p, err := assets.Profile(m.cfg.Profile); err == nil {
			o.Languages = p.Languages
			o.Location, _ = p.Location()
		}
	}
	if err := ui.ShowOutOfService(m.w, o); err != nil {
		return err
	}
	m.logger.Error("kiosk started out of service: withdrawn by the case server, cache wiped")
	m.w.ShowAndRun()
	return nil
}

// runLocked shows the start-of-day screen: the cache opens with the office passphrase a
// supervisor types, and the kiosk begins then.
func (m *kiosk) runLocked(ctx context.Context) error {
	var failed error
	_, err := ui.ShowLocked(m.w, ui.LockedOptions{Catalog: m.catalog, Language: m.opt.lang,
		Unlock: func(pass string) error {
			c, sy, err := m.openData(cache.Passphrase(pass))
			if err != nil {
				m.logger.Warn("start of day: the cache stays locked", "error", err)
				return err
			}
			m.store, m.syncer = c, sy
			m.cleanup = func() { c.Close() }
			return nil
		},
		Unlocked: func() {
			if failed = m.begin(ctx); failed != nil {
				m.w.Close()
			}
		}})
	if err != nil {
		return err
	}
	m.logger.Info("kiosk started locked: waiting for the office passphrase")
	m.w.ShowAndRun()
	return failed
}

// openData opens the enrolled cache with key and its sync client, whose progress goes to the
// staff status screen.
func (m *kiosk) openData(key cache.KeySource) (*cache.Cache, *client.Client, error) {
	c, err := cache.Open(m.opt.dataDir, key)
	if err != nil {
		return nil, nil, err
	}
	opts := client.Options{Progress: client.Notify(m.progress)}
	if m.cfg != nil {
		opts.CAFile = m.cfg.CAFile
	}
	sy, err := client.New(c, opts)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, sy, nil
}

// printerConfig is the CUPS set-up: the office and receipt queues (flag or file), and from the
// file the media each is always sent with.
func printerConfig(cfg *config.Config, office, receipt, server string) printing.Config {
	pc := printing.Config{Office: office, Receipt: receipt, Server: server}
	if cfg != nil {
		pc.OfficeMedia = cfg.Printers.OfficeMedia
		pc.ReceiptMedia = cfg.Printers.ReceiptMedia
	}
	return pc
}
