package client_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the baseline's plain SQLite

	"childsupportkiosk/app/cache"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/demo"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/server"
)

// envBenchDir names a directory where BenchmarkInitialSync keeps its case server database
// between runs; without it the database lives in a temporary directory for one run.
const envBenchDir = "KIOSK_BENCH_DIR"

// benchServer is the large case server of the benchmark, set up once per run.
var benchServer struct {
	once    sync.Once
	err     error
	tmp     string // removed by TestMain
	db      *server.DB
	office  string
	srv     *httptest.Server
	changes []protocol.Change // the office's feed, decoded
}

func setUpBenchServer(b *testing.B) {
	s := &benchServer
	s.once.Do(func() {
		dir := os.Getenv(envBenchDir)
		if dir == "" {
			if s.tmp, s.err = os.MkdirTemp("", "kiosk-bench-"); s.err != nil {
				return
			}
			dir = s.tmp
		}
		path := filepath.Join(dir, "cases.db")
		_, statErr := os.Stat(path)
		if s.db, s.err = server.Open(path); s.err != nil {
			return
		}
		exp, _, err := demo.Generate(demo.Options{Seed: 1, Offices: 1, Participants: 10000})
		if err != nil {
			s.err = err
			return
		}
		s.office = exp.Offices[0].ID
		if statErr != nil { // a new database
			start := time.Now()
			rep, err := s.db.Import(context.Background(), exp)
			if err != nil {
				s.err = err
				return
			}
			fmt.Fprintf(os.Stderr, "bench setup: imported %d payments, %d feed changes in %v\n",
				len(exp.Payments), rep.FeedChanges, time.Since(start).Round(time.Millisecond))
		}
		for after := int64(0); ; {
			batch, err := s.db.Changes(s.office, after, protocol.MaxBatch)
			if err != nil {
				s.err = err
				return
			}
			s.changes = append(s.changes, batch.Changes...)
			if !batch.More {
				break
			}
			after = batch.To
		}
		s.srv = httptest.NewServer(server.Handler(s.db, nil))
	})
	if s.err != nil {
		b.Fatal(s.err)
	}
}

func tearDownBenchServer() {
	s := &benchServer
	if s.srv != nil {
		s.srv.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
	if s.tmp != "" {
		os.RemoveAll(s.tmp)
	}
}

// BenchmarkInitialSync times a kiosk's first sync of a large office (10,000 participants, over
// a million payments): create the encrypted cache, enrol, pull and apply the whole feed from
// the real server on loopback. In the same run it times a baseline: the same decoded rows
// (kind, id, owner, data in clear) inserted by a prepared statement into a plain SQLite table
// in one transaction. It reports both rates and their ratio.
func BenchmarkInitialSync(b *testing.B) {
	setUpBenchServer(b)
	s := &benchServer
	rows := len(s.changes)
	var syncTime, baseTime, applyTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		code, err := s.db.NewEnrolmentCode(s.office, time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		b.StartTimer()
		start := time.Now()
		n := initialSync(b, filepath.Join(dir, "kiosk"), code, &applyTime)
		syncTime += time.Since(start)
		b.StopTimer()
		if n != rows {
			b.Fatalf("synced %d changes, the feed has %d", n, rows)
		}
		start = time.Now()
		baseline(b, filepath.Join(dir, "baseline.db"), s.changes)
		baseTime += time.Since(start)
		b.StartTimer()
	}
	syncRate := float64(rows*b.N) / syncTime.Seconds()
	baseRate := float64(rows*b.N) / baseTime.Seconds()
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(syncRate, "sync-rows/s")
	b.ReportMetric(baseRate, "baseline-rows/s")
	b.ReportMetric(syncRate/baseRate, "ratio")
	b.ReportMetric(syncTime.Seconds()/float64(b.N), "sync-s")
	b.ReportMetric(applyTime.Seconds()/float64(b.N), "apply-s")
}

// timedStore is the cache with the time spent in ApplyBatch added up: the rest of a sync is
// fetching and decoding not hidden behind it.
type timedStore struct {
	*cache.Cache
	spent *time.Duration
}

func (t timedStore) ApplyBatch(batch *protocol.Batch, at time.Time) error {
	start := time.Now()
	err := t.Cache.ApplyBatch(batch, at)
	*t.spent += time.Since(start)
	return err
}

func initialSync(b *testing.B, dir, code string, applyTime *time.Duration) int {
	c, err := cache.Create(dir, cache.DefaultKeyFile(dir))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if _, err := client.Enroll(context.Background(), c, benchServer.srv.URL, code, client.Options{}); err != nil {
		b.Fatal(err)
	}
	cl, err := client.New(timedStore{c, applyTime}, client.Options{})
	if err != nil {
		b.Fatal(err)
	}
	res, err := cl.Sync(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return res.Pulled
}

func baseline(b *testing.B, path string, changes []protocol.Change) {
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE records (kind TEXT, id TEXT, owner TEXT, data BLOB)`); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO records (kind, id, owner, data) VALUES (?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range changes {
		c := &changes[i]
		if _, err := st.Exec(c.Kind, c.ID, c.Owner, []byte(c.Data)); err != nil {
			b.Fatal(err)
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
