package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"childsupportkiosk/sync/protocol"
)

// readBody reads a batch's body into buf (grown as needed), refusing one larger than
// protocol.MaxBatchBytes; a body cut short is a bad batch.
func readBody(r io.Reader, buf []byte) ([]byte, error) {
	body := bytes.NewBuffer(buf[:0])
	if _, err := body.ReadFrom(io.LimitReader(r, protocol.MaxBatchBytes+1)); err != nil {
		return body.Bytes(), fmt.Errorf("%w: %v", protocol.ErrBadBatch, err)
	}
	return body.Bytes(), nil
}

// decodeBody is protocol.DecodeBatch of a body already read (readBody), with a fast path.
// encoding/json reads a batch three times over (to find the value's end, to decode it, and to
// skip each change's data into a RawMessage) and copies every record; for a kiosk's first sync
// of a large office that was a third of the kiosk's CPU. The fast path parses the plain shape
// the case server writes in one pass, checks each record's data as it goes (skipValue) and
// leaves it in body, then applies Batch.Check. Anything it is not sure of (escapes, unknown or
// repeated keys, odd numbers, data that is not an object or array, trailing bytes) goes to
// protocol.DecodeBatch itself, so what is accepted and every refusal are DecodeBatch's. The
// batch's data lies in body, which may be used again only once the batch is no longer needed.
func decodeBody(body []byte, asked int64) (protocol.Batch, error) {
	if len(body) <= protocol.MaxBatchBytes {
		p := parser{buf: body}
		if b, ok := p.batch(); ok {
			return b, b.Check(asked)
		}
	}
	return protocol.DecodeBatch(bytes.NewReader(body), asked)
}

// parser reads the plain JSON shape of a batch; ok false means "not sure: ask DecodeBatch".
type parser struct {
	buf []byte
	i   int
}

var errUnsure = errors.New("not the plain shape")

func (p *parser) ws() {
	for p.i < len(p.buf) {
		switch p.buf[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) want(c byte) error {
	p.ws()
	if p.i < len(p.buf) && p.buf[p.i] == c {
		p.i++
		return nil
	}
	return errUnsure
}

// peek reports whether the next byte after white space is c, and takes it if so.
func (p *parser) peek(c byte) bool {
	p.ws()
	if p.i < len(p.buf) && p.buf[p.i] == c {
		p.i++
		return true
	}
	return false
}

// plain reads a string of printable ASCII without escapes and returns its bytes (in buf).
func (p *parser) plain() ([]byte, error) {
	if err := p.want('"'); err != nil {
		return nil, err
	}
	start := p.i
	for p.i < len(p.buf) {
		c := p.buf[p.i]
		switch {
		case c == '"':
			p.i++
			return p.buf[start : p.i-1], nil
		case c < 0x20 || c >= 0x7f || c == '\\':
			return nil, errUnsure
		}
		p.i++
	}
	return nil, errUnsure
}

// number reads a non-negative integer without sign, exponent or leading zeros, small enough
// for an int64.
func (p *parser) number() (int64, error) {
	p.ws()
	start := p.i
	var n int64
	for p.i < len(p.buf) && p.buf[p.i] >= '0' && p.buf[p.i] <= '9' {
		n = n*10 + int64(p.buf[p.i]-'0')
		p.i++
	}
	digits := p.i - start
	if digits == 0 || digits > 18 || (digits > 1 && p.buf[start] == '0') {
		return 0, errUnsure
	}
	if p.i < len(p.buf) && (p.buf[p.i] == '.' || p.buf[p.i] == 'e' || p.buf[p.i] == 'E') {
		return 0, errUnsure
	}
	return n, nil
}

func (p *parser) boolean() (bool, error) {
	p.ws()
	switch {
	case bytes.HasPrefix(p.buf[p.i:], []byte("true")):
		p.i += 4
		return true, nil
	case bytes.HasPrefix(p.buf[p.i:], []byte("false")):
		p.i += 5
		return false, nil
	}
	return false, errUnsure
}

// value reads an object or array and returns its bytes, checked to be valid JSON.
func (p *parser) value() ([]byte, error) {
	p.ws()
	start := p.i
	if p.i >= len(p.buf) || (p.buf[p.i] != '{' && p.buf[p.i] != '[') {
		return nil, errUnsure
	}
	end, ok := skipValue(p.buf, p.i)
	if !ok {
		return nil, errUnsure
	}
	p.i = end
	return p.buf[start:end], nil
}

// object reads {"key": value, ...}, calling field for each key; a repeated key is unsure.
func (p *parser) object(field func(key string) error) error {
	if err := p.want('{'); err != nil {
		return err
	}
	if p.peek('}') {
		return nil
	}
	var seen []string
	for {
		k, err := p.plain()
		if err != nil {
			return err
		}
		key := string(k)
		for _, s := range seen {
			if s == key {
				return errUnsure
			}
		}
		seen = append(seen, key)
		if err := p.want(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		if p.peek('}') {
			return nil
		}
		if err := p.want(','); err != nil {
			return err
		}
	}
}

// kinds maps a kind's bytes to the protocol's own string, so a batch's kinds share memory.
func kindOf(b []byte) (string, error) {
	for _, k := range protocol.Kinds {
		if string(b) == k {
			return k, nil
		}
	}
	return "", errUnsure // an unknown kind: DecodeBatch says which
}

func (p *parser) change(c *protocol.Change) error {
	return p.object(func(key string) error {
		var err error
		var s []byte
		switch key {
		case "seq":
			c.Seq, err = p.number()
		case "kind":
			if s, err = p.plain(); err == nil {
				c.Kind, err = kindOf(s)
			}
		case "id":
			if s, err = p.plain(); err == nil {
				c.ID = string(s)
			}
		case "owner":
			if s, err = p.plain(); err == nil {
				c.Owner = string(s)
			}
		case "deleted":
			c.Deleted, err = p.boolean()
		case "data":
			c.Data, err = p.value()
		default:
			err = errUnsure
		}
		return err
	})
}

func (p *parser) batch() (protocol.Batch, bool) {
	var b protocol.Batch
	err := p.object(func(key string) error {
		var err error
		switch key {
		case "from":
			b.From, err = p.number()
		case "to":
			b.To, err = p.number()
		case "more":
			b.More, err = p.boolean()
		case "checksum":
			var s []byte
			if s, err = p.plain(); err == nil {
				b.Checksum = string(s)
			}
		case "proof":
			// A small object of plain fields: encoding/json is quick enough here, and the
			// proof is verified whole afterwards.
			var v []byte
			if v, err = p.value(); err == nil {
				b.Proof = new(protocol.Proof)
				if json.Unmarshal(v, b.Proof) != nil {
					err = errUnsure
				}
			}
		case "changes":
			err = p.changes(&b)
		default:
			err = errUnsure
		}
		return err
	})
	if err != nil {
		return protocol.Batch{}, false
	}
	p.ws()
	return b, p.i == len(p.buf)
}

func (p *parser) changes(b *protocol.Batch) error {
	if err := p.want('['); err != nil {
		return err
	}
	// Changes are at least 30 bytes each; a guess that avoids growing the slice.
	b.Changes = make([]protocol.Change, 0, min(len(p.buf)/128+1, protocol.MaxBatch+1))
	if p.peek(']') {
		return nil
	}
	for {
		b.Changes = append(b.Changes, protocol.Change{})
		if err := p.change(&b.Changes[len(b.Changes)-1]); err != nil {
			return err
		}
		if p.peek(']') {
			return nil
		}
		if err := p.want(','); err != nil {
			return err
		}
	}
}
