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

func run() error {
	demoMode := flag.Bool("demo", false, "start with generated demo data served in-process on loopback")
	dataDir := flag.String("data", "", "directory of the enrolled, encrypted cache")
	keyFile := flag.String("key", "", "a plain key file of the cache, for the demo and tests (default: what the cache is locked by: the TPM, a passphrase, or the key file in the data directory)")
	fullscreen := flag.Bool("fullscreen", false, "fill the screen (the kiosk itself)")
	lang := flag.String("lang", "", "language to start in (en, es, fr)")
	large := flag.Bool("large-text", false, "start in large-text mode")
	contrast := flag.Bool("high-contrast", false, "start in high-contrast mode")
	queue := flag.String("printer", "", "CUPS queue of the office printer for Print Page and Print By Year (none: the screen points to the front desk)")
	receiptQueue := flag.String("receipt-printer", "", "CUPS queue of the 80 mm receipt printer (receipts, PIN slips, sign-in cards)")
	cups := flag.String("cups", "", "CUPS server, host:port or socket (default: CUPS_SERVER, then the local one)")
	every := flag.Duration("sync-every", 5*time.Minute, "how often to sync with the case server")
	hideCur := flag.Bool("hide-cursor", false, "hide the mouse pointer (touch screens)")
	noSpeech := flag.Bool("no-speech", false, "no Listen button (spoken guidance through espeak-ng)")
	speechRate := 0
	cfgPath := flag.String("config", "", "the office's settings file (TOML; see docs/kiosk.example.toml); flags given override it")
	withdrawAfter := flag.Duration("demo-withdraw-after", 0, "demo only: have the demo's case server withdraw this kiosk after this long, to see the out-of-service screen")
	flag.Parse()

	catalog, err := i18n.Shipped()
	if err != nil {
		return err
	}
	level := slog.LevelWarn
	var cfg *config.Config
	if *cfgPath != "" {
		checks := config.Checks{Profile: assets.Profile, Languages: catalog.Languages()}
		c, err := config.Load(*cfgPath, checks)
		if err != nil {
			return err
		}
		c.Override(os.Getenv)
		if err := c.Recheck(checks); err != nil {
			return err
		}
		cfg = &c
		given := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
		apply := func(name string, set func()) {
			if !given[name] {
				set()
			}
		}
		if !*demoMode {
			apply("data", func() { *dataDir = c.DataDir })
		}
		apply("fullscreen", func() { *fullscreen = c.Kiosk.Fullscreen })
		apply("lang", func() { *lang = c.Languages.Default })
		apply("large-text", func() { *large = c.Display.LargeText })
		apply("high-contrast", func() { *contrast = c.Display.HighContrast })
		apply("printer", func() { *queue = c.Printers.Office })
		apply("receipt-printer", func() { *receiptQueue = c.Printers.Receipt })
		apply("sync-every", func() { *every = c.SyncEvery() })
		apply("hide-cursor", func() { *hideCur = c.Kiosk.HideCursor })
		apply("no-speech", func() { *noSpeech = c.Speech.Off })
		speechRate = c.Speech.Rate
		level = c.Level()
	}
	if *demoMode == (*dataDir != "") {
		flag.Usage()
		return errors.New("give either --demo or --data DIR")
	}
	release, err := oneInstance(*demoMode, *dataDir)
	if err != nil {
		return err
	}
	defer release()
	logger := newLogger(os.Stderr, level)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()

	var (
		store       *cache.Cache
		syncer      *client.Client
		demo        []ui.DemoLogin
		demoStaff   []ui.DemoLogin
		cleanup     = func() {}
		lockedStart bool
		demoRun     *demoKiosk // the demo's, with --demo (demo.go)
		withdrawn   *time.Time // the case server withdrew this kiosk then, and its cache is wiped
	)
	if *demoMode {
		d, err := startDemo(ctx, logger)
		if err != nil {
			return err
		}
		cleanup = d.close
		store, syncer, demo, demoStaff, progress, demoRun = d.store, d.syncer, d.logins, d.staff, d.progress, d
	} else if kind, err := cache.KeyKind(*dataDir); err != nil {
		if withdrawn, err = startsWithdrawn(*dataDir, err); err != nil {
			return err
		}
	} else if kind == seal.KindPassphrase && *keyFile == "" {
		// Enrolled with an office passphrase: the kiosk starts locked and opens the cache when
		// a supervisor types it (begin runs then).
		if cfg != nil && cfg.Key.Source != config.KeyPassphrase {
			_, err := keySource(*dataDir, kind, "", cfg, logger)
			return err
		}
		lockedStart = true
	} else {
		key, err := keySource(*dataDir, kind, *keyFile, cfg, logger)
		if err != nil {
			return err
		}
		opened := time.Now()
		if store, syncer, err = openData(*dataDir, key, cfg); err != nil {
			return err
		}
		logger.Info("cache opened", "key", kind, "ms", time.Since(opened).Milliseconds())
		cleanup = func() { store.Close() }
	}
	defer func() { cleanup() }()

	// Ctrl-C or a service stop still removes a demo's temporary files.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		stop()
		cleanup()
		os.Exit(0)
	}()

	title := catalog.Lang(catalog.Languages()[0]).T("ui.locked.title")
	if cfg != nil {
		if p, err := assets.Profile(cfg.Profile); err == nil {
			title = catalog.Lang(p.DefaultLanguage).T(p.NameKey)
		}
	}
	a := newFyneApp(title) // no app ID, so no Fyne preferences: startup.go
	w := a.NewWindow(title)
	w.Resize(fyne.NewSize(1280, 800))
	w.SetFullScreen(*fullscreen)
	var k *ui.Kiosk
	w.SetCloseIntercept(closeRequest(*fullscreen, logger, func() {
		if k != nil {
			k.Stop()
		}
	}, w.Close))

	// begin builds the kiosk on the open cache.
	begin := func() error {
		enr, err := store.Enrolment()
		if err != nil {
			return err
		}
		profile, err := assets.Profile(enr.Profile)
		if err != nil {
			return err
		}
		// The fonts of the languages offered, on screen and paper: Chinese and Korean come from
		// Debian packages, and a missing one stops the kiosk here, naming the package.
		if err := pdf.CheckFonts(profile.Languages...); err != nil {
			return err
		}
		if cfg != nil {
			if cfg.Profile != enr.Profile {
				return fmt.Errorf("%s: profile %q, but this kiosk was enrolled for %q", *cfgPath, cfg.Profile, enr.Profile)
			}
			if cfg.Server != "" && cfg.Server != enr.Server {
				return fmt.Errorf("%s: server_url %s, but this kiosk was enrolled with %s (re-enrol to move it)", *cfgPath, cfg.Server, enr.Server)
			}
			profile = cfg.Apply(profile)
		}
		w.SetTitle(catalog.Lang(profile.DefaultLanguage).T(profile.NameKey))
		mgr, err := session.New(store, session.Config{Profile: profile, Kiosk: enr.Kiosk,
			VerifyPIN: seal.VerifyPIN, HashPIN: seal.HashPIN, Subject: store.AuditSubject,
			Attempts: syncer.Attempts(0)}) // wrong PINs counted across the office's kiosks
		if err != nil {
			return err
		}

		// With either printer, both or none: the preview shows every page and says what prints
		// where from the queues set up (none: printing is not available here).
		if err := pdf.CheckFonts(); err != nil {
			return err
		}
		var printer ui.Printer = &uiprint.Printer{CaseFile: store, Subject: store.AuditSubject,
			Printer: &printing.Printer{Config: printerConfig(cfg, *queue, *receiptQueue, *cups), Kiosk: enr.Kiosk,
				Auditor: printing.AuditFunc(func(e domain.AuditEvent) error { return store.Send(domain.SendAudit, e) })}}

		if !*demoMode {
			if err := forgetWithdrawn(*dataDir); err != nil { // enrolled again since
				logger.Warn("a stale out-of-service note stays", "error", err.Error())
			}
		}
		k, err = ui.New(measureStart(a, w, os.Stdout), ui.Options{Sessions: mgr, Catalog: catalog, Printer: printer,
			Demo: demo, DemoStaff: demoStaff, Language: *lang, Large: *large, Contrast: *contrast, Tick: time.Second,
			HideCursor: *hideCur, KioskID: enr.Kiosk, Speaker: speaker(*noSpeech, speechRate, logger), Syncer: ui.SyncWith{Store: store, Client: syncer},
			SyncProgress: progress, OutOfService: func(at time.Time) {
				logger.Error("kiosk out of service: withdrawn by the case server, cache wiped", "kiosk", enr.Kiosk)
				if !*demoMode {
					if err := noteWithdrawn(*dataDir, at); err != nil {
						logger.Error("the out-of-service note could not be written", "error", err.Error())
					}
				}
			}})
		if err != nil {
			return err
		}
		// Sync in the background, once the kiosk is up to hear a withdrawal: it serves from its
		// cache whether or not a sync succeeds.
		logged := logSync(ctx, logger)
		done := func(r syncstate.Result, err error) { logged(r, err); k.SyncOutcome(r, err) }
		go syncer.Run(ctx, *every, done)
		if demoRun != nil && *withdrawAfter > 0 {
			demoRun.withdraw(ctx, *withdrawAfter, logger, done)
		}
		logger.Info("kiosk started", "kiosk", enr.Kiosk, "profile", profile.ID, "demo", *demoMode,
			"fullscreen", *fullscreen, "hide_cursor", *hideCur, "sync_every", every.String(), "locked_start", lockedStart)
		return nil
	}

	if withdrawn != nil {
		// Withdrawn by the case server and wiped: nothing to unlock or sign in to until IT
		// enrols the kiosk again.
		o := ui.OutOfServiceOptions{Catalog: catalog, At: *withdrawn}
		if cfg != nil {
			if p, err := assets.Profile(cfg.Profile); err == nil {
				o.Languages = p.Languages
				o.Location, _ = p.Location()
			}
		}
		if err := ui.ShowOutOfService(w, o); err != nil {
			return err
		}
		logger.Error("kiosk started out of service: withdrawn by the case server, cache wiped")
		w.ShowAndRun()
		return nil
	}
	if lockedStart {
		var failed error
		_, err := ui.ShowLocked(w, ui.LockedOptions{Catalog: catalog, Language: *lang,
			Unlock: func(pass string) error {
				c, sy, err := openData(*dataDir, cache.Passphrase(pass), cfg)
				if err != nil {
					logger.Warn("start of day: the cache stays locked", "error", err)
					return err
				}
				store, syncer = c, sy
				cleanup = func() { c.Close() }
				return nil
			},
			Unlocked: func() {
				if failed = begin(); failed != nil {
					w.Close()
				}
			}})
		if err != nil {
			return err
		}
		logger.Info("kiosk started locked: waiting for the office passphrase")
		w.ShowAndRun()
		return failed
	}
	if err := begin(); err != nil {
		return err
	}
	w.ShowAndRun()
	return nil
}

// openData opens an enrolled cache with key and its sync client, with its progress events on
// the package's progress channel.
func openData(dir string, key cache.KeySource, cfg *config.Config) (*cache.Cache, *client.Client, error) {
	c, err := cache.Open(dir, key)
	if err != nil {
		return nil, nil, err
	}
	opts := client.Options{Progress: client.Notify(progress)}
	if cfg != nil {
		opts.CAFile = cfg.CAFile
	}
	sy, err := client.New(c, opts)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, sy, nil
}

// progress carries the sync client's progress to the staff status screen.
var progress = make(chan syncstate.Progress, 1)

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
