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
	if limit <= 0 {
		limit = protocol.DefaultBatch
	}
	limit = min(limit, protocol.MaxBatch)
	if after < 0 {
		after = 0
	}
	// One range scan of the primary key (office, seq); the body goes out as stored.
	rows, err := d.sql.QueryContext(ctx, `SELECT seq, kind, id, owner, deleted, body FROM records
		WHERE office = ? AND seq > ? ORDER BY seq LIMIT ?`, office, after, limit+1)
	if err != nil {
		return protocol.Batch{}, err
	}
	defer rows.Close()
	// Room for a default batch up front (a record's body is about 250 bytes): growing from
	// a small slice copied every change several times, a sixth of the server's time for a
	// large batch; a kiosk that only polls costs at most this much.
	room := min(limit, protocol.DefaultBatch)
	b := protocol.Batch{From: after, To: after, Changes: make([]protocol.Change, 0, room)}
	// Bodies are copied into one arena per batch rather than one allocation each.
	arena := make([]byte, 0, 256*room)
	var body, kind sql.RawBytes
	for rows.Next() {
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
	b.Seal()
	return b, nil
}

// LastSeq is the feed's last sequence number, over all offices: 0 before the first import.
func (d *DB) LastSeq() (int64, error) {
	var n int64
	err := d.sql.QueryRow(`SELECT last FROM feed`).Scan(&n)
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
