package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"childsupportkiosk/app/domain"
)

// A kiosk the case server withdrew (HTTP 410 to a sync) has its cache wiped by the sync client,
// and the screen goes out of service (app/ui/outofservice.go). The kiosk notes when that was
// heard in withdrawnFile beside the wiped cache — a time, nothing of anybody — so that a restart
// on the wiped directory shows the out-of-service screen again rather than failing with "not
// enrolled". Enrolling the directory again makes the note stale: it is removed whenever the
// cache opens.

const withdrawnFile = "withdrawn.json"

type withdrawnNote struct {
	At time.Time `json:"withdrawn_at"`
}

// noteWithdrawn writes the note (owner-only, replaced whole).
func noteWithdrawn(dir string, at time.Time) error {
	b, err := json.Marshal(withdrawnNote{At: at.UTC()})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".withdrawn-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(append(b, '\n'))
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, withdrawnFile))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// readWithdrawn reports whether dir holds the note, and the time it gives (zero when the note
// cannot be read: the kiosk was still withdrawn, the day is unknown).
func readWithdrawn(dir string) (time.Time, bool) {
	b, err := os.ReadFile(filepath.Join(dir, withdrawnFile))
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, false
	}
	var n withdrawnNote
	if err != nil || json.Unmarshal(b, &n) != nil {
		return time.Time{}, true
	}
	return n.At, true
}

// forgetWithdrawn removes a stale note: the directory holds a cache that opens.
func forgetWithdrawn(dir string) error {
	if err := os.Remove(filepath.Join(dir, withdrawnFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// startsWithdrawn decides a start on dir whose cache could not be found (err, from
// cache.NeedsPassphrase): with the note there, the kiosk starts out of service and at is when
// it was withdrawn; otherwise err stands.
func startsWithdrawn(dir string, err error) (at *time.Time, _ error) {
	if !errors.Is(err, domain.ErrNotEnrolled) {
		return nil, err
	}
	t, ok := readWithdrawn(dir)
	if !ok {
		return nil, err
	}
	return &t, nil
}
