package seal

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"childsupportkiosk/app/domain"
)

// fastKEK makes passphrase tests quick; TestPassphraseDefaults checks the real costs.
func fastKEK(t *testing.T) {
	old := KEKParams
	KEKParams = Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}
	t.Cleanup(func() { KEKParams = old })
}

func TestKeyFileKeyring(t *testing.T) {
	dir := t.TempDir()
	ring, keyPath := filepath.Join(dir, "keyring.json"), filepath.Join(dir, "kiosk.key")
	k, err := CreateKeyring(ring, KeyFile(keyPath))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{ring, keyPath} {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, mode %v", filepath.Base(p), err, st.Mode())
		}
	}
	if st, _ := os.Stat(keyPath); st.Size() != KeySize {
		t.Fatalf("key file is %d bytes", st.Size())
	}
	if _, err := CreateKeyring(ring, KeyFile(keyPath)); !errors.Is(err, ErrKeyringExists) {
		t.Fatalf("second CreateKeyring: %v", err)
	}
	k2, err := OpenKeyring(ring, KeyFile(keyPath))
	if err != nil {
		t.Fatal(err)
	}
	if !k.Equal(k2) {
		t.Fatal("reopened keyring holds other keys")
	}
	// The keyring file holds neither key in the clear.
	b, _ := os.ReadFile(ring)
	if bytes.Contains(b, k.dataKey) || bytes.Contains(b, k.indexKey) || !strings.Contains(string(b), KeyringFormat) {
		t.Fatal("keyring file is not a wrapped keyring")
	}
	// A sealed record survives the reopen.
	s1, _ := k.Sealer()
	s2, _ := k2.Sealer()
	if _, err := s2.Open("t", []byte("r"), s1.Seal("t", []byte("r"), []byte("x"))); err != nil {
		t.Fatal(err)
	}
	x1, _ := k.Indexer()
	x2, _ := k2.Indexer()
	if !bytes.Equal(x1.Index("ssn", "1"), x2.Index("ssn", "1")) {
		t.Fatal("index key changed on reopen")
	}
	s3, _ := k.Sealer()
	if !bytes.Equal(s3.Seal("t", nil, nil)[:1], []byte{1}) {
		t.Fatal("key version is not 1")
	}
}

func TestWrongKeyFile(t *testing.T) {
	dir := t.TempDir()
	ring, keyPath := filepath.Join(dir, "keyring.json"), filepath.Join(dir, "kiosk.key")
	if _, err := CreateKeyring(ring, KeyFile(keyPath)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(ring)
	other := filepath.Join(dir, "other.key")
	if _, err := CreateKeyring(filepath.Join(dir, "other.json"), KeyFile(other)); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenKeyring(ring, KeyFile(other)); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("wrong key file: %v", err)
	}
	if _, err := OpenKeyring(ring, KeyFile(filepath.Join(dir, "missing.key"))); !errors.Is(err, domain.ErrCacheLocked) {
		t.Fatalf("missing key file: %v", err)
	}
	if _, err := OpenKeyring(ring, Passphrase("a passphrase")); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("passphrase for a key-file keyring: %v", err)
	}
	if after, _ := os.ReadFile(ring); !bytes.Equal(before, after) {
		t.Fatal("a failed open changed the keyring")
	}
}

func TestKeyFilePermissionsRefused(t *testing.T) {
	dir := t.TempDir()
	ring, keyPath := filepath.Join(dir, "keyring.json"), filepath.Join(dir, "kiosk.key")
	if _, err := CreateKeyring(ring, KeyFile(keyPath)); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660, 0o644, 0o606} {
		if err := os.Chmod(keyPath, mode); err != nil {
			t.Fatal(err)
		}
		_, err := OpenKeyring(ring, KeyFile(keyPath))
		if !errors.Is(err, ErrInsecureKeyFile) || !errors.Is(err, domain.ErrCacheLocked) {
			t.Fatalf("mode %v: %v", mode, err)
		}
		// Nor may a new keyring use it.
		if _, err := CreateKeyring(filepath.Join(dir, "new.json"), KeyFile(keyPath)); !errors.Is(err, ErrInsecureKeyFile) {
			t.Fatalf("create with mode %v: %v", mode, err)
		}
	}
	os.Chmod(keyPath, 0o400)
	if _, err := OpenKeyring(ring, KeyFile(keyPath)); err != nil {
		t.Fatalf("mode 0400: %v", err)
	}
	// A key file of the wrong size is refused, not padded.
	short := filepath.Join(dir, "short.key")
	os.WriteFile(short, make([]byte, 16), 0o600)
	if _, err := CreateKeyring(filepath.Join(dir, "short.json"), KeyFile(short)); !errors.Is(err, ErrInsecureKeyFile) {
		t.Fatalf("16-byte key file: %v", err)
	}
}

func TestPassphraseKeyring(t *testing.T) {
	fastKEK(t)
	dir := t.TempDir()
	ring := filepath.Join(dir, "keyring.json")
	k, err := CreateKeyring(ring, Passphrase("correct horse battery staple"))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(ring)
	if bytes.Contains(before, []byte("horse")) {
		t.Fatal("passphrase written to the keyring")
	}
	k2, err := OpenKeyring(ring, Passphrase("correct horse battery staple"))
	if err != nil || !k.Equal(k2) {
		t.Fatalf("reopen: %v", err)
	}
	for _, wrong := range []string{"correct horse battery stapl", "Correct horse battery staple", ""} {
		if _, err := OpenKeyring(ring, Passphrase(wrong)); !errors.Is(err, domain.ErrWrongKey) {
			t.Fatalf("wrong passphrase %q: %v", wrong, err)
		}
	}
	if _, err := OpenKeyring(ring, KeyFile(filepath.Join(dir, "k"))); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("key file for a passphrase keyring: %v", err)
	}
	if after, _ := os.ReadFile(ring); !bytes.Equal(before, after) {
		t.Fatal("a failed open changed the keyring")
	}
	if _, err := CreateKeyring(filepath.Join(dir, "empty.json"), Passphrase("")); err == nil {
		t.Fatal("empty passphrase accepted")
	}

	// A new passphrase rewraps the same keys; the old one stops working.
	if err := Rewrap(ring, Passphrase("wrong"), Passphrase("new")); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("rewrap with a wrong passphrase: %v", err)
	}
	if err := Rewrap(ring, Passphrase("correct horse battery staple"), Passphrase("a new office passphrase")); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenKeyring(ring, Passphrase("correct horse battery staple")); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("old passphrase after rewrap: %v", err)
	}
	k3, err := OpenKeyring(ring, Passphrase("a new office passphrase"))
	if err != nil || !k.Equal(k3) {
		t.Fatalf("after rewrap: %v", err)
	}
	// And to a key file.
	keyPath := filepath.Join(dir, "kiosk.key")
	if err := Rewrap(ring, Passphrase("a new office passphrase"), KeyFile(keyPath)); err != nil {
		t.Fatal(err)
	}
	if k4, err := OpenKeyring(ring, KeyFile(keyPath)); err != nil || !k.Equal(k4) {
		t.Fatalf("after rewrap to a key file: %v", err)
	}
}

func TestPassphraseDefaults(t *testing.T) {
	if KEKParams.MemoryKiB < 64*1024 || KEKParams.Time < 3 {
		t.Fatalf("KEK Argon2id costs %+v are below 64 MiB, t=3", KEKParams)
	}
	dir := t.TempDir()
	ring := filepath.Join(dir, "keyring.json")
	if _, err := CreateKeyring(ring, Passphrase("office")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(ring)
	if !strings.Contains(string(b), `"m": 65536`) || !strings.Contains(string(b), `"t": 3`) {
		t.Fatalf("Argon2id parameters not stored: %s", b)
	}
}

func TestShredKeyring(t *testing.T) {
	dir := t.TempDir()
	ring, keyPath := filepath.Join(dir, "keyring.json"), filepath.Join(dir, "kiosk.key")
	if _, err := CreateKeyring(ring, KeyFile(keyPath)); err != nil {
		t.Fatal(err)
	}
	if err := ShredKeyring(ring, KeyFile(keyPath)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{ring, keyPath} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%s survived: %v", filepath.Base(p), err)
		}
	}
	if _, err := OpenKeyring(ring, KeyFile(keyPath)); err == nil {
		t.Fatal("a shredded keyring opened")
	}
	if err := ShredKeyring(ring, KeyFile(keyPath)); err != nil {
		t.Fatalf("shredding twice: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestShredOverwrites(t *testing.T) {
	// Keep a second link to the file so the overwrite can be seen after the removal.
	dir := t.TempDir()
	p := filepath.Join(dir, "secret")
	secret := bytes.Repeat([]byte("SECRET"), 10000)
	os.WriteFile(p, secret, 0o600)
	if err := os.Link(p, p+".link"); err != nil {
		t.Skip("no hard links here")
	}
	if err := Shred(p); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p + ".link")
	if len(b) != len(secret) || bytes.Contains(b, []byte("SECRET")) {
		t.Fatal("the file was not overwritten in place")
	}
}
