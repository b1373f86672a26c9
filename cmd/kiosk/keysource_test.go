package main

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/config"
	"childsupportkiosk/app/seal/swtpmtest"
)

// A kiosk with settings takes the TPM by default and refuses a cache on a plain key file unless
// the settings say "file"; without settings it follows the cache, and a key file is logged as
// a warning either way.
func TestKioskKeySource(t *testing.T) {
	root := t.TempDir()
	sock, _ := swtpmtest.Start(t, filepath.Join(root, "tpm"))
	tpmDir, fileDir := filepath.Join(root, "tpm-cache"), filepath.Join(root, "file-cache")
	c, err := cache.Create(tpmDir, cache.TPM(sock))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if c, err = cache.Create(fileDir, cache.DefaultKeyFile(fileDir)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	var log bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&log, nil))
	settings := func(source string) *config.Config {
		return &config.Config{Key: config.Key{Source: source, TPM: sock}}
	}
	open := func(dir string, cfg *config.Config) error {
		kind, err := cache.KeyKind(dir)
		if err != nil {
			return err
		}
		src, err := keySource(dir, kind, "", cfg, logger)
		if err != nil {
			return err
		}
		c, err := cache.Open(dir, src)
		if err == nil {
			c.Close()
		}
		return err
	}
	if err := open(tpmDir, settings(config.KeyTPM)); err != nil {
		t.Fatalf("a TPM cache with the default settings: %v", err)
	}
	if log.Len() != 0 {
		t.Fatalf("a TPM cache logged %q", log.String())
	}
	if err := open(fileDir, settings(config.KeyTPM)); err == nil || !strings.Contains(err.Error(), "key.source") {
		t.Fatalf("a key-file cache under settings for the TPM: %v", err)
	}
	if err := open(fileDir, settings(config.KeyFile)); err != nil {
		t.Fatalf("a key-file cache under settings for a file: %v", err)
	}
	if !strings.Contains(log.String(), "plain key file") {
		t.Fatalf("a key-file cache was not warned of: %q", log.String())
	}
	if err := open(fileDir, nil); err != nil {
		t.Fatalf("a key-file cache without settings: %v", err)
	}
	if err := open(tpmDir, settings(config.KeyPassphrase)); err == nil {
		t.Fatal("a TPM cache under settings for a passphrase")
	}
}
