package server

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"

	"childsupportkiosk/sync/protocol"
)

// Handler serves the sync API of sync/protocol from db. It logs each request with logger:
// method, endpoint, status, kiosk ID, counts and duration, never any personal data.
func Handler(db *DB, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return newAPI(db, logger).routes()
}

func newAPI(db *DB, logger *slog.Logger) *api {
	return &api{db: db, log: logger, limiter: &enrolLimiter{}}
}

// routes is the API's handler.
func (a *api) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(protocol.PathHealth, a.only(http.MethodGet, a.health))
	mux.HandleFunc(protocol.PathEnroll, a.only(http.MethodPost, a.enroll))
	mux.HandleFunc(protocol.PathChanges, a.only(http.MethodGet, a.authed(a.changes)))
	mux.HandleFunc(protocol.PathPush, a.only(http.MethodPost, a.authed(a.push)))
	mux.HandleFunc(protocol.PathAttempts, a.attempts())
	mux.HandleFunc(protocol.PathToken, a.token)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, http.StatusNotFound, protocol.CodeBadRequest, "no such endpoint")
	})
	return a.logged(mux)
}

type api struct {
	db      *DB
	log     *slog.Logger
	limiter *enrolLimiter
	ahead   aheads
}

// note is what a handler tells the request log: set on the request's context-free record.
type note struct {
	status int
	kiosk  string
	count  int
	errMsg string
}

type noteWriter struct {
	http.ResponseWriter
	n *note
}

func (w *noteWriter) WriteHeader(code int) {
	if w.n.status == 0 {
		w.n.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *noteWriter) Write(b []byte) (int, error) {
	if w.n.status == 0 {
		w.n.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func notes(w http.ResponseWriter) *note {
	if nw, ok := w.(*noteWriter); ok {
		return nw.n
	}
	return &note{}
}

// endpoints are the paths the log may name; any other path is logged as "other", since a
// mistyped URL could carry anything.
var endpoints = map[string]bool{protocol.PathHealth: true, protocol.PathEnroll: true,
	protocol.PathChanges: true, protocol.PathPush: true}

func (a *api) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		n := &note{}
		next.ServeHTTP(&noteWriter{w, n}, r)
		path := r.URL.Path
		if !endpoints[path] {
			path = "other"
		}
		attrs := []any{"method", r.Method, "endpoint", path, "status", n.status,
			"ms", time.Since(start).Milliseconds()}
		if n.kiosk != "" {
			attrs = append(attrs, "kiosk", n.kiosk)
		}
		if n.count > 0 {
			attrs = append(attrs, "count", n.count)
		}
		if n.errMsg != "" {
			attrs = append(attrs, "error", n.errMsg)
		}
		level := slog.LevelInfo
		if n.status >= 500 {
			level = slog.LevelError
		}
		if path == protocol.PathHealth && n.status == http.StatusOK {
			level = slog.LevelDebug
		}
		a.log.Log(r.Context(), level, "request", attrs...)
	})
}

func (a *api) only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			a.fail(w, r, http.StatusMethodNotAllowed, protocol.CodeBadRequest, "use "+method)
			return
		}
		h(w, r)
	}
}

// authed finds the kiosk of the bearer token; a revoked kiosk gets 410 on every call.
func (a *api) authed(h func(http.ResponseWriter, *http.Request, Kiosk)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="caseserver"`)
			a.fail(w, r, http.StatusUnauthorized, protocol.CodeUnauthorized, "a bearer token is required")
			return
		}
		k, err := a.db.Authenticate(strings.TrimSpace(token))
		switch {
		case errors.Is(err, ErrRevoked):
			notes(w).kiosk = k.ID
			// Signed, so that the kiosk can tell it from a 410 forged on the way.
			proof, err := a.db.sign(r.Context(), protocol.RevokedStatement(k.ID, k.Office, nonce(r), nil))
			if err != nil {
				a.internal(w, r, err)
				return
			}
			a.failWith(w, r, http.StatusGone, protocol.Error{Code: protocol.CodeRevoked,
				Message: "this kiosk was revoked; wipe its data", Proof: proof})
			return
		case errors.Is(err, ErrUnauthorized):
			w.Header().Set("WWW-Authenticate", `Bearer realm="caseserver", error="invalid_token"`)
			a.fail(w, r, http.StatusUnauthorized, protocol.CodeUnauthorized, "unknown token; enrol again")
			return
		case err != nil:
			a.internal(w, r, err)
			return
		}
		notes(w).kiosk = k.ID
		a.db.seen(k)
		h(w, r, k)
	}
}

func (a *api) fail(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	a.failWith(w, r, status, protocol.Error{Code: code, Message: msg})
}

func (a *api) failWith(w http.ResponseWriter, r *http.Request, status int, e protocol.Error) {
	n := notes(w)
	if n.errMsg == "" {
		n.errMsg = e.Code
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(e)
}

// nonce is the request's nonce (protocol.HeaderNonce), or "" when it sent none or one that is
// too long or not plain printable ASCII: a statement never carries what the server would not
// log.
func nonce(r *http.Request) string {
	n := r.Header.Get(protocol.HeaderNonce)
	if len(n) > protocol.MaxNonce {
		return ""
	}
	for i := 0; i < len(n); i++ {
		if n[i] <= ' ' || n[i] >= 0x7f {
			return ""
		}
	}
	return n
}

func (a *api) internal(w http.ResponseWriter, r *http.Request, err error) {
	// The error of a database call names tables and constraints, never values.
	notes(w).errMsg = err.Error()
	a.fail(w, r, http.StatusInternalServerError, protocol.CodeInternal, "internal error")
}

func (a *api) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok")
}

// readJSON decodes a request body of at most max bytes strictly into v.
func readJSON(w http.ResponseWriter, r *http.Request, max int64, v any) (status int, msg string) {
	body := http.MaxBytesReader(w, r.Body, max)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return http.StatusRequestEntityTooLarge, "request larger than " + strconv.FormatInt(max, 10) + " bytes"
		}
		return http.StatusBadRequest, "request is not the expected JSON"
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return http.StatusBadRequest, "trailing data after the JSON request"
	}
	return 0, ""
}

// enroll trades a one-time code for a kiosk's identity. Every code is checked, whatever the
// limiter says, so a valid code always enrols; the limiter only slows the answers to a
// source that keeps sending wrong ones (enrolLimiter).
func (a *api) enroll(w http.ResponseWriter, r *http.Request) {
	var req protocol.EnrollRequest
	if status, msg := readJSON(w, r, 4<<10, &req); status != 0 {
		a.fail(w, r, status, protocol.CodeBadRequest, msg)
		return
	}
	from := enrolSource(r.RemoteAddr)
	if !a.limiter.enter(from) {
		// A source with wrong codes of its own still waiting for their answers.
		w.Header().Set("Retry-After", "60")
		a.fail(w, r, http.StatusTooManyRequests, protocol.CodeBadCode, "too many wrong codes; wait a minute")
		return
	}
	defer a.limiter.leave(from)
	resp, err := a.db.Enroll(req.Code, req.Name)
	switch {
	case errors.Is(err, ErrBadCode):
		if !a.limiter.failed(r.Context(), from) {
			w.Header().Set("Retry-After", "60")
			a.fail(w, r, http.StatusTooManyRequests, protocol.CodeBadCode, "too many wrong codes; wait a minute")
			return
		}
		a.fail(w, r, http.StatusForbidden, protocol.CodeBadCode, "enrolment code is wrong, used or expired")
		return
	case errors.Is(err, ErrKioskName):
		a.fail(w, r, http.StatusBadRequest, protocol.CodeBadRequest, err.Error())
		return
	case err != nil:
		a.internal(w, r, err)
		return
	}
	notes(w).kiosk = resp.Kiosk
	a.log.Info("kiosk enrolled", "kiosk", resp.Kiosk, "office", resp.Office)
	writeJSON(w, resp)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

func (a *api) changes(w http.ResponseWriter, r *http.Request, k Kiosk) {
	q := r.URL.Query()
	after, err := strconv.ParseInt(q.Get("after"), 10, 64)
	if q.Get("after") == "" {
		after, err = 0, nil
	}
	if err != nil || after < 0 {
		a.fail(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "after: a cursor, 0 or more")
		return
	}
	limit := protocol.DefaultBatch
	if s := q.Get("limit"); s != "" {
		limit, err = strconv.Atoi(s)
		if err != nil || limit < 1 {
			a.fail(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "limit: a number, 1 or more")
			return
		}
	}
	wait := 0
	if s := q.Get("wait"); s != "" {
		wait, err = strconv.Atoi(s)
		if err != nil || wait < 0 || wait > protocol.MaxWait {
			a.fail(w, r, http.StatusBadRequest, protocol.CodeBadRequest,
				fmt.Sprintf("wait: whole seconds, 0 to %d", protocol.MaxWait))
			return
		}
	}
	b, buf, err := a.ahead.batch(r.Context(), a.db, k, after, limit)
	if err == nil && wait > 0 && len(b.Changes) == 0 && !b.More {
		// Nothing new: hold the request until the office's feed moves or the time is up, then
		// answer with what the feed holds then.
		buf.release()
		a.db.waitForChange(r.Context(), k.Office, after, time.Duration(wait)*time.Second)
		if r.Context().Err() != nil {
			return // the kiosk has gone
		}
		b, buf, err = a.ahead.batch(r.Context(), a.db, k, after, limit)
	}
	if err != nil {
		if r.Context().Err() == nil { // else the kiosk has gone
			a.internal(w, r, err)
		}
		return
	}
	defer buf.release()
	// Signed when answered, not when read (a batch read ahead waits for its request): the
	// statement names this request's cursor and nonce.
	proof, err := a.db.sign(r.Context(), protocol.BatchStatement(&b, k.ID, k.Office, after, nonce(r), nil))
	if err != nil {
		if r.Context().Err() == nil {
			a.internal(w, r, err)
		}
		return
	}
	b.Proof = proof
	notes(w).count = len(b.Changes)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if b.More {
		w.Header().Set(protocol.HeaderNext, strconv.FormatInt(b.To, 10))
	}
	var out io.Writer = w
	switch feedCoding(r) {
	case "zstd":
		// zstd, which the kiosk asks for first: half the size of gzip, and it costs both
		// ends about half the time (a first sync of 2.8 million records: 0.9 s of the
		// server's time instead of 1.7 s, 0.25 s of the kiosk's instead of 0.7 s).
		var done func()
		out, done = encode(w, "zstd", zstds, func() *zstd.Encoder {
			zw, _ := zstd.NewWriter(nil, zstdOptions...) // valid options: no error
			return zw
		})
		defer done()
	case "gzip":
		// A batch of JSON records shrinks about fifteen times (a 10,000-participant office's
		// first sync: 730 MB to under 50 MB over the office's line) for about 13 ms of the
		// server's time per 20,000 records.
		var done func()
		out, done = encode(w, "gzip", gzips, func() *gzip.Writer {
			gz, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // a valid level: no error
			return gz
		})
		defer done()
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	writeBatch(bw, &b)
	bw.Flush()
}

// feedCoding is the content coding of the feed's answer to r: "zstd" or "gzip", whichever the
// request accepts with the higher weight (zstd when equal), or "" for none. The kiosk asks for
// both; Go's HTTP client on its own asks for gzip and undoes it by itself.
func feedCoding(r *http.Request) string {
	z, g := accepts(r, "zstd"), accepts(r, "gzip")
	switch {
	case z > 0 && z >= g:
		return "zstd"
	case g > 0:
		return "gzip"
	}
	return ""
}

// accepts is the weight (q) the request's Accept-Encoding gives coding, 0 if none.
func accepts(r *http.Request, coding string) float64 {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), coding) {
			v, weighted := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
			if !weighted {
				return 1
			}
			if q, err := strconv.ParseFloat(v, 64); err == nil && q > 0 {
				return min(q, 1)
			}
			return 0
		}
	}
	return 0
}

// encoder is a compressor the server keeps from answer to answer.
type encoder interface {
	io.WriteCloser
	Reset(io.Writer)
}

// encode sets the answer's content coding and returns a writer of that coding into w, from
// kept (or fresh), and what ends the answer and keeps the writer again.
func encode[E encoder](w http.ResponseWriter, coding string, kept keep[E], fresh func() E) (io.Writer, func()) {
	w.Header().Set("Content-Encoding", coding)
	w.Header().Add("Vary", "Accept-Encoding")
	e := kept.get(fresh)
	e.Reset(w)
	return e, func() {
		e.Close()
		e.Reset(io.Discard) // a kept writer holds no answer's
		kept.put(e)
	}
}

// zstds keeps a few zstd writers; zstdOptions make one that compresses in the calling
// goroutine, with a window of 1 MiB, which bounds what a kiosk needs to decode it.
var (
	zstds       = make(keep[*zstd.Encoder], 4)
	zstdOptions = []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedFastest),
		zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1 << 20)}
)

// gzips keeps a few gzip writers (each holds its compressor's tables).
var gzips = make(keep[*gzip.Writer], 4)

// writeBatch writes a batch as JSON by hand, each record's body as stored: the bytes the kiosk
// checks the checksum against are the bytes the server hashed, and nothing is re-encoded.
func writeBatch(w *bufio.Writer, b *protocol.Batch) {
	var buf []byte
	buf = append(buf, `{"from":`...)
	buf = strconv.AppendInt(buf, b.From, 10)
	buf = append(buf, `,"to":`...)
	buf = strconv.AppendInt(buf, b.To, 10)
	buf = append(buf, `,"more":`...)
	buf = strconv.AppendBool(buf, b.More)
	buf = append(buf, `,"checksum":"`...)
	buf = append(buf, b.Checksum...)
	buf = append(buf, '"')
	if b.Proof != nil {
		p, _ := json.Marshal(b.Proof) // plain fields: no error
		buf = append(buf, `,"proof":`...)
		buf = append(buf, p...)
	}
	buf = append(buf, `,"changes":[`...)
	w.Write(buf)
	for i := range b.Changes {
		c := &b.Changes[i]
		buf = buf[:0]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"seq":`...)
		buf = strconv.AppendInt(buf, c.Seq, 10)
		buf = append(buf, `,"kind":`...)
		buf = appendString(buf, c.Kind)
		buf = append(buf, `,"id":`...)
		buf = appendString(buf, c.ID)
		if c.Owner != "" {
			buf = append(buf, `,"owner":`...)
			buf = appendString(buf, c.Owner)
		}
		if c.Deleted {
			buf = append(buf, `,"deleted":true`...)
		}
		if len(c.Data) > 0 {
			buf = append(buf, `,"data":`...)
			w.Write(buf)
			w.Write(c.Data)
			buf = buf[:0]
		}
		buf = append(buf, '}')
		w.Write(buf)
	}
	w.WriteString("]}\n")
}

// appendString appends s as a JSON string: IDs are plain ASCII and go as they are; anything
// else goes through encoding/json.
func appendString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(buf, q...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

func (a *api) push(w http.ResponseWriter, r *http.Request, k Kiosk) {
	var req protocol.PushRequest
	if status, msg := readJSON(w, r, protocol.MaxPushBytes, &req); status != 0 {
		a.fail(w, r, status, protocol.CodeBadRequest, msg)
		return
	}
	if len(req.Items) > protocol.MaxPushItems {
		a.fail(w, r, http.StatusBadRequest, protocol.CodeBadRequest,
			"more than "+strconv.Itoa(protocol.MaxPushItems)+" items in one push")
		return
	}
	results := a.db.PushContext(r.Context(), k.ID, req.Items)
	notes(w).count = len(results)
	counts := map[string]int{}
	for _, res := range results {
		counts[res.Status]++
	}
	if counts[protocol.Rejected] > 0 || counts[protocol.Failed] > 0 {
		a.log.Warn("push not all applied", "kiosk", k.ID, "applied", counts[protocol.Applied],
			"duplicate", counts[protocol.Duplicate], "superseded", counts[protocol.Superseded],
			"rejected", counts[protocol.Rejected], "failed", counts[protocol.Failed])
	}
	proof, err := a.db.sign(r.Context(), protocol.PushStatement(results, k.ID, k.Office, nonce(r), nil))
	if err != nil {
		// The items are applied (once): the kiosk's retry is answered "duplicate".
		a.internal(w, r, err)
		return
	}
	writeJSON(w, protocol.PushResponse{Results: results, Proof: proof})
}

// enrolLimiter slows down the guessing of enrolment codes, per source: a network address, or
// for IPv6 its /64, which one household or office gets whole. A source's wrong codes are
// counted over the last minute; from its 21st, each wrong code is answered 429 after a pause
// (penalty), at most maxHeld of that source's answers waiting at once, and a further request
// of that source while they wait is answered 429 unchecked. Nothing about one source holds
// back another: a valid code from anywhere else enrols at once, and so does one from the
// guessing source itself (a kiosk behind the same NAT) unless its wrong answers fill the
// waiting places. A wrong code names no office, so there is no count per office; a valid code
// needs no limit (it enrols once). The codes themselves (12 of 30 letters, 5·10^17) are what
// makes guessing hopeless; the limiter keeps a flood of them slow and cheap.
type enrolLimiter struct {
	mu      sync.Mutex
	sources map[string]*enrolSourceState
	now     func() time.Time // time.Now when nil
	penalty time.Duration    // the pause before a limited source's answer; 2 s when 0
}

type enrolSourceState struct {
	failures []time.Time // within the last minute, oldest first
	busy     int         // requests of the source being answered now
	held     int         // of them, answers waiting out the penalty
}

const (
	enrolFailures = 20   // wrong codes a minute before a source is slowed
	enrolMaxHeld  = 4    // a limited source's answers waiting at once
	enrolSources  = 4096 // sources remembered before the quiet ones are forgotten
)

// enrolSource is the limiter's key for a request's remote address.
func enrolSource(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64) // an IPv6 address without a zone has a /64
		return p.String()
	}
	return ip.String()
}

func (l *enrolLimiter) clock() time.Time {
	if l.now != nil {
		return l.now()
	}
	return time.Now()
}

// state is the source's record, pruned of failures older than a minute; l.mu is held.
func (l *enrolLimiter) state(from string, now time.Time) *enrolSourceState {
	if l.sources == nil {
		l.sources = map[string]*enrolSourceState{}
	}
	st := l.sources[from]
	if st == nil {
		if len(l.sources) >= enrolSources {
			l.forget(now)
		}
		st = &enrolSourceState{}
		l.sources[from] = st
	}
	i := 0
	for i < len(st.failures) && now.Sub(st.failures[i]) > time.Minute {
		i++
	}
	st.failures = st.failures[i:]
	return st
}

// forget drops the sources with nothing in the last minute and nothing in flight; l.mu is
// held. Should every source be recent, the limiter starts afresh rather than grow.
func (l *enrolLimiter) forget(now time.Time) {
	for k, st := range l.sources {
		if st.busy == 0 && (len(st.failures) == 0 || now.Sub(st.failures[len(st.failures)-1]) > time.Minute) {
			delete(l.sources, k)
		}
	}
	if len(l.sources) >= enrolSources {
		for k, st := range l.sources {
			if st.busy == 0 {
				delete(l.sources, k)
			}
		}
	}
}

// enter admits a request of source from, unless the source is limited and its waiting
// answers fill their places; leave ends it.
func (l *enrolLimiter) enter(from string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state(from, l.clock())
	if len(st.failures) >= enrolFailures && st.held >= enrolMaxHeld {
		return false
	}
	st.busy++
	return true
}

func (l *enrolLimiter) leave(from string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if st := l.sources[from]; st != nil {
		st.busy--
	}
}

// failed counts a wrong code of source from. It reports true while the source is under its
// limit; past it, it waits the penalty (or until ctx ends) and reports false.
func (l *enrolLimiter) failed(ctx context.Context, from string) bool {
	l.mu.Lock()
	now := l.clock()
	st := l.state(from, now)
	st.failures = append(st.failures, now)
	if len(st.failures) > 2*enrolFailures {
		st.failures = st.failures[len(st.failures)-2*enrolFailures:] // enough to stay limited
	}
	limited := len(st.failures) > enrolFailures
	if limited {
		st.held++
	}
	penalty := l.penalty
	l.mu.Unlock()
	if !limited {
		return true
	}
	if penalty == 0 {
		penalty = 2 * time.Second
	}
	t := time.NewTimer(penalty)
	select {
	case <-t.C:
	case <-ctx.Done():
		t.Stop()
	}
	l.mu.Lock()
	st.held--
	l.mu.Unlock()
	return false
}
