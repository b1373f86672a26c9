package ui

import (
	"context"
	"image/color"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/session"
	"childsupportkiosk/sync/syncstate"
)

// Staff mode: front-desk staff look a parent up, issue a temporary PIN, unlock, assist and
// print. It is entered from the welcome screen by holding the agency's name for
// staffHold (or Ctrl+Alt+S on a keyboard), which a parent does not stumble on, and has its own
// colour band and a short idle time-out.

// Staff screens.
const (
	scrStaffSignIn = "staff_signin"
	scrStaff       = "staff"        // search
	scrStaffPerson = "staff_person" // one participant
	scrStaffPIN    = "staff_pin"    // a temporary PIN just issued, shown once
	scrStaffStatus = "staff_status" // the kiosk's sync and printers
	scrStaffAudit  = "staff_audit"  // recent audit entries (supervisors)
)

// staffHold is how long the agency's name must be held to open the staff sign-in.
const staffHold = 3 * time.Second

// Syncer is the kiosk's sync as staff see it: its status and a sync on demand.
type Syncer interface {
	Status() (syncstate.Status, error)
	Sync(ctx context.Context) (syncstate.Result, error)
}

// PrinterCheck is the state of one of the kiosk's printers for the status screen.
type PrinterCheck struct {
	NameKey string // translation key: the office printer or the receipt printer
	Queue   string // the CUPS queue; empty when none is configured
	Ready   bool
	Problem error // why it cannot print now; its Key() is the translation (printing.Event)
}

// PrinterChecker is implemented by a Printer that can tell its printers' state.
type PrinterChecker interface {
	Check() []PrinterCheck
}

// staffState is what the staff screens hold; it is cleared when staff mode ends.
type staffState struct {
	field    string            // the text field the keyboard types into
	values   map[string]string // typed text by field: "staff_id", "password", "query"
	busy     bool
	problem  error
	notice   string // translation key of a confirmation
	pressAt  time.Time
	matches  []session.Match
	searched bool
	person   string // participant ID of the person screen
	confirm  bool   // the ID-check confirmation of a PIN issue is showing
	showID   bool
	issued   *session.IssuedPIN // shown once on scrStaffPIN
	syncing  bool
	progress syncstate.Progress
	syncRes  *syncstate.Result
	syncErr  error
	audit    []domain.AuditEvent
	auditErr error // why the audit could not be read
	printers []PrinterCheck
	dayErr   error // why the day's summary could not be read
}

func (s *staffState) value(name string) string { return s.values[name] }

// staffOn reports whether a staff member is in staff mode.
func (k *Kiosk) staffOn() bool { return k.staff != nil && k.staff.Active() }

// isStaffScreen reports whether screen belongs to staff mode.
func isStaffScreen(screen string) bool {
	switch screen {
	case scrStaff, scrStaffPerson, scrStaffPIN, scrStaffStatus, scrStaffAudit:
		return true
	}
	return false
}

// holdArea is a widget that reports a press and its release: the hidden way into staff mode.
type holdArea struct {
	widget.BaseWidget
	content  fyne.CanvasObject
	down, up func()
}

func newHoldArea(content fyne.CanvasObject, down, up func()) *holdArea {
	h := &holdArea{content: content, down: down, up: up}
	h.ExtendBaseWidget(h)
	return h
}

func (h *holdArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(h.content) }

// MouseDown is a finger on the screen (touch comes as the left button).
func (h *holdArea) MouseDown(*desktop.MouseEvent) { h.down() }

// MouseUp is the finger lifted.
func (h *holdArea) MouseUp(*desktop.MouseEvent) { h.up() }

// agencyName is the header's agency name; on the welcome screen, holding it opens the staff
// sign-in.
func (k *Kiosk) agencyName(label fyne.CanvasObject) fyne.CanvasObject {
	// The header is kept from screen to screen (frame.go): the hold counts on the welcome
	// screen only, with nobody signed in.
	open := func() bool { return k.screen == scrWelcome && k.sess == nil }
	return newHoldArea(label, func() {
		if open() {
			k.st.pressAt = k.mgr.Now()
		}
	}, func() {
		held := !k.st.pressAt.IsZero() && k.mgr.Now().Sub(k.st.pressAt) >= staffHold
		k.st.pressAt = time.Time{}
		if held && open() {
			k.openStaffSignIn()
		}
	})
}

// staffShortcut is Ctrl+Alt+S, the keyboard's way into the staff sign-in.
func (k *Kiosk) staffShortcut() {
	k.w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS,
		Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt}, func(fyne.Shortcut) {
		if k.screen == scrWelcome && k.sess == nil {
			k.openStaffSignIn()
		}
	})
}

func (k *Kiosk) openStaffSignIn() {
	k.touch()
	k.signin = signinState{}
	k.st = staffState{field: "staff_id"}
	k.screen = scrStaffSignIn
	k.render()
}

// staffKey takes a key of the on-screen keyboard, a real keyboard or a scanner for a staff
// screen's text field.
func (k *Kiosk) staffKey(r rune) {
	st := &k.st
	if st.busy || st.field == "" {
		return
	}
	k.touch()
	if r == keyEnter {
		switch k.screen {
		case scrStaffSignIn:
			if st.field == "staff_id" {
				st.field = "password"
				k.render()
			} else {
				k.staffSignIn()
			}
		case scrStaff:
			k.staffSearch()
		case scrStaffAudit:
			k.unlockColleague()
		}
		return
	}
	if st.values == nil {
		st.values = map[string]string{}
	}
	v, ok := editText(st.values[st.field], r, 64)
	if !ok {
		return
	}
	st.values[st.field] = v
	st.problem, st.notice = nil, ""
	k.render()
}

// staffEntry adds to box a staff screen's one-field form: the field, its button, and the
// screen's notice and problem under them.
func (k *Kiosk) staffEntry(box *fyne.Container, field, labelKey, buttonKey string, action func()) {
	st := &k.st
	b := k.btn(buttonKey, action)
	b.Importance = widget.HighImportance
	box.Add(container.NewBorder(nil, nil, nil, sized(160, 56, b), k.staffField(field, k.t(labelKey), false)))
	if st.notice != "" {
		box.Add(noteText(k.t(st.notice)))
	}
	if st.problem != nil {
		box.Add(problemText(k.problem(st.problem)))
	}
}

// staffField is a text field of a staff screen; secret ones show dots.
func (k *Kiosk) staffField(name, label string, secret bool) fyne.CanvasObject {
	shown := k.st.value(name)
	if secret {
		shown = strings.Repeat("●", utf8.RuneCountInString(shown))
	}
	if k.st.field == name {
		shown += "▏"
	}
	return k.typedInto(k.st.field == name, k.field(label, shown, k.st.field == name, func() { k.st.field = name; k.render() }))
}

func (k *Kiosk) staffSignInScreen() fyne.CanvasObject {
	st := &k.st
	box := container.NewVBox(heading(k.t("ui.staff.signin_title")), text(k.t("ui.staff.signin_intro")))
	box.Add(k.staffField("staff_id", k.t("ui.staff.id"), false))
	box.Add(k.staffField("password", k.t("ui.staff.password"), true))
	submit := k.btn("ui.staff.signin", k.staffSignIn)
	submit.Importance = widget.HighImportance
	if st.busy {
		submit.SetText(k.t("ui.signin.checking"))
		submit.Disable()
	}
	cancel := k.btn("ui.form.cancel", func() { k.endStaff(scrWelcome, "") })
	var problem fyne.CanvasObject
	if st.problem != nil {
		problem = problemText(k.problem(st.problem))
	}
	box.Add(k.keyboard(k.staffKey, problem, container.NewGridWithColumns(2, sized(0, 56, submit), sized(0, 56, cancel))))
	return box
}

// staffSignIn checks the staff ID and password off the UI goroutine (Argon2id).
func (k *Kiosk) staffSignIn() {
	st := &k.st
	if st.busy {
		return
	}
	id, pw := st.value("staff_id"), st.value("password")
	if strings.TrimSpace(id) == "" || pw == "" {
		st.problem = session.ErrEmpty
		k.render()
		return
	}
	st.busy, st.problem = true, nil
	k.render()
	var s *session.Staff
	var err error
	k.async(func() { s, err = k.mgr.StaffSignIn(id, pw) }, func() {
		k.st.busy = false
		delete(k.st.values, "password")
		if err != nil {
			k.st.problem = err
			k.st.field = "password"
			k.render()
			return
		}
		k.st = staffState{field: "query"}
		k.staff = s
		k.idle = session.NewIdle(k.mgr.StaffIdle(), k.prof.Warning(), k.mgr.Now())
		k.screen = scrStaff
		k.render()
	}, k.mgr.EndStaff) // Quick Exit or a time-out came first: the sign-in no longer stands
}

// endStaff leaves staff mode: the staff member, any session they opened for a parent, the
// directory and every staff screen's state are dropped.
func (k *Kiosk) endStaff(screen, note string) {
	k.gen++
	if k.st.issued != nil {
		k.st.issued.PIN = ""
	}
	k.st = staffState{}
	k.staff = nil
	k.mgr.EndStaff()
	k.idle = session.NewIdle(k.prof.Idle(), k.prof.Warning(), k.mgr.Now())
	k.signOut(screen, note)
}

// staffBand is staff mode's colour band: who is signed in, and the way out.
func (k *Kiosk) staffBand() fyne.CanvasObject {
	a := k.staff.Account()
	who := k.t("ui.staff.band", "name", a.Name, "role", k.t("staff.role."+string(a.Role)))
	label := widget.NewLabel(who)
	label.TextStyle.Bold = true
	label.Importance = widget.HighImportance
	bg := canvas.NewRectangle(staffColour(k.theme.contrast))
	items := container.NewHBox(
		k.btn("ui.staff.search", func() { k.staffGo(scrStaff) }),
		k.btn("ui.staff.status", k.openStatus),
	)
	if k.staff.Supervisor() {
		items.Add(k.btn("ui.staff.audit", k.openAudit))
	}
	items.Add(k.btn("ui.staff.leave", func() { k.endStaff(scrWelcome, "ui.staff.left") }))
	// The name above the buttons, and in large text the buttons two by two: side by side they
	// were wider than the screen in Spanish and French (up to 1,844 px), which pushed Quick
	// Exit off it.
	var buttons fyne.CanvasObject = items
	if k.theme.large {
		buttons = container.NewGridWithColumns(2, items.Objects...)
	}
	return container.NewStack(bg, container.NewPadded(container.NewVBox(label,
		container.NewBorder(nil, nil, nil, buttons))))
}

// staffColour is the band's colour: amber, or black-on-yellow in high contrast.
func staffColour(contrast bool) color.Color {
	if contrast {
		// A dark amber: the name is drawn in high contrast's yellow, which on a yellow band
		// was 1.11:1 (the contrast test).
		return color.NRGBA{R: 0x3d, G: 0x2b, B: 0x00, A: 0xff}
	}
	return color.NRGBA{R: 0xf5, G: 0xb3, B: 0x3c, A: 0xff}
}

// staffGo moves to a staff screen, keeping the search.
func (k *Kiosk) staffGo(screen string) {
	k.touch()
	st := &k.st
	st.problem, st.notice, st.confirm = nil, "", false
	if screen == scrStaff {
		st.field = "query"
	} else {
		st.field = ""
	}
	k.screen = screen
	k.render()
}

func (k *Kiosk) staffSearchScreen() fyne.CanvasObject {
	st := &k.st
	box := container.NewVBox(heading(k.t("ui.staff.find_title")), text(k.t("ui.staff.find_intro")))
	k.staffEntry(box, "query", "ui.staff.query", "ui.staff.find", k.staffSearch)
	if st.searched {
		if len(st.matches) == 0 && st.problem == nil {
			box.Add(text(k.t("ui.staff.no_match")))
		}
		for _, m := range st.matches {
			m := m
			line := m.Name + " · " + domain.MaskID(m.ID)
			if len(m.Cases) > 0 {
				line += " · " + k.t("ui.staff.cases", "cases", strings.Join(m.Cases, ", "))
			}
			b := k.button(line, func() { k.openPerson(m.ID) })
			b.Alignment = widget.ButtonAlignLeading
			box.Add(sized(0, 56, b))
		}
	}
	box.Add(k.keyboard(k.staffKey))
	return box
}

// staffSearch looks the typed query up: by ID or SSN through the blind index, by case number
// or name through the office's directory (read once per staff session).
func (k *Kiosk) staffSearch() {
	st := &k.st
	q := st.value("query")
	matches, _, err := k.staff.Find(q)
	st.matches, st.searched, st.problem = matches, err == nil, err
	if len(matches) == 1 && err == nil {
		k.openPerson(matches[0].ID)
		return
	}
	k.render()
}

func (k *Kiosk) openPerson(pid string) {
	k.staff.Audit("staff_view", pid, "")
	k.st.person, k.st.showID = pid, false
	k.staffGo(scrStaffPerson)
}

func (k *Kiosk) staffPersonScreen() fyne.CanvasObject {
	st := &k.st
	p, cases, err := k.staff.Person(st.person)
	if err != nil {
		return container.NewVBox(problemText(k.problem(err)), k.btn("ui.staff.back_to_search", func() { k.staffGo(scrStaff) }))
	}
	shownID := domain.MaskID(p.ID)
	showKey := "ui.signin.show_id"
	if st.showID {
		shownID, showKey = p.ID, "ui.signin.hide_id"
	}
	box := container.NewVBox(heading(p.Name))
	box.Add(container.NewHBox(boldLabel(k.t(k.prof.ParticipantID.NameKey)+": "+shownID),
		k.btn(showKey, func() { k.st.showID = !k.st.showID; k.render() })))
	for _, c := range cases {
		box.Add(text(k.t("ui.staff.case_line", "case", c.Number, "role", k.t("role."+string(c.Role)))))
	}
	box.Add(subheading(k.t("ui.staff.pin_title")))
	box.Add(text(k.pinStateText(p.PIN)))
	if st.notice != "" {
		box.Add(noteText(k.t(st.notice)))
	}
	if st.problem != nil {
		box.Add(problemText(k.problem(st.problem)))
	}

	var actions []fyne.CanvasObject
	if st.confirm {
		box.Add(text(k.t("ui.staff.check_id")))
		yes := k.btn("ui.staff.issue_confirm", func() { k.issuePIN(p.ID) })
		yes.Importance = widget.HighImportance
		actions = append(actions, yes, k.btn("ui.form.cancel", func() { k.st.confirm = false; k.render() }))
	} else {
		issue := k.btn("ui.staff.issue", func() { k.st.confirm = true; k.st.notice = ""; k.render() })
		issue.Importance = widget.HighImportance
		actions = append(actions, issue)
		if p.PIN.Locked() || p.PIN.Failures > 0 {
			actions = append(actions, k.btn("ui.staff.unlock", func() { k.unlock(p.ID) }))
		}
		actions = append(actions, k.btn("ui.staff.assist", func() { k.assist(p.ID) }))
	}
	grid := container.NewGridWithColumns(2)
	for _, a := range actions {
		grid.Add(sized(0, 56, a))
	}
	box.Add(grid)

	box.Add(subheading(k.t("ui.staff.print_title")))
	prints := container.NewGridWithColumns(2)
	staffID := k.staff.Account().ID
	job := func(kind documents.Kind) documents.Job {
		return documents.Job{Kind: kind, Profile: k.prof, Lang: k.lang, Participant: p, Staff: staffID, AsOf: k.asOf()}
	}
	prints.Add(sized(0, 56, k.btn("ui.staff.print_card", func() { k.printDoc(job(documents.SignInCard), scrStaffPerson) })))
	year := k.local(k.mgr.Now()).Year()
	for _, y := range []int{year, year - 1} {
		y := y
		prints.Add(sized(0, 56, k.button(k.t("ui.staff.print_year", "year", itoa(y)), func() {
			j := job(documents.YearlyStatement)
			j.Year = y
			k.printDoc(j, scrStaffPerson)
		})))
	}
	if _, ok := domain.NewCoupon(p, cases, year, k.local(k.mgr.Now()).Month(), k.asOf()); ok {
		prints.Add(sized(0, 56, k.btn("ui.staff.print_coupon", func() {
			j := job(documents.PaymentCoupon)
			now := k.local(k.mgr.Now())
			j.Year, j.Month = now.Year(), now.Month()
			k.printDoc(j, scrStaffPerson)
		})))
	}
	box.Add(prints)
	box.Add(container.NewHBox(k.btn("ui.staff.back_to_search", func() { k.staffGo(scrStaff) })))
	return box
}

// pinStateText says in plain words which PIN is valid and why it may not work.
func (k *Kiosk) pinStateText(pin domain.PIN) string {
	now := k.mgr.Now()
	switch {
	case !pin.HasPIN():
		return k.t("ui.staff.pin_none")
	case pin.Locked():
		return k.t("ui.staff.pin_locked", "n", itoa(pin.Failures), "when", k.lang.DateTime(k.local(pin.LockedAt)))
	case pin.Temporary && pin.Expired(now):
		return k.t("ui.staff.pin_temp_expired", "by", k.issuer(pin.IssuedBy), "until", k.lang.DateTime(k.local(pin.Expires)))
	case pin.Temporary:
		s := k.t("ui.staff.pin_temp", "by", k.issuer(pin.IssuedBy), "until", k.lang.DateTime(k.local(pin.Expires)))
		if !pin.IssuedAt.IsZero() {
			s += " · " + k.t("ui.staff.pin_issued_at", "when", k.lang.DateTime(k.local(pin.IssuedAt)))
		}
		return s
	case pin.Failures > 0:
		return k.t("ui.staff.pin_failures", "n", itoa(pin.Failures))
	}
	return k.t("ui.staff.pin_own")
}

// issuer names who issued a PIN, from its IssuedBy.
func (k *Kiosk) issuer(by string) string {
	switch {
	case by == "callcentre":
		return k.t("ui.staff.by_callcentre")
	case by == "kiosk:"+k.o.KioskID && k.o.KioskID != "":
		return k.t("ui.staff.by_this_kiosk")
	case strings.HasPrefix(by, "kiosk:"):
		return k.t("ui.staff.by_other_kiosk")
	}
	return k.t("ui.staff.by_agency")
}

// issuePIN issues a temporary PIN off the UI goroutine (Argon2id) and shows it once.
func (k *Kiosk) issuePIN(pid string) {
	st := &k.st
	if st.busy {
		return
	}
	st.busy, st.confirm = true, false
	var issued session.IssuedPIN
	var err error
	staff := k.staff
	k.async(func() { issued, err = staff.IssuePIN(pid) }, func() {
		k.st.busy = false
		if err != nil {
			k.st.problem = err
			k.render()
			return
		}
		k.st.issued = &issued
		k.staffGo(scrStaffPIN)
	}, func() { issued.PIN = "" })
}

func (k *Kiosk) staffPINScreen() fyne.CanvasObject {
	st := &k.st
	if st.issued == nil {
		return container.NewVBox(k.btn("ui.staff.back_to_search", func() { k.staffGo(scrStaff) }))
	}
	p, _, err := k.staff.Person(st.person)
	if err != nil {
		return problemText(k.problem(err))
	}
	box := container.NewVBox(heading(k.t("ui.staff.pin_issued_title", "name", p.Name)))
	pin := canvas.NewText(spacedDigits(st.issued.PIN), theme.Color(theme.ColorNamePrimary))
	pin.TextSize = 56
	pin.TextStyle.Bold = true
	pin.TextStyle.Monospace = true
	box.Add(container.NewCenter(pin))
	box.Add(text(k.t("ui.staff.pin_issued_valid", "until", k.lang.DateTime(k.local(st.issued.State.Expires)))))
	box.Add(text(k.t("ui.staff.pin_issued_change", "n", itoa(k.prof.PINLength))))
	box.Add(text(k.t("ui.staff.pin_issued_once")))
	slip := k.btn("ui.staff.print_slip", func() {
		k.printDoc(documents.Job{Kind: documents.TempPINSlip, Profile: k.prof, Lang: k.lang, Participant: p,
			PIN: k.st.issued.PIN, Expires: k.st.issued.State.Expires, Staff: k.staff.Account().ID, AsOf: k.asOf()}, scrStaffPIN)
	})
	slip.Importance = widget.HighImportance
	done := k.btn("ui.staff.pin_done", func() {
		k.st.issued.PIN = ""
		k.st.issued = nil
		k.st.notice = "ui.staff.pin_issued_note"
		k.screen = scrStaffPerson
		k.render()
	})
	box.Add(container.NewGridWithColumns(2, sized(0, 64, slip), sized(0, 64, done)))
	return box
}

// spacedDigits puts a space between digits so a PIN reads easily across a desk.
func spacedDigits(s string) string { return strings.Join(strings.Split(s, ""), " ") }

func (k *Kiosk) unlock(pid string) {
	if err := k.staff.Unlock(pid); err != nil {
		k.st.problem = err
	} else {
		k.st.notice = "ui.staff.unlocked"
	}
	k.render()
}

// assist opens the person's own screens for them, marked as assisted.
func (k *Kiosk) assist(pid string) {
	s, err := k.staff.Assist(pid)
	if err != nil {
		k.st.problem = err
		k.render()
		return
	}
	k.sess = s
	k.show(scrHome)
}

// endAssist closes the person's screens and goes back to their staff page.
func (k *Kiosk) endAssist() {
	k.forgetPerson()
	k.note = ""
	k.staffGo(scrStaffPerson)
}

// assistBand marks a parent's screens opened by staff.
func (k *Kiosk) assistBand() fyne.CanvasObject {
	label := widget.NewLabel(k.t("ui.staff.assisted_by", "name", k.sess.AssistedName()))
	label.TextStyle.Bold = true
	bg := canvas.NewRectangle(staffColour(k.theme.contrast))
	end := k.btn("ui.staff.end_assist", k.endAssist)
	return container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil, label, end)))
}

// assisted reports whether the signed-in person's screens were opened by staff.
func (k *Kiosk) assisted() bool { return k.signedIn() && k.sess.AssistedBy() != "" && k.staffOn() }

func (k *Kiosk) openStatus() {
	k.st.printers = nil
	k.staffGo(scrStaffStatus)
	if pc, ok := k.o.Printer.(PrinterChecker); ok {
		var checks []PrinterCheck
		k.async(func() { checks = pc.Check() }, func() {
			if k.screen == scrStaffStatus {
				k.st.printers = checks
				k.render()
			}
		}, nil)
	}
}

func (k *Kiosk) staffStatusScreen() fyne.CanvasObject {
	st := &k.st
	box := container.NewVBox(heading(k.t("ui.staff.status_title")))
	if k.o.Syncer == nil {
		box.Add(text(k.t("ui.staff.no_sync")))
		k.addDayButton(box)
		return box
	}
	s, err := k.o.Syncer.Status()
	if err != nil {
		box.Add(problemText(k.problem(err)))
		return box
	}
	now := k.mgr.Now()
	never := k.t("ui.staff.never")
	when := func(t time.Time) string {
		if t.IsZero() {
			return never
		}
		return k.t("ui.staff.when_ago", "when", k.lang.DateTime(k.local(t)), "ago", k.ago(now.Sub(t)))
	}
	if s.Lock == "keyfile" { // a plain key file beside the cache: the demo and tests only
		box.Add(problemText(k.t("kiosk.key.plain_warning")))
	}
	box.Add(pair(k.t("ui.staff.server"), s.Server))
	box.Add(pair(k.t("ui.staff.kiosk"), s.Kiosk+" · "+s.Office))
	box.Add(pair(k.t("ui.staff.last_success"), when(s.LastSuccess)))
	box.Add(pair(k.t("ui.staff.last_attempt"), when(s.LastAttempt)))
	box.Add(pair(k.t("ui.staff.cursor"), k.lang.Int(s.Cursor)))
	box.Add(pair(k.t("ui.staff.pending"), k.lang.Int(int64(s.PendingOutbox))))
	total := 0
	for _, n := range s.Counts {
		total += n
	}
	box.Add(pair(k.t("ui.staff.records"), k.lang.Int(int64(total))))
	lastErr := s.LastError
	if lastErr == "" {
		lastErr = k.t("ui.staff.none")
	}
	box.Add(pair(k.t("ui.staff.last_error"), lastErr))
	box.Add(pair(k.t("ui.staff.guessing"), k.guessingText(when)))

	sync := k.btn("ui.staff.sync_now", k.syncNow)
	sync.Importance = widget.HighImportance
	if st.syncing {
		sync.SetText(k.t("ui.staff.syncing", "n", k.lang.Int(int64(st.progress.Done))))
		sync.Disable()
	}
	box.Add(container.NewHBox(sized(220, 56, sync)))
	switch {
	case st.syncErr != nil:
		box.Add(problemText(k.problem(st.syncErr)))
	case st.syncRes != nil:
		box.Add(noteText(k.t("ui.staff.synced", "pulled", k.lang.Int(int64(st.syncRes.Pulled)),
			"pushed", k.lang.Int(int64(st.syncRes.Pushed)))))
	}

	k.addDayButton(box)

	box.Add(subheading(k.t("ui.staff.printers")))
	box.Add(text(k.printSetupText())) // what prints where, from the queues set up
	if _, ok := k.o.Printer.(PrinterChecker); ok && st.printers == nil {
		box.Add(text(k.t("ui.staff.printers_checking")))
	}
	for _, p := range st.printers {
		state := k.t("ui.staff.printer_ready")
		if !p.Ready {
			state = k.problem(p.Problem)
		}
		queue := p.Queue
		if queue == "" {
			queue = k.t("ui.staff.none")
		}
		box.Add(pair(k.t(p.NameKey), queue+" · "+state))
	}
	return box
}

// addDayButton adds the button that prints the day's summary, and why it could not be read.
func (k *Kiosk) addDayButton(box *fyne.Container) {
	box.Add(container.NewHBox(sized(0, 56, k.btn("ui.staff.print_day", k.printDay))))
	if k.st.dayErr != nil {
		box.Add(problemText(k.problem(k.st.dayErr)))
	}
}

// printDay previews the day's summary slip: what this kiosk did since the office's midnight, in
// counts, with no one's identity.
func (k *Kiosk) printDay() {
	now := k.local(k.mgr.Now())
	midnight := domain.DateOf(now).Time(now.Location())
	a, err := k.staff.Activity(midnight, now)
	if k.st.dayErr = err; err != nil {
		k.render()
		return
	}
	k.printDoc(documents.Job{Kind: documents.KioskDay, Profile: k.prof, Lang: k.lang, Activity: a,
		Staff: k.staff.Account().ID, AsOf: k.asOf()}, scrStaffStatus)
}

// ago says how long ago something was, in round words.
func (k *Kiosk) ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return k.t("ui.staff.ago_now")
	case d < time.Hour:
		return k.t("ui.staff.ago_minutes", "n", itoa(int(d/time.Minute)))
	case d < 48*time.Hour:
		return k.t("ui.staff.ago_hours", "n", itoa(int(d/time.Hour)))
	}
	return k.t("ui.staff.ago_days", "n", itoa(int(d/(24*time.Hour))))
}

// syncNow runs a sync off the UI goroutine and shows its progress.
func (k *Kiosk) syncNow() {
	st := &k.st
	if st.syncing || k.o.Syncer == nil {
		return
	}
	st.syncing, st.syncErr, st.syncRes, st.progress = true, nil, nil, syncstate.Progress{}
	k.render()
	k.staff.Audit("staff_sync_now", "", "")
	gen, syncer, progress := k.gen, k.o.Syncer, k.o.SyncProgress
	var res syncstate.Result
	var err error
	stop := make(chan struct{})
	if progress != nil {
		relay(&k.bridge, progress, stop, func(p syncstate.Progress) {
			if gen == k.gen && k.st.syncing {
				k.st.progress = p
				if k.screen == scrStaffStatus {
					k.render()
				}
			}
		})
	}
	k.async(func() {
		res, err = syncer.Sync(context.Background())
		close(stop)
	}, func() {
		k.st.syncing = false
		if err != nil {
			k.st.syncErr = err
		} else {
			k.st.syncRes = &res
		}
		if k.screen == scrStaffStatus {
			k.render()
		}
	}, nil)
}

func (k *Kiosk) openAudit() {
	k.st.audit, k.st.auditErr = k.staff.RecentAudit(100)
	k.staffGo(scrStaffAudit)
}

// unlockColleague unlocks the staff account typed on the supervisor's screen.
func (k *Kiosk) unlockColleague() {
	st := &k.st
	id := strings.TrimSpace(st.value("colleague"))
	if id == "" {
		return
	}
	unlocked, err := k.staff.UnlockStaff(id)
	st.problem, st.notice = err, ""
	switch {
	case err == nil && unlocked:
		st.notice = "ui.staff.colleague_unlocked"
		st.values["colleague"] = ""
		st.audit, st.auditErr = k.staff.RecentAudit(100)
	case err == nil:
		st.notice = "ui.staff.colleague_not_locked"
	}
	k.render()
}

func (k *Kiosk) staffAuditScreen() fyne.CanvasObject {
	st := &k.st
	box := container.NewVBox(subheading(k.t("ui.staff.colleague_title")), text(k.t("ui.staff.colleague_intro")))
	k.staffEntry(box, "colleague", "ui.staff.id", "ui.staff.unlock", k.unlockColleague)
	if st.field == "colleague" { // the keyboard once the field is touched: the list comes first
		box.Add(k.keyboard(k.staffKey))
	}
	box.Add(heading(k.t("ui.staff.audit_title")))
	box.Add(text(k.t("ui.staff.audit_intro")))
	if st.auditErr != nil {
		box.Add(problemText(k.problem(st.auditErr)))
		return box
	}
	if len(st.audit) == 0 {
		box.Add(text(k.t("ui.staff.none")))
	}
	for _, ev := range st.audit {
		box.Add(k.auditLine(ev)) // in words (audit.go)
	}
	return box
}

// SyncWith joins the cache's sync status and the sync client into a Syncer.
type SyncWith struct {
	Store interface {
		Status() (syncstate.Status, error)
	}
	Client interface {
		Sync(ctx context.Context) (syncstate.Result, error)
	}
}

// Status is the cache's record of its syncs.
func (s SyncWith) Status() (syncstate.Status, error) { return s.Store.Status() }

// Sync syncs now.
func (s SyncWith) Sync(ctx context.Context) (syncstate.Result, error) { return s.Client.Sync(ctx) }

// guessingText is the throttle's last alert for the status screen (session.Alert): when many
// sign-ins failed at this kiosk and it began to make them wait; none since it started.
func (k *Kiosk) guessingText(when func(time.Time) string) string {
	a := k.mgr.Guessing()
	if a.At.IsZero() {
		return k.t("ui.staff.none")
	}
	key := "ui.staff.guessing_parents"
	if a.Staff {
		key = "ui.staff.guessing_staff"
	}
	return k.t(key, "n", itoa(a.Failures), "minutes", itoa(int(domain.SignInThrottle.Window/time.Minute)),
		"when", when(a.At))
}
