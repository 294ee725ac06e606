// Package httpapi is Petrel's HTTP front end: the awsJson 1.0 protocol as
// DynamoDB speaks it, served with github.com/valyala/fasthttp (per request
// it allocates a fraction of what net/http does; net/http was a third of
// the server's CPU per PutItem). It routes POST requests by X-Amz-Target,
// reads (optionally gzip-compressed) bodies under a size cap, authenticates
// the caller through an Authenticator, decodes the JSON input, renders every
// error exactly as DynamoDB does and stamps each response with
// x-amzn-RequestId and x-amz-crc32. GET / is the unauthenticated health
// check; CORS preflights are answered per Config.CORSOrigins.
//
// It knows nothing about tables or items: operations arrive as explicit maps
// of Operation built by internal/server.
package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"hash/crc32"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"

	"github.com/valyala/fasthttp"

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

// Authenticator decides who sent a request. It runs after the body has been
// read (signature verification needs the payload hash) and before routing.
// It returns an *apierr.Error for a request that must be refused.
// *sigv4.Authenticator implements it.
type Authenticator interface {
	Authenticate(r sigv4.Request, body []byte) (caller.Identity, error)
}

// Config configures the handler. The zero value is usable.
type Config struct {
	// Authenticator identifies the caller; nil means sigv4's development
	// mode in shared mode (any well-formed signature, one namespace).
	Authenticator Authenticator
	// MaxBodyBytes caps the request body, as sent and decompressed; 0 means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int
	// CORSOrigins are the origins browsers may call from ("*" for any);
	// empty means CORS is off. See cors.go.
	CORSOrigins []string
	// NotFound, if set, runs after an operation fails with
	// ResourceNotFoundException, with the caller's context, the target and
	// the request body (valid only during the call). The server uses it to
	// log that the table exists in another namespace.
	NotFound func(ctx context.Context, target string, body []byte)
}

// Handler serves the protocol; Serve is its fasthttp.RequestHandler and
// Server a fasthttp.Server configured for it.
type Handler struct {
	auth     Authenticator
	maxBody  int
	cors     *cors // nil: CORS off
	notFound func(ctx context.Context, target string, body []byte)
	dynamo   map[string]Operation
	streams  map[string]Operation
	log      *slog.Logger
	bufs     sync.Pool // *[]byte, decompressed requests and response bodies
}

// New returns the front end serving dynamoOps (X-Amz-Target
// DynamoDB_20120810.<Op>) and streamsOps (DynamoDBStreams_20120810.<Op>).
// The maps are read-only after New. A nil logger discards logs.
func New(cfg Config, dynamoOps, streamsOps map[string]Operation, log *slog.Logger) *Handler {
	if cfg.Authenticator == nil {
		a, err := sigv4.NewAuthenticator(sigv4.Config{Shared: true})
		if err != nil {
			panic(err) // development mode cannot fail
		}
		cfg.Authenticator = a
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{
		auth:     cfg.Authenticator,
		maxBody:  cfg.MaxBodyBytes,
		cors:     newCORS(cfg.CORSOrigins),
		notFound: cfg.NotFound,
		dynamo:   dynamoOps,
		streams:  streamsOps,
		log:      log,
	}
}

// maxPooledBuf keeps one huge request from pinning its buffer forever.
const maxPooledBuf = 1 << 20

func (h *Handler) getBuf() *[]byte {
	if b, ok := h.bufs.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, 4096)
	return &b
}

func (h *Handler) putBuf(b *[]byte) {
	if cap(*b) > maxPooledBuf {
		return
	}
	*b = (*b)[:0]
	h.bufs.Put(b)
}

// Response header values, allocated once.
var (
	ctJSON = []byte("application/x-amz-json-1.0")
	ctText = []byte("text/plain; charset=utf-8")
)

// Serve is the fasthttp.RequestHandler of the protocol.
func (h *Handler) Serve(ctx *fasthttp.RequestCtx) {
	reqID := newRequestID()
	defer func() {
		if p := recover(); p != nil {
			h.log.LogAttrs(context.Background(), slog.LevelError, "panic serving request",
				slog.String("request_id", reqID), slog.String("target", string(ctx.Request.Header.Peek("X-Amz-Target"))),
				slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			ctx.Response.Reset()
			h.writeError(ctx, reqID, apierr.Internal())
		}
	}()

	if h.cors != nil && h.cors.handle(ctx, func() { h.stamp(ctx, reqID, nil) }) {
		return
	}
	if ctx.IsGet() && string(ctx.Path()) == "/" {
		h.health(ctx, reqID)
		return
	}
	if !ctx.IsPost() {
		// DynamoDB answers other methods and paths as unauthenticated or
		// unknown requests, never 404/405.
		if len(ctx.Request.Header.Peek("Authorization")) == 0 {
			h.writeError(ctx, reqID, apierr.MissingAuthenticationToken())
		} else {
			h.writeError(ctx, reqID, apierr.UnknownOperation())
		}
		return
	}

	req := request{ctx: ctx}
	body := ctx.Request.Body()
	if len(body) > h.maxBody {
		h.writeError(ctx, reqID, tooLarge())
		return
	}
	if isGzip(ctx.Request.Header.Peek("Content-Encoding")) {
		// A signature's payload hash covers the body as sent.
		sum := sha256.Sum256(body)
		req.hash = sum[:]
		bp := h.getBuf()
		defer h.putBuf(bp)
		var err error
		body, err = h.gunzip(body, (*bp)[:0])
		*bp = body[:0]
		if err != nil {
			h.writeError(ctx, reqID, err)
			return
		}
	}

	id, err := h.auth.Authenticate(&req, body)
	if err != nil {
		h.fail(ctx, reqID, "", err)
		return
	}

	target := ctx.Request.Header.Peek("X-Amz-Target")
	op := h.route(target)
	if op == nil {
		if bytes.HasPrefix(target, []byte(v1Prefix)) {
			h.writeError(ctx, reqID, v1API())
			return
		}
		h.writeError(ctx, reqID, apierr.UnknownOperation())
		return
	}

	id.Host = string(ctx.Host())
	cctx := caller.With(context.Background(), id)
	op2 := h.getBuf()
	defer h.putBuf(op2)
	out, err := op(cctx, body, (*op2)[:0])
	if cap(out) > 0 {
		*op2 = out[:0]
	}
	if err != nil {
		t := string(target)
		if e, ok := apierr.As(err); ok && h.notFound != nil && e.Code == "ResourceNotFoundException" {
			h.notFound(cctx, t, body)
		}
		h.fail(ctx, reqID, t, err)
		return
	}
	if h.log.Enabled(cctx, slog.LevelDebug) {
		h.log.LogAttrs(cctx, slog.LevelDebug, "request", slog.String("request_id", reqID),
			slog.String("target", string(target)), slog.Int("status", http.StatusOK))
	}
	h.write(ctx, reqID, http.StatusOK, out)
}

// route finds the operation named by an X-Amz-Target value.
func (h *Handler) route(target []byte) Operation {
	if name, ok := bytes.CutPrefix(target, []byte(DynamoDBPrefix)); ok {
		return h.dynamo[string(name)]
	}
	if name, ok := bytes.CutPrefix(target, []byte(StreamsPrefix)); ok {
		return h.streams[string(name)]
	}
	return nil
}

// fail answers err: an *apierr.Error as is, anything else as a logged,
// detail-free InternalServerError.
func (h *Handler) fail(ctx *fasthttp.RequestCtx, reqID, target string, err error) {
	e, ok := apierr.As(err)
	if !ok {
		h.log.LogAttrs(context.Background(), slog.LevelError, "internal error",
			slog.String("request_id", reqID), slog.String("target", target), slog.Any("error", err))
		e = apierr.Internal()
	} else if h.log.Enabled(context.Background(), slog.LevelDebug) {
		h.log.LogAttrs(context.Background(), slog.LevelDebug, "request", slog.String("request_id", reqID),
			slog.String("target", target), slog.Int("status", e.Status), slog.String("code", e.Code))
	}
	h.writeError(ctx, reqID, e)
}

// isGzip reports whether a Content-Encoding value is gzip.
func isGzip(v []byte) bool {
	return bytes.EqualFold(bytes.TrimSpace(v), []byte("gzip"))
}

// health answers DynamoDB's unauthenticated health check (behaviours.md 15).
func (h *Handler) health(ctx *fasthttp.RequestCtx, reqID string) {
	bp := h.getBuf()
	defer h.putBuf(bp)
	body := append(append((*bp)[:0], "healthy: "...), ctx.Host()...)
	*bp = body[:0]
	h.send(ctx, reqID, http.StatusOK, ctText, body)
}

// gunzip decompresses a gzip body into buf, refusing output over the cap.
func (h *Handler) gunzip(raw, buf []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return buf, apierr.Serialization(msgBadGzip)
	}
	defer zr.Close()
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := zr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > h.maxBody {
			return buf, tooLarge()
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, apierr.Serialization(msgBadGzip)
		}
	}
}

// msgBadGzip is ours: DynamoDB's text for an undecodable gzip body is not
// documented.
const msgBadGzip = "Unable to decompress the request body (Content-Encoding: gzip)"

// tooLarge answers a body over the cap.
func tooLarge() *apierr.Error {
	return apierr.New("RequestEntityTooLarge", http.StatusRequestEntityTooLarge, "Request Entity Too Large")
}

// writeError renders e as DynamoDB does:
// {"__type":"<namespace>#<Code>","message":"..."} plus e.Fields.
func (h *Handler) writeError(ctx *fasthttp.RequestCtx, reqID string, err error) {
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
	h.write(ctx, reqID, e.Status, body)
}

// write sends a JSON body with DynamoDB's headers.
func (h *Handler) write(ctx *fasthttp.RequestCtx, reqID string, status int, body []byte) {
	h.send(ctx, reqID, status, ctJSON, body)
}

// send sends body (copied: the caller may reuse it) with its content type
// and the headers every response carries.
func (h *Handler) send(ctx *fasthttp.RequestCtx, reqID string, status int, ctype, body []byte) {
	ctx.SetStatusCode(status)
	ctx.Response.Header.SetContentTypeBytes(ctype)
	h.stamp(ctx, reqID, body)
	ctx.SetBody(body)
}

// stamp sets x-amzn-RequestId and x-amz-crc32 (fasthttp adds Date and
// Content-Length). The names are in canonical form, as net/http would send
// them; HTTP header names are case-insensitive.
func (h *Handler) stamp(ctx *fasthttp.RequestCtx, reqID string, body []byte) {
	var buf [20]byte
	hdr := &ctx.Response.Header
	hdr.Set("X-Amzn-Requestid", reqID)
	hdr.SetBytesV("X-Amz-Crc32", strconv.AppendUint(buf[:0], uint64(crc32.ChecksumIEEE(body)), 10))
}

// ServeError answers a request fasthttp could not read (its
// Server.ErrorHandler): a body over the cap is RequestEntityTooLarge, a
// timeout RequestTimeout, anything else a SerializationException, each in
// DynamoDB's error shape. fasthttp closes the connection afterwards.
func (h *Handler) ServeError(ctx *fasthttp.RequestCtx, err error) {
	reqID := newRequestID()
	var e *apierr.Error
	switch {
	case err == fasthttp.ErrBodyTooLarge:
		e = tooLarge()
	case isTimeout(err):
		e = apierr.New("RequestTimeoutException", http.StatusRequestTimeout, "Request timed out")
	default:
		if _, ok := err.(*fasthttp.ErrSmallBuffer); ok {
			e = apierr.New("RequestHeaderFieldsTooLarge", http.StatusRequestHeaderFieldsTooLarge, "Request Header Fields Too Large")
		} else {
			e = apierr.Serialization(msgUnreadable)
		}
	}
	h.log.LogAttrs(context.Background(), slog.LevelDebug, "unreadable request",
		slog.String("request_id", reqID), slog.Any("error", err))
	h.writeError(ctx, reqID, e)
}

// msgUnreadable answers a request that could not be read (a broken HTTP
// message, a body shorter than its Content-Length); it rarely reaches anyone.
const msgUnreadable = "Unable to read the request"

func isTimeout(err error) bool {
	t, ok := err.(interface{ Timeout() bool })
	return ok && t.Timeout()
}
