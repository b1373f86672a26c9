package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"childsupportkiosk/sync/protocol"
)

// session is one sync's conversation with the server.
type session struct {
	c     *Client
	base  string
	token string
}

// maxPushAnswer bounds the body of a push response.
const maxPushAnswer = 4 << 20

// push sends the outbox in order, in chunks the protocol allows, and acknowledges each answer.
// It stops at the first chunk with an item the server did not take, so that later items never
// overtake it.
func (s session) push(ctx context.Context, res *Result) error {
	total := 0
	if st, err := s.c.store.Status(); err == nil {
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
			return do(ctx, s.c.http, s.c.opts.RequestTimeout, request{
				method: http.MethodPost, url: s.base + protocol.PathPush, token: s.token,
				body: body, decode: func(r io.Reader) error {
					answer = protocol.PushResponse{}
					if err := json.NewDecoder(io.LimitReader(r, maxPushAnswer)).Decode(&answer); err != nil {
						return fmt.Errorf("%w: %v", errPushAnswer, err)
					}
					return matchAnswer(items, answer.Results)
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
		s.c.progress(Progress{Phase: PhasePush, Done: res.Pushed, Total: max(total, res.Pushed)})
		if failed > 0 {
			return nil // the rest waits for the next sync, in order
		}
	}
}

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

// fetched is one batch from the feed, or the reason there is none.
type fetched struct {
	b   protocol.Batch
	err error
}

// pull reads the feed from the stored cursor to its end. One goroutine fetches and checks
// batch k+1 while this one applies batch k; batches are applied strictly in order, each whole,
// and the first failure stops the pull with the store at the last batch applied.
func (s session) pull(ctx context.Context, res *Result) error {
	cursor, err := s.c.store.Cursor()
	if err != nil {
		return &storeError{"reading the cursor", err}
	}
	res.Cursor = cursor
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan fetched, 1)
	go func() {
		defer close(ch)
		after := cursor
		for {
			b, err := s.fetch(ctx, after)
			select {
			case ch <- fetched{b, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || !b.More {
				return
			}
			after = b.To
		}
	}()
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
		end = !b.More
		if len(b.Changes) > 0 || b.To != b.From {
			if err := s.c.store.ApplyBatch(b, s.c.opts.Now()); err != nil {
				return &storeError{fmt.Sprintf("applying the batch after cursor %d", b.From), err}
			}
			res.Batches++
			res.Pulled += len(b.Changes)
		}
		res.Cursor = b.To
		s.c.progress(Progress{Phase: PhasePull, Done: res.Pulled, Cursor: b.To, More: b.More})
	}
	if !end {
		return ctx.Err() // the fetcher gave up only because the context ended
	}
	return nil
}

// fetch gets and checks the batch after cursor, retrying transient failures.
func (s session) fetch(ctx context.Context, after int64) (protocol.Batch, error) {
	var b protocol.Batch
	url := fmt.Sprintf("%s%s?after=%d&limit=%d", s.base, protocol.PathChanges, after,
		s.c.opts.BatchSize)
	err := retry(ctx, s.c.opts, func() error {
		return do(ctx, s.c.http, s.c.opts.RequestTimeout, request{
			method: http.MethodGet, url: url, token: s.token,
			decode: func(r io.Reader) (err error) {
				b, err = decodeBatch(r, after)
				return err
			}})
	})
	return b, err
}
