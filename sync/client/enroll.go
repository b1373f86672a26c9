package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// Enroll registers the kiosk with the case server using a one-time code from IT, and saves the
// identity it gets in store, with the server's signing key pinned: the answer comes over TLS in
// exchange for the code, and every later answer must verify under that key. It tries once: a code is spent by the server's first answer, and a
// person is there to try again. Errors: ErrAlreadyEnrolled; domain.ErrEnrolmentCode for a
// wrong, used or expired code; domain.ErrOffline when the server cannot be reached. On any
// error nothing is saved.
func Enroll(ctx context.Context, store syncstate.Store, serverURL, code string, opts Options) (syncstate.Enrolment, error) {
	opts = opts.withDefaults()
	switch _, err := store.Enrolment(); {
	case err == nil:
		return syncstate.Enrolment{}, ErrAlreadyEnrolled
	case !errors.Is(err, domain.ErrNotEnrolled):
		return syncstate.Enrolment{}, &storeError{"reading the enrolment", err}
	}
	base, err := serverBase(serverURL, opts.AllowHTTP)
	if err != nil {
		return syncstate.Enrolment{}, err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return syncstate.Enrolment{}, domain.ErrEnrolmentCode
	}
	hc, err := httpClient(opts)
	if err != nil {
		return syncstate.Enrolment{}, err
	}
	body, err := json.Marshal(protocol.EnrollRequest{Code: code, Name: opts.Name})
	if err != nil {
		return syncstate.Enrolment{}, err
	}
	var answer protocol.EnrollResponse
	err = do(ctx, hc, opts.RequestTimeout, request{method: http.MethodPost,
		url: base + protocol.PathEnroll, body: body, decode: func(r io.Reader) error {
			if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&answer); err != nil {
				return fmt.Errorf("reading the enrolment answer: %w", err)
			}
			if answer.Kiosk == "" || answer.Token == "" || answer.Office == "" {
				return errors.New("the enrolment answer lacks the kiosk, token or office")
			}
			if _, err := answer.Key.Key(); err != nil {
				return fmt.Errorf("the enrolment answer lacks the server's signing key: %w", err)
			}
			if n := answer.NextKey; n != nil {
				if _, err := n.Key(); err != nil || n.From <= 0 {
					return errors.New("the enrolment answer's next signing key is not usable")
				}
			}
			return nil
		}})
	if err != nil {
		return syncstate.Enrolment{}, err
	}
	enr := syncstate.Enrolment{Server: base, Kiosk: answer.Kiosk, Token: answer.Token,
		Office: answer.Office, Profile: answer.Profile, Enrolled: opts.Now().UTC(),
		Key: protocol.ServerKey{ID: answer.Key.ID, Public: answer.Key.Public}}
	if answer.NextKey != nil {
		enr.NextKey = *answer.NextKey
	}
	if err := store.SaveEnrolment(enr); err != nil {
		return syncstate.Enrolment{}, &storeError{"saving the enrolment", err}
	}
	return enr, nil
}
