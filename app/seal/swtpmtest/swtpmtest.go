// Package swtpmtest starts a software TPM 2.0 (Debian's swtpm) for tests: a real TPM
// emulator, with its own state directory, that seal.TPM reaches over a Unix socket.
package swtpmtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Start runs swtpm with its state in stateDir (kept, so that a second Start on the same
// directory is the same TPM, and one on another directory is another TPM) and returns the path
// of its data socket and a function that stops it (also called when the test ends). A test is
// skipped, saying so, only when swtpm is not installed; scripts/test installs it.
func Start(t testing.TB, stateDir string) (sock string, stop func()) {
	t.Helper()
	bin, err := exec.LookPath("swtpm")
	if err != nil {
		t.Skip("swtpm is not installed (Debian package swtpm; scripts/test installs it): the TPM tests need it")
	}
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A short directory of its own: a Unix socket's path is limited to 108 bytes.
	sockDir, err := os.MkdirTemp("", "swtpm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(sockDir) })
	sock = filepath.Join(sockDir, "tpm")
	cmd := exec.Command(bin, "socket", "--tpm2",
		"--server", "type=unixio,path="+sock,
		"--ctrl", "type=unixio,path="+filepath.Join(sockDir, "ctrl"),
		"--tpmstate", "dir="+stateDir,
		"--flags", "not-need-init,startup-clear")
	var stderr bytes.Buffer // swtpm notes every client that disconnects
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting swtpm: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cmd.Process.Kill()
			<-done
		})
	}
	t.Cleanup(stop)
	for deadline := time.Now().Add(10 * time.Second); ; {
		if st, err := os.Stat(sock); err == nil && st.Mode()&os.ModeSocket != 0 {
			return sock, stop
		}
		select {
		case <-done:
			t.Fatalf("swtpm ended before it opened its socket: %s", stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("swtpm did not open its socket in 10 s")
		}
	}
}
