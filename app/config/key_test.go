package config

import (
	"errors"
	"strings"
	"testing"
)

// The key source is the TPM unless the file says otherwise; a bad one is refused on its line.
func TestKeySource(t *testing.T) {
	cfg, err := Parse("k.toml", []byte(`profile = "CA"`), checks)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Key.Source != KeyTPM || cfg.Key.TPM != DefaultTPM {
		t.Fatalf("default key %+v", cfg.Key)
	}
	cfg, err = Parse("k.toml", []byte("profile = \"CA\"\n[key]\nsource = \"file\"\nfile = \"/k\"\n"), checks)
	if err != nil || cfg.Key.Source != KeyFile || cfg.Key.File != "/k" {
		t.Fatalf("a key file: %+v %v", cfg.Key, err)
	}
	for text, want := range map[string]string{
		"profile = \"CA\"\n[key]\nsource = \"usb\"\n":                `k.toml:3: key.source: "usb" is not one of`,
		"profile = \"CA\"\n[key]\nsource = \"tpm\"\nfile = \"/k\"\n": `k.toml:4: key.file: is set but key.source is "tpm"`,
	} {
		_, err := Parse("k.toml", []byte(text), checks)
		var ce *Error
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: got %v, want %s", text, err, want)
		}
	}
	env := map[string]string{EnvTPM: "/dev/tpm0"}
	cfg.Override(func(k string) string { return env[k] })
	if cfg.Key.TPM != "/dev/tpm0" {
		t.Fatalf("KIOSK_TPM not applied: %+v", cfg.Key)
	}
}
