package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The kiosk's own process for these tests: the test binary run again with KIOSK_TEST_HELPER
// set. "main" runs the kiosk's main with the arguments after "--"; "hold" takes the lock file
// named by the argument after "--", says "locked" and holds it until its input closes.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("KIOSK_TEST_HELPER")
	if mode == "" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	switch mode {
	case "main":
		os.Args = append([]string{"kiosk"}, args...)
		flag.CommandLine = flag.NewFlagSet("kiosk", flag.ExitOnError)
		main()
		os.Exit(0)
	case "hold":
		if _, err := lockFile(args[0]); err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println("locked")
		bufio.NewReader(os.Stdin).ReadString('\n')
		os.Exit(0)
	}
}

// helper starts the test binary as a helper process.
func helper(t *testing.T, mode string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperProcess$", "--"}, args...)...)
	cmd.Env = append(append(os.Environ(), "KIOSK_TEST_HELPER="+mode), env...)
	return cmd
}

// hold starts a process that holds the lock file path; stop it with Process.Kill.
func hold(t *testing.T, path string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := helper(t, "hold", env, path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		t.Fatalf("the holder could not lock %s: %q", path, line)
	}
	return cmd
}

func TestLockFileIsExclusiveAndReleased(t *testing.T) {
	path := filepath.Join(t.TempDir(), lockName)
	release, err := lockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = lockFile(path)
	if !errors.Is(err, errRunning) || !strings.Contains(err.Error(), fmt.Sprintf("as process %d", os.Getpid())) {
		t.Fatalf("second lock: %v", err)
	}
	release()
	release, err = lockFile(path)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	release()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("lock file %v, %v", fi, err)
	}
}

// A second kiosk on the same data directory says so and exits non-zero; when the first dies,
// even by SIGKILL, the lock is gone with it and the next start goes ahead.
func TestSecondKioskOnTheSameDataRefused(t *testing.T) {
	dir := t.TempDir()
	first := hold(t, filepath.Join(dir, lockName))

	out, err := helper(t, "main", nil, "--data", dir).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("second kiosk: %v; output %s", err, out)
	}
	want := fmt.Sprintf("kiosk: another kiosk is already running as process %d (lock %s)\n", first.Process.Pid, filepath.Join(dir, lockName))
	if string(out) != want {
		t.Fatalf("second kiosk said %q, want %q", out, want)
	}

	first.Process.Kill()
	first.Wait()
	out, err = helper(t, "main", nil, "--data", dir).CombinedOutput()
	if err == nil || strings.Contains(string(out), "already running") {
		t.Fatalf("after the first died: %v; output %s", err, out)
	}
	// It went on to open the cache, which is not there.
	if !strings.Contains(string(out), "kiosk:") {
		t.Fatalf("after the first died: output %s", out)
	}
}

// For --demo the lock is per user, in the runtime directory.
func TestSecondDemoKioskRefused(t *testing.T) {
	runtimeDir := t.TempDir()
	env := []string{"XDG_RUNTIME_DIR=" + runtimeDir}
	t.Setenv("XDG_RUNTIME_DIR", runtimeDir)
	first := hold(t, demoLockPath(), env...)
	out, err := helper(t, "main", env, "--demo").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 ||
		!strings.Contains(string(out), fmt.Sprintf("another kiosk is already running as process %d", first.Process.Pid)) {
		t.Fatalf("second demo kiosk: %v; output %s", err, out)
	}
}

// A data directory that does not exist is left to opening the cache to report.
func TestNoDataDirectoryIsNotALockError(t *testing.T) {
	release, err := oneInstance(false, filepath.Join(t.TempDir(), "none"))
	if err != nil {
		t.Fatal(err)
	}
	release()
}
