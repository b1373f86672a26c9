package speech

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// need skips a test whose programs are not installed, except in CI, where it fails.
func need(t *testing.T, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing", p)
			}
			t.Skipf("%s is missing: install espeak-ng and sox (scripts/packages) to run this test", p)
		}
	}
}

// soxStat reads sox's statistics of a sound file: "RMS amplitude", "Maximum amplitude", "Length
// (seconds)".
func soxStat(t *testing.T, path string) map[string]float64 {
	t.Helper()
	out, err := exec.Command("sox", path, "-n", "stat").CombinedOutput() // stat writes to stderr
	if err != nil {
		t.Fatalf("sox: %v: %s", err, out)
	}
	stat := map[string]float64{}
	line := regexp.MustCompile(`^(.+?):\s+(-?[0-9.]+)\s*$`)
	for _, l := range strings.Split(string(out), "\n") {
		if m := line.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			stat[strings.TrimSpace(m[1])] = v
		}
	}
	return stat
}

// The real engine speaks each language it has a voice for into a WAV that sox finds is
// sound: seconds long and far from silent.
func TestEspeakWritesSpeech(t *testing.T) {
	need(t, "espeak-ng", "sox")
	e := &Espeak{}
	said := map[string]string{
		"en":      "Welcome. Button: Sign in.",
		"es":      "Bienvenido. Botón: Iniciar sesión.",
		"fr":      "Bienvenue. Bouton : Se connecter.",
		"zh-Hans": "欢迎。按钮：登录。",
		"zh-Hant": "歡迎。按鈕：登入。",
		"vi":      "Chào mừng. Nút: Đăng nhập.",
		"ko":      "환영합니다. 버튼: 로그인.",
	}
	for lang, text := range said {
		if !e.Speaks(lang) {
			t.Errorf("espeak-ng has no voice %q for %s", Voices[lang], lang)
			continue
		}
		path := filepath.Join(t.TempDir(), lang+".wav")
		if err := e.Record(context.Background(), lang, text, path); err != nil {
			t.Fatal(err)
		}
		st := soxStat(t, path)
		t.Logf("%s: %.2f s, RMS %.4f, max %.4f", lang, st["Length (seconds)"], st["RMS     amplitude"], st["Maximum amplitude"])
		if st["Length (seconds)"] < 0.8 {
			t.Errorf("%s: %.2f s of sound for %q", lang, st["Length (seconds)"], text)
		}
		if st["Maximum amplitude"] < 0.1 || st["RMS     amplitude"] < 0.01 {
			t.Errorf("%s: silent: %v", lang, st)
		}
	}
	if e.Speaks("tl") {
		t.Error("a Tagalog voice is claimed; espeak-ng has none")
	}
	if err := e.Record(context.Background(), "tl", "Maligayang pagdating", filepath.Join(t.TempDir(), "tl.wav")); !errors.Is(err, ErrNoVoice) {
		t.Errorf("Tagalog: %v, want ErrNoVoice", err)
	}
}

// Stop ends the engine's process at once, and Say ends the one before it.
func TestStopKillsTheEngine(t *testing.T) {
	dir := t.TempDir()
	// A stand-in engine: it lists one voice, and otherwise notes its process ID and speaks for
	// a minute (reads the text, then sleeps).
	script := filepath.Join(dir, "engine")
	body := "#!/bin/sh\nif [ \"$1\" = --voices ]; then\n echo 'Pty Language Age/Gender VoiceName File Other'\n" +
		" echo ' 2  en-us --/M English gmw/en-US'\n exit 0\nfi\necho $$ >> " + filepath.Join(dir, "pids") +
		"\ncat >/dev/null\nexec sleep 60\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	e := &Espeak{Program: script}
	if e.Speaks("es") || !e.Speaks("en") {
		t.Fatal("voices not read from --voices")
	}
	pids := func(n int) []int {
		deadline := time.Now().Add(5 * time.Second)
		for {
			b, _ := os.ReadFile(filepath.Join(dir, "pids"))
			var out []int
			for _, f := range strings.Fields(string(b)) {
				p, _ := strconv.Atoi(f)
				out = append(out, p)
			}
			if len(out) >= n || time.Now().After(deadline) {
				return out
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	gone := func(pid int) bool {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
				return true
			}
			time.Sleep(20 * time.Millisecond)
		}
		return false
	}
	if err := e.Say("en", "first"); err != nil {
		t.Fatal(err)
	}
	first := pids(1)
	if len(first) != 1 || !e.Speaking() {
		t.Fatalf("the engine did not start: %v", first)
	}
	if err := e.Say("en", "second"); err != nil {
		t.Fatal(err)
	}
	both := pids(2)
	if len(both) != 2 {
		t.Fatalf("the second utterance did not start: %v", both)
	}
	if !gone(both[0]) {
		t.Error("Say left the utterance before it running")
	}
	e.Stop()
	if e.Speaking() {
		t.Error("still speaking after Stop")
	}
	if !gone(both[1]) {
		t.Error("Stop left the engine running")
	}
	if err := e.Say("es", "hola"); !errors.Is(err, ErrNoVoice) {
		t.Errorf("a language without a voice: %v", err)
	}
}
