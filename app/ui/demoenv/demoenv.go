// Package demoenv fills a kiosk cache the real way for `kiosk --demo` and the UI tests:
// generated demo data, imported into a case server on loopback, a kiosk enrolled with a
// one-time code and synced into a temporary encrypted cache.
package demoenv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/assets"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/demo"
	"childsupportkiosk/sync/server"
	"childsupportkiosk/sync/syncstate"
)

// Options say what to start. The zero value starts the default demo.
type Options struct {
	Demo   demo.Options
	Office string       // the office the kiosk serves; the first one when empty
	Logger *slog.Logger // the case server's request log; discarded when nil
	// Adjust, when set, changes the generated export before the case server imports it
	// (tests and benchmarks: a participant with 1,000 payments).
	Adjust func(*domain.Export, []demo.Sample)
}

// Env is a running demo: the case server on loopback and the kiosk's synced cache.
type Env struct {
	Cache   *cache.Cache
	Samples []demo.Sample     // sign-ins of the kiosk's office
	Staff   []demo.StaffLogin // staff sign-ins of the kiosk's office
	// Progress carries the sync client's progress events (never blocking the sync).
	Progress chan syncstate.Progress
	// Server is the case server's database, for tests that act as the agency or call centre.
	Server  *server.DB
	Profile domain.Profile
	Export  *domain.Export
	Client  *client.Client

	dir    string
	db     *server.DB
	server *http.Server
}

// Start generates the demo data, serves it on 127.0.0.1 and enrols and syncs a new cache in a
// temporary directory, removed by Close.
func Start(ctx context.Context, o Options) (env *Env, err error) {
	export, samples, err := demo.Generate(o.Demo)
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	dir, err := os.MkdirTemp("", "kiosk-demo-")
	if err != nil {
		return nil, err
	}
	if o.Adjust != nil {
		o.Adjust(export, samples)
	}
	e := &Env{dir: dir, Export: export}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	if e.db, err = server.Open(filepath.Join(dir, "server.db")); err != nil {
		return nil, fmt.Errorf("case server: %w", err)
	}
	if _, err = e.db.Import(ctx, export); err != nil {
		return nil, fmt.Errorf("case server import: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e.server = &http.Server{Handler: server.Handler(e.db, logger), ReadHeaderTimeout: 10 * time.Second}
	go e.server.Serve(ln)

	office := o.Office
	if office == "" {
		office = export.Offices[0].ID
	}
	for _, s := range samples {
		if s.Office == office {
			e.Samples = append(e.Samples, s)
		}
	}
	code, err := e.db.NewEnrolmentCode(office, time.Hour)
	if err != nil {
		return nil, fmt.Errorf("enrolment code: %w", err)
	}
	cacheDir := filepath.Join(dir, "kiosk")
	if e.Cache, err = cache.Create(cacheDir, cache.DefaultKeyFile(cacheDir)); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	e.Staff = demo.Staff(export, office)
	e.Progress = make(chan syncstate.Progress, 1)
	e.Server = e.db
	opts := client.Options{Name: "demo kiosk", Progress: client.Notify(e.Progress)}
	enr, err := client.Enroll(ctx, e.Cache, "http://"+ln.Addr().String(), code, opts)
	if err != nil {
		return nil, fmt.Errorf("enrolment: %w", err)
	}
	if e.Client, err = client.New(e.Cache, opts); err != nil {
		return nil, err
	}
	if _, err = e.Client.Sync(ctx); err != nil {
		return nil, fmt.Errorf("first sync: %w", err)
	}
	agency := enr.Profile
	if agency == "" {
		agency = export.Agency
	}
	if e.Profile, err = assets.Profile(agency); err != nil {
		return nil, err
	}
	return e, nil
}

// Close stops the case server, closes the cache and removes every file of the demo.
func (e *Env) Close() error {
	var errs []error
	if e.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, e.server.Shutdown(ctx))
		cancel()
	}
	if e.Cache != nil {
		errs = append(errs, e.Cache.Close())
	}
	if e.db != nil {
		errs = append(errs, e.db.Close())
	}
	if e.dir != "" {
		errs = append(errs, os.RemoveAll(e.dir))
	}
	return errors.Join(errs...)
}
