package ui

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Spoken guidance: the header's Listen button reads the screen aloud through Options.Speaker
// (app/speech), in the session's language. What is said is read off the screen itself, by a
// walk of its widgets, so every screen is covered without a script of its own: the heading
// first, then the body's texts, fields and buttons in their order, then the menu, the header's
// controls and the footer.
//
// What is never said, at any tap: what is typed in a field (a field says its name and how many
// digits or characters it holds), anything masked, a run of five digits or more (IDs, SSNs,
// case numbers, with the letters joined to them), and the values the kiosk knows to be secret
// (what was typed, the signed-in person's ID and SSN, an issued PIN, the demo's sign-ins). The
// agency's own numbers (help line, TTY, remittance address) are said.
//
// A lobby can overhear: the first tap says only the kiosk's own words (texts that are a
// translation, with no placeholder a person's data fills), and counts what it held back
// ("3 details are not read aloud… Tap Listen again"); a second tap on the same screen says the
// details too (names, amounts, dates, messages). ARCHITECTURE.md says why.

// listenState is what the Listen button remembers: the screen and language it last spoke
// for, whether the next tap says the details, and the kiosk's own words per language.
type listenState struct {
	key     string
	details bool
	words   map[string]*ownWords
}

// listenButton is the header's Listen control: disabled, with the reason as its text, when
// the language has no voice; absent when the kiosk has no speaker.
func (k *Kiosk) listenButton() fyne.CanvasObject {
	if k.o.Speaker == nil {
		gap := layout.NewSpacer()
		gap.Hide()
		return gap
	}
	// Marked by its icon and word; blue (HighImportance) would read as "on", as the language
	// chosen does.
	b := widget.NewButtonWithIcon(k.t("ui.listen"), theme.VolumeUpIcon(), k.listen)
	if !k.o.Speaker.Speaks(k.lang.Code()) {
		b.SetText(k.t("ui.listen.no_voice"))
		b.Disable()
	}
	return b
}

// listen says the screen: its overview at the first tap, with the details at the next.
func (k *Kiosk) listen() {
	k.touch()
	sp := k.o.Speaker
	sp.Stop()
	key := k.screen + "/" + k.lang.Code()
	if k.speech.key != key {
		k.speech.key, k.speech.details = key, false
	}
	details := k.speech.details
	k.speech.details = !details
	_ = sp.Say(k.lang.Code(), k.spokenText(details)) // a failed engine leaves the screen as it is
}

// speechFollows ends what is being said when the screen or the language changed since the
// Listen tap (render calls it).
func (k *Kiosk) speechFollows() {
	if k.o.Speaker == nil || k.speech.key == "" || k.speech.key == k.screen+"/"+k.lang.Code() {
		return
	}
	k.stopSpeech()
}

// stopSpeech ends what is being said: at sign-out, Quick Exit and the time-out.
func (k *Kiosk) stopSpeech() {
	if k.o.Speaker == nil {
		return
	}
	k.o.Speaker.Stop()
	k.speech.key, k.speech.details = "", false
}

// spokenText is what Listen says for the screen now shown: the overview, or with details.
func (k *Kiosk) spokenText(details bool) string {
	u := &utterance{k: k, details: details, secrets: k.secrets(), words: k.ownWordsOf(), heading: -1}
	root := k.w.Content()
	parts := []fyne.CanvasObject{k.head.obj, k.navc.obj, k.foot.obj}
	u.skip = map[fyne.CanvasObject]bool{}
	for _, p := range parts {
		if p != nil {
			u.skip[p] = true
		}
	}
	u.present = map[fyne.CanvasObject]bool{}
	u.visit(root)
	if u.heading >= 0 {
		h := u.lines[u.heading]
		u.lines = append([]string{h}, append(u.lines[:u.heading:u.heading], u.lines[u.heading+1:]...)...)
	}
	u.skip, u.heading = nil, -2 // a heading in the menu or the header is none
	for _, p := range []fyne.CanvasObject{k.navc.obj, k.head.obj, k.foot.obj} {
		if u.present[p] { // kept parts not on this screen (the footer under a keyboard) are not said
			u.visit(p)
		}
	}
	if !details && u.held > 0 {
		if u.held == 1 {
			u.lines = append(u.lines, k.t("ui.listen.held_one"))
		} else {
			u.lines = append(u.lines, k.t("ui.listen.held", "n", itoa(u.held)))
		}
	}
	if details {
		u.lines = append([]string{k.t("ui.listen.details")}, u.lines...)
	}
	u.lines = u.k.joinRows(u.lines)
	for i, l := range u.lines {
		if !strings.ContainsAny(l[len(l)-1:], ".?!:。？！") {
			u.lines[i] = l + "." // a pause between the lines
		}
	}
	return strings.Join(u.lines, "\n")
}

// joinRows says a run of tappable rows held back (a page of payments) once, with its count.
func (k *Kiosk) joinRows(lines []string) []string {
	row := k.t("ui.listen.row")
	var out []string
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && lines[j] == row {
			j++
		}
		switch {
		case j-i > 1:
			out = append(out, k.t("ui.listen.rows", "n", itoa(j-i)))
			i = j
		default:
			out = append(out, lines[i])
			i++
		}
	}
	return out
}

// utterance gathers what is said for one screen.
type utterance struct {
	k       *Kiosk
	details bool
	secrets []string
	words   *ownWords
	skip    map[fyne.CanvasObject]bool // the kept parts, said after the body
	present map[fyne.CanvasObject]bool // those of them found on the screen
	lines   []string
	heading int // index in lines of the screen's heading; -1 none yet
	held    int // details left out of the overview
}

func (u *utterance) visit(o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	if u.skip[o] {
		u.present[o] = true
		return
	}
	switch v := o.(type) {
	case *widget.Label:
		if s, ok := u.say(v.Text); ok {
			if v.SizeName == theme.SizeNameHeadingText && u.heading == -1 {
				u.heading = len(u.lines)
			}
			u.lines = append(u.lines, s)
		}
	case *widget.RichText:
		u.line(v.String())
	case *canvas.Text:
		u.line(v.Text)
	case *widget.Button:
		u.button(v.Text, v.Disabled())
	case *container.Scroll:
		u.visit(v.Content)
	case *touchScroll:
		u.visit(v.scroll)
	case *container.ThemeOverride:
		if _, ok := v.Theme.(keysTheme); ok {
			u.lines = append(u.lines, u.k.t("ui.listen.keyboard")) // not its 60 keys one by one
			return
		}
		u.visit(v.Content)
	case *holdArea:
		u.visit(v.content)
	case *fyne.Container:
		if u.tappable(v) {
			return
		}
		for _, c := range v.Objects {
			u.visit(c)
		}
	}
}

// tappable says a stack of a text-less button under texts, the kiosk's field and its
// tappable rows; false when c is no such stack.
func (u *utterance) tappable(c *fyne.Container) bool {
	if len(c.Objects) < 2 {
		return false
	}
	b, ok := c.Objects[0].(*widget.Button)
	if !ok || b.Text != "" {
		return false
	}
	var labels []*widget.Label
	for _, part := range c.Objects[1:] {
		eachLabel(part, func(l *widget.Label) { labels = append(labels, l) })
	}
	if frame, ok := c.Objects[1].(*canvas.Rectangle); ok && len(labels) == 2 {
		// A field (keypad.go's fieldValue): its name and how much it holds, never what.
		name, _ := u.sayable(labels[0].Text) // a field's name is the kiosk's: said in the overview too
		if name == "" {
			name = u.k.unsaid(strings.TrimSpace(labels[0].Text), u.secrets)
		}
		key := "ui.listen.field"
		if frame.StrokeWidth > 2 {
			key = "ui.listen.field_active"
		}
		u.lines = append(u.lines, u.k.t(key, "label", name, "state", u.k.filled(labels[1].Text)))
		return true
	}
	var said []string
	held := false
	for _, l := range labels {
		if s, ok := u.sayable(l.Text); ok {
			said = append(said, s)
		} else if strings.TrimSpace(l.Text) != "" {
			held = true
		}
	}
	if held && !u.details {
		u.held++
		u.lines = append(u.lines, u.k.t("ui.listen.row"))
		return true
	}
	if len(said) > 0 {
		u.lines = append(u.lines, u.k.t("ui.listen.button", "label", strings.Join(said, ", ")))
	}
	return true
}

// eachLabel calls f for the labels under o, in order.
func eachLabel(o fyne.CanvasObject, f func(*widget.Label)) {
	switch v := o.(type) {
	case *widget.Label:
		if v.Visible() {
			f(v)
		}
	case *fyne.Container:
		for _, c := range v.Objects {
			eachLabel(c, f)
		}
	case *container.ThemeOverride:
		eachLabel(v.Content, f)
	}
}

// line adds a text, if it may be said.
func (u *utterance) line(s string) {
	if s, ok := u.say(s); ok {
		u.lines = append(u.lines, s)
	}
}

func (u *utterance) button(text string, disabled bool) {
	s, ok := u.say(text)
	switch {
	case strings.TrimSpace(text) == "":
		return
	case !ok:
		u.lines = append(u.lines, u.k.t("ui.listen.row"))
	case disabled:
		u.lines = append(u.lines, u.k.t("ui.listen.button_off", "label", s))
	default:
		u.lines = append(u.lines, u.k.t("ui.listen.button", "label", s))
	}
}

// say is s as it may be said, and whether it is said at all: empty texts are not, nor, in
// the overview, what is not the kiosk's own words (counted as held back).
func (u *utterance) say(s string) (string, bool) {
	said, ok := u.sayable(s)
	if !ok && strings.TrimSpace(s) != "" {
		u.held++
	}
	return said, ok
}

// sayable is say without the count.
func (u *utterance) sayable(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || (!u.details && !u.words.has(s)) {
		return "", false
	}
	return u.k.unsaid(s, u.secrets), true
}

// filled says how much a field holds, from what it shows (digits, a mask or letters).
func (k *Kiosk) filled(shown string) string {
	n := utf8.RuneCountInString(strings.TrimSpace(shown))
	digits := strings.IndexFunc(shown, func(r rune) bool { return !unicode.IsDigit(r) && !masked(r) && r != ' ' }) < 0
	switch {
	case n == 0:
		return k.t("ui.listen.empty")
	case digits && n == 1:
		return k.t("ui.listen.digit_one")
	case digits:
		return k.t("ui.listen.digits", "n", itoa(n))
	case n == 1:
		return k.t("ui.listen.char_one")
	}
	return k.t("ui.listen.chars", "n", itoa(n))
}

// masked reports a mask character: the kiosk's • for IDs and ● for PINs.
func masked(r rune) bool { return r == '•' || r == '●' || r == '*' }

// secrets are the values shown or typed now that are never said.
func (k *Kiosk) secrets() []string {
	out := []string{k.signin.id, k.signin.pin, k.person.pin.current, k.person.pin.first, k.person.pin.second, k.st.person}
	for _, v := range k.person.form.values {
		out = append(out, v)
	}
	for _, v := range k.st.values {
		out = append(out, v)
	}
	if k.st.issued != nil {
		out = append(out, k.st.issued.PIN)
	}
	if k.sess != nil {
		p := k.sess.Participant()
		out = append(out, p.ID, p.SSN)
	}
	for _, d := range append(append([]DemoLogin(nil), k.o.Demo...), k.o.DemoStaff...) {
		out = append(out, d.Login, d.PIN)
	}
	keep := out[:0]
	for _, s := range out {
		if len(strings.TrimSpace(s)) >= 3 { // shorter ones are in fields, said by their count
			keep = append(keep, s)
		}
	}
	return keep
}

// digitRun is a run of digits, with the spaces and dashes people write inside IDs and SSNs,
// and the letters around it (a case number "CS20250001").
var digitRun = regexp.MustCompile(`[\p{L}\p{Nd}]*\p{Nd}(?:[ \-]?\p{Nd})*\p{L}*`)

// unsaid is s with what must never be said aloud replaced by "a number not read aloud".
func (k *Kiosk) unsaid(s string, secrets []string) string {
	hidden := k.t("ui.listen.hidden")
	// The agency's own numbers are said: kept aside while the rest is scrubbed.
	c, r := k.prof.Contacts, k.prof.Remit
	public := append([]string{c.Phone, c.TTY, c.InfoLine, c.Website, c.DVHotline, c.DVHotlineTTY, r.Phone, r.Website, r.Payee}, r.Lines...)
	var kept []string
	for _, p := range public {
		if p != "" && strings.Contains(s, p) {
			s = strings.ReplaceAll(s, p, "\x00"+itoa(len(kept))+"\x00")
			kept = append(kept, p)
		}
	}
	for _, v := range secrets {
		s = strings.ReplaceAll(s, v, hidden)
	}
	fields := strings.Fields(s)
	for i, f := range fields {
		if strings.IndexFunc(f, masked) >= 0 {
			fields[i] = hidden
		}
	}
	s = strings.Join(fields, " ")
	s = digitRun.ReplaceAllStringFunc(s, func(run string) string {
		n := 0
		for _, r := range run {
			if unicode.IsDigit(r) {
				n++
			}
		}
		if n >= 5 { // an ID, an SSN, a case number; a PIN shown is among the secrets
			return hidden
		}
		return run
	})
	for i, p := range kept {
		s = strings.ReplaceAll(s, "\x00"+itoa(i)+"\x00", p)
	}
	return s
}

// ownWords are the kiosk's own words in one language: every translation, and the patterns of
// those with placeholders that only the kiosk fills (a count, the agency's numbers, the ID's
// name, a time).
type ownWords struct {
	exact    map[string]bool
	patterns []*regexp.Regexp
}

// placeholder matches a template's {name}.
var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// ownWordsOf builds (once per language) the kiosk's own words.
func (k *Kiosk) ownWordsOf() *ownWords {
	code := k.lang.Code()
	if w := k.speech.words[code]; w != nil {
		return w
	}
	c := k.prof.Contacts
	quoted := func(vs ...string) string {
		var q []string
		for _, v := range vs {
			if v != "" {
				q = append(q, regexp.QuoteMeta(v))
			}
		}
		if len(q) == 0 {
			return "(?:\x00)"
		}
		return "(?:" + strings.Join(q, "|") + ")"
	}
	safe := map[string]string{
		"n": `[0-9]+`, "seconds": `[0-9]+`, "minutes": `[0-9]+`, "tries": `[0-9]+`,
		"page": `[0-9]+`, "pages": `[0-9]+`, "count": `[0-9]+`,
		"phone": quoted(c.Phone, c.InfoLine, c.DVHotline, k.prof.Remit.Phone),
		"tty":   quoted(c.TTY, c.DVHotlineTTY), "website": quoted(c.Website, k.prof.Remit.Website),
		"id":   quoted(k.t(k.prof.ParticipantID.NameKey)),
		"when": `[^•●]+`, "until": `[^•●]+`,
	}
	w := &ownWords{exact: map[string]bool{}}
	for _, code := range k.prof.Languages {
		w.exact[k.o.Catalog.Lang(code).T("language.name")] = true // the language buttons
	}
	for _, key := range k.o.Catalog.Keys() {
		if !k.lang.Has(key) {
			continue
		}
		tmpl := strings.TrimSpace(k.lang.T(key))
		if !strings.Contains(tmpl, "{") {
			w.exact[tmpl] = true
			continue
		}
		var re strings.Builder
		re.WriteString(`^(?s)`)
		ok, letters, last := true, 0, 0
		for _, m := range placeholder.FindAllStringSubmatchIndex(tmpl, -1) {
			lit := tmpl[last:m[0]]
			letters += strings.IndexFunc(lit, unicode.IsLetter) + 1
			re.WriteString(regexp.QuoteMeta(lit))
			p, isSafe := safe[tmpl[m[2]:m[3]]]
			if !isSafe {
				ok = false
				break
			}
			re.WriteString(p)
			last = m[1]
		}
		if !ok {
			continue
		}
		lit := tmpl[last:]
		letters += strings.IndexFunc(lit, unicode.IsLetter) + 1
		re.WriteString(regexp.QuoteMeta(lit) + `$`)
		if letters == 0 {
			continue // a template that is all placeholders would take any text for the kiosk's
		}
		w.patterns = append(w.patterns, regexp.MustCompile(re.String()))
	}
	if k.speech.words == nil {
		k.speech.words = map[string]*ownWords{}
	}
	k.speech.words[code] = w
	return w
}

// has reports whether s is the kiosk's own words.
func (w *ownWords) has(s string) bool {
	if w.exact[s] || (len(s) == 1 && s[0] >= '0' && s[0] <= '9') { // a key of the keypad
		return true
	}
	for _, p := range w.patterns {
		if p.MatchString(s) {
			return true
		}
	}
	return false
}
