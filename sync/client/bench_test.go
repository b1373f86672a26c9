package client_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the baseline's plain SQLite

	"childsupportkiosk/app/cache"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/demo"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/server"
)

const (
	// envBenchDir names a directory where BenchmarkInitialSync keeps its case server database
	// between runs; without it the database lives in a temporary directory for one run.
	envBenchDir = "KIOSK_BENCH_DIR"
	// envServeDB makes the test binary a case server on loopback for that database (see
	// serveHelper): the benchmark runs the server in its own process, as it is in an office,
	// so that the kiosk's process holds the kiosk's work only.
	envServeDB = "KIOSK_TEST_SERVE_DB"
	// envSyncProfile names a file where BenchmarkInitialSync writes a CPU profile of the
	// kiosk's process during the sync alone (go test's -cpuprofile also takes in the set-up
	// and the baseline, whose reading of the whole feed collects a heap of millions of rows).
	envSyncProfile = "KIOSK_SYNC_CPUPROFILE"
	// envServerProfile names a file where the server process writes a CPU profile of its
	// whole life (it serves the sync and little else).
	envServerProfile = "KIOSK_SERVER_CPUPROFILE"
)

// benchServer is the large case server of the benchmark, set up once per run.
var benchServer struct {
	once   sync.Once
	err    error
	tmp    string // removed by TestMain
	db     *server.DB
	office string
	url    string
	stop   func()
	pid    int // the server process
}

func setUpBenchServer(b *testing.B) {
	s := &benchServer
	s.once.Do(func() { s.err = benchServerSetUp() })
	if s.err != nil {
		b.Fatal(s.err)
	}
}

// benchServerSetUp generates and imports the office (or reuses the database in envBenchDir)
// and starts the server process.
func benchServerSetUp() error {
	s := &benchServer
	dir := os.Getenv(envBenchDir)
	if dir == "" {
		var err error
		if s.tmp, err = os.MkdirTemp("", "kiosk-bench-"); err != nil {
			return err
		}
		dir = s.tmp
	}
	path := filepath.Join(dir, "cases.db")
	_, statErr := os.Stat(path)
	var err error
	if s.db, err = server.Open(path); err != nil {
		return err
	}
	exp, _, err := demo.Generate(demo.Options{Seed: 1, Offices: 1, Participants: 10000})
	if err != nil {
		return err
	}
	s.office = exp.Offices[0].ID
	if statErr != nil { // a new database
		start := time.Now()
		rep, err := s.db.Import(context.Background(), exp)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench setup: imported %d payments, %d feed changes in %v\n",
			len(exp.Payments), rep.FeedChanges, time.Since(start).Round(time.Millisecond))
	}
	exp = nil

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envServeDB+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	s.stop = func() { stdin.Close(); cmd.Wait() }
	s.pid = cmd.Process.Pid
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fmt.Errorf("the server process did not start: %w", err)
	}
	s.url = "http://" + strings.TrimSpace(addr)
	return nil
}

// serveHelper runs in the server process: it serves the database on a loopback port, prints
// the address and stops when its standard input closes.
func serveHelper(path string) int {
	db, err := server.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer db.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	stop, err := cpuProfile(os.Getenv(envServerProfile))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer stop()
	go http.Serve(ln, server.Handler(db, nil))
	fmt.Println(ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
	return 0
}

func tearDownBenchServer() {
	s := &benchServer
	if s.stop != nil {
		s.stop()
	}
	if s.db != nil {
		s.db.Close()
	}
	if s.tmp != "" {
		os.RemoveAll(s.tmp)
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverCPU is the CPU time the server process has used, user and system, as /proc says (in
// clock ticks of 10 ms); 0 where /proc cannot be read.
func serverCPU() time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", benchServer.pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, which is in parentheses: utime and stime are
	// the 12th and 13th.
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, _ := strconv.ParseInt(v, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// gcTime is the CPU time the garbage collector has used in this process (an estimate).
func gcTime() time.Duration {
	m := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(m)
	return time.Duration(m[0].Value.Float64() * float64(time.Second))
}

// gcCycles is how many garbage collections this process has finished.
func gcCycles() uint64 {
	m := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(m)
	return m[0].Value.Uint64()
}

// BenchmarkInitialSync times a kiosk's first sync of a large office (10,000 participants, over
// a million payments): create the encrypted cache, enrol, pull and apply the whole feed from
// the real server, which runs in a process of its own on loopback. In the same run it times a
// baseline: the same decoded rows (kind, id, owner, data in clear) inserted by a prepared
// statement into a plain SQLite table in one transaction. It reports both rates and their ratio
// in wall time, and, since the machine may be busy with other work, in this process's CPU time
// too (the kiosk's work: decoding, sealing, SQLite; not the server's).
func BenchmarkInitialSync(b *testing.B) {
	setUpBenchServer(b)
	s := &benchServer
	var rows int
	var syncWall, syncCPU, syncGC, baseWall, baseCPU, apply, last time.Duration
	var cycles uint64
	var serverTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		code, err := s.db.NewEnrolmentCode(s.office, time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		runtime.GC()
		b.StartTimer()
		stopProfile, err := cpuProfile(os.Getenv(envSyncProfile))
		if err != nil {
			b.Fatal(err)
		}
		wall, cpu, gc, gcs, scpu := time.Now(), cpuTime(), gcTime(), gcCycles(), serverCPU()
		n := initialSync(b, filepath.Join(dir, "kiosk"), code, &apply, &last)
		if err := stopProfile(); err != nil {
			b.Fatal(err)
		}
		serverTime += serverCPU() - scpu
		syncWall, syncCPU = syncWall+time.Since(wall), syncCPU+cpuTime()-cpu
		syncGC += gcTime() - gc
		cycles += gcCycles() - gcs
		b.StopTimer()

		// The baseline's rows are read after the sync, so that the sync does not carry
		// them in its heap.
		changes := feedChanges(b)
		if n != len(changes) {
			b.Fatalf("synced %d changes, the feed has %d", n, len(changes))
		}
		rows += n
		runtime.GC()
		wall, cpu = time.Now(), cpuTime()
		baseline(b, filepath.Join(dir, "baseline.db"), changes)
		baseWall, baseCPU = baseWall+time.Since(wall), baseCPU+cpuTime()-cpu
		changes = nil
		b.StartTimer()
	}
	rate := func(d time.Duration) float64 { return float64(rows) / d.Seconds() }
	b.ReportMetric(float64(rows/b.N), "rows")
	b.ReportMetric(rate(syncWall), "sync-rows/s")
	b.ReportMetric(rate(baseWall), "baseline-rows/s")
	b.ReportMetric(rate(syncWall)/rate(baseWall), "ratio")
	b.ReportMetric(rate(syncCPU), "sync-rows/cpu-s")
	b.ReportMetric(rate(baseCPU), "baseline-rows/cpu-s")
	b.ReportMetric(rate(syncCPU)/rate(baseCPU), "cpu-ratio")
	b.ReportMetric(apply.Seconds()/float64(b.N), "apply-s")
	b.ReportMetric(last.Seconds()/float64(b.N), "last-batch-s")
	b.ReportMetric(syncCPU.Seconds()/float64(b.N), "sync-cpu-s")
	b.ReportMetric(syncGC.Seconds()/float64(b.N), "sync-gc-cpu-s")
	b.ReportMetric(float64(cycles)/float64(b.N), "sync-gcs")
	b.ReportMetric(serverTime.Seconds()/float64(b.N), "server-cpu-s")
	b.ReportMetric(syncWall.Seconds()/float64(b.N), "sync-s")
}

// cpuProfile starts a CPU profile into the file at path, if path is not empty, and returns
// what stops it.
func cpuProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

// feedChanges reads the office's whole feed from the server's database.
func feedChanges(b *testing.B) []protocol.Change {
	s := &benchServer
	var changes []protocol.Change
	for after := int64(0); ; {
		batch, err := s.db.Changes(s.office, after, protocol.MaxBatch)
		if err != nil {
			b.Fatal(err)
		}
		changes = append(changes, batch.Changes...)
		if !batch.More {
			return changes
		}
		after = batch.To
	}
}

// timedStore is the cache with the time spent in ApplyBatch added up: the rest of a sync is
// fetching and decoding not hidden behind it.
type timedStore struct {
	*cache.Cache
	spent, last *time.Duration // last: the batch that ends the load, with the index builds
}

func (t timedStore) ApplyBatch(batch *protocol.Batch, at time.Time) error {
	start := time.Now()
	err := t.Cache.ApplyBatch(batch, at)
	took := time.Since(start)
	*t.spent += took
	if !batch.More {
		*t.last += took
	}
	return err
}

func initialSync(b *testing.B, dir, code string, applyTime, lastTime *time.Duration) int {
	c, err := cache.Create(dir, cache.DefaultKeyFile(dir))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if _, err := client.Enroll(context.Background(), c, benchServer.url, code, client.Options{}); err != nil {
		b.Fatal(err)
	}
	cl, err := client.New(timedStore{c, applyTime, lastTime}, client.Options{})
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
