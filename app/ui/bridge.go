package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// bridge joins goroutines to the UI: it is the only place that calls fyne.Do. Work runs off
// the UI goroutine (Argon2id, printing), and its result comes back to the UI goroutine.
type bridge struct {
	busy sync.WaitGroup
	stop chan struct{}
	ui   sync.Mutex // one handed-back call at a time (the test driver runs fyne.Do at once)
}

// deliver hands f to the UI goroutine. The desktop driver queues it on its one goroutine;
// Fyne's test driver calls it there and then, on the caller's goroutine, so two results
// arriving together would render at once (they did: a sync's progress and its end raced in
// the text shaper). The lock keeps them one after the other under either driver.
func (b *bridge) deliver(f func()) {
	b.ui.Lock()
	defer b.ui.Unlock()
	fyne.Do(f)
}

// background runs work on a goroutine, then hands then to the UI goroutine.
func (b *bridge) background(work func(), then func()) {
	b.busy.Add(1)
	go func() {
		defer b.busy.Done()
		work()
		b.deliver(then)
	}()
}

// async runs work off the UI goroutine and then, back on it, then: unless the person it was
// started for has left since (sign-out, Quick Exit, time-out, the end of staff mode or of an
// assisted session raise k.gen), when late runs instead, to undo what work did (nil: nothing).
// Every late answer is dropped here, so no screen shows one person's result to the next.
func (k *Kiosk) async(work, then, late func()) {
	gen := k.gen
	k.bridge.background(work, func() {
		if gen != k.gen {
			if late != nil {
				late()
			}
			return
		}
		then()
	})
}

// relay hands each value from src to f on the UI goroutine until stop is closed; wait waits
// for it too.
func relay[T any](b *bridge, src <-chan T, stop <-chan struct{}, f func(T)) {
	b.busy.Add(1)
	go func() {
		defer b.busy.Done()
		for {
			select {
			case <-stop:
				return
			case v := <-src:
				b.deliver(func() { f(v) })
			}
		}
	}()
}

// wait blocks until every background job has handed its result back (tests).
func (b *bridge) wait() { b.busy.Wait() }

// every calls f on the UI goroutine at each interval until stopTicking.
func (b *bridge) every(d time.Duration, f func()) {
	b.stop = make(chan struct{})
	stop := b.stop
	go func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				b.deliver(f)
			}
		}
	}()
}

func (b *bridge) stopTicking() {
	if b.stop != nil {
		close(b.stop)
		b.stop = nil
	}
}
