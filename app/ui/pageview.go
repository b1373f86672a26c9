package ui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// swipeMin is how far a finger must move sideways for a swipe to turn the page, and
// axisMin how far it moves before the drag is taken as a swipe or as scrolling.
const (
	swipeMin = 80
	axisMin  = 12
)

// pageView shows one page of a print preview across the width it is given (never wider than
// the picture itself, so a receipt is not blown up to the width of a statement), scrolled up
// and down by a finger. A drag that goes more sideways than up or down is a swipe: to the left
// it shows the next page, to the right the previous one (turn). Like touchScroll, it is the
// deepest draggable object under the finger, so a drag anywhere on the page reaches it.
type pageView struct {
	widget.BaseWidget
	pic    *canvas.Image // nil: note instead
	note   *widget.Label
	fit    *fitWidth
	scroll *container.Scroll
	turn   func(delta int)

	moved fyne.Delta // this drag so far
	axis  int        // 0 undecided, 1 up and down, 2 sideways
}

func newPageView(img image.Image, note string, turn func(delta int)) *pageView {
	v := &pageView{turn: turn}
	var content fyne.CanvasObject
	if img != nil {
		v.pic = canvas.NewImageFromImage(img)
		v.pic.FillMode = canvas.ImageFillStretch
		v.pic.ScaleMode = canvas.ImageScaleSmooth
		edge := canvas.NewRectangle(nil)
		edge.StrokeColor, edge.StrokeWidth = theme.Color(theme.ColorNameSeparator), 2
		b := img.Bounds()
		v.fit = &fitWidth{most: float32(b.Dx()), aspect: float32(b.Dy()) / float32(b.Dx())}
		content = container.New(v.fit, v.pic, edge)
	} else {
		v.note = text(note)
		v.note.Alignment = fyne.TextAlignCenter
		content = container.NewCenter(v.note)
	}
	v.scroll = container.NewVScroll(content)
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer lays the page out at the width the view has.
func (v *pageView) CreateRenderer() fyne.WidgetRenderer { return &pageViewRenderer{v: v} }

// Dragged scrolls the page with the finger, or, sideways, follows a swipe.
func (v *pageView) Dragged(e *fyne.DragEvent) {
	v.moved.DX += e.Dragged.DX
	v.moved.DY += e.Dragged.DY
	dy := e.Dragged.DY
	if v.axis == 0 {
		switch ax, ay := abs32(v.moved.DX), abs32(v.moved.DY); {
		case ax >= axisMin && ax > ay:
			v.axis = 2
		case ay >= axisMin:
			v.axis, dy = 1, v.moved.DY // the part moved before the axis was known scrolls too
		}
	}
	if v.axis == 1 {
		off := v.scroll.Offset
		off.Y -= dy
		v.scroll.ScrollToOffset(clampOffset(off, v.scroll.Size(), v.scroll.Content.MinSize()))
	}
}

// DragEnd turns the page after a swipe long enough.
func (v *pageView) DragEnd() {
	dx, axis := v.moved.DX, v.axis
	v.moved, v.axis = fyne.Delta{}, 0
	if axis != 2 || abs32(dx) < swipeMin || v.turn == nil {
		return
	}
	if dx < 0 {
		v.turn(1)
	} else {
		v.turn(-1)
	}
}

// MinSize leaves the screen its size: the page scrolls inside whatever height it gets.
func (v *pageView) MinSize() fyne.Size { return fyne.NewSize(240, 240) }

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

type pageViewRenderer struct{ v *pageView }

func (r *pageViewRenderer) Layout(size fyne.Size) {
	if r.v.fit != nil {
		r.v.fit.width = min(size.Width-2*theme.Padding(), r.v.fit.most)
	}
	r.v.scroll.Resize(size)
	r.v.scroll.Refresh()
}

func (r *pageViewRenderer) MinSize() fyne.Size           { return r.v.MinSize() }
func (r *pageViewRenderer) Refresh()                     { r.v.scroll.Refresh() }
func (r *pageViewRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.v.scroll} }
func (r *pageViewRenderer) Destroy()                     {}

// fitWidth lays a page's picture (and its edge) out centred at width, no wider than most
// pixels, and as high as its shape asks: the scroll around it then scrolls the rest.
type fitWidth struct {
	width, most, aspect float32
}

func (f *fitWidth) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(0, f.width*f.aspect)
}

func (f *fitWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(f.width, size.Width)
	pos := fyne.NewPos((size.Width-w)/2, 0)
	for _, o := range objs {
		o.Move(pos)
		o.Resize(fyne.NewSize(w, w*f.aspect))
	}
}

// topAndPage lays a preview out: what is above the page across the width, the page in the
// height left. The part above is laid out at its width before its height is taken, so that
// its wrapped sentences count with all their lines (Fyne measures a wrapped label at the width
// it had last).
type topAndPage struct{}

func (topAndPage) MinSize(objs []fyne.CanvasObject) fyne.Size {
	top, page := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(top.Width, page.Width), top.Height+theme.Padding()+page.Height)
}

func (topAndPage) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	top, page := objs[0], objs[1]
	for range 2 {
		top.Resize(fyne.NewSize(size.Width, top.MinSize().Height))
	}
	top.Move(fyne.NewPos(0, 0))
	h := top.Size().Height + theme.Padding()
	page.Move(fyne.NewPos(0, h))
	page.Resize(fyne.NewSize(size.Width, max(size.Height-h, page.MinSize().Height)))
}
