package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// sdkHeaders is what the AWS SDK for JavaScript asks to send in its
// preflight.
const sdkHeaders = "amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-date,x-amz-target,x-amz-user-agent"

// corsSend sends req to srv and returns the response with its body read.
func corsSend(t *testing.T, srv *servertest.Server, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func preflight(t *testing.T, srv *servertest.Server, origin string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodOptions, srv.URL()+"/", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", sdkHeaders)
	return corsSend(t, srv, req)
}

func TestCORS(t *testing.T) {
	listed := servertest.Start(t, servertest.WithCORS("http://app.test, https://admin.test:8443"))
	anyOrigin := servertest.Start(t, servertest.WithCORS("*"))
	off := servertest.Start(t)

	t.Run("a preflight from a listed origin is allowed with the requested headers", func(t *testing.T) {
		resp, _ := preflight(t, listed, "https://admin.test:8443")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		h := resp.Header
		if h.Get("Access-Control-Allow-Origin") != "https://admin.test:8443" || h.Get("Vary") != "Origin" {
			t.Errorf("Allow-Origin %q, Vary %q", h.Get("Access-Control-Allow-Origin"), h.Get("Vary"))
		}
		if !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("Allow-Methods %q", h.Get("Access-Control-Allow-Methods"))
		}
		if h.Get("Access-Control-Allow-Headers") != sdkHeaders {
			t.Errorf("Allow-Headers %q", h.Get("Access-Control-Allow-Headers"))
		}
		if h.Get("Access-Control-Max-Age") == "" {
			t.Error("no Max-Age")
		}
	})
	t.Run("a preflight from an unlisted origin is refused without CORS headers", func(t *testing.T) {
		resp, _ := preflight(t, listed, "http://evil.test")
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("status %d, Allow-Origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	})
	t.Run("with * every origin is allowed", func(t *testing.T) {
		resp, _ := preflight(t, anyOrigin, "http://anything.test")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("status %d, Allow-Origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	})
	t.Run("without --cors a preflight gets no CORS headers", func(t *testing.T) {
		resp, body := preflight(t, off, "http://app.test")
		if resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.StatusCode != http.StatusBadRequest {
			t.Errorf("status %d, Allow-Origin %q: %s", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), body)
		}
	})
	t.Run("the actual call from a listed origin exposes the SDK's headers", func(t *testing.T) {
		body := `{}`
		req, _ := http.NewRequest(http.MethodPost, listed.URL()+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
		req.Header.Set("Origin", "http://app.test")
		servertest.Sign(t, req, servertest.AccessKey, servertest.SecretKey, servertest.Region, time.Now(), body)
		resp, out := corsSend(t, listed, req)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", resp.StatusCode, out)
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "http://app.test" {
			t.Errorf("Allow-Origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
		}
		if !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "x-amzn-RequestId") {
			t.Errorf("Expose-Headers %q", resp.Header.Get("Access-Control-Expose-Headers"))
		}
	})
	t.Run("errors carry CORS headers too, so the page can read them", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, listed.URL()+"/", strings.NewReader(`{}`))
		req.Header.Set("Origin", "http://app.test")
		resp, out := corsSend(t, listed, req)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out, "MissingAuthenticationTokenException") {
			t.Fatalf("status %d: %s", resp.StatusCode, out)
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "http://app.test" {
			t.Errorf("Allow-Origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
		}
	})
}
