package server

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver
)

//go:embed schema.sql
var schema string

// DB is the case server's database: one SQLite file. It is safe for concurrent use; writes are
// serialised by SQLite (every write transaction begins IMMEDIATE).
type DB struct {
	sql *sql.DB
	// Now is the clock; tests move it to expire enrolment codes.
	Now func() time.Time

	seenMu     sync.Mutex
	seenAt     map[string]time.Time // when each kiosk's last_seen was last written
	seenWrites sync.WaitGroup       // those writes still running
	closing    bool                 // Close has begun: no more of them

	signer signer // the signing keys as last read (signing.go)

	watch feedWatch // the feed's requests that wait for a change (watch.go)
}

// schemaVersion is the version of the schema, kept in the file's user_version: a file made by
// a newer version, or one too old to upgrade, is refused rather than misread. schema.sql is
// version 3, run at every open (every statement in it is IF NOT EXISTS); migrations bring it,
// or an existing file of version 3, to schemaVersion.
const schemaVersion = 6

// migrations are what each version after 3 adds, applied in order in one transaction with the
// new user_version. An existing database gets them at its next open.
var migrations = []struct {
	version int
	sql     string
}{
	// A participant's deletion looks for payments and disbursements it still owns: without these,
	// a scan of every payment and disbursement of the server for each deleted participant.
	{4, `CREATE INDEX IF NOT EXISTS payments_owner ON payments(owner);
		CREATE INDEX IF NOT EXISTS disbursements_owner ON disbursements(owner);`},
	// Who made the PIN state a participant or staff account holds, when a kiosk made it: the
	// kiosk, the version its changes were made on (base) and a hash of the state it made, so
	// that its next change on that base is taken and nobody else's (pinversion.go).
	{5, `CREATE TABLE IF NOT EXISTS pin_chains (
		kind    TEXT NOT NULL,
		id      TEXT NOT NULL,
		kiosk   TEXT NOT NULL,
		base    INTEGER NOT NULL,
		version INTEGER NOT NULL,
		state   BLOB NOT NULL,
		PRIMARY KEY (kind, id)
	) WITHOUT ROWID;`},
	// The server's Ed25519 signing keys (signing.go): the one in force is the one with the
	// latest active_from not after now; a retired key's private half is erased (NULL).
	{6, `CREATE TABLE IF NOT EXISTS signing_keys (
		id          TEXT PRIMARY KEY,
		public      BLOB NOT NULL,
		private     BLOB,
		created     INTEGER NOT NULL,
		active_from INTEGER NOT NULL UNIQUE
	);`},
}

// cacheKiB is the page cache of each connection.
const cacheKiB = 64 << 10

// pageSize suits rows of a few hundred bytes: fewer page splits than SQLite's 4 KiB default.
const pageSize = 8192

// Open opens or creates the database at path and brings its schema up to date.
func Open(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("no database file given")
	}
	q := url.Values{}
	q.Set("_synchronous", "NORMAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	q.Set("_foreign_keys", "off")
	q.Set("_cache_size", fmt.Sprint(-cacheKiB))
	q.Set("_mutex", "no")
	db, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	if err := prepare(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	d := &DB{sql: db, Now: time.Now}
	d.watch.poke = make(chan struct{}, 1)
	if err := d.ensureSigningKey(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: the signing key: %w", path, err)
	}
	return d, nil
}

func prepare(pool *sql.DB) error {
	// One connection throughout: the page size is set on the connection that makes the file.
	db, err := pool.Conn(context.Background())
	if err != nil {
		return err
	}
	defer db.Close()
	var tables, version int
	if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM sqlite_master`).Scan(&tables); err != nil {
		return err
	}
	if err := db.QueryRowContext(context.Background(), `PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	// Version 2 lacked the staff table, which the schema below adds: nothing else changed.
	if tables > 0 && (version < 2 || version > schemaVersion) {
		return fmt.Errorf("made by another version of the case server (schema %d, this one reads %d): import into a new file", version, schemaVersion)
	}
	if tables == 0 {
		// The page size can only change before the first table and before WAL mode.
		if _, err := db.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA page_size = %d`, pageSize)); err != nil {
			return err
		}
	}
	// WAL lets kiosks read the feed while an import or a push writes; it stays set in the file.
	var mode string
	if err := db.QueryRowContext(context.Background(), `PRAGMA journal_mode = WAL`).Scan(&mode); err != nil {
		return err
	}
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, m := range migrations {
		if m.version > version {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("schema %d: %w", m.version, err)
			}
		}
	}
	if _, err = tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// Close closes the database, after the last_seen writes still running (a file removed right
// after Close must not get them).
func (d *DB) Close() error {
	d.seenMu.Lock()
	d.closing = true
	d.seenMu.Unlock()
	d.EndWaits()
	d.seenWrites.Wait()
	return d.sql.Close()
}

// write runs f in one write transaction: committed when f returns nil, rolled back otherwise.
func (d *DB) write(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := d.sql.BeginTx(ctx, nil)
	if err = inTx(tx, err, f); err == nil {
		d.changed()
	}
	return err
}

// inTx runs f in a transaction just begun (or returns the error of its beginning), then commits
// it, or rolls it back when f fails.
func inTx(tx *sql.Tx, begun error, f func(tx *sql.Tx) error) error {
	if begun != nil {
		return begun
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// writeCached is write on a connection whose page cache is cacheKiB for the time of f and
// the commit (SQLite takes of it only what it needs), and back to its usual size after.
func (d *DB) writeCached(ctx context.Context, kib int, f func(tx *sql.Tx) error) error {
	conn, err := d.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, kib)); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = -%d`, cacheKiB))
	tx, err := conn.BeginTx(ctx, nil)
	if err = inTx(tx, err, f); err == nil {
		d.changed()
	}
	return err
}

func unix(t time.Time) int64 { return t.UTC().UnixMilli() }

func fromUnix(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
