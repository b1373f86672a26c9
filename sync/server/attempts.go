package server

import (
	"container/list"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"sync"

	"childsupportkiosk/sync/protocol"
)

// The attempts endpoint counts sign-in guesses per account across the kiosks of an office, so
// that two kiosks together check no more wrong PINs at an account than the profile allows at
// one. A kiosk counts each guess here before it checks it (protocol.AttemptTry) and clears the
// count when the PIN was right or staff unlocked the account. Accounts arrive as keyed hashes
// under a key of the office that the server hands its kiosks: the server never sees a login,
// and a login nobody has is counted like a real account, so its answers are the same.

func init() { endpoints[protocol.PathAttempts] = true }

// maxAttemptAccounts bounds the accounts counted in memory; the least recently tried goes
// first. A lock that matters outlives it in the account's record, which the kiosk that saw the
// count reach the limit locks and pushes.
const maxAttemptAccounts = 100000

// maxAttemptCount caps a count: far above any profile's limit (at most 100).
const maxAttemptCount = 1000

// attemptBook is the counts, in memory. Its secret is drawn when the server starts, so a
// restart forgets the counts and gives every office a new key (and key ID), which the kiosks
// pick up at their next request.
type attemptBook struct {
	secret [32]byte
	keyID  string

	mu      sync.Mutex
	counts  map[string]*list.Element // office and account → element of order
	order   *list.List               // of *attemptCount, most recently tried first
	maxSize int
}

type attemptCount struct {
	key string
	n   int
}

func newAttemptBook() *attemptBook {
	b := &attemptBook{counts: map[string]*list.Element{}, order: list.New(), maxSize: maxAttemptAccounts}
	rand.Read(b.secret[:]) // never fails (crypto/rand)
	id := sha256.Sum256(append([]byte("attempt-key-id\x00"), b.secret[:]...))
	b.keyID = hex.EncodeToString(id[:8])
	return b
}

// officeKey is the key an office's kiosks hash their accounts with.
func (b *attemptBook) officeKey(office string) []byte {
	mac := hmac.New(sha256.New, b.secret[:])
	mac.Write([]byte("attempts\x00" + office))
	return mac.Sum(nil)
}

// try counts a guess and returns the count, this guess included.
func (b *attemptBook) try(office, account string) int {
	key := office + "\x00" + account
	b.mu.Lock()
	defer b.mu.Unlock()
	if e, ok := b.counts[key]; ok {
		c := e.Value.(*attemptCount)
		c.n = min(c.n+1, maxAttemptCount)
		b.order.MoveToFront(e)
		return c.n
	}
	b.counts[key] = b.order.PushFront(&attemptCount{key: key, n: 1})
	for b.order.Len() > b.maxSize {
		last := b.order.Back()
		b.order.Remove(last)
		delete(b.counts, last.Value.(*attemptCount).key)
	}
	return 1
}

// clear forgets an account's count.
func (b *attemptBook) clear(office, account string) {
	key := office + "\x00" + account
	b.mu.Lock()
	defer b.mu.Unlock()
	if e, ok := b.counts[key]; ok {
		b.order.Remove(e)
		delete(b.counts, key)
	}
}

// validAccount reports whether s is a hex SHA-256 (64 lower-case hex digits).
func validAccount(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// attempts is the endpoint's handler, with a book of its own.
func (a *api) attempts() http.HandlerFunc {
	book := newAttemptBook()
	return a.only(http.MethodPost, a.authed(func(w http.ResponseWriter, r *http.Request, k Kiosk) {
		var req protocol.AttemptRequest
		if status, msg := readJSON(w, r, 1<<10, &req); status != 0 {
			a.fail(w, r, status, protocol.CodeBadRequest, msg)
			return
		}
		if req.KeyID != book.keyID {
			writeJSON(w, protocol.AttemptResponse{KeyID: book.keyID,
				Key: base64.StdEncoding.EncodeToString(book.officeKey(k.Office))})
			return
		}
		if !validAccount(req.Account) {
			a.fail(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "account: a hex HMAC-SHA-256")
			return
		}
		resp := protocol.AttemptResponse{KeyID: book.keyID}
		switch req.Op {
		case protocol.AttemptTry:
			resp.Count = book.try(k.Office, req.Account)
		case protocol.AttemptClear:
			book.clear(k.Office, req.Account)
		default:
			a.fail(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "op: try or clear")
			return
		}
		writeJSON(w, resp)
	}))
}
