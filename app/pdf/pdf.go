// Package pdf makes the kiosk's printed documents (statements, payment pages, coupons, receipts
// and temporary-PIN slips) as deterministic PDFs with embedded UTF-8 TrueType fonts.
package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/phpdave11/gofpdf"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/assets"
)

// Document is a finished PDF and what kind of document it is.
type Document struct {
	Kind  documents.Kind
	Bytes []byte
}

// Page sizes, in millimetres.
const (
	letterW, letterH = 215.9, 279.4
	rollW            = 80.0
	ptMM             = 25.4 / 72 // one typographic point in millimetres
)

// Font files and the family names they are registered under: Noto Sans for every document, and
// in a document whose language has a font of its own (Chinese, Korean: assets.FontFor) that
// font too, which sets its text; letters it lacks (an accented name in a Chinese statement) are
// set in Noto Sans.
const (
	family      = "Noto"
	langFamily  = "Lang"
	regularFont = "NotoSans-Regular.ttf"
	boldFont    = "NotoSans-Bold.ttf"
)

// CheckFonts makes sure the shipped fonts can be read and embedded: it builds a small PDF with
// accented text in both weights, and one in each of langs (the languages the kiosk offers)
// whose font is its own, which must be installed. Call it at start-up, so a broken or missing
// font stops the kiosk with a clear reason rather than failing at the first print.
func CheckFonts(langs ...string) error {
	for _, lang := range langs {
		if !assets.OwnFont(lang) {
			continue
		}
		f := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", Size: gofpdf.SizeType{Wd: rollW, Ht: 50}})
		if _, err := addLangFonts(f, lang, false); err != nil {
			return err
		}
		f.AddPage()
		f.SetFont(langFamily, "", 10)
		f.CellFormat(0, 5, "$1,234.56", "", 1, "L", false, 0, "")
		var out bytes.Buffer
		if err := f.Output(&out); err != nil {
			return fmt.Errorf("pdf: the %s font cannot be embedded: %w", lang, err)
		}
	}
	for _, name := range []string{regularFont, boldFont} {
		b, err := assets.Font(name)
		if err != nil {
			return fmt.Errorf("pdf: font %s is missing: %w", name, err)
		}
		if !bytes.HasPrefix(b, []byte{0, 1, 0, 0}) {
			return fmt.Errorf("pdf: font %s is not a plain TrueType font (gofpdf reads only .ttf outlines)", name)
		}
	}
	for _, full := range []bool{true, false} {
		f := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", Size: gofpdf.SizeType{Wd: rollW, Ht: 50}})
		if err := addFonts(f, full); err != nil {
			return err
		}
		f.AddPage()
		for _, style := range []string{"", "B"} {
			f.SetFont(family, style, 10)
			f.CellFormat(0, 5, "Éé ñ ç œ à ü — 1 234,56 $ •••", "", 1, "L", false, 0, "")
		}
		var out bytes.Buffer
		if err := f.Output(&out); err != nil {
			return fmt.Errorf("pdf: the fonts cannot be embedded: %w", err)
		}
	}
	return nil
}

// addFonts embeds the regular weight and, unless regularOnly, the bold one.
func addFonts(f *gofpdf.Fpdf, full bool, regularOnly ...bool) error {
	weights := []struct{ style, name string }{{"", regularFont}, {"B", boldFont}}
	if len(regularOnly) > 0 && regularOnly[0] {
		weights = weights[:1]
	}
	for _, ff := range weights {
		b, err := fontBytes(ff.name, full)
		if err != nil {
			return err
		}
		f.AddUTF8FontFromBytes(family, ff.style, b)
		if err := f.Error(); err != nil {
			return fmt.Errorf("pdf: font %s cannot be read: %w", ff.name, err)
		}
	}
	return nil
}

// addLangFonts embeds the font of a language that has its own, regular and (unless
// regularOnly, or the font has none) bold, and reports whether it embedded a bold weight.
func addLangFonts(f *gofpdf.Fpdf, lang string, regularOnly bool) (bold bool, err error) {
	styles := []string{""}
	if !regularOnly {
		styles = append(styles, "B")
	}
	for _, style := range styles {
		lf, err := assets.FontFor(lang, style == "B")
		if err != nil {
			return false, fmt.Errorf("pdf: %w", err)
		}
		if lf.NoBold {
			return false, nil
		}
		f.AddUTF8FontFromBytes(langFamily, style, lf.Bytes)
		if err := f.Error(); err != nil {
			return false, fmt.Errorf("pdf: font %s cannot be read: %w", lf.Name, err)
		}
	}
	return !regularOnly, nil
}

// Maker makes documents for one agency and office in one language. Now is the clock: it dates
// the PDF (creation and modification dates are fixed from it, so the same input at the same
// instant gives the same bytes) and the "printed" times on slips.
type Maker struct {
	Profile domain.Profile
	Office  domain.Office
	Lang    i18n.Lang
	Now     func() time.Time
}

func (m Maker) now() time.Time {
	if m.Now == nil {
		return time.Now()
	}
	return m.Now()
}

func (m Maker) location() *time.Location {
	if loc, err := m.Profile.Location(); err == nil && m.Profile.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// Colours (grey levels and one accent) used on every document.
var (
	accent    = [3]int{0, 70, 127}
	shade     = [3]int{232, 238, 245}
	lightRule = [3]int{190, 190, 190}
)

// doc lays a document out twice: a dry run measures (page count, or a roll's length), then the
// real run draws. All drawing goes through its methods, which keep the cursor in y.
type doc struct {
	f        *gofpdf.Fpdf
	m        Maker
	l        i18n.Lang
	loc      *time.Location
	kind     documents.Kind
	title    string
	dry      bool
	w, h     float64 // page size
	margin   float64 // left and right
	top      float64
	bottom   float64 // y where the body ends (footer below)
	y        float64
	page     int
	pages    int    // from the dry run
	head     func() // table header to repeat after a page break
	running  string // running header of pages after the first
	footer   bool   // full pages carry the confidentiality footer and page numbers
	size     float64
	style    string
	inFooter bool
	roll     bool      // 80 mm roll: one page as long as its content
	full     bool      // the full fonts, not the Latin cut
	own      *coverage // the language's own font, which sets the text, or nil (Noto Sans)
	stroke   bool      // one weight embedded: bold is drawn by stroking the regular outline
	outside  bool      // the measuring pass met a letter outside the Latin cut
	widthMem map[string]float64
}

func (m Maker) newDoc(kind documents.Kind, title string) (*doc, error) {
	d := &doc{m: m, l: m.Lang, loc: m.location(), kind: kind, title: title, roll: kind.OnRoll()}
	return d, d.open(false)
}

// open starts the gofpdf document, with the Latin cut of the fonts or the full fonts.
func (d *doc) open(full bool) error {
	d.full = full
	d.widthMem = map[string]float64{}
	if d.roll {
		d.w, d.h, d.margin, d.top = rollW, 2000, 4, 4
		d.bottom = d.h
	} else {
		d.w, d.h, d.margin, d.top = letterW, letterH, 16, 14
		d.bottom = d.h - 22
		d.footer = true
	}
	f := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", OrientationStr: "P",
		Size: gofpdf.SizeType{Wd: d.w, Ht: d.h}})
	f.SetCatalogSort(true)
	at := d.m.now()
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.SetCompression(!d.roll) // a slip's few lines are not worth a compressor
	f.SetAutoPageBreak(false, 0)
	f.SetMargins(d.margin, d.top, d.margin)
	f.SetCellMargin(0)
	f.SetTitle(d.title, true)
	f.SetCreator("childsupportkiosk", true)
	f.SetProducer("childsupportkiosk", true)
	// A roll slip embeds one weight and draws its bold by stroking the outline: embedding a
	// font is most of a receipt's cost, and thermal printers show the difference poorly anyway.
	// So does a document whose language's font has no bold (Chinese).
	d.stroke, d.own = d.roll, nil
	if lang := d.l.Code(); assets.OwnFont(lang) {
		bold, err := addLangFonts(f, lang, d.roll)
		if err != nil {
			return err
		}
		if d.own, err = coverageOf(lang); err != nil {
			return err
		}
		d.stroke = !bold
	}
	if err := addFonts(f, full, d.stroke); err != nil {
		return err
	}
	d.f = f
	return nil
}

// run lays out body twice (measure, then draw) and returns the PDF. When the measuring pass
// meets a letter outside the fonts' Latin cut, it starts again with the full fonts.
func (d *doc) run(body func()) ([]byte, error) {
	d.measure(body)
	if d.outside && !d.full {
		if err := d.open(true); err != nil {
			return nil, err
		}
		d.measure(body)
	}
	d.dry, d.page, d.head = false, 0, nil
	d.newPage()
	body()
	d.finishPage()
	if err := d.f.Error(); err != nil {
		return nil, fmt.Errorf("pdf: %s: %w", d.kind, err)
	}
	var out bytes.Buffer
	if err := d.f.Output(&out); err != nil {
		return nil, fmt.Errorf("pdf: %s: %w", d.kind, err)
	}
	return out.Bytes(), nil
}

// measure is the dry run: it counts pages, or measures a roll's length.
func (d *doc) measure(body func()) {
	d.dry, d.page, d.y, d.head, d.outside = true, 0, 0, nil, false
	d.newPage()
	body()
	d.pages = d.page
	if d.roll {
		d.h = max(d.y+d.top, 60)
	}
}

func (d *doc) newPage() {
	if d.page > 0 {
		d.finishPage()
	}
	d.page++
	d.y = d.top
	if !d.dry {
		d.f.AddPageFormat("P", gofpdf.SizeType{Wd: d.w, Ht: d.h})
	}
	if d.page > 1 && d.running != "" {
		d.setFont("", 7.5)
		d.color(90, 90, 90)
		d.line(d.margin, d.width(), 4, "L", d.running)
		d.color(0, 0, 0)
		d.y += 4
		d.rule(lightRule)
		d.y += 3
	}
	if d.head != nil {
		d.head()
	}
}

// finishPage draws the footer: confidentiality, contacts and "Page n of N".
func (d *doc) finishPage() {
	if !d.footer || d.dry {
		return
	}
	y := d.y
	d.inFooter = true
	defer func() { d.inFooter = false }()
	d.y = d.h - 19
	d.rule(lightRule)
	d.y += 1.5
	d.setFont("", 7)
	d.color(70, 70, 70)
	d.para(3.1, "L", d.l.T("doc.confidential"))
	d.para(3.1, "L", d.contactsLine())
	d.setFont("B", 7.5)
	d.line(d.margin, d.width(), 3.5, "R",
		d.l.T("doc.page_of", "n", fmt.Sprint(d.page), "total", fmt.Sprint(d.pages)))
	d.color(0, 0, 0)
	d.y = y
}

func (d *doc) width() float64 { return d.w - 2*d.margin }

func (d *doc) setFont(style string, size float64) {
	d.style, d.size = style, size
	d.f.SetFont(d.family(), d.fontStyle(), size)
}

// family is the font family that sets the document's text.
func (d *doc) family() string {
	if d.own != nil {
		return langFamily
	}
	return family
}

func (d *doc) fontStyle() string {
	if d.stroke {
		return ""
	}
	return d.style
}

// A run is a stretch of text set in one family.
type run struct{ family, text string }

// runs splits s into the stretches set in the language's own font and those set in Noto Sans:
// Latin letters, digits and their punctuation (amounts, names, addresses, web addresses) are
// set in Noto Sans, whose letters are proportional, as are those the own font lacks; a
// document in Noto Sans has one run.
func (d *doc) runs(s string) []run {
	if d.own == nil {
		return []run{{family, s}}
	}
	var out []run
	for _, r := range s {
		fam := langFamily
		if inLatin[r] || !d.own.has(r) {
			fam = family
		}
		if n := len(out); n > 0 && out[n-1].family == fam {
			out[n-1].text += string(r)
		} else {
			out = append(out, run{fam, string(r)})
		}
	}
	return out
}

func (d *doc) color(r, g, b int) { d.f.SetTextColor(r, g, b) }

// lh is the line height for the current font size.
func (d *doc) lh() float64 { return d.size * ptMM * 1.3 }

func (d *doc) strWidth(s string) float64 {
	key := d.style + fmt.Sprint(d.size) + "\x00" + s
	if w, ok := d.widthMem[key]; ok {
		return w
	}
	w := 0.0
	if rs := d.runs(s); len(rs) == 1 {
		w = d.f.GetStringWidth(s)
	} else {
		for _, r := range rs {
			d.f.SetFont(r.family, d.fontStyle(), d.size)
			w += d.f.GetStringWidth(r.text)
		}
		d.f.SetFont(d.family(), d.fontStyle(), d.size)
	}
	d.widthMem[key] = w
	return w
}

// wrap splits s into lines no wider than w at ordinary spaces only: a no-break space (French
// digit grouping, "1 234,56 $") never breaks. A word wider than w is cut.
func (d *doc) wrap(s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Split(para, " ")
		cur := ""
		for _, word := range words {
			try := word
			if cur != "" {
				try = cur + " " + word
			}
			if d.strWidth(try) <= w || cur == "" && d.strWidth(word) <= w {
				cur = try
				continue
			}
			if cur != "" {
				lines = append(lines, cur)
			}
			cur = word
			for d.strWidth(cur) > w && len([]rune(cur)) > 1 {
				r := []rune(cur)
				n := len(r) - 1
				for n > 1 && d.strWidth(string(r[:n])) > w {
					n--
				}
				lines = append(lines, string(r[:n]))
				cur = string(r[n:])
			}
		}
		lines = append(lines, cur)
	}
	return lines
}

// line draws one line of text at (x, y) without moving the cursor.
func (d *doc) line(x, w, h float64, align, s string) {
	if d.dry {
		for _, r := range s {
			if !inLatin[r] && (d.own == nil || !d.own.has(r)) {
				d.outside = true
			}
		}
		return
	}
	if d.stroke {
		if d.style == "B" {
			d.f.SetTextRenderingMode(2) // fill, then stroke: a bold stroke on the regular outline
			d.f.SetLineWidth(d.size * 0.018)
			d.f.SetDrawColor(0, 0, 0)
		} else {
			d.f.SetTextRenderingMode(0)
		}
	}
	rs := d.runs(s)
	if len(rs) == 1 {
		d.f.SetXY(x, d.y)
		d.f.CellFormat(w, h, s, "", 0, align+"M", false, 0, "")
		return
	}
	tw := d.strWidth(s)
	switch align {
	case "R":
		x += w - tw
	case "C":
		x += (w - tw) / 2
	}
	for _, r := range rs {
		d.f.SetFont(r.family, d.fontStyle(), d.size)
		rw := d.f.GetStringWidth(r.text)
		d.f.SetXY(x, d.y)
		d.f.CellFormat(rw, h, r.text, "", 0, "LM", false, 0, "")
		x += rw
	}
	d.f.SetFont(d.family(), d.fontStyle(), d.size)
}

// need starts a new page when h more millimetres do not fit.
func (d *doc) need(h float64) {
	if d.footer && !d.inFooter && d.y+h > d.bottom && d.y > d.top+20 {
		d.newPage()
	}
}

// para writes wrapped text across the full width with line height lh.
func (d *doc) para(lh float64, align, s string) {
	d.paraAt(d.margin, d.width(), lh, align, s)
}

func (d *doc) paraAt(x, w, lh float64, align, s string) {
	lines := d.wrap(s, w)
	d.need(float64(len(lines)) * lh)
	for _, ln := range lines {
		d.line(x, w, lh, align, ln)
		d.y += lh
	}
}

// bullet writes a list item with a hanging indent.
func (d *doc) bullet(s string) {
	const indent = 4.0
	lines := d.wrap(s, d.width()-indent-3)
	d.need(float64(len(lines)) * d.lh())
	d.line(d.margin+3, indent, d.lh(), "L", "•")
	for _, ln := range lines {
		d.line(d.margin+3+indent, d.width()-indent-3, d.lh(), "L", ln)
		d.y += d.lh()
	}
}

// text writes wrapped text in a style and size.
func (d *doc) text(style string, size float64, s string) {
	d.setFont(style, size)
	d.para(d.lh(), "L", s)
}

func (d *doc) gap(h float64) { d.y += h }

func (d *doc) rule(c [3]int) {
	if d.dry {
		return
	}
	d.f.SetDrawColor(c[0], c[1], c[2])
	d.f.SetLineWidth(0.25)
	d.f.Line(d.margin, d.y, d.w-d.margin, d.y)
}

// heading writes a section title in the accent colour.
func (d *doc) heading(size float64, s string) {
	d.setFont("B", size)
	d.need(d.lh()*2 + 12)
	d.f.SetTextColor(accent[0], accent[1], accent[2])
	d.para(d.lh(), "L", s)
	d.color(0, 0, 0)
}

// pair writes "label ... value" on one line, the value right-aligned; long labels wrap.
func (d *doc) pair(style string, size float64, label, value string) {
	d.setFont(style, size)
	vw := d.strWidth(value) + 2
	lines := d.wrap(label, d.width()-vw)
	d.need(float64(len(lines)) * d.lh())
	y := d.y
	for _, ln := range lines {
		d.line(d.margin, d.width()-vw, d.lh(), "L", ln)
		d.y += d.lh()
	}
	end := d.y
	d.y = y + float64(len(lines)-1)*d.lh()
	d.line(d.margin, d.width(), d.lh(), "R", value)
	d.y = end
}

// field writes "Label: value" (translated punctuation: French puts a space before the colon).
func (d *doc) field(label, value string) string {
	return d.l.T("doc.field", "label", label, "value", value)
}

// col is a table column: its share of the width and its alignment.
type col struct {
	w     float64
	align string
}

// row draws one table row: each cell wraps within its column; the row is as tall as its tallest
// cell. A row that does not fit starts a new page, which repeats the table header.
func (d *doc) row(cols []col, cells []string, style string, size float64, fill [3]int, filled bool) {
	d.setFont(style, size)
	const pad = 1.2
	lh := d.lh()
	total := d.width()
	wrapped := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		wrapped[i] = d.wrap(c, cols[i].w*total-2*pad)
		n = max(n, len(wrapped[i]))
	}
	h := float64(n)*lh + 2*pad*0.6
	if d.footer && d.y+h > d.bottom {
		d.newPage()
		d.setFont(style, size)
	}
	if !d.dry && filled {
		d.f.SetFillColor(fill[0], fill[1], fill[2])
		d.f.Rect(d.margin, d.y, total, h, "F")
	}
	x := d.margin
	y := d.y
	for i, lines := range wrapped {
		cw := cols[i].w * total
		d.y = y + pad*0.6
		for _, ln := range lines {
			d.line(x+pad, cw-2*pad, lh, cols[i].align, ln)
			d.y += lh
		}
		x += cw
	}
	d.y = y + h
	if !d.dry {
		d.f.SetDrawColor(lightRule[0], lightRule[1], lightRule[2])
		d.f.SetLineWidth(0.15)
		d.f.Line(d.margin, d.y, d.margin+total, d.y)
	}
}

// contactsLine is the agency's phone, TTY and website on one line.
func (d *doc) contactsLine() string {
	c := d.m.Profile.Contacts
	return d.l.T("doc.contacts", "phone", c.Phone, "tty", c.TTY, "website", c.Website)
}

// dataAsOf is the "data as of" line.
func (d *doc) dataAsOf(t time.Time) string {
	if t.IsZero() {
		return d.l.T("doc.data_as_of_unknown")
	}
	return d.l.T("doc.data_as_of", "when", d.l.DateTime(t.In(d.loc)))
}

// letterhead draws the agency's name, office and contacts on the left and the document's title
// with its dates on the right.
func (d *doc) letterhead(dated domain.Date, asOf time.Time) {
	y0 := d.y
	leftW := d.width() * 0.52
	rightX := d.margin + leftW + 4
	rightW := d.width() - leftW - 4
	d.setFont("B", 13)
	d.f.SetTextColor(accent[0], accent[1], accent[2])
	d.paraAt(d.margin, leftW, d.lh(), "L", d.l.T(d.m.Profile.NameKey))
	d.color(0, 0, 0)
	d.setFont("", 8.5)
	if o := d.m.Office; o.Name != "" {
		d.paraAt(d.margin, leftW, d.lh(), "L", o.Name)
		if o.Address != "" {
			d.paraAt(d.margin, leftW, d.lh(), "L", o.Address)
		}
		if o.Phone != "" {
			d.paraAt(d.margin, leftW, d.lh(), "L", d.field(d.l.T("doc.office_phone"), o.Phone))
		}
	}
	c := d.m.Profile.Contacts
	d.paraAt(d.margin, leftW, d.lh(), "L", d.field(d.l.T("doc.phone"), c.Phone)+"   "+d.field(d.l.T("doc.tty"), c.TTY))
	d.paraAt(d.margin, leftW, d.lh(), "L", c.Website)
	if c.HoursKey != "" {
		d.paraAt(d.margin, leftW, d.lh(), "L", d.l.T(c.HoursKey))
	}
	yl := d.y
	d.y = y0
	// The title shrinks a little rather than break a month from its year.
	size := 13.0
	for d.setFont("B", size); size > 10.5 && d.strWidth(d.title) > rightW; d.setFont("B", size) {
		size -= 0.5
	}
	d.paraAt(rightX, rightW, d.lh(), "R", d.title)
	d.setFont("", 8.5)
	if !dated.IsZero() {
		key := "doc.statement_date"
		if d.kind == documents.PaymentCoupon || d.kind == documents.PaymentPage {
			key = "doc.col.date"
		}
		d.paraAt(rightX, rightW, d.lh(), "R", d.field(d.l.T(key), d.l.LongDate(dated)))
	}
	d.paraAt(rightX, rightW, d.lh(), "R", d.dataAsOf(asOf))
	d.y = max(d.y, yl) + 3
	d.rule(accent)
	d.y += 4
}

// person writes the participant's name and masked ID.
func (d *doc) person(name, id string) {
	d.setFont("", 10)
	d.para(d.lh(), "L", d.field(d.l.T("doc.name"), name))
	d.para(d.lh(), "L", d.field(d.l.T(d.m.Profile.ParticipantID.NameKey), domain.MaskID(id)))
}

// capFirst capitalises the first letter, for a month name that starts a line ("septembre 2024").
func capFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// money formats an amount in the document's language.
func (d *doc) money(c domain.Cents) string { return d.l.Money(c) }

// roleText is a role in words.
func (d *doc) roleText(r domain.Role) string { return d.l.T("role." + string(r)) }

// lineCells gives the date, source, method, status and amount of a statement line.
func (d *doc) lineCells(l domain.StatementLine) []string {
	method, status := d.l.T("doc.none"), d.l.T("doc.status.posted")
	if l.Direction == domain.Received {
		method = d.l.T("method." + string(l.Method))
		status = d.l.T("status." + string(l.Status))
	}
	return []string{d.l.ShortDate(l.Date), d.l.T("source." + string(l.Source)), method, status, d.money(l.Amount)}
}

// lineCols are the columns of a statement line table; the amount comes last, where subtotals
// line up under it.
var lineCols = []col{{0.13, "L"}, {0.35, "L"}, {0.17, "L"}, {0.19, "L"}, {0.16, "R"}}

func (d *doc) headerCells() []string {
	l := d.l
	return []string{l.T("doc.col.date"), l.T("doc.col.source"), l.T("doc.col.method"),
		l.T("doc.col.status"), l.T("doc.col.amount")}
}

func (d *doc) lineHeader() { d.row(lineCols, d.headerCells(), "B", 8.5, shade, true) }

// lineRow draws a statement line, and under it the reason for a status in plain words.
func (d *doc) lineRow(l domain.StatementLine) {
	d.row(lineCols, d.lineCells(l), "", 8.5, shade, false)
	if l.Reason != domain.NoReason {
		d.setFont("", 7.5)
		d.color(70, 70, 70)
		d.paraAt(d.margin+lineCols[0].w*d.width(), d.width()*(1-lineCols[0].w), d.lh(), "L", d.l.T("reason."+string(l.Reason)))
		d.color(0, 0, 0)
		d.y += 0.8
	}
}

// personWithQR writes the participant's name and masked ID on the left and, on the right of the
// same band, a QR code of url with its caption: the first page has room for it, where a page of
// its own at the end would waste paper.
func (d *doc) personWithQR(name, id, url, caption string) error {
	const size, capW = 20.0, 72.0
	y0 := d.y
	leftW := d.width() - size - capW - 6
	d.setFont("", 10)
	d.paraAt(d.margin, leftW, d.lh(), "L", d.field(d.l.T("doc.name"), name))
	d.paraAt(d.margin, leftW, d.lh(), "L", d.field(d.l.T(d.m.Profile.ParticipantID.NameKey), domain.MaskID(id)))
	yl := d.y
	x := d.w - d.margin - size
	if !d.dry {
		img, err := registerQR(d.f, url)
		if err != nil {
			return err
		}
		d.f.ImageOptions(img, x, y0-1, size, size, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	d.setFont("", 7.5)
	lines := d.wrap(caption, capW)
	d.y = y0 + max(0, (size-float64(len(lines))*d.lh())/2) - 1
	for _, ln := range lines {
		d.line(x-2-capW, capW, d.lh(), "R", ln)
		d.y += d.lh()
	}
	d.y = max(yl, y0+size-1)
	return nil
}
