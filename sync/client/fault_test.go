package client_test

import (
	"errors"
	"fmt"
	"testing"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/protocol"
)

// faults are the damages of the fault tests, each once (retried, the sync completes) and for
// good (the sync gives up).
var faults = []struct {
	fault   fault
	persist bool
}{
	{answer503, false}, {answer503, true}, {dropMidBody, false}, {dropMidBody, true},
	{truncateBody, false}, {truncateBody, true}, {flipByte, false}, {flipByte, true},
}

// TestFaultsKeepTheLastCheckpoint puts a damaging proxy between the client and the real server,
// during a first sync (the cache's bulk load) and during an incremental one. A fault that passes
// is retried and the sync completes; a fault that persists stops the sync with the cache at the
// last whole checkpoint before it. Either way the next sync ends with the same cache as a clean
// sync: nothing lost, nothing twice.
func TestFaultsKeepTheLastCheckpoint(t *testing.T) {
	w := newWorld(t, 60)
	opts := fast()
	opts.BatchSize = 1500
	opts.Attempts = 3

	// Kiosks for the incremental half, synced before the agency's next export.
	type kiosk struct {
		c     *cache.Cache
		cl    *client.Client
		proxy *faultProxy
	}
	var later []kiosk
	for range faults {
		proxy := newFaultProxy(t, w.url)
		c, cl, _ := w.kiosk(t, proxy.URL, opts)
		if _, err := cl.Sync(t.Context()); err != nil {
			t.Fatal(err)
		}
		later = append(later, kiosk{c, cl, proxy})
	}

	f := w.readFeed(t, opts.BatchSize)
	want := w.cleanFingerprint(t, opts)
	for _, fc := range faults {
		t.Run(fmt.Sprintf("initial/%v/persist=%v", fc.fault, fc.persist), func(t *testing.T) {
			proxy := newFaultProxy(t, w.url)
			c, cl, _ := w.kiosk(t, proxy.URL, opts)
			checkFault(t, w, c, cl, proxy, f, f.bounds[3], fc.fault, fc.persist, opts.Attempts, want)
		})
	}

	w.addPayments(t, 5000)
	f = w.continueFeed(t, opts.BatchSize, f)
	if len(f.bounds) < 4 {
		t.Fatalf("the next export is too small for the test: %v", f)
	}
	want = w.cleanFingerprint(t, opts)
	for i, fc := range faults {
		t.Run(fmt.Sprintf("incremental/%v/persist=%v", fc.fault, fc.persist), func(t *testing.T) {
			k := later[i]
			checkFault(t, w, k.c, k.cl, k.proxy, f, f.bounds[2], fc.fault, fc.persist, opts.Attempts, want)
		})
	}
}

// checkFault syncs through proxy with fl on the batch after stopAt, once or for good, and
// checks the checkpoint the cache keeps and the state the next sync reaches.
func checkFault(t *testing.T, w *world, c *cache.Cache, cl *client.Client, proxy *faultProxy,
	f *feed, stopAt int64, fl fault, persist bool, attempts int, want string) {
	times := 1
	if persist {
		times = -1
	}
	proxy.add(rule{path: protocol.PathChanges, after: stopAt, fault: fl, times: times})
	res, err := cl.Sync(t.Context())
	if !persist {
		if err != nil || proxy.hit(fl) != 1 {
			t.Fatalf("one fault: %v after %d hits", err, proxy.hit(fl))
		}
	} else {
		if err == nil || proxy.hit(fl) != attempts {
			t.Fatalf("persistent fault: %v after %d hits", err, proxy.hit(fl))
		}
		t.Logf("gave up with: %v", err)
		if fl == answer503 {
			var se *client.ServerError
			if !errors.As(err, &se) {
				t.Fatalf("503s: %v", err)
			}
		} else if !errors.Is(err, protocol.ErrBadBatch) {
			t.Fatalf("damaged batch: %v", err)
		}
		if cur, _ := c.Cursor(); cur != stopAt || res.Cursor != stopAt {
			t.Fatalf("cursor %d (result %d), want the checkpoint %d", cur, res.Cursor, stopAt)
		}
		if !sameCounts(t, c, f.counts[stopAt]) && f.bounds[0] != 0 {
			t.Fatal("no record counts outside a first sync")
		}
		if st, _ := c.Status(); st.LastError == "" {
			t.Fatal("the failure is not in the status")
		}
		proxy.clear()
		if _, err := cl.Sync(t.Context()); err != nil {
			t.Fatalf("the sync after the fault: %v", err)
		}
	}
	if got := w.fingerprint(t, c); got != want {
		t.Fatal("the cache differs from a clean sync")
	}
}

// TestDroppedConnectionIsRetried checks that the first batch cut off mid-way, again and again,
// is retried until it arrives whole.
func TestDroppedConnectionIsRetried(t *testing.T) {
	w := newWorld(t, 20)
	proxy := newFaultProxy(t, w.url)
	opts := fast()
	c, cl, _ := w.kiosk(t, proxy.URL, opts)
	proxy.add(rule{path: protocol.PathChanges, after: 0, fault: dropMidBody, times: opts.Attempts - 1})
	if _, err := cl.Sync(t.Context()); err != nil || proxy.hit(dropMidBody) != opts.Attempts-1 {
		t.Fatalf("%v after %d dropped connections", err, proxy.hit(dropMidBody))
	}
	if cur, _ := c.Cursor(); cur != w.readFeed(t, protocol.MaxBatch).end() {
		t.Fatalf("cursor %d after the retries", cur)
	}
}

// TestFeedNextIsOnlyAHint has a proxy change the server's Feed-Next hint on every batch, to a
// cursor inside the batch and to one past it. The client asks ahead from the wrong cursor, sees
// that the batch ended elsewhere, drops what it asked for and asks again: the sync ends with
// the same cache as a clean one.
func TestFeedNextIsOnlyAHint(t *testing.T) {
	w := newWorld(t, 30)
	opts := fast()
	opts.BatchSize = 1000
	f := w.readFeed(t, opts.BatchSize)
	if len(f.bounds) < 4 {
		t.Fatalf("the feed is too small for the test: %v", f)
	}
	want := w.cleanFingerprint(t, opts)
	for _, fl := range []fault{hintBack, hintAhead} {
		t.Run(fl.String(), func(t *testing.T) {
			proxy := newFaultProxy(t, w.url)
			c, cl, _ := w.kiosk(t, proxy.URL, opts)
			proxy.add(rule{path: protocol.PathChanges, after: -1, fault: fl, times: -1})
			res, err := cl.Sync(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if res.Cursor != f.end() || res.Batches != len(f.bounds)-1 {
				t.Fatalf("cursor %d after %d batches, want %d after %d", res.Cursor, res.Batches,
					f.end(), len(f.bounds)-1)
			}
			// Every batch's request, and one sent ahead on the wrong hint of each batch but
			// the last (which has none).
			batches := len(f.bounds) - 1
			if hits := proxy.hit(fl); hits != 2*batches-1 {
				t.Fatalf("%d requests for %d batches, want %d", hits, batches, 2*batches-1)
			}
			if got := w.fingerprint(t, c); got != want {
				t.Fatal("the cache differs from a clean sync")
			}
		})
	}
}
