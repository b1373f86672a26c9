package client

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// ErrUnauthorized means the server does not know this kiosk's token: the enrolment is stale
// (another server, a reset database). IT enrols the kiosk again.
var ErrUnauthorized = errors.New("the case server does not accept this kiosk's token (enrol again)")

// ErrAlreadyEnrolled is returned by Enroll for a store that has an enrolment.
var ErrAlreadyEnrolled = errors.New("this cache is already enrolled")

// errRevoked is the server's 410 (a *revocation); Sync verifies it and turns it into a wipe and
// domain.ErrRevoked.
var errRevoked = errors.New("kiosk revoked")

// errPushAnswer marks a push response that does not answer the request item by item.
var errPushAnswer = errors.New("the server's push answer does not match the items sent")

// ServerError is an answer the client did not expect: a status other than 2xx, with the
// server's error code and message when it sent them.
type ServerError struct {
	Status  int
	Code    string
	Message string
}

func (e *ServerError) Error() string {
	s := fmt.Sprintf("case server answered %d %s", e.Status, http.StatusText(e.Status))
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Temporary reports whether trying again later may help.
func (e *ServerError) Temporary() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests ||
		e.Status == http.StatusRequestTimeout
}

// offlineError is a request that never got an answer: refused, reset, timed out.
type offlineError struct{ err error }

func (e *offlineError) Error() string { return "case server unreachable: " + e.err.Error() }
func (e *offlineError) Unwrap() []error {
	return []error{domain.ErrOffline, e.err}
}

// certError is a TLS certificate the client does not trust; retrying cannot help.
type certError struct{ err error }

func (e *certError) Error() string {
	return "the case server's certificate is not trusted (check the CA file): " + e.err.Error()
}
func (e *certError) Unwrap() error { return e.err }

func httpClient(o Options) (*http.Client, error) {
	if o.HTTPClient != nil {
		return o.HTTPClient, nil
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	tr.MaxIdleConnsPerHost = 4
	tr.ResponseHeaderTimeout = o.RequestTimeout + protocol.MaxWait*time.Second // a long poll (watch.go) waits for its header
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading the CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("the CA file holds no PEM certificate")
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	return &http.Client{Transport: tr}, nil
}

// serverBase checks a server URL and returns it without a trailing slash. Plain http is
// allowed to loopback only, unless allowHTTP.
func serverBase(raw string, allowHTTP bool) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("server URL %q: want https://host[:port]", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("server URL %q: want no user, query or fragment", raw)
	}
	if u.Scheme == "http" && !allowHTTP && !loopback(u.Hostname()) {
		return "", fmt.Errorf("server URL %q: plain http only to this machine; use https", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// request is one HTTP exchange; decode reads a 2xx body. A request with a token carries a
// nonce (protocol.HeaderNonce), which the server's signed answer names.
type request struct {
	method, url, token string
	nonce              string
	body               []byte
	header             func(http.Header) // if set, sees the answer's header before decode
	decode             func(io.Reader) error
}

// do sends one request within the per-request timeout and maps the answer to an error.
func do(ctx context.Context, hc *http.Client, timeout time.Duration, r request) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return err
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Encoding", acceptEncoding)
	if r.token != "" {
		if r.nonce == "" {
			r.nonce = newNonce()
		}
		req.Header.Set("Authorization", "Bearer "+r.token)
		req.Header.Set(protocol.HeaderNonce, r.nonce)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return transportError(err)
	}
	defer resp.Body.Close()
	body, done, err := decoded(resp)
	if err != nil {
		return err
	}
	defer done()
	if resp.StatusCode/100 != 2 {
		return statusError(resp.StatusCode, body, r.nonce)
	}
	if r.header != nil {
		r.header(resp.Header)
	}
	if err := r.decode(body); err != nil {
		// A body cut short by a dropped connection or a timeout shows up here as a decoding
		// error; it is as transient as a refused connection.
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4096)) // let the connection be reused
	return nil
}

// acceptEncoding is what the client takes: the case server compresses the feed with zstd, or
// with gzip if that is all the client takes. Since the client asks itself, it also undoes the
// coding itself (Go's transport undoes only a gzip it asked for on its own).
const acceptEncoding = "zstd, gzip"

// zstdDecoders keeps a few zstd decoders, each of which holds its buffers. A decoder decodes in
// the reading goroutine and refuses a window over 8 MiB (the server uses 1 MiB): a hostile
// answer cannot make it allocate more; what it decodes is bounded by the reader (readBody).
var zstdDecoders = make(chan *zstd.Decoder, 4)

// decoded is resp's body with its content coding undone, and what to call when it is read.
func decoded(resp *http.Response) (io.Reader, func(), error) {
	switch coding := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); coding {
	case "", "identity":
		return resp.Body, func() {}, nil
	case "gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil { // a header cut short, or not gzip at all: ask again
			return nil, nil, &offlineError{fmt.Errorf("reading the gzip answer: %w", err)}
		}
		return zr, func() {}, nil
	case "zstd":
		var zr *zstd.Decoder
		select {
		case zr = <-zstdDecoders:
		default:
			var err error
			zr, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(8<<20),
				zstd.WithDecoderMaxMemory(8<<20))
			if err != nil {
				return nil, nil, err
			}
		}
		if err := zr.Reset(resp.Body); err != nil {
			return nil, nil, &offlineError{fmt.Errorf("reading the zstd answer: %w", err)}
		}
		return zr, func() {
			zr.Reset(nil) // hold nothing of this answer
			select {
			case zstdDecoders <- zr:
			default:
				zr.Close()
			}
		}, nil
	default:
		return nil, nil, &ServerError{Status: resp.StatusCode, Message: "an answer in an unknown coding: " + oneLine(coding, 40)}
	}
}

func transportError(err error) error {
	var ua *x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var cv *tls.CertificateVerificationError
	if errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &cv) {
		return &certError{err}
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &offlineError{err}
}

func statusError(status int, body io.Reader, nonce string) error {
	var e protocol.Error
	b, _ := io.ReadAll(io.LimitReader(body, 64<<10))
	_ = json.Unmarshal(b, &e)
	switch {
	case status == http.StatusGone && e.Code == protocol.CodeRevoked:
		return &revocation{proof: e.Proof, nonce: nonce}
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden && e.Code == protocol.CodeBadCode:
		return domain.ErrEnrolmentCode
	}
	return &ServerError{Status: status, Code: e.Code, Message: oneLine(e.Message, 200)}
}

// transient reports whether another attempt at the same request may succeed.
func transient(err error) bool {
	var se *ServerError
	var oe *offlineError
	switch {
	case errors.As(err, &se):
		return se.Temporary()
	case errors.As(err, &oe):
		return true
	case errors.Is(err, protocol.ErrBadBatch), errors.Is(err, errPushAnswer):
		return true // damaged or cut short in transit
	}
	return false
}

// retry runs f until it succeeds, fails for good, runs out of attempts or ctx ends. Pauses grow
// exponentially with full jitter, so a room of kiosks coming back online does not stampede.
func retry(ctx context.Context, o Options, f func() error) error {
	return retryAfter(ctx, o, nil, f)
}

// retryAfter is retry when a first attempt was made elsewhere and failed with first; with a
// nil first it is retry.
func retryAfter(ctx context.Context, o Options, first error, f func() error) error {
	pause := o.Backoff
	err := first
	for attempt := 1; ; attempt++ {
		if attempt > 1 || first == nil {
			err = f()
		}
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !transient(err) || attempt >= o.Attempts {
			return err
		}
		wait := pause/2 + time.Duration(rand.Int64N(int64(pause/2)+1))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		pause = min(pause*2, o.MaxBackoff)
	}
}

// errorText is an error as the status record keeps it: one line, no personal data. The
// client's own messages carry none; text from the store is scrubbed of digit runs (IDs, SSNs).
func errorText(err error) string {
	if err == nil {
		return ""
	}
	return oneLine(err.Error(), 300)
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// storeError wraps an error from the Store, keeping its message free of identifiers.
type storeError struct {
	op  string
	err error
}

func (e *storeError) Error() string { return e.op + ": " + scrubDigits(e.err.Error()) }
func (e *storeError) Unwrap() error { return e.err }

// scrubDigits hides every run of four or more digits: participant IDs, SSNs, case numbers.
func scrubDigits(s string) string {
	var b strings.Builder
	run := 0
	flush := func(digits string) {
		if len(digits) >= 4 {
			b.WriteString("#")
		} else {
			b.WriteString(digits)
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		if run > 0 {
			flush(s[i-run : i])
			run = 0
		}
		b.WriteByte(s[i])
	}
	if run > 0 {
		flush(s[len(s)-run:])
	}
	return b.String()
}
