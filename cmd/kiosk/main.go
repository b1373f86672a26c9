// Command kiosk runs the child support office kiosk: on an enrolled cache (--data), or with
// built-in demo data served in-process on loopback (--demo).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/app/pdf"
	"childsupportkiosk/app/printing"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/app/ui"
	"childsupportkiosk/app/ui/demoenv"
	"childsupportkiosk/app/ui/uiprint"
	"childsupportkiosk/assets"
	_ "childsupportkiosk/cmd/kiosk/internal/posixlocale" // before Fyne reads the locale
	"childsupportkiosk/sync/client"
	demodata "childsupportkiosk/sync/demo"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		os.Exit(1)
	}
}

func run() error {
	demoMode := flag.Bool("demo", false, "start with generated demo data served in-process on loopback")
	dataDir := flag.String("data", "", "directory of the enrolled, encrypted cache")
	keyFile := flag.String("key", "", "key file of the cache (default: the one in the data directory)")
	fullscreen := flag.Bool("fullscreen", false, "fill the screen (the kiosk itself)")
	lang := flag.String("lang", "", "language to start in (en, es, fr)")
	large := flag.Bool("large-text", false, "start in large-text mode")
	contrast := flag.Bool("high-contrast", false, "start in high-contrast mode")
	queue := flag.String("printer", "", "CUPS queue of the office printer for Print Page and Print By Year (none: the screen points to the front desk)")
	cups := flag.String("cups", "", "CUPS server, host:port or socket (default: CUPS_SERVER, then the local one)")
	every := flag.Duration("sync-every", 5*time.Minute, "how often to sync with the case server")
	flag.Parse()
	if *demoMode == (*dataDir != "") {
		flag.Usage()
		return errors.New("give either --demo or --data DIR")
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, stop := context.WithCancel(context.Background())
	defer stop()

	var (
		store   *cache.Cache
		syncer  *client.Client
		demo    []ui.DemoLogin
		cleanup = func() {}
	)
	if *demoMode {
		env, err := demoenv.Start(ctx, demoenv.Options{Logger: logger,
			// Today, so the temporary PIN is valid and the appointments lie ahead.
			Demo: demodata.Options{Now: time.Now()}})
		if err != nil {
			return err
		}
		cleanup = func() { env.Close() }
		store, syncer = env.Cache, env.Client
		fmt.Println("Demo sign-ins (demo data only):")
		for _, s := range env.Samples {
			note := s.Role
			if s.Temporary {
				note += ", temporary PIN"
			}
			if s.FamilyViolence {
				note += ", family-violence indicator"
			}
			fmt.Printf("  participant ID %s  PIN %s  (%s)\n", s.Participant, s.PIN, note)
			demo = append(demo, ui.DemoLogin{Login: s.Participant, PIN: s.PIN, Note: note})
		}
	} else {
		key := cache.DefaultKeyFile(*dataDir)
		if *keyFile != "" {
			key = cache.KeyFile(*keyFile)
		}
		c, err := cache.Open(*dataDir, key)
		if err != nil {
			return err
		}
		store = c
		cleanup = func() { c.Close() }
		if syncer, err = client.New(c, client.Options{}); err != nil {
			cleanup()
			return err
		}
	}
	defer cleanup()

	enr, err := store.Enrolment()
	if err != nil {
		return err
	}
	profile, err := assets.Profile(enr.Profile)
	if err != nil {
		return err
	}
	catalog, err := i18n.Shipped()
	if err != nil {
		return err
	}
	mgr, err := session.New(store, session.Config{Profile: profile, Kiosk: enr.Kiosk,
		VerifyPIN: seal.VerifyPIN, HashPIN: seal.HashPIN, Subject: store.AuditSubject})
	if err != nil {
		return err
	}

	var printer ui.Printer
	if *queue != "" {
		if err := pdf.CheckFonts(); err != nil {
			return err
		}
		printer = &uiprint.Printer{CaseFile: store, Subject: store.AuditSubject,
			Printer: &printing.Printer{Config: printing.Config{Office: *queue, Server: *cups}, Kiosk: enr.Kiosk,
				Auditor: printing.AuditFunc(func(e domain.AuditEvent) error { return store.Send(domain.SendAudit, e) })}}
	}

	// Sync in the background: the kiosk serves from its cache whether or not it succeeds.
	go syncer.Run(ctx, *every, func(_ client.Result, err error) {
		if err != nil && ctx.Err() == nil {
			logger.Warn("sync failed", "error", err)
		}
	})
	// Ctrl-C or a service stop still removes a demo's temporary files.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		stop()
		cleanup()
		os.Exit(0)
	}()

	a := app.NewWithID("gov.childsupport.kiosk")
	w := a.NewWindow(catalog.Lang(profile.DefaultLanguage).T(profile.NameKey))
	w.Resize(fyne.NewSize(1280, 800))
	w.SetFullScreen(*fullscreen)
	k, err := ui.New(w, ui.Options{Sessions: mgr, Catalog: catalog, Printer: printer, Demo: demo, Language: *lang,
		Large: *large, Contrast: *contrast, Tick: time.Second})
	if err != nil {
		return err
	}
	w.SetCloseIntercept(func() {
		k.Stop()
		w.Close()
	})
	w.ShowAndRun()
	return nil
}
