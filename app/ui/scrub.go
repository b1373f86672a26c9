package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Fyne keeps each widget's renderer, with its own copies of the widget's text and pictures,
// in a cache for a minute after the widget was last drawn, whatever became of the screen it
// was on. So a screen the kiosk leaves would keep a person's name, case numbers and amounts
// reachable in memory for that minute after they signed out. scrub empties a screen that has
// just been replaced: every label, button, text and picture in it is set to nothing, which
// also refreshes the cached renderers' copies. Every screen is built anew at every render
// (package doc), so a replaced screen is never shown again; the parts kept between renders
// (the header, the keypad, the menu, the footer, the idle warning) hold nothing of anybody and are left alone.

// scrubOld empties old, the window's content before the last render, but for the kept parts.
func (k *Kiosk) scrubOld(old fyne.CanvasObject) {
	if old == nil {
		return
	}
	keep := map[fyne.CanvasObject]bool{}
	for _, o := range []fyne.CanvasObject{k.head.obj, k.pad.obj, k.navc.obj, k.foot.obj} {
		if o != nil {
			keep[o] = true
		}
	}
	if k.warn != nil {
		keep[k.warn.layer] = true
	}
	scrub(old, keep)
}

func scrub(o fyne.CanvasObject, keep map[fyne.CanvasObject]bool) {
	if o == nil || keep[o] {
		return
	}
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			scrub(c, keep)
		}
	case *container.Scroll:
		scrub(v.Content, keep)
	case *touchScroll:
		scrub(v.scroll, keep)
	case *pageView:
		scrub(v.scroll, keep)
	case *holdArea:
		scrub(v.content, keep)
	case *widget.Label:
		v.SetText("")
	case *widget.Button:
		v.SetText("")
	case *canvas.Text:
		v.Text = ""
		v.Refresh()
	case *canvas.Image:
		v.Image, v.Resource, v.File = nil, nil, ""
		v.Refresh()
	}
}
