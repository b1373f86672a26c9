package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/demo"
)

// BenchmarkImport measures a daily import into the database of a large office: the demo's
// 10,000 participants (about 2.8 million feed records), built once per run, then exports of
// 1,000, 100,000 and 1,000,000 changes, each imported into its own copy of that database.
// Each export is then imported a second time, which must change nothing. Run with
//
//	go test -run '^$' -bench Import -benchtime 1x -timeout 60m ./sync/server
//
// It reports the time per change (ns/change), changes/s, the second import (reimport-s), the
// process's peak RSS above its RSS before the import (rss-peak-MiB) and what the import
// allocated (alloc-MiB). KIOSK_IMPORT_CPUPROFILE=PREFIX writes a CPU profile of each import.
func BenchmarkImport(b *testing.B) {
	dir := b.TempDir()
	base := filepath.Join(dir, "base.db")
	start := time.Now()
	e, _, err := demo.Generate(demo.Options{Seed: 1, Offices: 1, Participants: 10000})
	if err != nil {
		b.Fatal(err)
	}
	db, err := Open(base)
	if err != nil {
		b.Fatal(err)
	}
	rep, err := db.Import(context.Background(), e)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.sql.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	db.Close()
	b.Logf("base: %d participants, %d cases, %d payments, %d disbursements, %d feed records, built in %v",
		len(e.Participants), len(e.Cases), len(e.Payments), len(e.Disbursements), rep.FeedChanges,
		time.Since(start).Round(time.Second))

	for _, n := range []int{1_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("changes=%d", n), func(b *testing.B) {
			ch := changedExport(e, n)
			var took, again time.Duration
			var rss, alloc float64
			for range b.N {
				b.StopTimer()
				path := filepath.Join(dir, "run.db")
				copyFile(b, base, path)
				db, err := Open(path)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				rss0 := resetPeakRSS(b)
				var ms0, ms1 runtime.MemStats
				runtime.ReadMemStats(&ms0)
				stop := cpuProfile(b, n)
				b.StartTimer()
				t0 := time.Now()
				rep, err := db.Import(context.Background(), ch)
				took += time.Since(t0)
				b.StopTimer()
				stop()
				if err != nil {
					b.Fatal(err)
				}
				runtime.ReadMemStats(&ms1)
				rss += float64(peakRSS(b)-rss0) / (1 << 20)
				alloc += float64(ms1.TotalAlloc-ms0.TotalAlloc) / (1 << 20)
				if got := changesIn(rep); got != n || rep.FeedChanges < n {
					b.Fatalf("%d changes, %d feed records; want %d:\n%s", got, rep.FeedChanges, n, rep)
				}
				t1 := time.Now()
				rep, err = db.Import(context.Background(), ch)
				again += time.Since(t1)
				if err != nil || rep.FeedChanges != 0 || changesIn(rep) != 0 {
					b.Fatalf("the same export again: %v\n%s", err, rep)
				}
				db.Close()
				for _, f := range []string{path, path + "-wal", path + "-shm"} {
					os.Remove(f)
				}
			}
			runs := float64(b.N)
			b.ReportMetric(float64(took.Nanoseconds())/runs/float64(n), "ns/change")
			b.ReportMetric(float64(n)*runs/took.Seconds(), "changes/s")
			b.ReportMetric(took.Seconds()/runs, "import-s")
			b.ReportMetric(again.Seconds()/runs, "reimport-s")
			b.ReportMetric(rss/runs, "rss-peak-MiB")
			b.ReportMetric(alloc/runs, "alloc-MiB")
		})
	}
}

// cpuProfile writes a CPU profile of the import of n changes alone to
// $KIOSK_IMPORT_CPUPROFILE-n.prof when that is set (go test's -cpuprofile also takes in the
// building of the office); stop ends it.
func cpuProfile(b *testing.B, n int) (stop func()) {
	prefix := os.Getenv("KIOSK_IMPORT_CPUPROFILE")
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s-%d.prof", prefix, n))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// changedExport is what an agency sends after a day in which n records of e changed: n/100
// participants renamed (so every case view of the other parent changes too), n/50 cases with
// new balances, n/20 new payments, and the rest payments and disbursements changed, half
// each, spread over the whole office. It holds only those records.
func changedExport(e *domain.Export, n int) *domain.Export {
	ch := &domain.Export{Format: e.Format, Agency: e.Agency, Generated: e.Generated}
	participants := min(n/100, len(e.Participants))
	cases := min(n/50, len(e.Cases))
	added := n / 20
	rest := n - participants - cases - added
	payments := rest / 2
	disbursements := rest - payments
	for _, i := range spread(participants, len(e.Participants)) {
		p := e.Participants[i]
		p.Name += " Ruiz"
		ch.Participants = append(ch.Participants, p)
	}
	for _, i := range spread(cases, len(e.Cases)) {
		k := e.Cases[i]
		k.Balances.Arrears += 100
		ch.Cases = append(ch.Cases, k)
	}
	for _, i := range spread(payments, len(e.Payments)) {
		p := e.Payments[i]
		p.Amount++
		p.Allocation.Fees++
		ch.Payments = append(ch.Payments, p)
	}
	for _, i := range spread(added, len(e.Payments)) {
		p := e.Payments[i]
		p.ID = "NEW-" + strconv.Itoa(i)
		ch.Payments = append(ch.Payments, p)
	}
	for _, i := range spread(disbursements, len(e.Disbursements)) {
		d := e.Disbursements[i]
		d.Method = map[domain.Method]domain.Method{domain.DirectDeposit: domain.DebitCard,
			domain.DebitCard: domain.Check, domain.Check: domain.DirectDeposit}[d.Method]
		ch.Disbursements = append(ch.Disbursements, d)
	}
	return ch
}

// spread picks n of the indexes 0 to of-1, evenly apart.
func spread(n, of int) []int {
	if n > of {
		panic(fmt.Sprintf("%d changes of %d records", n, of))
	}
	ix := make([]int, n)
	for i := range ix {
		ix[i] = int(int64(i) * int64(of) / int64(n))
	}
	return ix
}

func changesIn(r Report) int {
	n := 0
	for _, k := range r.Kinds {
		n += k.Added + k.Changed + k.Deleted
	}
	return n
}

func copyFile(b *testing.B, from, to string) {
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	// On disk before the import, whose checkpoint would otherwise wait for the copy's pages.
	if err := dst.Sync(); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}

// resetPeakRSS resets the process's peak RSS to its RSS now (Linux), and returns that RSS.
func resetPeakRSS(b *testing.B) int64 {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Logf("peak RSS not reset: %v", err)
	}
	return procStatus(b, "VmRSS:")
}

func peakRSS(b *testing.B) int64 { return procStatus(b, "VmHWM:") }

// procStatus reads a size in bytes from /proc/self/status.
func procStatus(b *testing.B, field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), field); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// BenchmarkParseExport measures the reading of an export file: the demo's 2,000-participant
// office as JSON, decoded by ParseExport. Run with
//
//	go test -run '^$' -bench ParseExport ./sync/server
func BenchmarkParseExport(b *testing.B) {
	e, _, err := demo.Generate(demo.Options{Seed: 1, Offices: 1, Participants: 2000})
	if err != nil {
		b.Fatal(err)
	}
	var buf strings.Builder
	if err := EncodeExport(&buf, e); err != nil {
		b.Fatal(err)
	}
	data := buf.String()
	records := len(e.Participants) + len(e.Cases) + len(e.Payments) + len(e.Disbursements) +
		len(e.Appointments) + len(e.Messages) + len(e.Documents)
	b.SetBytes(int64(len(data)))
	runtime.GC()
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		if _, err := ParseExport(strings.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(records), "ns/record")
	// The CPU time (the process's, garbage collection included) says more than the time on a
	// busy machine.
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/float64(records), "cpu-ns/record")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
