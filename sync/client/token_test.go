package client_test

import (
	"context"
	"errors"
	"testing"

	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/server"
	"childsupportkiosk/sync/syncstate"
)

// failingSave is a store whose saving of the enrolment fails while fail is set: a kiosk that
// stops between the server's new token and its own record of it.
type failingSave struct {
	*memStore
	fail bool
}

func (s *failingSave) SaveEnrolment(e syncstate.Enrolment) error {
	if s.fail {
		return errors.New("disk full")
	}
	return s.memStore.SaveEnrolment(e)
}

// A token rotation that could not save the new token leaves the kiosk with its old one, which
// still works; run again it finishes, every step in order, and the old token is refused.
func TestRotateToken(t *testing.T) {
	w := newWorld(t, 30)
	st := &failingSave{memStore: newMemStore()}
	ctx := context.Background()
	if _, err := client.Enroll(ctx, st, w.url, w.code(t), client.Options{}); err != nil {
		t.Fatal(err)
	}
	first, _ := st.Enrolment()
	st.fail = true
	if err := client.RotateToken(ctx, st, client.Options{}, nil); err == nil {
		t.Fatal("a rotation that could not save its token succeeded")
	}
	cl, err := client.New(st, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Sync(ctx); err != nil {
		t.Fatalf("the old token after a failed rotation: %v", err)
	}
	st.fail = false
	var steps []string
	if err := client.RotateToken(ctx, st, client.Options{}, func(s string) { steps = append(steps, s) }); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 || steps[0] != client.StepTokenIssued || steps[1] != client.StepTokenSaved || steps[2] != client.StepTokenConfirmed {
		t.Fatalf("steps %v", steps)
	}
	now, _ := st.Enrolment()
	if now.Token == first.Token || now.Kiosk != first.Kiosk || now.Server != first.Server {
		t.Fatalf("enrolment after rotation %+v", now)
	}
	if _, err := w.db.Authenticate(first.Token); !errors.Is(err, server.ErrUnauthorized) {
		t.Fatalf("the old token after rotation: %v", err)
	}
	if _, err := cl.Sync(ctx); err != nil {
		t.Fatalf("sync with the new token: %v", err)
	}
}
