package protocol_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"childsupportkiosk/sync/protocol"
)

// FuzzDecodeBatch feeds DecodeBatch arbitrary bodies: it must never panic, must refuse with
// ErrBadBatch, and must accept only batches that pass Check.
func FuzzDecodeBatch(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s.body, s.asked)
	}
	f.Fuzz(func(t *testing.T, body []byte, asked int64) {
		b, err := protocol.DecodeBatch(bytes.NewReader(body), asked)
		if err != nil {
			if !errors.Is(err, protocol.ErrBadBatch) {
				t.Fatalf("refused without ErrBadBatch: %v", err)
			}
			return
		}
		if err := b.Check(asked); err != nil {
			t.Fatalf("accepted a batch that fails Check: %v", err)
		}
	})
}

type seed struct {
	name  string
	body  []byte
	asked int64
}

// seeds are valid batches and the usual ways one arrives damaged.
func seeds() []seed {
	valid := protocol.Batch{From: 10, To: 14, More: true, Changes: []protocol.Change{
		{Seq: 11, Kind: protocol.KindOffice, ID: "of1", Data: json.RawMessage(`{"id":"of1","name":"Office"}`)},
		{Seq: 12, Kind: protocol.KindParticipant, ID: "1000000001", Owner: "1000000001",
			Data: json.RawMessage(`{"id":"1000000001","name":"Ana Núñez"}`)},
		{Seq: 13, Kind: protocol.KindPayment, ID: "pay1", Owner: "1000000001",
			Data: json.RawMessage(`{"id":"pay1","amount":12345}`)},
		{Seq: 14, Kind: protocol.KindMessage, ID: "m1", Owner: "1000000001", Deleted: true},
	}}
	valid.Seal()
	good, _ := json.Marshal(valid)
	empty := protocol.Batch{From: 14, To: 14}
	empty.Seal()
	emptyBody, _ := json.Marshal(empty)
	gap := protocol.Batch{From: 0, To: 100, Changes: []protocol.Change{
		{Seq: 40, Kind: protocol.KindCase, ID: "C1/1000000001", Owner: "1000000001", Data: json.RawMessage(`{}`)}}}
	gap.Seal()
	gapBody, _ := json.Marshal(gap)

	flipped := bytes.Clone(good)
	flipped[bytes.Index(flipped, []byte("12345"))] = '9'
	badSum := valid
	badSum.Checksum = protocol.Checksum(0, 0, nil)
	badSumBody, _ := json.Marshal(badSum)
	unordered := valid
	unordered.Changes = []protocol.Change{valid.Changes[1], valid.Changes[0]}
	unordered.Seal()
	unorderedBody, _ := json.Marshal(unordered)

	return []seed{
		{"valid", good, 10},
		{"reindented", indent(good), 10}, // the data's bytes change, so the checksum fails
		{"empty", emptyBody, 14},
		{"gap", gapBody, 0},
		{"wrong-cursor", good, 9},
		{"truncated", good[:len(good)/2], 10},
		{"truncated-end", good[:len(good)-1], 10},
		{"flipped-byte", flipped, 10},
		{"bad-checksum", badSumBody, 10},
		{"unordered", unorderedBody, 10},
		{"trailing", append(bytes.Clone(good), []byte(` {}`)...), 10},
		{"null", []byte(`null`), 0},
		{"not-json", []byte("<html>502 Bad Gateway</html>"), 0},
	}
}

func indent(b []byte) []byte {
	var out bytes.Buffer
	json.Indent(&out, b, "", "  ")
	return out.Bytes()
}

// TestWriteFuzzSeeds rewrites the committed seed corpus from seeds() when
// PROTOCOL_WRITE_SEEDS=1; otherwise it checks the corpus is there.
func TestWriteFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecodeBatch")
	if os.Getenv("PROTOCOL_WRITE_SEEDS") != "1" {
		if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) < len(seeds()) {
			t.Fatalf("seed corpus has %d files; run with PROTOCOL_WRITE_SEEDS=1", len(files))
		}
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range seeds() {
		text := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nint64(%d)\n", s.body, s.asked)
		if err := os.WriteFile(filepath.Join(dir, s.name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
