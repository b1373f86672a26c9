package printing

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/user"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// This file speaks just enough IPP/1.1 (RFC 8010, RFC 8011) to CUPS to submit a PDF, follow its
// job and read a printer's state: the same protocol `lp` and `lpstat` use, without parsing their
// localised output.

// IPP operations.
const (
	opPrintJob             = 0x0002
	opCancelJob            = 0x0008
	opGetJobAttributes     = 0x0009
	opGetPrinterAttributes = 0x000B
)

// IPP value and delimiter tags.
const (
	tagOperation     = 0x01
	tagJob           = 0x02
	tagEnd           = 0x03
	tagInteger       = 0x21
	tagBoolean       = 0x22
	tagEnum          = 0x23
	tagText          = 0x41
	tagName          = 0x42
	tagKeyword       = 0x44
	tagURI           = 0x45
	tagCharset       = 0x47
	tagLanguage      = 0x48
	tagMimeMediaType = 0x49
)

// IPP status codes the kiosk tells apart.
const (
	statusNotFound        = 0x0406
	statusNotPossible     = 0x0404
	statusNotAccepting    = 0x0506
	statusAttrUnsupported = 0x040B
)

// Job states (RFC 8011 §5.3.7) and printer states (§5.4.11).
const (
	jobPending    = 3
	jobHeld       = 4
	jobProcessing = 5
	jobStopped    = 6
	jobCanceled   = 7
	jobAborted    = 8
	jobCompleted  = 9

	printerStopped = 5
)

type attr struct {
	tag    byte
	name   string
	values [][]byte
}

// request is an IPP request being built.
type request struct {
	op    uint16
	attrs []attr // operation attributes, then job attributes after the first with tag tagJob
	job   []attr
}

func newRequest(op uint16, printerURI string) *request {
	r := &request{op: op}
	r.add(tagCharset, "attributes-charset", "utf-8")
	r.add(tagLanguage, "attributes-natural-language", "en")
	if printerURI != "" {
		r.add(tagURI, "printer-uri", printerURI)
	}
	return r
}

func (r *request) add(tag byte, name string, values ...string) {
	a := attr{tag: tag, name: name}
	for _, v := range values {
		a.values = append(a.values, []byte(v))
	}
	r.attrs = append(r.attrs, a)
}

func (r *request) addInt(name string, v int) {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, uint32(int32(v)))
	r.attrs = append(r.attrs, attr{tag: tagInteger, name: name, values: [][]byte{b}})
}

func (r *request) addJob(tag byte, name, value string) {
	r.job = append(r.job, attr{tag: tag, name: name, values: [][]byte{[]byte(value)}})
}

var requestID atomic.Int32

func (r *request) encode() []byte {
	var b bytes.Buffer
	b.Write([]byte{1, 1}) // IPP/1.1: enough for everything here, and every CUPS speaks it
	binary.Write(&b, binary.BigEndian, r.op)
	binary.Write(&b, binary.BigEndian, requestID.Add(1))
	writeGroup := func(tag byte, attrs []attr) {
		b.WriteByte(tag)
		for _, a := range attrs {
			for i, v := range a.values {
				b.WriteByte(a.tag)
				name := a.name
				if i > 0 {
					name = ""
				}
				binary.Write(&b, binary.BigEndian, uint16(len(name)))
				b.WriteString(name)
				binary.Write(&b, binary.BigEndian, uint16(len(v)))
				b.Write(v)
			}
		}
	}
	writeGroup(tagOperation, r.attrs)
	if len(r.job) > 0 {
		writeGroup(tagJob, r.job)
	}
	b.WriteByte(tagEnd)
	return b.Bytes()
}

// response is a decoded IPP response: its status and every attribute by name (all groups).
type response struct {
	status uint16
	attrs  map[string][]value
}

type value struct {
	tag byte
	b   []byte
}

func (v value) int() int {
	if len(v.b) == 4 {
		return int(int32(binary.BigEndian.Uint32(v.b)))
	}
	if len(v.b) == 1 {
		return int(v.b[0])
	}
	return 0
}

func (r response) int(name string) int {
	if v := r.attrs[name]; len(v) > 0 {
		return v[0].int()
	}
	return 0
}

func (r response) str(name string) string {
	if v := r.attrs[name]; len(v) > 0 {
		return string(v[0].b)
	}
	return ""
}

func (r response) strs(name string) []string {
	var out []string
	for _, v := range r.attrs[name] {
		out = append(out, string(v.b))
	}
	return out
}

func decodeResponse(b []byte) (response, error) {
	r := response{attrs: map[string][]value{}}
	if len(b) < 8 {
		return r, errors.New("ipp: short response")
	}
	r.status = binary.BigEndian.Uint16(b[2:4])
	p := 8
	last := ""
	for p < len(b) {
		tag := b[p]
		p++
		if tag == tagEnd {
			return r, nil
		}
		if tag < 0x10 { // a new attribute group
			continue
		}
		if p+2 > len(b) {
			return r, errors.New("ipp: truncated attribute")
		}
		n := int(binary.BigEndian.Uint16(b[p:]))
		p += 2
		if p+n+2 > len(b) {
			return r, errors.New("ipp: truncated name")
		}
		name := string(b[p : p+n])
		p += n
		vn := int(binary.BigEndian.Uint16(b[p:]))
		p += 2
		if p+vn > len(b) {
			return r, errors.New("ipp: truncated value")
		}
		v := value{tag: tag, b: append([]byte(nil), b[p:p+vn]...)}
		p += vn
		if name == "" {
			name = last // an additional value of the previous attribute
		}
		last = name
		r.attrs[name] = append(r.attrs[name], v)
	}
	return r, errors.New("ipp: no end tag")
}

// server is where CUPS listens.
type server struct {
	socket string // a Unix socket path, or
	host   string // host:port
}

// resolveServer finds CUPS the way its own clients do: an explicit setting, then the
// CUPS_SERVER environment variable ("host", "host:port" or a socket path), then the local
// socket, then localhost:631.
func resolveServer(explicit string) server {
	s := explicit
	if s == "" {
		s = os.Getenv("CUPS_SERVER")
	}
	if i := strings.Index(s, "/version="); i > 0 {
		s = s[:i]
	}
	switch {
	case strings.HasPrefix(s, "/"):
		return server{socket: s}
	case s != "":
		if _, _, err := net.SplitHostPort(s); err != nil {
			s = net.JoinHostPort(strings.Trim(s, "[]"), "631")
		}
		return server{host: s}
	}
	for _, sock := range []string{"/run/cups/cups.sock", "/var/run/cups/cups.sock"} {
		if fi, err := os.Stat(sock); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return server{socket: sock}
		}
	}
	return server{host: "localhost:631"}
}

// local reports whether the scheduler runs on this machine (its socket, or a loopback
// address), where it knows the kiosk's account as the kiosk does: the only scheduler the
// kiosk withdraws jobs from (see jobUser).
func (s server) local() bool {
	if s.socket != "" {
		return true
	}
	h, _, err := net.SplitHostPort(s.host)
	if err != nil {
		h = s.host
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// client sends IPP requests to one CUPS server.
type client struct {
	srv  server
	http *http.Client
}

func newClient(srv server, timeout time.Duration) *client {
	dialer := &net.Dialer{Timeout: timeout}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if srv.socket != "" {
				return dialer.DialContext(ctx, "unix", srv.socket)
			}
			return dialer.DialContext(ctx, network, addr)
		},
		DisableKeepAlives:     true,
		ResponseHeaderTimeout: timeout,
	}
	return &client{srv: srv, http: &http.Client{Transport: tr, Timeout: timeout}}
}

// printerURI is the URI CUPS knows a queue by.
func (c *client) printerURI(queue string) string {
	return "ipp://localhost/printers/" + queue
}

// errUnreachable wraps every failure to talk to CUPS at all.
var errUnreachable = errors.New("CUPS cannot be reached")

func (c *client) do(ctx context.Context, path string, req *request, doc []byte) (response, error) {
	host := c.srv.host
	if c.srv.socket != "" {
		host = "localhost"
	}
	body := io.MultiReader(bytes.NewReader(req.encode()), bytes.NewReader(doc))
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+host+path, body)
	if err != nil {
		return response{}, err
	}
	hr.Header.Set("Content-Type", "application/ipp")
	resp, err := c.http.Do(hr)
	if err != nil {
		return response{}, fmt.Errorf("%w: %v", errUnreachable, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return response{}, fmt.Errorf("%w: %v", errUnreachable, err)
	}
	if resp.StatusCode != http.StatusOK {
		return response{}, fmt.Errorf("%w: HTTP %d", errUnreachable, resp.StatusCode)
	}
	return decodeResponse(b)
}

func (c *client) printerAttributes(ctx context.Context, queue string) (response, error) {
	req := newRequest(opGetPrinterAttributes, c.printerURI(queue))
	req.add(tagKeyword, "requested-attributes", "printer-state", "printer-state-reasons",
		"printer-state-message", "printer-is-accepting-jobs", "media-supported")
	return c.do(ctx, "/printers/"+queue, req, nil)
}

// jobUser is the name the kiosk's jobs are submitted and withdrawn under: the account the kiosk
// process runs as ("kiosk" under deploy/childsupport-kiosk.service), or "" when it has none.
//
// The name must be an account the scheduler knows. CUPS 2.4.2 (Debian 12's cupsd) dies with
// SIGSEGV when a Cancel-Job reaches it on a connection it has not authenticated and names, as
// requesting-user-name, a user with no passwd entry: its check of the job's owner and of
// @SYSTEM looks that user up and uses the missing entry (reproduced against cupsd -f with a
// bare IPP request, purge-job or not, job ended or not). The kiosk once sent a fixed "kiosk"
// from whatever account it ran as, and took the office's scheduler down after its first print
// wherever no such account existed. See ARCHITECTURE.md, "Printing".
var jobUser = sync.OnceValue(func() string {
	u, err := user.Current()
	if err != nil {
		return ""
	}
	return u.Username
})

// Why a job is not withdrawn (see jobUser): the kiosk runs as no named account, or the
// scheduler is another machine's, which may not know the kiosk's account. Such a scheduler
// must keep no job files (PreserveJobFiles No, docs/install.md).
var (
	errNoAccount       = errors.New("the kiosk runs as no named account: no job is withdrawn at CUPS")
	errRemoteScheduler = errors.New("CUPS runs on another machine: no job is withdrawn there")
)

func (c *client) printJob(ctx context.Context, queue, media, title string, pdf []byte) (response, error) {
	req := newRequest(opPrintJob, c.printerURI(queue))
	if u := jobUser(); u != "" {
		req.add(tagName, "requesting-user-name", u)
	}
	req.add(tagName, "job-name", title)
	req.add(tagMimeMediaType, "document-format", "application/pdf")
	req.addJob(tagKeyword, "media", media)
	return c.do(ctx, "/printers/"+queue, req, pdf)
}

func (c *client) jobAttributes(ctx context.Context, queue string, job int) (response, error) {
	req := newRequest(opGetJobAttributes, c.printerURI(queue))
	req.addInt("job-id", job)
	req.add(tagKeyword, "requested-attributes", "job-state", "job-state-reasons",
		"job-printer-state-message", "job-printer-state-reasons")
	return c.do(ctx, "/jobs/", req, nil)
}

// cancelJob cancels a job that has not ended and, with purge (a CUPS extension), removes the
// job and its document from CUPS's spool and history, ended or not. It is sent under the same
// account the job was submitted under, which CUPS knows (jobUser), and never without one.
func (c *client) cancelJob(ctx context.Context, queue string, job int, purge bool) error {
	u := jobUser()
	switch {
	case u == "":
		return errNoAccount
	case !c.srv.local():
		return errRemoteScheduler
	}
	req := newRequest(opCancelJob, c.printerURI(queue))
	req.addInt("job-id", job)
	req.add(tagName, "requesting-user-name", u)
	if purge {
		req.attrs = append(req.attrs, attr{tag: tagBoolean, name: "purge-job", values: [][]byte{{1}}})
	}
	_, err := c.do(ctx, "/jobs/", req, nil)
	return err
}
