package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/phpdave11/gofpdf"
	"golang.org/x/image/font/sfnt"

	"childsupportkiosk/assets"
)

// Noto Sans covers many scripts in half a megabyte; reading it costs more than laying out a
// receipt. So each weight is cut once per process to the Latin letters, punctuation and symbols
// English, Spanish and French (and names written in Latin letters) use, by gofpdf's own
// subsetter, and documents embed that cut. A document whose text has any letter outside it is
// made again with the full fonts, so nothing is ever missing from the paper.
var latin = func() []rune {
	var rs []rune
	add := func(from, to rune) {
		for r := from; r <= to; r++ {
			rs = append(rs, r)
		}
	}
	add(0x20, 0x7e)     // ASCII
	add(0xa0, 0x24f)    // Latin-1 supplement, Latin Extended-A and -B
	add(0x300, 0x36f)   // combining accents (names stored decomposed)
	add(0x1e00, 0x1eff) // Latin Extended Additional
	add(0x2010, 0x2027) // dashes, quotes, bullet, ellipsis
	add(0x2030, 0x203a) // per mille, primes, angle quotes
	add(0x202f, 0x202f) // narrow no-break space
	add(0x20ac, 0x20ac) // euro sign
	add(0x2122, 0x2122) // trade mark
	return rs
}()

var inLatin = func() map[rune]bool {
	m := make(map[rune]bool, len(latin))
	for _, r := range latin {
		m[r] = true
	}
	return m
}()

var cut struct {
	once  sync.Once
	fonts map[string][]byte // file name → cut font
	err   error
}

// fontBytes returns a font's bytes: the Latin cut, or the whole font when full is set.
func fontBytes(name string, full bool) ([]byte, error) {
	if full {
		return assets.Font(name)
	}
	cut.once.Do(func() {
		cut.fonts = map[string][]byte{}
		for _, n := range []string{regularFont, boldFont} {
			b, err := cutFont(n)
			if err != nil {
				cut.err = err
				return
			}
			cut.fonts[n] = b
		}
	})
	if cut.err != nil {
		return nil, cut.err
	}
	return cut.fonts[name], nil
}

// cutFont has gofpdf embed the Latin range of a font in a throw-away PDF and takes the embedded
// TrueType subset back out of it.
func cutFont(name string) ([]byte, error) {
	b, err := assets.Font(name)
	if err != nil {
		return nil, fmt.Errorf("pdf: font %s is missing: %w", name, err)
	}
	f := gofpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes("cut", "", b)
	f.AddPage()
	f.SetFont("cut", "", 10)
	const chunk = 60
	for i := 0; i < len(latin); i += chunk {
		f.CellFormat(0, 4, string(latin[i:min(i+chunk, len(latin))]), "", 1, "L", false, 0, "")
	}
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		return nil, fmt.Errorf("pdf: font %s cannot be read: %w", name, err)
	}
	pdf := out.Bytes()
	i := bytes.Index(pdf, []byte("/Length1 "))
	start := bytes.LastIndex(pdf[:max(i, 0)], []byte("<</Length "))
	if i < 0 || start < 0 {
		return nil, fmt.Errorf("pdf: font %s: no embedded font stream", name)
	}
	line := pdf[start+len("<</Length "):]
	n, err := strconv.Atoi(strings.TrimSpace(string(line[:bytes.IndexByte(line, '\n')])))
	if err != nil {
		return nil, fmt.Errorf("pdf: font %s: bad stream length", name)
	}
	s := bytes.Index(pdf[i:], []byte("stream\n"))
	if s < 0 || i+s+7+n > len(pdf) {
		return nil, fmt.Errorf("pdf: font %s: no stream", name)
	}
	z, err := zlib.NewReader(bytes.NewReader(pdf[i+s+7 : i+s+7+n]))
	if err != nil {
		return nil, fmt.Errorf("pdf: font %s: %w", name, err)
	}
	ttf, err := io.ReadAll(z)
	if err != nil {
		return nil, fmt.Errorf("pdf: font %s: %w", name, err)
	}
	if !bytes.HasPrefix(ttf, []byte{0, 1, 0, 0}) {
		return nil, fmt.Errorf("pdf: font %s: the cut is not TrueType", name)
	}
	return ttf, nil
}

// coverage answers which characters a language's own font has glyphs for, from its cmap; the
// others are set in Noto Sans. One per document (its buffer is not shared).
type coverage struct {
	f   *sfnt.Font
	buf sfnt.Buffer
	mem map[rune]bool
}

var parsed sync.Map // language → *sfnt.Font

func coverageOf(lang string) (*coverage, error) {
	v, ok := parsed.Load(lang)
	if !ok {
		lf, err := assets.FontFor(lang, false)
		if err != nil {
			return nil, fmt.Errorf("pdf: %w", err)
		}
		f, err := sfnt.Parse(lf.Bytes)
		if err != nil {
			return nil, fmt.Errorf("pdf: font %s cannot be read: %w", lf.Name, err)
		}
		v, _ = parsed.LoadOrStore(lang, f)
	}
	return &coverage{f: v.(*sfnt.Font), mem: map[rune]bool{}}, nil
}

func (c *coverage) has(r rune) bool {
	if h, ok := c.mem[r]; ok {
		return h
	}
	gi, err := c.f.GlyphIndex(&c.buf, r)
	h := err == nil && gi != 0
	c.mem[r] = h
	return h
}
