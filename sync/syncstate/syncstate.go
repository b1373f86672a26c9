// Package syncstate is the vocabulary of a kiosk's sync that the cache, the screens and the
// sync client share without HTTP: the Store the client writes through (app/cache implements
// it), the kiosk's enrolment, the status staff see, and the progress and outcome of a sync.
package syncstate

import (
	"time"

	"childsupportkiosk/sync/protocol"
)

// Store is the kiosk's local side of sync. The encrypted cache (app/cache) implements it; the
// client knows nothing else about it.
type Store interface {
	// Enrolment returns the saved identity, or domain.ErrNotEnrolled when there is none.
	Enrolment() (Enrolment, error)
	// SaveEnrolment keeps the kiosk's identity; the token is sealed like any secret.
	SaveEnrolment(Enrolment) error
	// Cursor is the last checkpoint applied, 0 before the first sync.
	Cursor() (int64, error)
	// ApplyBatch writes a checked batch's changes and its new cursor (b.To) in one transaction,
	// all or nothing, after making sure b.From is the stored cursor. A record with an unsent
	// local change (in the outbox) is not overwritten by a download. The client reuses the
	// memory of b's data once ApplyBatch returns: a store copies what it keeps. at is zero, or
	// the server's signed time at which the batch brought the cache up to the feed's head: the
	// store's "data as of" moves forward to it, and only to such a time.
	ApplyBatch(b *protocol.Batch, at time.Time) error
	// Outbox returns up to n unsent items, oldest first.
	Outbox(n int) ([]protocol.Push, error)
	// Acknowledge drops from the outbox every item whose result is not protocol.Failed, and
	// clears the local-change marks those items held.
	Acknowledge(results []protocol.PushResult) error
	// RecordSync notes the outcome of one sync attempt, for status.
	RecordSync(SyncRecord) error
	// Status reads the status record.
	Status() (Status, error)
	// Wipe crypto-shreds the cache: the wrapped keys are destroyed first, then the files.
	Wipe() error
}

// OutboxCounter is a Store that counts its outbox without the rest of its status: the cache's
// status also counts the records of each kind, which for a large office reads an index of
// millions of entries. A push uses it, where the store has it, for the progress it reports.
type OutboxCounter interface {
	PendingOutbox() (int, error)
}

// Enrolment is a kiosk's identity at the case server.
type Enrolment struct {
	Server   string    `json:"server"` // base URL, e.g. https://cases.agency.example:8443
	Kiosk    string    `json:"kiosk"`
	Token    string    `json:"token"` // bearer token; a secret
	Office   string    `json:"office"`
	Profile  string    `json:"profile"`
	Enrolled time.Time `json:"enrolled"`
	// Key is the case server's signing key the kiosk pinned at enrolment (or took over from
	// an announcement signed by the key before it); every answer it acts on must verify
	// under it. NextKey is the key the server announced it signs with from NextKey.From. A
	// kiosk enrolled before the server signed its answers has neither, and must be enrolled
	// again (the sync client's ErrNotPinned).
	Key     protocol.ServerKey `json:"key,omitzero"`
	NextKey protocol.ServerKey `json:"next_key,omitzero"`
}

// SyncRecord is the outcome of one sync attempt.
type SyncRecord struct {
	At     time.Time `json:"at"`
	OK     bool      `json:"ok"`
	Error  string    `json:"error,omitempty"` // no PII: an error code or transport message
	Pulled int       `json:"pulled"`          // changes applied
	Pushed int       `json:"pushed"`          // outbox items acknowledged
	// AsOf is the server's signed time of a verified answer that said the cache holds the
	// whole feed, zero when no answer of this sync said so; "data as of" moves only to it.
	AsOf time.Time `json:"as_of,omitzero"`
}

// Status is what staff and `kioskctl status` see about sync.
type Status struct {
	Server        string         `json:"server"`
	Kiosk         string         `json:"kiosk"`
	Office        string         `json:"office"`
	Profile       string         `json:"profile"`
	Cursor        int64          `json:"cursor"`
	LastSuccess   time.Time      `json:"last_success,omitzero"`
	LastAttempt   time.Time      `json:"last_attempt,omitzero"`
	LastError     string         `json:"last_error,omitempty"`
	PendingOutbox int            `json:"pending_outbox"`
	Counts        map[string]int `json:"counts"` // records per kind
	// The server's signing keys the kiosk trusts (Enrolment.Key and NextKey).
	Key     protocol.ServerKey `json:"key,omitzero"`
	NextKey protocol.ServerKey `json:"next_key,omitzero"`
	// Lock is what locks the kiosk's cache (app/seal's kinds): "tpm2", "argon2id" (an office
	// passphrase) or "keyfile", a plain key file that opens the cache for whoever has the disk.
	Lock string `json:"lock,omitempty"`
}

// Phases of a sync, as reported in Progress.
const (
	PhasePush = "push"
	PhasePull = "pull"
)

// Progress tells the UI how far a sync has come.
type Progress struct {
	Phase  string // PhasePush or PhasePull
	Done   int    // outbox items pushed, or changes applied, so far in this sync
	Total  int    // push: items pending when the sync began; pull: 0, the feed's end is unknown
	Cursor int64  // the checkpoint the cache holds now
	More   bool   // pull: the server has more batches
}

// Result is what one sync did, also when it failed part-way: what it counts was done and stays
// done (applied batches are whole checkpoints), and once the pull began, Cursor is the
// checkpoint the next sync resumes from.
type Result struct {
	Pushed     int   // outbox items the server took (applied, duplicate, superseded or rejected)
	Rejected   int   // of those, items refused for good
	PushFailed int   // items the server did not take this time; still in the outbox
	Pulled     int   // changes applied
	Batches    int   // batches applied
	Cursor     int64 // the checkpoint reached
	// AsOf is the server's signed time of the verified answer that brought the cache to the
	// feed's head; zero when no answer of this sync did. It is the new "data as of".
	AsOf    time.Time
	Started time.Time
	Took    time.Duration
}
