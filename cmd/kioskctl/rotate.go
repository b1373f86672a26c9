package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/sync/client"
)

// rotateStep is called after each step of a rotation with its name (cache.Step*, then
// client.StepToken*): the tests stop the process there with SIGKILL.
var rotateStep = func(string) {}

// kioskLock is the kiosk's one-instance lock in its data directory (cmd/kiosk holds it while
// it runs): a rotation must not run beside a kiosk that holds the old keys.
const kioskLock = "kiosk.lock"

func rotateCmd(e *env) func() error {
	ca := e.fs.String("ca", "", "PEM file of the server's CA (default DIR/"+caFileName+" when enrol kept one)")
	return func() error {
		kek, err := e.keySource()
		if err != nil {
			return err
		}
		release, err := lockData(e.dir)
		if err != nil {
			return err
		}
		defer release()
		unshare, err := lockDir(e.dir, syscall.LOCK_EX)
		if err != nil {
			return err
		}
		defer unshare()
		res, err := cache.Rotate(e.dir, kek, cache.RotateOptions{Step: rotateStep})
		if err != nil {
			return err
		}
		rate := ""
		if s := res.Took.Seconds(); res.Records > 0 && s > 0 {
			rate = fmt.Sprintf(", %s records/s", group(int(float64(res.Records)/s)))
		}
		fmt.Fprintf(e.stdout, "keys rotated: key version %d, %s records sealed again and %s look-ups made again in %s%s\n",
			res.Version, group(res.Records), group(res.Lookups), res.Took.Round(time.Millisecond), rate)
		c, err := cache.Open(e.dir, kek)
		if err != nil {
			return err
		}
		defer c.Close()
		if err := client.RotateToken(e.ctx, c, e.clientOptions(*ca), rotateStep); err != nil {
			return sentence{"the keys were rotated but the bearer token was not (the old one still works; run kioskctl rotate again): " +
				message(err, ""), err}
		}
		fmt.Fprintln(e.stdout, "token rotated: the case server took the new bearer token and refuses the old one")
		return nil
	}
}

// lockData takes the kiosk's lock in dir, without waiting: a running kiosk is refused.
func lockData(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, kioskLock), os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if errors.Is(err, os.ErrNotExist) {
		return func() {}, nil // no data directory: the cache says what is wrong
	}
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errors.New("a kiosk is running on this data directory: stop it first")
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}

// errRotating is the answer of a command that would open the cache while a rotation runs.
var errRotating = errors.New("a rotation is under way on this data directory (kioskctl rotate): wait for it to finish, or run it again if it was stopped")

// lockDir takes an flock on the data directory itself, without waiting: shared for every
// command that opens the cache, exclusive for a rotation, so that no command holds the old
// keys while a rotation seals the cache under new ones. It creates no file. A directory that
// does not exist yet (before enrol) needs no lock.
func lockDir(dir string, how int) (func(), error) {
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return func() {}, nil
	}
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			if how == syscall.LOCK_EX {
				return nil, errors.New("another kioskctl command is using this data directory: wait for it to finish")
			}
			return nil, errRotating
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}
