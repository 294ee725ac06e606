package httpapi

import (
	"testing"

	"github.com/valyala/fasthttp"
)

func TestCORS(t *testing.T) {
	cases := []struct {
		name       string
		origins    []string
		method     string
		origin     string
		reqMethod  string // Access-Control-Request-Method
		wantStatus int    // 0: the request goes on to the handler
		wantAllow  string
	}{
		{name: "no origins turn CORS off", origins: nil},
		{name: "a request without Origin is untouched", origins: []string{"*"}, method: "POST"},
		{name: "a listed origin's preflight is answered", origins: []string{"http://a.test"}, method: "OPTIONS",
			origin: "http://a.test", reqMethod: "POST", wantStatus: 200, wantAllow: "http://a.test"},
		{name: "origins match case-insensitively and without a trailing slash", origins: []string{" HTTP://A.test/ "}, method: "OPTIONS",
			origin: "http://a.test", reqMethod: "POST", wantStatus: 200, wantAllow: "http://a.test"},
		{name: "an unlisted origin's preflight is forbidden", origins: []string{"http://a.test"}, method: "OPTIONS",
			origin: "http://b.test", reqMethod: "POST", wantStatus: 403},
		{name: "OPTIONS without Access-Control-Request-Method is no preflight", origins: []string{"*"}, method: "OPTIONS",
			origin: "http://b.test", wantAllow: "*"},
		{name: "a POST from a listed origin goes on with Allow-Origin", origins: []string{"*"}, method: "POST",
			origin: "http://b.test", wantAllow: "*"},
		{name: "a POST from an unlisted origin goes on without it", origins: []string{"http://a.test"}, method: "POST",
			origin: "http://b.test"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCORS(tc.origins)
			if tc.origins == nil {
				if c != nil {
					t.Fatal("CORS is on without origins")
				}
				return
			}
			ctx := &fasthttp.RequestCtx{}
			ctx.Request.Header.SetMethod(tc.method)
			ctx.Request.SetRequestURI("/")
			if tc.origin != "" {
				ctx.Request.Header.Set("Origin", tc.origin)
			}
			if tc.reqMethod != "" {
				ctx.Request.Header.Set("Access-Control-Request-Method", tc.reqMethod)
				ctx.Request.Header.Set("Access-Control-Request-Headers", "authorization,x-amz-target")
			}
			stamped := false
			done := c.handle(ctx, func() { stamped = true })
			if done != (tc.wantStatus != 0) {
				t.Fatalf("answered = %v, want %v", done, tc.wantStatus != 0)
			}
			if code := ctx.Response.StatusCode(); done && (code != tc.wantStatus || !stamped) {
				t.Errorf("status %d (stamped %v), want %d", code, stamped, tc.wantStatus)
			}
			hdr := &ctx.Response.Header
			if got := string(hdr.Peek("Access-Control-Allow-Origin")); got != tc.wantAllow {
				t.Errorf("Allow-Origin %q, want %q", got, tc.wantAllow)
			}
			if got := string(hdr.Peek("Access-Control-Allow-Headers")); tc.wantStatus == 200 && got != "authorization,x-amz-target" {
				t.Errorf("Allow-Headers %q", got)
			}
		})
	}
}
