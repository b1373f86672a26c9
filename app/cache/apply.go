package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// ApplyHook is for tests only and nil in production. When set, ApplyBatch calls it at fixed
// points so that a test process can stop itself there (SIGKILL) and check that the cache holds
// the old state or the new one, never a mix:
//
//	"begin"     after the transaction began (n = 0)
//	"rows"      after every HookEvery rows (n = rows written so far)
//	"commit"    just before the commit (n = rows written)
//	"committed" just after the commit (n = rows written)
var ApplyHook func(step string, n int)

// HookEvery is how many rows ApplyBatch writes between two "rows" calls of ApplyHook.
const HookEvery = 1000

// ErrCursorMismatch is returned by ApplyBatch for a batch that does not start at the stored
// cursor; nothing is written.
var ErrCursorMismatch = errors.New("cache: batch does not start at the stored cursor")

// Tables and rows named in the associated data of sealed values.
const (
	tableRecords = "records"
	tableOutbox  = "outbox"
	tableMeta    = "meta"
)

// A record's plaintext is the owner token (IndexSize bytes, zeros for none) followed by the
// record's JSON. The token inside the seal binds the record to its owner: a record moved to
// another person's rows fails the check on reading.
var noOwner = make([]byte, ownerSize)

const ownerSize = 16

// row is one change made ready for the writer: tokens computed, body sealed. Its slices point
// into its chunk's arena.
type row struct {
	kind    string
	rid     []byte
	owner   []byte // nil for the office
	body    []byte // nil for a deletion
	deleted bool
	pid     []byte // look-up tokens of a participant; nil otherwise
	ssn     []byte
}

// chunk is a run of changes prepared by one worker.
type chunk struct {
	changes []protocol.Change
	rows    []row
	arena   []byte
	plain   []byte
	err     error
	done    chan struct{}
}

const chunkSize = 256

var chunkPool = sync.Pool{New: func() any { return new(chunk) }}

// prepare computes the tokens and seals the bodies of a chunk's changes.
func (c *Cache) prepare(ch *chunk) {
	defer close(ch.done)
	ch.rows = ch.rows[:0]
	// One arena per chunk: tokens and sealed bodies for every change, without a
	// per-row allocation. Size it up front so that slices into it stay valid.
	need := 0
	for i := range ch.changes {
		need += 4*ownerSize + ownerSize + len(ch.changes[i].Data) + 64
	}
	if cap(ch.arena) < need {
		ch.arena = make([]byte, 0, need)
	}
	a := ch.arena[:0]
	take := func(from int) []byte { return a[from:len(a):len(a)] }
	for i := range ch.changes {
		cg := &ch.changes[i]
		r := row{kind: cg.Kind, deleted: cg.Deleted}
		if cg.Kind == "" || cg.ID == "" {
			ch.err = fmt.Errorf("cache: change %d has no kind or id", cg.Seq)
			return
		}
		if cg.Kind != protocol.KindOffice && cg.Owner == "" {
			ch.err = fmt.Errorf("cache: change %d (%s) has no owner", cg.Seq, cg.Kind)
			return
		}
		n := len(a)
		a = c.index.AppendIndex(a, "row", cg.Kind+"\x00"+cg.ID)
		r.rid = take(n)
		if cg.Owner != "" {
			n = len(a)
			a = c.index.AppendIndex(a, "owner", cg.Owner)
			r.owner = take(n)
		}
		if cg.Kind == protocol.KindParticipant && !cg.Deleted {
			var p struct {
				ID  string `json:"id"`
				SSN string `json:"ssn"`
			}
			if err := json.Unmarshal(cg.Data, &p); err != nil {
				ch.err = fmt.Errorf("cache: change %d: participant: %w", cg.Seq, err)
				return
			}
			if id := domain.Digits(p.ID); id != "" {
				n = len(a)
				a = c.index.AppendIndex(a, "pid", id)
				r.pid = take(n)
			}
			if ssn := domain.Digits(p.SSN); ssn != "" {
				n = len(a)
				a = c.index.AppendIndex(a, "ssn", ssn)
				r.ssn = take(n)
			}
		}
		if !cg.Deleted {
			ch.plain = append(append(ch.plain[:0], ownerOrNone(r.owner)...), cg.Data...)
			n = len(a)
			a = c.sealer.AppendSeal(a, tableRecords, r.rid, ch.plain)
			r.body = take(n)
		}
		ch.rows = append(ch.rows, r)
	}
	clear(ch.plain)
	ch.arena = a
}

func ownerOrNone(owner []byte) []byte {
	if owner == nil {
		return noOwner
	}
	return owner
}

// Statements of ApplyBatch. A record with a local change keeps its body; the download goes to
// its shadow, which Acknowledge restores if the server does not take the local change.
const (
	sqlUpsert = `INSERT INTO records(kind, rid, owner, body) VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT(kind, rid) DO UPDATE SET
			owner  = iif(local = 0, excluded.owner, owner),
			body   = iif(local = 0, excluded.body, body),
			shadow = iif(local = 0, NULL, excluded.body)`
	sqlDelete       = `DELETE FROM records WHERE kind = ?1 AND rid = ?2 AND local = 0`
	sqlShadowDelete = `UPDATE records SET shadow = X'' WHERE kind = ?1 AND rid = ?2 AND local <> 0`
	sqlLocal        = `SELECT local FROM records WHERE kind = ?1 AND rid = ?2`
	sqlDropLookups  = `DELETE FROM lookup WHERE owner = ?1`
	sqlPutLookup    = `INSERT OR REPLACE INTO lookup(bidx, owner) VALUES (?1, ?2)`
)

// ApplyBatch writes a checked batch's changes and its new cursor in one transaction, all or
// nothing, after making sure b.From is the stored cursor (ErrCursorMismatch otherwise). A
// record with an unsent local change keeps it. When the batch is the last one (b.More is
// false), at becomes the cache's "data as of" time. Bodies are sealed by a few workers while
// the single writer inserts, in feed order.
func (c *Cache) ApplyBatch(b *protocol.Batch, at time.Time) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.isClosed() {
		return ErrClosed
	}
	if b.To < b.From {
		return fmt.Errorf("cache: batch cursor goes back from %d to %d", b.From, b.To)
	}

	// Cut the batch into chunks and let workers prepare them ahead of the writer.
	nchunks := (len(b.Changes) + chunkSize - 1) / chunkSize
	chunks := make([]*chunk, nchunks)
	for i := range chunks {
		ch := chunkPool.Get().(*chunk)
		ch.changes = b.Changes[i*chunkSize : min((i+1)*chunkSize, len(b.Changes))]
		ch.err, ch.done = nil, make(chan struct{})
		chunks[i] = ch
	}
	var next atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	work := func() {
		defer wg.Done()
		for {
			i := int(next.Add(1) - 1)
			if i >= nchunks {
				return
			}
			select {
			case <-stop:
				close(chunks[i].done)
				continue
			default:
			}
			c.prepare(chunks[i])
		}
	}
	workers := min(max(runtime.GOMAXPROCS(0)-1, 1), 4, nchunks)
	wg.Add(workers)
	for range workers {
		go work()
	}
	defer func() {
		close(stop)
		wg.Wait()
		for _, ch := range chunks {
			ch.changes, ch.rows = nil, ch.rows[:0]
			chunkPool.Put(ch)
		}
	}()

	ctx := context.Background()
	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	defer tx.Rollback()
	if ApplyHook != nil {
		ApplyHook("begin", 0)
	}
	var cursor int64
	if err := tx.QueryRow(`SELECT value FROM meta WHERE name = 'cursor'`).Scan(&cursor); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("cache: reading the cursor: %w", err)
	}
	if b.From != cursor {
		return fmt.Errorf("%w: batch from %d, cursor %d", ErrCursorMismatch, b.From, cursor)
	}

	st, err := prepareAll(tx, sqlUpsert, sqlDelete, sqlShadowDelete, sqlLocal, sqlDropLookups, sqlPutLookup)
	if err != nil {
		return err
	}
	defer st.close()
	upsert, del, shadowDel, local, dropLookups, putLookup := st[0], st[1], st[2], st[3], st[4], st[5]

	written := 0
	for _, ch := range chunks {
		<-ch.done
		if ch.err != nil {
			return ch.err
		}
		for i := range ch.rows {
			r := &ch.rows[i]
			if err := c.applyRow(r, upsert, del, shadowDel, local, dropLookups, putLookup); err != nil {
				return fmt.Errorf("cache: writing a %s record: %w", r.kind, err)
			}
			written++
			if ApplyHook != nil && written%HookEvery == 0 {
				ApplyHook("rows", written)
			}
		}
	}
	if err := setMeta(tx, "cursor", b.To); err != nil {
		return err
	}
	if !b.More {
		if err := setAsOf(tx, at); err != nil {
			return err
		}
	}
	if ApplyHook != nil {
		ApplyHook("commit", written)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	if ApplyHook != nil {
		ApplyHook("committed", written)
	}
	return nil
}

func (c *Cache) applyRow(r *row, upsert, del, shadowDel, local, dropLookups, putLookup *sql.Stmt) error {
	if r.kind == protocol.KindParticipant {
		// A participant's look-ups follow its body; a participant with a local change
		// keeps both until the change is acknowledged.
		var mark int64
		err := local.QueryRow(r.kind, r.rid).Scan(&mark)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if mark == 0 {
			if _, err := dropLookups.Exec(r.owner); err != nil {
				return err
			}
			for _, bidx := range [][]byte{r.pid, r.ssn} {
				if bidx != nil && !r.deleted {
					if _, err := putLookup.Exec(bidx, r.owner); err != nil {
						return err
					}
				}
			}
		}
	}
	if r.deleted {
		if _, err := del.Exec(r.kind, r.rid); err != nil {
			return err
		}
		_, err := shadowDel.Exec(r.kind, r.rid)
		return err
	}
	_, err := upsert.Exec(r.kind, r.rid, r.owner, r.body)
	return err
}

type stmts []*sql.Stmt

func prepareAll(tx *sql.Tx, queries ...string) (stmts, error) {
	var st stmts
	for _, q := range queries {
		s, err := tx.Prepare(q)
		if err != nil {
			st.close()
			return nil, fmt.Errorf("cache: %w", err)
		}
		st = append(st, s)
	}
	return st, nil
}

func (st stmts) close() {
	for _, s := range st {
		s.Close()
	}
}

// execer is a transaction or a database.
type execer interface {
	Exec(query string, args ...any) (sql.Result, error)
}

func setMeta(db execer, name string, value any) error {
	_, err := db.Exec(`INSERT INTO meta(name, value) VALUES (?1, ?2)
		ON CONFLICT(name) DO UPDATE SET value = excluded.value`, name, value)
	if err != nil {
		return fmt.Errorf("cache: writing %s: %w", name, err)
	}
	return nil
}

// setAsOf moves the "data as of" time forward, never back.
func setAsOf(db execer, at time.Time) error {
	_, err := db.Exec(`INSERT INTO meta(name, value) VALUES ('as_of', ?1)
		ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)`, at.UnixNano())
	if err != nil {
		return fmt.Errorf("cache: writing the data as of time: %w", err)
	}
	return nil
}
