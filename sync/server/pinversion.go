package server

import (
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// PIN versions are the server's. A kiosk sends what changed and the version it was made on
// (protocol.PINPush's Base); the server takes the change only when that version is the one it
// holds, or when what it holds is this kiosk's own earlier change made on the same base (a
// kiosk queues several changes of one person between syncs, each made on the one before),
// and gives it the next version of its own count. Anything else, a kiosk's late, replayed or
// invented change among them, is superseded: the kiosk takes the server's state at its next
// pull. Whatever number a kiosk claims for its own version is not used.
//
// Which kiosk made the state held, on what base, is kept in pin_chains with a hash of that
// state: a state anybody else wrote since (the call centre, an import, another kiosk) hashes
// differently, so a kiosk's chain never continues on top of it.

// RepairedPINVersion is the version the call centre's PIN gets on a record whose version is
// void (above protocol.MaxPINVersion, which only a kiosk's forged version from before the
// server numbered versions can be): above any version counted since, with 2^52 to count on.
const RepairedPINVersion = 1 << 52

// pushBase is the base of a pushed PIN item: its Base, or for a kiosk from before bases the
// version it claimed less one.
func pushBase(base *int64, version int64) (int64, error) {
	if version < 0 || version > protocol.MaxPINVersion {
		return 0, rejection(fmt.Sprintf("version: must be 0 to %d", int64(protocol.MaxPINVersion)))
	}
	if base == nil {
		if version < 1 {
			return 0, rejection("base: is missing")
		}
		return version - 1, nil
	}
	if *base < 0 || *base > protocol.MaxPINVersion {
		return 0, rejection(fmt.Sprintf("base: must be 0 to %d", int64(protocol.MaxPINVersion)))
	}
	return *base, nil
}

// pinChain is a row of pin_chains.
type pinChain struct {
	kiosk         string
	base, version int64
	state         []byte
}

// stateHash identifies a PIN state as stored.
func stateHash(p domain.PIN) ([]byte, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(b)
	return h[:], nil
}

// nextPINVersion decides whether kiosk k's change to the PIN state cur of kind/id, made on
// base, is taken: the version it gets, or ok false when it is superseded.
func nextPINVersion(tx *sql.Tx, kind, id string, k Kiosk, base int64, cur domain.PIN) (int64, bool, error) {
	taken := base == cur.Version
	if !taken {
		var c pinChain
		err := tx.QueryRow(`SELECT kiosk, base, version, state FROM pin_chains WHERE kind = ? AND id = ?`, kind, id).
			Scan(&c.kiosk, &c.base, &c.version, &c.state)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		} else if err != nil {
			return 0, false, err
		}
		held, err := stateHash(cur)
		if err != nil {
			return 0, false, err
		}
		taken = c.kiosk == k.ID && c.base == base && c.version == cur.Version && string(c.state) == string(held)
	}
	if !taken {
		return 0, false, nil
	}
	if cur.Version >= protocol.MaxPINVersion {
		return 0, false, rejection("version: the PIN state has reached its highest version; the call centre issues a new PIN")
	}
	return cur.Version + 1, true, nil
}

// madeBy records that kiosk k made state (of kind/id) on base.
func madeBy(tx *sql.Tx, kind, id string, k Kiosk, base int64, state domain.PIN) error {
	h, err := stateHash(state)
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO pin_chains(kind, id, kiosk, base, version, state) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(kind, id) DO UPDATE SET kiosk = excluded.kiosk, base = excluded.base,
		version = excluded.version, state = excluded.state`, kind, id, k.ID, base, state.Version, h)
	return err
}

// callCentreVersion is the version of a PIN the call centre issues over one of version cur:
// the next, counted without wrapping; over a void version, RepairedPINVersion.
func callCentreVersion(cur int64) int64 {
	if cur < 0 || cur >= protocol.MaxPINVersion {
		return RepairedPINVersion
	}
	return cur + 1
}
