package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"

	"childsupportkiosk/app/domain"
)

// KeySize is the size of every key in this package: AES-256 and HMAC-SHA-256 keys alike.
const KeySize = 32

// NonceSize is the size of the random GCM nonce inside every sealed record.
const NonceSize = 12

// Overhead is how many bytes sealing adds to a plaintext: the key version, the nonce and the
// GCM tag.
const Overhead = 1 + NonceSize + 16

// Sealer encrypts records with AES-256-GCM under one data key. A sealed record is
//
//	key version (1 byte) | random nonce (12 bytes) | GCM ciphertext and tag
//
// and its associated data binds it to the key version, its table and its row key, so a record
// copied to another row or table does not open. A Sealer is safe for concurrent use.
type Sealer struct {
	aead    cipher.AEAD
	version byte
}

// NewSealer returns a Sealer for a 32-byte data key with the given key version.
func NewSealer(key []byte, version byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: data key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	// The standard library draws the nonce itself: the FIPS 140-3 approved way to use GCM.
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, version: version}, nil
}

// Version is the key version written into every record this Sealer seals.
func (s *Sealer) Version() byte { return s.version }

// Seal encrypts plaintext for row row of table table.
func (s *Sealer) Seal(table string, row, plaintext []byte) []byte {
	return s.AppendSeal(make([]byte, 0, len(plaintext)+Overhead), table, row, plaintext)
}

// AppendSeal is Seal that appends the sealed record to dst, so a caller can reuse a buffer.
func (s *Sealer) AppendSeal(dst []byte, table string, row, plaintext []byte) []byte {
	var buf [96]byte
	ad := associated(buf[:0], s.version, table, row)
	dst = append(dst, s.version)
	return s.aead.Seal(dst, nil, plaintext, ad)
}

// Open decrypts a record sealed for row row of table table. Any failure, a wrong key version,
// a record moved from another row or table, a flipped bit, is domain.ErrCorruptRecord.
func (s *Sealer) Open(table string, row, sealed []byte) ([]byte, error) {
	return s.AppendOpen(nil, table, row, sealed)
}

// AppendOpen is Open that appends the plaintext to dst.
func (s *Sealer) AppendOpen(dst []byte, table string, row, sealed []byte) ([]byte, error) {
	if len(sealed) < Overhead || sealed[0] != s.version {
		return dst, domain.ErrCorruptRecord
	}
	var buf [96]byte
	ad := associated(buf[:0], s.version, table, row)
	out, err := s.aead.Open(dst, nil, sealed[1:], ad)
	if err != nil {
		return dst, domain.ErrCorruptRecord
	}
	return out, nil
}

// associated builds the associated data: a label, the key version, then the table and the row,
// each length-prefixed so that no two (table, row) pairs give the same bytes.
func associated(dst []byte, version byte, table string, row []byte) []byte {
	dst = append(dst, "csk-record"...)
	dst = append(dst, version)
	dst = binary.AppendUvarint(dst, uint64(len(table)))
	dst = append(dst, table...)
	dst = binary.AppendUvarint(dst, uint64(len(row)))
	return append(dst, row...)
}

var errKeySize = errors.New("seal: key must be 32 bytes")
