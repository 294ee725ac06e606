package httpapi

import (
	"bytes"

	"github.com/valyala/fasthttp"
)

// request is sigv4's view (sigv4.Request) of a fasthttp request. Its strings
// are copies: fasthttp reuses its buffers once the handler returns.
type request struct {
	ctx  *fasthttp.RequestCtx
	hash []byte // SHA-256 of the body as sent, when it was decompressed
}

func (r *request) Method() string { return string(r.ctx.Method()) }

// EscapedPath is the request target's path as sent; an absolute-form target
// (http://host/path) keeps only its path.
func (r *request) EscapedPath() string {
	uri := r.ctx.Request.Header.RequestURI()
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	if len(uri) > 0 && uri[0] != '/' {
		if i := bytes.Index(uri, []byte("://")); i >= 0 {
			uri = uri[i+3:]
			if j := bytes.IndexByte(uri, '/'); j >= 0 {
				uri = uri[j:]
			} else {
				uri = nil
			}
		}
	}
	if len(uri) == 0 {
		return "/"
	}
	return string(uri)
}

func (r *request) RawQuery() string {
	uri := r.ctx.Request.Header.RequestURI()
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		return string(uri[i+1:])
	}
	return ""
}

func (r *request) Host() string { return string(r.ctx.Host()) }

func (r *request) Header(name string) string { return string(r.ctx.Request.Header.Peek(name)) }

func (r *request) HeaderValues(name string) []string {
	all := r.ctx.Request.Header.PeekAll(name)
	vals := make([]string, len(all))
	for i, v := range all {
		vals[i] = string(v)
	}
	return vals
}

func (r *request) ContentLength() int64 {
	if n := r.ctx.Request.Header.ContentLength(); n >= 0 {
		return int64(n)
	}
	return -1
}

func (r *request) PayloadHash() []byte { return r.hash }
