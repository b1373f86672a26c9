package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// feed builds batches of changes for a test, with rising sequence numbers.
type feed struct {
	t       testing.TB
	seq     int64
	changes []protocol.Change
}

func (f *feed) put(kind, id, owner string, v any) {
	f.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		f.t.Fatal(err)
	}
	f.seq++
	f.changes = append(f.changes, protocol.Change{Seq: f.seq, Kind: kind, ID: id, Owner: owner, Data: b})
}

func (f *feed) del(kind, id, owner string) {
	f.seq++
	f.changes = append(f.changes, protocol.Change{Seq: f.seq, Kind: kind, ID: id, Owner: owner, Deleted: true})
}

// batch takes the changes put so far as one batch after cursor from.
func (f *feed) batch(from int64) *protocol.Batch {
	b := &protocol.Batch{From: from, To: f.seq, Changes: f.changes}
	b.Seal()
	f.changes = nil
	return b
}

func newCache(t testing.TB) (*Cache, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cache")
	c, err := Create(dir, DefaultKeyFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, dir
}

func apply(t testing.TB, c *Cache, f *feed) {
	t.Helper()
	cur, err := c.Cursor()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ApplyBatch(f.batch(cur), time.Now()); err != nil {
		t.Fatal(err)
	}
}

func date(s string) domain.Date {
	d, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var (
	jose = domain.Participant{ID: "1000000001", SSN: "123456789", Name: "José Núñez",
		BirthDate: date("1984-03-07"), Language: "es", Office: "OFF1",
		PIN: domain.PIN{Verifier: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", Version: 1}}
	helene = domain.Participant{ID: "1000000002", SSN: "987654321", Name: "Hélène Lefèvre",
		BirthDate: date("1990-11-23"), Language: "fr", Office: "OFF1"}
	office = domain.Office{ID: "OFF1", Name: "Riverside County Child Support", Agency: "CA",
		TimeZone: "America/Los_Angeles", Phone: "866-901-3212"}
)

func TestCreateOpenReopen(t *testing.T) {
	c, dir := newCache(t)
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Fatalf("directory mode %v", st.Mode().Perm())
	}
	f := &feed{t: t}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	apply(t, c, f)
	if err := c.SaveEnrolment(syncstate.Enrolment{Server: "https://cases.example", Kiosk: "K1", Token: "secret-token", Office: "OFF1", Profile: "CA"}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v", e.Name(), info.Mode().Perm())
		}
	}
	if _, err := Create(dir, DefaultKeyFile(dir)); !errors.Is(err, ErrExists) {
		t.Fatalf("Create over a cache: %v", err)
	}
	c.Close()

	c2, err := Open(dir, DefaultKeyFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	p, err := c2.FindParticipant(jose.SSN)
	if err != nil || p.Name != jose.Name {
		t.Fatalf("after reopen: %+v, %v", p, err)
	}
	e, err := c2.Enrolment()
	if err != nil || e.Token != "secret-token" || e.Kiosk != "K1" {
		t.Fatalf("enrolment after reopen: %+v, %v", e, err)
	}
	if cur, _ := c2.Cursor(); cur != 1 {
		t.Fatalf("cursor %d", cur)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(t.TempDir(), DefaultKeyFile("nowhere")); !errors.Is(err, domain.ErrNotEnrolled) {
		t.Fatalf("empty directory: %v", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing"), DefaultKeyFile("nowhere")); !errors.Is(err, domain.ErrNotEnrolled) {
		t.Fatalf("missing directory: %v", err)
	}
	c, dir := newCache(t)
	c.Close()
	before := snapshot(t, dir)

	// Another kiosk's key file.
	other := filepath.Join(t.TempDir(), "other")
	oc, err := Create(other, DefaultKeyFile(other))
	if err != nil {
		t.Fatal(err)
	}
	oc.Close()
	if _, err := Open(dir, DefaultKeyFile(other)); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("wrong key file: %v", err)
	}
	if _, err := Open(dir, Passphrase("guess")); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("passphrase for a key-file cache: %v", err)
	}
	if after := snapshot(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatal("a refused open changed the cache directory")
	}
	// Another kiosk's keyring with its key file: the keyring opens, the database refuses it.
	copyFile(t, filepath.Join(other, KeyringFile), filepath.Join(dir, KeyringFile))
	copyFile(t, filepath.Join(other, KeyFileName), filepath.Join(dir, KeyFileName))
	if _, err := Open(dir, DefaultKeyFile(dir)); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("keyring of another cache: %v", err)
	}
}

func TestKeyFilePermissionsRefused(t *testing.T) {
	c, dir := newCache(t)
	c.Close()
	os.Chmod(filepath.Join(dir, KeyFileName), 0o644)
	if _, err := Open(dir, DefaultKeyFile(dir)); !errors.Is(err, domain.ErrCacheLocked) {
		t.Fatalf("key file readable by others: %v", err)
	}
	os.Chmod(filepath.Join(dir, KeyFileName), 0o600)
	c, err := Open(dir, DefaultKeyFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func TestPassphraseCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c, err := Create(dir, Passphrase("river office 2026"))
	if err != nil {
		t.Fatal(err)
	}
	f := &feed{t: t}
	f.put(protocol.KindParticipant, helene.ID, helene.ID, helene)
	apply(t, c, f)
	c.Close()
	// Locked: the kiosk knows to ask for the passphrase, and nothing else opens the cache.
	if locked, err := NeedsPassphrase(dir); err != nil || !locked {
		t.Fatalf("NeedsPassphrase: %v, %v", locked, err)
	}
	before := snapshot(t, dir)
	if _, err := Open(dir, Passphrase("river office 2025")); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := Open(dir, DefaultKeyFile(dir)); err == nil {
		t.Fatal("a key file opened a passphrase cache")
	}
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		t.Fatal("a refused passphrase changed the files of the cache")
	}
	c, err = Open(dir, Passphrase("river office 2026"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if p, err := c.FindParticipant(helene.ID); err != nil || p.Name != helene.Name {
		t.Fatalf("%+v, %v", p, err)
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("a passphrase cache made a key file")
	}
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		m[e.Name()] = string(b)
	}
	return m
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestWipe(t *testing.T) {
	c, dir := newCache(t)
	f := &feed{t: t}
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	apply(t, c, f)
	if err := c.Wipe(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		names := []string{}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("left after Wipe: %v", names)
	}
	if _, err := Open(dir, DefaultKeyFile(dir)); !errors.Is(err, domain.ErrNotEnrolled) {
		t.Fatalf("open after Wipe: %v", err)
	}
	if _, err := c.FindParticipant(jose.ID); !errors.Is(err, ErrClosed) {
		t.Fatalf("read after Wipe: %v", err)
	}
	if err := c.ApplyBatch(&protocol.Batch{}, time.Now()); !errors.Is(err, ErrClosed) {
		t.Fatalf("write after Wipe: %v", err)
	}
}

func TestEnrolmentAndStatus(t *testing.T) {
	c, _ := newCache(t)
	if _, err := c.Enrolment(); !errors.Is(err, domain.ErrNotEnrolled) {
		t.Fatalf("before enrolment: %v", err)
	}
	st, err := c.Status()
	if err != nil || st.Cursor != 0 || st.Kiosk != "" {
		t.Fatalf("status before enrolment: %+v, %v", st, err)
	}
	if asOf, err := c.DataAsOf(); err != nil || !asOf.IsZero() {
		t.Fatalf("as of before any sync: %v, %v", asOf, err)
	}
	enr := syncstate.Enrolment{Server: "https://cases.example:8443", Kiosk: "K7", Token: "tok", Office: "OFF1",
		Profile: "CA", Enrolled: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
		Key:     protocol.ServerKey{ID: "0011223344556677", Public: "cHVibGlj"},
		NextKey: protocol.ServerKey{ID: "8899aabbccddeeff", Public: "bmV4dA==", From: 1767600000000}}
	if err := c.SaveEnrolment(enr); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Enrolment(); err != nil || got != enr {
		t.Fatalf("enrolment %+v, %v", got, err)
	}
	f := &feed{t: t}
	f.put(protocol.KindOffice, office.ID, "", office)
	f.put(protocol.KindParticipant, jose.ID, jose.ID, jose)
	f.put(protocol.KindPayment, "PAY1", jose.ID, domain.Payment{ID: "PAY1", Payer: jose.ID, Amount: 100})
	f.put(protocol.KindPayment, "PAY2", jose.ID, domain.Payment{ID: "PAY2", Payer: jose.ID, Amount: 200})
	at := time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)
	b := f.batch(0)
	b.More = true
	if err := c.ApplyBatch(b, at); err != nil {
		t.Fatal(err)
	}
	if asOf, _ := c.DataAsOf(); !asOf.IsZero() {
		t.Fatal("a batch with more to come set the as-of time")
	}
	if err := c.ApplyBatch(f.batch(b.To), at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if asOf, _ := c.DataAsOf(); !asOf.Equal(at.Add(time.Minute)) {
		t.Fatalf("as of %v", asOf)
	}
	c.Send(domain.SendAudit, domain.AuditEvent{Action: "signin"})
	c.RecordSync(syncstate.SyncRecord{At: at.Add(2 * time.Minute), OK: false, Error: "sync.offline"})
	// A sync that succeeded without a proof of being up to date leaves "data as of" alone;
	// the one with it moves it to the proof's time.
	c.RecordSync(syncstate.SyncRecord{At: at.Add(150 * time.Second), OK: true})
	if asOf, _ := c.DataAsOf(); !asOf.Equal(at.Add(time.Minute)) {
		t.Fatalf("as of after a sync without a proof: %v", asOf)
	}
	c.RecordSync(syncstate.SyncRecord{At: at.Add(3 * time.Minute), OK: true, AsOf: at.Add(3 * time.Minute)})
	c.RecordSync(syncstate.SyncRecord{At: at.Add(4 * time.Minute), OK: false, Error: "timeout"})
	st, err = c.Status()
	if err != nil {
		t.Fatal(err)
	}
	want := syncstate.Status{Server: enr.Server, Kiosk: "K7", Office: "OFF1", Profile: "CA", Cursor: 4,
		LastSuccess: at.Add(3 * time.Minute), LastAttempt: at.Add(4 * time.Minute), LastError: "timeout",
		PendingOutbox: 1, Key: enr.Key, NextKey: enr.NextKey, Lock: "keyfile"}
	if fmt.Sprint(st.Counts) != "map[office:1 participant:1 payment:2]" {
		t.Fatalf("counts %v", st.Counts)
	}
	st.Counts = nil
	if !st.LastSuccess.Equal(want.LastSuccess) || !st.LastAttempt.Equal(want.LastAttempt) {
		t.Fatalf("status times %+v", st)
	}
	st.LastSuccess, st.LastAttempt, want.LastSuccess, want.LastAttempt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if fmt.Sprint(st) != fmt.Sprint(want) {
		t.Fatalf("status\n got %+v\nwant %+v", st, want)
	}
	if asOf, _ := c.DataAsOf(); !asOf.Equal(at.Add(3 * time.Minute)) {
		t.Fatalf("as of after a successful sync: %v", asOf)
	}
	if o, err := c.Office(); err != nil || o != office {
		t.Fatalf("office %+v, %v", o, err)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
