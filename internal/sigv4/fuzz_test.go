package sigv4

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
)

// FuzzParse feeds arbitrary Authorization headers and query strings to the
// parser and the verifier: they must never panic, must refuse only with
// one of the authentication codes, and must yield a complete scope when
// they accept.
func FuzzParse(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd", "", "20260101T003000Z")
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDALICE/20260101/us-east-1/dynamodb/aws4_request,SignedHeaders=host,Signature=ab", "a=b&c", "")
	f.Add("AWS4-HMAC-SHA256 Credential=, SignedHeaders, Signature=", "", "x")
	f.Add("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=K%2F20260101%2Fap-south-1%2Fdynamodb%2Faws4_request&X-Amz-Signature=ab&X-Amz-SignedHeaders=host&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60", "")
	f.Add("", "X-Amz-Signature=&X-Amz-Expires=-1", "")
	f.Add("Basic x", "%zz", "")
	allowed := map[string]bool{
		"MissingAuthenticationTokenException": true, "IncompleteSignatureException": true,
		"InvalidSignatureException": true, "UnrecognizedClientException": true,
	}
	v := NewVerifier(testCreds, func() time.Time { return testNow })
	f.Fuzz(func(t *testing.T, auth, query, date string) {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.URL.RawQuery = query
		if auth != "" {
			r.Header["Authorization"] = []string{auth}
		}
		if date != "" {
			r.Header["X-Amz-Date"] = []string{date}
		}
		sig, err := Parse(HTTPRequest(r))
		if err == nil {
			s := sig.Scope
			if s.AccessKey == "" || s.Date == "" || s.Region == "" || s.Service == "" {
				t.Fatalf("accepted an incomplete scope %+v", s)
			}
			_, err = v.Verify(HTTPRequest(r), nil, sig)
			if err == nil {
				t.Fatalf("verified a fuzzed signature: auth=%q query=%q", auth, query)
			}
		}
		e, ok := apierr.As(err)
		if !ok || !allowed[e.Code] || e.Status != http.StatusBadRequest {
			t.Fatalf("err = %v", err)
		}
	})
}
