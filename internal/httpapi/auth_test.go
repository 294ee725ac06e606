package httpapi

import (
	"net/http/httptest"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
)

func TestCredentialScope(t *testing.T) {
	cases := []struct {
		name   string
		auth   string
		query  string
		want   Scope
		code   string
		access string
	}{
		{name: "the SDK's header gives key, date, region and service",
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd",
			want: Scope{AccessKey: "AKID", Date: "20260101", Region: "us-east-1", Service: "dynamodb"}},
		{name: "spaces after commas are optional",
			auth: "AWS4-HMAC-SHA256 Credential=K/20260101/eu-west-3/dynamodb/aws4_request,SignedHeaders=host,Signature=ab",
			want: Scope{AccessKey: "K", Date: "20260101", Region: "eu-west-3", Service: "dynamodb"}},
		{name: "a presigned URL's query carries the scope",
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=K%2F20260101%2Fap-south-1%2Fdynamodb%2Faws4_request&X-Amz-Signature=ab",
			want:  Scope{AccessKey: "K", Date: "20260101", Region: "ap-south-1", Service: "dynamodb"}},
		{name: "no header is MissingAuthenticationToken", code: "MissingAuthenticationTokenException"},
		{name: "another scheme is MissingAuthenticationToken", auth: "Basic dXNlcjpwYXNz", code: "MissingAuthenticationTokenException"},
		{name: "SigV2 is MissingAuthenticationToken", auth: "AWS AKID:sig", code: "MissingAuthenticationTokenException"},
		{name: "no Signature is IncompleteSignature",
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host", code: "IncompleteSignatureException"},
		{name: "no SignedHeaders is IncompleteSignature",
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, Signature=ab", code: "IncompleteSignatureException"},
		{name: "a short scope is IncompleteSignature",
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1, SignedHeaders=host, Signature=ab", code: "IncompleteSignatureException"},
		{name: "a scope not ending in aws4_request is IncompleteSignature",
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/x, SignedHeaders=host, Signature=ab", code: "IncompleteSignatureException"},
		{name: "an empty access key is IncompleteSignature",
			auth: "AWS4-HMAC-SHA256 Credential=/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=ab", code: "IncompleteSignatureException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/?"+tc.query, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			got, err := CredentialScope(r)
			if tc.code != "" {
				e, ok := apierr.As(err)
				if !ok || e.Code != tc.code || e.Status != 400 {
					t.Fatalf("err = %v, want 400 %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if got != tc.want {
				t.Errorf("scope = %+v, want %+v", got, tc.want)
			}
		})
	}
	t.Run("ScopeAuthenticator adds account and namespace", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/", nil)
		r.Header.Set("Authorization", testAuth)
		id, err := ScopeAuthenticator{Account: "000000000000", Namespace: "shared"}.Authenticate(r, nil)
		if err != nil || id.AccessKey != "AKIDEXAMPLE" || id.Region != "eu-west-3" || id.Account != "000000000000" || id.Namespace != "shared" {
			t.Errorf("identity = %+v, %v", id, err)
		}
	})
}
