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
// domain.SendPINState (failures, lock, unlock), in one transaction. The item carries the
// server's version the change is made on (protocol.PINPush's Base; localBase); the server
// gives the change its own version, and the kiosk has it with the next pull. The participant
// record keeps a local mark until the server has answered, so a download cannot undo the
// change.
func (c *Cache) SetPIN(participant string, pin domain.PIN, kind string) error {
	switch kind {
	case domain.SendPINChange, domain.SendPINIssued, domain.SendPINState:
	default:
		return fmt.Errorf("cache: %q is not a PIN update", kind)
	}
	item := func(base int64) ([]byte, error) {
		return json.Marshal(protocol.PINPush{PINUpdate: domain.PINUpdate{Participant: participant, PIN: pin}, Base: &base})
	}
	return c.setLocal(protocol.KindParticipant, participant, participant, "pin", pin, kind, item)
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
	return c.write(func(tx *sql.Tx) error {
		if _, err := c.queue(tx, kind, item); err != nil {
			return err
		}
		if kind == domain.SendAudit {
			if err := c.logAudit(tx, item); err != nil {
				return err
			}
			var ev domain.AuditEvent
			if json.Unmarshal(item, &ev) == nil {
				return c.countActivity(tx, ev.At, domain.ActivityOf(ev))
			}
		}
		return nil
	})
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
