package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockName is the one-instance lock file in a kiosk's data directory.
const lockName = "kiosk.lock"

// errRunning is the answer when another kiosk holds the lock.
var errRunning = errors.New("another kiosk is already running")

// oneInstance makes sure no other kiosk runs on the same data directory, or, for --demo, as
// the same user. It takes an flock on a lock file: the kernel lets go of it when the process
// ends however it ends, so unlike a PID file it never goes stale. The lock is held until
// release is called or the process exits.
func oneInstance(demo bool, dataDir string) (release func(), err error) {
	path := filepath.Join(dataDir, lockName)
	if demo {
		path = demoLockPath()
	}
	release, err = lockFile(path)
	if errors.Is(err, fs.ErrNotExist) && !demo {
		// No data directory: opening the cache says what is wrong.
		return func() {}, nil
	}
	return release, err
}

// demoLockPath is the demo's lock file: one per user, in the user's runtime directory (or the
// temporary directory, named by the user ID).
func demoLockPath() string {
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		return filepath.Join(dir, "childsupport-kiosk-demo.lock")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("childsupport-kiosk-demo-%d.lock", os.Getuid()))
}

// lockFile takes an exclusive, non-blocking flock on path, creating the file (0600) if need
// be, and writes this process's ID into it so that a refused start can say which process holds
// it. The ID is only information: the lock is the flock.
func lockFile(path string) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w%s (lock %s)", errRunning, holder(path), path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil
}

// holder names the process that wrote the lock file, if it says.
func holder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
		return fmt.Sprintf(" as process %d", pid)
	}
	return ""
}
