package cache

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

var (
	_ syncstate.Store         = (*Cache)(nil)
	_ syncstate.OutboxCounter = (*Cache)(nil)
)

// readMeta opens a sealed value of the meta table into v. A missing value is sql.ErrNoRows.
func (c *Cache) readMeta(name string, v any) error { return c.readMetaIn(c.r, name, v) }

// readMetaIn reads and opens the sealed meta value name into v, through q (the reader or a
// write transaction); sql.ErrNoRows when there is none.
func (c *Cache) readMetaIn(q querier, name string, v any) error {
	var b []byte
	if err := q.QueryRow(`SELECT value FROM meta WHERE name = ?1`, name).Scan(&b); err != nil {
		return err
	}
	p, err := c.sealer.Open(tableMeta, []byte(name), b)
	if err != nil {
		return err
	}
	defer clear(p)
	return json.Unmarshal(p, v)
}

// querier is what reads a row: the cache's reader or a transaction.
type querier interface {
	QueryRow(query string, args ...any) *sql.Row
}

func (c *Cache) sealMeta(name string, v any) ([]byte, error) {
	p, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return c.sealer.Seal(tableMeta, []byte(name), p), nil
}

// Enrolment returns the saved identity, or domain.ErrNotEnrolled.
func (c *Cache) Enrolment() (syncstate.Enrolment, error) {
	if c.isClosed() {
		return syncstate.Enrolment{}, ErrClosed
	}
	var e syncstate.Enrolment
	err := c.readMeta("enrolment", &e)
	if errors.Is(err, sql.ErrNoRows) {
		return e, domain.ErrNotEnrolled
	}
	return e, err
}

// SaveEnrolment keeps the kiosk's identity, sealed (the token is a secret), synced to disk
// before it returns.
func (c *Cache) SaveEnrolment(e syncstate.Enrolment) error {
	b, err := c.sealMeta("enrolment", e)
	if err != nil {
		return err
	}
	return c.withSyncFull(func() error { return setMeta(sqlStore{c.w}, "enrolment", b) })
}

// Cursor is the last checkpoint applied, 0 before the first sync.
func (c *Cache) Cursor() (int64, error) {
	if c.isClosed() {
		return 0, ErrClosed
	}
	var v int64
	err := c.r.QueryRow(`SELECT value FROM meta WHERE name = 'cursor'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// Outbox returns up to n unsent items, oldest first.
func (c *Cache) Outbox(n int) ([]protocol.Push, error) {
	if c.isClosed() {
		return nil, ErrClosed
	}
	rows, err := c.r.Query(`SELECT seq, id, kind, body FROM outbox ORDER BY seq LIMIT ?1`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []protocol.Push
	for rows.Next() {
		var p protocol.Push
		var body sql.RawBytes
		if err := rows.Scan(&p.Seq, &p.ID, &p.Kind, &body); err != nil {
			return nil, err
		}
		data, err := c.sealer.Open(tableOutbox, []byte(p.ID), body)
		if err != nil {
			return nil, err
		}
		p.Data = data
		out = append(out, p)
	}
	return out, rows.Err()
}

// Acknowledge drops from the outbox every item whose result is not protocol.Failed, in one
// transaction, and clears the local marks those items held. When the server did not take a
// local change (superseded or rejected), the record goes back to the server's state as last
// downloaded; when it took it, the local state stays until the feed brings the server's.
func (c *Cache) Acknowledge(results []protocol.PushResult) error {
	defer c.forgetCounts()
	return c.write(func(tx *sql.Tx) error { return c.acknowledge(tx, results) })
}

func (c *Cache) acknowledge(tx *sql.Tx, results []protocol.PushResult) error {
	for _, r := range results {
		if r.Status == protocol.Failed {
			continue
		}
		var seq int64
		err := tx.QueryRow(`DELETE FROM outbox WHERE id = ?1 RETURNING seq`, r.ID).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			continue // acknowledged before
		}
		if err != nil {
			return err
		}
		if r.Status == protocol.Superseded || r.Status == protocol.Rejected {
			if err := c.restoreShadows(tx, seq); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`UPDATE records SET local = 0, shadow = NULL, shadow_owner = NULL WHERE local = ?1 AND local <> 0`, seq); err != nil {
			return err
		}
	}
	return nil
}

// restoreShadows puts back the server's state of the records whose local change seq the server
// did not take.
func (c *Cache) restoreShadows(tx *sql.Tx, seq int64) error {
	type shadowed struct {
		kind                    string
		rid, owner, sh, shOwner []byte
	}
	rows, err := tx.Query(`SELECT kind, rid, owner, shadow, shadow_owner FROM records
		WHERE local = ?1 AND local <> 0 AND shadow IS NOT NULL`, seq)
	if err != nil {
		return err
	}
	var list []shadowed
	for rows.Next() {
		var s shadowed
		if err := rows.Scan(&s.kind, &s.rid, &s.owner, &s.sh, &s.shOwner); err != nil {
			rows.Close()
			return err
		}
		list = append(list, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, s := range list {
		if len(s.sh) == 0 { // the server deleted it meanwhile
			if _, err := tx.Exec(`DELETE FROM records WHERE kind = ?1 AND rid = ?2`, s.kind, s.rid); err != nil {
				return err
			}
			if s.kind == protocol.KindParticipant {
				if _, err := tx.Exec(sqlDropLookups, s.owner); err != nil {
					return err
				}
			}
			continue
		}
		data, err := c.openRecord(s.rid, s.shOwner, s.sh)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE records SET body = ?3, owner = ?4, shadow = NULL, shadow_owner = NULL,
			local = 0 WHERE rid = ?2 AND kind = ?1`, s.kind, s.rid, s.sh, s.shOwner); err != nil {
			return err
		}
		if s.kind == protocol.KindParticipant {
			if err := c.putLookups(tx, s.shOwner, data); err != nil {
				return err
			}
		}
	}
	return nil
}

// putLookups replaces a participant's look-up rows from its JSON.
func (c *Cache) putLookups(tx *sql.Tx, owner, data []byte) error {
	var p struct {
		ID  string `json:"id"`
		SSN string `json:"ssn"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	if _, err := tx.Exec(sqlDropLookups, owner); err != nil {
		return err
	}
	for _, v := range [][2]string{{"pid", domain.Digits(p.ID)}, {"ssn", domain.Digits(p.SSN)}} {
		if v[1] != "" {
			if _, err := tx.Exec(sqlPutLookup, c.index.Index(v[0], v[1]), owner); err != nil {
				return err
			}
		}
	}
	return nil
}

// syncState is the sealed status record.
type syncState struct {
	LastSuccess time.Time `json:"last_success,omitzero"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
}

// RecordSync notes the outcome of one sync attempt. "Data as of" moves forward to r.AsOf, the
// server's signed time of a verified answer that found the cache at the feed's head, and to
// nothing else: a sync that succeeded without such an answer leaves it where it was.
func (c *Cache) RecordSync(r syncstate.SyncRecord) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.isClosed() {
		return ErrClosed
	}
	var s syncState
	if err := c.readMeta("sync", &s); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	s.LastAttempt, s.LastError = r.At, r.Error
	if r.OK {
		s.LastSuccess, s.LastError = r.At, ""
	}
	b, err := c.sealMeta("sync", s)
	if err != nil {
		return err
	}
	tx, err := c.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := setMeta(sqlStore{tx}, "sync", b); err != nil {
		return err
	}
	what := domain.ActSyncFailed
	if r.OK {
		what = domain.ActSyncOK
	}
	if err := c.countActivity(tx, r.At, what); err != nil {
		return err
	}
	if !r.AsOf.IsZero() {
		if err := setAsOf(sqlStore{tx}, r.AsOf); err != nil {
			return err
		}
	}
	if r.OK {
		// The cache matches the server: a bulk load still open is complete.
		if err := finishBulk(sqlStore{tx}); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if r.OK && c.rollback {
		c.journalWAL(sqlStore{c.w}) // the load has ended
	}
	return nil
}

// Status reads the status record: enrolment, cursor, last attempts, pending outbox and the
// number of records of each kind.
func (c *Cache) Status() (syncstate.Status, error) {
	var st syncstate.Status
	e, err := c.Enrolment()
	if err != nil && !errors.Is(err, domain.ErrNotEnrolled) {
		return st, err
	}
	st.Server, st.Kiosk, st.Office, st.Profile = e.Server, e.Kiosk, e.Office, e.Profile
	st.Key, st.NextKey = e.Key, e.NextKey
	st.Lock = seal.KindOf(c.kek)
	if st.Cursor, err = c.Cursor(); err != nil {
		return st, err
	}
	var s syncState
	if err := c.readMeta("sync", &s); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, err
	}
	st.LastSuccess, st.LastAttempt, st.LastError = s.LastSuccess, s.LastAttempt, s.LastError
	if st.PendingOutbox, err = c.PendingOutbox(); err != nil {
		return st, err
	}
	st.Counts, err = c.counts(st.Cursor)
	return st, err
}

// PendingOutbox is how many items wait in the outbox (sync/client.OutboxCounter).
func (c *Cache) PendingOutbox() (int, error) {
	if c.isClosed() {
		return 0, ErrClosed
	}
	var n int
	if err := c.r.QueryRow(`SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("cache: %w", err)
	}
	return n, nil
}

// counts are the records per kind. Counting reads the whole owner index (a second for a large
// office), so the answer is kept until the next write that can change it.
func (c *Cache) counts(cursor int64) (map[string]int, error) {
	c.countMu.Lock()
	defer c.countMu.Unlock()
	if c.countOK && c.countCursor == cursor {
		return maps.Clone(c.countMemo), nil
	}
	rows, err := c.r.Query(`SELECT kind, count(*) FROM records INDEXED BY records_owner GROUP BY kind`)
	if err != nil {
		if errors.Is(c.readErr(err), ErrInitialSync) {
			return nil, nil // no counts while the first sync is loading
		}
		return nil, err
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		m[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.countMemo, c.countCursor, c.countOK = m, cursor, true
	return maps.Clone(m), nil
}

// forgetCounts drops the kept counts after a write that may change them.
func (c *Cache) forgetCounts() {
	c.countMu.Lock()
	c.countOK = false
	c.countMu.Unlock()
}

// DataAsOf is when the cache last matched the server: the server's signed time of the last
// verified answer that found the cache at the feed's head (with the batch that brought it
// there, or a "nothing new"). It is the zero time before the first.
func (c *Cache) DataAsOf() (time.Time, error) {
	if c.isClosed() {
		return time.Time{}, ErrClosed
	}
	var ns int64
	err := c.r.QueryRow(`SELECT value FROM meta WHERE name = 'as_of'`).Scan(&ns)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("cache: %w", err)
	}
	return time.Unix(0, ns), nil
}
