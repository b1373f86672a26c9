package cache

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/namefold"
	"childsupportkiosk/sync/protocol"
)

// write runs f in one write transaction of the cache: committed when f returns nil, rolled
// back otherwise.
func (c *Cache) write(f func(tx *sql.Tx) error) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.isClosed() {
		return ErrClosed
	}
	tx, err := c.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// setLocal replaces one field of a record with a local change and queues the item for the
// server as sendKind, in one transaction. The field is a PIN state (a participant's pin, a
// staff account's password); item makes the outbox item's data given the change's base, the
// server's version the change is made on (localBase). The record keeps a local mark, and the
// server's state as its shadow, until the server has answered, so a download cannot undo the
// change.
func (c *Cache) setLocal(kind, id, ownerName, field string, value any, sendKind string, item func(base int64) ([]byte, error)) error {
	if err := c.loading(); err != nil {
		return err
	}
	return c.write(func(tx *sql.Tx) error {
		rid, owner, data, err := c.readRecord(tx, kind, id, ownerName)
		if err != nil {
			return err
		}
		// Replace only the one field, keeping any field this program does not know.
		var fields map[string]json.RawMessage
		err = json.Unmarshal(data, &fields)
		clear(data)
		if err != nil {
			return domain.ErrCorruptRecord
		}
		base, err := c.localBase(tx, kind, rid, fields[field])
		if err != nil {
			return err
		}
		if fields[field], err = json.Marshal(value); err != nil {
			return err
		}
		if data, err = json.Marshal(fields); err != nil {
			return err
		}
		it, err := item(base)
		if err != nil {
			return err
		}
		seq, err := c.queue(tx, sendKind, it)
		if err != nil {
			return err
		}
		sealed := c.sealer.Seal(tableRecords, append(append([]byte(nil), rid...), owner...), data)
		clear(data)
		// The first local change keeps the server's state as the shadow.
		_, err = tx.Exec(`UPDATE records SET shadow = iif(local = 0, body, shadow),
			shadow_owner = iif(local = 0, owner, shadow_owner), body = ?3, local = ?4
			WHERE rid = ?2 AND kind = ?1`, kind, rid, sealed, seq)
		return err
	})
}

// localBase is the base of a new local change to a PIN state held as held (its JSON) in the
// record kind/rid: the server's version the record's state was made on. With no local change
// waiting, that is the version held, as the server sent it (or as the server numbers the
// kiosk's changes it took and has not sent back yet: each the one before plus one). With one
// waiting, the new change is made on top of it, and so on the same base as it: the server
// takes a kiosk's changes in a row on one base, and only while nobody else wrote between.
// A download while changes wait moves only the shadow, never the base, so a change made on
// the kiosk's older state is never sent as if made on the server's newer one.
func (c *Cache) localBase(tx *sql.Tx, kind string, rid []byte, held json.RawMessage) (int64, error) {
	var v struct {
		Version int64 `json:"version"`
	}
	if len(held) > 0 {
		if err := json.Unmarshal(held, &v); err != nil {
			return 0, domain.ErrCorruptRecord
		}
	}
	var mark int64
	if err := tx.QueryRow(`SELECT local FROM records WHERE rid = ?1 AND kind = ?2`, rid, kind).Scan(&mark); err != nil {
		return 0, c.readErr(err)
	}
	if mark == 0 {
		return v.Version, nil
	}
	var id string
	var body []byte
	err := tx.QueryRow(`SELECT id, body FROM outbox WHERE seq = ?1`, mark).Scan(&id, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return v.Version, nil // not to be: a mark goes with its item
	} else if err != nil {
		return 0, err
	}
	data, err := c.sealer.Open(tableOutbox, []byte(id), body)
	if err != nil {
		return 0, err
	}
	defer clear(data)
	var waiting struct {
		Base     *int64                   `json:"base"`
		PIN      *struct{ Version int64 } `json:"pin"`
		Password *struct{ Version int64 } `json:"password"`
	}
	if err := json.Unmarshal(data, &waiting); err != nil {
		return 0, domain.ErrCorruptRecord
	}
	switch {
	case waiting.Base != nil:
		return *waiting.Base, nil
	case waiting.PIN != nil: // queued before bases: its version was its base plus one
		return max(waiting.PIN.Version-1, 0), nil
	case waiting.Password != nil:
		return max(waiting.Password.Version-1, 0), nil
	}
	return v.Version, nil
}

// readRecord reads and opens the record kind/id of the owner named ownerName through q (the
// reader, or a write transaction), with its row's tokens; domain.ErrNotFound when there is
// none. The caller clears data.
func (c *Cache) readRecord(q interface {
	QueryRow(query string, args ...any) *sql.Row
}, kind, id, ownerName string) (rid, owner, data []byte, err error) {
	rid, owner = c.ridToken(kind, id), c.ownerToken(ownerName)
	var body []byte
	err = q.QueryRow(`SELECT body FROM records WHERE rid = ?1 AND kind = ?2`, rid, kind).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, nil, nil, c.readErr(err)
	}
	data, err = c.openRecord(rid, owner, body)
	return rid, owner, data, err
}

// loading answers ErrInitialSync while the first sync is still loading: the records' indexes are
// not there yet, and a query would scan the whole table.
func (c *Cache) loading() error {
	var bulk int64
	err := c.r.QueryRow(`SELECT value FROM meta WHERE name = 'bulk'`).Scan(&bulk)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("cache: %w", err)
	case bulk != 0:
		return ErrInitialSync
	}
	return nil
}

// FindStaff reads a staff account of the kiosk's office by staff ID (as the agency writes it;
// see domain.NormalizeStaffID). It returns domain.ErrNotFound when there is none.
func (c *Cache) FindStaff(id string) (domain.Staff, error) {
	var s domain.Staff
	if c.isClosed() {
		return s, ErrClosed
	}
	if !domain.ValidStaffID(id) {
		return s, domain.ErrNotFound
	}
	if err := c.loading(); err != nil {
		return s, err
	}
	_, _, data, err := c.readRecord(c.r, protocol.KindStaff, id, domain.StaffOwner(id))
	if err != nil {
		return s, err
	}
	defer clear(data)
	if json.Unmarshal(data, &s) != nil || s.ID != id {
		return domain.Staff{}, domain.ErrCorruptRecord
	}
	return s, nil
}

// SetStaffState saves a staff account's sign-in state (failures, lock) and queues it for the
// server as domain.SendStaffState, with the server's version it is made on, in one
// transaction.
func (c *Cache) SetStaffState(staff string, password domain.PIN) error {
	item := func(base int64) ([]byte, error) {
		return json.Marshal(protocol.StaffPush{StaffUpdate: domain.StaffUpdate{Staff: staff, Password: password}, Base: &base})
	}
	return c.setLocal(protocol.KindStaff, staff, domain.StaffOwner(staff), "password", password, domain.SendStaffState, item)
}

// Directory reads every participant of the kiosk's office with their case numbers, for staff
// mode's search by name and case number. It decrypts each participant and case record once
// (the caller keeps the result in memory for the staff session and drops it at its end), never
// anything else. Participants are found through the look-up table, whose owners are exactly
// the participants the kiosk holds, and their records through the owner index.
func (c *Cache) Directory() ([]domain.DirectoryEntry, error) {
	if c.isClosed() {
		return nil, ErrClosed
	}
	if err := c.loading(); err != nil {
		return nil, err
	}
	rows, err := c.r.Query(`SELECT r.kind, r.rid, r.owner, r.body FROM (SELECT DISTINCT owner FROM lookup) l
		JOIN records r ON r.owner = l.owner AND r.kind IN (?1, ?2) ORDER BY r.owner`, protocol.KindParticipant, protocol.KindCase)
	if err != nil {
		return nil, c.readErr(err)
	}
	defer rows.Close()
	var out []domain.DirectoryEntry
	var cur *domain.DirectoryEntry
	var curOwner []byte
	var buf []byte
	var cases []string
	flush := func() {
		if cur != nil {
			slices.Sort(cases)
			cur.Cases = slices.Compact(cases)
			out = append(out, *cur)
		}
		cur, cases = nil, nil
	}
	for rows.Next() {
		var kind string
		var rid, owner, body sql.RawBytes
		if err := rows.Scan(&kind, &rid, &owner, &body); err != nil {
			return nil, err
		}
		if string(owner) != string(curOwner) {
			flush()
			curOwner = append(curOwner[:0], owner...)
		}
		data, err := c.appendOpenRecord(buf[:0], rid, owner, body)
		if err != nil {
			return nil, err
		}
		switch kind {
		case protocol.KindParticipant:
			var p struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			}
			if json.Unmarshal(data, &p) != nil {
				return nil, domain.ErrCorruptRecord
			}
			cur = &domain.DirectoryEntry{ID: p.ID, Name: p.Name, Folded: namefold.Fold(p.Name)}
		case protocol.KindCase:
			var k struct {
				Number string `json:"number"`
			}
			if json.Unmarshal(data, &k) != nil {
				return nil, domain.ErrCorruptRecord
			}
			cases = append(cases, domain.CaseKey(k.Number))
		}
		buf = data[:0]
	}
	clear(buf[:cap(buf)])
	if err := rows.Err(); err != nil {
		return nil, err
	}
	flush()
	slices.SortFunc(out, func(a, b domain.DirectoryEntry) int {
		return cmp.Or(cmp.Compare(a.Folded, b.Folded), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// auditKeep is how many audit events the kiosk keeps for a supervisor to read.
const auditKeep = 500

const tableAuditLog = "audit_log"

// logAudit keeps a copy of an audit event in the kiosk's own sealed audit log, trimmed to the
// newest auditKeep, inside the transaction that queues it.
func (c *Cache) logAudit(tx *sql.Tx, item []byte) error {
	res, err := tx.Exec(`INSERT INTO audit_log(body) VALUES (X'')`)
	if err != nil {
		return err
	}
	n, err := res.LastInsertId()
	if err != nil {
		return err
	}
	sealed := c.sealer.Seal(tableAuditLog, []byte(strconv.FormatInt(n, 10)), item)
	if _, err := tx.Exec(`UPDATE audit_log SET body = ?2 WHERE n = ?1`, n, sealed); err != nil {
		return err
	}
	_, err = tx.Exec(`DELETE FROM audit_log WHERE n <= ?1`, n-auditKeep)
	return err
}

// RecentAudit returns up to n of the kiosk's newest audit events, newest first. They carry no
// PII: a participant is a keyed hash, a staff member their staff ID.
func (c *Cache) RecentAudit(n int) ([]domain.AuditEvent, error) {
	if c.isClosed() {
		return nil, ErrClosed
	}
	rows, err := c.r.Query(`SELECT n, body FROM audit_log ORDER BY n DESC LIMIT ?1`, n)
	if err != nil {
		return nil, c.readErr(err)
	}
	defer rows.Close()
	var out []domain.AuditEvent
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, err
		}
		data, err := c.sealer.Open(tableAuditLog, []byte(strconv.FormatInt(seq, 10)), body)
		if err != nil {
			return nil, fmt.Errorf("cache: audit entry %d: %w", seq, err)
		}
		var ev domain.AuditEvent
		if json.Unmarshal(data, &ev) != nil {
			return nil, domain.ErrCorruptRecord
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}
