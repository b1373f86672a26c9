package seal_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/seal/swtpmtest"
)

// A keyring sealed to one TPM opens on it, again after the TPM restarts, and on no other TPM.
func TestTPMKeyringBoundToItsTPM(t *testing.T) {
	dir := t.TempDir()
	tpmA, stopA := swtpmtest.Start(t, filepath.Join(dir, "tpm-a"))
	ring := filepath.Join(dir, "keyring.json")
	k, err := seal.CreateKeyring(ring, seal.TPM(tpmA))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if kind, err := seal.Kind(ring); err != nil || kind != seal.KindTPM {
		t.Fatalf("kind %q, %v", kind, err)
	}
	start := time.Now()
	again, err := seal.OpenKeyring(ring, seal.TPM(tpmA))
	if err != nil {
		t.Fatalf("the same TPM: %v", err)
	}
	t.Logf("unsealed in %s", time.Since(start).Round(time.Millisecond))
	if !again.Equal(k) {
		t.Fatal("the same TPM gave other keys")
	}
	again.Close()

	// The same TPM, restarted on its state: still opens.
	stopA()
	tpmA2, _ := swtpmtest.Start(t, filepath.Join(dir, "tpm-a"))
	if again, err = seal.OpenKeyring(ring, seal.TPM(tpmA2)); err != nil {
		t.Fatalf("the same TPM restarted: %v", err)
	}
	again.Close()

	// Another TPM (another machine): nothing.
	tpmB, _ := swtpmtest.Start(t, filepath.Join(dir, "tpm-b"))
	if _, err := seal.OpenKeyring(ring, seal.TPM(tpmB)); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("another TPM opened the keyring: %v", err)
	}
	// No TPM at all: locked, not wrong.
	if _, err := seal.OpenKeyring(ring, seal.TPM(filepath.Join(dir, "no-tpm"))); !errors.Is(err, domain.ErrCacheLocked) {
		t.Fatalf("without a TPM: %v", err)
	}
	// A key file or passphrase does not open a TPM keyring.
	if _, err := seal.OpenKeyring(ring, seal.Passphrase("x")); !errors.Is(err, domain.ErrWrongKey) {
		t.Fatalf("a passphrase: %v", err)
	}
}

// A rotation keeps both key sets until it is finished, then only the new one, one version up.
func TestKeyringRotation(t *testing.T) {
	dir := t.TempDir()
	ring := filepath.Join(dir, "keyring.json")
	src := seal.KeyFile(filepath.Join(dir, "kiosk.key"))
	k, err := seal.CreateKeyring(ring, src)
	if err != nil {
		t.Fatal(err)
	}
	both, err := seal.BeginRotation(ring, src)
	if err != nil {
		t.Fatal(err)
	}
	if !both.Equal(k) || both.Next() == nil || both.Next().Version() != k.Version()+1 || both.Next().Equal(k) {
		t.Fatal("a rotation must keep the current keys and add new ones one version up")
	}
	again, err := seal.BeginRotation(ring, src)
	if err != nil || !again.Next().Equal(both.Next()) {
		t.Fatalf("a rotation begun again must keep its keys: %v", err)
	}
	if err := seal.FinishRotation(ring, src); err != nil {
		t.Fatal(err)
	}
	done, err := seal.OpenKeyring(ring, src)
	if err != nil {
		t.Fatal(err)
	}
	if !done.Equal(both.Next()) || done.Next() != nil {
		t.Fatal("a finished rotation must hold only the new keys")
	}
}
