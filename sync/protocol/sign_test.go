package protocol_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"childsupportkiosk/sync/protocol"
)

// statement is a batch's statement with every field set.
func statement() protocol.Statement {
	return protocol.Statement{Kind: protocol.StatementBatch, Kiosk: "kiosk-1", Office: "CA-LA", Nonce: "n0nce",
		Asked: 10, From: 10, To: 20, More: true, Checksum: "abc", Head: 30, Time: 1767600000000,
		Next: &protocol.ServerKey{ID: "next", Public: "cHVi", From: 1767700000000}}
}

// Every field of the statement is under the signature: changing any one of them, or moving a
// byte from one string to the next, makes the signature fail.
func TestEveryFieldIsSigned(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	st := statement()
	p := st.Sign(priv)
	if err := st.Verify(pub, p.Sig); err != nil {
		t.Fatalf("the signed statement: %v", err)
	}
	if p.Key != protocol.KeyID(pub) || p.Head != st.Head || p.Time != st.Time || p.Next != st.Next {
		t.Fatalf("proof %+v", p)
	}
	changes := map[string]func(s *protocol.Statement){
		"kind":       func(s *protocol.Statement) { s.Kind = protocol.StatementRevoked },
		"kiosk":      func(s *protocol.Statement) { s.Kiosk = "kiosk-2" },
		"office":     func(s *protocol.Statement) { s.Office = "CA-SF" },
		"nonce":      func(s *protocol.Statement) { s.Nonce = "other" },
		"asked":      func(s *protocol.Statement) { s.Asked++ },
		"from":       func(s *protocol.Statement) { s.From++ },
		"to":         func(s *protocol.Statement) { s.To++ },
		"more":       func(s *protocol.Statement) { s.More = false },
		"checksum":   func(s *protocol.Statement) { s.Checksum = "abd" },
		"head":       func(s *protocol.Statement) { s.Head-- },
		"time":       func(s *protocol.Statement) { s.Time++ },
		"key":        func(s *protocol.Statement) { s.Key = "other" },
		"no next":    func(s *protocol.Statement) { s.Next = nil },
		"next id":    func(s *protocol.Statement) { n := *s.Next; n.ID = "nexu"; s.Next = &n },
		"next key":   func(s *protocol.Statement) { n := *s.Next; n.Public = "cHVj"; s.Next = &n },
		"next from":  func(s *protocol.Statement) { n := *s.Next; n.From++; s.Next = &n },
		"kiosk|off":  func(s *protocol.Statement) { s.Kiosk, s.Office = "kiosk-1C", "A-LA" },
		"nonce|chk":  func(s *protocol.Statement) { s.Nonce, s.Checksum = "n0nc", "eabc" },
		"kind|kiosk": func(s *protocol.Statement) { s.Kind, s.Kiosk = "batchk", "iosk-1" },
	}
	for name, change := range changes {
		s := statement()
		s.Key = p.Key
		change(&s)
		if err := s.Verify(pub, p.Sig); !errors.Is(err, protocol.ErrBadSignature) {
			t.Errorf("%s changed: %v", name, err)
		}
	}
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	if err := st.Verify(other, p.Sig); !errors.Is(err, protocol.ErrBadSignature) {
		t.Errorf("another key: %v", err)
	}
	for _, sig := range []string{"", "not base64!", "AAAA"} {
		if err := st.Verify(pub, sig); !errors.Is(err, protocol.ErrBadSignature) {
			t.Errorf("signature %q: %v", sig, err)
		}
	}
}

func TestServerKeyChecksItsID(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	k := protocol.NewServerKey(pub, 0)
	if got, err := k.Key(); err != nil || !got.Equal(pub) {
		t.Fatalf("key: %v", err)
	}
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	k.ID = protocol.KeyID(other)
	if _, err := k.Key(); !errors.Is(err, protocol.ErrBadKey) {
		t.Fatalf("a key under another's ID: %v", err)
	}
	if _, err := (protocol.ServerKey{ID: "x", Public: "c2hvcnQ="}).Key(); !errors.Is(err, protocol.ErrBadKey) {
		t.Fatalf("a short key: %v", err)
	}
}

// fullBatch is a batch of protocol.DefaultBatch changes of about 250 bytes each, as the case
// server sends a kiosk catching up.
func fullBatch() *protocol.Batch {
	b := &protocol.Batch{From: 1000, More: true}
	for i := range protocol.DefaultBatch {
		data := fmt.Sprintf(`{"id":"P%09d","case":"C%08d","payer":"%010d","received":"2025-03-14","amount":%d,`+
			`"source":"income_withholding","allocation":{"current":%d,"arrears":0,"interest":0,"fees":0}}`,
			i, i/4, 5076159232+i/40, 10000+i, 10000+i)
		b.Changes = append(b.Changes, protocol.Change{Seq: int64(1001 + i), Kind: protocol.KindPayment,
			ID: fmt.Sprintf("P%09d", i), Owner: fmt.Sprintf("%010d", 5076159232+i/40), Data: json.RawMessage(data)})
	}
	b.To = b.Changes[len(b.Changes)-1].Seq
	return b
}

// BenchmarkSignBatch is the server's work for one full batch's proof: the checksum over the
// batch (which it computed before signing came too) and the Ed25519 signature of the
// statement. BenchmarkSignStatement is the signature alone, what signing adds.
func BenchmarkSignBatch(b *testing.B) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	batch := fullBatch()
	b.SetBytes(int64(batchBytes(batch)))
	for b.Loop() {
		batch.Seal()
		st := protocol.BatchStatement(batch, "kiosk-1", "CA-LA", batch.From, "n0nce", nil)
		batch.Proof = st.Sign(priv)
	}
}

// BenchmarkVerifyBatch is the kiosk's work for one full batch: the checksum, then the
// signature of the statement. BenchmarkVerifyStatement is the signature alone.
func BenchmarkVerifyBatch(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	batch := fullBatch()
	batch.Seal()
	st := protocol.BatchStatement(batch, "kiosk-1", "CA-LA", batch.From, "n0nce", nil)
	batch.Proof = st.Sign(priv)
	b.SetBytes(int64(batchBytes(batch)))
	for b.Loop() {
		if err := batch.Check(batch.From); err != nil {
			b.Fatal(err)
		}
		st := protocol.BatchStatement(batch, "kiosk-1", "CA-LA", batch.From, "n0nce", batch.Proof)
		if err := st.Verify(pub, batch.Proof.Sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignStatement(b *testing.B) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	st := statement()
	for b.Loop() {
		st.Sign(priv)
	}
}

func BenchmarkVerifyStatement(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	st := statement()
	p := st.Sign(priv)
	for b.Loop() {
		if err := st.Verify(pub, p.Sig); err != nil {
			b.Fatal(err)
		}
	}
}

func batchBytes(b *protocol.Batch) int {
	n := 0
	for _, c := range b.Changes {
		n += len(c.Data) + len(c.ID) + len(c.Owner) + 40
	}
	return n
}
