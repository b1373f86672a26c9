package cache

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// UpdatePIN saves a participant's new PIN state (a verifier, never a PIN) after they chose a new
// PIN, and queues a domain.SendPINChange for the server, in one transaction.
func (c *Cache) UpdatePIN(participant string, pin domain.PIN) error {
	return c.SetPIN(participant, pin, domain.SendPINChange)
}

// SetPIN saves a participant's new PIN state and queues it for the server as kind, one of
// domain.SendPINChange, domain.SendPINIssued (staff issued a temporary PIN) or
// domain.SendPINState (failures, lock, unlock), in one transaction. The participant record
// keeps a local mark until the server has answered, so a download cannot undo the change.
func (c *Cache) SetPIN(participant string, pin domain.PIN, kind string) error {
	switch kind {
	case domain.SendPINChange, domain.SendPINIssued, domain.SendPINState:
	default:
		return fmt.Errorf("cache: %q is not a PIN update", kind)
	}
	item, err := json.Marshal(domain.PINUpdate{Participant: participant, PIN: pin})
	if err != nil {
		return err
	}
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

	rid, owner := c.ridToken(protocol.KindParticipant, participant), c.ownerToken(participant)
	var body []byte
	err = tx.QueryRow(`SELECT body FROM records INDEXED BY records_key WHERE rid = ?1 AND kind = ?2`, rid, protocol.KindParticipant).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.ErrNotFound
	}
	if err != nil {
		return c.readErr(err)
	}
	data, err := c.openRecord(rid, owner, body)
	if err != nil {
		return err
	}
	// Replace only the PIN, keeping any field this program does not know.
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return domain.ErrCorruptRecord
	}
	clear(data)
	if fields["pin"], err = json.Marshal(pin); err != nil {
		return err
	}
	data, err = json.Marshal(fields)
	if err != nil {
		return err
	}
	seq, err := c.queue(tx, kind, item)
	if err != nil {
		return err
	}
	sealed := c.sealer.Seal(tableRecords, append(append([]byte(nil), rid...), owner...), data)
	clear(data)
	// The first local change keeps the server's state as the shadow.
	if _, err := tx.Exec(`UPDATE records SET shadow = iif(local = 0, body, shadow),
		shadow_owner = iif(local = 0, owner, shadow_owner), body = ?3, local = ?4
		WHERE rid = ?2 AND kind = ?1`, protocol.KindParticipant, rid, sealed, seq); err != nil {
		return err
	}
	return tx.Commit()
}

// Send queues an item with no local record for the server: an audit event, a PIN request, a
// message, a contact change, information about the other party. kind is one of domain.Send*;
// v is marshalled to JSON (a json.RawMessage goes as it is) and sealed in the outbox.
func (c *Cache) Send(kind string, v any) error {
	if kind == "" {
		return errors.New("cache: outbox item without a kind")
	}
	item, err := json.Marshal(v)
	if err != nil {
		return err
	}
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
	if _, err := c.queue(tx, kind, item); err != nil {
		return err
	}
	return tx.Commit()
}

// queue adds an outbox item with a fresh random ID and returns its sequence number.
func (c *Cache) queue(tx *sql.Tx, kind string, data []byte) (int64, error) {
	var raw [16]byte
	rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	res, err := tx.Exec(`INSERT INTO outbox(id, kind, body) VALUES (?1, ?2, ?3)`, id, kind,
		c.sealer.Seal(tableOutbox, []byte(id), data))
	if err != nil {
		return 0, fmt.Errorf("cache: queueing %s: %w", kind, err)
	}
	return res.LastInsertId()
}

// AuditSubject is the token that stands for a participant in audit events
// (domain.AuditEvent.Subject): a keyed hash, the same for every event of that participant on
// this kiosk, that does not reveal the participant ID.
func (c *Cache) AuditSubject(participant string) string {
	return hex.EncodeToString(c.index.Index("audit", participant))
}
