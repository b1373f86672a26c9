package main

import (
	"fmt"
	"log/slog"
	"os"

	"childsupportkiosk/app/cache"
	"childsupportkiosk/app/config"
	"childsupportkiosk/app/seal"
)

// configKinds are the keyring kinds each key.source of the settings file stands for.
var configKinds = map[string]string{
	config.KeyTPM:        seal.KindTPM,
	config.KeyPassphrase: seal.KindPassphrase,
	config.KeyFile:       seal.KindKeyFile,
}

// keySource is what unlocks the cache in dir, from what its keyring says it is locked by
// (kind): the TPM, or a key file (keyFile, key.file of the settings, or the one in dir). With
// a settings file, a cache locked otherwise than its key.source says is refused: a kiosk set up
// for the TPM does not quietly run on a key file. A plain key file is logged as a warning (the
// staff status screen says so too). A passphrase cache is not asked for here: it starts locked.
func keySource(dir, kind, keyFile string, cfg *config.Config, logger *slog.Logger) (cache.KeySource, error) {
	if cfg != nil && keyFile == "" && configKinds[cfg.Key.Source] != kind {
		return nil, fmt.Errorf("the cache in %s is locked by a %s, but the settings' key.source is %q (enrol again, or set key.source)",
			dir, kind, cfg.Key.Source)
	}
	switch {
	case keyFile != "":
	case kind == seal.KindTPM:
		device := seal.DefaultTPM
		if cfg != nil {
			device = cfg.Key.TPM // KIOSK_TPM already applied
		} else if d := os.Getenv(config.EnvTPM); d != "" {
			device = d
		}
		return cache.TPM(device), nil
	case cfg != nil && cfg.Key.File != "":
		keyFile = cfg.Key.File
	}
	logger.Warn("the cache key is a plain key file on this disk: for the demo and tests only; enrol with the TPM or a passphrase")
	if keyFile != "" {
		return cache.KeyFile(keyFile), nil
	}
	return cache.DefaultKeyFile(dir), nil
}
