package server

import (
	"context"
	"slices"
	"sync"
	"time"
)

// A kiosk that is up to date asks for the feed with a wait (protocol.MaxWait): the request is
// held until its office's feed moves past the kiosk's cursor. One goroutine watches for all the
// requests held: while any is, it reads the feed's last sequence number every watchEvery, and
// when that rose, or a request was just added, the head of each office concerned. So a change
// written by another process on the same database (caseserver issue-pin, import, a second
// server) is seen within watchEvery, and this process's own writes at once.

// watchEvery is how often the feed is looked at while requests wait (a variable for tests).
var watchEvery = 200 * time.Millisecond

// feedWatch holds the waiting requests of one database.
type feedWatch struct {
	mu      sync.Mutex
	waiting map[string][]*feedWaiter // by office
	dirty   map[string]bool          // offices whose head must be read at the next look
	running bool                     // the watching goroutine runs
	last    int64                    // the feed's last number at the previous look
	closed  bool
	poke    chan struct{} // a look now: this process wrote
}

// feedWaiter is one held request: woken (its channel closed) once its office's feed goes past
// after.
type feedWaiter struct {
	after int64
	ch    chan struct{}
}

// changed tells the watcher that this process has just written: the requests held look now
// rather than at the next tick.
func (d *DB) changed() {
	select {
	case d.watch.poke <- struct{}{}:
	default:
	}
}

// waitForChange returns when the office's feed holds something after after, when d has passed,
// when ctx ends or when the database closes. It says whether the feed moved; the caller reads
// the feed again either way.
func (d *DB) waitForChange(ctx context.Context, office string, after int64, wait time.Duration) bool {
	w := &d.watch
	fw := &feedWaiter{after: after, ch: make(chan struct{})}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return false
	}
	if w.waiting == nil {
		w.waiting, w.dirty = map[string][]*feedWaiter{}, map[string]bool{}
	}
	w.waiting[office] = append(w.waiting[office], fw)
	w.dirty[office] = true // it may have moved since the caller read it
	if !w.running {
		w.running = true
		go d.watchFeed()
	}
	w.mu.Unlock()
	d.changed()

	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-fw.ch:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.keep(office, func(x *feedWaiter) bool { return x != fw })
	select {
	case <-fw.ch:
		return true // woken while the time ran out
	default:
		return false
	}
}

// watchFeed looks at the feed for the requests held, until none is.
func (d *DB) watchFeed() {
	w := &d.watch
	t := time.NewTicker(watchEvery)
	defer t.Stop()
	for {
		w.mu.Lock()
		if len(w.waiting) == 0 || w.closed {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		d.lookAtFeed()
		select {
		case <-t.C:
		case <-w.poke:
		}
	}
}

// lookAtFeed wakes the requests whose office's feed has moved past their cursor.
func (d *DB) lookAtFeed() {
	w := &d.watch
	last, err := d.LastSeq()
	if err != nil {
		return // looked at again at the next tick; a request's time limit still ends it
	}
	w.mu.Lock()
	if last != w.last {
		for office := range w.waiting {
			w.dirty[office] = true
		}
		w.last = last
	}
	offices := make([]string, 0, len(w.dirty))
	for office := range w.dirty {
		offices = append(offices, office)
	}
	clear(w.dirty)
	w.mu.Unlock()
	for _, office := range offices {
		head, err := d.head(context.Background(), office)
		if err != nil {
			w.mu.Lock()
			w.dirty[office] = true
			w.mu.Unlock()
			continue
		}
		w.mu.Lock()
		w.keep(office, func(x *feedWaiter) bool {
			if x.after < head {
				close(x.ch)
				return false
			}
			return true
		})
		w.mu.Unlock()
	}
}

// keep keeps the office's waiting requests for which f is true and drops the others; w.mu is
// held.
func (w *feedWatch) keep(office string, f func(*feedWaiter) bool) {
	list := slices.DeleteFunc(w.waiting[office], func(x *feedWaiter) bool { return !f(x) })
	if len(list) == 0 {
		delete(w.waiting, office)
	} else {
		w.waiting[office] = list
	}
}

// EndWaits answers every request held now, and any that asks to wait from now on at once: the
// server shuts down (http.Server.RegisterOnShutdown), or the database closes.
func (d *DB) EndWaits() {
	w := &d.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	for office, list := range w.waiting {
		for _, x := range list {
			close(x.ch)
		}
		delete(w.waiting, office)
	}
}
