package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"childsupportkiosk/sync/protocol"
)

// FuzzDecodeBatchFast checks the fast path against protocol.DecodeBatch: the same batches
// accepted, with the same content, and the same refused.
func FuzzDecodeBatchFast(f *testing.F) {
	b := protocol.Batch{From: 10, To: 14, More: true, Changes: []protocol.Change{
		{Seq: 11, Kind: protocol.KindOffice, ID: "of1", Data: json.RawMessage(`{"id":"of1","name":"Office"}`)},
		{Seq: 12, Kind: protocol.KindParticipant, ID: "1000000001", Owner: "1000000001",
			Data: json.RawMessage(`{"id":"1000000001","name":"Ana N\u00fa\u00f1ez","x":[1,{"y":"\"}"}]}`)},
		{Seq: 14, Kind: protocol.KindMessage, ID: "m1", Owner: "1000000001", Deleted: true},
	}}
	b.Seal()
	good, _ := json.Marshal(b)
	f.Add(good, int64(10))
	b.Proof = &protocol.Proof{Key: "0011223344556677", Time: 1767600000000, Head: 20, Sig: "c2ln",
		Next: &protocol.ServerKey{ID: "8899aabbccddeeff", Public: "cHVi", From: 1767700000000}}
	proved, _ := json.Marshal(b)
	f.Add(proved, int64(10))
	f.Add(bytes.Replace(proved, []byte(`"proof":{`), []byte(`"proof":{"key":"x",`), 1), int64(10))
	f.Add(bytes.Replace(good, []byte(`"changes"`), []byte(`"proof":null,"changes"`), 1), int64(10))
	var spaced bytes.Buffer
	json.Indent(&spaced, good, "", " ")
	f.Add(spaced.Bytes(), int64(10))
	f.Add(good[:len(good)-3], int64(10))
	f.Add([]byte(`{"from":0,"to":0,"checksum":"`+protocol.Checksum(0, 0, nil)+`","changes":[]}`), int64(0))
	f.Add([]byte(`{"From":0,"to":0,"checksum":"`+protocol.Checksum(0, 0, nil)+`"} `), int64(0))
	f.Add(bytes.Replace(good, []byte(`"more":true`), []byte(`"more":true,"more":false`), 1), int64(10))
	f.Add(bytes.Replace(good, []byte(`"seq":12`), []byte(`"seq":1.2e1`), 1), int64(10))
	f.Add(bytes.Replace(good, []byte(`"of1"`), []byte(`"o\u0066\u0031"`), 1), int64(10))
	f.Fuzz(func(t *testing.T, body []byte, asked int64) {
		want, werr := protocol.DecodeBatch(bytes.NewReader(body), asked)
		read, err := readBody(bytes.NewReader(body), nil) // as the kiosk reads an answer
		if err != nil || !bytes.Equal(read, body) {
			t.Fatalf("readBody: %v", err)
		}
		got, gerr := decodeBody(read, asked)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("DecodeBatch: %v; fast path: %v", werr, gerr)
		}
		if gerr != nil {
			if !errors.Is(gerr, protocol.ErrBadBatch) {
				t.Fatalf("refused without ErrBadBatch: %v", gerr)
			}
			return
		}
		if got.From != want.From || got.To != want.To || got.More != want.More ||
			got.Checksum != want.Checksum || len(got.Changes) != len(want.Changes) ||
			!reflect.DeepEqual(got.Proof, want.Proof) {
			t.Fatalf("batches differ: %+v and %+v", got, want)
		}
		for i := range got.Changes {
			g, w := got.Changes[i], want.Changes[i]
			if g.Seq != w.Seq || g.Kind != w.Kind || g.ID != w.ID || g.Owner != w.Owner ||
				g.Deleted != w.Deleted || !bytes.Equal(g.Data, w.Data) {
				t.Fatalf("change %d differs: %+v and %+v", i, g, w)
			}
		}
	})
}

func TestDecodeBatchFastPathTaken(t *testing.T) {
	b := protocol.Batch{From: 0, To: 3, Changes: []protocol.Change{
		{Seq: 3, Kind: protocol.KindPayment, ID: "p", Owner: "o", Data: json.RawMessage(`{"a":1}`)}},
		Proof: &protocol.Proof{Key: "k", Time: 5, Head: 3, Sig: "c2ln"}}
	b.Seal()
	body, _ := json.Marshal(b)
	p := parser{buf: body}
	if got, ok := p.batch(); !ok || !reflect.DeepEqual(got.Proof, b.Proof) {
		t.Fatalf("a plain batch with its proof left the fast path (%v), or lost its proof: %+v", ok, got.Proof)
	}
}

// FuzzSkipValue holds skipValue to json.Valid: a whole input is one valid JSON value (with
// white space around it) for one exactly when it is for the other.
func FuzzSkipValue(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, ` {"a": [1, -2.5e+3, true, false, null, "x\u00e9\n"]} `, `{"a":{}}`, `[[],[{}]]`,
		`{"a" 1}`, `{"a":1,}`, `[1,]`, `[01]`, `-`, `1.`, `1e`, `"\x"`, "\"\t\"", `"\u12g4"`,
		`{"a":1}x`, `[`, `{"a":`, `nul`, `truex`, `0.0e-0`, `{"":""}`, `[1 2]`, `{,}`,
		strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth),
		strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		end, ok := skipValue(b, 0)
		got := ok && skipSpace(b, end) == len(b)
		if want := json.Valid(b); got != want {
			t.Fatalf("skipValue says %v, json.Valid %v, for %q", got, want, b)
		}
	})
}
