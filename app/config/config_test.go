package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"childsupportkiosk/assets"
)

var checks = Checks{Profile: assets.Profile,
	Languages: []string{"en", "es", "fr", "ko", "tl", "vi", "zh-Hans", "zh-Hant"}} // as shipped

// The commented example in docs/ must itself be a valid configuration.
func TestExampleIsValid(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "..", "docs", "kiosk.example.toml"), checks)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Profile != "CA" || cfg.Session.IdleSeconds != 120 || cfg.Printers.Receipt != "receipt" ||
		cfg.SyncEvery().Minutes() != 5 || !cfg.Kiosk.Fullscreen || !cfg.Kiosk.HideCursor ||
		cfg.Speech.Off || cfg.Speech.Rate != 160 {
		t.Fatalf("example read as %+v", cfg)
	}
}

func TestDefaultsFromProfile(t *testing.T) {
	cfg, err := Parse("k.toml", []byte(`profile = "NY"`), checks)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := assets.Profile("NY")
	if cfg.Session.IdleSeconds != p.IdleSeconds || cfg.Languages.Default != "en" ||
		strings.Join(cfg.Languages.Offered, ",") != "en,es,fr,zh-Hans,zh-Hant,vi,ko,tl" || cfg.Sync.Every != "5m" {
		t.Fatalf("defaults %+v", cfg)
	}
}

func TestRefusals(t *testing.T) {
	cases := []struct {
		name, text string
		line       int
		reason     string
	}{
		{"unknown top-level key", "profile = \"CA\"\ncolour = \"blue\"\n", 2, `unknown key "colour"`},
		{"unknown key in a table", "profile = \"CA\"\n[session]\nidle_seconds = 60\nidle_minutes = 2\n", 4, `unknown key "session.idle_minutes"`},
		{"wrong type", "profile = \"CA\"\n[session]\nidle_seconds = \"two minutes\"\n", 3, "session.idle_seconds: a TOML string where a whole number is expected"},
		{"syntax", "profile = \"CA\n", 1, ""},
		{"missing profile", "log_level = \"info\"\n", 0, "profile: missing"},
		{"unknown profile", "profile = \"TX\"\n", 1, `profile: "TX" is not a shipped agency profile`},
		{"idle too short", "profile = \"CA\"\n\n[session]\nidle_seconds = 5\n", 4, "session.idle_seconds: 5 is out of range"},
		{"warning not shorter", "profile = \"CA\"\n[session]\nidle_seconds = 60\nwarning_seconds = 60\n", 4, "session.warning_seconds: 60 must be"},
		{"language not shipped", "profile = \"CA\"\n[languages]\noffered = [\"en\", \"de\"]\n", 3, `languages.offered: "de" has no translation`},
		{"default not offered", "profile = \"CA\"\n[languages]\noffered = [\"en\", \"es\"]\ndefault = \"fr\"\n", 4, `languages.default: "fr" is not among`},
		{"bad log level", "profile = \"CA\"\nlog_level = \"loud\"\n", 2, `log_level: "loud" is not one of`},
		{"bad server", "profile = \"CA\"\nserver_url = \"ftp://x\"\n", 2, `server_url: "ftp://x" is not an http(s) URL`},
		{"bad sync interval", "profile = \"CA\"\n[sync]\nevery = \"1s\"\n", 3, `sync.every: "1s" is not a duration`},
		{"speech too fast", "profile = \"CA\"\n[speech]\nrate = 900\n", 3, "speech.rate: 900 is not a speed"},
		{"same printer twice", "profile = \"CA\"\n[printers]\noffice = \"p\"\nreceipt = \"p\"\n", 4, "printers.receipt: the receipt printer must not be the office printer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("kiosk.toml", []byte(tc.text), checks)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a config.Error", err)
			}
			if ce.File != "kiosk.toml" || ce.Line != tc.line || !strings.Contains(ce.Reason, tc.reason) {
				t.Fatalf("got %q (line %d), want line %d with %q", err, ce.Line, tc.line, tc.reason)
			}
			if tc.line > 0 && !strings.HasPrefix(err.Error(), "kiosk.toml:") {
				t.Fatalf("message %q does not start with file:line", err)
			}
		})
	}
}

func TestMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.toml")
	_, err := Load(path, checks)
	if err == nil || err.Error() != path+": no such file" {
		t.Fatalf("got %v", err)
	}
}

func TestOverrides(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.toml")
	if err := os.WriteFile(path, []byte("profile = \"CA\"\ndata_dir = \"/from/file\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, checks)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{EnvDataDir: "/from/env", EnvProfile: "OH"}
	cfg.Override(func(k string) string { return env[k] })
	if err := cfg.Recheck(checks); err != nil {
		t.Fatal(err)
	}
	if cfg.DataDir != "/from/env" || cfg.Profile != "OH" {
		t.Fatalf("overrides not applied: %+v", cfg)
	}
	env[EnvHideCursor] = "true"
	cfg.Override(func(k string) string { return env[k] })
	if err := cfg.Recheck(checks); err != nil || !cfg.Kiosk.HideCursor {
		t.Fatalf("hide_cursor override not applied: %v, %+v", err, cfg.Kiosk)
	}
	env[EnvHideCursor] = "sometimes"
	cfg.Override(func(k string) string { return env[k] })
	if err := cfg.Recheck(checks); err == nil || err.Error() != `override: KIOSK_HIDE_CURSOR: "sometimes" is not true or false` {
		t.Fatalf("bad hide_cursor override accepted: %v", err)
	}
	env[EnvHideCursor] = ""
	env[EnvLogLevel] = "shout"
	cfg.Override(func(k string) string { return env[k] })
	if err := cfg.Recheck(checks); err == nil || !strings.HasPrefix(err.Error(), "override: log_level") {
		t.Fatalf("bad override accepted: %v", err)
	}
}
