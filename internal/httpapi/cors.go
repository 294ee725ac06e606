package httpapi

import (
	"net/http"
	"strings"

	"github.com/valyala/fasthttp"
)

// CORS lets browser code (the AWS SDK for JavaScript in a page) call Petrel
// from the origins of --cors: a preflight (OPTIONS with Origin and
// Access-Control-Request-Method) from an allowed origin is answered 200 with
// the allowed methods and the requested headers (the SDK sends
// Authorization, X-Amz-Target, X-Amz-Date, X-Amz-User-Agent, ...); every
// other response to an allowed origin carries Access-Control-Allow-Origin and
// exposes the headers the SDK reads. A preflight from another origin gets a
// 403 without CORS headers, so the browser refuses the call. Requests
// without Origin are not affected.
type cors struct {
	any     bool            // "*": every origin
	origins map[string]bool // lower-cased scheme://host[:port]
}

// Values of the response headers.
const (
	corsMethods = "GET, POST, OPTIONS"
	corsExpose  = "x-amzn-RequestId, x-amz-crc32, Date"
	corsMaxAge  = "7200" // seconds; the longest Chromium honours
)

// newCORS builds the policy for origins ("*" allows every origin); nil
// (CORS off) when origins is empty.
func newCORS(origins []string) *cors {
	c := &cors{origins: map[string]bool{}}
	for _, o := range origins {
		o = strings.TrimSpace(o)
		switch o {
		case "":
		case "*":
			c.any = true
		default:
			c.origins[strings.ToLower(strings.TrimSuffix(o, "/"))] = true
		}
	}
	if !c.any && len(c.origins) == 0 {
		return nil
	}
	return c
}

// handle applies the policy to the request of ctx. It reports whether it
// answered the request itself (a preflight); stamp adds the headers every
// response carries.
func (c *cors) handle(ctx *fasthttp.RequestCtx, stamp func()) bool {
	req := &ctx.Request.Header
	origin := req.Peek("Origin")
	if len(origin) == 0 {
		return false
	}
	allowed := c.any || c.origins[strings.ToLower(string(origin))]
	hdr := &ctx.Response.Header
	preflight := ctx.IsOptions() && len(req.Peek("Access-Control-Request-Method")) > 0
	if !allowed {
		if preflight {
			stamp()
			ctx.SetStatusCode(http.StatusForbidden)
		}
		return preflight
	}
	if c.any {
		hdr.Set("Access-Control-Allow-Origin", "*")
	} else {
		hdr.SetBytesV("Access-Control-Allow-Origin", origin)
		hdr.Set("Vary", "Origin")
	}
	if !preflight {
		hdr.Set("Access-Control-Expose-Headers", corsExpose)
		return false
	}
	hdr.Set("Access-Control-Allow-Methods", corsMethods)
	if rh := req.Peek("Access-Control-Request-Headers"); len(rh) > 0 {
		hdr.SetBytesV("Access-Control-Allow-Headers", rh)
	}
	hdr.Set("Access-Control-Max-Age", corsMaxAge)
	stamp()
	ctx.SetStatusCode(http.StatusOK)
	return true
}
