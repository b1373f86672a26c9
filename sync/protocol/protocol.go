// Package protocol defines the sync API between the central case server and a kiosk: the
// endpoints, the JSON messages, the change feed with its checksummed checkpoints, the push of
// outbox items, and the signed statements (sign.go) by which a kiosk proves that an answer is
// its server's, for it and for this request. Both sides use it; it knows nothing of either
// side's storage.
package protocol

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"childsupportkiosk/app/domain"
)

// Endpoints of the API, all under one version prefix.
const (
	PathEnroll  = "/v1/enroll"  // POST EnrollRequest → EnrollResponse (no token)
	PathChanges = "/v1/changes" // GET ?after=CURSOR&limit=N[&wait=SECONDS] → Batch (bearer token)
	PathPush    = "/v1/push"    // POST PushRequest → PushResponse (bearer token)
	PathHealth  = "/v1/health"  // GET → 200 "ok"
)

// HeaderNext comes with a batch that has more after it and holds the batch's To, so that a
// client can ask for the next batch while it still reads and checks this one. It is a hint: the
// batch's own To, under its checksum, decides, and a client that finds them different asks
// again from the right cursor.
const HeaderNext = "Feed-Next"

// MaxWait is the longest a request for the feed may ask the server to wait (its wait=, in whole
// seconds) when nothing is new after its cursor: the server answers as soon as the office's
// feed moves past it, or with an empty batch when the time is up. A long poll: a kiosk that is
// online hears of a change in about a second without asking every second. Below the minute
// after which load balancers and proxies commonly drop a quiet connection.
const MaxWait = 30

// MaxBatch is the most changes a server puts in one batch, and MaxBatchBytes the largest body a
// client reads for one; a larger body is refused, not truncated.
const (
	MaxBatch      = 20000
	DefaultBatch  = 5000
	MaxBatchBytes = 64 << 20
	MaxPushItems  = 500
	MaxPushBytes  = 8 << 20
)

// Kinds of record on the change feed. Every record but an office belongs to one participant, its
// owner (a staff account owns itself, under domain.StaffOwner); the kiosk indexes records by
// owner so it can read one person's data without decrypting the office.
const (
	KindOffice       = "office"       // domain.Office; no owner
	KindParticipant  = "participant"  // domain.Participant; owner = its own ID
	KindCase         = "case"         // domain.Case (one participant's view); ID "<case>/<participant>"
	KindPayment      = "payment"      // domain.Payment; owner = payer
	KindDisbursement = "disbursement" // domain.Disbursement; owner = payee
	KindAppointment  = "appointment"  // domain.Appointment
	KindMessage      = "message"      // domain.Message
	KindDocument     = "document"     // domain.Document
	KindStaff        = "staff"        // domain.Staff of the kiosk's office; owner = domain.StaffOwner(ID)
)

// Kinds lists the record kinds a kiosk accepts, in a fixed order.
var Kinds = []string{KindOffice, KindParticipant, KindCase, KindPayment, KindDisbursement,
	KindAppointment, KindMessage, KindDocument, KindStaff}

// KnownKind reports whether k is a record kind of this protocol version.
func KnownKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Change is one record's newest state on an office's feed. Deleted marks a tombstone (Data
// empty). Seq is the server's sequence number; a feed is ordered by it.
type Change struct {
	Seq     int64           `json:"seq"`
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Owner   string          `json:"owner,omitempty"`
	Deleted bool            `json:"deleted,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// Batch is a checkpoint: the changes after cursor From up to and including cursor To. The kiosk
// applies a batch whole, with its new cursor, in one transaction, and only when Checksum
// matches; More says another batch follows. Proof is the server's signature on the batch for
// the kiosk and request it answers (sign.go); DecodeBatch does not look at it, the kiosk
// verifies it with its pinned key.
type Batch struct {
	From     int64    `json:"from"`
	To       int64    `json:"to"`
	More     bool     `json:"more"`
	Checksum string   `json:"checksum"`
	Proof    *Proof   `json:"proof,omitempty"`
	Changes  []Change `json:"changes"`
}

// Checksum is the SHA-256, in hex, of the batch's cursors and every change in order, each field
// length-prefixed so that no two different batches hash alike.
//
// The fields are gathered in a buffer and hashed a buffer at a time: hashing each field with a
// call of its own took twice as long, in a first sync, on both sides.
func Checksum(from, to int64, changes []Change) string {
	h := sha256.New()
	buf := make([]byte, 0, checksumBuf)
	put := func(v uint64) { buf = binary.BigEndian.AppendUint64(buf, v) }
	str := func(s string) { put(uint64(len(s))); buf = append(buf, s...) }
	put(uint64(from))
	put(uint64(to))
	put(uint64(len(changes)))
	for i := range changes {
		c := &changes[i]
		put(uint64(c.Seq))
		str(c.Kind)
		str(c.ID)
		str(c.Owner)
		if c.Deleted {
			buf = append(buf, 1)
		} else {
			buf = append(buf, 0)
		}
		put(uint64(len(c.Data)))
		if len(c.Data) > checksumBuf/4 {
			h.Write(buf)
			h.Write(c.Data)
			buf = buf[:0]
			continue
		}
		buf = append(buf, c.Data...)
		if len(buf) > checksumBuf-checksumBuf/4 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}

// checksumBuf is the size of Checksum's buffer.
const checksumBuf = 32 << 10

// Seal sets the batch's checksum; the server calls it before sending.
func (b *Batch) Seal() { b.Checksum = Checksum(b.From, b.To, b.Changes) }

// ErrBadBatch is wrapped by every reason DecodeBatch refuses a batch.
var ErrBadBatch = errors.New("bad batch")

// DecodeBatch reads one batch from r, at most MaxBatchBytes, and checks it: it must be whole
// JSON, answer the cursor asked for, have sequence numbers rising strictly within (From, To],
// known kinds, non-empty IDs, data on every change that is not a deletion, and a checksum that
// matches. Anything else is refused whole.
func DecodeBatch(r io.Reader, asked int64) (Batch, error) {
	var b Batch
	lr := &io.LimitedReader{R: r, N: MaxBatchBytes + 1}
	dec := json.NewDecoder(lr)
	if err := dec.Decode(&b); err != nil {
		if lr.N <= 0 {
			return Batch{}, fmt.Errorf("%w: larger than %d bytes", ErrBadBatch, MaxBatchBytes)
		}
		return Batch{}, fmt.Errorf("%w: %v", ErrBadBatch, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Batch{}, fmt.Errorf("%w: trailing data after the batch", ErrBadBatch)
	}
	return b, b.Check(asked)
}

// Check applies DecodeBatch's rules to a batch already decoded.
func (b *Batch) Check(asked int64) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrBadBatch}, a...)...)
	}
	if b.From != asked {
		return bad("starts at cursor %d, asked for %d", b.From, asked)
	}
	if b.To < b.From {
		return bad("cursor goes back from %d to %d", b.From, b.To)
	}
	if len(b.Changes) > MaxBatch {
		return bad("%d changes, more than %d", len(b.Changes), MaxBatch)
	}
	last := b.From
	for i := range b.Changes {
		c := &b.Changes[i]
		switch {
		case c.Seq <= last:
			return bad("change %d: sequence %d does not follow %d", i, c.Seq, last)
		case c.Seq > b.To:
			return bad("change %d: sequence %d beyond the batch's cursor %d", i, c.Seq, b.To)
		case !KnownKind(c.Kind):
			return bad("change %d: unknown kind %q", i, c.Kind)
		case c.ID == "" || len(c.ID) > 200:
			return bad("change %d: empty or overlong id", i)
		case len(c.Owner) > 200:
			return bad("change %d: overlong owner", i)
		case c.Kind != KindOffice && c.Owner == "":
			return bad("change %d: %s without an owner", i, c.Kind)
		case !c.Deleted && len(c.Data) == 0:
			return bad("change %d: no data", i)
		case c.Deleted && len(c.Data) != 0:
			return bad("change %d: deletion with data", i)
		}
		last = c.Seq
	}
	if len(b.Changes) == 0 && b.More {
		return bad("empty batch that says more follow")
	}
	if want := Checksum(b.From, b.To, b.Changes); b.Checksum != want {
		return bad("checksum mismatch")
	}
	return nil
}

// EnrollRequest asks to enrol a kiosk with a one-time code from `caseserver enroll`.
type EnrollRequest struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"` // the machine's label, for IT; never personal data
}

// EnrollResponse is the kiosk's identity: its ID, the bearer token it uses from now on (shown
// once; the server keeps only its hash), its office and the agency profile it runs, and the
// public key the server signs its answers with, which the kiosk pins (and the next one, when a
// rotation is under way).
type EnrollResponse struct {
	Kiosk   string     `json:"kiosk"`
	Token   string     `json:"token"`
	Office  string     `json:"office"`
	Profile string     `json:"profile"`
	Key     ServerKey  `json:"key"`
	NextKey *ServerKey `json:"next_key,omitempty"`
}

// Push is one outbox item. ID is stable across retries and Seq rises per kiosk; the server
// applies an ID once and answers later copies as duplicates.
type Push struct {
	ID   string          `json:"id"`
	Seq  int64           `json:"seq"`
	Kind string          `json:"kind"` // domain.Send*
	Data json.RawMessage `json:"data"`
}

// PINPush is the data of a pin_change, pin_issued or pin_state item: what the kiosk changed,
// and Base, the version of the participant's PIN state the change was made on, as the kiosk
// last had it from the server. The server numbers versions itself: it takes a change only on
// the version it holds (or on the kiosk's own change before, made on the same Base) and gives
// it the next, never the kiosk's PIN.Version. Without Base (a kiosk from before bases), the
// base is PIN.Version-1, as such a kiosk numbered its changes.
type PINPush struct {
	domain.PINUpdate
	Base *int64 `json:"base,omitempty"`
}

// StaffPush is the data of a staff_state item, with its Base as in PINPush.
type StaffPush struct {
	domain.StaffUpdate
	Base *int64 `json:"base,omitempty"`
}

// MaxPINVersion is the highest PIN version a kiosk may name, and the highest the server gives
// by counting (2^53-1, exact in every JSON reader). At one change a second it lasts 285
// million years; a stored version above it can only be one a kiosk forged before the server
// numbered versions itself.
const MaxPINVersion = 1<<53 - 1

// PushRequest carries outbox items in order.
type PushRequest struct {
	Items []Push `json:"items"`
}

// Outcomes of a pushed item. All but Failed mean the kiosk may drop it from its outbox.
const (
	Applied    = "applied"    // the server took it now
	Duplicate  = "duplicate"  // the server had it already
	Superseded = "superseded" // made on a version the server has moved past (a PIN issued elsewhere since)
	Rejected   = "rejected"   // invalid for good; retrying cannot help
	Failed     = "failed"     // not taken this time; retry
)

// PushResult is the server's word on one item.
type PushResult struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"` // plain reason, no PII
}

// PushResponse answers a PushRequest item by item, in order, with the server's signed Proof of
// the results (PushStatement).
type PushResponse struct {
	Results []PushResult `json:"results"`
	Proof   *Proof       `json:"proof,omitempty"`
}

// Error codes the server answers with, in an Error body.
const (
	CodeBadCode      = "bad_code"     // enrolment code wrong, used or expired (HTTP 403)
	CodeUnauthorized = "unauthorized" // no or unknown token (HTTP 401)
	CodeRevoked      = "revoked"      // this kiosk was revoked: wipe (HTTP 410)
	CodeBadRequest   = "bad_request"  // HTTP 400
	CodeInternal     = "internal"     // HTTP 500
)

// Error is the body of every non-2xx answer. A revocation (CodeRevoked) carries the server's
// signed Proof of it, which the kiosk verifies before it wipes anything.
type Error struct {
	Code    string `json:"error"`
	Message string `json:"message"`
	Proof   *Proof `json:"proof,omitempty"`
}
