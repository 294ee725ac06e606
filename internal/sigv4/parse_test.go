package sigv4

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestParse(t *testing.T) {
	const cred = "Credential=AKID/20260101/us-east-1/dynamodb/aws4_request"
	cases := []struct {
		name  string
		auth  string
		query string
		date  string
		want  Scope
		code  string
		msg   string
	}{
		{name: "the SDK's header gives key, date, region and service",
			auth: "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;x-amz-date, Signature=abcd", date: "20260101T000000Z",
			want: Scope{AccessKey: "AKID", Date: "20260101", Region: "us-east-1", Service: "dynamodb"}},
		{name: "spaces after commas are optional",
			auth: "AWS4-HMAC-SHA256 Credential=K/20260101/eu-west-3/dynamodb/aws4_request,SignedHeaders=host,Signature=ab",
			want: Scope{AccessKey: "K", Date: "20260101", Region: "eu-west-3", Service: "dynamodb"}},
		{name: "a presigned URL's query carries the scope",
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=K%2F20260101%2Fap-south-1%2Fdynamodb%2Faws4_request&X-Amz-Signature=ab&X-Amz-SignedHeaders=host&X-Amz-Date=20260101T000000Z",
			want:  Scope{AccessKey: "K", Date: "20260101", Region: "ap-south-1", Service: "dynamodb"}},
		{name: "no header is MissingAuthenticationToken", code: "MissingAuthenticationTokenException",
			msg: "Request must contain a valid (registered) AWS Access Key ID."},
		{name: "an unrelated query is MissingAuthenticationToken", query: "a=b", code: "MissingAuthenticationTokenException"},
		{name: "another scheme is MissingAuthenticationToken", auth: "Basic dXNlcjpwYXNz", code: "MissingAuthenticationTokenException"},
		{name: "SigV2 is MissingAuthenticationToken", auth: "AWS AKID:sig", code: "MissingAuthenticationTokenException"},
		{name: "no Signature is IncompleteSignature, quoting the header",
			auth: "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host", date: "20260101T000000Z", code: "IncompleteSignatureException",
			msg: "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host"},
		{name: "every missing part is listed in AWS's order",
			auth: "AWS4-HMAC-SHA256 " + cred, code: "IncompleteSignatureException",
			msg: "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 " + cred},
		{name: "no Credential is IncompleteSignature",
			auth: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab", date: "20260101T000000Z", code: "IncompleteSignatureException",
			msg: "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab"},
		{name: "a part without '=' is IncompleteSignature with a hash of the header",
			auth: "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders, Signature=ab", code: "IncompleteSignatureException",
			msg: "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): 'VaYKnhrBdZmP92G5yH67PSOc3GLc0xk4Ms1MeSOVu7I='."},
		{name: "a short scope is IncompleteSignature",
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1, SignedHeaders=host, Signature=ab", code: "IncompleteSignatureException",
			msg: "The request signature does not conform to AWS standards."},
		{name: "a scope not ending in aws4_request is IncompleteSignature",
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/x, SignedHeaders=host, Signature=ab", code: "IncompleteSignatureException"},
		{name: "an empty access key is IncompleteSignature",
			auth: "AWS4-HMAC-SHA256 Credential=/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=ab", code: "IncompleteSignatureException"},
		{name: "a presigned URL lacking parameters lists them",
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab", code: "IncompleteSignatureException",
			msg: "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
				"AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."},
		{name: "a presigned URL of another algorithm is IncompleteSignature",
			query: "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=K%2F20260101%2Fap-south-1%2Fdynamodb%2Faws4_request&X-Amz-Signature=ab&X-Amz-SignedHeaders=host&X-Amz-Date=20260101T000000Z",
			code:  "IncompleteSignatureException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/?"+tc.query, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			if tc.date != "" {
				r.Header.Set("X-Amz-Date", tc.date)
			}
			got, err := Parse(HTTPRequest(r))
			if tc.code != "" {
				wantCode(t, err, tc.code, tc.msg)
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if got.Scope != tc.want {
				t.Errorf("scope = %+v, want %+v", got.Scope, tc.want)
			}
		})
	}
}
