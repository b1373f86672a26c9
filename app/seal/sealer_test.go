package seal

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"

	"childsupportkiosk/app/domain"
)

func newTestSealer(t testing.TB, version byte) *Sealer {
	t.Helper()
	key := make([]byte, KeySize)
	rand.Read(key)
	s, err := NewSealer(key, version)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpen(t *testing.T) {
	s := newTestSealer(t, 3)
	plain := []byte(`{"name":"José Núñez","ssn":"123456789"}`)
	row := []byte("row-1")
	c := s.Seal("records", row, plain)
	if len(c) != len(plain)+Overhead || c[0] != 3 {
		t.Fatalf("sealed record is %d bytes with version %d", len(c), c[0])
	}
	if bytes.Contains(c, []byte("José")) || bytes.Contains(c, []byte("123456789")) {
		t.Fatal("plaintext visible in the sealed record")
	}
	if c2 := s.Seal("records", row, plain); bytes.Equal(c, c2) {
		t.Fatal("two seals of one record are equal: nonce not random")
	}
	got, err := s.Open("records", row, c)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	// Appending variants reuse a buffer.
	buf := s.AppendSeal([]byte("prefix"), "records", row, plain)
	if got, err := s.AppendOpen([]byte("x"), "records", row, buf[len("prefix"):]); err != nil || string(got) != "x"+string(plain) {
		t.Fatalf("AppendOpen = %q, %v", got, err)
	}
}

func TestOpenRefusesMovedOrTamperedRecords(t *testing.T) {
	s := newTestSealer(t, 1)
	row := []byte("row-1")
	c := s.Seal("records", row, []byte("payment 130.15"))
	flip := func(i int) []byte { d := bytes.Clone(c); d[i] ^= 1; return d }
	cases := map[string]func() ([]byte, error){
		"swapped row":    func() ([]byte, error) { return s.Open("records", []byte("row-2"), c) },
		"swapped table":  func() ([]byte, error) { return s.Open("outbox", row, c) },
		"row prefix":     func() ([]byte, error) { return s.Open("records", []byte("row-"), c) },
		"table/row seam": func() ([]byte, error) { return s.Open("record", []byte("srow-1"), c) },
		"version byte":   func() ([]byte, error) { return s.Open("records", row, flip(0)) },
		"nonce":          func() ([]byte, error) { return s.Open("records", row, flip(3)) },
		"ciphertext":     func() ([]byte, error) { return s.Open("records", row, flip(20)) },
		"tag":            func() ([]byte, error) { return s.Open("records", row, flip(len(c)-1)) },
		"truncated":      func() ([]byte, error) { return s.Open("records", row, c[:Overhead-1]) },
		"empty":          func() ([]byte, error) { return s.Open("records", row, nil) },
		"other key":      func() ([]byte, error) { return newTestSealer(t, 1).Open("records", row, c) },
		"other version": func() ([]byte, error) {
			d := bytes.Clone(c)
			d[0] = 2
			return s.Open("records", row, d)
		},
	}
	for name, open := range cases {
		if got, err := open(); !errors.Is(err, domain.ErrCorruptRecord) || got != nil {
			t.Errorf("%s: Open = %q, %v; want ErrCorruptRecord", name, got, err)
		}
	}
	if _, err := NewSealer(make([]byte, 16), 1); err == nil {
		t.Error("a 16-byte data key was accepted")
	}
}

func TestIndex(t *testing.T) {
	key := make([]byte, KeySize)
	rand.Read(key)
	x, err := NewIndexer(key)
	if err != nil {
		t.Fatal(err)
	}
	a := x.Index("ssn", "123456789")
	if len(a) != IndexSize {
		t.Fatalf("token is %d bytes", len(a))
	}
	if !bytes.Equal(a, x.Index("ssn", "123456789")) {
		t.Fatal("index is not deterministic")
	}
	for _, other := range [][]byte{x.Index("pid", "123456789"), x.Index("ssn", "123456780"),
		x.Index("ssn1", "23456789"), x.Index("", "ssn\x00123456789")} {
		if bytes.Equal(a, other) {
			t.Fatal("two different purposes or values give one token")
		}
	}
	key2 := bytes.Clone(key)
	key2[0] ^= 1
	y, _ := NewIndexer(key2)
	if bytes.Equal(a, y.Index("ssn", "123456789")) {
		t.Fatal("the token does not depend on the key")
	}
	if got := x.AppendIndex([]byte("p"), "ssn", "123456789"); !bytes.Equal(got[1:], a) {
		t.Fatal("AppendIndex differs from Index")
	}
}

func BenchmarkSeal300(b *testing.B) {
	s := newTestSealer(b, 1)
	plain := bytes.Repeat([]byte("x"), 300)
	row := make([]byte, IndexSize)
	buf := make([]byte, 0, 512)
	b.SetBytes(300)
	for b.Loop() {
		buf = s.AppendSeal(buf[:0], "records", row, plain)
	}
}

func BenchmarkIndex(b *testing.B) {
	x, _ := NewIndexer(make([]byte, KeySize))
	buf := make([]byte, 0, IndexSize)
	for b.Loop() {
		buf = x.AppendIndex(buf[:0], "row", "payment\x00P000123456")
	}
}
