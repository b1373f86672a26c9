package server

import (
	"bufio"
	"encoding/json"
	"io"

	"childsupportkiosk/app/domain"
)

// MaxExportBytes is the largest export ParseExport reads: enough for a large county's ten years
// of payments, small enough that a wrong file cannot exhaust the server.
const MaxExportBytes = 2 << 30

// ParseExport reads one export (docs/export-format.md) strictly: unknown fields, trailing data,
// a wrong format version or more than MaxExportBytes are refused. It checks the shape only;
// Import checks the content. A record that does not decode (a number where text belongs, a
// date that is not one) is an *Invalid naming the record and the field, never the value; the
// rest of the file is still read, so that up to MaxProblems of them are named. (*DB).ImportJSON
// reports those together with the problems Import finds.
func ParseExport(r io.Reader) (*domain.Export, error) {
	return parseExport(r, MaxExportBytes)
}

func parseExport(r io.Reader, limit int64) (*domain.Export, error) {
	e, bad, err := decodeExport(r, limit)
	if err != nil {
		return nil, err
	}
	if bad != nil {
		return nil, bad.invalid(e)
	}
	return e, nil
}

// EncodeExport writes an export as JSON that ParseExport reads back.
func EncodeExport(w io.Writer, e *domain.Export) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := json.NewEncoder(bw).Encode(e); err != nil {
		return err
	}
	return bw.Flush()
}
