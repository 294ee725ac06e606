package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"

	"github.com/petreldb/petrel/internal/server/servertest"
	"github.com/petreldb/petrel/internal/sigv4"
)

// authCreds is the credentials text of the verified-mode tests: alice has an
// account, bob gets the derived one.
const authCreds = `# test keys
AKIDALICE alice-secret 111122223333
AKIDBOB   bob/secret+key
`

// authError is the JSON error body of a refused request.
type authError struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

// rawCall sends target with body to srv, signed by alice at time at, after
// mutate (if any) has tampered with the signed request; it returns the
// status and the decoded error body.
func rawCall(t *testing.T, srv *servertest.Server, target, body string, at time.Time, mutate func(*http.Request)) (int, authError) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+target)
	servertest.Sign(t, req, "AKIDALICE", "alice-secret", "us-east-1", at, body)
	if mutate != nil {
		mutate(req)
	}
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var e authError
	if resp.StatusCode != http.StatusOK {
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatalf("error body %q: %v", b, err)
		}
	}
	return resp.StatusCode, e
}

func TestSigV4AuthOverHTTPS(t *testing.T) {
	srv := servertest.Start(t, servertest.WithAuth(authCreds), servertest.WithTLS())
	if !strings.HasPrefix(srv.URL(), "https://") {
		t.Fatalf("URL %s is not HTTPS", srv.URL())
	}
	alice := srv.ClientWith("AKIDALICE", "alice-secret", "us-east-1")
	bob := srv.ClientWith("AKIDBOB", "bob/secret+key", "us-east-1")

	t.Run("the right key works over HTTPS, with the file's account in ARNs", func(t *testing.T) {
		d := nsTable(t, alice, "vault")
		if got, want := aws.ToString(d.TableArn), "arn:aws:dynamodb:us-east-1:111122223333:table/vault"; got != want {
			t.Errorf("TableArn = %s, want %s", got, want)
		}
		nsPut(t, alice, "vault", "gold", "alice")
		if got := nsOwner(t, alice, "vault", "gold"); got != "alice" {
			t.Errorf("owner = %q", got)
		}
	})
	t.Run("a key without an account gets the derived one and its own tables", func(t *testing.T) {
		d := nsTable(t, bob, "bobs")
		if got, want := aws.ToString(d.TableArn), "arn:aws:dynamodb:us-east-1:"+sigv4.DevAccount("AKIDBOB")+":table/bobs"; got != want {
			t.Errorf("TableArn = %s, want %s", got, want)
		}
		if got := nsList(t, bob); !slices.Equal(got, []string{"bobs"}) {
			t.Errorf("bob lists %v", got)
		}
	})

	putVault := `{"TableName":"vault","Item":{"pk":{"S":"gold"},"owner":{"S":"mallory"}}}`
	mismatch := "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	expired := regexp.MustCompile(`^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$`)
	cases := []struct {
		name string
		call func(t *testing.T) (code, msg string)
		code string
		msg  string
		re   *regexp.Regexp
	}{
		{name: "a wrong secret is InvalidSignatureException",
			call: func(t *testing.T) (string, string) {
				return sdkError(t, srv.ClientWith("AKIDALICE", "guessed", "us-east-1"))
			}, code: "InvalidSignatureException", msg: mismatch},
		{name: "an unknown key is UnrecognizedClientException",
			call: func(t *testing.T) (string, string) {
				return sdkError(t, srv.ClientWith("AKIDMALLORY", "alice-secret", "us-east-1"))
			}, code: "UnrecognizedClientException", msg: "The Access Key ID or security token is invalid."},
		{name: "a signature 20 minutes old has expired",
			call: func(t *testing.T) (string, string) {
				return rawError(t, srv, putVault, time.Now().Add(-20*time.Minute), nil)
			}, code: "InvalidSignatureException", re: expired},
		{name: "a tampered body is InvalidSignatureException",
			call: func(t *testing.T) (string, string) {
				return rawError(t, srv, putVault, time.Now(), func(r *http.Request) {
					tampered := strings.Replace(putVault, "mallory", "alice!!", 1)
					r.Body = io.NopCloser(strings.NewReader(tampered))
				})
			}, code: "InvalidSignatureException", msg: mismatch},
		{name: "a missing Authorization header is MissingAuthenticationTokenException",
			call: func(t *testing.T) (string, string) {
				return rawError(t, srv, putVault, time.Now(), func(r *http.Request) { r.Header.Del("Authorization") })
			}, code: "MissingAuthenticationTokenException", msg: "Request must contain a valid (registered) AWS Access Key ID."},
		{name: "a missing signed header is InvalidSignatureException",
			call: func(t *testing.T) (string, string) {
				return rawError(t, srv, putVault, time.Now(), func(r *http.Request) { r.Header.Del("Content-Type") })
			}, code: "InvalidSignatureException", msg: mismatch},
		{name: "a missing X-Amz-Date is IncompleteSignatureException",
			call: func(t *testing.T) (string, string) {
				return rawError(t, srv, putVault, time.Now(), func(r *http.Request) { r.Header.Del("X-Amz-Date") })
			}, code: "IncompleteSignatureException",
			re: regexp.MustCompile(`^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4-HMAC-SHA256 Credential=AKIDALICE/`)},
	}
	for _, tc := range cases {
		t.Run(tc.name+" and changes nothing", func(t *testing.T) {
			code, msg := tc.call(t)
			if code != tc.code || (tc.msg != "" && msg != tc.msg) || (tc.re != nil && !tc.re.MatchString(msg)) {
				t.Errorf("got  %s: %q\nwant %s: %q %v", code, msg, tc.code, tc.msg, tc.re)
			}
			if got := nsOwner(t, alice, "vault", "gold"); got != "alice" {
				t.Errorf("the vault item's owner is now %q", got)
			}
			if got := nsList(t, alice); !slices.Equal(got, []string{"vault"}) {
				t.Errorf("alice lists %v", got)
			}
		})
	}
	t.Run("a gzip-compressed body signed as sent verifies", func(t *testing.T) {
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write([]byte(`{"TableName":"vault","Item":{"pk":{"S":"zipped"},"owner":{"S":"alice"}}}`))
		zw.Close()
		req, err := http.NewRequest(http.MethodPost, srv.URL()+"/", bytes.NewReader(zb.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810.PutItem")
		servertest.Sign(t, req, "AKIDALICE", "alice-secret", "us-east-1", time.Now(), zb.String())
		resp, err := srv.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", resp.StatusCode, b)
		}
		if got := nsOwner(t, alice, "vault", "zipped"); got != "alice" {
			t.Errorf("owner = %q", got)
		}
	})
	t.Run("the health check needs no signature", func(t *testing.T) {
		resp, err := srv.HTTPClient().Get(srv.URL() + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET / = %d", resp.StatusCode)
		}
	})
	t.Run("plain HTTP is not served on the HTTPS port", func(t *testing.T) {
		resp, err := http.Get("http://" + srv.Addr() + "/")
		if err == nil {
			defer resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Error("plain HTTP was answered 200")
			}
		}
	})
}

// sdkError makes c try to overwrite the vault item and create a table and
// returns the error code and message (they must agree).
func sdkError(t *testing.T, c *dynamodb.Client) (code, msg string) {
	t.Helper()
	ctx := context.Background()
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("intruder"),
		KeySchema: keySchema("pk", "HASH"), AttributeDefinitions: attrDefs("pk", "S"), BillingMode: "PAY_PER_REQUEST"})
	code, msg = apiError(t, err)
	_, err = c.ListTables(ctx, &dynamodb.ListTablesInput{})
	if c2, m2 := apiError(t, err); c2 != code || m2 != msg {
		t.Errorf("ListTables answered %s %q, CreateTable %s %q", c2, m2, code, msg)
	}
	return code, msg
}

func apiError(t *testing.T, err error) (code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an API error", err)
	}
	return ae.ErrorCode(), ae.ErrorMessage()
}

// rawError is rawCall of PutItem expecting a 400 refusal.
func rawError(t *testing.T, srv *servertest.Server, body string, at time.Time, mutate func(*http.Request)) (code, msg string) {
	t.Helper()
	status, e := rawCall(t, srv, "PutItem", body, at, mutate)
	if status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400 (%+v)", status, e)
	}
	if !strings.HasPrefix(e.Type, "com.amazon.coral.service#") {
		t.Errorf("__type %q is not in the coral service namespace", e.Type)
	}
	_, code, _ = strings.Cut(e.Type, "#")
	return code, e.Message
}

func TestDevelopmentModeAcceptsAnySecret(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.ClientWith(servertest.AccessKey, "not-the-secret", servertest.Region)
	nsTable(t, c, "dev")
	if got := nsList(t, srv.Client()); !slices.Equal(got, []string{"dev"}) {
		t.Errorf("the same key with its usual secret lists %v", got)
	}
}
