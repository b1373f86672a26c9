package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// Steps of RotateToken, as its step hook names them.
const (
	StepTokenIssued    = "token-issued"    // the server answered a new token; not saved yet
	StepTokenSaved     = "token-saved"     // the new token is sealed in the store; not used yet
	StepTokenConfirmed = "token-confirmed" // the server took the new token; the old one is void
)

// RotateToken replaces the kiosk's bearer token: it asks the case server for a new one with the
// current one, saves it in store (the whole enrolment record, read and written back, sealed like
// the rest) before it is ever sent, then uses it once, which ends the old token at the server.
// The server accepts the old token until then, so a kiosk stopped between any two steps keeps a
// token that works, and RotateToken run again finishes. step, if not nil, is called after each
// step with its name.
func RotateToken(ctx context.Context, store syncstate.Store, opts Options, step func(string)) error {
	opts = opts.withDefaults()
	if step == nil {
		step = func(string) {}
	}
	enr, err := store.Enrolment()
	if err != nil {
		return err
	}
	base, err := serverBase(enr.Server, opts.AllowHTTP)
	if err != nil {
		return err
	}
	hc, err := httpClient(opts)
	if err != nil {
		return err
	}
	call := func(method, token string, answer *protocol.TokenResponse) error {
		err := do(ctx, hc, opts.RequestTimeout, request{method: method, url: base + protocol.PathToken,
			token: token, body: bodyFor(method), decode: func(r io.Reader) error {
				if err := json.NewDecoder(io.LimitReader(r, 1<<16)).Decode(answer); err != nil {
					return fmt.Errorf("reading the token answer: %w", err)
				}
				if answer.Kiosk != enr.Kiosk {
					return errors.New("the token answer names another kiosk")
				}
				return nil
			}})
		if errors.Is(err, errRevoked) {
			// As a sync does: a revoked kiosk wipes itself.
			if werr := store.Wipe(); werr != nil {
				return errors.Join(domain.ErrRevoked, fmt.Errorf("wiping the cache: %w", werr))
			}
			return domain.ErrRevoked
		}
		return err
	}
	var issued protocol.TokenResponse
	if err := call(http.MethodPost, enr.Token, &issued); err != nil {
		return err
	}
	if issued.Token == "" {
		return errors.New("the token answer has no token")
	}
	step(StepTokenIssued)
	enr.Token = issued.Token
	if err := store.SaveEnrolment(enr); err != nil {
		return &storeError{"saving the new token", err}
	}
	step(StepTokenSaved)
	var confirmed protocol.TokenResponse
	if err := call(http.MethodGet, enr.Token, &confirmed); err != nil {
		return err
	}
	step(StepTokenConfirmed)
	return nil
}

func bodyFor(method string) []byte {
	if method == http.MethodPost {
		return []byte("{}")
	}
	return nil
}
