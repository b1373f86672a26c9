package protocol_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"childsupportkiosk/sync/protocol"
)

func TestDecodeBatchSeeds(t *testing.T) {
	accept := map[string]bool{"valid": true, "empty": true, "gap": true}
	for _, s := range seeds() {
		b, err := protocol.DecodeBatch(bytes.NewReader(s.body), s.asked)
		if accept[s.name] {
			if err != nil {
				t.Errorf("%s: refused: %v", s.name, err)
			} else if b.From != s.asked {
				t.Errorf("%s: from %d", s.name, b.From)
			}
			continue
		}
		if !errors.Is(err, protocol.ErrBadBatch) {
			t.Errorf("%s: want ErrBadBatch, got %v", s.name, err)
		}
	}
}

func TestDecodeBatchRefusesOversizedBody(t *testing.T) {
	body := `{"from":0,"to":0,"checksum":"` + strings.Repeat("a", protocol.MaxBatchBytes) + `"}`
	_, err := protocol.DecodeBatch(strings.NewReader(body), 0)
	if !errors.Is(err, protocol.ErrBadBatch) || !strings.Contains(err.Error(), "larger") {
		t.Fatalf("oversized body: %v", err)
	}
}

func TestChecksumSeparatesFields(t *testing.T) {
	a := []protocol.Change{{Seq: 1, Kind: "payment", ID: "ab", Owner: "c", Data: json.RawMessage(`{}`)}}
	b := []protocol.Change{{Seq: 1, Kind: "payment", ID: "a", Owner: "bc", Data: json.RawMessage(`{}`)}}
	if protocol.Checksum(0, 1, a) == protocol.Checksum(0, 1, b) {
		t.Fatal("moving a byte from one field to the next keeps the checksum")
	}
}
