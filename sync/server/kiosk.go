package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// DefaultCodeTTL is how long an enrolment code works when no other time is given.
const DefaultCodeTTL = 24 * time.Hour

// Errors of enrolment and authentication. They carry no personal data.
var (
	ErrBadCode       = errors.New("enrolment code is wrong, used or expired")
	ErrUnknownOffice = errors.New("no such office")
	ErrUnauthorized  = errors.New("no such kiosk token")
	ErrRevoked       = errors.New("kiosk revoked")
	ErrUnknownKiosk  = errors.New("no such kiosk")
	ErrKioskName     = errors.New("kiosk name: at most 100 printable characters")
)

// codeAlphabet has no letters that read like others (no I, L, O, U; no 0 or 1), so a code read
// aloud or copied from paper is typed right.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewEnrolmentCode makes a one-time code that enrols one kiosk for the office, valid for ttl
// (DefaultCodeTTL when 0). It is shown once, as XXXX-XXXX-XXXX; only its hash is kept.
func (d *DB) NewEnrolmentCode(office string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		ttl = DefaultCodeTTL
	}
	if ttl > 30*24*time.Hour {
		return "", errors.New("an enrolment code may live 30 days at most")
	}
	var raw strings.Builder
	for range 12 {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(codeAlphabet))))
		if err != nil {
			return "", err
		}
		raw.WriteByte(codeAlphabet[n.Int64()])
	}
	code := raw.String()
	now := d.Now()
	err := d.write(context.Background(), func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRow(`SELECT 1 FROM offices WHERE id = ?`, office).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w %q: import the agency's export (or the demo) first", ErrUnknownOffice, office)
		} else if err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO enrolment_codes(hash, office, created, expires) VALUES (?, ?, ?, ?)`,
			codeHash(code), office, unix(now), unix(now.Add(ttl)))
		return err
	})
	if err != nil {
		return "", err
	}
	return code[0:4] + "-" + code[4:8] + "-" + code[8:12], nil
}

// normaliseCode keeps the code's letters and digits, in upper case, so "abcd efgh-jkmn" works.
func normaliseCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

func codeHash(code string) []byte {
	h := sha256.Sum256([]byte("enrolment-code:" + normaliseCode(code)))
	return h[:]
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Enroll spends a one-time code and makes a kiosk of the code's office: a new kiosk ID and a
// bearer token, returned once (only its SHA-256 is kept), with the server's public signing
// key (and the next one during a rotation) for the kiosk to pin. name is the machine's label
// for IT.
func (d *DB) Enroll(code, name string) (protocol.EnrollResponse, error) {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 100 || strings.ContainsFunc(name, unicode.IsControl) {
		return protocol.EnrollResponse{}, ErrKioskName
	}
	if len(normaliseCode(code)) != 12 {
		return protocol.EnrollResponse{}, ErrBadCode
	}
	// A wrong code is found out by a read, without the write lock that pushes and imports
	// wait for: a flood of guesses must not hold them up. The transaction below checks again.
	var expires int64
	var used sql.NullInt64
	err := d.sql.QueryRow(`SELECT expires, used_at FROM enrolment_codes WHERE hash = ?`, codeHash(code)).Scan(&expires, &used)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (used.Valid || unix(d.Now()) >= expires) {
		return protocol.EnrollResponse{}, ErrBadCode
	} else if err != nil {
		return protocol.EnrollResponse{}, err
	}
	id, err := randomString(9)
	if err != nil {
		return protocol.EnrollResponse{}, err
	}
	token, err := randomString(32)
	if err != nil {
		return protocol.EnrollResponse{}, err
	}
	resp := protocol.EnrollResponse{Kiosk: "kiosk-" + id, Token: token}
	// The keys the kiosk pins: read before the code is spent, so that a failure spends nothing.
	if resp.Key, resp.NextKey, err = d.ServerKeys(); err != nil {
		return protocol.EnrollResponse{}, err
	}
	now := d.Now()
	err = d.write(context.Background(), func(tx *sql.Tx) error {
		var expires int64
		var used sql.NullInt64
		err := tx.QueryRow(`SELECT office, expires, used_at FROM enrolment_codes WHERE hash = ?`, codeHash(code)).
			Scan(&resp.Office, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (used.Valid || unix(now) >= expires) {
			return ErrBadCode
		} else if err != nil {
			return err
		}
		var body []byte
		if err := tx.QueryRow(`SELECT body FROM offices WHERE id = ?`, resp.Office).Scan(&body); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrBadCode // the office was deleted since
			}
			return err
		}
		var o domain.Office
		if err := json.Unmarshal(body, &o); err != nil {
			return err
		}
		resp.Profile = o.Agency
		if _, err := tx.Exec(`UPDATE enrolment_codes SET used_at = ?, kiosk = ? WHERE hash = ?`,
			unix(now), resp.Kiosk, codeHash(code)); err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO kiosks(id, office, name, token_hash, enrolled) VALUES (?, ?, ?, ?, ?)`,
			resp.Kiosk, resp.Office, name, tokenHash(token), unix(now))
		return err
	})
	if err != nil {
		return protocol.EnrollResponse{}, err
	}
	return resp, nil
}

// Kiosk is an enrolled kiosk as the server knows it.
type Kiosk struct {
	ID       string
	Office   string
	Name     string
	Enrolled time.Time
	Revoked  time.Time // zero while it may sync
	LastSeen time.Time
}

// Authenticate finds the kiosk a bearer token belongs to: ErrUnauthorized for an unknown token,
// ErrRevoked (with the kiosk) for a revoked one.
func (d *DB) Authenticate(token string) (Kiosk, error) {
	if token == "" {
		return Kiosk{}, ErrUnauthorized
	}
	k, err := d.kiosk(`token_hash = ?`, tokenHash(token))
	if errors.Is(err, ErrUnknownKiosk) {
		// A rotated token's first use (rotate.go) makes it the kiosk's token.
		if err = d.promoteToken(token); err == nil {
			k, err = d.kiosk(`token_hash = ?`, tokenHash(token))
		}
	}
	if errors.Is(err, ErrUnknownKiosk) {
		return Kiosk{}, ErrUnauthorized
	}
	if err != nil {
		return Kiosk{}, err
	}
	if !k.Revoked.IsZero() {
		return k, ErrRevoked
	}
	return k, nil
}

func (d *DB) kiosk(cond string, arg any) (Kiosk, error) {
	var k Kiosk
	var enrolled int64
	var revoked, seen sql.NullInt64
	err := d.sql.QueryRow(`SELECT id, office, name, enrolled, revoked_at, last_seen FROM kiosks WHERE `+cond, arg).
		Scan(&k.ID, &k.Office, &k.Name, &enrolled, &revoked, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return Kiosk{}, ErrUnknownKiosk
	} else if err != nil {
		return Kiosk{}, err
	}
	k.Enrolled = fromUnix(enrolled)
	if revoked.Valid {
		k.Revoked = fromUnix(revoked.Int64)
	}
	if seen.Valid {
		k.LastSeen = fromUnix(seen.Int64)
	}
	return k, nil
}

// Kiosks lists every enrolled kiosk, revoked ones included, by ID.
func (d *DB) Kiosks() ([]Kiosk, error) {
	rows, err := d.sql.Query(`SELECT id FROM kiosks ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ks := make([]Kiosk, 0, len(ids))
	for _, id := range ids {
		k, err := d.kiosk(`id = ?`, id)
		if err != nil {
			return nil, err
		}
		ks = append(ks, k)
	}
	return ks, nil
}

// Revoke stops a kiosk for good: every later call with its token answers 410 Gone, and the
// kiosk wipes itself when it hears that.
func (d *DB) Revoke(kiosk string) error {
	res, err := d.sql.Exec(`UPDATE kiosks SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, unix(d.Now()), kiosk)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w %q", ErrUnknownKiosk, kiosk)
	}
	return nil
}

// seen notes that a kiosk called, at most once a minute per kiosk, in the background: a sync
// must not wait for the write lock while an import holds it.
func (d *DB) seen(k Kiosk) {
	now := d.Now()
	if now.Sub(k.LastSeen) < time.Minute {
		return
	}
	d.seenMu.Lock()
	if d.seenAt == nil {
		d.seenAt = map[string]time.Time{}
	}
	last := d.seenAt[k.ID]
	if d.closing || now.Sub(last) < time.Minute {
		d.seenMu.Unlock()
		return
	}
	d.seenAt[k.ID] = now
	d.seenWrites.Add(1) // Close waits for it
	d.seenMu.Unlock()
	go func() {
		defer d.seenWrites.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		d.sql.ExecContext(ctx, `UPDATE kiosks SET last_seen = ? WHERE id = ?`, unix(now), k.ID)
	}()
}
