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
)

// Enroll registers the kiosk with the case server using a one-time code from IT, and saves the
// identity it gets in store. It tries once: a code is spent by the server's first answer, and a
// person is there to try again. Errors: ErrAlreadyEnrolled; domain.ErrEnrolmentCode for a
// wrong, used or expired code; domain.ErrOffline when the server cannot be reached. On any
// error nothing is saved.
func Enroll(ctx context.Context, store Store, serverURL, code string, opts Options) (Enrolment, error) {
	opts = opts.withDefaults()
	switch _, err := store.Enrolment(); {
	case err == nil:
		return Enrolment{}, ErrAlreadyEnrolled
	case !errors.Is(err, domain.ErrNotEnrolled):
		return Enrolment{}, &storeError{"reading the enrolment", err}
	}
	base, err := serverBase(serverURL, opts.AllowHTTP)
	if err != nil {
		return Enrolment{}, err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return Enrolment{}, domain.ErrEnrolmentCode
	}
	hc, err := httpClient(opts)
	if err != nil {
		return Enrolment{}, err
	}
	body, err := json.Marshal(protocol.EnrollRequest{Code: code, Name: opts.Name})
	if err != nil {
		return Enrolment{}, err
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
			return nil
		}})
	if err != nil {
		return Enrolment{}, err
	}
	enr := Enrolment{Server: base, Kiosk: answer.Kiosk, Token: answer.Token,
		Office: answer.Office, Profile: answer.Profile, Enrolled: opts.Now().UTC()}
	if err := store.SaveEnrolment(enr); err != nil {
		return Enrolment{}, &storeError{"saving the enrolment", err}
	}
	return enr, nil
}
