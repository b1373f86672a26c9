package protocol

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Signed answers. The case server signs every answer a kiosk acts on (a batch, a "nothing new",
// a revocation, a push answer) with an Ed25519 key whose public half the kiosk pinned at enrolment. What is
// signed is a Statement: every field the kiosk acts on, the kiosk's ID and office, the cursor
// it asked from and the nonce it sent, the server's time and the office feed's head. The
// statement is not sent whole: the kiosk rebuilds it from the answer and from what it knows
// itself (its ID, office, cursor and nonce), so an answer made for another kiosk, another
// cursor or another request does not verify.

// HeaderNonce carries a random nonce of the kiosk's on every request it makes with its token;
// the server's signed statement names it, so an answer cannot be replayed to another request.
const HeaderNonce = "Sync-Nonce"

// MaxNonce is the longest nonce the server takes (the kiosk sends 22 characters).
const MaxNonce = 64

// MaxClockSkew is how far the server's signed time may be from the kiosk's clock, either way,
// for the kiosk to take an answer. It covers clocks kept by NTP and an answer's time on the way
// (a request lasts two minutes at most); a kiosk whose clock is further off syncs nothing and
// says so.
const MaxClockSkew = 5 * time.Minute

// Kinds of signed statement.
const (
	StatementBatch   = "batch"   // a batch of the feed, possibly empty ("nothing new")
	StatementRevoked = "revoked" // this kiosk was revoked: wipe
	StatementPush    = "push"    // the server's word on each pushed item
)

// ServerKey is a public signing key of the case server, as an enrolment answer or an
// announcement carries it. From, for a key announced ahead of a rotation, is when the server
// starts signing with it (Unix milliseconds); 0 for a key in use.
type ServerKey struct {
	ID     string `json:"id"`
	Public string `json:"public"` // the 32-byte Ed25519 public key, base64
	From   int64  `json:"from,omitempty"`
}

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

// NewServerKey describes pub.
func NewServerKey(pub ed25519.PublicKey, from int64) ServerKey {
	return ServerKey{ID: KeyID(pub), Public: base64.StdEncoding.EncodeToString(pub), From: from}
}

// ErrBadKey is a server key that is not a whole Ed25519 public key or whose ID is not its own.
var ErrBadKey = errors.New("not a usable signing key")

// Key decodes the public key and checks that ID names it.
func (k ServerKey) Key() (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(k.Public)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, ErrBadKey
	}
	if KeyID(b) != k.ID {
		return nil, fmt.Errorf("%w: its ID is not its own", ErrBadKey)
	}
	return ed25519.PublicKey(b), nil
}

// IsZero reports whether k names no key.
func (k ServerKey) IsZero() bool { return k == ServerKey{} }

// Proof is the server's signature on one answer, with the fields of the statement the kiosk
// cannot know itself. A batch carries it in "proof"; a revocation in the error body's "proof".
type Proof struct {
	Key  string     `json:"key"`            // the ID of the signing key
	Time int64      `json:"time"`           // the server's time, Unix milliseconds
	Head int64      `json:"head"`           // the office feed's highest sequence number
	Next *ServerKey `json:"next,omitempty"` // the key the server signs with from Next.From
	Sig  string     `json:"sig"`            // Ed25519 over Statement.Message, base64
}

// At is the proof's time.
func (p *Proof) At() time.Time { return time.UnixMilli(p.Time).UTC() }

// Statement is what the server signs. Batch statements fill every field; a revocation has
// Kiosk, Office, Nonce and the proof's fields only.
type Statement struct {
	Kind     string
	Kiosk    string
	Office   string
	Nonce    string
	Asked    int64 // the cursor of the request
	From, To int64
	More     bool
	Checksum string // Batch.Checksum: SHA-256 over the cursors and every change
	Head     int64
	Time     int64
	Key      string
	Next     *ServerKey
}

// BatchStatement is the statement a batch answers with, for the kiosk and office, to the request
// after cursor asked with nonce; the proof's fields come from p (nil: none yet).
func BatchStatement(b *Batch, kiosk, office string, asked int64, nonce string, p *Proof) Statement {
	s := Statement{Kind: StatementBatch, Kiosk: kiosk, Office: office, Nonce: nonce, Asked: asked,
		From: b.From, To: b.To, More: b.More, Checksum: b.Checksum}
	s.fill(p)
	return s
}

// PushStatement is the statement of a push answer's results, for the kiosk and office, to the
// request with nonce: the kiosk drops from its outbox what the server says it took, so a forged
// "applied" must not verify.
func PushStatement(results []PushResult, kiosk, office, nonce string, p *Proof) Statement {
	h := sha256.New()
	var buf []byte
	str := func(v string) {
		buf = binary.BigEndian.AppendUint64(buf, uint64(len(v)))
		buf = append(buf, v...)
	}
	buf = binary.BigEndian.AppendUint64(buf, uint64(len(results)))
	for _, r := range results {
		str(r.ID)
		str(r.Status)
		str(r.Reason)
	}
	h.Write(buf)
	s := Statement{Kind: StatementPush, Kiosk: kiosk, Office: office, Nonce: nonce,
		Checksum: hex.EncodeToString(h.Sum(nil))}
	s.fill(p)
	return s
}

// RevokedStatement is the statement of a revocation of kiosk, for the request with nonce.
func RevokedStatement(kiosk, office, nonce string, p *Proof) Statement {
	s := Statement{Kind: StatementRevoked, Kiosk: kiosk, Office: office, Nonce: nonce}
	s.fill(p)
	return s
}

func (s *Statement) fill(p *Proof) {
	if p != nil {
		s.Head, s.Time, s.Key, s.Next = p.Head, p.Time, p.Key, p.Next
	}
}

// statementTag starts every signed message: a signature made for anything else never verifies.
const statementTag = "childsupportkiosk sync statement v1\x00"

// Message is the canonical encoding of s: a fixed tag, then every field in a fixed order,
// numbers as 8 bytes big-endian and strings with their length first, so that no two different
// statements encode alike.
func (s *Statement) Message() []byte {
	buf := make([]byte, 0, 256)
	put := func(v int64) { buf = binary.BigEndian.AppendUint64(buf, uint64(v)) }
	str := func(v string) { put(int64(len(v))); buf = append(buf, v...) }
	buf = append(buf, statementTag...)
	str(s.Kind)
	str(s.Kiosk)
	str(s.Office)
	str(s.Nonce)
	put(s.Asked)
	put(s.From)
	put(s.To)
	if s.More {
		buf = append(buf, 1)
	} else {
		buf = append(buf, 0)
	}
	str(s.Checksum)
	put(s.Head)
	put(s.Time)
	str(s.Key)
	if s.Next == nil {
		buf = append(buf, 0)
	} else {
		buf = append(buf, 1)
		str(s.Next.ID)
		str(s.Next.Public)
		put(s.Next.From)
	}
	return buf
}

// Sign signs s with priv and returns the proof to send with the answer.
func (s *Statement) Sign(priv ed25519.PrivateKey) *Proof {
	s.Key = KeyID(priv.Public().(ed25519.PublicKey))
	sig := ed25519.Sign(priv, s.Message())
	return &Proof{Key: s.Key, Time: s.Time, Head: s.Head, Next: s.Next,
		Sig: base64.StdEncoding.EncodeToString(sig)}
}

// ErrBadSignature is a proof that does not verify under the key it names.
var ErrBadSignature = errors.New("the signature does not verify")

// Verify checks sig, the proof's signature on s, under pub.
func (s *Statement) Verify(pub ed25519.PublicKey, sig string) error {
	b, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(b) != ed25519.SignatureSize || !ed25519.Verify(pub, s.Message(), b) {
		return ErrBadSignature
	}
	return nil
}
