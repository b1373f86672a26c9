// Package speech reads text aloud for the kiosk's spoken guidance (ADA §707.5's speech
// output) with an offline engine, Debian's espeak-ng, run as a process. It knows nothing of
// Fyne or of what a screen shows: the UI decides what is said (and what never is) and hands
// over plain text in a language; this package picks the voice, starts the engine and ends it
// on Stop.
package speech

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
)

// Speaker says text aloud in a language. Say ends whatever is being said and starts the new
// text without waiting for it to be said; Stop ends it at once.
type Speaker interface {
	// Speaks reports whether there is a voice for the language (a BCP 47 tag as the kiosk's
	// translations name it: "en", "es", "zh-Hant").
	Speaks(lang string) bool
	Say(lang, text string) error
	Stop()
}

// Voices are espeak-ng's voice for each of the kiosk's languages. Spanish is Latin America's
// (the offices are in the United States); traditional Chinese is read in Cantonese, which most
// readers of traditional characters in California's offices speak, simplified Chinese in
// Mandarin. espeak-ng has no Tagalog voice: "tl" is absent, and the kiosk says so.
var Voices = map[string]string{
	"en":      "en-us",
	"es":      "es-419",
	"fr":      "fr-fr",
	"zh-Hans": "cmn",
	"zh-Hant": "yue",
	"vi":      "vi",
	"ko":      "ko",
}

// ErrNoVoice is Say's answer for a language without a voice.
var ErrNoVoice = errors.New("speech: no voice for this language")

// Espeak speaks through the espeak-ng program on the kiosk's default audio output.
type Espeak struct {
	// Program is the engine to run; "espeak-ng" (looked up on PATH) when empty.
	Program string
	// Args are added before the voice, e.g. "-s", "150" for a slower speed.
	Args []string

	once      sync.Once
	installed map[string]bool // the voices the engine has, read once from --voices

	mu  sync.Mutex
	cmd *exec.Cmd // the utterance being said, nil when quiet
}

func (e *Espeak) program() string {
	if e.Program == "" {
		return "espeak-ng"
	}
	return e.Program
}

// voice is the installed voice for lang, or "".
func (e *Espeak) voice(lang string) string {
	e.once.Do(func() { e.installed = installedVoices(e.program()) })
	v := Voices[lang]
	if v == "" || !e.installed[v] {
		return ""
	}
	return v
}

// installedVoices asks the engine which voices it has (the second column of --voices); none
// when it cannot be run.
func installedVoices(program string) map[string]bool {
	out, err := exec.Command(program, "--voices").Output()
	if err != nil {
		return nil
	}
	have := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] != "Pty" {
			have[f[1]] = true
		}
	}
	return have
}

// Speaks reports whether the engine is installed with the language's voice.
func (e *Espeak) Speaks(lang string) bool { return e.voice(lang) != "" }

// Say ends what is being said and starts saying text; the text goes to the engine on its
// standard input, never on its command line (where any user of the machine could read it).
func (e *Espeak) Say(lang, text string) error {
	e.Stop()
	v := e.voice(lang)
	if v == "" {
		return ErrNoVoice
	}
	cmd := e.command(context.Background(), v)
	cmd.Stdin = strings.NewReader(text)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("speech: %w", err)
	}
	e.mu.Lock()
	e.cmd = cmd
	e.mu.Unlock()
	go func() {
		_ = cmd.Wait()
		e.mu.Lock()
		if e.cmd == cmd {
			e.cmd = nil
		}
		e.mu.Unlock()
	}()
	return nil
}

// Stop kills the engine if it is speaking.
func (e *Espeak) Stop() {
	e.mu.Lock()
	cmd := e.cmd
	e.cmd = nil
	e.mu.Unlock()
	if cmd != nil && cmd.Process != nil {
		_ = cmd.Process.Kill() // Say's goroutine reaps it
	}
}

// Speaking reports whether an utterance is under way.
func (e *Espeak) Speaking() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cmd != nil
}

// Record writes what Say would say as a WAV file at path, and waits for it: for tests and
// for checking a kiosk's voices without a loudspeaker.
func (e *Espeak) Record(ctx context.Context, lang, text, path string) error {
	v := e.voice(lang)
	if v == "" {
		return ErrNoVoice
	}
	cmd := e.command(ctx, v, "-w", path)
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("speech: %v: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

func (e *Espeak) command(ctx context.Context, voice string, more ...string) *exec.Cmd {
	args := append(append([]string{}, e.Args...), "-v", voice)
	return exec.CommandContext(ctx, e.program(), append(args, more...)...)
}

// Recorder is a Speaker for tests: it keeps what it was asked to say and how often it was
// stopped, and speaks the languages in Langs (every language when Langs is nil).
type Recorder struct {
	Langs map[string]bool

	mu    sync.Mutex
	said  []Utterance
	stops int
}

// Utterance is one Say.
type Utterance struct{ Lang, Text string }

// Speaks reports whether lang is among r.Langs.
func (r *Recorder) Speaks(lang string) bool { return r.Langs == nil || r.Langs[lang] }

// Say records the utterance.
func (r *Recorder) Say(lang, text string) error {
	if !r.Speaks(lang) {
		return ErrNoVoice
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.said = append(r.said, Utterance{lang, text})
	return nil
}

// Stop counts a stop.
func (r *Recorder) Stop() {
	r.mu.Lock()
	r.stops++
	r.mu.Unlock()
}

// Said returns every utterance so far.
func (r *Recorder) Said() []Utterance {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Utterance(nil), r.said...)
}

// Last is the latest utterance, or a zero one.
func (r *Recorder) Last() Utterance {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.said) == 0 {
		return Utterance{}
	}
	return r.said[len(r.said)-1]
}

// Stops is how often Stop was called.
func (r *Recorder) Stops() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stops
}
