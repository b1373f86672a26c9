package ui

import (
	"errors"
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"childsupportkiosk/assets"
)

// kioskTheme is Fyne's theme made for a lobby touch screen: bigger text and padding so every
// target is at least 48 px, an optional large-text mode and an optional high-contrast mode
// (white on black, yellow for what can be touched).
type kioskTheme struct {
	large    bool
	contrast bool
}

var _ fyne.Theme = (*kioskTheme)(nil)

func (t *kioskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if !t.contrast {
		switch n {
		case theme.ColorNamePrimary:
			return color.NRGBA{R: 0x00, G: 0x5e, B: 0xa2, A: 0xff} // a calm public-service blue
		case theme.ColorNameError:
			return color.NRGBA{R: 0xb0, G: 0x1c, B: 0x1c, A: 0xff}
		case theme.ColorNameSuccess:
			return color.NRGBA{R: 0x1b, G: 0x6e, B: 0x2a, A: 0xff}
		case theme.ColorNameForeground:
			return color.NRGBA{R: 0x0b, G: 0x0c, B: 0x0c, A: 0xff} // near-black, as GOV.UK's text
		}
		return theme.DefaultTheme().Color(n, theme.VariantLight)
	}
	black := color.NRGBA{A: 0xff}
	white := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	yellow := color.NRGBA{R: 0xff, G: 0xe6, B: 0x00, A: 0xff}
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground,
		theme.ColorNameOverlayBackground, theme.ColorNameHeaderBackground:
		return black
	case theme.ColorNameForeground, theme.ColorNamePlaceHolder, theme.ColorNameHyperlink:
		return white
	case theme.ColorNameButton:
		return color.NRGBA{R: 0x20, G: 0x20, B: 0x20, A: 0xff}
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameSelection:
		return yellow
	case theme.ColorNameForegroundOnPrimary:
		return black
	case theme.ColorNameInputBorder, theme.ColorNameSeparator:
		return white
	case theme.ColorNameError, theme.ColorNameForegroundOnError:
		if n == theme.ColorNameForegroundOnError {
			return black
		}
		return color.NRGBA{R: 0xff, G: 0x80, B: 0x80, A: 0xff}
	case theme.ColorNameSuccess:
		return color.NRGBA{R: 0x80, G: 0xff, B: 0x80, A: 0xff}
	case theme.ColorNameWarning:
		return yellow
	case theme.ColorNameDisabled, theme.ColorNameDisabledButton:
		return color.NRGBA{R: 0x90, G: 0x90, B: 0x90, A: 0xff}
	case theme.ColorNameHover, theme.ColorNamePressed:
		return color.NRGBA{R: 0x50, G: 0x50, B: 0x50, A: 0xff}
	}
	return theme.DefaultTheme().Color(n, theme.VariantDark)
}

// Font is Fyne's own Noto Sans, unless the session's language is written in a script it lacks
// (Chinese, Korean): then that language's font (assets.FontFor, the one its printed documents
// use), in both weights where the font has no bold. Fyne falls back, for any letter the font
// lacks, to its bundled Noto Sans and then to the fonts installed on the system, which is how
// the language chooser shows 한국어 on a Chinese screen.
func (t *kioskTheme) Font(s fyne.TextStyle) fyne.Resource {
	if !s.Monospace && !s.Symbol {
		if r := screenFont.get(s.Bold); r != nil {
			return r
		}
	}
	return theme.DefaultTheme().Font(s)
}

// screenFont is the font of the language on screen, nil for Noto Sans.
var screenFont langFont

type langFont struct {
	mu            sync.Mutex
	lang          string
	regular, bold fyne.Resource
}

func (f *langFont) get(bold bool) fyne.Resource {
	f.mu.Lock()
	defer f.mu.Unlock()
	if bold {
		return f.bold
	}
	return f.regular
}

// useFontOf makes the screen draw in language lang's font and, when that changes the font,
// applies the theme again so that Fyne drops the faces it has cached. A font that cannot be
// read leaves Noto Sans (the start-up check, pdf.CheckFonts, has said why).
func useFontOf(lang string) {
	f := &screenFont
	f.mu.Lock()
	var regular, bold fyne.Resource
	if assets.OwnFont(lang) {
		if lang == f.lang {
			f.mu.Unlock()
			return
		}
		r, err1 := assets.FontFor(lang, false)
		b, err2 := assets.FontFor(lang, true)
		if err := errors.Join(err1, err2); err != nil {
			fyne.LogError("ui: no font for "+lang, err)
		} else {
			regular, bold = fyne.NewStaticResource(r.Name, r.Bytes), fyne.NewStaticResource(b.Name, b.Bytes)
		}
	}
	changed := f.regular != nil || regular != nil
	f.lang, f.regular, f.bold = lang, regular, bold
	f.mu.Unlock()
	if changed {
		if app := fyne.CurrentApp(); app != nil {
			app.Settings().SetTheme(app.Settings().Theme())
		}
	}
}

func (t *kioskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	scale := float32(1)
	if t.large {
		scale = 1.35
	}
	switch n {
	case theme.SizeNameText:
		return 19 * scale // GOV.UK's body size
	case theme.SizeNameHeadingText:
		return 28 * scale
	case theme.SizeNameSubHeadingText:
		return 22 * scale
	case theme.SizeNameCaptionText:
		return 15 * scale
	case theme.SizeNameInnerPadding:
		return 14
	case theme.SizeNamePadding:
		return 6
	case theme.SizeNameScrollBar:
		return 18
	case theme.SizeNameScrollBarSmall:
		return 8
	case theme.SizeNameInputBorder:
		return 2
	}
	return theme.DefaultTheme().Size(n)
}
