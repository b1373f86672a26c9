package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/domain"
)

// A data directory wiped at the case server's word starts out of service, with the day; one
// that never held a cache still fails as before, and a cache enrolled again forgets the note.
func TestWithdrawnNote(t *testing.T) {
	dir := t.TempDir()
	_, err := cache.NeedsPassphrase(dir)
	if !errors.Is(err, domain.ErrNotEnrolled) {
		t.Fatalf("an empty directory: %v", err)
	}
	if at, err := startsWithdrawn(dir, err); at != nil || !errors.Is(err, domain.ErrNotEnrolled) {
		t.Fatalf("without a note: %v %v", at, err)
	}
	when := time.Date(2026, time.November, 20, 15, 4, 5, 0, time.FixedZone("PST", -8*3600))
	if err := noteWithdrawn(dir, when); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, withdrawnFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the note: %v %v", fi, err)
	}
	at, err := startsWithdrawn(dir, domain.ErrNotEnrolled)
	if err != nil || at == nil || !at.Equal(when) {
		t.Fatalf("with the note: %v %v", at, err)
	}
	if at, err := startsWithdrawn(dir, domain.ErrCacheLocked); at != nil || err != domain.ErrCacheLocked {
		t.Fatalf("another error: %v %v", at, err)
	}
	// An unreadable note still means withdrawn, on an unknown day.
	os.WriteFile(filepath.Join(dir, withdrawnFile), []byte("{"), 0o600)
	if at, err := startsWithdrawn(dir, domain.ErrNotEnrolled); err != nil || at == nil || !at.IsZero() {
		t.Fatalf("a damaged note: %v %v", at, err)
	}
	if err := forgetWithdrawn(dir); err != nil {
		t.Fatal(err)
	}
	if _, ok := readWithdrawn(dir); ok {
		t.Fatal("the note outlived forgetWithdrawn")
	}
	if err := forgetWithdrawn(dir); err != nil {
		t.Fatal("forgetting twice:", err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(names) != 0 {
		t.Fatalf("left behind: %v", names)
	}
}
