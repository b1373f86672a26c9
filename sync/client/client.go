// Package client is the kiosk's side of sync: enrolment (pinning the server's signing key),
// pushing the outbox and pulling the office's change feed into a Store, every answer verified
// under the pinned key (verify.go), with timeouts, retries, progress and a status record.
package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// Options tune a Client (and Enroll). The zero value is usable: every field has a default.
type Options struct {
	// Name labels the machine at enrolment, for IT (a host name); never personal data.
	Name string
	// CAFile is a PEM file of the authority that signed a server's private certificate; empty
	// means the system's roots.
	CAFile string
	// HTTPClient replaces the client built from CAFile (tests, proxies).
	HTTPClient *http.Client
	// AllowHTTP permits plain http:// to a server that is not on loopback. Off by default: the
	// bearer token and the office's records must not cross a network in clear.
	AllowHTTP bool

	// RequestTimeout bounds one HTTP request, body included (default 2 minutes).
	RequestTimeout time.Duration
	// Attempts is how often one request is tried before the sync gives up (default 5).
	Attempts int
	// Backoff is the pause before the first retry, doubled after each one up to MaxBackoff,
	// with jitter (defaults 500 ms and 30 s).
	Backoff, MaxBackoff time.Duration
	// Wait is how long Run, once the cache is up to date, asks the server to hold a request
	// until the office's feed changes, so that a change (a PIN the call centre issued) is
	// applied within about a second instead of at the next sync; between two syncs Run asks
	// again and again (default 25 s, at most protocol.MaxWait seconds; negative: never, Run
	// only syncs every interval).
	Wait time.Duration
	// BatchSize is how many changes the client asks for per batch (default
	// protocol.MaxBatch; the server may send fewer).
	BatchSize int

	// Progress, when set, is called from the syncing goroutine after every pushed chunk and
	// every applied batch. It must return quickly (hand the value to the UI and return); see
	// Notify for a channel that never blocks.
	Progress func(syncstate.Progress)
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 2 * time.Minute
	}
	if o.Attempts <= 0 {
		o.Attempts = 5
	}
	if o.Backoff <= 0 {
		o.Backoff = 500 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.MaxBackoff < o.Backoff {
		o.MaxBackoff = o.Backoff
	}
	switch {
	case o.Wait == 0:
		o.Wait = 25 * time.Second
	case o.Wait > protocol.MaxWait*time.Second:
		o.Wait = protocol.MaxWait * time.Second
	}
	if o.BatchSize <= 0 || o.BatchSize > protocol.MaxBatch {
		o.BatchSize = protocol.MaxBatch
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Notify returns a Progress callback that hands events to ch without ever blocking the sync:
// when ch is full, the oldest waiting event gives way to the newest, so a slow reader always
// finds the latest state.
func Notify(ch chan syncstate.Progress) func(syncstate.Progress) {
	return func(p syncstate.Progress) {
		for {
			select {
			case ch <- p:
				return
			default:
			}
			select {
			case <-ch:
			default:
			}
		}
	}
}

// Client syncs one enrolled kiosk's Store with its case server. It is safe for concurrent use;
// syncs run one at a time.
type Client struct {
	store syncstate.Store
	opts  Options
	http  *http.Client
	mu    sync.Mutex
}

// New returns a client for store. The store need not be enrolled yet; Sync reads the enrolment
// each time.
func New(store syncstate.Store, opts Options) (*Client, error) {
	opts = opts.withDefaults()
	hc, err := httpClient(opts)
	if err != nil {
		return nil, err
	}
	return &Client{store: store, opts: opts, http: hc}, nil
}

// Sync pushes the outbox, then pulls the change feed to its end, applying each checked batch
// whole. It records the outcome in the store's status, whatever it is. Errors: the store's
// domain.ErrNotEnrolled; domain.ErrOffline when the server cannot be reached; ErrUnauthorized;
// domain.ErrRevoked after the store was wiped at the server's word, proved by its signature
// (ErrUnverifiedRevocation, and nothing wiped, when it was not); ErrUnverified, ErrUnknownKey,
// ErrClockSkew for an answer the kiosk cannot prove, ErrNotPinned for a kiosk enrolled before
// signed answers; a *ServerError; an error wrapping protocol.ErrBadBatch when batches kept
// arriving damaged; the context's error.
// Whatever the error, the store holds the last whole checkpoint it reached, and the Result says
// what was pushed and applied up to it.
func (c *Client) Sync(ctx context.Context) (syncstate.Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	res := syncstate.Result{Started: c.opts.Now()}
	enr, err := c.store.Enrolment()
	if err != nil {
		return res, err
	}
	keys := &keyring{enr: enr}
	err = c.sync(ctx, enr, keys, &res)
	res.Took = c.opts.Now().Sub(res.Started)
	var rv *revocation
	if errors.As(err, &rv) {
		// Only a revocation the kiosk can prove came from its server wipes it: a 410 forged
		// on the way is a failed sync, recorded and reported like any other.
		if err = keys.verifyRevocation(rv, c.opts.Now()); err == nil {
			if werr := c.store.Wipe(); werr != nil {
				return res, errors.Join(domain.ErrRevoked, fmt.Errorf("wiping the cache: %w", werr))
			}
			return res, domain.ErrRevoked
		}
	}
	if learnt, ok := keys.learnt(); ok {
		// A key announced or switched to under the pinned one: pinned from now on.
		if serr := c.store.SaveEnrolment(learnt); serr != nil {
			err = errors.Join(err, &storeError{"saving the server's new signing key", serr})
		}
	}
	rec := syncstate.SyncRecord{At: res.Started, OK: err == nil, Error: errorText(err), Pulled: res.Pulled,
		Pushed: res.Pushed, AsOf: res.AsOf}
	if rerr := c.store.RecordSync(rec); rerr != nil {
		err = errors.Join(err, fmt.Errorf("recording the sync: %w", rerr))
	}
	return res, err
}

func (c *Client) sync(ctx context.Context, enr syncstate.Enrolment, keys *keyring, res *syncstate.Result) error {
	s, err := c.session(enr, keys)
	if err != nil {
		return err
	}
	pushErr := s.push(ctx, res)
	var se *ServerError
	var up *unprovedPush
	if pushErr != nil && !errors.As(pushErr, &se) && !errors.Is(pushErr, errPushAnswer) && !errors.As(pushErr, &up) {
		return pushErr // offline, revoked, unauthorised, cancelled: pulling cannot work either
	}
	// A push the server refuses must not keep the kiosk's data stale: pull anyway, and report
	// both.
	return errors.Join(pushErr, s.pull(ctx, res))
}

// session is a conversation with the enrolment's server, its answers verified with keys.
func (c *Client) session(enr syncstate.Enrolment, keys *keyring) (session, error) {
	base, err := serverBase(enr.Server, c.opts.AllowHTTP)
	if err != nil {
		return session{}, err
	}
	return session{c: c, base: base, token: enr.Token, enr: enr, keys: keys}, nil
}

// Run syncs at once and then every interval (with a little jitter) until ctx ends, the kiosk is
// revoked or it has no enrolment; it returns that reason. done, when set, hears every outcome.
// Between two syncs that succeeded it waits on the server for the office's next change
// (Options.Wait) and syncs as soon as one comes.
func (c *Client) Run(ctx context.Context, every time.Duration, done func(syncstate.Result, error)) error {
	if every <= 0 {
		return errors.New("sync interval must be positive")
	}
	for {
		res, err := c.Sync(ctx)
		if done != nil {
			done(res, err)
		}
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, domain.ErrRevoked), errors.Is(err, domain.ErrNotEnrolled),
			errors.Is(err, ErrUnauthorized):
			return err
		}
		wait := every + time.Duration(rand.Int64N(int64(every)/10+1))
		if err == nil && c.opts.Wait > 0 {
			changed, left := c.watch(ctx, wait)
			if changed || left <= 0 {
				continue
			}
			wait = left // the server could not be asked: sync at the interval, as without it
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (c *Client) progress(p syncstate.Progress) {
	if c.opts.Progress != nil {
		c.opts.Progress(p)
	}
}
