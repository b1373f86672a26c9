package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"childsupportkiosk/sync/protocol"
)

// The server's signing keys live in its database (signing_keys), not in a key file: two or
// more server processes behind a load balancer must sign with the same key and switch to the
// next one at the same moment, and the database is what they share (the design brief keeps
// every state that matters there). Which key signs is a matter of time alone: the key whose
// from is the latest not after now. A key with a later from is the next one, announced in
// every answer until then; older keys are retired, and their private halves erased.

// SigningKey is one of the server's keys, without its private half.
type SigningKey struct {
	protocol.ServerKey
	Created time.Time
	Since   time.Time // when the server signs with it
	State   string    // KeyCurrent, KeyNext or KeyRetired
}

// States of a signing key.
const (
	KeyCurrent = "current"
	KeyNext    = "next"
	KeyRetired = "retired"
)

// DefaultKeyOverlap is how long a new signing key is announced before the server signs with
// it: kiosks that sync at least once in that time pin it. A kiosk closed for a holiday of two
// weeks still hears of it.
const DefaultKeyOverlap = 30 * 24 * time.Hour

// ErrRotating is returned by RotateSigningKey while a rotation is under way.
var ErrRotating = errors.New("a new signing key is already announced")

// signer is the server's keys as last read, kept a short time: every signed answer needs
// them, and another server process may have rotated since.
type signer struct {
	mu      sync.Mutex
	read    time.Time
	current *signingKey
	next    *signingKey
}

type signingKey struct {
	pub  protocol.ServerKey
	priv ed25519.PrivateKey
	from time.Time
}

// signerTTL is how long the keys read are used before they are read again.
const signerTTL = 10 * time.Second

// ensureSigningKey makes the server's first signing key if it has none.
func (d *DB) ensureSigningKey() error {
	return d.write(context.Background(), func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM signing_keys`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		return insertKey(tx, d.Now(), time.UnixMilli(0))
	})
}

func insertKey(tx *sql.Tx, now, from time.Time) error {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO signing_keys(id, public, private, created, active_from) VALUES (?, ?, ?, ?, ?)`,
		protocol.KeyID(pub), []byte(pub), priv.Seed(), unix(now), unix(from))
	return err
}

// keys reads the current and next key, from memory when read in the last signerTTL and still
// in force, and erases the private halves of retired keys it finds.
func (d *DB) keys(now time.Time) (current, next *signingKey, err error) {
	s := &d.signer
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current != nil && now.Sub(s.read) < signerTTL && now.Sub(s.read) >= 0 &&
		(s.next == nil || now.Before(s.next.from)) {
		return s.current, s.next, nil
	}
	rows, err := d.sql.Query(`SELECT public, private, active_from FROM signing_keys ORDER BY active_from`)
	if err != nil {
		return nil, nil, err
	}
	var all []*signingKey
	for rows.Next() {
		var pub, seed []byte
		var from int64
		if err := rows.Scan(&pub, &seed, &from); err != nil {
			rows.Close()
			return nil, nil, err
		}
		k := &signingKey{from: fromUnix(from)}
		if len(pub) == ed25519.PublicKeySize {
			k.pub = protocol.NewServerKey(pub, 0)
		}
		if len(seed) == ed25519.SeedSize {
			k.priv = ed25519.NewKeyFromSeed(seed)
		}
		all = append(all, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	retired := 0
	for i, k := range all {
		if !k.from.After(now) {
			if current != nil && current.priv != nil {
				retired++
			}
			current = k
		} else if next == nil {
			next = all[i]
		}
	}
	if current == nil || current.priv == nil {
		return nil, nil, errors.New("the case server has no signing key in force")
	}
	if next != nil {
		n := *next
		n.pub.From = unix(n.from)
		next = &n
	}
	if retired > 0 {
		// Another process that read the keys before keeps the retired one in memory until it
		// reads them again (signerTTL), and reads the new one then.
		if _, err := d.sql.Exec(`UPDATE signing_keys SET private = NULL WHERE active_from < ? AND private IS NOT NULL`,
			unix(current.from)); err != nil {
			return nil, nil, err
		}
	}
	s.current, s.next, s.read = current, next, now
	return current, next, nil
}

// forgetKeys makes the next signature read the keys again.
func (d *DB) forgetKeys() {
	d.signer.mu.Lock()
	d.signer.current = nil
	d.signer.mu.Unlock()
}

// sign fills the statement's time, head (for a batch) and key, signs it with the key in
// force and returns the proof.
func (d *DB) sign(ctx context.Context, st protocol.Statement) (*protocol.Proof, error) {
	now := d.Now()
	current, next, err := d.keys(now)
	if err != nil {
		return nil, err
	}
	// The time is taken before the head is read: at that time the feed held no more than the
	// head, so a kiosk that has it all was up to date then.
	st.Time = unix(now)
	if st.Kind == protocol.StatementBatch {
		if st.Head, err = d.head(ctx, st.Office); err != nil {
			return nil, err
		}
	}
	if next != nil {
		k := next.pub
		st.Next = &k
	}
	return st.Sign(current.priv), nil
}

// head is the office feed's highest sequence number, 0 for an empty feed: one step down the
// primary key (office, seq).
func (d *DB) head(ctx context.Context, office string) (int64, error) {
	var head sql.NullInt64
	err := d.sql.QueryRowContext(ctx, `SELECT max(seq) FROM records WHERE office = ?`, office).Scan(&head)
	return head.Int64, err
}

// ServerKeys are the public keys a kiosk enrolled now pins: the one in force, and the next one
// when a rotation is under way.
func (d *DB) ServerKeys() (protocol.ServerKey, *protocol.ServerKey, error) {
	current, next, err := d.keys(d.Now())
	if err != nil {
		return protocol.ServerKey{}, nil, err
	}
	if next == nil {
		return current.pub, nil, nil
	}
	k := next.pub
	return current.pub, &k, nil
}

// RotateSigningKey makes a new signing key that the server announces, signed by the key in
// force, for overlap, and signs with from then on; the key in force is then retired. With an
// overlap of 0 the new key is in force at once and every kiosk must be enrolled again (for a
// key that may have leaked, whose announcement of a new key could not be trusted).
// ErrRotating while a key announced before is not yet in force.
func (d *DB) RotateSigningKey(overlap time.Duration) (SigningKey, error) {
	if overlap < 0 {
		return SigningKey{}, errors.New("the overlap cannot be negative")
	}
	now := d.Now()
	err := d.write(context.Background(), func(tx *sql.Tx) error {
		var pending sql.NullInt64
		if err := tx.QueryRow(`SELECT max(active_from) FROM signing_keys WHERE active_from > ?`, unix(now)).Scan(&pending); err != nil {
			return err
		}
		if pending.Valid {
			return fmt.Errorf("%w, in force from %s", ErrRotating, fromUnix(pending.Int64).Format(time.RFC3339))
		}
		return insertKey(tx, now, now.Add(overlap))
	})
	d.forgetKeys()
	if err != nil {
		return SigningKey{}, err
	}
	keys, err := d.SigningKeys()
	if err != nil {
		return SigningKey{}, err
	}
	return keys[len(keys)-1], nil
}

// SigningKeys lists the server's keys, oldest first.
func (d *DB) SigningKeys() ([]SigningKey, error) {
	now := d.Now()
	rows, err := d.sql.Query(`SELECT public, created, active_from FROM signing_keys ORDER BY active_from`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SigningKey
	for rows.Next() {
		var pub []byte
		var created, from int64
		if err := rows.Scan(&pub, &created, &from); err != nil {
			return nil, err
		}
		k := SigningKey{ServerKey: protocol.NewServerKey(pub, from), Created: fromUnix(created),
			Since: fromUnix(from), State: KeyNext}
		if !k.Since.After(now) {
			k.State = KeyCurrent
			for i := range out {
				if out[i].State == KeyCurrent {
					out[i].State = KeyRetired
				}
			}
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
