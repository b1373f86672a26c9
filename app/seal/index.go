package seal

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
)

// IndexSize is the length of a blind-index token: HMAC-SHA-256 truncated to 128 bits, ample
// against collisions among an office's records and against guessing.
const IndexSize = 16

// Indexer computes blind-index tokens: keyed hashes (HMAC-SHA-256 under an index key of their
// own, never the data key) that let the cache find a row by SSN, participant ID or record ID
// without storing the value. A purpose prefix keeps tokens for different uses apart: an SSN
// and a participant ID with the same digits give different tokens. An Indexer is safe for
// concurrent use.
type Indexer struct {
	pool sync.Pool
}

type indexState struct {
	mac hash.Hash
	buf []byte
	sum []byte
}

// NewIndexer returns an Indexer for a 32-byte index key.
func NewIndexer(key []byte) (*Indexer, error) {
	if len(key) != KeySize {
		return nil, errKeySize
	}
	k := append([]byte(nil), key...)
	x := &Indexer{}
	x.pool.New = func() any {
		return &indexState{mac: hmac.New(sha256.New, k), sum: make([]byte, 0, sha256.Size)}
	}
	return x, nil
}

// Index returns the token of value for purpose ("ssn", "pid", "owner", "row", ...).
func (x *Indexer) Index(purpose, value string) []byte {
	return x.AppendIndex(make([]byte, 0, IndexSize), purpose, value)
}

// AppendIndex appends the token of value for purpose to dst.
func (x *Indexer) AppendIndex(dst []byte, purpose, value string) []byte {
	st := x.pool.Get().(*indexState)
	st.buf = append(append(append(st.buf[:0], purpose...), 0), value...)
	st.mac.Reset()
	st.mac.Write(st.buf)
	st.sum = st.mac.Sum(st.sum[:0])
	dst = append(dst, st.sum[:IndexSize]...)
	clear(st.buf)
	x.pool.Put(st)
	return dst
}
