// Package httpapi is Petrel's HTTP front end: the awsJson 1.0 protocol as
// DynamoDB speaks it. It routes POST requests by X-Amz-Target, reads
// (optionally gzip-compressed) bodies under a size cap, authenticates the
// caller through an Authenticator, decodes the JSON input, renders every
// error exactly as DynamoDB does and stamps each response with
// x-amzn-RequestId and x-amz-crc32. GET / is the unauthenticated health
// check; CORS preflights are answered per Config.CORSOrigins.
//
// It knows nothing about tables or items: operations arrive as explicit maps
// of Operation built by internal/server.
package httpapi

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"hash"
	"hash/crc32"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/sigv4"
)

// Target prefixes of the two services Petrel answers.
const (
	DynamoDBPrefix = "DynamoDB_20120810."
	StreamsPrefix  = "DynamoDBStreams_20120810."
)

// v1Prefix is the target prefix of DynamoDB's 2011 API, which Petrel does
// not serve (errors.md A9).
const v1Prefix = "DynamoDB_20111205."

// v1API answers a request to the 2011 API with DynamoDB Local's error
// (errors.md A9; what AWS answers is not documented).
func v1API() *apierr.Error {
	return apierr.New("InvalidAction", http.StatusBadRequest, "DynamoDB Local does not support v1 API.")
}

// DefaultMaxBodyBytes caps a request body (after decompression). DynamoDB's
// largest requests are 16 MB batches of item data; their JSON (base64 for
// binary, names, punctuation) is larger, so the cap is generous.
const DefaultMaxBodyBytes = 32 << 20

// Config configures the handler. The zero value is usable.
type Config struct {
	// Authenticator identifies the caller; nil means ScopeAuthenticator with
	// account 000000000000 and the shared namespace.
	Authenticator Authenticator
	// MaxBodyBytes caps the (decompressed) request body; 0 means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// CORSOrigins are the origins browsers may call from ("*" for any);
	// empty means CORS is off. See cors.go.
	CORSOrigins []string
	// NotFound, if set, runs after an operation fails with
	// ResourceNotFoundException, with the caller's context, the target and
	// the request body (valid only during the call). The server uses it to
	// log that the table exists in another namespace.
	NotFound func(ctx context.Context, target string, body []byte)
}

// handler is the http.Handler returned by New.
type handler struct {
	auth     Authenticator
	maxBody  int64
	cors     *cors // nil: CORS off
	notFound func(ctx context.Context, target string, body []byte)
	dynamo   map[string]Operation
	streams  map[string]Operation
	log      *slog.Logger
	bufs     sync.Pool // *[]byte, request and response bodies

	ctJSON []string
	ctText []string
}

// New returns the front end serving dynamoOps (X-Amz-Target
// DynamoDB_20120810.<Op>) and streamsOps (DynamoDBStreams_20120810.<Op>).
// The maps are read-only after New. A nil logger discards logs.
func New(cfg Config, dynamoOps, streamsOps map[string]Operation, log *slog.Logger) http.Handler {
	if cfg.Authenticator == nil {
		cfg.Authenticator = ScopeAuthenticator{Account: "000000000000", Namespace: "shared"}
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &handler{
		auth:     cfg.Authenticator,
		maxBody:  cfg.MaxBodyBytes,
		cors:     newCORS(cfg.CORSOrigins),
		notFound: cfg.NotFound,
		dynamo:   dynamoOps,
		streams:  streamsOps,
		log:      log,
		ctJSON:   []string{"application/x-amz-json-1.0"},
		ctText:   []string{"text/plain; charset=utf-8"},
	}
}

// maxPooledBuf keeps one huge request from pinning its buffer forever.
const maxPooledBuf = 1 << 20

func (h *handler) getBuf() *[]byte {
	if b, ok := h.bufs.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, 4096)
	return &b
}

func (h *handler) putBuf(b *[]byte) {
	if cap(*b) > maxPooledBuf {
		return
	}
	*b = (*b)[:0]
	h.bufs.Put(b)
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := newRequestID()
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.log.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
				slog.String("request_id", reqID), slog.String("target", r.Header.Get("X-Amz-Target")),
				slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			h.writeError(w, reqID, apierr.Internal())
		}
	}()

	if h.cors != nil && h.cors.handle(w, r, func(hdr http.Header) { h.stamp(hdr, reqID, nil) }) {
		return
	}
	if r.Method == http.MethodGet && r.URL.Path == "/" {
		h.health(w, r, reqID)
		return
	}
	if r.Method != http.MethodPost {
		// DynamoDB answers other methods and paths as unauthenticated or
		// unknown requests, never 404/405.
		if r.Header.Get("Authorization") == "" {
			h.writeError(w, reqID, missingAuthToken())
		} else {
			h.writeError(w, reqID, apierr.UnknownOperation())
		}
		return
	}

	// A signature's payload hash covers the body as sent: hash a compressed
	// body on its way into the decompressor and hand the sum to sigv4.
	var raw hash.Hash
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") {
		raw = sha256.New()
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.TeeReader(r.Body, raw), r.Body}
	}
	bp := h.getBuf()
	defer h.putBuf(bp)
	body, err := h.readBody(r, (*bp)[:0])
	*bp = body[:0]
	if err != nil {
		h.writeError(w, reqID, err)
		return
	}
	if raw != nil {
		io.Copy(raw, r.Body) //nolint:errcheck // trailing bytes after the gzip stream, if any
		r = r.WithContext(sigv4.WithPayloadHash(r.Context(), raw.Sum(nil)))
	}

	id, err := h.auth.Authenticate(r, body)
	if err != nil {
		h.fail(w, r, reqID, "", err)
		return
	}

	target := r.Header.Get("X-Amz-Target")
	op := h.route(target)
	if op == nil {
		if strings.HasPrefix(target, v1Prefix) {
			h.writeError(w, reqID, v1API())
			return
		}
		h.writeError(w, reqID, apierr.UnknownOperation())
		return
	}

	id.Host = r.Host
	ctx := caller.With(r.Context(), id)
	op2 := h.getBuf()
	defer h.putBuf(op2)
	out, err := op(ctx, body, (*op2)[:0])
	if cap(out) > 0 {
		*op2 = out[:0]
	}
	if err != nil {
		if e, ok := apierr.As(err); ok && h.notFound != nil && e.Code == "ResourceNotFoundException" {
			h.notFound(ctx, target, body)
		}
		h.fail(w, r, reqID, target, err)
		return
	}
	if h.log.Enabled(ctx, slog.LevelDebug) {
		h.log.LogAttrs(ctx, slog.LevelDebug, "request", slog.String("request_id", reqID),
			slog.String("target", target), slog.Int("status", http.StatusOK))
	}
	h.write(w, reqID, http.StatusOK, out)
}

// route finds the operation named by an X-Amz-Target value.
func (h *handler) route(target string) Operation {
	if name, ok := strings.CutPrefix(target, DynamoDBPrefix); ok {
		return h.dynamo[name]
	}
	if name, ok := strings.CutPrefix(target, StreamsPrefix); ok {
		return h.streams[name]
	}
	return nil
}

// fail answers err: an *apierr.Error as is, anything else as a logged,
// detail-free InternalServerError.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, reqID, target string, err error) {
	e, ok := apierr.As(err)
	if !ok {
		h.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("request_id", reqID), slog.String("target", target), slog.Any("error", err))
		e = apierr.Internal()
	} else if h.log.Enabled(r.Context(), slog.LevelDebug) {
		h.log.LogAttrs(r.Context(), slog.LevelDebug, "request", slog.String("request_id", reqID),
			slog.String("target", target), slog.Int("status", e.Status), slog.String("code", e.Code))
	}
	h.writeError(w, reqID, e)
}

// health answers DynamoDB's unauthenticated health check (behaviours.md 15).
func (h *handler) health(w http.ResponseWriter, r *http.Request, reqID string) {
	body := []byte("healthy: " + r.Host)
	hdr := w.Header()
	hdr["Content-Type"] = h.ctText
	h.stamp(hdr, reqID, body)
	w.WriteHeader(http.StatusOK)
	w.Write(body) //nolint:errcheck // the client went away; nothing to do
}

// readBody reads the request body into buf, decompressing gzip, and refuses
// bodies over the cap.
func (h *handler) readBody(r *http.Request, buf []byte) ([]byte, error) {
	if r.ContentLength > h.maxBody {
		return buf, tooLarge()
	}
	var src io.Reader = r.Body
	gz := strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip")
	if gz {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return buf, apierr.Serialization(msgBadGzip)
		}
		defer zr.Close()
		src = zr
	} else if n := r.ContentLength; n > 0 && int64(cap(buf)) < n+1 {
		buf = make([]byte, 0, n+1) // +1 so the EOF read needs no growth
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := src.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > h.maxBody {
			return buf, tooLarge()
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			if gz {
				return buf, apierr.Serialization(msgBadGzip)
			}
			return buf, apierr.Serialization(msgUnreadable)
		}
	}
}

// msgBadGzip is ours: DynamoDB's text for an undecodable gzip body is not
// documented.
const msgBadGzip = "Unable to decompress the request body (Content-Encoding: gzip)"

// msgUnreadable answers a body that could not be read (the client broke the
// connection or lied about Content-Length); it rarely reaches anyone.
const msgUnreadable = "Unable to read the request body"

// tooLarge answers a body over the cap.
func tooLarge() *apierr.Error {
	return apierr.New("RequestEntityTooLarge", http.StatusRequestEntityTooLarge, "Request Entity Too Large")
}

// writeError renders e as DynamoDB does:
// {"__type":"<namespace>#<Code>","message":"..."} plus e.Fields.
func (h *handler) writeError(w http.ResponseWriter, reqID string, err error) {
	e, ok := apierr.As(err)
	if !ok {
		e = apierr.Internal()
	}
	bp := h.getBuf()
	defer h.putBuf(bp)
	body, merr := AppendError((*bp)[:0], e)
	if merr != nil {
		h.log.LogAttrs(context.Background(), slog.LevelError, "encoding error body",
			slog.String("request_id", reqID), slog.String("code", e.Code), slog.Any("error", merr))
		body, _ = AppendError(body[:0], apierr.Internal())
		e = apierr.Internal()
	}
	*bp = body[:0]
	h.write(w, reqID, e.Status, body)
}

// write sends a JSON body with DynamoDB's headers.
func (h *handler) write(w http.ResponseWriter, reqID string, status int, body []byte) {
	hdr := w.Header()
	hdr["Content-Type"] = h.ctJSON
	h.stamp(hdr, reqID, body)
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // the client went away; nothing to do
}

// stamp sets the headers every response carries. Keys are in canonical form
// so http.Header.Get finds them; HTTP header names are case-insensitive.
// net/http adds Date.
//
// It allocates twice per response (every request pays it): one string holds
// both numbers and one array the three header values.
func (h *handler) stamp(hdr http.Header, reqID string, body []byte) {
	var buf [40]byte
	nums := strconv.AppendUint(buf[:0], uint64(crc32.ChecksumIEEE(body)), 10)
	n := len(nums)
	s := string(strconv.AppendInt(nums, int64(len(body)), 10))
	vals := [...]string{reqID, s[:n], s[n:]}
	v := vals[:]
	hdr["X-Amzn-Requestid"] = v[0:1:1]
	hdr["X-Amz-Crc32"] = v[1:2:2]
	hdr["Content-Length"] = v[2:3:3]
}
