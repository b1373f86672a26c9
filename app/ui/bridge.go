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
}

// background runs work on a goroutine, then hands then to the UI goroutine.
func (b *bridge) background(work func(), then func()) {
	b.busy.Add(1)
	go func() {
		defer b.busy.Done()
		work()
		fyne.Do(then)
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
				fyne.Do(f)
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
