package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/crypto/argon2"

	"childsupportkiosk/app/domain"
)

// KeyringFormat names the format of a wrapped keyring file. It is also the associated data of
// the wrapping, so a keyring of another format cannot be passed off as this one.
const KeyringFormat = "childsupportkiosk-keyring/1"

// KEKParams are the Argon2id costs of deriving a key-encryption key from an office passphrase:
// 64 MiB, 3 passes, 4 lanes. Unwrapping happens once per start of the kiosk, so it can afford
// far more than a PIN check. They are stored with the wrapped keys.
var KEKParams = Argon2Params{MemoryKiB: 64 * 1024, Time: 3, Threads: 4}

// ErrInsecureKeyFile is returned (wrapped with domain.ErrCacheLocked) for a key file that
// group or others may read or write, or that is not a plain 32-byte file.
var ErrInsecureKeyFile = errors.New("key file must be a 32-byte file readable by its owner only (mode 0600)")

// ErrKeyringExists is returned when creating a keyring over one that is already there.
var ErrKeyringExists = errors.New("a keyring already exists")

// Kinds of key-encryption key, as written in the keyring file.
const (
	KindKeyFile    = "keyfile"  // a plain key file: for the demo and tests only
	KindPassphrase = "argon2id" // an office passphrase
	KindTPM        = "tpm2"     // sealed to the kiosk's TPM 2.0

	kekKeyFile    = KindKeyFile
	kekPassphrase = KindPassphrase
)

// KeySource is where the key-encryption key (KEK) that wraps the cache's keys comes from: the
// kiosk's TPM (TPM), an office passphrase (Passphrase) or a key file (KeyFile).
type KeySource interface {
	// kind is the name written in the keyring file.
	kind() string
	// newKEK makes the KEK for a new keyring and the parameters to store beside it.
	newKEK() ([]byte, kekHeader, error)
	// kek recovers the KEK of an existing keyring.
	kek(h kekHeader) ([]byte, error)
	// shred destroys whatever the source keeps on disk.
	shred() error
}

// kekHeader is what a keyring stores beside its wrapped keys to recover the KEK: the salt and
// costs of a passphrase, or the TPM's sealed object.
type kekHeader struct {
	Argon2 *argonHeader
	TPM    *tpmHeader
}

// KeyFile is a KEK kept in a file of 32 random bytes, mode 0600. Creating a keyring creates the
// file when it is missing; a file that group or others can read is refused.
func KeyFile(path string) KeySource { return keyFile{path} }

// Passphrase is a KEK derived from an office passphrase with Argon2id (KEKParams, random salt).
func Passphrase(passphrase string) KeySource { return passphraseSource{passphrase} }

type keyFile struct{ path string }

func (k keyFile) kind() string { return kekKeyFile }

func (k keyFile) newKEK() ([]byte, kekHeader, error) {
	key, err := k.read()
	if err == nil {
		return key, kekHeader{}, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, kekHeader{}, err
	}
	key = make([]byte, KeySize)
	rand.Read(key)
	if err := writeFileSync(k.path, key, false); err != nil {
		return nil, kekHeader{}, err
	}
	return key, kekHeader{}, nil
}

func (k keyFile) kek(kekHeader) ([]byte, error) { return k.read() }

func (k keyFile) shred() error { return Shred(k.path) }

// read reads the key file after checking that only its owner can use it.
func (k keyFile) read() ([]byte, error) {
	f, err := os.Open(k.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: no key file: %w", domain.ErrCacheLocked, err)
		}
		return nil, fmt.Errorf("%w: %w", domain.ErrCacheLocked, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", domain.ErrCacheLocked, err)
	}
	if !st.Mode().IsRegular() || st.Mode().Perm()&0o077 != 0 || st.Size() != KeySize {
		return nil, fmt.Errorf("%w: %w", domain.ErrCacheLocked, ErrInsecureKeyFile)
	}
	key := make([]byte, KeySize)
	if _, err := io.ReadFull(f, key); err != nil {
		return nil, fmt.Errorf("%w: %w", domain.ErrCacheLocked, err)
	}
	return key, nil
}

type passphraseSource struct{ pass string }

func (p passphraseSource) kind() string { return kekPassphrase }

func (p passphraseSource) newKEK() ([]byte, kekHeader, error) {
	if p.pass == "" {
		return nil, kekHeader{}, errors.New("seal: empty passphrase")
	}
	h := &argonHeader{Salt: make([]byte, 16), Argon2Params: KEKParams}
	rand.Read(h.Salt)
	key, err := p.kek(kekHeader{Argon2: h})
	return key, kekHeader{Argon2: h}, err
}

func (p passphraseSource) kek(kh kekHeader) ([]byte, error) {
	h := kh.Argon2
	if h == nil || len(h.Salt) < 16 || h.MemoryKiB < 8 || h.MemoryKiB > 4<<20 || h.Time < 1 ||
		h.Time > 20 || h.Threads < 1 || h.Threads > 64 {
		return nil, fmt.Errorf("%w: bad passphrase parameters in the keyring", domain.ErrWrongKey)
	}
	return argon2.IDKey([]byte(p.pass), h.Salt, h.Time, h.MemoryKiB, h.Threads, KeySize), nil
}

func (p passphraseSource) shred() error { return nil }

// argonHeader is what a passphrase keyring stores to derive its KEK again.
type argonHeader struct {
	Salt []byte `json:"salt"`
	Argon2Params
}

// keyringFile is the JSON of a wrapped keyring.
type keyringFile struct {
	Format  string       `json:"format"`
	KEK     string       `json:"kek"`
	Argon2  *argonHeader `json:"argon2id,omitempty"`
	TPM     *tpmHeader   `json:"tpm2,omitempty"`
	Version byte         `json:"key_version"`
	Wrapped []byte       `json:"wrapped"` // nonce | AES-256-GCM(data key | index key)
	// Next is a rotation under way (Rotate): the new keys, wrapped by the same KEK, while the
	// database may still be sealed under the current ones.
	Next *wrappedNext `json:"next,omitempty"`
}

// wrappedNext is the keys a rotation moves the cache to.
type wrappedNext struct {
	Version byte   `json:"key_version"`
	Wrapped []byte `json:"wrapped"`
}

func (f *keyringFile) associated() []byte {
	return []byte(f.Format + "\x00" + f.KEK + "\x00" + strconv.Itoa(int(f.Version)))
}

// Keyring holds the cache's two keys, unwrapped: the data key that seals records and the index
// key of the blind index. They are random and never leave the process unwrapped.
type Keyring struct {
	version  byte
	dataKey  []byte
	indexKey []byte
	next     *Keyring // the keys of a rotation under way, or nil
}

// CreateKeyring makes a new keyring with fresh random keys, wraps it with src's KEK and writes
// it to path (mode 0600, synced). It refuses to overwrite an existing keyring.
func CreateKeyring(path string, src KeySource) (*Keyring, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, ErrKeyringExists
	}
	k := &Keyring{version: 1, dataKey: make([]byte, KeySize), indexKey: make([]byte, KeySize)}
	rand.Read(k.dataKey)
	rand.Read(k.indexKey)
	if err := k.write(path, src, false); err != nil {
		k.Close()
		if errors.Is(err, fs.ErrExist) {
			return nil, ErrKeyringExists
		}
		return nil, err
	}
	return k, nil
}

// OpenKeyring reads and unwraps the keyring at path with src's KEK. A key file or passphrase
// that does not fit is domain.ErrWrongKey; a missing or insecure key file is
// domain.ErrCacheLocked. Nothing on disk changes either way.
func OpenKeyring(path string, src KeySource) (*Keyring, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f keyringFile
	if err := json.Unmarshal(b, &f); err != nil || f.Format != KeyringFormat {
		return nil, fmt.Errorf("seal: %s is not a keyring of format %s", filepath.Base(path), KeyringFormat)
	}
	if f.KEK != src.kind() {
		return nil, fmt.Errorf("%w: the keyring is wrapped by a %s, not a %s", domain.ErrWrongKey, f.KEK, src.kind())
	}
	kek, err := src.kek(kekHeader{Argon2: f.Argon2, TPM: f.TPM})
	if err != nil {
		return nil, err
	}
	defer clear(kek)
	aead, err := wrapper(kek)
	if err != nil {
		return nil, err
	}
	keys, err := aead.Open(nil, nil, f.Wrapped, f.associated())
	if err != nil || len(keys) != 2*KeySize {
		return nil, domain.ErrWrongKey
	}
	k := &Keyring{version: f.Version, dataKey: keys[:KeySize:KeySize], indexKey: keys[KeySize:]}
	if f.Next != nil {
		keys, err := aead.Open(nil, nil, f.Next.Wrapped, f.nextAssociated())
		if err != nil || len(keys) != 2*KeySize || f.Next.Version != f.Version+1 {
			k.Close()
			return nil, domain.ErrWrongKey
		}
		k.next = &Keyring{version: f.Next.Version, dataKey: keys[:KeySize:KeySize], indexKey: keys[KeySize:]}
	}
	return k, nil
}

func (f *keyringFile) nextAssociated() []byte {
	return []byte(f.Format + "\x00" + f.KEK + "\x00next\x00" + strconv.Itoa(int(f.Next.Version)))
}

// ErrKeyVersions is returned when a keyring has been rotated so often that its key version,
// one byte, cannot grow: enrol the kiosk again.
var ErrKeyVersions = errors.New("seal: the keyring has no key version left; enrol the kiosk again")

// Next is the keys of a rotation under way (BeginRotation), or nil.
func (k *Keyring) Next() *Keyring { return k.next }

// BeginRotation starts a rotation of the keyring at path: it adds fresh random data and index
// keys, one version up, wrapped by src's KEK beside the current keys, and replaces the file
// atomically. The cache stays sealed under the current keys until it is re-sealed under the
// new ones (a single database transaction); FinishRotation then drops the old keys. A rotation
// already begun is kept: its keys are returned again. The returned keyring holds both.
func BeginRotation(path string, src KeySource) (*Keyring, error) {
	k, err := OpenKeyring(path, src)
	if err != nil {
		return nil, err
	}
	if k.next != nil {
		return k, nil
	}
	if k.version == 255 {
		k.Close()
		return nil, ErrKeyVersions
	}
	k.next = &Keyring{version: k.version + 1, dataKey: make([]byte, KeySize), indexKey: make([]byte, KeySize)}
	rand.Read(k.next.dataKey)
	rand.Read(k.next.indexKey)
	if err := k.write(path, src, true); err != nil {
		k.Close()
		return nil, err
	}
	return k, nil
}

// FinishRotation ends a rotation of the keyring at path once the cache is sealed under the
// new keys: they become the current ones and the old ones are gone from the file, which is
// replaced atomically. Without a rotation under way it does nothing.
func FinishRotation(path string, src KeySource) error {
	k, err := OpenKeyring(path, src)
	if err != nil {
		return err
	}
	defer k.Close()
	if k.next == nil {
		return nil
	}
	return k.next.write(path, src, true)
}

// Rewrap wraps the keyring at path with a new KEK (a new passphrase, or a move between key
// file and passphrase), replacing the file atomically. The data and index keys stay the same,
// so the cache needs no re-encryption. A key file the old source used is not removed.
func Rewrap(path string, old, src KeySource) error {
	k, err := OpenKeyring(path, old)
	if err != nil {
		return err
	}
	defer k.Close()
	return k.write(path, src, true)
}

func (k *Keyring) write(path string, src KeySource, replace bool) error {
	kek, h, err := src.newKEK()
	if err != nil {
		return err
	}
	defer clear(kek)
	aead, err := wrapper(kek)
	if err != nil {
		return err
	}
	f := keyringFile{Format: KeyringFormat, KEK: src.kind(), Argon2: h.Argon2, TPM: h.TPM, Version: k.version}
	plain := append(append(make([]byte, 0, 2*KeySize), k.dataKey...), k.indexKey...)
	f.Wrapped = aead.Seal(nil, nil, plain, f.associated())
	if n := k.next; n != nil {
		f.Next = &wrappedNext{Version: n.version}
		plain = append(append(plain[:0], n.dataKey...), n.indexKey...)
		f.Next.Wrapped = aead.Seal(nil, nil, plain, f.nextAssociated())
	}
	clear(plain)
	b, err := json.MarshalIndent(&f, "", "  ")
	if err != nil {
		return err
	}
	return writeFileSync(path, append(b, '\n'), replace)
}

func wrapper(kek []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// Version is the data key's version.
func (k *Keyring) Version() byte { return k.version }

// Sealer returns a Sealer over the data key.
func (k *Keyring) Sealer() (*Sealer, error) { return NewSealer(k.dataKey, k.version) }

// Indexer returns an Indexer over the index key.
func (k *Keyring) Indexer() (*Indexer, error) { return NewIndexer(k.indexKey) }

// Equal reports whether two keyrings hold the same keys (for tests and checks).
func (k *Keyring) Equal(o *Keyring) bool {
	return k.version == o.version && subtle.ConstantTimeCompare(k.dataKey, o.dataKey) == 1 &&
		subtle.ConstantTimeCompare(k.indexKey, o.indexKey) == 1
}

// Close zeroes the keys held in memory. Sealers and Indexers made earlier keep their own
// expanded copies until they are dropped.
func (k *Keyring) Close() {
	clear(k.dataKey)
	clear(k.indexKey)
	if k.next != nil {
		k.next.Close()
	}
}

// ShredKeyring crypto-shreds a keyring: the keyring file and, for a key file source, the key
// file are overwritten with random bytes, synced and removed. Without them nothing sealed under
// the keyring can be opened again. Missing files are not an error.
func ShredKeyring(path string, src KeySource) error {
	err := Shred(path)
	if src != nil {
		err = errors.Join(err, src.shred())
	}
	return err
}

// Shred overwrites the file at path with random bytes, syncs it, removes it and syncs its
// directory. A missing file is not an error. (On journalling or copy-on-write file systems and
// flash, old blocks may survive an overwrite; that is why the keys are wrapped and small: the
// overwrite is a best effort, the removal of the only copy of the wrapped keys is the point.)
func Shred(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err == nil && st.Mode().IsRegular() {
		noise := make([]byte, 32<<10)
		for left := st.Size(); left > 0 && err == nil; {
			n := min(left, int64(len(noise)))
			rand.Read(noise[:n])
			_, err = f.Write(noise[:n])
			left -= n
		}
		if err == nil {
			err = f.Sync()
		}
	}
	err = errors.Join(err, f.Close())
	if rerr := os.Remove(path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = errors.Join(err, rerr)
	}
	return errors.Join(err, syncDir(filepath.Dir(path)))
}

// writeFileSync writes b to path with mode 0600 through a temporary file that is synced and
// renamed, so the file is either whole or absent. Without replace it refuses an existing file.
func writeFileSync(path string, b []byte, replace bool) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name)
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(b)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if replace {
		err = os.Rename(name, path)
	} else {
		// A hard link fails when path exists: no race with another creator. Where the file
		// system has no hard links, check and rename.
		err = os.Link(name, path)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			if _, serr := os.Lstat(path); serr == nil {
				err = fs.ErrExist
			} else {
				err = os.Rename(name, path)
			}
		}
		if errors.Is(err, fs.ErrExist) {
			err = fmt.Errorf("seal: %s: %w", filepath.Base(path), fs.ErrExist)
		}
	}
	if err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// KindOf is the kind of KEK src gives: KindTPM, KindPassphrase or KindKeyFile.
func KindOf(src KeySource) string { return src.kind() }

// Kind reads which kind of KEK wraps the keyring at path (KindTPM, KindPassphrase or
// KindKeyFile), from its header only.
func Kind(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var f keyringFile
	if err := json.Unmarshal(b, &f); err != nil || f.Format != KeyringFormat {
		return "", fmt.Errorf("seal: %s is not a keyring of format %s", filepath.Base(path), KeyringFormat)
	}
	return f.KEK, nil
}

// NeedsPassphrase reports whether the keyring at path is wrapped by an office passphrase
// rather than a key file: the kiosk then starts locked until a supervisor enters it. It reads
// only the keyring's header, never a key.
func NeedsPassphrase(path string) (bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	var f keyringFile
	if err := json.Unmarshal(b, &f); err != nil || f.Format != KeyringFormat {
		return false, fmt.Errorf("seal: %s is not a keyring of format %s", filepath.Base(path), KeyringFormat)
	}
	return f.KEK == kekPassphrase, nil
}
