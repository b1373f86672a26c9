package server

import (
	"context"
	"database/sql"
	"encoding/json"

	"childsupportkiosk/sync/protocol"
)

// Changes returns the office's view records with a sequence number after the cursor, in order,
// at most limit of them (protocol.DefaultBatch when limit is 0 or less, never more than
// protocol.MaxBatch), sealed with their checksum. To is the last sequence number in the batch,
// or after when there is none; More says more remain.
func (d *DB) Changes(office string, after int64, limit int) (protocol.Batch, error) {
	return d.ChangesContext(context.Background(), office, after, limit)
}

// ChangesContext is Changes with a context that can cancel the query.
func (d *DB) ChangesContext(ctx context.Context, office string, after int64, limit int) (protocol.Batch, error) {
	return d.changes(ctx, office, after, limit, new(feedBuf))
}

// feedBuf is the memory of one batch: its changes and the arena their bodies lie in. The HTTP
// handler keeps them between requests (feedBufs); a large batch is several megabytes, and
// allocating, zeroing and growing it afresh for every request was a quarter of the server's
// time in a kiosk's first sync.
type feedBuf struct {
	changes []protocol.Change
	arena   []byte
}

// keep holds a few things for the requests to come: a sync.Pool lets the garbage collector
// empty it, which in a first sync it did between most requests.
type keep[T any] chan T

// get takes a kept thing, or makes one with fresh.
func (k keep[T]) get(fresh func() T) T {
	select {
	case x := <-k:
		return x
	default:
		return fresh()
	}
}

// put keeps x if there is room.
func (k keep[T]) put(x T) {
	select {
	case k <- x:
	default:
	}
}

// feedBufs keeps the memory of a few batches.
var feedBufs = make(keep[*feedBuf], 4)

// takeFeedBuf is a kept batch's memory, or new memory.
func takeFeedBuf() *feedBuf { return feedBufs.get(func() *feedBuf { return new(feedBuf) }) }

// release forgets what the last batch held and keeps buf for another request.
func (buf *feedBuf) release() {
	clear(buf.changes)
	buf.changes = buf.changes[:0]
	feedBufs.put(buf)
}

// changes is ChangesContext into buf's memory: the batch is valid until buf is used again.
func (d *DB) changes(ctx context.Context, office string, after int64, limit int, buf *feedBuf) (protocol.Batch, error) {
	if limit <= 0 {
		limit = protocol.DefaultBatch
	}
	limit = min(limit, protocol.MaxBatch)
	if after < 0 {
		after = 0
	}
	// One range scan of the primary key (office, seq); the body goes out as stored. The query
	// runs without ctx, whose cancellation the driver would watch at every row (a tenth of
	// the server's time in a kiosk's first sync); the loop below looks at ctx instead.
	rows, err := d.feedQuery(context.WithoutCancel(ctx), `SELECT seq, kind, id, owner, deleted, body FROM records
		WHERE office = ? AND seq > ? ORDER BY seq LIMIT ?`, office, after, limit+1)
	if err != nil {
		return protocol.Batch{}, err
	}
	defer rows.Close()
	// Room for a default batch up front (a record's body is about 250 bytes), unless buf
	// already has more: growing from a small slice copied every change several times.
	room := min(limit, protocol.DefaultBatch)
	if cap(buf.changes) < room {
		buf.changes = make([]protocol.Change, 0, room)
	}
	if cap(buf.arena) < 256*room {
		buf.arena = make([]byte, 0, 256*room)
	}
	b := protocol.Batch{From: after, To: after, Changes: buf.changes[:0]}
	// Bodies are copied into one arena per batch rather than one allocation each. A full arena
	// is replaced by a larger one (the bodies already copied stay where they are), and the
	// largest is kept for the next batch.
	arena := buf.arena[:0]
	var body, kind sql.RawBytes
	for rows.Next() {
		if len(b.Changes)%1024 == 1023 && ctx.Err() != nil {
			return protocol.Batch{}, ctx.Err()
		}
		if len(b.Changes) == limit {
			b.More = true
			break
		}
		var c protocol.Change
		if err := rows.Scan(&c.Seq, &kind, &c.ID, &c.Owner, &c.Deleted, &body); err != nil {
			return protocol.Batch{}, err
		}
		c.Kind = internKind(kind)
		if !c.Deleted && len(body) > 0 {
			if cap(arena)-len(arena) < len(body) {
				arena = make([]byte, 0, max(len(body), 2*cap(arena)))
			}
			start := len(arena)
			arena = append(arena, body...)
			c.Data = json.RawMessage(arena[start:len(arena):len(arena)])
		}
		b.Changes = append(b.Changes, c)
		b.To = c.Seq
	}
	if err := rows.Err(); err != nil {
		return protocol.Batch{}, err
	}
	buf.changes, buf.arena = b.Changes, arena
	b.Seal()
	return b, nil
}

// LastSeq is the feed's last sequence number, over all offices: 0 before the first import.
func (d *DB) LastSeq() (int64, error) {
	rows, err := d.feedQuery(context.Background(), `SELECT last FROM feed`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	if rows.Next() {
		err = rows.Scan(&n)
	}
	if err == nil {
		err = rows.Err()
	}
	return n, err
}

// internKind returns the protocol's own string for a kind, so a batch holds one copy of each.
func internKind(k []byte) string {
	for _, x := range protocol.Kinds {
		if x == string(k) {
			return x
		}
	}
	return string(k)
}
