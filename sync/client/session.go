package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// session is one sync's conversation with the server.
type session struct {
	c     *Client
	base  string
	token string
	enr   syncstate.Enrolment
	keys  *keyring // the pinned keys every answer is verified with
}

// maxPushAnswer bounds the body of a push response.
const maxPushAnswer = 4 << 20

// push sends the outbox in order, in chunks the protocol allows, and acknowledges each answer.
// It stops at the first chunk with an item the server did not take, so that later items never
// overtake it.
func (s session) push(ctx context.Context, res *syncstate.Result) error {
	total := 0
	if oc, ok := s.c.store.(syncstate.OutboxCounter); ok {
		total, _ = oc.PendingOutbox()
	} else if st, err := s.c.store.Status(); err == nil {
		total = st.PendingOutbox
	}
	lastFirst := ""
	for {
		items, err := s.c.store.Outbox(protocol.MaxPushItems)
		if err != nil {
			return &storeError{"reading the outbox", err}
		}
		if len(items) == 0 {
			return nil
		}
		if items[0].ID == lastFirst {
			return fmt.Errorf("the outbox still begins with an item that was acknowledged")
		}
		lastFirst = items[0].ID
		body, items, err := pushBody(items)
		if err != nil {
			return err
		}
		var answer protocol.PushResponse
		err = retry(ctx, s.c.opts, func() error {
			nonce := newNonce()
			return do(ctx, s.c.http, s.c.opts.RequestTimeout, request{
				method: http.MethodPost, url: s.base + protocol.PathPush, token: s.token, nonce: nonce,
				body: body, decode: func(r io.Reader) error {
					answer = protocol.PushResponse{}
					if err := json.NewDecoder(io.LimitReader(r, maxPushAnswer)).Decode(&answer); err != nil {
						return fmt.Errorf("%w: %v", errPushAnswer, err)
					}
					if err := matchAnswer(items, answer.Results); err != nil {
						return err
					}
					return s.verifyPush(answer, nonce)
				}})
		})
		if err != nil {
			return err
		}
		if err := s.c.store.Acknowledge(answer.Results); err != nil {
			return &storeError{"acknowledging pushed items", err}
		}
		failed := 0
		for _, r := range answer.Results {
			switch r.Status {
			case protocol.Failed:
				failed++
			case protocol.Rejected:
				res.Rejected++
			}
		}
		res.Pushed += len(items) - failed
		res.PushFailed += failed
		s.c.progress(syncstate.Progress{Phase: syncstate.PhasePush, Done: res.Pushed, Total: max(total, res.Pushed)})
		if failed > 0 {
			return nil // the rest waits for the next sync, in order
		}
	}
}

// verifyPush checks the server's proof of a push answer. Nothing is acknowledged on an answer
// it cannot prove (the items stay in the outbox, and the server applies each once when they
// come again). A kiosk enrolled before signed answers pushes as it did: it has no key.
func (s session) verifyPush(answer protocol.PushResponse, nonce string) error {
	if s.enr.Key.IsZero() {
		return nil
	}
	st := protocol.PushStatement(answer.Results, s.enr.Kiosk, s.enr.Office, nonce, nil)
	if err := s.keys.verify(st, answer.Proof, s.c.opts.Now()); err != nil {
		return &unprovedPush{err}
	}
	return nil
}

// unprovedPush is a push answer that does not verify: the push stops, and the pull is tried
// anyway, as after any push answer that does not fit (errPushAnswer), but without a retry.
type unprovedPush struct{ err error }

func (e *unprovedPush) Error() string   { return "the push answer: " + e.err.Error() }
func (e *unprovedPush) Unwrap() []error { return []error{e.err} }

// pushBody encodes as many of items, from the first, as fit in protocol.MaxPushBytes.
func pushBody(items []protocol.Push) ([]byte, []protocol.Push, error) {
	for {
		body, err := json.Marshal(protocol.PushRequest{Items: items})
		if err != nil {
			return nil, nil, fmt.Errorf("encoding outbox items: %w", err)
		}
		if len(body) <= protocol.MaxPushBytes {
			return body, items, nil
		}
		if len(items) == 1 {
			return nil, nil, fmt.Errorf("outbox item %s is larger than %d bytes", items[0].ID,
				protocol.MaxPushBytes)
		}
		items = items[:len(items)/2]
	}
}

// matchAnswer checks that the server answered every item sent, in order, with a known status.
func matchAnswer(items []protocol.Push, results []protocol.PushResult) error {
	if len(results) != len(items) {
		return fmt.Errorf("%w: %d results for %d items", errPushAnswer, len(results), len(items))
	}
	for i, r := range results {
		if r.ID != items[i].ID {
			return fmt.Errorf("%w: result %d is for another item", errPushAnswer, i)
		}
		switch r.Status {
		case protocol.Applied, protocol.Duplicate, protocol.Superseded, protocol.Rejected,
			protocol.Failed:
		default:
			return fmt.Errorf("%w: unknown status %q", errPushAnswer, r.Status)
		}
	}
	return nil
}

// fetched is one batch from the feed, checked and verified, or the reason there is none.
type fetched struct {
	b    protocol.Batch
	buf  []byte    // the body b's data lies in; free again once b is applied
	asOf time.Time // the server's signed time, when b brings the cache to the feed's head
	last bool      // the fetcher stops after this one
	err  error
}

// maxBehind is how many answers in a row may say "no more" while the feed's head is past
// them (an import landed between the server's reading of the batch and of the head) before a
// pull ends without being up to date; each one is asked again from its end.
const maxBehind = 3

// spareBodies is how many bodies a pull keeps for reuse: one being applied, one waiting to
// be, one being checked and one being fetched ahead.
const spareBodies = 4

// pull reads the feed from the stored cursor to its end. Batches are applied strictly in order,
// each whole, and the first failure stops the pull with the store at the last batch applied.
// The work overlaps: while this goroutine applies batch k, a fetcher checks batch k+1, and when
// the server sends its Feed-Next hint the request for batch k+2 is already out, so that the
// server reads batch k+2 while the kiosk checks k+1.
func (s session) pull(ctx context.Context, res *syncstate.Result) error {
	if s.enr.Key.IsZero() {
		return ErrNotPinned // nothing it could verify: ask for nothing
	}
	cursor, err := s.c.store.Cursor()
	if err != nil {
		return &storeError{"reading the cursor", err}
	}
	res.Cursor = cursor
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan fetched, 1)
	// Bodies go back to the fetcher once applied, so that a long pull reads every batch into
	// a buffer it already has instead of growing a new one of several megabytes.
	spare := make(chan []byte, spareBodies)
	go s.fetcher(ctx, cursor, ch, spare)
	defer func() {
		cancel()
		for range ch { // wait for the fetcher to stop
		}
	}()
	end := false
	for f := range ch {
		if f.err != nil {
			return f.err
		}
		b := &f.b
		end = f.last
		if len(b.Changes) > 0 || b.To != b.From {
			if err := s.c.store.ApplyBatch(b, f.asOf); err != nil {
				return &storeError{fmt.Sprintf("applying the batch after cursor %d", b.From), err}
			}
			res.Batches++
			res.Pulled += len(b.Changes)
		}
		if !f.asOf.IsZero() {
			res.AsOf = f.asOf
		}
		select {
		case spare <- f.buf:
		default:
		}
		res.Cursor = b.To
		s.c.progress(syncstate.Progress{Phase: syncstate.PhasePull, Done: res.Pulled, Cursor: b.To, More: b.More})
	}
	if !end {
		return ctx.Err() // the fetcher gave up only because the context ended
	}
	return nil
}

// fetcher sends the feed's batches from cursor on, checked and in order, to ch until the last
// one, the first failure or the end of ctx; then it closes ch.
func (s session) fetcher(ctx context.Context, cursor int64, ch chan<- fetched, spare <-chan []byte) {
	defer close(ch)
	reuse := func() []byte {
		select {
		case buf := <-spare:
			return buf
		default:
			return nil
		}
	}
	var ahead *prefetch
	defer func() { ahead.stop() }()
	after := cursor
	behind := 0
	for {
		var a answer
		if ahead != nil && ahead.after == after {
			a = ahead.wait()
		} else {
			if ahead != nil { // asked from a cursor the batch did not end at: drop the answer
				ahead.wait()
			}
			a = s.get(ctx, after, reuse())
		}
		ahead = nil
		if a.err == nil && a.next > after {
			ahead = s.prefetch(ctx, a.next, reuse())
		}
		var b protocol.Batch
		buf, err := a.body, a.err
		if err == nil {
			if b, err = s.check(buf, after, a.nonce); errors.Is(err, protocol.ErrBadBatch) {
				// Damaged on the way: ask again, checking each answer before the next try.
				b, buf, err = s.fetch(ctx, after, buf, err)
			}
		}
		f := fetched{b: b, buf: buf, err: err, last: err != nil}
		if err == nil && !b.More {
			// The last batch: up to date if the feed's head, signed with it, is no further.
			if b.To >= b.Proof.Head {
				f.asOf, f.last = b.Proof.At(), true
			} else if behind++; behind >= maxBehind {
				f.last = true
			}
		}
		select {
		case ch <- f:
		case <-ctx.Done():
			return
		}
		if f.last {
			return
		}
		after = b.To
	}
}

// check decodes and checks a batch's body (decodeBody) and verifies the server's proof of it
// for this kiosk's request after cursor with nonce.
func (s session) check(body []byte, after int64, nonce string) (protocol.Batch, error) {
	b, err := decodeBody(body, after)
	if err != nil {
		return b, err
	}
	st := protocol.BatchStatement(&b, s.enr.Kiosk, s.enr.Office, after, nonce, nil)
	if err := s.keys.verify(st, b.Proof, s.c.opts.Now()); err != nil {
		return protocol.Batch{}, err
	}
	return b, nil
}

// answer is the feed's answer to one request, read but not yet checked.
type answer struct {
	body  []byte
	next  int64  // the Feed-Next hint, 0 without one
	nonce string // the request's nonce, which the answer's proof must name
	err   error
}

// get reads the answer for the batch after cursor into buf, retrying transient failures.
func (s session) get(ctx context.Context, after int64, buf []byte) answer {
	var a answer
	err := retry(ctx, s.c.opts, func() error {
		a = s.getOnce(ctx, after, buf)
		buf = a.body
		return a.err
	})
	a.err = err
	return a
}

// getOnce sends one request for the batch after cursor and reads the answer into buf.
func (s session) getOnce(ctx context.Context, after int64, buf []byte) answer {
	return s.ask(ctx, s.changesURL(after, s.c.opts.BatchSize, 0), s.c.opts.RequestTimeout, buf)
}

// ask sends one request for the feed at url within timeout and reads the answer into buf.
func (s session) ask(ctx context.Context, url string, timeout time.Duration, buf []byte) answer {
	a := answer{body: buf, nonce: newNonce()}
	a.err = do(ctx, s.c.http, timeout, request{
		method: http.MethodGet, url: url, token: s.token, nonce: a.nonce,
		header: func(h http.Header) {
			if n, err := strconv.ParseInt(h.Get(protocol.HeaderNext), 10, 64); err == nil {
				a.next = n
			}
		},
		decode: func(r io.Reader) (err error) {
			a.body, err = readBody(r, a.body)
			return err
		}})
	return a
}

// prefetch is a request for a batch sent ahead, on the server's hint.
type prefetch struct {
	after  int64
	cancel context.CancelFunc
	done   chan answer
}

func (s session) prefetch(ctx context.Context, after int64, buf []byte) *prefetch {
	ctx, cancel := context.WithCancel(ctx)
	p := &prefetch{after: after, cancel: cancel, done: make(chan answer, 1)}
	go func() { p.done <- s.get(ctx, after, buf) }()
	return p
}

// wait returns the answer.
func (p *prefetch) wait() answer {
	a := <-p.done
	p.cancel()
	return a
}

// stop abandons the request, if any, and waits for it to end (the fetcher stops).
func (p *prefetch) stop() {
	if p != nil {
		p.cancel()
		<-p.done
	}
}

// changesURL asks for at most limit changes after the cursor, held up to wait seconds when
// there are none (0: answered at once).
func (s session) changesURL(after int64, limit, wait int) string {
	u := fmt.Sprintf("%s%s?after=%d&limit=%d", s.base, protocol.PathChanges, after, limit)
	if wait > 0 {
		u += fmt.Sprintf("&wait=%d", wait)
	}
	return u
}

// fetch gets and checks the batch after cursor, retrying transient failures, after a first
// attempt that failed with first. The body is read into buf (grown as needed and returned); the
// batch's data may lie in it.
func (s session) fetch(ctx context.Context, after int64, buf []byte, first error) (protocol.Batch, []byte, error) {
	var b protocol.Batch
	err := retryAfter(ctx, s.c.opts, first, func() error {
		a := s.getOnce(ctx, after, buf)
		buf = a.body
		if a.err != nil {
			return a.err
		}
		var err error
		b, err = s.check(buf, after, a.nonce)
		return err
	})
	return b, buf, err
}
