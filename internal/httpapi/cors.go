package httpapi

import (
	"net/http"
	"strings"
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

	// Values of the response headers, allocated once.
	methods, expose, maxAge, star, vary []string
}

// newCORS builds the policy for origins ("*" allows every origin); nil
// (CORS off) when origins is empty.
func newCORS(origins []string) *cors {
	c := &cors{
		origins: map[string]bool{},
		methods: []string{"GET, POST, OPTIONS"},
		expose:  []string{"x-amzn-RequestId, x-amz-crc32, Date"},
		maxAge:  []string{"7200"}, // seconds; the longest Chromium honours
		star:    []string{"*"},
		vary:    []string{"Origin"},
	}
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

// handle applies the policy to r. It reports whether it answered the
// request itself (a preflight).
func (c *cors) handle(w http.ResponseWriter, r *http.Request, stamp func(http.Header)) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	allowed := c.any || c.origins[strings.ToLower(origin)]
	hdr := w.Header()
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	if !allowed {
		if preflight {
			stamp(hdr)
			w.WriteHeader(http.StatusForbidden)
		}
		return preflight
	}
	if c.any {
		hdr["Access-Control-Allow-Origin"] = c.star
	} else {
		hdr["Access-Control-Allow-Origin"] = []string{origin}
		hdr["Vary"] = c.vary
	}
	if !preflight {
		hdr["Access-Control-Expose-Headers"] = c.expose
		return false
	}
	hdr["Access-Control-Allow-Methods"] = c.methods
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		hdr["Access-Control-Allow-Headers"] = []string{req}
	}
	hdr["Access-Control-Max-Age"] = c.maxAge
	stamp(hdr)
	w.WriteHeader(http.StatusOK)
	return true
}
