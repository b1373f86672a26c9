package cache

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// crashFeed is three batches of 3,000 payments for one participant: an initial sync in bulk
// (the first two say more follow) and the batch that ends it.
func crashFeed(t testing.TB) []*protocol.Batch {
	f := &feed{t: t}
	var lists [][]protocol.Change
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	for b := range 3 {
		for i := range 3000 {
			id := fmt.Sprintf("P%d-%04d", b, i)
			f.put(protocol.KindPayment, id, jose.ID, domain.Payment{ID: id, Payer: jose.ID, Amount: 13015})
		}
		if b == 1 {
			f.del(protocol.KindPayment, "P0-0000", jose.ID)
		}
		lists = append(lists, f.changes)
		f.changes = nil
	}
	return asBatches(lists, true)
}

// TestCrashChild is the process TestCrashDuringApply kills; it does nothing on its own.
func TestCrashChild(t *testing.T) {
	dir, step := os.Getenv("CACHE_CRASH_DIR"), os.Getenv("CACHE_CRASH_STEP")
	if dir == "" {
		t.Skip("run by TestCrashDuringApply")
	}
	at, _ := strconv.Atoi(os.Getenv("CACHE_CRASH_N"))
	which, _ := strconv.Atoi(os.Getenv("CACHE_CRASH_BATCH"))
	c, err := Open(dir, DefaultKeyFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	ApplyHook = func(s string, n int) {
		if s == step && n >= at {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	if err := c.ApplyBatch(crashFeed(t)[which], time.Now()); err != nil {
		t.Fatal(err)
	}
	t.Fatal("not killed")
}

// TestCrashDuringApply kills a process at each point of ApplyBatch, in and out of a bulk load,
// and checks that the cache holds the state before the batch or after it, never a mix.
func TestCrashDuringApply(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	batches := crashFeed(t)
	for which := range batches {
		for _, point := range []struct {
			step string
			n    int
		}{{"begin", 0}, {"rows", 2000}, {"indexed", 0}, {"commit", 0}, {"committed", 0}} {
			if point.step == "indexed" && which != len(batches)-1 {
				continue // only the last batch builds the indexes
			}
			t.Run(fmt.Sprintf("batch%d-%s", which, point.step), func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "cache")
				c, err := Create(dir, DefaultKeyFile(dir))
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range batches[:which] {
					if err := c.ApplyBatch(b, time.Now()); err != nil {
						t.Fatal(err)
					}
				}
				c.Close()
				cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
				cmd.Env = append(os.Environ(), "CACHE_CRASH_DIR="+dir, "CACHE_CRASH_STEP="+point.step,
					"CACHE_CRASH_N="+strconv.Itoa(point.n), "CACHE_CRASH_BATCH="+strconv.Itoa(which))
				out, err := cmd.CombinedOutput()
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
					t.Fatalf("child was not killed: %v\n%s", err, out)
				}

				c, err = Open(dir, DefaultKeyFile(dir))
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				cur, _ := c.Cursor()
				before := int64(0)
				if which > 0 {
					before = batches[which-1].To
				}
				after := batches[which].To
				switch {
				case point.step == "committed" && cur != after:
					t.Fatalf("cursor %d after a commit, want %d", cur, after)
				case point.step != "committed" && cur != before:
					t.Fatalf("cursor %d after a crash before the commit, want %d", cur, before)
				}
				// Resume: the rest of the feed applies and the result is whole.
				for _, b := range batches {
					if b.From >= cur {
						if err := c.ApplyBatch(b, time.Now()); err != nil {
							t.Fatal(err)
						}
					}
				}
				pays, err := c.PaymentsMade(jose.ID)
				if err != nil || len(pays) != 8999 {
					t.Fatalf("%d payments after resuming, want 8999 (%v)", len(pays), err)
				}
				if p, err := c.FindParticipant(jose.SSN); err != nil || p.ID != jose.ID {
					t.Fatalf("%+v, %v", p, err)
				}
			})
		}
	}
}
