package main

import (
	"bytes"
	"fmt"
	"image"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// mainStarted is when package main was initialised: after the runtime and every imported
// package (Fyne's included) had started.
var mainStarted = time.Now()

// newFyneApp makes the Fyne app with no unique ID. Without one Fyne keeps no preferences file,
// so nothing of a session persists there and no half-written file can break the next start.
// `fyne package` compiles FyneApp.toml's ID into the binary, and a development run finds it
// next to the program, so the metadata is replaced here by the name alone.
func newFyneApp(name string) fyne.App {
	app.SetMetadata(fyne.AppMetadata{Name: name, Migrations: map[string]bool{"fyneDo": true}})
	return app.NewWithID("")
}

// closeRequest is what the window does when asked to close (its close button, Alt-F4, the
// compositor). In kiosk mode the request is refused, so a person at the kiosk cannot end it;
// the service stops it with a signal. Otherwise the kiosk signs out and closes.
func closeRequest(kiosk bool, logger *slog.Logger, stop, close func()) func() {
	return func() {
		if kiosk {
			logger.Info("close request refused in kiosk mode")
			return
		}
		stop()
		close()
	}
}

// EnvMeasureStart, when set, makes the kiosk print how long it took from the start of the
// process until the window first painted the welcome screen, then quit: the cold start time.
const EnvMeasureStart = "KIOSK_MEASURE_START"

// measureStart returns w, or with EnvMeasureStart set, w with a one-pixel probe laid over the
// first content it is given: when the probe is first painted, the time is written to out and
// the app quits.
func measureStart(a fyne.App, w fyne.Window, out io.Writer) fyne.Window {
	if os.Getenv(EnvMeasureStart) == "" {
		return w
	}
	return &startProbe{Window: w, app: a, out: out}
}

type startProbe struct {
	fyne.Window
	app  fyne.App
	out  io.Writer
	set  bool
	once sync.Once
}

func (p *startProbe) SetContent(content fyne.CanvasObject) {
	if p.set {
		p.Window.SetContent(content)
		return
	}
	p.set = true
	probe := canvas.NewRaster(func(w, h int) image.Image {
		p.once.Do(p.painted)
		return image.NewNRGBA(image.Rect(0, 0, w, h))
	})
	probe.Resize(fyne.NewSize(1, 1))
	p.Window.SetContent(container.NewStack(content, container.NewWithoutLayout(probe)))
}

// painted reports the start time and quits.
func (p *startProbe) painted() {
	sinceMain := time.Since(mainStarted)
	exec := "unknown"
	if d, ok := sinceExec(); ok {
		exec = strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	fmt.Fprintf(p.out, "start: welcome screen painted %s after exec (10 ms steps), %d ms after main's init\n",
		exec, sinceMain.Milliseconds())
	go fyne.Do(p.app.Quit)
}

// sinceExec is how long ago the kernel started this process: /proc/self/stat's start time
// against /proc/uptime, both in the kernel's 10 ms clock ticks.
func sinceExec() (time.Duration, bool) {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	up, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return 0, false
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(string(stat[i+1:])) // from field 3, the state
	if len(fields) < 20 {
		return 0, false
	}
	ticks, err1 := strconv.ParseInt(fields[19], 10, 64) // field 22, starttime
	upFields := strings.Fields(string(up))
	if err1 != nil || len(upFields) == 0 {
		return 0, false
	}
	uptime, err := strconv.ParseFloat(upFields[0], 64)
	if err != nil {
		return 0, false
	}
	const userHZ = 100 // USER_HZ, 100 on every Linux architecture Go supports
	return time.Duration((uptime - float64(ticks)/userHZ) * float64(time.Second)), true
}
