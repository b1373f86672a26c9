package ui

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/ui/demoenv"
)

// Accessibility measured on every screen, in both looks (normal and high contrast) and both
// text sizes, at the kiosk's 1280×800: the contrast of every text against what it is drawn on
// (WCAG 2.1 AA: 4.5:1, 3:1 for large text, 24 px or bold 18.66 px and up) and the size of
// every touch target (48×48 px at least). The colours are those the widgets' renderers draw,
// and a text's background is the last filled rectangle painted under it (blended over what is
// below when it is not opaque), else the page.

// luminance is WCAG 2.1's relative luminance of c.
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	r, g, b := n.R, n.G, n.B
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is WCAG's contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over paints c over the opaque colour under.
func over(c, under color.Color) color.Color {
	f := color.NRGBAModel.Convert(c).(color.NRGBA)
	u := color.NRGBAModel.Convert(under).(color.NRGBA)
	a := float64(f.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(f.R, u.R), G: mix(f.G, u.G), B: mix(f.B, u.B), A: 0xff}
}

type painted struct {
	pos     fyne.Position
	size    fyne.Size
	fill    color.Color
	scrolls []*container.Scroll
}

// accessFinding is one measured thing: a pair of colours or a target.
type accessFinding struct {
	value float64 // a ratio, or the shorter side of a target
	what  string
}

type accessAudit struct {
	worstText, smallestTarget accessFinding
	pairs, targets            int
	failures                  []string
}

// measure walks what the canvas shows and records every text's contrast and every button's size.
func (a *accessAudit) measure(c fyne.Canvas, where string) {
	d := fyne.CurrentApp().Driver()
	page := theme.Color(theme.ColorNameBackground)
	var fills []painted
	inside := func(p, at fyne.Position, size fyne.Size) bool {
		return p.X >= at.X && p.X <= at.X+size.Width && p.Y >= at.Y && p.Y <= at.Y+size.Height
	}
	// scrolls are the scroll containers around an object, outermost first: what is scrolled
	// out of view lies, by position, under the header or the footer, which it is not drawn on.
	var rec func(o fyne.CanvasObject, scrolls []*container.Scroll, inactive bool)
	rec = func(o fyne.CanvasObject, scrolls []*container.Scroll, inactive bool) {
		if o == nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *container.Scroll:
			scrolls = append(scrolls[:len(scrolls):len(scrolls)], v)
		case *widget.Button:
			inactive = inactive || v.Disabled() // WCAG asks nothing of an inactive control's text
			if s := v.Size(); s.Width > 0 {
				a.targets++
				side := float64(min(s.Width, s.Height))
				what := fmt.Sprintf("%s: button %q %.0f×%.0f", where, v.Text, s.Width, s.Height)
				if a.smallestTarget.what == "" || side < a.smallestTarget.value {
					a.smallestTarget = accessFinding{side, what}
				}
				if side < 48 {
					a.failures = append(a.failures, what+" is under 48×48 px")
				}
			}
		case *canvas.Rectangle:
			if _, _, _, al := v.FillColor.RGBA(); al > 0 && v.Size().Width > 0 {
				fills = append(fills, painted{d.AbsolutePositionForObject(v), v.Size(), v.FillColor, scrolls})
			}
		case *canvas.Text:
			if strings.TrimSpace(v.Text) == "" || inactive || v.Size().Width == 0 {
				return
			}
			p := d.AbsolutePositionForObject(v)
			mid := fyne.NewPos(p.X+v.Size().Width/2, p.Y+v.Size().Height/2)
			inView := true
			if n := len(scrolls); n > 0 {
				sc := scrolls[n-1]
				inView = inside(mid, d.AbsolutePositionForObject(sc), sc.Size())
			}
			bg := page
			for _, f := range fills {
				if !inside(mid, f.pos, f.size) || !under(f.scrolls, scrolls, inView) {
					continue
				}
				bg = over(f.fill, bg)
			}
			fg := over(v.Color, bg)
			ratio := contrast(fg, bg)
			large := v.TextSize >= 24 || (v.TextStyle.Bold && v.TextSize >= 18.66)
			need := 4.5
			if large {
				need = 3
			}
			a.pairs++
			what := fmt.Sprintf("%s: %q %v on %v, %.0f px bold=%t: %.2f:1", where, v.Text, rgbHex(fg), rgbHex(bg), v.TextSize, v.TextStyle.Bold, ratio)
			if a.worstText.what == "" || ratio/need < a.worstText.value {
				a.worstText = accessFinding{ratio / need, what}
			}
			if ratio < need {
				a.failures = append(a.failures, fmt.Sprintf("%s, under %.1f:1", what, need))
			}
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				rec(c, scrolls, inactive)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				rec(c, scrolls, inactive)
			}
		}
	}
	rec(c.Content(), nil, false)
	for _, o := range c.Overlays().List() {
		rec(o, nil, false)
	}
}

// under reports whether a fill painted inside the scrolls fill can lie under a text inside the
// scrolls text: the fill's scrolls are the text's or enclose them — only the very same ones when
// the text is scrolled out of view, where anything outside its scroll is not behind it.
func under(fill, text []*container.Scroll, inView bool) bool {
	if len(fill) > len(text) || (!inView && len(fill) != len(text)) {
		return false
	}
	for i := range fill {
		if fill[i] != text[i] {
			return false
		}
	}
	return true
}

func rgbHex(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}

// everyScreen shows each screen of the kiosk in turn and calls look on it: signed out, as each
// kind of parent (with the idle warning once), and as a supervisor, including a PIN issued.
func everyScreen(t *testing.T, r *rig, look func(where string)) {
	t.Helper()
	look("welcome")
	tap(t, r.c, r.tr("ui.nav.help"))
	look("help (signed out)")
	r.k.show(scrWelcome)
	for _, role := range []string{"custodial", "noncustodial", "both"} {
		s := r.s[role]
		r.signIn(t, s.Participant, s.PIN)
		if r.k.screen == scrNewPIN {
			look(role + " new PIN")
			r.k.signOut(scrWelcome, "")
			continue
		}
		for _, scr := range []string{scrHome, scrPay, scrDocuments, scrMessages, scrOtherParty, scrDetails, scrChangePIN, scrHelp} {
			if scr == scrOtherParty && !r.k.sess.ShowOtherParty() {
				continue
			}
			r.k.show(scr)
			look(role + " " + scr)
		}
		for _, side := range r.k.sess.Sides() {
			r.k.show(scrPayments)
			r.k.person.pay = payState{side: side}
			r.k.render()
			look(role + " payments " + string(side))
			if len(rows(r.c)) > 0 {
				tapFirstRow(t, r)
				look(role + " payment detail " + string(side))
			}
		}
		r.k.show(scrMessages)
		if r.k.sess != nil {
			r.k.show(scrHome)
			r.k.showWarning(30 * time.Second)
			look(role + " idle warning")
		}
		r.k.signOut(scrWelcome, "ui.signin.signed_out")
		look("welcome, signed out")
	}
	sv := staffLogin(t, r.env, domain.Supervisor)
	r.k.o.Syncer = SyncWith{Store: r.env.Cache, Client: r.env.Client}
	r.holdAgencyName(t, staffHold)
	look("staff sign-in")
	test.TypeOnCanvas(r.c, strings.ToLower(sv.Staff))
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.TypeOnCanvas(r.c, sv.Password)
	r.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.k.bridge.wait()
	look("staff search")
	r.search(t, r.s["custodial"].Participant)
	look("staff person")
	tap(t, r.c, r.tr("ui.staff.issue"))
	look("staff ID check")
	tap(t, r.c, r.tr("ui.staff.issue_confirm"))
	r.k.bridge.wait()
	look("staff PIN issued")
	tap(t, r.c, r.tr("ui.staff.pin_done"))
	tap(t, r.c, r.tr("ui.staff.status"))
	r.k.bridge.wait()
	look("staff status")
	tap(t, r.c, r.tr("ui.staff.audit"))
	look("staff audit")
	tap(t, r.c, r.tr("ui.staff.leave"))
}

// The ratio is WCAG's: black on white 21:1, #767676 on white 4.54:1.
func TestContrastRatio(t *testing.T) {
	white, black := color.NRGBA{255, 255, 255, 255}, color.NRGBA{0, 0, 0, 255}
	if r := contrast(black, white); math.Abs(r-21) > 0.01 {
		t.Errorf("black on white %.2f", r)
	}
	if r := contrast(color.NRGBA{0x76, 0x76, 0x76, 0xff}, white); math.Abs(r-4.54) > 0.01 {
		t.Errorf("#767676 on white %.2f", r)
	}
}

// Every text on every screen meets WCAG 2.1 AA contrast against what it is drawn on, and every
// button is at least 48×48 px, in both looks and both text sizes, at 1280×800.
func TestContrastAndTouchTargets(t *testing.T) {
	for _, look := range []struct {
		name            string
		large, contrast bool
	}{{"normal", false, false}, {"large text", true, false}, {"high contrast", false, true}, {"high contrast, large text", true, true}} {
		t.Run(look.name, func(t *testing.T) {
			r, _ := listenRig(t, fresh(t, demoenv.Options{}), nil)
			r.w.Resize(fyne.NewSize(1280, 800))
			if look.large {
				r.k.setLarge(true)
			}
			if look.contrast {
				r.k.setContrast(true)
			}
			a := &accessAudit{}
			screens := 0
			everyScreen(t, r, func(where string) { a.measure(r.c, where); screens++ })
			for _, f := range a.failures {
				t.Error(f)
			}
			t.Logf("%s: %d screens, %d texts, %d targets; worst contrast %s (%.2f of the need); smallest target %s",
				look.name, screens, a.pairs, a.targets, a.worstText.what, a.worstText.value, a.smallestTarget.what)
		})
	}
}
