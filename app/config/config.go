// Package config reads the one file an office sets a kiosk up with (TOML; a commented example
// is docs/kiosk.example.toml): agency profile, case server, data directory, printers,
// languages, time-outs, display defaults and log level. Unknown keys and bad values are refused
// at start with the file, the line and the reason; environment variables and flags override the
// file for tests and one-off runs.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"childsupportkiosk/app/domain"
)

// Config is a kiosk's settings. Zero values mean "the agency profile's default".
type Config struct {
	Profile  string `toml:"profile"`
	DataDir  string `toml:"data_dir"`
	Server   string `toml:"server_url"`
	CAFile   string `toml:"ca_file"`
	LogLevel string `toml:"log_level"`

	Kiosk     Kiosk     `toml:"kiosk"`
	Languages Languages `toml:"languages"`
	Session   Session   `toml:"session"`
	Display   Display   `toml:"display"`
	Printers  Printers  `toml:"printers"`
	Sync      Sync      `toml:"sync"`
	Key       Key       `toml:"key"`
	Speech    Speech    `toml:"speech"`

	badOverride *Error // an environment variable Override could not read, reported by Recheck
}

// Kiosk is how the program behaves on the office floor.
type Kiosk struct {
	Fullscreen bool `toml:"fullscreen"`
	HideCursor bool `toml:"hide_cursor"` // no mouse pointer over the kiosk: for touch screens
}

// Languages are the languages offered on the kiosk and the one it starts in.
type Languages struct {
	Offered []string `toml:"offered"`
	Default string   `toml:"default"`
}

// Session holds time-outs in seconds; 0 takes the profile's.
type Session struct {
	IdleSeconds      int `toml:"idle_seconds"`
	WarningSeconds   int `toml:"warning_seconds"`
	StaffIdleSeconds int `toml:"staff_idle_seconds"`
}

// Display holds the defaults a person can change at the kiosk.
type Display struct {
	LargeText    bool `toml:"large_text"`
	HighContrast bool `toml:"high_contrast"`
}

// Printers are the CUPS queues and the media each is always sent with.
type Printers struct {
	Office       string `toml:"office"`
	OfficeMedia  string `toml:"office_media"`
	Receipt      string `toml:"receipt"`
	ReceiptMedia string `toml:"receipt_media"`
}

// Key is where the key that unlocks the encrypted cache comes from (kioskctl enroll made it).
type Key struct {
	// Source is "tpm" (the default: sealed to this machine's TPM 2.0), "passphrase" (an
	// office passphrase typed at every start, for a kiosk without a TPM) or "file" (a plain key
	// file beside the cache, for the demo and tests only: the status warns).
	Source string `toml:"source"`
	TPM    string `toml:"tpm_device"` // default /dev/tpmrm0, the kernel's resource manager
	File   string `toml:"file"`       // the key file of source "file" (default: in data_dir)
}

// Key sources.
const (
	KeyTPM        = "tpm"
	KeyPassphrase = "passphrase"
	KeyFile       = "file"
)

// DefaultTPM is the TPM device when key.tpm_device is not set.
const DefaultTPM = "/dev/tpmrm0"

// Speech is the spoken guidance (the Listen button, through espeak-ng on the default audio
// output: the loudspeaker or the headphone jack).
type Speech struct {
	Off  bool `toml:"off"`  // no Listen button: a kiosk with no audio output
	Rate int  `toml:"rate"` // words per minute, 80 to 300; 0: espeak-ng's own (175)
}

// Sync is the background sync schedule.
type Sync struct {
	Every string `toml:"every"` // a Go duration: "5m"
}

// Error is a refused configuration: where and why.
type Error struct {
	File   string
	Line   int // 0 when the problem is not on one line (a missing file, a missing key)
	Reason string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Reason)
}

// Checks supplies what the configuration is checked against: the shipped profiles and
// languages.
type Checks struct {
	Profile   func(id string) (domain.Profile, error)
	Languages []string // shipped translations
}

// Load reads and checks the file at path.
func Load(path string, c Checks) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		reason := "cannot be read"
		if errors.Is(err, os.ErrNotExist) {
			reason = "no such file"
		}
		return Config{}, &Error{File: path, Reason: reason}
	}
	return Parse(path, b, c)
}

// Parse reads and checks configuration text; name is used in messages.
func Parse(name string, b []byte, c Checks) (Config, error) {
	var cfg Config
	dec := toml.NewDecoder(bytes.NewReader(b)).DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, decodeError(name, err)
	}
	if err := cfg.check(c); err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.File = name
			ce.Line = lineOf(b, ce.Reason)
		}
		return Config{}, err
	}
	return cfg, nil
}

func decodeError(name string, err error) error {
	var sm *toml.StrictMissingError
	if errors.As(err, &sm) && len(sm.Errors) > 0 {
		first := sm.Errors[0]
		row, _ := first.Position()
		return &Error{File: name, Line: row, Reason: fmt.Sprintf("unknown key %q", strings.Join(first.Key(), "."))}
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		reason := strings.TrimPrefix(de.Error(), "toml: ")
		if m := typeMismatch.FindStringSubmatch(reason); m != nil {
			reason = fmt.Sprintf("a TOML %s where %s is expected", m[1], goTypeWords(m[2]))
		}
		if k := de.Key(); len(k) > 0 {
			reason = fmt.Sprintf("%s: %s", strings.Join(k, "."), reason)
		}
		return &Error{File: name, Line: row, Reason: reason}
	}
	return &Error{File: name, Reason: err.Error()}
}

// typeMismatch recognises the decoder's wording for a value of the wrong type, which names Go
// types an office's IT should not have to read.
var typeMismatch = regexp.MustCompile(`cannot decode TOML (\w+) into struct field \S+ of type (\S+)`)

func goTypeWords(t string) string {
	switch {
	case strings.HasPrefix(t, "int"):
		return "a whole number"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a quoted string"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	}
	return "another type"
}

// keyRef finds the key a check's reason starts with ("session.idle_seconds: …").
var keyRef = regexp.MustCompile(`^([a-z_]+(?:\.[a-z_]+)?):`)

// lineOf finds the line that sets the key a reason names, so a bad value is reported where it
// is written.
func lineOf(b []byte, reason string) int {
	m := keyRef.FindStringSubmatch(reason)
	if m == nil {
		return 0
	}
	table, key := "", m[1]
	if i := strings.IndexByte(key, '.'); i >= 0 {
		table, key = key[:i], key[i+1:]
	}
	current := ""
	for i, line := range strings.Split(string(b), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			current = strings.TrimSpace(strings.Trim(t, "[]"))
			continue
		}
		if current == table && (strings.HasPrefix(t, key+" ") || strings.HasPrefix(t, key+"=")) {
			return i + 1
		}
	}
	return 0
}

func (cfg *Config) check(c Checks) error {
	bad := func(key, format string, a ...any) error {
		return &Error{Reason: key + ": " + fmt.Sprintf(format, a...)}
	}
	if cfg.Profile == "" {
		return &Error{Reason: "profile: missing (the agency profile: CA, NY or OH)"}
	}
	p, err := c.Profile(cfg.Profile)
	if err != nil {
		return bad("profile", "%q is not a shipped agency profile", cfg.Profile)
	}
	if cfg.Server != "" {
		u, err := url.Parse(cfg.Server)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return bad("server_url", "%q is not an http(s) URL", cfg.Server)
		}
	}
	switch cfg.Key.Source {
	case "":
		cfg.Key.Source = KeyTPM
	case KeyTPM, KeyPassphrase, KeyFile:
	default:
		return bad("key.source", "%q is not one of tpm, passphrase, file", cfg.Key.Source)
	}
	if cfg.Key.TPM == "" {
		cfg.Key.TPM = DefaultTPM
	}
	if cfg.Key.File != "" && cfg.Key.Source != KeyFile {
		return bad("key.file", "is set but key.source is %q, not \"file\"", cfg.Key.Source)
	}
	switch cfg.LogLevel {
	case "", "debug", "info", "warn", "error":
	default:
		return bad("log_level", "%q is not one of debug, info, warn, error", cfg.LogLevel)
	}
	shipped := map[string]bool{}
	for _, l := range c.Languages {
		shipped[l] = true
	}
	if len(cfg.Languages.Offered) == 0 {
		cfg.Languages.Offered = p.Languages
	}
	for _, l := range cfg.Languages.Offered {
		if !shipped[l] {
			return bad("languages.offered", "%q has no translation (shipped: %s)", l, strings.Join(c.Languages, ", "))
		}
	}
	if cfg.Languages.Default == "" {
		cfg.Languages.Default = p.DefaultLanguage
	}
	found := false
	for _, l := range cfg.Languages.Offered {
		found = found || l == cfg.Languages.Default
	}
	if !found {
		return bad("languages.default", "%q is not among the offered languages", cfg.Languages.Default)
	}
	s := &cfg.Session
	if s.IdleSeconds == 0 {
		s.IdleSeconds = p.IdleSeconds
	}
	if s.WarningSeconds == 0 {
		s.WarningSeconds = p.WarningSeconds
	}
	if s.StaffIdleSeconds == 0 {
		s.StaffIdleSeconds = p.StaffIdleSeconds
	}
	switch {
	case s.IdleSeconds < 30 || s.IdleSeconds > 1800:
		return bad("session.idle_seconds", "%d is out of range (30 to 1800)", s.IdleSeconds)
	case s.WarningSeconds < 10 || s.WarningSeconds >= s.IdleSeconds:
		return bad("session.warning_seconds", "%d must be at least 10 and less than idle_seconds", s.WarningSeconds)
	case s.StaffIdleSeconds < 30 || s.StaffIdleSeconds > 900:
		return bad("session.staff_idle_seconds", "%d is out of range (30 to 900)", s.StaffIdleSeconds)
	}
	if r := cfg.Speech.Rate; r != 0 && (r < 80 || r > 300) {
		return bad("speech.rate", "%d is not a speed from 80 to 300 words a minute", r)
	}
	if cfg.Sync.Every == "" {
		cfg.Sync.Every = "5m"
	}
	if d, err := time.ParseDuration(cfg.Sync.Every); err != nil || d < 10*time.Second || d > 24*time.Hour {
		return bad("sync.every", "%q is not a duration from 10s to 24h", cfg.Sync.Every)
	}
	if cfg.Printers.Office != "" && cfg.Printers.Office == cfg.Printers.Receipt {
		return bad("printers.receipt", "the receipt printer must not be the office printer")
	}
	return nil
}

// SyncEvery is the background sync interval.
func (cfg Config) SyncEvery() time.Duration {
	d, _ := time.ParseDuration(cfg.Sync.Every)
	return d
}

// Level is the slog level of log_level.
func (cfg Config) Level() slog.Level {
	switch cfg.LogLevel {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// Apply returns the profile with the configuration's time-outs and languages in force.
func (cfg Config) Apply(p domain.Profile) domain.Profile {
	p.IdleSeconds = cfg.Session.IdleSeconds
	p.WarningSeconds = cfg.Session.WarningSeconds
	p.StaffIdleSeconds = cfg.Session.StaffIdleSeconds
	p.Languages = cfg.Languages.Offered
	p.DefaultLanguage = cfg.Languages.Default
	return p
}

// Environment variables that override the file, for tests and one-off runs.
const (
	EnvProfile    = "KIOSK_PROFILE"
	EnvDataDir    = "KIOSK_DATA_DIR"
	EnvServer     = "KIOSK_SERVER_URL"
	EnvLogLevel   = "KIOSK_LOG_LEVEL"
	EnvHideCursor = "KIOSK_HIDE_CURSOR" // true or false
	EnvTPM        = "KIOSK_TPM"         // the TPM device, as kioskctl reads it too
)

// Override applies environment variables (looked up with getenv) over the file's values; flags
// are applied by the caller after this. The result must be checked again with Recheck.
func (cfg *Config) Override(getenv func(string) string) {
	cfg.badOverride = nil
	for env, field := range map[string]*string{EnvProfile: &cfg.Profile, EnvDataDir: &cfg.DataDir,
		EnvServer: &cfg.Server, EnvLogLevel: &cfg.LogLevel, EnvTPM: &cfg.Key.TPM} {
		if v := getenv(env); v != "" {
			*field = v
		}
	}
	if v := getenv(EnvHideCursor); v != "" {
		on, err := strconv.ParseBool(v)
		if err != nil {
			cfg.badOverride = &Error{Reason: fmt.Sprintf("%s: %q is not true or false", EnvHideCursor, v)}
			return
		}
		cfg.Kiosk.HideCursor = on
	}
}

// Recheck checks a configuration again after overrides; errors name the source "override".
func (cfg *Config) Recheck(c Checks) error {
	if bad := cfg.badOverride; bad != nil {
		bad.File = "override"
		return bad
	}
	if err := cfg.check(c); err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.File = "override"
		}
		return err
	}
	return nil
}
