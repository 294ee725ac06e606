package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/petreldb/petrel/internal/apierr"
)

// now is the verifier's clock in these tests.
var testNow = time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC)

const testBody = `{"TableName":"Music","Key":{"Artist":{"S":"No One You Know"}}}`

var testCreds = []Credential{
	{AccessKey: "AKIDALICE", SecretKey: "alice-secret", Account: "111111111111"},
	{AccessKey: "AKIDBOB", SecretKey: "bob/secret+x", Account: "222222222222"},
}

// newRequest is a server-side request as net/http hands it to a handler.
func newRequest(target, query, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://petrel.test:8000/"+query, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if target != "" {
		r.Header.Set("X-Amz-Target", "DynamoDB_20120810."+target)
	}
	return r
}

func payloadHash(body string) string {
	s := sha256.Sum256([]byte(body))
	return hex.EncodeToString(s[:])
}

// sdkSign signs r with aws-sdk-go-v2's signer, the reference implementation.
func sdkSign(t *testing.T, r *http.Request, key, secret, token, region string, at time.Time, body string) {
	t.Helper()
	creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, payloadHash(body), Service, region, at); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if e.Code != code || e.Status != 400 || (msg != "" && e.Message != msg) {
		t.Fatalf("got  %d %s: %q\nwant 400 %s: %q", e.Status, e.Code, e.Message, code, msg)
	}
}

// testHashKey carries a test case's payload hash on its *http.Request.
type testHashKey struct{}

// hashedRequest is a Request whose front end decoded the body: PayloadHash
// is the hash of the bytes sent.
type hashedRequest struct {
	Request
	sum []byte
}

func (h hashedRequest) PayloadHash() []byte { return h.sum }

func TestVerify(t *testing.T) {
	cases := []struct {
		name string
		// prepare builds and signs the request; the verifier sees body.
		prepare func(t *testing.T) (*http.Request, string)
		account string
		code    string
		msg     string
	}{
		{name: "a request signed by the SDK verifies",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, testBody)
				return r, testBody
			}, account: "111111111111"},
		{name: "a secret with slash and plus verifies",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDBOB", "bob/secret+x", "", "eu-west-3", testNow, testBody)
				return r, testBody
			}, account: "222222222222"},
		{name: "a session token is accepted",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "FwoGZXIvYXdzEXAMPLETOKEN", "us-east-1", testNow, testBody)
				return r, testBody
			}, account: "111111111111"},
		{name: "query parameters with reserved characters are canonicalized",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "?b=2&a=x%20y&a=%2Fz*&c=~", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, testBody)
				return r, testBody
			}, account: "111111111111"},
		{name: "an empty body verifies",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("ListTables", "", "")
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, "")
				return r, ""
			}, account: "111111111111"},
		{name: "a request signed 14 minutes ago verifies",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow.Add(-14*time.Minute), testBody)
				return r, testBody
			}, account: "111111111111"},
		{name: "a wrong secret is InvalidSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "not-the-secret", "", "us-east-1", testNow, testBody)
				return r, testBody
			}, code: "InvalidSignatureException", msg: msgMismatch},
		{name: "an unknown access key is UnrecognizedClient",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDMALLORY", "alice-secret", "", "us-east-1", testNow, testBody)
				return r, testBody
			}, code: "UnrecognizedClientException", msg: "The Access Key ID or security token is invalid."},
		{name: "a tampered body is InvalidSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, testBody)
				return r, strings.Replace(testBody, "Music", "Secret", 1)
			}, code: "InvalidSignatureException", msg: msgMismatch},
		{name: "a tampered target is InvalidSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, testBody)
				r.Header.Set("X-Amz-Target", "DynamoDB_20120810.DeleteItem")
				return r, testBody
			}, code: "InvalidSignatureException", msg: msgMismatch},
		{name: "a signed header that went missing is InvalidSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, testBody)
				r.Header.Del("Content-Type")
				return r, testBody
			}, code: "InvalidSignatureException", msg: msgMismatch},
		{name: "a changed region is InvalidSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, testBody)
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/us-east-1/", "/eu-west-1/", 1))
				return r, testBody
			}, code: "InvalidSignatureException", msg: msgMismatch},
		{name: "a signature 16 minutes old has expired",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow.Add(-16*time.Minute), testBody)
				return r, testBody
			}, code: "InvalidSignatureException",
			msg: "Signature expired: 20260101T001400Z is now earlier than 20260101T001500Z (20260101T003000Z - 15 min.)"},
		{name: "a signature 16 minutes ahead is not yet current",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow.Add(16*time.Minute), testBody)
				return r, testBody
			}, code: "InvalidSignatureException",
			msg: "Signature not yet current: 20260101T004600Z is still later than 20260101T004500Z (20260101T003000Z + 15 min.)"},
		{name: "an unknown key wins over an expired signature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDMALLORY", "x", "", "us-east-1", testNow.Add(-time.Hour), testBody)
				return r, testBody
			}, code: "UnrecognizedClientException"},
		{name: "another service's scope is InvalidSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				creds := aws.Credentials{AccessKeyID: "AKIDALICE", SecretAccessKey: "alice-secret"}
				if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, payloadHash(testBody), "s3", "us-east-1", testNow); err != nil {
					t.Fatal(err)
				}
				return r, testBody
			}, code: "InvalidSignatureException", msg: "Credential should be scoped to correct service: 'dynamodb'. "},
		{name: "a scope date unlike the request date is InvalidSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, testBody)
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/20260101/", "/20251231/", 1))
				return r, testBody
			}, code: "InvalidSignatureException",
			msg: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251231' != '20260101', from '20260101T003000Z'."},
		{name: "no date header is IncompleteSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, testBody)
				r.Header.Del("X-Amz-Date")
				return r, testBody
			}, code: "IncompleteSignatureException"},
		{name: "an unsigned Host is IncompleteSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, testBody)
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "", 1))
				return r, testBody
			}, code: "IncompleteSignatureException", msg: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "an unsigned X-Amz-Target is IncompleteSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("", "", testBody)
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, testBody)
				r.Header.Set("X-Amz-Target", "DynamoDB_20120810.DeleteItem")
				return r, testBody
			}, code: "IncompleteSignatureException", msg: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "an HTTP Date header can stand in for X-Amz-Date",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", testBody)
				r.Header.Set("Date", testNow.Format(http.TimeFormat))
				handSign(r, "AKIDALICE", "alice-secret", "us-east-1", testNow, testBody, []string{"content-type", "date", "host", "x-amz-target"})
				return r, testBody
			}, account: "111111111111"},
		{name: "a payload hash from the front end replaces the body's",
			prepare: func(t *testing.T) (*http.Request, string) {
				r := newRequest("GetItem", "", "compressed bytes")
				sdkSign(t, r, "AKIDALICE", "alice-secret", "", "us-east-1", testNow, "compressed bytes")
				sum := sha256.Sum256([]byte("compressed bytes"))
				return r.WithContext(context.WithValue(r.Context(), testHashKey{}, sum[:])), testBody
			}, account: "111111111111"},
		{name: "a presigned URL verifies",
			prepare: func(t *testing.T) (*http.Request, string) {
				return presign(t, "AKIDALICE", "alice-secret", testNow, "900"), testBody
			}, account: "111111111111"},
		{name: "a presigned URL used after X-Amz-Expires has expired",
			prepare: func(t *testing.T) (*http.Request, string) {
				return presign(t, "AKIDALICE", "alice-secret", testNow.Add(-20*time.Minute), "60"), testBody
			}, code: "InvalidSignatureException",
			msg: "Signature expired: 20260101T001000Z is now earlier than 20260101T002900Z (20260101T003000Z - 60 sec.)"},
		{name: "a presigned URL with a tampered body is InvalidSignature",
			prepare: func(t *testing.T) (*http.Request, string) {
				return presign(t, "AKIDALICE", "alice-secret", testNow, "900"), testBody + " "
			}, code: "InvalidSignatureException", msg: msgMismatch},
	}
	v := NewVerifier(testCreds, func() time.Time { return testNow })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hr, body := tc.prepare(t)
			r := HTTPRequest(hr)
			if sum, ok := hr.Context().Value(testHashKey{}).([]byte); ok {
				r = hashedRequest{r, sum}
			}
			sig, err := Parse(r)
			if err == nil {
				var cred Credential
				cred, err = v.Verify(r, []byte(body), sig)
				if err == nil && cred.Account != tc.account {
					t.Errorf("account = %q, want %q", cred.Account, tc.account)
				}
			}
			if tc.code == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			wantCode(t, err, tc.code, tc.msg)
		})
	}
}

// handSign signs r with this package's own canonical request, for header
// combinations the SDK does not produce.
func handSign(r *http.Request, key, secret, region string, at time.Time, body string, signed []string) {
	sig := &Signature{Scope: Scope{AccessKey: key, Date: at.Format("20060102"), Region: region, Service: Service},
		SignedHeaders: signed, Date: at.Format(TimeFormat)}
	v := NewVerifier([]Credential{{AccessKey: key, SecretKey: secret}}, nil)
	s := v.sign(Credential{AccessKey: key, SecretKey: secret}, sig, HTTPRequest(r), []byte(body))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+key+"/"+sig.Scope.String()+
		", SignedHeaders="+strings.Join(signed, ";")+", Signature="+s)
}

// presign returns the server-side request of a URL presigned by the SDK.
func presign(t *testing.T, key, secret string, at time.Time, expires string) *http.Request {
	t.Helper()
	r := newRequest("GetItem", "?X-Amz-Expires="+expires, testBody)
	creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}
	u, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, payloadHash(testBody), Service, "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	sr := httptest.NewRequest(http.MethodPost, u, bytes.NewReader([]byte(testBody)))
	for k, vs := range hdr {
		if k != "Host" {
			sr.Header[k] = vs
		}
	}
	return sr
}

func TestSigningKeyCache(t *testing.T) {
	v := NewVerifier(testCreds, func() time.Time { return testNow })
	s := Scope{AccessKey: "AKIDALICE", Date: "20260101", Region: "us-east-1", Service: Service}
	k1 := v.signingKey(testCreds[0], s)
	k2 := v.signingKey(testCreds[0], s)
	if &k1[0] != &k2[0] {
		t.Error("the second derivation was not served from the cache")
	}
	// AWS's documented example key derivation (IAM User Guide, "Examples of
	// how to derive a signing key for Signature Version 4").
	got := hex.EncodeToString(SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		Scope{Date: "20120215", Region: "us-east-1", Service: "iam"}))
	if want := "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"; got != want {
		t.Errorf("signing key = %s, want %s", got, want)
	}
}

func BenchmarkVerify(b *testing.B) {
	v := NewVerifier(testCreds, func() time.Time { return testNow })
	r := newRequest("GetItem", "", testBody)
	creds := aws.Credentials{AccessKeyID: "AKIDALICE", SecretAccessKey: "alice-secret"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, payloadHash(testBody), Service, "us-east-1", testNow); err != nil {
		b.Fatal(err)
	}
	body := []byte(testBody)
	b.ReportAllocs()
	for b.Loop() {
		sig, err := Parse(HTTPRequest(r))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Verify(HTTPRequest(r), body, sig); err != nil {
			b.Fatal(err)
		}
	}
}
