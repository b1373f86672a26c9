package ui

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// soakCycles is how many times the soak signs a participant in and out: a busy office's day.
const soakCycles = 1000

// BenchmarkSoakSignInOut signs a participant in and out soakCycles times through the real
// screens (keypad taps, Argon2id, the Home screen, the Sign out button) and reports the live
// heap and the resident set at the start and at the end, and how much each grew. One op is the
// whole soak; run it with -benchtime 1x.
//
// Fyne keeps each widget's renderer, and its caches of icons and text metrics, for a minute
// after last use (FYNE_CACHE changes that), and frees the expired ones as it paints. The
// desktop driver paints every frame; the test driver only when the canvas is captured, so the
// soak captures it once a second. Memory is measured after warm-up rounds (which fill the
// caches of fonts and icons once) and at the end, each time after the kiosk has stood idle
// on the welcome screen for that minute and painted: what is left then is what the
// kiosk holds for good. Setting KIOSK_SOAK_PROFILE=PREFIX writes heap profiles
// PREFIX.start.pprof and PREFIX.end.pprof for `go tool pprof -base`. The soak puts a day's
// sign-ins into minutes; FYNE_CACHE=2s puts Fyne's minute in proportion (and shortens the
// idle waits).
func BenchmarkSoakSignInOut(b *testing.B) {
	r := newRig(b, shared(b))
	s := r.s["noncustodial"]
	painted := time.Now()
	cycle := func() {
		r.signIn(b, s.Participant, s.PIN)
		if r.k.screen != scrHome {
			b.Fatal("not signed in")
		}
		tap(b, r.c, r.tr("ui.sign_out"))
		if r.k.screen != scrWelcome || r.k.sess != nil {
			b.Fatal("not signed out")
		}
		if time.Since(painted) >= time.Second {
			r.c.Capture()
			painted = time.Now()
		}
	}
	for range 20 {
		cycle()
	}
	profile := os.Getenv("KIOSK_SOAK_PROFILE")
	if profile == "" {
		runtime.MemProfileRate = 0 // as cmd/kiosk runs
	}
	heap0, rss0, m0 := settledMemory(b, r.c, profile, "start")
	b.Logf("start: %s", procMemory(b))
	var heapMid, rssMid uint64
	for b.Loop() {
		for i := range soakCycles {
			if i == soakCycles/2 {
				b.StopTimer()
				heapMid, rssMid, _ = settledMemory(b, r.c, "", "")
				b.StartTimer()
			}
			cycle()
		}
	}
	b.StopTimer()
	heap1, rss1, m1 := settledMemory(b, r.c, profile, "end")
	b.Logf("end: %s", procMemory(b))
	for _, m := range []runtime.MemStats{m0, m1} {
		b.Logf("Go runtime, KiB: sys %d (heap %d, released %d, stacks %d, spans %d, caches %d, profiling %d, GC %d, other %d), heap objects %d",
			m.Sys>>10, m.HeapSys>>10, m.HeapReleased>>10, m.StackSys>>10, m.MSpanSys>>10, m.MCacheSys>>10,
			m.BuckHashSys>>10, m.GCSys>>10, m.OtherSys>>10, m.HeapObjects)
	}
	b.ReportMetric(float64(heap0)/(1<<20), "heap-start-MiB")
	b.ReportMetric(float64(heap1)/(1<<20), "heap-end-MiB")
	b.ReportMetric(growth(heap0, heap1), "heap-growth-%")
	b.ReportMetric(float64(rss0)/(1<<20), "rss-start-MiB")
	b.ReportMetric(float64(rss1)/(1<<20), "rss-end-MiB")
	b.ReportMetric(growth(rss0, rss1), "rss-growth-%")
	// Growth over the second half alone tells a leak (still growing) from memory that Go and
	// Fyne keep once the soak's busiest minute has been reached.
	b.ReportMetric(growth(heapMid, heap1), "heap-growth-2nd-half-%")
	b.ReportMetric(growth(rssMid, rss1), "rss-growth-2nd-half-%")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*soakCycles), "ms/cycle")
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(b.N*soakCycles)/(1<<20), "alloc-MiB/cycle")
}

// settledMemory lets the kiosk stand idle until Fyne's caches expire and paints, then collects
// garbage, returns freed memory to the system and reads the live heap and the resident set
// (VmRSS); with a profile prefix it also writes a heap profile.
func settledMemory(b *testing.B, c fyne.Canvas, prefix, name string) (heap, rss uint64, m runtime.MemStats) {
	b.Helper()
	keep := time.Minute
	if d, err := time.ParseDuration(os.Getenv("FYNE_CACHE")); err == nil {
		keep = d
	}
	// Fyne cleans at most every 10 seconds.
	time.Sleep(max(keep, 10*time.Second) + time.Second)
	c.Capture()
	runtime.GC()
	debug.FreeOSMemory()
	runtime.ReadMemStats(&m)
	if prefix != "" {
		f, err := os.Create(prefix + "." + name + ".pprof")
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	return m.HeapAlloc, vmRSS(b), m
}

// vmRSS is the process's resident set in bytes, from /proc/self/status.
func vmRSS(b *testing.B) uint64 { return procStatus(b)["VmRSS"] << 10 }

// procMemory is the resident set split as the kernel counts it: anonymous memory (Go's heap
// and C's malloc), file pages (the binary's code and data as far as it has run) and shared
// memory.
func procMemory(b *testing.B) string {
	st := procStatus(b)
	return fmt.Sprintf("RssAnon %d kB, RssFile %d kB, RssShmem %d kB", st["RssAnon"], st["RssFile"], st["RssShmem"])
}

// procStatus reads the kB figures of /proc/self/status by name.
func procStatus(b *testing.B) map[string]uint64 {
	b.Helper()
	st, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	out := map[string]uint64{}
	for _, line := range strings.Split(string(st), "\n") {
		name, v, ok := strings.Cut(line, ":")
		v, kB := strings.CutSuffix(strings.TrimSpace(v), " kB")
		if !ok || !kB {
			continue
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			b.Fatalf("%s: %v", line, err)
		}
		out[name] = n
	}
	if out["VmRSS"] == 0 {
		b.Fatal("no VmRSS in /proc/self/status")
	}
	return out
}

func growth(from, to uint64) float64 { return (float64(to) - float64(from)) / float64(from) * 100 }
