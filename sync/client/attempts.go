package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// DefaultAttemptTimeout bounds one question to the attempts endpoint. A sign-in waits for it
// (off the UI goroutine), so a slow or silent network costs a person at most this long before
// the kiosk goes by its own count; on the office's network the answer takes milliseconds.
const DefaultAttemptTimeout = 2 * time.Second

// Attempts counts sign-in guesses at the case server across the kiosks of the office: it
// implements session.Attempts. Each account is sent as an HMAC-SHA-256 under the office's key,
// which the server hands out on the first request (and again after it restarts), so every
// kiosk of the office names an account alike and the server never sees what was typed. It
// asks once, without retries: a guess is not held up by a server that does not answer.
type Attempts struct {
	c       *Client
	timeout time.Duration

	mu    sync.Mutex
	keyID string
	key   domain.Keyed
}

// Attempts returns the client's counter of sign-in guesses; timeout bounds each request
// (DefaultAttemptTimeout when 0).
func (c *Client) Attempts(timeout time.Duration) *Attempts {
	if timeout <= 0 {
		timeout = DefaultAttemptTimeout
	}
	return &Attempts{c: c, timeout: timeout}
}

// Try counts a guess at account before it is checked and returns the office's count, this
// guess included.
func (a *Attempts) Try(ctx context.Context, account string) (int, error) {
	return a.ask(ctx, protocol.AttemptTry, account)
}

// Clear starts the account's count at the server again.
func (a *Attempts) Clear(ctx context.Context, account string) error {
	_, err := a.ask(ctx, protocol.AttemptClear, account)
	return err
}

// maxAttemptAnswer bounds the body of an answer.
const maxAttemptAnswer = 4 << 10

func (a *Attempts) ask(ctx context.Context, op, account string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	enr, err := a.c.store.Enrolment()
	if err != nil {
		return 0, err
	}
	base, err := serverBase(enr.Server, a.c.opts.AllowHTTP)
	if err != nil {
		return 0, err
	}
	for range 2 { // a second time only with the key the first answer handed out
		a.mu.Lock()
		req := protocol.AttemptRequest{KeyID: a.keyID, Op: op}
		if a.keyID != "" {
			req.Account = a.key.Sum(account)
		}
		a.mu.Unlock()
		body, err := json.Marshal(req)
		if err != nil {
			return 0, err
		}
		var answer protocol.AttemptResponse
		err = do(ctx, a.c.http, a.timeout, request{method: http.MethodPost, url: base + protocol.PathAttempts,
			token: enr.Token, body: body, decode: func(r io.Reader) error {
				return json.NewDecoder(io.LimitReader(r, maxAttemptAnswer)).Decode(&answer)
			}})
		var rv *revocation
		if errors.As(err, &rv) {
			keys := &keyring{enr: enr}
			if verr := keys.verifyRevocation(rv, a.c.opts.Now()); verr != nil {
				return 0, verr // forged on the way: the kiosk goes by its own count
			}
			return 0, domain.ErrRevoked // the sync's next run wipes the cache
		}
		if err != nil {
			return 0, err
		}
		if answer.Key == "" {
			if answer.KeyID != req.KeyID {
				return 0, fmt.Errorf("attempts: an answer for key %q to a request with %q", answer.KeyID, req.KeyID)
			}
			return answer.Count, nil
		}
		key, err := base64.StdEncoding.DecodeString(answer.Key)
		if err != nil || len(key) < 16 || answer.KeyID == "" {
			return 0, errors.New("attempts: the server's key is not usable")
		}
		a.mu.Lock()
		a.keyID, a.key = answer.KeyID, domain.KeyedWith(key)
		a.mu.Unlock()
	}
	return 0, errors.New("attempts: the server kept changing its key")
}
