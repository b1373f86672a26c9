package ui

import (
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/namefold"
	"childsupportkiosk/app/seal"
	"childsupportkiosk/app/session"
	"childsupportkiosk/app/ui/demoenv"
	"childsupportkiosk/sync/demo"
)

// holdAgencyName presses the agency's name, moves the clock by held and lifts the finger.
func (r *rig) holdAgencyName(t testing.TB, held time.Duration) {
	t.Helper()
	var h *holdArea
	walk(r.c, func(o fyne.CanvasObject, visible bool) {
		if x, ok := o.(*holdArea); ok && visible {
			h = x
		}
	})
	if h == nil {
		t.Fatal("the agency's name cannot be held on this screen")
	}
	h.MouseDown(nil)
	r.clock.Add(held)
	h.MouseUp(nil)
}

// staffLogin is the demo env's staff sign-in of a role.
func staffLogin(t testing.TB, env *demoenv.Env, role domain.StaffRole) demo.StaffLogin {
	t.Helper()
	for _, s := range env.Staff {
		if s.Role == role {
			return s
		}
	}
	t.Fatalf("the demo office has no %s", role)
	return demo.StaffLogin{}
}

// enterStaff opens staff mode the hidden way and signs in, typing as on a keyboard.
func (r *rig) enterStaff(t testing.TB, id, password string) {
	t.Helper()
	r.holdAgencyName(t, staffHold)
	mustHave(t, r.c, r.tr("ui.staff.signin_title"))
	test.TypeOnCanvas(r.c, strings.ToLower(id))
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.TypeOnCanvas(r.c, password)
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.k.bridge.wait()
}

// search types a query into staff search and runs it.
func (r *rig) search(t testing.TB, q string) {
	t.Helper()
	if r.k.screen != scrStaff {
		tap(t, r.c, r.tr("ui.staff.search"))
	}
	tapRowWith(t, r.c, r.tr("ui.staff.query"))
	tap(t, r.c, r.tr("ui.key.back")) // the field may hold the last query: clear it
	r.k.staffKey(keyClear)
	test.TypeOnCanvas(r.c, q)
	tap(t, r.c, r.tr("ui.staff.find"))
}

func TestStaffModeIsHiddenAndLocksOut(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	fd := staffLogin(t, env, domain.FrontDesk)

	// A short touch on the agency's name does nothing.
	r.holdAgencyName(t, time.Second)
	mustHave(t, r.c, r.tr("ui.welcome.title"))
	mustNotHave(t, r.c, r.tr("ui.staff.signin_title"))

	// Nor does a long one while a parent is signed in: the header is the same on every screen,
	// but staff mode opens from the welcome screen only.
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	if r.k.screen != scrHome {
		t.Fatalf("screen %q after sign-in", r.k.screen)
	}
	r.holdAgencyName(t, staffHold)
	if r.k.screen != scrHome || r.k.staff != nil {
		t.Fatalf("holding the agency name while signed in: screen %q, staff %v", r.k.screen, r.k.staff != nil)
	}
	tap(t, r.c, r.tr("ui.sign_out"))

	// A wrong password is refused like a parent's PIN; enough of them lock the account.
	for i := 0; i < env.Profile.MaxFailures-1; i++ {
		r.k.st = staffState{}
		r.enterStaff(t, fd.Staff, "not-the-password")
		mustHave(t, r.c, r.k.lang.Problem(domain.ErrSignInFailed))
		tap(t, r.c, r.tr("ui.form.cancel"))
	}
	r.enterStaff(t, fd.Staff, fd.Password) // the right one resets the count
	mustHave(t, r.c, r.tr("ui.staff.band", "name", fd.Name, "role", r.tr("staff.role.front_desk")))
	mustNotHave(t, r.c, r.tr("ui.staff.audit")) // front desk: no audit screen
	tap(t, r.c, r.tr("ui.staff.leave"))
	mustHave(t, r.c, r.tr("ui.staff.left"))
	for i := 0; i < env.Profile.MaxFailures; i++ {
		r.enterStaff(t, fd.Staff, "wrong-again")
		if i < env.Profile.MaxFailures-1 {
			tap(t, r.c, r.tr("ui.form.cancel"))
		}
	}
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrStaffLocked))
	tap(t, r.c, r.tr("ui.form.cancel"))
	r.enterStaff(t, fd.Staff, fd.Password)
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrStaffLocked))
}

func TestStaffLooksUpByEachKey(t *testing.T) {
	r := newRig(t, shared(t))
	fd := staffLogin(t, r.env, domain.FrontDesk)
	r.enterStaff(t, fd.Staff, fd.Password)
	s := r.s["noncustodial"]
	title := func() { t.Helper(); mustHave(t, r.c, s.Name); mustHave(t, r.c, r.tr("ui.staff.pin_title")) }

	r.search(t, s.Participant) // one match opens the person
	title()
	tap(t, r.c, r.tr("ui.staff.back_to_search"))
	r.search(t, s.SSN[:3]+"-"+s.SSN[3:5]+"-"+s.SSN[5:])
	title()
	tap(t, r.c, r.tr("ui.staff.back_to_search"))

	// A case number finds both parents of the case; tap the one wanted.
	number := s.Cases[0].Number
	r.search(t, strings.ToLower(number))
	if len(r.k.st.matches) == 0 {
		r.search(t, number)
	}
	found := false
	for _, m := range r.k.st.matches {
		found = found || m.ID == s.Participant
	}
	if !found && !has(r.c, s.Name) {
		t.Fatalf("case %s did not find %s: %+v", number, s.Participant, r.k.st.matches)
	}
	if r.k.screen == scrStaff {
		tap(t, r.c, s.Name+" · "+domain.MaskID(s.Participant)+" · "+r.tr("ui.staff.cases", "cases", strings.Join(r.k.st.matches[indexOf(r.k.st.matches, s.Participant)].Cases, ", ")))
	}
	title()
	tap(t, r.c, r.tr("ui.staff.back_to_search"))

	// A name, typed without accents or capitals, part of the family name first.
	words := strings.Fields(namefold.Fold(s.Name))
	q := words[len(words)-1][:3] + " " + words[0]
	r.search(t, q)
	if r.k.screen == scrStaff {
		if indexOf(r.k.st.matches, s.Participant) < 0 {
			t.Fatalf("name %q did not find %s: %+v", q, s.Name, r.k.st.matches)
		}
	} else {
		title()
		tap(t, r.c, r.tr("ui.staff.back_to_search"))
	}
	r.search(t, "zzzzqqq")
	mustHave(t, r.c, r.tr("ui.staff.no_match"))

	// Every look-up is audited by its kind, never by what was typed.
	evs, err := r.env.Cache.RecentAudit(50)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, ev := range evs {
		if ev.Action == "staff_lookup" {
			kinds[ev.Detail] = true
			if ev.Staff != fd.Staff {
				t.Errorf("look-up audited without the staff ID: %+v", ev)
			}
		}
		for _, secret := range []string{s.Participant, s.SSN, number, q} {
			if strings.Contains(ev.Detail+ev.Subject, secret) {
				t.Errorf("audit event %+v carries %q", ev, secret)
			}
		}
	}
	for _, k := range []string{"id", "ssn", "case", "name"} {
		if !kinds[k] {
			t.Errorf("no look-up by %s audited (%v)", k, kinds)
		}
	}
}

func indexOf(ms []session.Match, id string) int {
	for i, m := range ms {
		if m.ID == id {
			return i
		}
	}
	return -1
}

func TestStaffIssuesATemporaryPIN(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	r.k.o.Printer = &fakePrinter{}
	fd := staffLogin(t, env, domain.FrontDesk)
	s := r.s["custodial"]
	r.enterStaff(t, fd.Staff, fd.Password)
	r.search(t, s.Participant)
	mustHave(t, r.c, r.tr("ui.staff.pin_own"))
	tap(t, r.c, r.tr("ui.staff.issue"))
	mustHave(t, r.c, r.tr("ui.staff.check_id"))
	tap(t, r.c, r.tr("ui.staff.issue_confirm"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.staff.pin_issued_title", "name", s.Name))
	pin := domain.Digits(shownPIN(t, r))
	if len(pin) != env.Profile.PINLength {
		t.Fatalf("PIN on screen %q", pin)
	}
	// The slip goes through the preview to the receipt printer, with the PIN on it.
	tap(t, r.c, r.tr("ui.staff.print_slip"))
	r.k.bridge.wait()
	tap(t, r.c, r.tr("ui.print.print"))
	r.k.bridge.wait()
	f := r.k.o.Printer.(*fakePrinter)
	if len(f.printed) != 1 || f.printed[0].Kind != documents.TempPINSlip || f.printed[0].PIN != pin || f.printed[0].Staff != fd.Staff {
		t.Fatalf("printed %+v", f.printed)
	}
	tap(t, r.c, r.tr("ui.detail.back"))
	tap(t, r.c, r.tr("ui.staff.pin_done"))
	mustNotHave(t, r.c, spacedDigits(pin))
	if r.k.st.issued != nil {
		t.Fatal("the issued PIN is still held")
	}
	mustHave(t, r.c, r.tr("ui.staff.pin_issued_note"))
	tap(t, r.c, r.tr("ui.staff.leave"))

	// The old PIN no longer works; the new one leads straight to choosing a PIN.
	r.signIn(t, s.Participant, s.PIN)
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrSignInFailed))
	r.signIn(t, s.Participant, pin)
	mustHave(t, r.c, r.tr("ui.pin.choose_title"))
	p, _ := env.Cache.FindParticipant(s.Participant)
	if !p.PIN.Temporary || p.PIN.IssuedBy != "kiosk:"+r.k.o.KioskID || r.k.o.KioskID == "" {
		t.Fatalf("cached PIN state %+v", p.PIN)
	}
}

// shownPIN is the big PIN text of the issued-PIN screen.
func shownPIN(t testing.TB, r *rig) string {
	t.Helper()
	if r.k.st.issued == nil {
		t.Fatal("no PIN issued")
	}
	want := spacedDigits(r.k.st.issued.PIN)
	mustHave(t, r.c, want)
	return want
}

func TestStaffUnlocksAfterALockout(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	s := r.s["noncustodial"]
	for i := 0; i < env.Profile.MaxFailures; i++ {
		r.signIn(t, s.Participant, wrongPIN(s.PIN))
	}
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrLocked))
	sv := staffLogin(t, env, domain.Supervisor)
	r.enterStaff(t, sv.Staff, sv.Password)
	r.search(t, s.Participant)
	p, _ := env.Cache.FindParticipant(s.Participant)
	mustHave(t, r.c, r.tr("ui.staff.pin_locked", "n", itoa(env.Profile.MaxFailures), "when", r.k.lang.DateTime(r.k.local(p.PIN.LockedAt))))
	tap(t, r.c, r.tr("ui.staff.unlock"))
	mustHave(t, r.c, r.tr("ui.staff.unlocked"))
	mustHave(t, r.c, r.tr("ui.staff.pin_own"))

	// A supervisor reads the kiosk's audit: the unlock is there with the staff ID.
	tap(t, r.c, r.tr("ui.staff.audit"))
	mustHave(t, r.c, r.tr("audit.staff_unlock")+" · "+r.tr("audit.staff", "id", sv.Staff))
	tap(t, r.c, r.tr("ui.staff.leave"))
	r.signIn(t, s.Participant, s.PIN)
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
}

func wrongPIN(pin string) string {
	b := []byte(pin)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

func TestAssistedViewAndPrint(t *testing.T) {
	r := newRig(t, shared(t))
	f := &fakePrinter{}
	r.k.o.Printer = f
	fd := staffLogin(t, r.env, domain.FrontDesk)
	s := r.s["noncustodial"]
	r.enterStaff(t, fd.Staff, fd.Password)
	r.search(t, s.Participant)
	tap(t, r.c, r.tr("ui.staff.assist"))
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
	mustHave(t, r.c, r.tr("ui.staff.assisted_by", "name", fd.Name))
	tap(t, r.c, r.tr("ui.nav.payments"))
	tap(t, r.c, r.tr("ui.print.page"))
	r.k.bridge.wait()
	tap(t, r.c, r.tr("ui.print.print"))
	r.k.bridge.wait()
	if len(f.printed) != 1 || f.printed[0].Kind != documents.PaymentPage || f.printed[0].Staff != fd.Staff || f.printed[0].Participant.ID != s.Participant {
		t.Fatalf("assisted print %+v", f.printed)
	}
	tap(t, r.c, r.tr("ui.detail.back"))
	tap(t, r.c, r.tr("ui.staff.end_assist"))
	mustHave(t, r.c, r.tr("ui.staff.band", "name", fd.Name, "role", r.tr("staff.role.front_desk")))
	if r.k.sess != nil || r.k.mgr.Current() != nil {
		t.Fatal("the assisted session outlived its end")
	}
	// A sign-in card from the person's staff page: the ID, never a PIN.
	tap(t, r.c, r.tr("ui.staff.print_card"))
	r.k.bridge.wait()
	tap(t, r.c, r.tr("ui.print.print"))
	r.k.bridge.wait()
	if len(f.printed) != 2 || f.printed[1].Kind != documents.SignInCard || f.printed[1].PIN != "" {
		t.Fatalf("card %+v", f.printed)
	}
	evs, _ := r.env.Cache.RecentAudit(30)
	assisted := false
	for _, ev := range evs {
		assisted = assisted || ev.Action == "staff_assist" && ev.Staff == fd.Staff && ev.Subject != ""
	}
	if !assisted {
		t.Fatal("the assisted view is not audited")
	}
}

// A keyboard-wedge scanner types the card's digits and Enter: the ID is filled and the PIN is
// next.
func TestScannedCardFillsTheID(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["custodial"]
	test.TypeOnCanvas(r.c, s.Participant)
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if r.k.signin.id != s.Participant || !r.k.signin.onPIN {
		t.Fatalf("after the scan: id %q, on PIN %v", r.k.signin.id, r.k.signin.onPIN)
	}
	mustHave(t, r.c, domain.MaskID(s.Participant))
	for _, d := range s.PIN {
		r.press(t, d)
	}
	tap(t, r.c, r.tr("ui.signin.submit"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.home.hello", "name", s.Name))
}

func TestStaffTimesOutSooner(t *testing.T) {
	r := newRig(t, shared(t))
	fd := staffLogin(t, r.env, domain.FrontDesk)
	s := r.s["custodial"]
	r.enterStaff(t, fd.Staff, fd.Password)
	r.search(t, s.Participant)
	mustHave(t, r.c, s.Name)
	staffIdle := time.Duration(r.env.Profile.StaffIdleSeconds) * time.Second
	if staffIdle >= r.env.Profile.Idle() {
		t.Fatalf("staff idle %v is not shorter than a parent's %v", staffIdle, r.env.Profile.Idle())
	}
	r.clock.Add(staffIdle + time.Second)
	r.k.tick()
	mustHave(t, r.c, r.tr("ui.idle.question"))
	r.clock.Add(r.env.Profile.Warning() + time.Second)
	r.k.tick()
	mustHave(t, r.c, r.tr("ui.staff.timed_out"))
	mustNotHave(t, r.c, s.Name)
	if r.k.staff != nil || r.k.mgr.CurrentStaff() != nil || r.k.st.values != nil || r.k.st.matches != nil {
		t.Fatal("staff state kept after the time-out")
	}
}

func TestStaffStatusAndSyncNow(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	r.k.o.Syncer = SyncWith{Store: env.Cache, Client: env.Client}
	r.k.o.SyncProgress = env.Progress
	fd := staffLogin(t, env, domain.FrontDesk)
	r.enterStaff(t, fd.Staff, fd.Password)
	tap(t, r.c, r.tr("ui.staff.status"))
	st, _ := env.Cache.Status()
	mustHave(t, r.c, st.Server)
	mustHave(t, r.c, r.k.lang.Int(st.Cursor))
	tap(t, r.c, r.tr("ui.staff.sync_now"))
	r.k.bridge.wait()
	done, _, _ := strings.Cut(r.tr("ui.staff.synced", "pulled", "\x00", "pushed", "\x00"), "\x00")
	mustHave(t, r.c, done) // it pushed the staff sign-in's audit events
	st2, _ := env.Cache.Status()
	if st2.PendingOutbox != 0 {
		t.Fatalf("after Sync now %d items wait", st2.PendingOutbox)
	}
}

// TestStaffShots saves every staff screen in each language in $KIOSK_SHOTS, to look at them;
// it does nothing otherwise.
func TestStaffShots(t *testing.T) {
	dir := os.Getenv("KIOSK_SHOTS")
	if dir == "" {
		t.Skip("KIOSK_SHOTS not set")
	}
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	r.k.o.Syncer = SyncWith{Store: env.Cache, Client: env.Client}
	r.k.o.Printer = &fakePrinter{page: true}
	shot := func(name string) {
		t.Helper()
		f, err := os.Create(filepath.Join(dir, "staff-"+name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, r.c.Capture()); err != nil {
			t.Fatal(err)
		}
	}
	sv := staffLogin(t, env, domain.Supervisor)
	s := r.s["noncustodial"]
	for _, lang := range []string{"en", "es", "fr"} {
		r.k.setLanguage(lang)
		r.holdAgencyName(t, staffHold)
		shot("signin-" + lang)
		tap(t, r.c, r.tr("ui.form.cancel"))
		r.k.setLanguage(lang)
		r.enterStaff(t, sv.Staff, sv.Password)
		r.search(t, strings.Fields(namefold.Fold(s.Name))[0][:2])
		shot("search-" + lang)
		r.search(t, s.Participant)
		shot("person-" + lang)
		tap(t, r.c, r.tr("ui.staff.issue"))
		shot("confirm-" + lang)
		tap(t, r.c, r.tr("ui.staff.issue_confirm"))
		r.k.bridge.wait()
		shot("pin-" + lang)
		tap(t, r.c, r.tr("ui.staff.print_slip"))
		r.k.bridge.wait()
		shot("slip-preview-" + lang)
		tap(t, r.c, r.tr("ui.print.cancel"))
		tap(t, r.c, r.tr("ui.staff.pin_done"))
		tap(t, r.c, r.tr("ui.staff.assist"))
		shot("assisted-" + lang)
		tap(t, r.c, r.tr("ui.staff.end_assist"))
		tap(t, r.c, r.tr("ui.staff.status"))
		r.k.bridge.wait()
		shot("status-" + lang)
		tap(t, r.c, r.tr("ui.staff.audit"))
		shot("audit-" + lang)
		tap(t, r.c, r.tr("ui.staff.leave"))
	}
}

// After the call centre issues a PIN at the server, the kiosk's next sync brings it, and the
// staff page says which PIN is valid and who issued it; the PIN the desk issued before stops
// working.
func TestStaffPageSaysWhichPINIsValid(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	fd := staffLogin(t, env, domain.FrontDesk)
	s := r.s["noncustodial"]
	r.enterStaff(t, fd.Staff, fd.Password)
	r.search(t, s.Participant)
	tap(t, r.c, r.tr("ui.staff.issue"))
	tap(t, r.c, r.tr("ui.staff.issue_confirm"))
	r.k.bridge.wait()
	desk := r.k.st.issued.PIN
	tap(t, r.c, r.tr("ui.staff.pin_done"))
	mustHave(t, r.c, r.tr("ui.staff.by_this_kiosk"))

	if _, err := env.Client.Sync(t.Context()); err != nil { // the desk's PIN reaches the server
		t.Fatal(err)
	}
	v, err := seal.HashPIN("583920")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Server.IssuePIN(t.Context(), s.Participant, v, "callcentre", env.Profile.TempPINValidity()); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	tap(t, r.c, r.tr("ui.staff.back_to_search"))
	r.search(t, s.Participant)
	mustHave(t, r.c, r.tr("ui.staff.by_callcentre"))
	tap(t, r.c, r.tr("ui.staff.leave"))
	r.signIn(t, s.Participant, desk)
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrSignInFailed))
	r.signIn(t, s.Participant, "583920")
	mustHave(t, r.c, r.tr("ui.pin.choose_title"))
}

// TestSupervisorUnlocksAColleague locks a front-desk account with wrong passwords; a supervisor
// unlocks it on the audit screen, the unlock goes to the outbox and the audit, and the
// colleague signs in again. A front-desk account cannot unlock, and an unknown or unlocked ID
// says so and changes nothing.
func TestSupervisorUnlocksAColleague(t *testing.T) {
	env := fresh(t, demoenv.Options{})
	r := newRig(t, env)
	fd := staffLogin(t, env, domain.FrontDesk)
	for i := 0; i < env.Profile.MaxFailures; i++ {
		r.k.st = staffState{}
		r.enterStaff(t, fd.Staff, "not-the-password")
		tap(t, r.c, r.tr("ui.form.cancel"))
	}
	r.enterStaff(t, fd.Staff, fd.Password)
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrStaffLocked))
	tap(t, r.c, r.tr("ui.form.cancel"))

	sv := staffLogin(t, env, domain.Supervisor)
	r.k.st = staffState{}
	r.enterStaff(t, sv.Staff, sv.Password)
	tap(t, r.c, r.tr("ui.staff.audit"))
	mustHave(t, r.c, r.tr("ui.staff.colleague_title"))
	if w := r.c.Content().MinSize().Width; w > 1280 {
		t.Fatalf("the audit screen needs %v px", w)
	}
	mustNotHave(t, r.c, r.tr("ui.key.space")) // no keyboard until the field is touched
	tapRowWith(t, r.c, r.tr("ui.staff.id"))
	mustHave(t, r.c, r.tr("ui.key.space"))
	pending := func() int {
		st, err := env.Cache.Status()
		if err != nil {
			t.Fatal(err)
		}
		return st.PendingOutbox
	}
	before := pending()

	// An ID nobody has: a problem, nothing sent.
	test.TypeOnCanvas(r.c, "S9999")
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	mustHave(t, r.c, r.k.lang.Problem(domain.ErrNotFound))
	if pending() != before {
		t.Fatal("an unknown ID queued something")
	}
	r.k.staffKey(keyClear)

	// The colleague's, typed in lower case as a keyboard would.
	test.TypeOnCanvas(r.c, strings.ToLower(fd.Staff))
	tap(t, r.c, r.tr("ui.staff.unlock"))
	mustHave(t, r.c, r.tr("ui.staff.colleague_unlocked"))
	mustHave(t, r.c, r.tr("audit.staff_unlock_staff", "id", fd.Staff)+" · "+r.tr("audit.staff", "id", sv.Staff))
	// The new state, the unlock's audit entry and the audit read that shows it.
	if pending() != before+3 {
		t.Fatalf("outbox %d after the unlock, want %d", pending(), before+3)
	}
	// The case server takes the new state: a state it refused would be replaced by the
	// server's own at this sync, still locked. It keeps the unlock's audit entry, which names
	// the supervisor and this kiosk.
	if _, err := env.Client.Sync(t.Context()); err != nil || pending() != 0 {
		t.Fatalf("sync after the unlock: %v, %d left in the outbox", err, pending())
	}
	events, err := env.Server.AuditEvents(r.k.o.KioskID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(events, func(e domain.AuditEvent) bool {
		return e.Action == "staff_unlock_staff" && e.Staff == sv.Staff && e.Kiosk == r.k.o.KioskID
	}) {
		t.Fatalf("the server's audit of this kiosk: %+v", events)
	}
	if a, err := env.Cache.FindStaff(fd.Staff); err != nil || a.Password.Locked() || a.Password.Failures != 0 {
		t.Fatalf("after the sync: locked %v, failures %d, %v", a.Password.Locked(), a.Password.Failures, err)
	}
	// Again: it is not locked any more.
	test.TypeOnCanvas(r.c, fd.Staff)
	tap(t, r.c, r.tr("ui.staff.unlock"))
	mustHave(t, r.c, r.tr("ui.staff.colleague_not_locked"))
	tap(t, r.c, r.tr("ui.staff.leave"))

	// The colleague is back, and may not unlock anyone.
	r.k.st = staffState{}
	r.enterStaff(t, fd.Staff, fd.Password)
	mustHave(t, r.c, r.tr("ui.staff.band", "name", fd.Name, "role", r.tr("staff.role.front_desk")))
	if _, err := r.k.staff.UnlockStaff(sv.Staff); !errors.Is(err, domain.ErrNotAllowed) {
		t.Fatalf("a front-desk account unlocking: %v", err)
	}
}

// TestStaffScreensFitTheKiosk checks the staff screens against the kiosk's 1,280 pixels in every
// language, in ordinary and large text: the staff band's name and buttons side by side were
// 1,379 px wide in French and up to 1,844 px in large text, and pushed Quick Exit off the
// screen.
func TestStaffScreensFitTheKiosk(t *testing.T) {
	r := newRig(t, shared(t))
	sv := staffLogin(t, r.env, domain.Supervisor)
	r.enterStaff(t, sv.Staff, sv.Password)
	r.search(t, r.s["noncustodial"].Participant) // one match opens the person
	if r.k.screen != scrStaffPerson {
		t.Fatalf("screen %q after choosing a match", r.k.screen)
	}
	for _, large := range []bool{false, true} {
		r.k.setLarge(large)
		for _, l := range []string{"en", "es", "fr"} {
			r.k.setLanguage(l)
			for _, scr := range []string{scrStaffPerson, scrStaff, scrStaffStatus, scrStaffAudit} {
				r.k.screen = scr
				r.k.render()
				if w := r.c.Content().MinSize().Width; w > 1280 {
					t.Errorf("large=%v %s %s needs %v px", large, l, scr, w)
				}
			}
		}
	}
	r.k.setLarge(false)
	r.k.setLanguage("en")
}

// The day's summary: what this kiosk did today in counts, printed on the roll by any staff
// member, with no parent and no staff member on it.
func TestStaffPrintsTheDaySummary(t *testing.T) {
	r := newRig(t, fresh(t, demoenv.Options{}))
	f := &fakePrinter{}
	r.k.o.Printer = f
	s := r.s["custodial"]
	r.signIn(t, s.Participant, s.PIN)
	tap(t, r.c, r.tr("ui.sign_out"))
	fd := staffLogin(t, r.env, domain.FrontDesk)
	r.enterStaff(t, fd.Staff, fd.Password)
	tap(t, r.c, r.tr("ui.staff.status"))
	tap(t, r.c, r.tr("ui.staff.print_day"))
	r.k.bridge.wait()
	mustHave(t, r.c, r.tr("ui.print.kind.day"))
	j := f.last(t)
	if j.Kind != documents.KioskDay || !j.Kind.OnRoll() || j.Participant.ID != "" || j.Participant.Name != "" || j.Row != nil || len(j.Rows) != 0 {
		t.Fatalf("day summary job %+v", j)
	}
	if j.Activity.N(domain.ActSignIn) != 1 || j.Activity.N(domain.ActStaffSignIn) != 1 {
		t.Errorf("counts %v: want the parent's and the staff member's sign-in", j.Activity.Counts)
	}
	now := r.k.local(r.k.mgr.Now())
	if from := j.Activity.From.In(now.Location()); from.Hour() != 0 || from.Day() != now.Day() || j.Activity.To.After(r.k.mgr.Now()) {
		t.Errorf("span %v – %v, want the office's midnight to now (%v)", j.Activity.From, j.Activity.To, now)
	}
	tap(t, r.c, r.tr("ui.print.print"))
	r.k.bridge.wait()
	if len(f.printed) != 1 || f.printed[0].Kind != documents.KioskDay || f.printed[0].Staff != fd.Staff {
		t.Fatalf("printed %+v", f.printed)
	}
	evs, _ := r.env.Cache.RecentAudit(10)
	read := false
	for _, ev := range evs {
		read = read || ev.Action == "staff_day_summary" && ev.Staff == fd.Staff
	}
	if !read {
		t.Error("reading the day's counts is not audited")
	}
}
