package cache

import (
	"crypto/hmac"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/sync/protocol"
)

// Steps of Rotate, as its Step hook names them.
const (
	StepBegun     = "begun"     // the new keys are in the keyring beside the old ones
	StepChunk     = "chunk"     // a chunk of records was re-sealed, not yet committed
	StepCommitted = "committed" // the database is sealed under the new keys
	StepFinished  = "finished"  // the keyring holds only the new keys
)

// RotateOptions tune Rotate.
type RotateOptions struct {
	// Step, if set, is called after each step with its name (tests stop the process there).
	Step func(name string)
}

// Rotation is what Rotate did.
type Rotation struct {
	Version  byte // the key version the cache is now sealed under
	Records  int  // records re-sealed and re-indexed (0 when a restarted rotation found them done)
	Lookups  int  // look-up entries recomputed
	Others   int  // outbox, audit and meta values re-sealed
	Took     time.Duration
	Finished bool // a rotation interrupted earlier was completed rather than a new one made
}

// Rotate moves the cache in dir to a new data key and a new index key, one version up, with
// kek's KEK wrapping them: every sealed value is opened under the old data key and sealed under
// the new one, and every blind-index token (record, owner, participant ID and SSN look-ups) is
// computed again under the new index key. It is safe to kill at any point: the new keys are
// first written beside the old ones in the keyring (replaced atomically), the database is
// re-sealed in one transaction, and the old keys are dropped last. Whatever is on disk, Open
// opens the old state or the new one (the canary says which), never a mix; a Rotate run again
// completes a rotation that was interrupted, or else makes a new one. No other process may use
// the cache meanwhile (kioskctl holds the kiosk's lock).
func Rotate(dir string, kek KeySource, opts RotateOptions) (Rotation, error) {
	start := time.Now()
	step := opts.Step
	if step == nil {
		step = func(string) {}
	}
	ring := filepath.Join(dir, KeyringFile)
	for _, p := range []string{ring, filepath.Join(dir, DBFile)} {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return Rotation{}, domain.ErrNotEnrolled
		}
	}
	old, err := seal.OpenKeyring(ring, kek)
	if err != nil {
		return Rotation{}, err
	}
	resumed := old.Next() != nil
	old.Close()
	k, err := seal.BeginRotation(ring, kek)
	if err != nil {
		return Rotation{}, err
	}
	defer k.Close()
	step(StepBegun)
	c, onNext, err := openEither(dir, kek, k)
	if err != nil {
		return Rotation{}, err
	}
	res := Rotation{Version: k.Next().Version(), Finished: resumed}
	if !onNext {
		err = c.loading()
		if err == nil {
			err = c.reseal(k.Next(), &res, step)
		}
	}
	if cerr := c.Close(); err == nil && cerr != nil && !errors.Is(cerr, ErrClosed) {
		err = cerr
	}
	if err != nil {
		return res, err
	}
	step(StepCommitted)
	if err := seal.FinishRotation(ring, kek); err != nil {
		return res, err
	}
	step(StepFinished)
	res.Took = time.Since(start)
	return res, nil
}

// refs are the fields of a record's JSON its blind-index tokens are made from.
type refs struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	Participant string `json:"participant"`
	Payer       string `json:"payer"`
	Payee       string `json:"payee"`
	SSN         string `json:"ssn"`
}

// rekeyer finds the plain record ID and owner behind old tokens, by trying the fields of the
// record's JSON and checking each under the old index key: nothing is guessed, a token that no
// field explains stops the rotation.
type rekeyer struct {
	old, new *seal.Indexer
	owners   map[string][]byte // old owner token → new owner token
}

func (r *rekeyer) rid(kind string, rid []byte, f *refs) ([]byte, error) {
	for _, id := range []string{f.ID, f.Number + "/" + f.Participant} {
		if id != "" && id != "/" && hmac.Equal(r.old.Index("row", kind+"\x00"+id), rid) {
			return r.new.Index("row", kind+"\x00"+id), nil
		}
	}
	return nil, fmt.Errorf("cache: rotating: a %s record's ID is not in its data", kind)
}

func (r *rekeyer) owner(kind string, owner []byte, f *refs) ([]byte, error) {
	if owner == nil {
		return nil, nil
	}
	if t, ok := r.owners[string(owner)]; ok {
		return t, nil
	}
	if f != nil {
		for _, o := range []string{f.Participant, f.Payer, f.Payee, f.ID, domain.StaffOwner(f.ID)} {
			if o != "" && hmac.Equal(r.old.Index("owner", o), owner) {
				t := r.new.Index("owner", o)
				r.owners[string(owner)] = t
				return t, nil
			}
		}
	}
	return nil, fmt.Errorf("cache: rotating: a %s record's owner is not in its data", kind)
}

// reseal re-seals and re-indexes the whole database under next, in one transaction.
func (c *Cache) reseal(next *seal.Keyring, res *Rotation, step func(string)) error {
	ns, err := next.Sealer()
	if err != nil {
		return err
	}
	ni, err := next.Indexer()
	if err != nil {
		return err
	}
	rk := &rekeyer{old: c.index, new: ni, owners: map[string][]byte{}}
	return c.withSyncFull(func() error {
		tx, err := c.w.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := c.resealRecords(tx, ns, rk, res, step); err != nil {
			return err
		}
		if err := c.resealOthers(tx, ns, res); err != nil {
			return err
		}
		return tx.Commit()
	})
}

type sealedRow struct {
	rowid                       int64
	kind                        string
	rid, owner, body            []byte
	shadow, shadowOwner         []byte
	newRid, newOwner, newShadow []byte
	newShadowOwner              []byte
}

func (c *Cache) resealRecords(tx *sql.Tx, ns *seal.Sealer, rk *rekeyer, res *Rotation, step func(string)) error {
	upd, err := tx.Prepare(`UPDATE records SET rid = ?2, owner = ?3, body = ?4, shadow = ?5, shadow_owner = ?6 WHERE rowid = ?1`)
	if err != nil {
		return err
	}
	defer upd.Close()
	if _, err := tx.Exec(`DELETE FROM lookup`); err != nil {
		return err
	}
	put, err := tx.Prepare(sqlPutLookup)
	if err != nil {
		return err
	}
	defer put.Close()
	var last int64
	for {
		rows, err := tx.Query(`SELECT rowid, kind, rid, owner, body, shadow, shadow_owner FROM records
			WHERE rowid > ?1 ORDER BY rowid LIMIT 1024`, last)
		if err != nil {
			return err
		}
		var chunk []sealedRow
		for rows.Next() {
			var r sealedRow
			if err := rows.Scan(&r.rowid, &r.kind, &r.rid, &r.owner, &r.body, &r.shadow, &r.shadowOwner); err != nil {
				rows.Close()
				return err
			}
			chunk = append(chunk, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(chunk) == 0 {
			return nil
		}
		for i := range chunk {
			r := &chunk[i]
			last = r.rowid
			plain, err := c.openRecord(r.rid, r.owner, r.body)
			if err != nil {
				return fmt.Errorf("cache: rotating: %w", domain.ErrCorruptRecord)
			}
			var f refs
			if err := json.Unmarshal(plain, &f); err != nil {
				return fmt.Errorf("cache: rotating: a %s record: %w", r.kind, err)
			}
			if r.newRid, err = rk.rid(r.kind, r.rid, &f); err != nil {
				return err
			}
			if r.newOwner, err = rk.owner(r.kind, r.owner, &f); err != nil {
				return err
			}
			body := ns.Seal(tableRecords, append(append([]byte(nil), r.newRid...), r.newOwner...), plain)
			if r.kind == protocol.KindParticipant && r.newOwner != nil {
				for _, v := range [][2]string{{"pid", domain.Digits(f.ID)}, {"ssn", domain.Digits(f.SSN)}} {
					if v[1] != "" {
						if _, err := put.Exec(rk.new.Index(v[0], v[1]), r.newOwner); err != nil {
							return err
						}
						res.Lookups++
					}
				}
			}
			clear(plain)
			if r.shadowOwner != nil || len(r.shadow) > 0 {
				var sf *refs
				var shadowPlain []byte
				if len(r.shadow) > 0 {
					if shadowPlain, err = c.openRecord(r.rid, r.shadowOwner, r.shadow); err != nil {
						return fmt.Errorf("cache: rotating: %w", domain.ErrCorruptRecord)
					}
					sf = &refs{}
					if err := json.Unmarshal(shadowPlain, sf); err != nil {
						return err
					}
				}
				if sf == nil {
					sf = &f
				}
				if r.newShadowOwner, err = rk.owner(r.kind, r.shadowOwner, sf); err != nil {
					return err
				}
				if shadowPlain != nil {
					r.newShadow = ns.Seal(tableRecords, append(append([]byte(nil), r.newRid...), r.newShadowOwner...), shadowPlain)
					clear(shadowPlain)
				}
			}
			if r.shadow != nil && len(r.shadow) == 0 {
				r.newShadow = []byte{} // the mark of a deletion waiting behind a local change
			}
			if _, err := upd.Exec(r.rowid, r.newRid, r.newOwner, body, r.newShadow, r.newShadowOwner); err != nil {
				return err
			}
			res.Records++
		}
		step(StepChunk)
	}
}

// resealOthers re-seals the outbox, the audit log and the sealed meta values (enrolment, sync
// state, canary): the whole enrolment record is opened and sealed again as it is, whatever
// fields it has.
func (c *Cache) resealOthers(tx *sql.Tx, ns *seal.Sealer, res *Rotation) error {
	type item struct {
		table, row string
		key        any
		body       []byte
	}
	var items []item
	read := func(q, table string) error {
		rows, err := tx.Query(q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key any
			var body []byte
			if err := rows.Scan(&key, &body); err != nil {
				return err
			}
			var row string
			switch k := key.(type) {
			case int64:
				row = strconv.FormatInt(k, 10)
			case string:
				row = k
			case []byte:
				row = string(k)
			}
			items = append(items, item{table, row, key, body})
		}
		return rows.Err()
	}
	if err := read(`SELECT id, body FROM outbox`, tableOutbox); err != nil {
		return err
	}
	if err := read(`SELECT n, body FROM audit_log`, tableAuditLog); err != nil {
		return err
	}
	if err := read(`SELECT name, value FROM meta WHERE typeof(value) = 'blob'`, tableMeta); err != nil {
		return err
	}
	for _, it := range items {
		plain, err := c.sealer.Open(it.table, []byte(it.row), it.body)
		if err != nil {
			return fmt.Errorf("cache: rotating: a %s value: %w", it.table, domain.ErrCorruptRecord)
		}
		sealed := ns.Seal(it.table, []byte(it.row), plain)
		clear(plain)
		var q string
		switch it.table {
		case tableOutbox:
			q = `UPDATE outbox SET body = ?2 WHERE id = ?1`
		case tableAuditLog:
			q = `UPDATE audit_log SET body = ?2 WHERE n = ?1`
		default:
			q = `UPDATE meta SET value = ?2 WHERE name = ?1`
		}
		if _, err := tx.Exec(q, it.key, sealed); err != nil {
			return err
		}
		res.Others++
	}
	return nil
}
