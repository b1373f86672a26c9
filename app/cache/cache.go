package cache

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/mattn/go-sqlite3"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
)

// Files in a cache directory.
const (
	KeyringFile = "keyring.json" // the wrapped keys: shredding it destroys the cache
	DBFile      = "cache.db"     // SQLite, WAL mode: also cache.db-wal and cache.db-shm
	KeyFileName = "kiosk.key"    // where DefaultKeyFile keeps the key-encryption key
)

// ErrExists is returned by Create for a directory that already holds a cache.
var ErrExists = errors.New("cache: the directory already holds a cache")

// ErrClosed is returned after Close or Wipe.
var ErrClosed = errors.New("cache: closed")

// KeySource is where the key-encryption key comes from: TPM, Passphrase, or KeyFile and
// DefaultKeyFile for the demo and tests.
type KeySource = seal.KeySource

// TPM seals the key-encryption key to the kiosk's TPM 2.0 at device (seal.DefaultTPM in an
// office): a copy of the data directory opens nothing on another machine.
func TPM(device string) KeySource { return seal.TPM(device) }

// KeyFile takes the key-encryption key from a file of 32 random bytes with mode 0600, created
// with the cache when it is missing. Keep it apart from the cache where the kiosk allows.
func KeyFile(path string) KeySource { return seal.KeyFile(path) }

// DefaultKeyFile is the key file inside the cache directory, dir/kiosk.key.
func DefaultKeyFile(dir string) KeySource { return seal.KeyFile(filepath.Join(dir, KeyFileName)) }

// Passphrase derives the key-encryption key from an office passphrase with Argon2id.
func Passphrase(passphrase string) KeySource { return seal.Passphrase(passphrase) }

// Cache is an open encrypted cache. It implements sync/client.Store and domain.CaseFile and is
// safe for concurrent use: one writer at a time, readers alongside it (WAL).
type Cache struct {
	dir    string
	kek    KeySource
	sealer *seal.Sealer
	index  *seal.Indexer

	wmu      sync.Mutex // serialises writers; w has a single connection
	w        *sql.DB
	bigCache bool     // the writer's page cache is the large one (under wmu)
	rollback bool     // the database is in rollback-journal mode for a bulk load (under wmu)
	chunks   []*chunk // ApplyBatch's work space, kept between batches of one sync (under wmu)
	r        *sql.DB

	countMu     sync.Mutex // the kept counts per kind (see counts)
	countMemo   map[string]int
	countCursor int64
	countOK     bool

	closeOnce sync.Once
	closed    chan struct{}
}

// Per-connection settings. The writer gets a bigger page cache for the initial sync; readers
// are read-only. secure_delete zeroes freed pages, temp_store keeps sorts and temporary
// tables off the disk (but for the index builds at the end of a bulk load: finishBulk).
var (
	commonPragmas = []string{
		fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeoutMS),
		"PRAGMA synchronous = NORMAL",
		"PRAGMA temp_store = MEMORY",
		"PRAGMA secure_delete = ON",
		"PRAGMA foreign_keys = ON",
	}
	writerPragmas = []string{
		// 16 KiB pages for a new cache (an existing one keeps its size): a quarter of the
		// pages, page writes and checkpoint copies of 4 KiB ones when a sync loads an office.
		"PRAGMA page_size = 16384",
		fmt.Sprintf("PRAGMA cache_size = -%d", writerCacheKiB),
		"PRAGMA journal_size_limit = 67108864",
		// Checkpoint every 10,000 pages of WAL rather than 1,000 (160 MB with 16 KiB pages, 40
		// MB with 4 KiB ones): a sync's batches rewrite the same last pages of the table at
		// every commit, and a checkpoint copies each page once.
		"PRAGMA wal_autocheckpoint = 10000",
	}
	readerPragmas = []string{
		"PRAGMA cache_size = -16384",
		"PRAGMA query_only = ON",
	}
)

// busyTimeoutMS is how long a connection waits for another one's lock; readerConns is how many
// readers the cache keeps open.
const (
	busyTimeoutMS = 10000
	readerConns   = 4
)

const (
	writerDriver = "childsupportkiosk-cache-writer"
	readerDriver = "childsupportkiosk-cache-reader"
)

func init() {
	hook := func(extra []string) func(*sqlite3.SQLiteConn) error {
		return func(c *sqlite3.SQLiteConn) error {
			for _, p := range append(append([]string(nil), commonPragmas...), extra...) {
				if _, err := c.Exec(p, nil); err != nil {
					return fmt.Errorf("cache: %s: %w", p, err)
				}
			}
			return nil
		}
	}
	sql.Register(writerDriver, &sqlite3.SQLiteDriver{ConnectHook: hook(writerPragmas)})
	sql.Register(readerDriver, &sqlite3.SQLiteDriver{ConnectHook: hook(readerPragmas)})
}

// Create makes a new cache in dir: a fresh keyring wrapped by kek and an empty database. The
// directory is created with mode 0700 (and tightened to it if it exists), the files 0600. It
// refuses a directory that already holds a cache.
func Create(dir string, kek KeySource) (*Cache, error) {
	if err := makeDir(dir); err != nil {
		return nil, err
	}
	ring, db := filepath.Join(dir, KeyringFile), filepath.Join(dir, DBFile)
	for _, p := range []string{ring, db} {
		if _, err := os.Lstat(p); err == nil {
			return nil, ErrExists
		}
	}
	k, err := seal.CreateKeyring(ring, kek)
	if errors.Is(err, seal.ErrKeyringExists) {
		return nil, ErrExists
	}
	if err != nil {
		return nil, err
	}
	defer k.Close()
	// SQLite gives the -wal and -shm files the mode of the database file.
	f, err := os.OpenFile(db, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		err = f.Close()
	}
	var c *Cache
	if err == nil {
		c, err = open(dir, kek, k)
	}
	if err == nil {
		err = c.writeCanary()
	}
	if err != nil {
		if c != nil {
			c.Close()
		}
		// Leave nothing half made; the key file, if any, stays for a retry.
		return nil, errors.Join(err, seal.Shred(ring), removeDB(dir))
	}
	return c, nil
}

// Open opens the cache in dir with kek. It returns domain.ErrNotEnrolled when dir holds no
// cache, domain.ErrWrongKey when kek does not fit (nothing is changed) and
// domain.ErrCacheLocked when the key file is missing or readable by others.
func Open(dir string, kek KeySource) (*Cache, error) {
	ring, db := filepath.Join(dir, KeyringFile), filepath.Join(dir, DBFile)
	for _, p := range []string{ring, db} {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return nil, domain.ErrNotEnrolled
		} else if err != nil {
			return nil, err
		}
	}
	k, err := seal.OpenKeyring(ring, kek)
	if err != nil {
		return nil, err
	}
	defer k.Close()
	c, _, err := openEither(dir, kek, k)
	return c, err
}

// openEither opens the database with the keyring's current keys or, during a rotation (see
// Rotate), with the new ones if the database was already re-sealed under them: the canary
// says which. It reports whether the new keys fit.
func openEither(dir string, kek KeySource, k *seal.Keyring) (*Cache, bool, error) {
	c, err := open(dir, kek, k)
	if err != nil {
		return nil, false, err
	}
	err = c.checkCanary()
	if err == nil || k.Next() == nil {
		if err != nil {
			c.Close()
			return nil, false, err
		}
		return c, false, nil
	}
	c.Close()
	if c, err = open(dir, kek, k.Next()); err != nil {
		return nil, false, err
	}
	if err := c.checkCanary(); err != nil {
		c.Close()
		return nil, false, err
	}
	return c, true, nil
}

func open(dir string, kek KeySource, k *seal.Keyring) (*Cache, error) {
	sealer, err := k.Sealer()
	if err != nil {
		return nil, err
	}
	index, err := k.Indexer()
	if err != nil {
		return nil, err
	}
	c := &Cache{dir: dir, kek: kek, sealer: sealer, index: index, closed: make(chan struct{})}
	uri := dbURI(filepath.Join(dir, DBFile))
	if c.w, err = sql.Open(writerDriver, uri+"&_txlock=immediate"); err != nil {
		return nil, err
	}
	c.w.SetMaxOpenConns(1)
	c.w.SetMaxIdleConns(1)
	c.w.SetConnMaxLifetime(0)
	c.w.SetConnMaxIdleTime(0)
	if _, err := c.w.Exec("PRAGMA journal_mode = WAL"); err != nil {
		c.w.Close()
		return nil, fmt.Errorf("cache: %w", err)
	}
	if err := migrate(c.w); err != nil {
		c.w.Close()
		return nil, err
	}
	if c.r, err = sql.Open(readerDriver, uri); err != nil {
		c.w.Close()
		return nil, err
	}
	c.r.SetMaxOpenConns(readerConns)
	c.r.SetMaxIdleConns(readerConns)
	return c, nil
}

// dbURI is the SQLite URI of an existing database file: mode=rw never creates a missing one.
// _mutex=no opens connections without SQLite's own lock around every call: database/sql lends a
// connection to one goroutine at a time, and the locks were a tenth of a first sync's inserts.
func dbURI(path string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(path) + "?mode=rw&_mutex=no"
}

func makeDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

// Close closes the database. The cache stays on disk for Open.
func (c *Cache) Close() error {
	err := ErrClosed
	c.closeOnce.Do(func() {
		close(c.closed)
		c.wmu.Lock()
		defer c.wmu.Unlock()
		err = errors.Join(c.r.Close(), c.w.Close())
	})
	return err
}

func (c *Cache) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// Dir is the cache's directory.
func (c *Cache) Dir() string { return c.dir }

// Wipe crypto-shreds the cache: the keyring file and the key file are overwritten and removed
// first, so that nothing sealed can be opened again even if what follows fails; then the
// database, its WAL and shared-memory files are removed. The Cache is closed afterwards.
func (c *Cache) Wipe() error {
	err := seal.ShredKeyring(filepath.Join(c.dir, KeyringFile), c.kek)
	if cerr := c.Close(); cerr != nil && !errors.Is(cerr, ErrClosed) {
		err = errors.Join(err, cerr)
	}
	return errors.Join(err, removeDB(c.dir))
}

func removeDB(dir string) error {
	var err error
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if rerr := os.Remove(filepath.Join(dir, DBFile+suffix)); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
	}
	return err
}

//go:embed migrations/*.sql
var migrations embed.FS

// SchemaVersion is the schema version the newest migration brings a cache to.
func SchemaVersion() int {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	v := 0
	for _, n := range names {
		if m, ok := migrationVersion(n); ok && m > v {
			v = m
		}
	}
	return v
}

// migrationVersion reads the version from a name like migrations/0001_cache.sql.
func migrationVersion(name string) (int, bool) {
	base := filepath.Base(name)
	i := strings.IndexByte(base, '_')
	if i < 1 {
		return 0, false
	}
	v, err := strconv.Atoi(base[:i])
	return v, err == nil && v > 0
}

// migrate brings the schema to SchemaVersion, one migration per transaction, with the version
// kept in PRAGMA user_version. A cache newer than this program is refused.
func migrate(db *sql.DB) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var have int
	if err := db.QueryRow("PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("cache: reading the schema version: %w", err)
	}
	if want := SchemaVersion(); have > want {
		return fmt.Errorf("cache: schema version %d is newer than this program's %d", have, want)
	}
	for _, n := range names {
		v, ok := migrationVersion(n)
		if !ok {
			return fmt.Errorf("cache: migration %s has no version", n)
		}
		if v <= have {
			continue
		}
		body, err := migrations.ReadFile(n)
		if err != nil {
			return err
		}
		tx, err := db.BeginTx(context.Background(), nil)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("cache: migration %s: %w", filepath.Base(n), err)
		}
		if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		have = v
	}
	return nil
}

// The canary is a sealed constant written at creation: a keyring that opens but does not
// belong to this database (a keyring file copied from another kiosk) fails on it.
const canaryText = "childsupportkiosk cache"

func (c *Cache) writeCanary() error {
	return c.withSyncFull(func() error {
		_, err := c.w.Exec(`INSERT INTO meta(name, value) VALUES ('canary', ?)`,
			c.sealer.Seal("meta", []byte("canary"), []byte(canaryText)))
		return err
	})
}

func (c *Cache) checkCanary() error {
	var b []byte
	if err := c.r.QueryRow(`SELECT value FROM meta WHERE name = 'canary'`).Scan(&b); err != nil {
		return fmt.Errorf("%w: the database has no key check", domain.ErrWrongKey)
	}
	if p, err := c.sealer.Open("meta", []byte("canary"), b); err != nil || string(p) != canaryText {
		return fmt.Errorf("%w: the keyring does not belong to this database", domain.ErrWrongKey)
	}
	return nil
}

// withSyncFull runs f on the writer with synchronous=FULL: for writes that must survive a
// power cut the moment they return, like the enrolment.
func (c *Cache) withSyncFull(f func() error) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.isClosed() {
		return ErrClosed
	}
	if _, err := c.w.Exec("PRAGMA synchronous = FULL"); err != nil {
		return err
	}
	err := f()
	_, rerr := c.w.Exec("PRAGMA synchronous = NORMAL")
	return errors.Join(err, rerr)
}

// KeyKind reads which kind of key-encryption key locks the cache in dir: seal.KindTPM,
// seal.KindPassphrase or seal.KindKeyFile (a plain key file: the demo and tests only). It
// returns domain.ErrNotEnrolled when dir holds no cache.
func KeyKind(dir string) (string, error) {
	k, err := seal.Kind(filepath.Join(dir, KeyringFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", domain.ErrNotEnrolled
	}
	return k, err
}

// NeedsPassphrase reports whether the cache in dir is locked by an office passphrase (enrolled
// with one) rather than a key file. It returns domain.ErrNotEnrolled when dir holds no cache.
func NeedsPassphrase(dir string) (bool, error) {
	ok, err := seal.NeedsPassphrase(filepath.Join(dir, KeyringFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, domain.ErrNotEnrolled
	}
	return ok, err
}
