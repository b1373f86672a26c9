package client_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/sync/client"
)

// The SIGKILL test re-runs this test binary as a helper process that syncs into a cache and
// kills itself at a chosen point inside ApplyBatch. These variables tell the helper what to do.
const (
	envKillDir   = "KIOSK_TEST_KILL_DIR"   // the cache directory
	envKillAt    = "KIOSK_TEST_KILL_AT"    // step@batch[:rows], batch counted from 1 in this run
	envKillBatch = "KIOSK_TEST_KILL_BATCH" // the batch size to ask for
)

func TestMain(m *testing.M) {
	if os.Getenv(envKillDir) != "" {
		os.Exit(killHelper())
	}
	if path := os.Getenv(envServeDB); path != "" {
		os.Exit(serveHelper(path))
	}
	code := m.Run()
	tearDownBenchServer()
	os.Exit(code)
}

// killPoint is where the helper kills itself: at ApplyHook's step during the batch-th
// ApplyBatch of its run, and for "rows" once rows rows are written.
type killPoint struct {
	step  string
	batch int
	rows  int
}

func (k killPoint) String() string {
	s := fmt.Sprintf("%s@%d", k.step, k.batch)
	if k.rows > 0 {
		s += ":" + strconv.Itoa(k.rows)
	}
	return s
}

func parseKillPoint(s string) (killPoint, error) {
	var k killPoint
	step, rest, ok := strings.Cut(s, "@")
	if !ok {
		return k, fmt.Errorf("kill point %q: want step@batch[:rows]", s)
	}
	batch, rows, _ := strings.Cut(rest, ":")
	var err error
	k.step = step
	if k.batch, err = strconv.Atoi(batch); err != nil {
		return k, err
	}
	if rows != "" {
		if k.rows, err = strconv.Atoi(rows); err != nil {
			return k, err
		}
	}
	return k, nil
}

// killHelper runs in the child: it syncs and dies by SIGKILL at the kill point. Exit code 3
// means the sync ended without reaching it.
func killHelper() int {
	at, err := parseKillPoint(os.Getenv(envKillAt))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	size, _ := strconv.Atoi(os.Getenv(envKillBatch))
	dir := os.Getenv(envKillDir)
	c, err := cache.Open(dir, cache.DefaultKeyFile(dir))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	batch := 0
	cache.ApplyHook = func(step string, n int) {
		if step == "begin" {
			batch++
		}
		if step == at.step && batch == at.batch && (at.rows == 0 || n == at.rows) {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			time.Sleep(time.Minute) // the signal is on its way
		}
	}
	cl, err := client.New(c, client.Options{BatchSize: size, Backoff: time.Millisecond})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	res, err := cl.Sync(context.Background())
	fmt.Fprintf(os.Stderr, "sync ended without reaching %v: %+v %v\n", at, res, err)
	return 3
}

// TestSIGKILLInsideApplyBatch kills a syncing process at many points inside ApplyBatch, over
// several batches of a first sync (the cache's bulk load) and of an incremental one, and checks
// after each kill that the cache holds exactly the checkpoint before the batch or the one after
// it, never a mix: the cursor is that boundary, the record counts are the server's up to it
// (when the cache can count: not during the bulk load), and a sync from there reaches the same
// cache as a clean sync.
func TestSIGKILLInsideApplyBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary many times")
	}
	w := newWorld(t, 60)
	const size = 2500
	opts := client.Options{BatchSize: size}
	f := w.readFeed(t, size)
	if len(f.bounds) < 6 {
		t.Fatalf("feed too short for the test: %v", f)
	}
	want := w.cleanFingerprint(t, opts)
	c, _, dir := w.kiosk(t, w.url, opts)
	c.Close()

	// batch 0 stands for the last batch of the run, where the bulk load ends.
	killAll(t, w, dir, f, want, []killPoint{
		{"begin", 1, 0}, {"rows", 1, 1000}, {"rows", 1, 2000}, {"commit", 1, 0},
		{"committed", 1, 0},                 // batch 1 is in
		{"rows", 1, 1000}, {"commit", 2, 0}, // batch 2 is in
		{"rows", 2, 2000}, {"committed", 2, 0}, // batches 3 and 4 are in
		{"begin", 0, 0}, {"commit", 0, 0}, // the last batch ends the bulk load
	})
	syncDir(t, dir, opts)

	w.addPayments(t, 6000)
	f = w.continueFeed(t, size, f)
	want = w.cleanFingerprint(t, opts)
	killAll(t, w, dir, f, want, []killPoint{
		{"begin", 1, 0}, {"rows", 1, 2000}, {"commit", 1, 0}, {"committed", 1, 0},
		{"rows", 2, 1000}, {"committed", 0, 0},
	})
	if cur := cursorOf(t, dir); cur != f.end() {
		t.Fatalf("cursor %d after the last kill, want the end %d", cur, f.end())
	}
	if got := syncDir(t, dir, opts); got != 0 {
		t.Fatalf("%d changes pulled after the last batch was in", got)
	}
}

// killAll runs the helper to each kill point in turn on the cache in dir and checks the
// checkpoint it leaves.
func killAll(t *testing.T, w *world, dir string, f *feed, want string, points []killPoint) {
	t.Helper()
	for _, at := range points {
		cur := cursorOf(t, dir)
		i := slices.Index(f.bounds, cur)
		if i < 0 {
			t.Fatalf("before %v: cursor %d is not a batch boundary", at, cur)
		}
		if at.batch == 0 {
			at.batch = len(f.bounds) - 1 - i
		}
		wantAt := f.bounds[i+at.batch-1]
		if at.step == "committed" {
			wantAt = f.bounds[i+at.batch]
		}

		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envKillDir+"="+dir, envKillAt+"="+at.String(),
			envKillBatch+"="+strconv.Itoa(f.limit))
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("%v: the helper was not killed: %v\n%s", at, err, out)
		}

		c, err := cache.Open(dir, cache.DefaultKeyFile(dir))
		if err != nil {
			t.Fatalf("%v: reopening the cache: %v", at, err)
		}
		got, _ := c.Cursor()
		if got != wantAt {
			t.Errorf("%v: cursor %d after the kill, want %d", at, got, wantAt)
		}
		counted := sameCounts(t, c, f.counts[got])
		c.Close()
		if !counted && f.bounds[0] != 0 {
			t.Errorf("%v: no record counts outside a first sync", at)
		}
		// Finish a copy: the checkpoint must lead to a clean sync's cache.
		cp := copyDir(t, dir)
		syncDir(t, cp, client.Options{BatchSize: f.limit})
		cc, err := cache.Open(cp, cache.DefaultKeyFile(cp))
		if err != nil {
			t.Fatal(err)
		}
		if w.fingerprint(t, cc) != want {
			t.Errorf("%v: a sync from the checkpoint differs from a clean sync", at)
		}
		cc.Close()
		if t.Failed() {
			t.FailNow()
		}
	}
}

// syncDir opens the cache in dir, syncs it and closes it; it returns the changes pulled.
func syncDir(t *testing.T, dir string, opts client.Options) int {
	t.Helper()
	c, err := cache.Open(dir, cache.DefaultKeyFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cl, err := client.New(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := cl.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return res.Pulled
}

func cursorOf(t *testing.T, dir string) int64 {
	t.Helper()
	c, err := cache.Open(dir, cache.DefaultKeyFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cur, err := c.Cursor()
	if err != nil {
		t.Fatal(err)
	}
	return cur
}
