package server

import (
	"context"
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
	// One range scan of the (office, seq) index; the body goes out as stored.
	rows, err := d.sql.QueryContext(ctx, `SELECT seq, kind, id, owner, deleted, body FROM records
		WHERE office = ? AND seq > ? ORDER BY seq LIMIT ?`, office, after, limit+1)
	if err != nil {
		return protocol.Batch{}, err
	}
	defer rows.Close()
	b := protocol.Batch{From: after, To: after, Changes: make([]protocol.Change, 0, min(limit, 1024))}
	for rows.Next() {
		if len(b.Changes) == limit {
			b.More = true
			break
		}
		var c protocol.Change
		var body []byte
		if err := rows.Scan(&c.Seq, &c.Kind, &c.ID, &c.Owner, &c.Deleted, &body); err != nil {
			return protocol.Batch{}, err
		}
		if !c.Deleted {
			c.Data = json.RawMessage(body)
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
