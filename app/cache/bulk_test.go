package cache

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// bulkFeed is an initial sync in four batches with everything a bulk load must resolve: a
// record sent twice, deletions of records sent earlier and of records never sent, an SSN
// changed and a participant deleted.
func bulkFeed(t *testing.T) [][]protocol.Change {
	f := &feed{t: t}
	var batches [][]protocol.Change
	cut := func() { batches = append(batches, f.changes); f.changes = nil }
	people := []domain.Participant{jose, helene}
	for i := range 5 {
		people = append(people, domain.Participant{ID: fmt.Sprintf("20000000%02d", i), SSN: fmt.Sprintf("3000000%02d", i), Name: fmt.Sprintf("Ana Muñoz %d", i)})
	}
	for _, p := range people {
		f.put(protocol.KindParticipant, p.ID, p.ID, p)
		for j := range 150 {
			id := fmt.Sprintf("%s-P%03d", p.ID, j)
			f.put(protocol.KindPayment, id, p.ID, domain.Payment{ID: id, Payer: p.ID, Amount: domain.Cents(j), Received: date("2024-01-01").AddDays(j)})
		}
	}
	f.put(protocol.KindOffice, office.ID, "", office)
	cut()
	// A payment corrected, one deleted, one never seen deleted; José's SSN corrected.
	f.put(protocol.KindPayment, jose.ID+"-P007", jose.ID, domain.Payment{ID: jose.ID + "-P007", Payer: jose.ID, Amount: 99999, Received: date("2024-01-08")})
	f.del(protocol.KindPayment, jose.ID+"-P008", jose.ID)
	f.del(protocol.KindPayment, "never-sent", jose.ID)
	moved := jose
	moved.SSN = "555443333"
	f.put(protocol.KindParticipant, jose.ID, jose.ID, moved)
	cut()
	// A participant and one of her payments deleted; a payment sent, deleted and sent again.
	f.del(protocol.KindParticipant, people[3].ID, people[3].ID)
	f.del(protocol.KindPayment, people[3].ID+"-P000", people[3].ID)
	f.del(protocol.KindPayment, helene.ID+"-P001", helene.ID)
	cut()
	f.put(protocol.KindPayment, helene.ID+"-P001", helene.ID, domain.Payment{ID: helene.ID + "-P001", Payer: helene.ID, Amount: 7})
	f.put(protocol.KindPayment, jose.ID+"-P007", jose.ID, domain.Payment{ID: jose.ID + "-P007", Payer: jose.ID, Amount: 88888, Received: date("2024-01-08")})
	cut()
	return batches
}

// asBatches numbers a run of change lists as consecutive batches; all but the last say more
// follow when more is set.
func asBatches(lists [][]protocol.Change, more bool) []*protocol.Batch {
	var out []*protocol.Batch
	var from int64
	for i, l := range lists {
		to := l[len(l)-1].Seq
		b := &protocol.Batch{From: from, To: to, More: more && i < len(lists)-1, Changes: l}
		b.Seal()
		out = append(out, b)
		from = to
	}
	return out
}

// applyAll applies batches in order, each of which must be taken.
func applyAll(t testing.TB, c *Cache, batches []*protocol.Batch) {
	t.Helper()
	for _, b := range batches {
		if err := c.ApplyBatch(b, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// everything reads all a cache shows about the bulk feed's people.
func everything(t *testing.T, c *Cache) string {
	t.Helper()
	var s string
	for _, login := range []string{jose.ID, jose.SSN, "555443333", helene.ID, helene.SSN, "2000000001", "300000001", "2000000004"} {
		p, err := c.FindParticipant(login)
		s += fmt.Sprintf("find %s: %s %s %v\n", login, p.ID, p.SSN, err)
	}
	for _, id := range []string{jose.ID, helene.ID, "2000000000", "2000000001", "2000000004"} {
		pays, err := c.PaymentsMade(id)
		if err != nil {
			t.Fatal(err)
		}
		s += fmt.Sprintf("payments %s: %v\n", id, pays)
	}
	st, err := c.Status()
	if err != nil {
		t.Fatal(err)
	}
	s += fmt.Sprintf("counts %v\n", st.Counts)
	o, err := c.Office()
	return s + fmt.Sprintf("office %v %v\n", o, err)
}

func TestBulkLoadMatchesOrdinaryApply(t *testing.T) {
	lists := bulkFeed(t)

	// The reference: every batch applied as if it were the last, indexes kept all along.
	ref, _ := newCache(t)
	applyAll(t, ref, asBatches(lists, false))
	if n, _ := metaInt(sqlStore{ref.w}, "bulk"); n != 0 {
		t.Fatal("the reference was loaded in bulk")
	}
	want := everything(t, ref)

	c, dir := newCache(t)
	batches := asBatches(lists, true)
	for i, b := range batches {
		if err := c.ApplyBatch(b, time.Now()); err != nil {
			t.Fatal(err)
		}
		if i == len(batches)-1 {
			break
		}
		if n, _ := metaInt(sqlStore{c.w}, "bulk"); n == 0 {
			t.Fatalf("batch %d: not a bulk load", i)
		}
		// While loading, reads refuse, writes of records refuse, the outbox works.
		if _, err := c.FindParticipant(helene.ID); !errors.Is(err, ErrInitialSync) {
			t.Fatalf("FindParticipant while loading: %v", err)
		}
		if _, err := c.PaymentsMade(helene.ID); !errors.Is(err, ErrInitialSync) {
			t.Fatalf("PaymentsMade while loading: %v", err)
		}
		if _, err := c.Office(); !errors.Is(err, ErrInitialSync) {
			t.Fatalf("Office while loading: %v", err)
		}
		if err := c.UpdatePIN(helene.ID, domain.PIN{Version: 9}); !errors.Is(err, ErrInitialSync) {
			t.Fatalf("UpdatePIN while loading: %v", err)
		}
		if err := c.Send(domain.SendAudit, domain.AuditEvent{Action: "boot"}); err != nil {
			t.Fatal(err)
		}
		if st, err := c.Status(); err != nil || st.Cursor != b.To || st.Counts != nil {
			t.Fatalf("status while loading: %+v, %v", st, err)
		}
		if asOf, _ := c.DataAsOf(); !asOf.IsZero() {
			t.Fatal("as-of time set while loading")
		}
		// A restart in the middle of the load resumes it.
		if i == 1 {
			c.Close()
			var err error
			if c, err = Open(dir, DefaultKeyFile(dir)); err != nil {
				t.Fatal(err)
			}
			defer c.Close()
		}
	}
	if n, _ := metaInt(sqlStore{c.w}, "bulk"); n != 0 {
		t.Fatal("the bulk load did not end")
	}
	if got := everything(t, c); got != want {
		t.Fatalf("bulk load differs from the ordinary apply\n got %s\nwant %s", got, want)
	}
	// The indexes are back, exactly as the migration makes them.
	var idx []string
	rows, _ := c.r.Query(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'records' AND sql IS NOT NULL ORDER BY name`)
	for rows.Next() {
		var s string
		rows.Scan(&s)
		idx = append(idx, s)
	}
	rows.Close()
	if !reflect.DeepEqual(idx, []string{sqlKeyIndex, sqlLocalIndex, sqlOwnerIndex}) {
		t.Fatalf("indexes after the load: %q", idx)
	}
	// And the cache takes ordinary batches and local changes again.
	if err := c.UpdatePIN(helene.ID, domain.PIN{Version: 9}); err != nil {
		t.Fatal(err)
	}
}

func TestBulkLoadEndedBySuccessfulSync(t *testing.T) {
	lists := bulkFeed(t)
	c, _ := newCache(t)
	for _, b := range asBatches(lists, true)[:2] {
		b.More = true
		if err := c.ApplyBatch(b, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// The server's last answer was an empty batch, which the client does not apply.
	if err := c.RecordSync(syncstate.SyncRecord{At: time.Now(), OK: false, Error: "timeout"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FindParticipant(helene.ID); !errors.Is(err, ErrInitialSync) {
		t.Fatalf("a failed sync ended the load: %v", err)
	}
	if err := c.RecordSync(syncstate.SyncRecord{At: time.Now(), OK: true}); err != nil {
		t.Fatal(err)
	}
	if p, err := c.FindParticipant("555443333"); err != nil || p.ID != jose.ID {
		t.Fatalf("after the load: %+v, %v", p, err)
	}
	if pays, _ := c.PaymentsMade(jose.ID); len(pays) != 149 {
		t.Fatalf("%d payments", len(pays))
	}
	if mode := journalMode(t, c); mode != "wal" {
		t.Fatalf("journal mode %q after the load", mode)
	}
}

func journalMode(t *testing.T, c *Cache) string {
	t.Helper()
	var mode string
	if err := c.w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}

// A bulk load commits its batches through a rollback journal, which holds no plaintext, and
// leaves the cache in WAL mode. A reader busy when the load begins keeps WAL mode for as long
// as it reads; the load goes on all the same and switches at its next batch.
func TestBulkLoadJournal(t *testing.T) {
	lists := bulkFeed(t)
	ref, _ := newCache(t)
	applyAll(t, ref, asBatches(lists, false))
	want := everything(t, ref)

	c, dir := newCache(t)
	journal, wal := filepath.Join(dir, DBFile+"-journal"), filepath.Join(dir, DBFile+"-wal")
	var commits []string // the journal mode each commit goes through
	ApplyHook = func(step string, n int) {
		if step != "commit" {
			return
		}
		j, jerr := os.ReadFile(journal)
		w, _ := os.Stat(wal)
		switch {
		case jerr == nil && len(j) > 0 && (w == nil || w.Size() == 0):
			commits = append(commits, "journal")
		case jerr != nil && w != nil && w.Size() > 0:
			commits = append(commits, "wal")
		default:
			commits = append(commits, fmt.Sprintf("journal %d bytes (%v), wal %v", len(j), jerr, w))
		}
		for _, n := range []string{jose.Name, helene.Name, jose.SSN, jose.ID, helene.ID, "Muñoz"} {
			if bytes.Contains(j, []byte(n)) {
				t.Errorf("the journal holds %q", n)
			}
		}
	}
	defer func() { ApplyHook = nil }()

	// A reader in the middle of a read when the load begins.
	conn, err := c.r.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM meta`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	batches := asBatches(lists, true)
	if err := c.ApplyBatch(batches[0], time.Now()); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	conn.Close()
	applyAll(t, c, batches[1:])
	if !reflect.DeepEqual(commits, []string{"wal", "journal", "journal", "journal"}) {
		t.Fatalf("the batches' commits went through %q", commits)
	}
	if mode := journalMode(t, c); mode != "wal" || c.rollback {
		t.Fatalf("journal mode %q after the load", mode)
	}
	if got := everything(t, c); got != want {
		t.Fatalf("the load differs from the ordinary apply\n got %s\nwant %s", got, want)
	}
}

func TestBulkFeedDeletesParticipant(t *testing.T) {
	c, _ := newCache(t)
	applyAll(t, c, asBatches(bulkFeed(t), true))
	for _, login := range []string{"2000000001", "300000001", jose.SSN} {
		if _, err := c.FindParticipant(login); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("FindParticipant(%s): %v", login, err)
		}
	}
	if pays, _ := c.PaymentsMade("2000000001"); len(pays) != 149 {
		t.Fatalf("%d payments of the deleted participant, want the 149 not deleted", len(pays))
	}
	pays, _ := c.PaymentsMade(jose.ID)
	if len(pays) != 149 {
		t.Fatalf("%d payments", len(pays))
	}
	for _, p := range pays {
		if p.ID == jose.ID+"-P007" && p.Amount != 88888 {
			t.Fatalf("corrected payment %+v", p)
		}
		if p.ID == jose.ID+"-P008" {
			t.Fatal("deleted payment kept")
		}
	}
	if dis, _ := c.PaymentsMade(helene.ID); len(dis) != 150 {
		t.Fatalf("payment sent, deleted and sent again: %d", len(dis))
	}
}

// A new cache has 16 KiB pages: a bulk load writes and checkpoints a quarter of the pages it
// would with 4 KiB ones.
func TestNewCachePageSize(t *testing.T) {
	c, _ := newCache(t)
	var size int
	if err := c.w.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil || size != 16384 {
		t.Fatalf("page size %d, %v", size, err)
	}
}

// TestBulkLoadSortsInMemoryWithoutTempFiles has the sorter's temporary files fail, as without a
// writable temporary directory: the end of the load builds its indexes in memory instead, and
// the cache ends as the ordinary load does.
func TestBulkLoadSortsInMemoryWithoutTempFiles(t *testing.T) {
	lists := bulkFeed(t)
	ref, _ := newCache(t)
	applyAll(t, ref, asBatches(lists, true))
	want := everything(t, ref)

	var faults []string
	sortFault = func(q string) error {
		faults = append(faults, q)
		return sqlite3.Error{Code: sqlite3.ErrCantOpen}
	}
	defer func() { sortFault = nil }()
	c, _ := newCache(t)
	applyAll(t, c, asBatches(lists, true))
	if len(faults) != 1 || faults[0] != sqlKeyIndex {
		t.Fatalf("the sorter's files were tried for %q; want the first build only", faults)
	}
	if n, _ := metaInt(sqlStore{c.w}, "bulk"); n != 0 {
		t.Fatal("the bulk load did not end")
	}
	if got := everything(t, c); got != want {
		t.Fatalf("the load sorted in memory differs\n got %s\nwant %s", got, want)
	}

	// Another error is not the temporary files': the load stays open for the next sync.
	sortFault = func(string) error { return sqlite3.Error{Code: sqlite3.ErrCorrupt} }
	d, _ := newCache(t)
	batches := asBatches(lists, true)
	applyAll(t, d, batches[:len(batches)-1])
	if err := d.ApplyBatch(batches[len(batches)-1], time.Now()); err == nil {
		t.Fatal("a corrupt build ended the load")
	}
	if n, _ := metaInt(sqlStore{d.w}, "bulk"); n == 0 {
		t.Fatal("the failed end of the load was kept")
	}
}
