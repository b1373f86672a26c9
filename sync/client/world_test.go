package client_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/demo"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/server"
)

// world is a real case server with demo data, served on loopback.
type world struct {
	db      *server.DB
	path    string // the database file, for a second process's handle
	office  string
	export  *domain.Export
	samples []demo.Sample
	srv     *httptest.Server
	url     string
}

func newWorld(t testing.TB, participants int) *world {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cases.db")
	db, err := server.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	exp, samples, err := demo.Generate(demo.Options{Seed: 7, Offices: 1, Participants: participants})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(context.Background(), exp); err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, path: path, office: exp.Offices[0].ID, export: exp, samples: samples}
	w.srv = httptest.NewServer(server.Handler(db, nil))
	t.Cleanup(w.srv.Close)
	w.url = w.srv.URL
	return w
}

func (w *world) code(t testing.TB) string {
	t.Helper()
	code, err := w.db.NewEnrolmentCode(w.office, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// kiosk creates a cache in a fresh directory and enrols it at url (the server or a proxy).
func (w *world) kiosk(t testing.TB, url string, opts client.Options) (*cache.Cache, *client.Client, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kiosk")
	c, err := cache.Create(dir, cache.DefaultKeyFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := client.Enroll(context.Background(), c, url, w.code(t), opts); err != nil {
		t.Fatalf("enrol: %v", err)
	}
	cl, err := client.New(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, cl, dir
}

// feed is the office's change feed as the server has it, read batch by batch.
type feed struct {
	bounds []int64                    // cursor after each batch, starting with 0
	counts map[int64]map[string]int   // live records per kind at each boundary
	state  map[string]protocol.Change // the records at the end, by kind/id
	total  int                        // changes on the feed
	limit  int                        // the batch size it was read with
}

// readFeed replays the feed with batches of limit changes, as a kiosk would, from the server's
// own database.
func (w *world) readFeed(t testing.TB, limit int) *feed { return w.continueFeed(t, limit, nil) }

// continueFeed replays the feed from where prev ended (from the start when prev is nil), as a
// kiosk holding prev's state would.
func (w *world) continueFeed(t testing.TB, limit int, prev *feed) *feed {
	t.Helper()
	f := &feed{bounds: []int64{0}, counts: map[int64]map[string]int{0: {}},
		state: map[string]protocol.Change{}, limit: limit}
	if prev != nil {
		f.bounds = []int64{prev.end()}
		f.counts = map[int64]map[string]int{prev.end(): maps.Clone(prev.counts[prev.end()])}
		f.state = maps.Clone(prev.state)
	}
	live := maps.Clone(f.counts[f.bounds[0]])
	for after := f.bounds[0]; ; {
		b, err := w.db.Changes(w.office, after, limit)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range b.Changes {
			k := c.Kind + "/" + c.ID
			_, had := f.state[k]
			if c.Deleted {
				if had {
					live[c.Kind]--
				}
				delete(f.state, k)
				continue
			}
			if !had {
				live[c.Kind]++
			}
			f.state[k] = c
		}
		f.total += len(b.Changes)
		if b.To != after {
			f.bounds = append(f.bounds, b.To)
			f.counts[b.To] = maps.Clone(live)
		}
		if !b.More {
			return f
		}
		after = b.To
	}
}

// addPayments imports the agency's next export, which adds n payments (copies of existing ones
// under new IDs): n new changes at the end of the feed.
func (w *world) addPayments(t testing.TB, n int) {
	t.Helper()
	e := w.export
	base := len(e.Payments)
	for i := range n {
		p := e.Payments[i%base]
		p.ID = fmt.Sprintf("%s-X%d", p.ID, i)
		e.Payments = append(e.Payments, p)
	}
	if _, err := w.db.Import(context.Background(), e); err != nil {
		t.Fatal(err)
	}
}

// cleanFingerprint is the fingerprint of a fresh kiosk after a clean sync.
func (w *world) cleanFingerprint(t testing.TB, opts client.Options) string {
	t.Helper()
	c, cl, _ := w.kiosk(t, w.url, opts)
	if _, err := cl.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w.fingerprint(t, c)
}

// copyDir copies a closed cache directory, so a test can try something on the copy.
func copyDir(t testing.TB, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(to)
	for _, e := range ents {
		os.Chmod(filepath.Join(to, e.Name()), 0o600)
	}
	os.Chmod(to, 0o700)
	return to
}

func (f *feed) end() int64 { return f.bounds[len(f.bounds)-1] }

// sameCounts compares the cache's record counts with the feed's at a boundary. A cache still
// in its first sync's bulk load has no counts to give (app/cache answers reads with
// cache.ErrInitialSync until the load ends); then it reports false and checks nothing, and the
// caller checks the checkpoint another way.
func sameCounts(t testing.TB, c *cache.Cache, want map[string]int) bool {
	t.Helper()
	st, err := c.Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.Counts == nil {
		return false
	}
	for _, k := range protocol.Kinds {
		if st.Counts[k] != want[k] {
			t.Errorf("%s: cache has %d, server %d (cursor %d)", k, st.Counts[k], want[k], st.Cursor)
		}
	}
	return true
}

// fingerprint hashes everything a kiosk can read about every participant of the export, the
// office and the counts: two caches with the same fingerprint hold the same data.
func (w *world) fingerprint(t testing.TB, c *cache.Cache) string {
	t.Helper()
	h := sha256.New()
	put := func(v any, err error) {
		if err != nil {
			t.Fatalf("reading the cache: %v", err)
		}
		b, _ := json.Marshal(v)
		h.Write(b)
	}
	put(c.Office())
	st, err := c.Status()
	put(st.Counts, err)
	put(st.Cursor, nil)
	for _, p := range w.export.Participants {
		id := p.ID
		if got, err := c.FindParticipant(id); err == nil {
			put(got, nil)
		} else {
			put("absent", nil)
		}
		put(c.Cases(id))
		put(c.PaymentsMade(id))
		put(c.PaymentsReceived(id))
		put(c.Appointments(id))
		put(c.Messages(id))
		put(c.Documents(id))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// files lists what is left in a directory, for the wipe tests.
func files(t testing.TB, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func (f *feed) String() string {
	return fmt.Sprintf("%d changes in %d batches up to %d", f.total, len(f.bounds)-1, f.end())
}
