package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/sync/protocol"
)

// rejection is a pushed item that can never be applied; its reason is plain and has no PII.
type rejection string

func (r rejection) Error() string { return string(r) }

// PushContext applies a kiosk's outbox items in order. Each is applied once, keyed by (kiosk, item
// ID), in the same transaction as its effect: a retried item answers protocol.Duplicate. A PIN
// update is taken only on the version the server holds, and the server gives it the next
// (pinversion.go); one made on an older version answers protocol.Superseded. An
// item that cannot be applied answers protocol.Rejected with a reason; one that failed for a
// passing cause (the database was busy) answers protocol.Failed and may be retried. ctx cancels.
func (d *DB) PushContext(ctx context.Context, kiosk string, items []protocol.Push) []protocol.PushResult {
	results := make([]protocol.PushResult, len(items))
	for i, it := range items {
		results[i] = protocol.PushResult{ID: it.ID, Status: protocol.Failed, Reason: "not attempted"}
	}
	k, err := d.kiosk(`id = ?`, kiosk)
	if err != nil || !k.Revoked.IsZero() {
		for i := range results {
			results[i].Reason = "unknown or revoked kiosk"
			results[i].Status = protocol.Rejected
		}
		return results
	}
	// All items in one transaction. Every refusal happens before an item writes anything; any
	// other error undoes the whole request, and every item answers Failed to be retried.
	err = d.write(ctx, func(tx *sql.Tx) error {
		r := newRunner(tx)
		defer r.close()
		v, err := newViews(r)
		if err != nil {
			return err
		}
		for i, it := range items {
			if results[i], err = d.pushOne(tx, v, k, it); err != nil {
				return err
			}
		}
		return v.finish()
	})
	if err != nil {
		for i := range results {
			results[i] = protocol.PushResult{ID: items[i].ID, Status: protocol.Failed, Reason: "server busy; retry"}
		}
	}
	return results
}

func (d *DB) pushOne(tx *sql.Tx, v *views, k Kiosk, it protocol.Push) (protocol.PushResult, error) {
	res := protocol.PushResult{ID: it.ID}
	if it.ID == "" || len(it.ID) > 100 || !plainID(it.ID) {
		res.Status, res.Reason = protocol.Rejected, "item id: 1 to 100 of letters, digits and - _ . :"
		return res, nil
	}
	var prior string
	err := tx.QueryRow(`SELECT status FROM pushed WHERE kiosk = ? AND id = ?`, k.ID, it.ID).Scan(&prior)
	if err == nil {
		res.Status = protocol.Duplicate
		return res, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return res, err
	}
	status, err := d.apply(tx, v, k, it)
	var rej rejection
	switch {
	case errors.As(err, &rej):
		res.Status, res.Reason = protocol.Rejected, string(rej)
	case err != nil:
		return res, err
	default:
		res.Status = status
		if status == protocol.Superseded {
			res.Reason = "made on a version the server has moved past; the server's state comes with the next pull"
		}
	}
	_, err = tx.Exec(`INSERT INTO pushed(kiosk, id, seq, kind, status, received) VALUES (?, ?, ?, ?, ?, ?)`,
		k.ID, it.ID, it.Seq, truncate(it.Kind, 40), res.Status, unix(d.Now()))
	return res, err
}

// strictJSON decodes one JSON object into v, refusing unknown fields and trailing data.
func strictJSON(data []byte, v any) error {
	if len(data) == 0 {
		return rejection("no data")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return rejection("data: not the expected JSON object")
	}
	if dec.More() {
		return rejection("data: trailing data")
	}
	return nil
}

// apply carries out one item; a rejection error refuses it for good.
func (d *DB) apply(tx *sql.Tx, v *views, k Kiosk, it protocol.Push) (string, error) {
	switch it.Kind {
	case domain.SendPINChange, domain.SendPINIssued, domain.SendPINState:
		var u protocol.PINPush
		if err := strictJSON(it.Data, &u); err != nil {
			return "", err
		}
		return d.applyPIN(tx, v, k, it.Kind, u)

	case domain.SendStaffState:
		var u protocol.StaffPush
		if err := strictJSON(it.Data, &u); err != nil {
			return "", err
		}
		return d.applyStaffState(tx, v, k, u)

	case domain.SendMessage:
		var m domain.Message
		if err := strictJSON(it.Data, &m); err != nil {
			return "", err
		}
		return d.applyMessage(tx, v, k, m)

	case domain.SendPINRequest:
		var r domain.PINRequest
		if err := strictJSON(it.Data, &r); err != nil {
			return "", err
		}
		if r.At.IsZero() {
			return "", rejection("at: is missing")
		}
		return d.request(tx, v, k, it.Kind, r.Participant, "", it.Data)

	case domain.SendContactChange:
		var r domain.ContactChange
		if err := strictJSON(it.Data, &r); err != nil {
			return "", err
		}
		switch {
		case r.Field != "address" && r.Field != "phone" && r.Field != "email":
			return "", rejection("field: must be address, phone or email")
		case !utf8.ValidString(r.Value) || strings.TrimSpace(r.Value) == "" || utf8.RuneCountInString(r.Value) > 300:
			return "", rejection("value: 1 to 300 characters")
		case r.At.IsZero():
			return "", rejection("at: is missing")
		}
		return d.request(tx, v, k, it.Kind, r.Participant, "", it.Data)

	case domain.SendOtherPartyInfo:
		var r domain.OtherPartyInfo
		if err := strictJSON(it.Data, &r); err != nil {
			return "", err
		}
		for _, s := range []string{r.Employer, r.Address, r.Other} {
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 1000 {
				return "", rejection("text: at most 1000 characters of valid UTF-8")
			}
		}
		switch {
		case r.Employer == "" && r.Address == "" && r.Other == "":
			return "", rejection("nothing to tell")
		case r.At.IsZero():
			return "", rejection("at: is missing")
		}
		return d.request(tx, v, k, it.Kind, r.Participant, r.Case, it.Data)

	case domain.SendAudit:
		var a domain.AuditEvent
		if err := strictJSON(it.Data, &a); err != nil {
			return "", err
		}
		return d.applyAudit(tx, k, a)
	}
	return "", rejection(fmt.Sprintf("unknown kind %q", truncate(it.Kind, 40)))
}

// visible loads a participant a kiosk of office may act for: one with a view on its feed.
func visible(tx *sql.Tx, v *views, office, participant string) (*domain.Participant, error) {
	if participant == "" {
		return nil, rejection("participant: is missing")
	}
	var one int
	err := tx.QueryRow(`SELECT 1 FROM records WHERE office = ? AND kind = ? AND id = ? AND deleted = 0`,
		office, protocol.KindParticipant, participant).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rejection("participant: not known at this kiosk's office")
	} else if err != nil {
		return nil, err
	}
	p, err := v.participant(participant)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, rejection("participant: not known at this kiosk's office")
	}
	return p, nil
}

// maxTempPIN is the longest a temporary PIN issued at a kiosk may work.
const maxTempPIN = 31 * 24 * time.Hour

// applyPIN takes a participant's PIN change from a kiosk of an office the participant is seen
// at. The kiosk says what changed; the server builds the new state from its own and decides
// its version (nextPINVersion): a chosen PIN (pin_change) or one issued at the desk
// (pin_issued) brings a verifier of at least the kiosk's cost and starts afresh; a sign-in's
// failures, lock or unlock (pin_state) change only those and keep the server's verifier. The
// issuer is this kiosk, whatever the item says.
func (d *DB) applyPIN(tx *sql.Tx, v *views, k Kiosk, kind string, u protocol.PINPush) (string, error) {
	p, err := visible(tx, v, k.Office, u.Participant)
	if err != nil {
		return "", err
	}
	in := u.PIN
	base, err := pushBase(u.Base, in.Version)
	if err != nil {
		return "", err
	}
	fresh := kind == domain.SendPINChange || kind == domain.SendPINIssued
	switch {
	case fresh && in.Verifier == "":
		return "", rejection("pin.verifier: is missing")
	case in.Verifier != "" && !seal.ValidVerifier(in.Verifier):
		return "", rejection("pin.verifier: not an Argon2id verifier")
	case fresh && !seal.StrongVerifier(in.Verifier):
		return "", rejection("pin.verifier: costs less than a kiosk's PIN verifier (Argon2id m=19456, t=2 at least)")
	case kind == domain.SendPINIssued && !in.Temporary:
		return "", rejection("pin.temporary: an issued PIN is temporary")
	case kind == domain.SendPINIssued && (in.Expires.IsZero() || in.Expires.After(d.Now().Add(maxTempPIN))):
		return "", rejection("pin.expires: a temporary PIN works for at most 31 days")
	case kind == domain.SendPINChange && in.Temporary:
		return "", rejection("pin.temporary: a PIN the person chose is not temporary")
	case in.Failures < 0 || in.Failures > 100:
		return "", rejection("pin.failures: must be 0 to 100")
	case len(in.IssuedBy) > 64 || !utf8.ValidString(in.IssuedBy):
		return "", rejection("pin.issued_by: at most 64 characters")
	}
	version, ok, err := nextPINVersion(tx, protocol.KindParticipant, p.ID, k, base, p.PIN)
	if err != nil || !ok {
		return protocol.Superseded, err
	}
	var next domain.PIN
	switch kind {
	case domain.SendPINState:
		if in.Verifier != p.PIN.Verifier {
			return "", rejection("pin.verifier: a pin_state keeps the PIN the server holds")
		}
		next = p.PIN
		next.Failures, next.LockedAt = in.Failures, in.LockedAt
	case domain.SendPINChange:
		next = domain.PIN{Verifier: in.Verifier, IssuedBy: "kiosk:" + k.ID}
	case domain.SendPINIssued:
		next = domain.PIN{Verifier: in.Verifier, Temporary: true, Expires: in.Expires, IssuedAt: in.IssuedAt,
			IssuedBy: "kiosk:" + k.ID}
	}
	next.Version = version
	np := *p
	np.PIN = next
	body, err := json.Marshal(&np)
	if err != nil {
		return "", err
	}
	if _, err := tx.Exec(`UPDATE participants SET hash = ?, body = ? WHERE id = ?`, hashOf(body), body, p.ID); err != nil {
		return "", err
	}
	v.participants[p.ID] = &np
	if err := v.refresh(source{protocol.KindParticipant, p.ID}, false); err != nil {
		return "", err
	}
	if err := madeBy(tx, protocol.KindParticipant, p.ID, k, base, next); err != nil {
		return "", err
	}
	return protocol.Applied, nil
}

// applyStaffState takes a staff account's failures and lock from a kiosk of its office, with
// the version rule of applyPIN. A kiosk never changes a staff password: the verifier must be
// the server's, and everything but the failures and the lock stays the server's.
func (d *DB) applyStaffState(tx *sql.Tx, v *views, k Kiosk, u protocol.StaffPush) (string, error) {
	if u.Staff == "" {
		return "", rejection("staff: is missing")
	}
	var office string
	var body []byte
	err := tx.QueryRow(`SELECT office, body FROM staff WHERE id = ?`, u.Staff).Scan(&office, &body)
	if errors.Is(err, sql.ErrNoRows) || err == nil && office != k.Office {
		return "", rejection("staff: not known at this kiosk's office")
	} else if err != nil {
		return "", err
	}
	var s domain.Staff
	if err := json.Unmarshal(body, &s); err != nil {
		return "", fmt.Errorf("stored staff: %w", err)
	}
	in := u.Password
	base, err := pushBase(u.Base, in.Version)
	if err != nil {
		return "", err
	}
	switch {
	case in.Temporary:
		return "", rejection("password: a kiosk cannot change a staff password")
	case in.Failures < 0 || in.Failures > 100:
		return "", rejection("password.failures: must be 0 to 100")
	case len(in.IssuedBy) > 64 || !utf8.ValidString(in.IssuedBy):
		return "", rejection("password.issued_by: at most 64 characters")
	}
	version, ok, err := nextPINVersion(tx, protocol.KindStaff, s.ID, k, base, s.Password)
	if err != nil || !ok {
		return protocol.Superseded, err
	}
	if in.Verifier != s.Password.Verifier {
		return "", rejection("password: a kiosk cannot change a staff password")
	}
	s.Password.Failures, s.Password.LockedAt, s.Password.Version = in.Failures, in.LockedAt, version
	if body, err = json.Marshal(&s); err != nil {
		return "", err
	}
	if _, err := tx.Exec(`UPDATE staff SET hash = ?, body = ? WHERE id = ?`, hashOf(body), body, s.ID); err != nil {
		return "", err
	}
	if err := v.refresh(source{protocol.KindStaff, s.ID}, false); err != nil {
		return "", err
	}
	if err := madeBy(tx, protocol.KindStaff, s.ID, k, base, s.Password); err != nil {
		return "", err
	}
	return protocol.Applied, nil
}

// IssuePIN is the call centre's temporary PIN: a new verifier for the participant, temporary,
// valid for validity, with the server's next version (counted without wrapping; over a void
// version, RepairedPINVersion), so it wins over every PIN state a kiosk made before it: a
// kiosk's change made on an earlier version, arriving late or replayed, is superseded. Kiosks
// receive it on their next sync. by says who issued it ("callcentre"); it never names a person.
func (d *DB) IssuePIN(ctx context.Context, participant, verifier, by string, validity time.Duration) (domain.PIN, error) {
	if !seal.StrongVerifier(verifier) {
		return domain.PIN{}, errors.New("not an Argon2id verifier of at least a kiosk's cost")
	}
	var out domain.PIN
	err := d.write(ctx, func(tx *sql.Tx) error {
		r := newRunner(tx)
		defer r.close()
		v, err := newViews(r)
		if err != nil {
			return err
		}
		p, err := v.participant(participant)
		if err != nil {
			return err
		}
		if p == nil {
			return fmt.Errorf("participant %s: %w", participant, ErrUnknownParticipant)
		}
		now := d.Now().UTC()
		np := *p
		np.PIN = domain.PIN{Verifier: verifier, Temporary: true, Expires: now.Add(validity), IssuedAt: now,
			Version: callCentreVersion(p.PIN.Version), IssuedBy: by}
		body, err := json.Marshal(&np)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE participants SET hash = ?, body = ? WHERE id = ?`, hashOf(body), body, p.ID); err != nil {
			return err
		}
		v.participants[p.ID] = &np
		if err := v.refresh(source{protocol.KindParticipant, p.ID}, false); err != nil {
			return err
		}
		// No kiosk's chain of changes goes on from here.
		if _, err := tx.Exec(`DELETE FROM pin_chains WHERE kind = ? AND id = ?`, protocol.KindParticipant, p.ID); err != nil {
			return err
		}
		out = np.PIN
		return v.finish()
	})
	return out, err
}

// ErrUnknownParticipant is IssuePIN's answer for a participant the server does not hold.
var ErrUnknownParticipant = errors.New("no such participant")

func (d *DB) applyMessage(tx *sql.Tx, v *views, k Kiosk, m domain.Message) (string, error) {
	p, err := visible(tx, v, k.Office, m.Participant)
	if err != nil {
		return "", err
	}
	switch {
	case m.ID == "" || len(m.ID) > 64 || !plainID(m.ID):
		return "", rejection("id: 1 to 64 of letters, digits and - _ . :")
	case m.FromOffice:
		return "", rejection("from_office: a kiosk sends messages from the participant")
	case len(m.Translations) > 0:
		return "", rejection("translations: a kiosk sends a message as the participant wrote it")
	case m.Sent.IsZero():
		return "", rejection("sent: is missing")
	case !utf8.ValidString(m.Subject) || strings.TrimSpace(m.Subject) == "" || utf8.RuneCountInString(m.Subject) > 200:
		return "", rejection("subject: 1 to 200 characters")
	case !utf8.ValidString(m.Body) || strings.TrimSpace(m.Body) == "" || utf8.RuneCountInString(m.Body) > 10000:
		return "", rejection("body: 1 to 10000 characters")
	case m.InReplyTo != "" && (len(m.InReplyTo) > 64 || !plainID(m.InReplyTo)):
		return "", rejection("in_reply_to: not a message id")
	case strings.ContainsFunc(m.Subject, unicode.IsControl):
		return "", rejection("subject: contains a control character")
	}
	if m.Case != "" {
		if err := partyOf(tx, m.Case, p.ID, k.Office); err != nil {
			return "", err
		}
	}
	var one int
	if err := tx.QueryRow(`SELECT 1 FROM messages WHERE id = ?`, m.ID).Scan(&one); err == nil {
		return "", rejection("id: a message with this id exists")
	} else if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	body, err := json.Marshal(&m)
	if err != nil {
		return "", err
	}
	if _, err := tx.Exec(`INSERT INTO messages(id, case_number, owner, hash, body) VALUES (?, ?, ?, ?, ?)`,
		m.ID, m.Case, m.Participant, hashOf(body), body); err != nil {
		return "", err
	}
	if err := v.refresh(source{protocol.KindMessage, m.ID}, true); err != nil {
		return "", err
	}
	return protocol.Applied, nil
}

// partyOf checks that a participant is a party of a case seen at the office.
func partyOf(tx *sql.Tx, number, participant, office string) error {
	var one int
	err := tx.QueryRow(`SELECT 1 FROM case_parties p JOIN cases c ON c.number = p.case_number
		WHERE p.case_number = ? AND p.participant = ? AND c.office = ?`, number, participant, office).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return rejection("case: not one of the participant's cases at this office")
	}
	return err
}

func (d *DB) request(tx *sql.Tx, v *views, k Kiosk, kind, participant, caseNumber string, data []byte) (string, error) {
	p, err := visible(tx, v, k.Office, participant)
	if err != nil {
		return "", err
	}
	if caseNumber != "" {
		if err := partyOf(tx, caseNumber, p.ID, k.Office); err != nil {
			return "", err
		}
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		return "", rejection("data: not JSON")
	}
	_, err = tx.Exec(`INSERT INTO requests(office, kiosk, kind, participant, body, received) VALUES (?, ?, ?, ?, ?, ?)`,
		k.Office, k.ID, kind, p.ID, compact.Bytes(), unix(d.Now()))
	if err != nil {
		return "", err
	}
	return protocol.Applied, nil
}

// An audit event's detail must not carry an identifier: no run of digits as long as an SSN or
// a participant ID could be (7 or more), no "@".
func looksPersonal(s string) bool {
	run := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			run++
			if run >= 7 {
				return true
			}
		} else if r != '-' && r != ' ' {
			run = 0
		}
	}
	return strings.Contains(s, "@")
}

func token(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.' || b == ':' || b == '=' || b == '+' || b == '/') {
			return false
		}
	}
	return true
}

// keyedHash reports whether s looks like a kiosk's audit subject: 32 lower-case hex digits (a
// 16-byte HMAC), with at least one letter, so that no participant ID or SSN passes for one.
// (Runs of decimal digits are common in hex; they are not a sign of an identifier here.)
func keyedHash(s string) bool {
	if len(s) != 32 || domain.Digits(s) == s {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

func (d *DB) applyAudit(tx *sql.Tx, k Kiosk, a domain.AuditEvent) (string, error) {
	switch {
	case a.At.IsZero():
		return "", rejection("at: is missing")
	case a.Kiosk != "" && a.Kiosk != k.ID:
		return "", rejection("kiosk: not this kiosk")
	case a.Action == "" || !token(a.Action, 64):
		return "", rejection("action: 1 to 64 of letters, digits and - _ . :")
	case a.Subject != "" && !keyedHash(a.Subject):
		return "", rejection("subject: must be a keyed hash (32 hex digits), never an identifier")
	case !token(a.Staff, 64) || looksPersonal(a.Staff):
		return "", rejection("staff: a staff ID of letters and digits")
	case !utf8.ValidString(a.Detail) || utf8.RuneCountInString(a.Detail) > 200 || strings.ContainsFunc(a.Detail, unicode.IsControl):
		return "", rejection("detail: at most 200 printable characters")
	case looksPersonal(a.Detail):
		return "", rejection("detail: looks like it carries an identifier; audit events carry no PII")
	}
	_, err := tx.Exec(`INSERT INTO audit(kiosk, at, action, subject, staff, detail, received) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		k.ID, unix(a.At), a.Action, a.Subject, a.Staff, a.Detail, unix(d.Now()))
	if err != nil {
		return "", err
	}
	return protocol.Applied, nil
}

// AuditEvents returns the audit events a kiosk pushed, in the order received.
func (d *DB) AuditEvents(kiosk string) ([]domain.AuditEvent, error) {
	rows, err := d.sql.Query(`SELECT kiosk, at, action, subject, staff, detail FROM audit WHERE kiosk = ? ORDER BY n`, kiosk)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.AuditEvent
	for rows.Next() {
		var a domain.AuditEvent
		var at int64
		if err := rows.Scan(&a.Kiosk, &at, &a.Action, &a.Subject, &a.Staff, &a.Detail); err != nil {
			return nil, err
		}
		a.At = fromUnix(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Request is something a parent asked the office for at a kiosk.
type Request struct {
	Kind        string // domain.SendPINRequest, SendContactChange or SendOtherPartyInfo
	Kiosk       string
	Participant string
	Data        json.RawMessage // the pushed item's data
	Received    time.Time
}

// Requests returns an office's requests, oldest first.
func (d *DB) Requests(office string) ([]Request, error) {
	rows, err := d.sql.Query(`SELECT kind, kiosk, participant, body, received FROM requests WHERE office = ? ORDER BY n`, office)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		var r Request
		var at int64
		var body []byte
		if err := rows.Scan(&r.Kind, &r.Kiosk, &r.Participant, &body, &at); err != nil {
			return nil, err
		}
		r.Data, r.Received = body, fromUnix(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Participant returns a participant as the server holds it, or domain.ErrNotFound.
func (d *DB) Participant(id string) (domain.Participant, error) {
	return found(record[domain.Participant](d.sql, "participants", "id", id))
}

// Office returns an office as the server holds it, or domain.ErrNotFound.
func (d *DB) Office(id string) (domain.Office, error) {
	return found(record[domain.Office](d.sql, "offices", "id", id))
}

// queryer runs a one-row query: the database or a transaction.
type queryer interface {
	QueryRow(query string, args ...any) *sql.Row
}

// record reads and decodes the JSON body of the row of table whose key column is id; ok is
// false when there is no such row.
func record[T any](q queryer, table, key, id string) (T, bool, error) {
	return decodeBody[T](q.QueryRow(`SELECT body FROM `+table+` WHERE `+key+` = ?`, id))
}

// decodeBody decodes the JSON body a one-column row holds; ok is false when there is no row.
func decodeBody[T any](row interface{ Scan(...any) error }) (v T, ok bool, err error) {
	var b []byte
	err = row.Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return v, false, nil
	} else if err != nil {
		return v, false, err
	}
	return v, true, json.Unmarshal(b, &v)
}

// found turns record's "no such row" into domain.ErrNotFound.
func found[T any](v T, ok bool, err error) (T, error) {
	if err == nil && !ok {
		err = domain.ErrNotFound
	}
	return v, err
}
