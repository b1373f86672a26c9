//go:build screen

package main

// The kiosk under Fyne's real desktop driver, on a virtual X display: what the headless test
// driver cannot show. The idle warning passed every headless test and was never painted on a
// screen; this test looks at the screen's pixels. Run by scripts/test:
//
//	go test -tags screen -run TestRealScreen ./cmd/kiosk
//
// It needs Xvfb, xdotool and ImageMagick's import (scripts/test installs them), builds the
// kiosk with cgo, starts it on the demo data, types a demo sign-in as a keyboard would, and
// reads the screen back.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func need(t *testing.T, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing", p)
			}
			t.Skipf("%s is missing", p)
		}
	}
}

// display starts Xvfb at 1280×800 and returns its DISPLAY.
func display(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		t.Fatalf("Xvfb gave no display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

type screen struct {
	t       *testing.T
	display string
	dir     string
	shots   int
}

// shot reads the whole screen.
func (s *screen) shot(name string) image.Image {
	s.t.Helper()
	cmd := exec.Command("import", "-display", s.display, "-window", "root", "png:-")
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("import: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		s.t.Fatal(err)
	}
	s.shots++
	// Kept for a person to look at when the test fails.
	os.WriteFile(filepath.Join(s.dir, fmt.Sprintf("%02d-%s.png", s.shots, name)), out, 0o600)
	return img
}

func (s *screen) xdo(args ...string) {
	s.t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+s.display)
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Fatalf("xdotool %v: %v %s", args, err, out)
	}
}

// mean averages f over a region, sampling every step-th pixel each way.
func mean(r image.Rectangle, step int, f func(x, y int) float64) float64 {
	var sum float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y += step {
		for x := r.Min.X; x < r.Max.X; x += step {
			sum += f(x, y)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// blue is how much bluer than red a region is on average, -1 to 1: the highlighted Home
// button of the signed-in menu is the kiosk's blue, the welcome screen there is white.
func blue(img image.Image, r image.Rectangle) float64 {
	return mean(r.Intersect(img.Bounds()), 2, func(x, y int) float64 {
		cr, _, cb, _ := img.At(x, y).RGBA()
		return (float64(cb) - float64(cr)) / 0xffff
	})
}

// brightness is the mean luminance of a region, 0 (black) to 1 (white).
func brightness(img image.Image, r image.Rectangle) float64 {
	return mean(r.Intersect(img.Bounds()), 4, func(x, y int) float64 {
		cr, cg, cb, _ := img.At(x, y).RGBA()
		return (0.2126*float64(cr) + 0.7152*float64(cg) + 0.0722*float64(cb)) / 0xffff
	})
}

// differs is 1 when pixel (ax, ay) of a and (bx, by) of b differ, else 0.
func differs(a image.Image, ax, ay int, b image.Image, bx, by int) float64 {
	ar, ag, ab, _ := a.At(ax, ay).RGBA()
	br, bg, bb, _ := b.At(bx, by).RGBA()
	if ar != br || ag != bg || ab != bb {
		return 1
	}
	return 0
}

// difference is the share of sampled pixels of a region that differ between two pictures.
func difference(a, b image.Image, r image.Rectangle) float64 {
	return mean(r.Intersect(a.Bounds()).Intersect(b.Bounds()), 2, func(x, y int) float64 {
		return differs(a, x, y, b, x, y)
	})
}

// bestShift finds the upward shift, from lo to hi pixels, at which b's region r best matches
// a's, and the share of sampled pixels that still differ there.
func bestShift(a, b image.Image, r image.Rectangle, lo, hi int) (int, float64) {
	best, bestD := 0, 1.0
	for d := lo; d <= hi; d++ {
		top := r
		top.Max.Y -= d
		if top.Empty() {
			break
		}
		if diff := mean(top, 3, func(x, y int) float64 { return differs(a, x, y+d, b, x, y) }); diff < bestD {
			best, bestD = d, diff
		}
	}
	return best, bestD
}

var sampleLine = regexp.MustCompile(`participant ID (\d+)\s+PIN (\d+)\s+\(([^)]*)\)`)

// TestRealScreenIdleWarning: a parent signs in, drags the payments list with a finger (it must
// scroll), types on the message keyboard (its keys must stay put), then touches nothing. After the idle time the
// "Are you still there?" warning must be painted over the screen (the screen darkens but for
// the box in its middle), a tap must take it away, and at the end of the countdown the kiosk
// signs out.
func TestRealScreenIdleWarning(t *testing.T) {
	need(t, "Xvfb", "xdotool", "import", "go")
	dir := t.TempDir()
	bin := filepath.Join(dir, "kiosk")
	build := exec.Command("go", "build", "-tags", "demo", "-o", bin, ".") // it runs --demo
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const idle, warn = 30, 10
	cfg := filepath.Join(dir, "kiosk.toml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("profile = \"CA\"\n[session]\nidle_seconds = %d\nwarning_seconds = %d\n", idle, warn)), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &screen{t: t, display: display(t), dir: os.Getenv("KIOSK_SCREEN_SHOTS")}
	if s.dir == "" {
		s.dir = dir
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	k := exec.CommandContext(ctx, bin, "--demo", "--config", cfg)
	// A demo of its own: the demo's one-instance lock lives in the runtime or temporary
	// directory, which another demo on this machine may hold.
	k.Env = append(os.Environ(), "DISPLAY="+s.display, "LANG=en_US.UTF-8", "XDG_RUNTIME_DIR=", "TMPDIR="+dir)
	out, err := k.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	k.Stderr = &stderr
	if err := k.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Process.Kill(); k.Wait() })

	// The demo prints its sign-ins; take one without a temporary PIN.
	var id, pin string
	sc := bufio.NewScanner(out)
	for sc.Scan() && id == "" {
		if m := sampleLine.FindStringSubmatch(sc.Text()); m != nil && !strings.Contains(m[3], "temporary") {
			id, pin = m[1], m[2]
		}
	}
	if id == "" {
		t.Fatalf("the demo printed no sign-in; stderr:\n%s", stderr.String())
	}
	go func() {
		for sc.Scan() {
		}
	}()

	// Wait until the welcome screen is painted: no longer a black screen.
	whole := image.Rect(0, 0, 1280, 800)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if brightness(s.shot("start"), whole) > 0.5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the welcome screen was never painted; stderr:\n%s", stderr.String())
		}
		time.Sleep(time.Second)
	}
	time.Sleep(2 * time.Second)

	// Sign in as a keyboard would: the ID, Enter, the PIN, Enter.
	s.xdo("type", "--delay", "40", id)
	s.xdo("key", "Return")
	s.xdo("type", "--delay", "40", pin)
	s.xdo("key", "Return")
	signedIn := time.Now()
	time.Sleep(4 * time.Second)
	before := s.shot("signed-in")
	home := image.Rect(10, 85, 180, 125) // the menu's first button, Home, highlighted
	if b := brightness(before, whole); b < 0.6 {
		t.Fatalf("the signed-in screen is dark (%.2f) before any warning", b)
	}
	if b := blue(before, home); b < 0.3 {
		t.Fatalf("not signed in: no highlighted Home button in the menu (%.2f); stderr:\n%s", b, stderr.String())
	}

	// A finger's drag scrolls the payments list: press on it, move up 400 px, release. The
	// body changes and the header does not.
	s.xdo("mousemove", "64", "162", "click", "1") // Payments, second in the menu
	time.Sleep(2 * time.Second)
	s.xdo("mousemove", "1279", "799")
	time.Sleep(500 * time.Millisecond)
	list := s.shot("payments")
	s.xdo("mousemove", "700", "650", "mousedown", "1")
	for i := 1; i <= 10; i++ {
		s.xdo("mousemove", "700", fmt.Sprint(650-40*i))
		time.Sleep(30 * time.Millisecond)
	}
	s.xdo("mouseup", "1")
	s.xdo("mousemove", "1279", "799") // off the list: no row is drawn as hovered
	signedIn = time.Now()             // the last touch
	time.Sleep(2 * time.Second)
	dragged := s.shot("payments-dragged")
	bodyArea, header := image.Rect(200, 80, 1260, 720), image.Rect(0, 0, 1280, 70)
	if d := difference(list, dragged, header); d > 0.01 {
		t.Fatalf("the header changed with the drag (%.3f)", d)
	}
	if d := difference(list, dragged, bodyArea); d < 0.02 {
		t.Fatalf("a finger's drag did not scroll the payments list (%.3f of the body changed)", d)
	}
	// Scrolled, not replaced by another screen: the body after the drag is the body before it
	// moved up by about the drag's 400 px.
	if shift, d := bestShift(list, dragged, image.Rect(200, 90, 1260, 715), 300, 460); d > 0.03 {
		t.Fatalf("the body after the drag is not the list moved up (best match %d px up, %.3f differ)", shift, d)
	}
	if b := blue(dragged, home); b > 0.1 {
		t.Fatal("the drag tapped something: the Home button is highlighted again")
	}
	// The page keeps its place when it is drawn anew: a language switch leaves the list
	// scrolled (the year strip's blue "All years" stays out of sight), and back again.
	allYears := image.Rect(205, 228, 305, 262)
	if b := blue(list, allYears); b < 0.3 {
		t.Fatalf("no blue All years button at the top of the payments (%.2f)", b)
	}
	// California offers eight languages: the header's globe opens the chooser.
	s.xdo("mousemove", "754", "36", "click", "1") // the globe, "English"
	time.Sleep(time.Second)
	s.xdo("mousemove", "782", "301", "click", "1") // Español, second in the chooser
	time.Sleep(2 * time.Second)
	s.xdo("mousemove", "1279", "799")
	if b := blue(s.shot("payments-es"), allYears); b > 0.1 {
		t.Fatalf("the language switch took the page back to its top (%.2f)", b)
	}
	s.xdo("mousemove", "702", "36", "click", "1") // the globe, "Español"
	time.Sleep(time.Second)
	s.xdo("mousemove", "497", "301", "click", "1") // English, first in the chooser
	s.xdo("mousemove", "1279", "799")
	time.Sleep(time.Second)

	// The message keyboard stays under the finger: "when is" tapped on its keys types what
	// the same letters typed on a keyboard type, and no key moves while it types. (The page
	// used to jump to its top at every key, so each later tap hit another letter.)
	s.xdo("mousemove", "64", "344", "click", "1") // Messages
	time.Sleep(2 * time.Second)
	s.xdo("mousemove", "298", "182", "click", "1") // Write to the office
	away := func() { s.xdo("mousemove", "228", "650"); time.Sleep(time.Second) }
	away()
	keys, field := image.Rect(236, 480, 1270, 795), image.Rect(240, 225, 1262, 312)
	open := s.shot("keyboard")
	if b := brightness(open, keys); b < 0.6 || b > 0.97 {
		t.Fatalf("no keyboard docked at the bottom of the Messages screen (brightness %.2f)", b)
	}
	// w h e n space i s, in rows of 11 keys 94 px apart from x = 282: q row 557, a row 609,
	// z row 661, the space bar 765.
	for _, k := range [][2]int{{376, 557}, {752, 609}, {470, 557}, {752, 661}, {752, 765}, {940, 557}, {376, 609}} {
		s.xdo("mousemove", fmt.Sprint(k[0]), fmt.Sprint(k[1]), "click", "1")
		time.Sleep(300 * time.Millisecond)
	}
	away()
	tapped := s.shot("keyboard-tapped")
	if d := difference(open, tapped, keys); d > 0.01 {
		t.Fatalf("the keyboard moved or changed while it typed (%.3f of it differs)", d)
	}
	if d := difference(open, tapped, field); d < 0.005 {
		t.Fatal("tapping the keys typed nothing into the message")
	}
	for range 7 {
		s.xdo("mousemove", "1193", "765", "click", "1") // Erase
		time.Sleep(200 * time.Millisecond)
	}
	away()
	if d := difference(open, s.shot("keyboard-erased"), field); d > 0.002 {
		t.Fatalf("seven Erase taps did not empty the message (%.3f differs)", d)
	}
	s.xdo("type", "--delay", "60", "when is")
	away()
	if d := difference(tapped, s.shot("keyboard-typed"), field); d > 0.002 {
		t.Fatalf("the letters tapped are not the letters typed (%.3f of the message differs)", d)
	}
	s.xdo("mousemove", "363", "448", "click", "1") // Cancel
	s.xdo("mousemove", "1279", "799")
	signedIn = time.Now()
	time.Sleep(time.Second)

	// Touch nothing until the warning is due, and a little more.
	time.Sleep(time.Until(signedIn.Add(idle*time.Second + 3*time.Second)))
	warned := s.shot("warning")
	edge := image.Rect(0, 0, 1280, 150) // the header and the top of the screen
	middle := image.Rect(560, 360, 720, 440)
	if b := brightness(warned, edge); b > 0.4 {
		t.Fatalf("no idle warning painted %d s after sign-in: the top of the screen is still bright (%.2f, was %.2f)",
			idle+3, b, brightness(before, edge))
	}
	if b := brightness(warned, middle); b < 0.6 {
		t.Fatalf("the screen darkened but the warning's box is not in its middle (%.2f)", b)
	}

	// "Still here": a tap anywhere takes the warning away.
	s.xdo("mousemove", "100", "300", "click", "1")
	time.Sleep(2 * time.Second)
	if b := brightness(s.shot("after-tap"), edge); b < 0.6 {
		t.Fatalf("the warning stayed on screen after a tap (%.2f)", b)
	}

	// Untouched again: warning, then signed out at the end of the countdown; the warning is gone
	// from the welcome screen.
	time.Sleep((idle + warn + 4) * time.Second)
	out2 := s.shot("signed-out")
	if b := brightness(out2, edge); b < 0.6 {
		t.Fatalf("after the countdown the screen is still dark (%.2f)", b)
	}
	if b := blue(out2, home); b > 0.1 {
		t.Fatalf("still signed in after the countdown (%.2f)", b)
	}
	if k.ProcessState != nil {
		t.Fatalf("the kiosk exited; stderr:\n%s", stderr.String())
	}
}
