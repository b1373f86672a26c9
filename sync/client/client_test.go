package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/sync/client"
	"childsupportkiosk/sync/protocol"
	"childsupportkiosk/sync/syncstate"
)

// The tests in this file run the client against the real case server (sync/server) with demo
// data, on loopback, syncing into the real encrypted cache (app/cache).

func TestEnrolAndFullSync(t *testing.T) {
	w := newWorld(t, 120)
	opts := fast()
	opts.BatchSize = 1000
	var events []syncstate.Progress
	opts.Progress = func(p syncstate.Progress) { events = append(events, p) }
	c, cl, _ := w.kiosk(t, w.url, opts)
	if e, err := c.Enrolment(); err != nil || e.Office != w.office || e.Token == "" {
		t.Fatalf("enrolment %+v %v", e, err)
	}
	res, err := cl.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	f := w.readFeed(t, opts.BatchSize)
	t.Logf("feed: %v; sync took %v", f, res.Took)
	if res.Pulled != f.total || res.Cursor != f.end() || res.Batches != len(f.bounds)-1 {
		t.Fatalf("result %+v, feed %v", res, f)
	}
	if !sameCounts(t, c, f.counts[f.end()]) {
		t.Fatal("no record counts after a complete sync")
	}
	if len(events) != res.Batches || events[len(events)-1].More || events[len(events)-1].Cursor != f.end() {
		t.Fatalf("%d progress events for %d batches, last %+v", len(events), res.Batches, events[len(events)-1])
	}
	st, _ := c.Status()
	if st.LastSuccess.IsZero() || st.LastError != "" || st.Cursor != f.end() {
		t.Fatalf("status %+v", st)
	}
	s := w.samples[0]
	if p, err := c.FindParticipant(s.Participant); err != nil || !seal.VerifyPIN(p.PIN.Verifier, s.PIN) {
		t.Fatalf("sample participant after sync: %v", err)
	}

	// Nothing new: nothing is applied and the cursor stays.
	before := w.fingerprint(t, c)
	res, err = cl.Sync(t.Context())
	if err != nil || res.Pulled != 0 || res.Batches != 0 || res.Cursor != f.end() {
		t.Fatalf("re-sync: %+v %v", res, err)
	}
	if w.fingerprint(t, c) != before {
		t.Fatal("a re-sync with nothing new changed the cache")
	}
}

func TestIncrementalSync(t *testing.T) {
	w := newWorld(t, 80)
	c, cl, _ := w.kiosk(t, w.url, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	start, _ := c.Cursor()

	// The agency's next export: one payment corrected, one added, a participant renamed.
	e := w.export
	pay := &e.Payments[0]
	pay.Amount += 100
	pay.Allocation.Current += 100
	added := e.Payments[1]
	added.ID += "-N"
	e.Payments = append(e.Payments, added)
	renamed := &e.Participants[0]
	renamed.Name = "Renamed Person"
	if _, err := w.db.Import(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	res, err := cl.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	f := w.readFeed(t, 1000)
	if res.Pulled == 0 || res.Pulled > 20 || res.Cursor != f.end() || res.Cursor <= start {
		t.Fatalf("incremental sync %+v from cursor %d, feed %v", res, start, f)
	}
	if !sameCounts(t, c, f.counts[f.end()]) {
		t.Fatal("no record counts after a complete sync")
	}
	made, err := c.PaymentsMade(pay.Payer)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, p := range made {
		if p.ID == pay.ID && p.Amount == pay.Amount {
			found++
		}
		if p.ID == added.ID {
			found++
		}
	}
	if found != 2 {
		t.Fatalf("the corrected and the added payment: %d of 2 found", found)
	}
	if p, err := c.FindParticipant(renamed.ID); err != nil || p.Name != "Renamed Person" {
		t.Fatalf("renamed participant: %v", err)
	}
}

func TestPushAppliedOnceWhenTheAnswerIsLost(t *testing.T) {
	w := newWorld(t, 40)
	proxy := newFaultProxy(t, w.url)
	c, cl, _ := w.kiosk(t, proxy.URL, fast())
	e, _ := c.Enrolment()
	for i := range 3 {
		ev := domain.AuditEvent{At: time.Now().UTC(), Kiosk: e.Kiosk, Action: "signin", Detail: "test" + string(rune('a'+i))}
		if err := c.Send(domain.SendAudit, ev); err != nil {
			t.Fatal(err)
		}
	}
	proxy.add(rule{path: protocol.PathPush, after: -1, fault: dropResponse, times: 1})
	res, err := cl.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if proxy.hit(dropResponse) != 1 || res.Pushed != 3 {
		t.Fatalf("pushed %d, %d answers dropped", res.Pushed, proxy.hit(dropResponse))
	}
	got, err := w.db.AuditEvents(e.Kiosk)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("the server holds %d audit events, want 3", len(got))
	}
	if st, _ := c.Status(); st.PendingOutbox != 0 {
		t.Fatalf("outbox still holds %d", st.PendingOutbox)
	}
}

func TestLocalPINSurvivesDownloadUntilPushed(t *testing.T) {
	w := newWorld(t, 40)
	proxy := newFaultProxy(t, w.url)
	c, cl, _ := w.kiosk(t, proxy.URL, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	s := w.samples[0]
	p, err := c.FindParticipant(s.Participant)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := seal.HashPIN("480753")
	if err != nil {
		t.Fatal(err)
	}
	pin := domain.PIN{Verifier: verifier, Version: p.PIN.Version + 1, IssuedBy: "kiosk:test"}
	if err := c.UpdatePIN(p.ID, pin); err != nil {
		t.Fatal(err)
	}

	// The agency renames the participant while the PIN change cannot be sent.
	for i := range w.export.Participants {
		if w.export.Participants[i].ID == p.ID {
			w.export.Participants[i].Name = "New Name"
		}
	}
	if _, err := w.db.Import(t.Context(), w.export); err != nil {
		t.Fatal(err)
	}
	proxy.add(rule{path: protocol.PathPush, after: -1, fault: answer503, times: -1})
	res, err := cl.Sync(t.Context())
	var se *client.ServerError
	if !errors.As(err, &se) || se.Status != http.StatusServiceUnavailable || res.Pulled == 0 {
		t.Fatalf("sync with the push refused: %+v %v", res, err)
	}
	got, err := c.FindParticipant(p.ID)
	if err != nil || got.PIN.Verifier != verifier {
		t.Fatalf("the download overwrote the unsent PIN change (%v)", err)
	}
	if st, _ := c.Status(); st.PendingOutbox != 1 || !strings.Contains(st.LastError, "503") {
		t.Fatalf("status %+v", st)
	}

	proxy.clear()
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	onServer, err := w.db.Participant(p.ID)
	if err != nil || onServer.PIN.Verifier != verifier || onServer.Name != "New Name" {
		t.Fatalf("server after the push: %v", err)
	}
	got, err = c.FindParticipant(p.ID)
	if err != nil || got.PIN.Verifier != verifier || got.Name != "New Name" || got.PIN.Version != pin.Version {
		t.Fatalf("the kiosk did not converge: %v", err)
	}
	if st, _ := c.Status(); st.PendingOutbox != 0 {
		t.Fatalf("outbox still holds %d", st.PendingOutbox)
	}
}

func TestRevokedKioskWipesItself(t *testing.T) {
	w := newWorld(t, 40)
	c, cl, dir := w.kiosk(t, w.url, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	e, _ := c.Enrolment()
	if err := w.db.Revoke(e.Kiosk); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Sync(t.Context()); !errors.Is(err, domain.ErrRevoked) {
		t.Fatalf("sync of a revoked kiosk: %v", err)
	}
	if left := files(t, dir); len(left) != 0 {
		t.Fatalf("files left after the wipe: %v", left)
	}
}

func TestServerDownIsOfflineAndChangesNothing(t *testing.T) {
	w := newWorld(t, 40)
	c, cl, _ := w.kiosk(t, w.url, fast())
	if _, err := cl.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	before := w.fingerprint(t, c)
	w.srv.Close()
	_, err := cl.Sync(t.Context())
	if !errors.Is(err, domain.ErrOffline) {
		t.Fatalf("sync with the server down: %v", err)
	}
	if w.fingerprint(t, c) != before {
		t.Fatal("a failed sync changed the cache")
	}
	st, _ := c.Status()
	if st.LastError == "" || st.LastAttempt.Before(st.LastSuccess) || st.LastSuccess.IsZero() {
		t.Fatalf("status after the failure %+v", st)
	}
	if _, err := client.Enroll(context.Background(), newMemStore(), w.url, "ANY", fast()); !errors.Is(err, domain.ErrOffline) {
		t.Fatalf("enrol with the server down: %v", err)
	}
}
