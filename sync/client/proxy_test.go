package client_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"childsupportkiosk/sync/protocol"
)

// fault is what the proxy does to one answer.
type fault int

const (
	answer503    fault = iota + 1 // never reaches the server
	dropMidBody                   // half the body, then the connection closes
	truncateBody                  // a shorter body that claims to be whole
	flipByte                      // one byte of a change's data altered: the checksum fails
	dropResponse                  // the server acts, the answer is lost
	hintBack                      // the Feed-Next hint a cursor inside the batch
	hintAhead                     // the Feed-Next hint a cursor past the batch
)

func (f fault) String() string {
	return [...]string{"", "answer503", "dropMidBody", "truncateBody", "flipByte", "dropResponse", "hintBack",
		"hintAhead"}[f]
}

// rule applies a fault to requests for path (and, on the feed, for one cursor, or any when
// after < 0), times times (forever when times < 0).
type rule struct {
	path  string
	after int64
	fault fault
	times int
}

// faultProxy is an HTTP proxy on loopback in front of a real server that damages the answers
// its rules name and passes the rest through.
type faultProxy struct {
	*httptest.Server
	target string
	mu     sync.Mutex
	rules  []*rule
	hits   map[fault]int
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	p := &faultProxy{target: target, hits: map[fault]int{}}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Server.Close)
	return p
}

func (p *faultProxy) add(r rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, &r)
}

func (p *faultProxy) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = nil
}

func (p *faultProxy) hit(f fault) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[f]
}

// match finds and spends the first rule for r.
func (p *faultProxy) match(r *http.Request) fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil {
		after = -1
	}
	for _, ru := range p.rules {
		if ru.path != r.URL.Path || ru.times == 0 || (ru.after >= 0 && ru.after != after) {
			continue
		}
		if ru.times > 0 {
			ru.times--
		}
		p.hits[ru.fault]++
		return ru.fault
	}
	return 0
}

func (p *faultProxy) serve(w http.ResponseWriter, r *http.Request) {
	f := p.match(r)
	if f == answer503 {
		http.Error(w, `{"error":"internal","message":"proxy says no"}`, http.StatusServiceUnavailable)
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), r.Body)
	if err != nil {
		panic(err)
	}
	req.Header = r.Header.Clone()
	// The faults work on the JSON itself: the transport asks for gzip and undoes it, and the
	// client gets the damaged answer plain.
	req.Header.Del("Accept-Encoding")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || f == dropResponse {
		panic(http.ErrAbortHandler) // close the connection without an answer
	}
	switch f {
	case truncateBody:
		body = body[:len(body)*2/3]
	case flipByte:
		// The first letter of the first key inside a change's data: the JSON stays valid,
		// the data's bytes change.
		if i := bytes.Index(body, []byte(`"data":{"`)); i >= 0 {
			body[i+len(`"data":{"`)] ^= 1
		}
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	if next, err := strconv.ParseInt(resp.Header.Get(protocol.HeaderNext), 10, 64); err == nil {
		switch f {
		case hintBack:
			w.Header().Set(protocol.HeaderNext, strconv.FormatInt(next-1, 10))
		case hintAhead:
			w.Header().Set(protocol.HeaderNext, strconv.FormatInt(next+1000, 10))
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.StatusCode)
	if f == dropMidBody {
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	w.Write(body)
}
