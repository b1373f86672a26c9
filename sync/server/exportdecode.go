package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"childsupportkiosk/app/domain"
)

// An export is read list by list and record by record: each record is decoded on its own, so
// that one that does not decode (a number where text belongs, a date that is not one) is named
// by its list, index and field, and the records after it are still read. A record that fails is
// decoded again field by field from its bytes (kept by recorder), which names every field that
// fails and keeps the others, so that the rules can still check the rest of the export.

// maxUndecoded is how many records that do not decode the reader notes before it gives up on
// the file: far more than are reported, so that the problems reported are the first in the
// order of the lists whatever the file's order, and little enough to keep in memory.
const maxUndecoded = 1000

// undecoded are the parts of an export that did not decode: the checker reports them in their
// record's place, and not its own problems with those records.
type undecoded struct {
	top     []fieldProblem // the export's own fields (agency, generated)
	records map[recKey][]fieldProblem
	n       int
}

type recKey struct {
	list string
	i    int
}

type fieldProblem struct{ field, text string }

func (u *undecoded) add(list string, i int, ps []fieldProblem) {
	if u.records == nil {
		u.records = map[recKey][]fieldProblem{}
	}
	u.records[recKey{list, i}] = append(u.records[recKey{list, i}], ps...)
	u.n++
}

func (u *undecoded) topField(field string) bool {
	if u == nil {
		return false
	}
	for _, p := range u.top {
		if p.field == field {
			return true
		}
	}
	return false
}

// invalid is the *Invalid of the decoding problems alone, in the order of the lists.
func (u *undecoded) invalid(e *domain.Export) *Invalid {
	inv, _ := validateWith(e, nil, u, true)
	return inv
}

// recorder keeps the bytes the JSON decoder has read since the record it decodes began.
type recorder struct {
	r    io.Reader
	buf  []byte // the bytes from offset base on
	base int64
	keep int64 // bytes before this offset may go
	err  error // a read error other than the end of the file
}

func (t *recorder) Read(p []byte) (int, error) {
	if drop := t.keep - t.base; drop > 1<<20 {
		t.buf = t.buf[:copy(t.buf, t.buf[drop:])]
		t.base = t.keep
	}
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	if err != nil && err != io.EOF {
		t.err = err
	}
	return n, err
}

// since returns the bytes from offset from to offset to.
func (t *recorder) since(from, to int64) []byte {
	if from < t.base || to-t.base > int64(len(t.buf)) || to < from {
		return nil
	}
	return t.buf[from-t.base : to-t.base]
}

type exportDecoder struct {
	dec   *json.Decoder
	rec   *recorder
	lr    *io.LimitedReader
	limit int64
	bad   *undecoded
	begun bool // the export's opening brace was read
}

// decodeExport reads an export. A file that is not JSON, not one object, too large, or has
// unknown or repeated fields of its own or the wrong format is an error; records and fields
// that do not decode are returned as bad (nil when there are none) with the rest of the export.
func decodeExport(r io.Reader, limit int64) (e *domain.Export, bad *undecoded, err error) {
	d := &exportDecoder{lr: &io.LimitedReader{R: r, N: limit + 1}, limit: limit, bad: &undecoded{}}
	d.rec = &recorder{r: d.lr}
	d.dec = json.NewDecoder(d.rec)
	d.dec.DisallowUnknownFields()
	e = &domain.Export{}
	if err := d.read(e); err != nil {
		return nil, nil, err
	}
	if e.Format != domain.ExportFormat {
		return nil, nil, fmt.Errorf("export: format: must be %q", domain.ExportFormat)
	}
	if d.bad.n == 0 && len(d.bad.top) == 0 {
		return e, nil, nil
	}
	return e, d.bad, nil
}

// fail turns an error of the JSON decoder into the export's error, without quoting the data.
func (d *exportDecoder) fail(where string, err error) error {
	if d.lr.N <= 0 {
		return fmt.Errorf("export: larger than %d bytes", d.limit)
	}
	if d.rec.err != nil {
		return fmt.Errorf("export: reading: %w", d.rec.err)
	}
	if where != "" {
		where += ": "
	}
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("export: %snot valid JSON at byte %d: %v", where, syn.Offset, syn)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF) && (where != "" || d.begun):
		return fmt.Errorf("export: %scut short: the JSON ends early", where)
	case errors.Is(err, io.EOF):
		return errors.New("export: empty")
	}
	return fmt.Errorf("export: %s%v", where, err)
}

func (d *exportDecoder) read(e *domain.Export) error {
	tok, err := d.dec.Token()
	if err != nil {
		return d.fail("", err)
	}
	if tok != json.Delim('{') {
		return errors.New("export: must be one JSON object")
	}
	d.begun = true
	seen := map[string]bool{}
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return d.fail("", err)
		}
		key, _ := tok.(string)
		if !plainField(key) {
			return errors.New("export: a field that is not one of the export's")
		}
		if seen[key] {
			return fmt.Errorf("export: %s: given twice", key)
		}
		seen[key] = true
		switch key {
		case "format":
			if err := d.dec.Decode(&e.Format); err != nil {
				if ferr := d.fatal(key, err); ferr != nil {
					return ferr
				}
				return fmt.Errorf("export: format: must be %q", domain.ExportFormat)
			}
		case "agency":
			err = d.top(key, &e.Agency)
		case "generated":
			err = d.top(key, &e.Generated)
		case "offices":
			err = decodeList(d, key, &e.Offices)
		case "staff":
			err = decodeList(d, key, &e.Staff)
		case "participants":
			err = decodeList(d, key, &e.Participants)
		case "cases":
			err = decodeList(d, key, &e.Cases)
		case "payments":
			err = decodeList(d, key, &e.Payments)
		case "disbursements":
			err = decodeList(d, key, &e.Disbursements)
		case "appointments":
			err = decodeList(d, key, &e.Appointments)
		case "messages":
			err = decodeList(d, key, &e.Messages)
		case "documents":
			err = decodeList(d, key, &e.Documents)
		case "deletions":
			err = decodeList(d, key, &e.Deletions)
		default:
			return fmt.Errorf("export: %s: not a field of the export", key)
		}
		if err != nil {
			return err
		}
	}
	if _, err := d.dec.Token(); err != nil { // the closing brace
		return d.fail("", err)
	}
	if _, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		if d.lr.N <= 0 {
			return fmt.Errorf("export: larger than %d bytes", d.limit)
		}
		return errors.New("export: trailing data after the export object")
	}
	return nil
}

// fatal returns the export's error when err leaves the decoder unusable (bad JSON, a read
// error, the end of the file), and nil when it is about the value only.
func (d *exportDecoder) fatal(where string, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		d.rec.err != nil || d.lr.N <= 0 {
		return d.fail(where, err)
	}
	return nil
}

// top decodes one of the export's own fields.
func (d *exportDecoder) top(field string, v any) error {
	start := d.dec.InputOffset()
	d.rec.keep = start
	err := d.dec.Decode(v)
	if err == nil {
		return nil
	}
	if ferr := d.fatal(field, err); ferr != nil {
		return ferr
	}
	raw := trimValue(d.rec.since(start, d.dec.InputOffset()))
	rv := reflect.ValueOf(v).Elem()
	rv.SetZero()
	d.bad.top = append(d.bad.top, fieldProblem{field, valueProblem(rv.Type(), raw, err)})
	return nil
}

// decodeList reads one of the export's lists, record by record.
func decodeList[T any](d *exportDecoder, list string, dst *[]T) error {
	tok, err := d.dec.Token()
	if err != nil {
		return d.fail(list, err)
	}
	switch tok {
	case nil:
		return nil
	case json.Delim('['):
	default:
		return fmt.Errorf("export: %s: must be a list", list)
	}
	for d.dec.More() {
		i := len(*dst)
		start := d.dec.InputOffset()
		d.rec.keep = start
		*dst = append(*dst, *new(T))
		v := &(*dst)[i]
		err := d.dec.Decode(v)
		if err == nil {
			continue
		}
		where := fmt.Sprintf("%s[%d]", list, i)
		if ferr := d.fatal(where, err); ferr != nil {
			return ferr
		}
		raw := trimValue(d.rec.since(start, d.dec.InputOffset()))
		if raw == nil {
			return fmt.Errorf("export: %s: does not decode", where)
		}
		*v = *new(T)
		var ps []fieldProblem
		decodeFields(raw, reflect.ValueOf(v).Elem(), "", singular[list], &ps)
		if len(ps) == 0 { // cannot happen: the record failed as a whole
			ps = []fieldProblem{{"", "does not decode"}}
		}
		d.bad.add(list, i, ps)
		if d.bad.n > maxUndecoded {
			return fmt.Errorf("export: more than %d records do not decode (the last read: %s)", maxUndecoded, where)
		}
	}
	if _, err := d.dec.Token(); err != nil { // the closing bracket
		return d.fail(list, err)
	}
	return nil
}

// singular names a record of each list, for "not a field of a payment".
var singular = map[string]string{"offices": "an office", "staff": "a staff member", "participants": "a participant",
	"cases": "a case", "payments": "a payment", "disbursements": "a disbursement", "appointments": "an appointment",
	"messages": "a message", "documents": "a document", "deletions": "a deletion"}

// trimValue drops the comma or colon and white space the decoder's offset may leave before a
// value.
func trimValue(b []byte) []byte {
	return bytes.TrimLeft(b, ",: \t\r\n")
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	dateType        = reflect.TypeFor[domain.Date]()
	centsType       = reflect.TypeFor[domain.Cents]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// decodeFields decodes raw into v field by field, leaving a field that fails at its zero value
// and noting it in ps with its path ("pin.version", "parties[1].role").
func decodeFields(raw []byte, v reflect.Value, path, what string, ps *[]fieldProblem) {
	t := v.Type()
	structured := (t.Kind() == reflect.Struct || t.Kind() == reflect.Slice) &&
		!reflect.PointerTo(t).Implements(unmarshalerType) && t != timeType
	if !structured || string(raw) == "null" {
		if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
			v.SetZero()
			*ps = append(*ps, fieldProblem{path, valueProblem(t, raw, err)})
		}
		return
	}
	want := byte('{')
	if t.Kind() == reflect.Slice {
		want = '['
	}
	if len(raw) == 0 || raw[0] != want {
		*ps = append(*ps, fieldProblem{path, valueProblem(t, raw, nil)})
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.Token() // the opening brace or bracket
	for i := 0; dec.More(); i++ {
		var sub string
		var field reflect.Value
		if t.Kind() == reflect.Slice {
			sub = fmt.Sprintf("%s[%d]", path, i)
			v.Set(reflect.Append(v, reflect.Zero(t.Elem())))
			field = v.Index(i)
		} else {
			tok, err := dec.Token()
			if err != nil {
				return
			}
			key, _ := tok.(string)
			field = fieldByName(v, key)
			sub = key
			if path != "" {
				sub = path + "." + key
			}
			if !field.IsValid() {
				if !plainField(key) {
					sub = strings.TrimSuffix(path+".", ".") + "a field"
					if path == "" {
						sub = "a field"
					}
				}
				var skip json.RawMessage
				dec.Decode(&skip)
				of := what
				if path != "" {
					of = what + "'s " + path
				}
				*ps = append(*ps, fieldProblem{sub, "not a field of " + of})
				continue
			}
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return
		}
		decodeFields(value, field, sub, what, ps)
	}
}

// fieldByName finds the struct field a JSON key sets, as encoding/json does: the exact name,
// or else one that differs in case only.
func fieldByName(v reflect.Value, key string) reflect.Value {
	t := v.Type()
	fold := -1
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if name == key {
			return v.Field(i)
		}
		if fold < 0 && strings.EqualFold(name, key) {
			fold = i
		}
	}
	if fold >= 0 {
		return v.Field(fold)
	}
	return reflect.Value{}
}

// plainField is a field name that may be repeated in a problem: short, lower case letters,
// digits and underscores.
func plainField(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_') {
			return false
		}
	}
	return true
}

// valueProblem says what is wrong with a value of type t, from the kind of JSON value raw is,
// never from the value itself.
func valueProblem(t reflect.Type, raw []byte, err error) string {
	found := jsonKind(raw)
	switch {
	case t == dateType:
		return "not a date (YYYY-MM-DD)"
	case t == timeType:
		return "not an instant (RFC 3339, such as 2026-11-15T17:00:00Z)"
	}
	var want string
	switch t.Kind() {
	case reflect.String:
		want = "a JSON string"
	case reflect.Bool:
		want = "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		want = "a JSON number"
		if t == centsType {
			want = "a JSON number (whole cents)"
		}
		if found == "a number" {
			return "must be a whole number (no fraction or exponent, and not too large)"
		}
	case reflect.Struct:
		want = "a JSON object"
	case reflect.Slice:
		want = "a JSON list"
	default:
		want = "another kind of JSON value"
	}
	return fmt.Sprintf("must be %s, not %s", want, found)
}

// jsonKind names the kind of JSON value raw begins.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch c := raw[0]; {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "a list"
	case c == 't' || c == 'f':
		return "true or false"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	}
	return "not a JSON value"
}
