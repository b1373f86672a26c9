package cache

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/sync/protocol"
)

var _ domain.CaseFile = (*Cache)(nil)

// ErrInitialSync is what reads answer while the first sync is still loading (see
// ApplyBatch): the cache holds part of the office and cannot serve anyone yet.
const ErrInitialSync domain.Problem = "cache.initial_sync"

// readErr turns the error of a query that names an index dropped by a bulk load into
// ErrInitialSync.
func (c *Cache) readErr(err error) error {
	if err != nil && strings.Contains(err.Error(), "no such index") {
		return ErrInitialSync
	}
	return err
}

// openRecord opens a sealed record body of row rid owned by owner (nil for the office).
func (c *Cache) openRecord(rid, owner, sealed []byte) ([]byte, error) {
	return c.appendOpenRecord(nil, rid, owner, sealed)
}

func (c *Cache) appendOpenRecord(buf, rid, owner, sealed []byte) ([]byte, error) {
	var rowBuf [2 * seal.IndexSize]byte
	row := append(append(rowBuf[:0], rid...), owner...)
	return c.sealer.AppendOpen(buf, tableRecords, row, sealed)
}

// ownerToken is the blind index of a participant ID as owner of records.
func (c *Cache) ownerToken(participant string) []byte { return c.index.Index("owner", participant) }

// ridToken is the blind index of a record's kind and ID.
func (c *Cache) ridToken(kind, id string) []byte { return c.index.Index("row", kind+"\x00"+id) }

// owned decodes every record of one kind that belongs to participant. Only that participant's
// rows are read and opened, through the owner index.
func owned[T any](c *Cache, participant, kind string) ([]T, error) {
	if c.isClosed() {
		return nil, ErrClosed
	}
	owner := c.ownerToken(participant)
	rows, err := c.r.Query(`SELECT rid, body FROM records INDEXED BY records_owner WHERE owner = ?1 AND kind = ?2`, owner, kind)
	if err != nil {
		return nil, c.readErr(err)
	}
	defer rows.Close()
	var out []T
	var buf []byte
	for rows.Next() {
		var rid, body sql.RawBytes
		if err := rows.Scan(&rid, &body); err != nil {
			return nil, err
		}
		data, err := c.appendOpenRecord(buf[:0], rid, owner, body)
		if err != nil {
			return nil, err // a record moved to another row or someone else's rows
		}
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, domain.ErrCorruptRecord
		}
		out = append(out, v)
		buf = data[:0]
	}
	clear(buf[:cap(buf)])
	return out, rows.Err()
}

// FindParticipant finds a participant by participant ID or SSN, digits only, through the blind
// index. It returns domain.ErrNotFound when neither matches.
func (c *Cache) FindParticipant(login string) (domain.Participant, error) {
	var p domain.Participant
	if c.isClosed() {
		return p, ErrClosed
	}
	d := domain.Digits(login)
	if d == "" {
		return p, domain.ErrNotFound
	}
	for _, purpose := range []string{"pid", "ssn"} {
		var owner []byte
		err := c.r.QueryRow(`SELECT owner FROM lookup WHERE bidx = ?1`, c.index.Index(purpose, d)).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return p, err
		}
		var rid, body []byte
		err = c.r.QueryRow(`SELECT rid, body FROM records INDEXED BY records_owner WHERE owner = ?1 AND kind = ?2`,
			owner, protocol.KindParticipant).Scan(&rid, &body)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return p, c.readErr(err)
		}
		data, err := c.openRecord(rid, owner, body)
		if err != nil {
			return p, err
		}
		if json.Unmarshal(data, &p) != nil {
			return domain.Participant{}, domain.ErrCorruptRecord
		}
		clear(data)
		// The token matched; the record must say so too.
		if (purpose == "pid" && domain.Digits(p.ID) == d) || (purpose == "ssn" && domain.Digits(p.SSN) == d) {
			return p, nil
		}
		p = domain.Participant{}
	}
	return p, domain.ErrNotFound
}

// Cases are the participant's views of their cases, by case number.
func (c *Cache) Cases(participant string) ([]domain.Case, error) {
	v, err := owned[domain.Case](c, participant, protocol.KindCase)
	slices.SortFunc(v, func(a, b domain.Case) int { return cmp.Compare(a.Number, b.Number) })
	return v, err
}

// PaymentsMade are the participant's payments, newest first (by date received, then ID).
func (c *Cache) PaymentsMade(participant string) ([]domain.Payment, error) {
	v, err := owned[domain.Payment](c, participant, protocol.KindPayment)
	slices.SortFunc(v, func(a, b domain.Payment) int {
		return cmp.Or(b.Received.Compare(a.Received), cmp.Compare(b.ID, a.ID))
	})
	return v, err
}

// PaymentsReceived are the disbursements to the participant, newest first (by date, then ID).
func (c *Cache) PaymentsReceived(participant string) ([]domain.Disbursement, error) {
	v, err := owned[domain.Disbursement](c, participant, protocol.KindDisbursement)
	slices.SortFunc(v, func(a, b domain.Disbursement) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(b.ID, a.ID))
	})
	return v, err
}

// Appointments are the participant's appointments and court dates, soonest first.
func (c *Cache) Appointments(participant string) ([]domain.Appointment, error) {
	v, err := owned[domain.Appointment](c, participant, protocol.KindAppointment)
	slices.SortFunc(v, func(a, b domain.Appointment) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID))
	})
	return v, err
}

// Messages are the participant's messages to and from the office, newest first.
func (c *Cache) Messages(participant string) ([]domain.Message, error) {
	v, err := owned[domain.Message](c, participant, protocol.KindMessage)
	slices.SortFunc(v, func(a, b domain.Message) int {
		return cmp.Or(b.Sent.Compare(a.Sent), cmp.Compare(b.ID, a.ID))
	})
	return v, err
}

// Documents are the participant's notices and forms, newest first.
func (c *Cache) Documents(participant string) ([]domain.Document, error) {
	v, err := owned[domain.Document](c, participant, protocol.KindDocument)
	slices.SortFunc(v, func(a, b domain.Document) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.ID, b.ID))
	})
	return v, err
}

// Office is the office this kiosk serves: the one named by the enrolment, or the only one on
// the feed. Before the first sync it is domain.ErrNotFound.
func (c *Cache) Office() (domain.Office, error) {
	var o domain.Office
	if c.isClosed() {
		return o, ErrClosed
	}
	want := ""
	if e, err := c.Enrolment(); err == nil {
		want = e.Office
	}
	rows, err := c.r.Query(`SELECT rid, body FROM records INDEXED BY records_owner WHERE owner IS NULL AND kind = ?1`, protocol.KindOffice)
	if err != nil {
		return o, c.readErr(err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var rid, body sql.RawBytes
		if err := rows.Scan(&rid, &body); err != nil {
			return o, err
		}
		data, err := c.openRecord(rid, nil, body)
		if err != nil {
			return o, err
		}
		var v domain.Office
		if json.Unmarshal(data, &v) != nil {
			return o, domain.ErrCorruptRecord
		}
		if !found || v.ID == want {
			o, found = v, true
		}
	}
	if err := rows.Err(); err != nil {
		return o, err
	}
	if !found {
		return o, domain.ErrNotFound
	}
	return o, nil
}
