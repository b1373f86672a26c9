package client

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// Problems of answers the kiosk cannot prove. Each means nothing of the answer was used: the
// cache keeps what it had, "data as of" stays, and the kiosk keeps serving from its cache.
const (
	// ErrUnverified is an answer that is not signed, does not verify under the pinned key,
	// or was made for another kiosk, office, cursor or request.
	ErrUnverified domain.Problem = "sync.unverified"
	// ErrUnverifiedRevocation is a 410 "revoked" the kiosk cannot prove came from its
	// server: it is a failed sync, and nothing is wiped.
	ErrUnverifiedRevocation domain.Problem = "sync.unverified_revocation"
	// ErrUnknownKey is an answer signed by a key the kiosk does not hold: a forgery, or a
	// server that moved to a new key while the kiosk was offline for the whole overlap, after
	// which the kiosk must be enrolled again.
	ErrUnknownKey domain.Problem = "sync.unknown_key"
	// ErrNotPinned is a kiosk enrolled before the server signed its answers: it has no key to
	// verify them with and must be enrolled again.
	ErrNotPinned domain.Problem = "sync.not_pinned"
	// ErrClockSkew is a signed time further than protocol.MaxClockSkew from the kiosk's clock.
	ErrClockSkew domain.Problem = "sync.clock"
)

// newNonce is a request's random nonce: 16 bytes, 22 characters.
func newNonce() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// keyring is one sync's view of the server keys the kiosk pinned. Verifying an answer may
// teach it something: a next key announced under the pinned one, or the switch to that key;
// the Client saves what it learnt in the enrolment when the sync ends.
type keyring struct {
	mu      sync.Mutex
	enr     syncstate.Enrolment
	changed bool
}

// verify checks a proof of the statement st (whose proof fields it fills from p) at the
// kiosk's time now.
func (k *keyring) verify(st protocol.Statement, p *protocol.Proof, now time.Time) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.enr.Key.IsZero() {
		return ErrNotPinned
	}
	if p == nil {
		return fmt.Errorf("%w: the answer is not signed", ErrUnverified)
	}
	// The key pinned before is retired here at the time the server announced, whether or not
	// an answer signed by the next one came: a key that was replaced signs nothing after.
	if next := k.enr.NextKey; !next.IsZero() && now.After(time.UnixMilli(next.From).Add(protocol.MaxClockSkew)) {
		k.promote()
	}
	var key protocol.ServerKey
	switch p.Key {
	case "":
		return fmt.Errorf("%w: the answer names no key", ErrUnverified)
	case k.enr.Key.ID:
		key = k.enr.Key
	case k.enr.NextKey.ID:
		key = k.enr.NextKey
	default:
		return fmt.Errorf("%w: %s", ErrUnknownKey, oneLine(p.Key, 20))
	}
	pub, err := key.Key()
	if err != nil {
		return fmt.Errorf("%w: the pinned key: %v", ErrUnverified, err)
	}
	st.Head, st.Time, st.Key, st.Next = p.Head, p.Time, p.Key, p.Next
	if err := st.Verify(pub, p.Sig); err != nil {
		return fmt.Errorf("%w: %v", ErrUnverified, err)
	}
	if d := now.Sub(p.At()); d > protocol.MaxClockSkew || d < -protocol.MaxClockSkew {
		return fmt.Errorf("%w: the server's time is %s, this kiosk's %s", ErrClockSkew,
			p.At().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if key.ID == k.enr.NextKey.ID {
		k.promote() // the server signs with the next key now: the old one is done with
	}
	if n := p.Next; n != nil && n.ID != k.enr.Key.ID && n.ID != k.enr.NextKey.ID {
		if _, err := n.Key(); err == nil && n.From > 0 {
			k.enr.NextKey, k.changed = *n, true
		}
	}
	return nil
}

// promote makes the next key the pinned one and forgets the one before.
func (k *keyring) promote() {
	k.enr.Key = protocol.ServerKey{ID: k.enr.NextKey.ID, Public: k.enr.NextKey.Public}
	k.enr.NextKey = protocol.ServerKey{}
	k.changed = true
}

// learnt returns the enrolment with what the keyring learnt, and whether it learnt anything.
func (k *keyring) learnt() (syncstate.Enrolment, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.enr, k.changed
}

// verifyRevocation checks the proof of a 410 "revoked" the server gave to the request with
// the nonce. A kiosk with no pinned key takes the revocation unproved, as before signed
// answers: it can no longer sync and must be enrolled again, which wipes it anyway.
func (k *keyring) verifyRevocation(rv *revocation, now time.Time) error {
	k.mu.Lock()
	unpinned := k.enr.Key.IsZero()
	kiosk, office := k.enr.Kiosk, k.enr.Office
	k.mu.Unlock()
	if unpinned {
		return nil
	}
	if err := k.verify(protocol.RevokedStatement(kiosk, office, rv.nonce, nil), rv.proof, now); err != nil {
		return fmt.Errorf("%w (%v)", ErrUnverifiedRevocation, err)
	}
	return nil
}

// revocation is the server's 410 "revoked", with its proof and the nonce of the request it
// answered; it is errRevoked.
type revocation struct {
	proof *protocol.Proof
	nonce string
}

func (r *revocation) Error() string        { return errRevoked.Error() }
func (r *revocation) Is(target error) bool { return target == errRevoked }
