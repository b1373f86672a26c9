package client

import (
	"context"
	"errors"
	"time"
)

// watch waits for the office's next change for up to d: it asks the server for the feed after
// the cache's cursor, to be held until something comes (a long poll, protocol.MaxWait), and
// asks again when the server's time is up. It returns changed when a verified answer shows the
// feed past the cursor or a verified revocation came, and otherwise what is left of d when a
// request failed (offline, refused, an answer it cannot prove): the caller then waits that long
// as it would without a long poll. It takes no lock: a sync on demand meanwhile goes ahead, and
// moves the cursor the next request starts from.
func (c *Client) watch(ctx context.Context, d time.Duration) (changed bool, left time.Duration) {
	end := time.Now().Add(d)
	for {
		left = time.Until(end)
		if left < time.Second || ctx.Err() != nil {
			return false, 0
		}
		wait := min(c.opts.Wait, left)
		asked := time.Now()
		moved, err := c.waitOnce(ctx, wait)
		switch {
		case err != nil:
			return false, time.Until(end)
		case moved:
			return true, 0
		}
		// An empty answer long before the time asked for is a server (or a proxy) that does
		// not hold requests: ask again only when the time would have been up, not at once.
		if took := time.Since(asked); took < wait/2 {
			t := time.NewTimer(min(wait-took, time.Until(end)))
			select {
			case <-ctx.Done():
				t.Stop()
				return false, 0
			case <-t.C:
			}
		}
	}
}

// waitOnce is one held request: whether the feed, by the server's signed answer, holds more
// than the cache (or the kiosk is withdrawn).
func (c *Client) waitOnce(ctx context.Context, wait time.Duration) (bool, error) {
	enr, err := c.store.Enrolment()
	if err != nil {
		return false, err
	}
	if enr.Key.IsZero() {
		return false, ErrNotPinned
	}
	s, err := c.session(enr, &keyring{enr: enr})
	if err != nil {
		return false, err
	}
	cursor, err := c.store.Cursor()
	if err != nil {
		return false, &storeError{"reading the cursor", err}
	}
	// One change is enough to know: the sync that follows reads them all.
	a := s.ask(ctx, s.changesURL(cursor, 1, int(wait/time.Second)), c.opts.RequestTimeout+wait, nil)
	var rv *revocation
	if errors.As(a.err, &rv) && s.keys.verifyRevocation(rv, c.opts.Now()) == nil {
		// Withdrawn, by the server's own word: the sync that follows wipes the cache now
		// rather than at the next interval. An unproved one is a failed request like any.
		return true, nil
	}
	if a.err != nil {
		return false, a.err
	}
	b, err := s.check(a.body, cursor, a.nonce)
	if err != nil {
		return false, err
	}
	return b.To > cursor || b.Proof.Head > cursor, nil
}
