package server

import (
	"context"
	"sync"
	"time"

	"childsupportkiosk/sync/protocol"
)

// A kiosk that catches up (a first sync, a kiosk back after a long absence) asks for one full
// batch after another. While it takes one, the server already reads the next from its database,
// so that the answer to the kiosk's next request is ready or nearly so: the database read and
// the checksum were most of the time a first sync waited for the server.
//
// A batch read ahead is what the kiosk would have got had it asked a moment earlier. An import
// in between changes nothing the feed promises: a record the import changed comes again, later
// in the feed, with its new sequence number.
const (
	aheadKiosks  = 4                // kiosks served ahead at once (each holds a batch's memory)
	aheadTimeout = 30 * time.Second // the longest a read ahead may take
)

// aheadKeep is how long a batch read ahead waits for its kiosk (a variable for tests).
var aheadKeep = time.Minute

// ahead is the batch after cursor after, limit changes at most, of one kiosk's office, read
// ahead of the kiosk's request; b and err are set when done is closed.
type ahead struct {
	office string
	after  int64
	limit  int
	done   chan struct{}
	b      protocol.Batch
	buf    *feedBuf
	err    error
}

// release gives the batch's memory back once the read has ended.
func (x *ahead) release() {
	go func() {
		<-x.done
		x.buf.release()
	}()
}

// aheads holds the batches read ahead, one per kiosk at most.
type aheads struct {
	mu sync.Mutex
	m  map[string]*ahead // by kiosk ID
}

// take removes and returns the batch read ahead for this request of the kiosk, or nil if there
// is none. The caller waits for done and then owns the batch and its memory.
func (s *aheads) take(kiosk, office string, after int64, limit int) *ahead {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.m[kiosk]
	if x == nil {
		return nil
	}
	delete(s.m, kiosk)
	if x.office != office || x.after != after || x.limit != limit {
		x.release() // the kiosk asked for something else
		return nil
	}
	return x
}

// start reads the batch after cursor after for the kiosk in the background, unless too many
// kiosks have one read ahead already.
func (s *aheads) start(db *DB, kiosk, office string, after int64, limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]*ahead{}
	}
	if old := s.m[kiosk]; old != nil {
		delete(s.m, kiosk)
		old.release()
	}
	if len(s.m) >= aheadKiosks {
		return
	}
	x := &ahead{office: office, after: after, limit: limit, done: make(chan struct{}),
		buf: takeFeedBuf()}
	s.m[kiosk] = x
	time.AfterFunc(aheadKeep, func() { s.forget(kiosk, x) }) // if the kiosk does not come back
	go func() {
		defer close(x.done)
		ctx, cancel := context.WithTimeout(context.Background(), aheadTimeout)
		defer cancel()
		x.b, x.err = db.changes(ctx, office, after, limit, x.buf)
	}()
}

// forget drops x if it is still the kiosk's batch read ahead.
func (s *aheads) forget(kiosk string, x *ahead) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[kiosk] == x {
		delete(s.m, kiosk)
		x.release()
	}
}

// batch is the kiosk's batch after cursor after: the one read ahead for it if there is one,
// read now otherwise; then the next one is read ahead if more follow. The batch lies in buf's
// memory, which the caller releases.
func (s *aheads) batch(ctx context.Context, db *DB, k Kiosk, after int64, limit int) (b protocol.Batch, buf *feedBuf, err error) {
	if x := s.take(k.ID, k.Office, after, limit); x != nil {
		select {
		case <-x.done:
			if x.err == nil {
				b, buf = x.b, x.buf
			} else {
				x.buf.release() // read it again below
			}
		case <-ctx.Done():
			x.release()
			return protocol.Batch{}, nil, ctx.Err()
		}
	}
	if buf == nil {
		buf = takeFeedBuf()
		if b, err = db.changes(ctx, k.Office, after, limit, buf); err != nil {
			buf.release()
			return protocol.Batch{}, nil, err
		}
	}
	if b.More {
		s.start(db, k.ID, k.Office, b.To, limit)
	}
	return b, buf, nil
}
