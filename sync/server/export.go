package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"childsupportkiosk/app/domain"
)

// MaxExportBytes is the largest export ParseExport reads: enough for a large county's ten years
// of payments, small enough that a wrong file cannot exhaust the server.
const MaxExportBytes = 2 << 30

// ParseExport reads one export (docs/export-format.md) strictly: unknown fields, trailing data,
// a wrong format version or more than MaxExportBytes are refused. It checks the shape only;
// Import checks the content.
func ParseExport(r io.Reader) (*domain.Export, error) {
	return parseExport(r, MaxExportBytes)
}

func parseExport(r io.Reader, limit int64) (*domain.Export, error) {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	var e domain.Export
	if err := dec.Decode(&e); err != nil {
		if lr.N <= 0 {
			return nil, fmt.Errorf("export: larger than %d bytes", limit)
		}
		return nil, fmt.Errorf("export: %s", describeJSONError(err, dec))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if lr.N <= 0 {
			return nil, fmt.Errorf("export: larger than %d bytes", limit)
		}
		return nil, errors.New("export: trailing data after the export object")
	}
	if e.Format != domain.ExportFormat {
		return nil, fmt.Errorf("export: format: must be %q, not %q", domain.ExportFormat, truncate(e.Format, 40))
	}
	return &e, nil
}

// describeJSONError says where the JSON went wrong, without quoting the data (which may be a
// name or an SSN).
func describeJSONError(err error, dec *json.Decoder) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		return fmt.Sprintf("at byte %d: field %s: expected %s, found a JSON %s", typ.Offset, typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF):
		return "empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "cut short: the JSON ends early"
	}
	// Unknown fields and errors from the domain's own decoders (dates) land here.
	return fmt.Sprintf("near byte %d: %v", dec.InputOffset(), err)
}

// EncodeExport writes an export as JSON that ParseExport reads back.
func EncodeExport(w io.Writer, e *domain.Export) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := json.NewEncoder(bw).Encode(e); err != nil {
		return err
	}
	return bw.Flush()
}
