package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/sync/protocol"
)

// ApplyHook is for tests only and nil in production. When set, ApplyBatch calls it at fixed
// points so that a test process can stop itself there (SIGKILL) and check that the cache holds
// the old state or the new one, never a mix:
//
//	"begin"     after the transaction began (n = 0)
//	"rows"      after every HookEvery rows (n = rows written so far)
//	"indexed"   in the batch that ends a bulk load, once the key index is built (n = 0)
//	"commit"    just before the commit (n = rows written)
//	"committed" just after the commit (n = rows written)
var ApplyHook func(step string, n int)

// HookEvery is how many rows ApplyBatch writes between two "rows" calls of ApplyHook.
const HookEvery = 1000

// Page cache sizes of the writer: while catching up with indexes kept (bulkCacheKiB),
// otherwise, and while the end of a bulk load builds the indexes.
const (
	bulkCacheKiB   = 256 << 10
	writerCacheKiB = 16 << 10
	sortCacheKiB   = 4 << 10 // while an index is built: the size of the sorter's runs
)

// ErrCursorMismatch is returned by ApplyBatch for a batch that does not start at the stored
// cursor; nothing is written.
var ErrCursorMismatch = errors.New("cache: batch does not start at the stored cursor")

// Tables and rows named in the associated data of sealed values.
const (
	tableRecords = "records"
	tableOutbox  = "outbox"
	tableMeta    = "meta"
)

// A record is sealed for the row rid || owner (the owner token, empty for the office), so a
// record moved to another row or to another person's rows does not open.

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
	err     error
	done    chan struct{}
}

const chunkSize = 256

// prepare computes the tokens and seals the bodies of a chunk's changes.
func (c *Cache) prepare(ch *chunk) {
	defer close(ch.done)
	ch.rows = ch.rows[:0]
	// One arena per chunk: tokens and sealed bodies for every change, without a
	// per-row allocation. Size it up front so that slices into it stay valid.
	need := 0
	for i := range ch.changes {
		need += 4*seal.IndexSize + len(ch.changes[i].Data) + seal.Overhead + 16
	}
	if cap(ch.arena) < need {
		ch.arena = make([]byte, 0, need)
	}
	a := ch.arena[:0]
	take := func(from int) []byte { return a[from:len(a):len(a)] }
	var lastOwner string
	var lastToken []byte
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
		start := len(a)
		n := len(a)
		a = c.index.AppendIndex(a, "row", cg.Kind+"\x00"+cg.ID)
		r.rid = take(n)
		if cg.Owner != "" {
			n = len(a)
			if cg.Owner == lastOwner {
				a = append(a, lastToken...) // a feed often holds one person's records in a row
			} else {
				a = c.index.AppendIndex(a, "owner", cg.Owner)
			}
			r.owner = take(n)
			lastOwner, lastToken = cg.Owner, r.owner
		}
		// rid and owner lie side by side in the arena: together they are the row the
		// body is sealed for.
		row := take(start)
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
			n = len(a)
			a = c.sealer.AppendSeal(a, tableRecords, row, cg.Data)
			r.body = take(n)
		}
		ch.rows = append(ch.rows, r)
	}
	ch.arena = a
}

// Statements of ApplyBatch. A record with a local change keeps its body; the download goes to
// its shadow, which Acknowledge restores if the server does not take the local change.
const (
	sqlInsert = `INSERT INTO records(kind, rid, owner, body) VALUES `
	sqlValues = `(?, ?, ?, ?)`
	sqlOnKey  = ` ON CONFLICT(rid) DO UPDATE SET
			owner        = iif(local = 0, excluded.owner, owner),
			body         = iif(local = 0, excluded.body, body),
			shadow       = iif(local = 0, NULL, excluded.body),
			shadow_owner = iif(local = 0, NULL, excluded.owner)`
	sqlDelete       = `DELETE FROM records WHERE rid = ?1 AND local = 0`
	sqlShadowDelete = `UPDATE records SET shadow = X'' WHERE rid = ?1 AND local <> 0`
	sqlLocal        = `SELECT local FROM records WHERE rid = ?1`
	sqlDropLookups  = `DELETE FROM lookup WHERE owner = ?1`
	sqlPutLookup    = `INSERT OR REPLACE INTO lookup(bidx, owner) VALUES (?1, ?2)`
)

// The indexes of records, as the first migration makes them. A bulk load drops them and makes
// them again at its end; a migration that changes them must change these too.
const (
	sqlKeyIndex   = `CREATE UNIQUE INDEX records_key ON records (rid)`
	sqlOwnerIndex = `CREATE INDEX records_owner ON records (owner, kind)`
	sqlLocalIndex = `CREATE INDEX records_local ON records (local) WHERE local <> 0`
)

// rowsPerInsert is how many records one INSERT statement writes: one statement for many rows
// spares most of the cost of a statement per row.
const rowsPerInsert = 64

func insertSQL(n int, upsert bool) string {
	var b strings.Builder
	b.WriteString(sqlInsert)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(sqlValues)
	}
	if upsert {
		b.WriteString(sqlOnKey)
	}
	return b.String()
}

// writer writes prepared rows inside ApplyBatch's transaction, in feed order. Plain records are
// gathered and written rowsPerInsert at a time; participants (with their look-ups) and
// deletions are written one by one, after what was gathered before them.
type writer struct {
	bulk    bool // a bulk load: no indexes, every change appended (see ApplyBatch)
	many    *rawStmt
	one     *rawStmt
	del     *rawStmt
	shadow  *rawStmt
	local   *rawStmt
	drop    *rawStmt
	put     *rawStmt
	pending []*row
	args    []any
	tombs   int64 // deletions appended during a bulk load
	written int
}

func newWriter(conn rawConn, bulk bool) (*writer, error) {
	w := &writer{bulk: bulk, args: make([]any, 0, 4*rowsPerInsert)}
	var err error
	prep := func(q string) *rawStmt {
		if err != nil {
			return nil
		}
		var st *rawStmt
		st, err = conn.prepare(q)
		return st
	}
	w.many = prep(insertSQL(rowsPerInsert, !bulk))
	w.one = prep(insertSQL(1, !bulk))
	w.drop = prep(sqlDropLookups)
	w.put = prep(sqlPutLookup)
	if !bulk {
		w.del = prep(sqlDelete)
		w.shadow = prep(sqlShadowDelete)
		w.local = prep(sqlLocal)
	}
	if err != nil {
		w.close()
		return nil, fmt.Errorf("cache: %w", err)
	}
	return w, nil
}

func (w *writer) close() {
	for _, st := range []*rawStmt{w.many, w.one, w.del, w.shadow, w.local, w.drop, w.put} {
		st.close()
	}
}

func (w *writer) add(r *row) error {
	if r.kind != protocol.KindParticipant && (!r.deleted || w.bulk) {
		w.pending = append(w.pending, r)
		if len(w.pending) == rowsPerInsert {
			return w.flush()
		}
		return nil
	}
	if err := w.flush(); err != nil {
		return err
	}
	if r.kind == protocol.KindParticipant {
		// A participant's look-ups follow its body; a participant with a local change
		// keeps both until the change is acknowledged. A bulk load has no local changes.
		var mark int64
		if !w.bulk {
			var err error
			if mark, _, err = w.local.int(r.rid); err != nil {
				return err
			}
		}
		if mark == 0 {
			if err := w.drop.run(r.owner); err != nil {
				return err
			}
			for _, bidx := range [][]byte{r.pid, r.ssn} {
				if bidx != nil && !r.deleted {
					if err := w.put.run(bidx, r.owner); err != nil {
						return err
					}
				}
			}
		}
	}
	if w.bulk || !r.deleted {
		w.pending = append(w.pending, r)
		return w.flush()
	}
	if err := w.del.run(r.rid); err != nil {
		return err
	}
	err := w.shadow.run(r.rid)
	w.count(1)
	return err
}

// flush writes the gathered rows. In a bulk load a deletion is appended as a tombstone, an
// empty body, which the end of the load resolves.
func (w *writer) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	w.args = w.args[:0]
	for _, r := range w.pending {
		body := r.body
		if r.deleted {
			body = []byte{}
			w.tombs++
		}
		var owner any
		if r.owner != nil {
			owner = r.owner
		}
		w.args = append(w.args, r.kind, r.rid, owner, body)
	}
	n := len(w.pending)
	var err error
	if n == rowsPerInsert {
		err = w.many.run(w.args...)
	} else {
		for i := 0; i < n && err == nil; i++ {
			err = w.one.run(w.args[4*i : 4*i+4]...)
		}
	}
	clear(w.pending)
	clear(w.args)
	w.pending = w.pending[:0]
	w.count(n)
	return err
}

func (w *writer) count(n int) {
	before := w.written
	w.written += n
	if ApplyHook != nil && w.written/HookEvery != before/HookEvery {
		ApplyHook("rows", w.written/HookEvery*HookEvery)
	}
}

// ApplyBatch writes a checked batch's changes and its new cursor in one transaction, all or
// nothing, after making sure b.From is the stored cursor (ErrCursorMismatch otherwise). A
// record with an unsent local change keeps it. When the batch is the last one (b.More is
// false), at becomes the cache's "data as of" time. Bodies are sealed by a few workers while
// the single writer inserts, in feed order.
//
// An initial sync (an empty cache, a first batch with more to follow) is a bulk load: the two
// indexes of records are dropped and every change is appended, which is several times faster
// than keeping indexes of random tokens up to date; the last batch of the load (or the next
// successful RecordSync) removes superseded and deleted rows and builds the indexes again.
// Until then the cache answers reads with ErrInitialSync. Every step is one transaction, so a
// crash anywhere resumes where it stopped.
func (c *Cache) ApplyBatch(b *protocol.Batch, at time.Time) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	defer c.forgetCounts()
	if c.isClosed() {
		return ErrClosed
	}
	if b.To < b.From {
		return fmt.Errorf("cache: batch cursor goes back from %d to %d", b.From, b.To)
	}

	// Cut the batch into chunks and let workers prepare them ahead of the writer.
	// The chunks and their arenas are kept while more batches follow, so that a long sync
	// does not allocate them again for every batch; they go once the kiosk has caught up.
	nchunks := (len(b.Changes) + chunkSize - 1) / chunkSize
	for len(c.chunks) < nchunks {
		c.chunks = append(c.chunks, new(chunk))
	}
	chunks := c.chunks[:nchunks]
	for i, ch := range chunks {
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
			clear(ch.rows)
			ch.changes, ch.rows = nil, ch.rows[:0]
		}
		if !b.More {
			c.chunks = nil
		}
	}()

	// The writes go to the driver's connection directly: database/sql costs more per
	// statement than SQLite does per row.
	conn, err := c.w.Conn(context.Background())
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("cache: unexpected driver connection %T", dc)
		}
		rc := rawConn{sc}
		if err := c.journalFor(rc, b); err != nil {
			return err
		}
		if err := c.apply(rc, b, at, chunks); err != nil {
			return err
		}
		if c.rollback && !b.More {
			c.journalWAL(rc) // the load has ended
		}
		return nil
	})
}

// A bulk load writes in rollback-journal mode rather than WAL. In WAL mode every page is written
// twice, to the WAL at the commit and to the database at the checkpoint, each time with an
// fsync: for a large office 2 GB through the disk rather than 1. In rollback mode a transaction
// journals only the pages it changes that were there before it began, and a bulk load appends
// new pages: each batch writes its pages once, still all or nothing, and a crash leaves a hot
// journal that the next open rolls back. synchronous is FULL meanwhile, as rollback mode wants
// it. The database goes back to WAL mode when the load ends (and at every open).
//
// A reader that has the database open in WAL mode keeps it there. The idle readers are closed
// for the switch; if one is busy, the switch fails at once and the load runs in WAL mode, only
// slower. Readers opened during the load read in rollback mode: a commit waits for their reads
// to end, and they for the commit, which at the end of the load means for the index builds too
// (a few seconds for a large office, once; reads answer ErrInitialSync until then anyway).

// journalFor puts the database in the journal mode batch b wants: rollback while a bulk load is
// open or one is about to begin, WAL otherwise. In the middle of a load there is nothing to
// look up.
func (c *Cache) journalFor(rc rawConn, b *protocol.Batch) error {
	if c.rollback && b.More {
		return nil
	}
	cursor, err := metaInt(rc, "cursor")
	if err != nil {
		return err
	}
	bulk, err := metaInt(rc, "bulk")
	if err != nil {
		return err
	}
	load := bulk != 0 || beginsLoad(cursor, b)
	switch {
	case load && !c.rollback:
		c.journalRollback(rc)
	case !load && c.rollback:
		c.journalWAL(rc)
	}
	return nil
}

// journalRollback tries to put the database in rollback-journal mode.
func (c *Cache) journalRollback(rc rawConn) {
	c.r.SetMaxIdleConns(0) // close the idle readers
	defer c.r.SetMaxIdleConns(readerConns)
	if rc.exec("PRAGMA busy_timeout = 0") != nil {
		return
	}
	defer rc.exec(fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeoutMS))
	if mode, err := rc.text("PRAGMA journal_mode = DELETE"); err != nil || mode != "delete" {
		return
	}
	if rc.exec("PRAGMA synchronous = FULL") != nil {
		c.journalWAL(rc)
		return
	}
	c.rollback = true
}

// journalWAL puts the database back in WAL mode. If it cannot (a reader holds a lock for longer
// than the busy timeout), the next write or open does.
func (c *Cache) journalWAL(db store) {
	if mode, err := db.text("PRAGMA journal_mode = WAL"); err != nil || mode != "wal" {
		return
	}
	if db.exec("PRAGMA synchronous = NORMAL") == nil {
		c.rollback = false
	}
}

// apply is ApplyBatch's transaction.
func (c *Cache) apply(conn rawConn, b *protocol.Batch, at time.Time, chunks []*chunk) (err error) {
	if err := conn.exec("BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			err = errors.Join(err, conn.exec("ROLLBACK"))
		}
	}()
	if ApplyHook != nil {
		ApplyHook("begin", 0)
	}
	cursor, err := metaInt(conn, "cursor")
	if err != nil {
		return err
	}
	if b.From != cursor {
		return fmt.Errorf("%w: batch from %d, cursor %d", ErrCursorMismatch, b.From, cursor)
	}
	bulk, err := metaInt(conn, "bulk")
	if err != nil {
		return err
	}
	if bulk == 0 && beginsLoad(cursor, b) {
		if bulk, err = startBulk(conn); err != nil {
			return err
		}
	}

	// While more batches follow after a long absence, let the writer keep much of the
	// indexes in memory: their keys are random tokens, so every batch touches pages all over
	// them. The cache shrinks back once the kiosk has caught up. A bulk load appends and
	// needs no more than the usual cache.
	if bulk == 0 && b.More && !c.bigCache {
		if err := conn.exec(fmt.Sprintf("PRAGMA cache_size = -%d", bulkCacheKiB)); err != nil {
			return fmt.Errorf("cache: %w", err)
		}
		c.bigCache = true
	}

	w, err := newWriter(conn, bulk != 0)
	if err != nil {
		return err
	}
	defer w.close()
	for _, ch := range chunks {
		<-ch.done
		if ch.err != nil {
			return ch.err
		}
		for i := range ch.rows {
			if err := w.add(&ch.rows[i]); err != nil {
				return fmt.Errorf("cache: writing a %s record: %w", ch.rows[i].kind, err)
			}
		}
	}
	if err := w.flush(); err != nil {
		return fmt.Errorf("cache: writing records: %w", err)
	}
	if bulk != 0 && w.tombs > 0 {
		if err := conn.exec(`UPDATE meta SET value = value + ?1 WHERE name = 'bulk'`, w.tombs); err != nil {
			return fmt.Errorf("cache: %w", err)
		}
	}
	if bulk != 0 && !b.More {
		if err := finishBulk(conn); err != nil {
			return err
		}
	}
	if err := setMeta(conn, "cursor", b.To); err != nil {
		return err
	}
	if !b.More && !at.IsZero() { // a zero at: not proved up to date (client.Store)
		if err := setAsOf(conn, at); err != nil {
			return err
		}
	}
	if ApplyHook != nil {
		ApplyHook("commit", w.written)
	}
	if err := conn.exec("COMMIT"); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	committed = true
	if ApplyHook != nil {
		ApplyHook("committed", w.written)
	}
	if !b.More && c.bigCache {
		c.bigCache = false
		if err := conn.exec(fmt.Sprintf("PRAGMA cache_size = -%d", writerCacheKiB)); err != nil {
			return fmt.Errorf("cache: %w", err)
		}
	}
	return nil
}

// metaInt reads an integer of the meta table; a missing one is 0.
func metaInt(db store, name string) (int64, error) {
	v, err := db.int(`SELECT value FROM meta WHERE name = ?1`, name)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("cache: reading %s: %w", name, err)
	}
	return v, nil
}

// beginsLoad reports whether batch b, applied at cursor, begins an initial sync: the first
// batch into an empty cache, with more to follow (startBulk still checks that the cache holds
// no records).
func beginsLoad(cursor int64, b *protocol.Batch) bool {
	return cursor == 0 && b.More && len(b.Changes) > 0
}

// startBulk begins a bulk load into an empty cache: it drops the indexes of records. The meta
// value "bulk" is 1 plus the number of tombstones appended so far.
func startBulk(db store) (int64, error) {
	_, err := db.int(`SELECT 1 FROM records LIMIT 1`)
	if err == nil {
		return 0, nil // not empty
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("cache: %w", err)
	}
	for _, q := range []string{`DROP INDEX records_key`, `DROP INDEX records_owner`} {
		if err := db.exec(q); err != nil {
			return 0, fmt.Errorf("cache: starting a bulk load: %w", err)
		}
	}
	return 1, setMeta(db, "bulk", int64(1))
}

// finishBulk ends a bulk load: it keeps the newest row of each record, drops the tombstones and
// builds the indexes. It does nothing when no bulk load is open.
func finishBulk(db store) error {
	tombs, err := metaInt(db, "bulk")
	if err != nil || tombs == 0 {
		return err
	}
	fail := func(err error) error { return fmt.Errorf("cache: finishing the bulk load: %w", err) }
	// Building an index sorts every row. SQLite's sorter sorts in runs the size of the page
	// cache, on a helper thread, and merges them, but only when it may keep the runs in
	// temporary files; with temp_store = MEMORY it sorts all the keys as one list, which for
	// millions of random tokens is two to three times slower (docs/performance.md). The runs
	// hold blind-index tokens, kinds and row numbers, nothing sealed and nothing personal, in
	// files SQLite removes as it opens them (in the kiosk unit's private /tmp). Small runs sort
	// fastest: they stay in the processor's caches.
	if err := db.exec("PRAGMA temp_store = FILE"); err != nil {
		return fail(err)
	}
	defer db.exec("PRAGMA temp_store = MEMORY")
	if err := db.exec(fmt.Sprintf("PRAGMA cache_size = -%d", sortCacheKiB)); err != nil {
		return fail(err)
	}
	defer db.exec(fmt.Sprintf("PRAGMA cache_size = -%d", writerCacheKiB))
	if err := db.exec("PRAGMA threads = 2"); err != nil {
		return fail(err)
	}
	defer db.exec("PRAGMA threads = 0")
	// and let it read the table through a memory map rather than a copy per page.
	if err := db.exec("PRAGMA mmap_size = 4294967296"); err != nil {
		return fail(err)
	}
	defer db.exec("PRAGMA mmap_size = 0")
	// build makes an index. Where the sorter cannot write its files (no writable temporary
	// directory, a full disk) it sorts in memory instead, as it did before: slower, but the
	// load ends rather than failing at every sync.
	inMemory := false
	build := func(q string) error {
		var err error
		if sortFault != nil && !inMemory {
			err = sortFault(q)
		} else {
			err = db.exec(q)
		}
		if !inMemory && noTempFiles(err) {
			inMemory = true
			if err := db.exec("PRAGMA temp_store = MEMORY"); err != nil {
				return err
			}
			return db.exec(q)
		}
		return err
	}
	if err := build(sqlKeyIndex); err != nil {
		// A record came down twice during the load: keep its newest row and try again.
		if err := db.exec(`DELETE FROM records WHERE rowid NOT IN (SELECT max(rowid) FROM records GROUP BY rid)`); err != nil {
			return fail(err)
		}
		if err := build(sqlKeyIndex); err != nil {
			return fail(err)
		}
	}
	if ApplyHook != nil {
		ApplyHook("indexed", 0)
	}
	if tombs > 1 {
		if err := db.exec(`DELETE FROM records WHERE length(body) = 0`); err != nil {
			return fail(err)
		}
	}
	if err := build(sqlOwnerIndex); err != nil {
		return fail(err)
	}
	if err := db.exec(`DELETE FROM meta WHERE name = 'bulk'`); err != nil {
		return fail(err)
	}
	return nil
}

// noTempFiles reports whether err is SQLite failing to write a temporary file: no writable
// temporary directory, or a full disk.
func noTempFiles(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrIoErr || se.Code == sqlite3.ErrCantOpen || se.Code == sqlite3.ErrFull)
}

// sortFault is for tests only and nil in production: when set, it stands in for an index
// build of finishBulk while the sorter's files would be on disk, and its error is the build's
// (a test cannot make every temporary directory unwritable for root).
var sortFault func(query string) error

func setMeta(db store, name string, value any) error {
	err := db.exec(`INSERT INTO meta(name, value) VALUES (?1, ?2)
		ON CONFLICT(name) DO UPDATE SET value = excluded.value`, name, value)
	if err != nil {
		return fmt.Errorf("cache: writing %s: %w", name, err)
	}
	return nil
}

// setAsOf moves the "data as of" time forward, never back.
func setAsOf(db store, at time.Time) error {
	err := db.exec(`INSERT INTO meta(name, value) VALUES ('as_of', ?1)
		ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)`, at.UnixNano())
	if err != nil {
		return fmt.Errorf("cache: writing the data as of time: %w", err)
	}
	return nil
}
