package cache

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal/swtpmtest"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// tokens reads every blind-index token of the cache: record IDs, owners and look-ups.
func tokens(t *testing.T, c *Cache) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, q := range []string{`SELECT rid FROM records`, `SELECT owner FROM records WHERE owner IS NOT NULL`,
		`SELECT bidx FROM lookup`} {
		rows, err := c.r.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			rows.Scan(&b)
			out[string(b)] = true
		}
		rows.Close()
	}
	return out
}

// A rotation re-seals everything under new keys and re-computes every blind-index token: the
// cache reads the same afterwards, a local change and its shadow included, and no token of the
// old index key is left.
func TestRotateResealsAndReindexes(t *testing.T) {
	c, dir := newCache(t)
	applyAll(t, c, asBatches(bulkFeed(t), false))
	enr := syncstate.Enrolment{Server: "https://cases.example", Kiosk: "K1", Token: "secret-token", Office: office.ID}
	if err := c.SaveEnrolment(enr); err != nil {
		t.Fatal(err)
	}
	// A local PIN change with the server's state behind it as its shadow, and an outbox item.
	newPIN := domain.PIN{Verifier: "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaG5ld2hhc2huZXc", Version: 2, IssuedBy: "kiosk:K1"}
	if err := c.UpdatePIN(helene.ID, newPIN); err != nil {
		t.Fatal(err)
	}
	f := &feed{t: t, seq: 1 << 20}
	stale := helene
	stale.Name = "Hélène Lefèvre-Martin"
	f.put(protocol.KindParticipant, helene.ID, helene.ID, stale)
	apply(t, c, f)
	before := everything(t, c)
	oldTokens := tokens(t, c)
	outbox, _ := c.Outbox(10)
	c.Close()

	res, err := Rotate(dir, DefaultKeyFile(dir), RotateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Records == 0 || res.Lookups == 0 || res.Version != 2 {
		t.Fatalf("rotation: %+v", res)
	}
	c, err = Open(dir, DefaultKeyFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if after := everything(t, c); after != before {
		t.Fatalf("after rotation the cache reads\n%s\nnot\n%s", after, before)
	}
	if got, _ := c.Enrolment(); got != enr {
		t.Fatalf("enrolment after rotation: %+v", got)
	}
	if got, _ := c.Outbox(10); len(got) != len(outbox) || len(got) != 1 || string(got[0].Data) != string(outbox[0].Data) {
		t.Fatalf("outbox after rotation: %+v", got)
	}
	for tok := range tokens(t, c) {
		if oldTokens[tok] {
			t.Fatal("a blind-index token of the old index key survived the rotation")
		}
	}
	// The shadow is the server's state: a superseded answer brings it back.
	if err := c.Acknowledge([]protocol.PushResult{{ID: outbox[0].ID, Status: protocol.Superseded}}); err != nil {
		t.Fatal(err)
	}
	if p, err := c.FindParticipant(helene.ID); err != nil || p.Name != stale.Name {
		t.Fatalf("the shadow after rotation: %+v, %v", p, err)
	}
}

// A cache sealed to one TPM opens on it and on no other; it rotates on it.
func TestTPMCache(t *testing.T) {
	root := t.TempDir()
	tpmA, _ := swtpmtest.Start(t, filepath.Join(root, "tpm-a"))
	dir := filepath.Join(root, "cache")
	c, err := Create(dir, TPM(tpmA))
	if err != nil {
		t.Fatal(err)
	}
	applyAll(t, c, asBatches(bulkFeed(t), false))
	before := everything(t, c)
	c.Close()
	if kind, err := KeyKind(dir); err != nil || kind != "tpm2" {
		t.Fatalf("key kind %q, %v", kind, err)
	}
	tpmB, _ := swtpmtest.Start(t, filepath.Join(root, "tpm-b"))
	if _, err := Open(dir, TPM(tpmB)); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("another TPM opened the cache: %v", err)
	}
	if _, err := Rotate(dir, TPM(tpmB), RotateOptions{}); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("another TPM rotated the cache: %v", err)
	}
	start := time.Now()
	c, err = Open(dir, TPM(tpmA))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("opened with the TPM in %s", time.Since(start).Round(time.Millisecond))
	c.Close()
	if _, err := Rotate(dir, TPM(tpmA), RotateOptions{}); err != nil {
		t.Fatal(err)
	}
	if c, err = Open(dir, TPM(tpmA)); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if after := everything(t, c); after != before {
		t.Fatalf("after rotation on the TPM:\n%s\nnot\n%s", after, before)
	}
}

// BenchmarkRotate rotates an office's cache (benchRecords records, CACHE_BENCH_RECORDS raises
// it): every record opened, sealed again and re-indexed in one transaction.
func BenchmarkRotate(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "c")
	c, err := Create(dir, DefaultKeyFile(dir))
	if err != nil {
		b.Fatal(err)
	}
	for _, bt := range officeFeed(b, benchRecords()) {
		if err := c.ApplyBatch(bt, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	c.Close()
	b.ResetTimer()
	var records int
	var took time.Duration
	for i := 0; i < b.N; i++ {
		res, err := Rotate(dir, DefaultKeyFile(dir), RotateOptions{})
		if err != nil {
			b.Fatal(err)
		}
		records += res.Records
		took += res.Took
	}
	b.ReportMetric(float64(records)/took.Seconds(), "records/s")
}

// The bearer token is sealed with the enrolment: no file of the data directory (database,
// WAL, keyring, key file) holds its bytes, before a rotation or after it.
func TestTokenNeverOnDiskInClear(t *testing.T) {
	c, dir := newCache(t)
	enr := syncstate.Enrolment{Server: "https://cases.example", Kiosk: "K1", Token: "tok-3q2x9ZkV7pLm4RtY8wNcB1", Office: office.ID}
	if err := c.SaveEnrolment(enr); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		if len(files) < 3 {
			t.Fatalf("%s: only %v", when, files)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(enr.Token)) || bytes.Contains(b, []byte(enr.Token[4:16])) {
				t.Fatalf("%s: %s holds the token in clear", when, filepath.Base(f))
			}
		}
	}
	check("enrolled") // the WAL is still there: the cache is open
	c.Close()
	if _, err := Rotate(dir, DefaultKeyFile(dir), RotateOptions{}); err != nil {
		t.Fatal(err)
	}
	check("rotated")
}

// A cache locked by an office passphrase rotates with it, and opens with it afterwards only.
func TestRotateWithPassphrase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c, err := Create(dir, Passphrase("office passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	applyAll(t, c, asBatches(bulkFeed(t), false))
	before := everything(t, c)
	c.Close()
	if _, err := Rotate(dir, Passphrase("wrong"), RotateOptions{}); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("a wrong passphrase rotated the cache: %v", err)
	}
	if _, err := Rotate(dir, Passphrase("office passphrase"), RotateOptions{}); err != nil {
		t.Fatal(err)
	}
	if ok, err := NeedsPassphrase(dir); err != nil || !ok {
		t.Fatalf("after rotation the cache needs no passphrase: %v %v", ok, err)
	}
	c, err = Open(dir, Passphrase("office passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if after := everything(t, c); after != before {
		t.Fatal("after rotation with a passphrase the cache reads otherwise")
	}
}
