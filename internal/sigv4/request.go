package sigv4

import (
	"net/http"
	"net/textproto"
)

// Request is what parsing and verifying a signature read of an HTTP
// request. The front end implements it over its HTTP server's request type;
// HTTPRequest adapts a net/http request.
type Request interface {
	Method() string
	// EscapedPath is the path as sent, before percent-decoding ("/").
	EscapedPath() string
	// RawQuery is the query string as sent, without '?'.
	RawQuery() string
	// Host is the Host header (HTTP/1.1) or the URL's authority.
	Host() string
	// Header is the first value of the named header, "" if absent; the
	// name matches in any case.
	Header(name string) string
	// HeaderValues are every value of the named header, in order.
	HeaderValues(name string) []string
	// ContentLength is the body's declared length, -1 if unknown.
	ContentLength() int64
	// PayloadHash is the SHA-256 of the body as it was sent when the front
	// end decoded it before authentication (Content-Encoding: gzip), nil
	// when the body handed to Verify is the one that was sent.
	PayloadHash() []byte
}

// HTTPRequest adapts a net/http server request to Request (tests, and any
// front end on net/http).
func HTTPRequest(r *http.Request) Request { return httpRequest{r} }

type httpRequest struct{ r *http.Request }

func (h httpRequest) Method() string { return h.r.Method }
func (h httpRequest) EscapedPath() string {
	if h.r.URL == nil {
		return "/"
	}
	return h.r.URL.EscapedPath()
}
func (h httpRequest) RawQuery() string {
	if h.r.URL == nil {
		return ""
	}
	return h.r.URL.RawQuery
}
func (h httpRequest) Host() string              { return h.r.Host }
func (h httpRequest) Header(name string) string { return h.r.Header.Get(name) }
func (h httpRequest) HeaderValues(name string) []string {
	return h.r.Header.Values(textproto.CanonicalMIMEHeaderKey(name))
}
func (h httpRequest) ContentLength() int64 { return h.r.ContentLength }
func (h httpRequest) PayloadHash() []byte  { return nil }
