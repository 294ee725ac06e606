package httpapi

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

type wireCase struct {
	name     string
	method   string
	path     string
	header   map[string]string // Authorization defaults to testAuth; "" removes it
	body     string
	gzip     bool
	status   int
	wantType string // __type of an error body
	wantMsg  string // message of an error body
	wantBody string // exact body of a success
}

func TestWire(t *testing.T) {
	echoT := map[string]string{"X-Amz-Target": "DynamoDB_20120810.Echo"}
	cases := []wireCase{
		{name: "a signed request reaches its operation with the caller's identity", header: echoT,
			body: `{"TableName":"t"}`, status: 200,
			wantBody: `{"TableName":"t","AccessKey":"AKIDEXAMPLE","Region":"eu-west-3","Namespace":"shared"}`},
		{name: "the 1.1 content type is accepted too",
			header: map[string]string{"X-Amz-Target": "DynamoDB_20120810.Echo", "Content-Type": "application/x-amz-json-1.1"},
			body:   `{"TableName":"t"}`, status: 200,
			wantBody: `{"TableName":"t","AccessKey":"AKIDEXAMPLE","Region":"eu-west-3","Namespace":"shared"}`},
		{name: "a gzip body is decompressed", header: echoT, gzip: true,
			body: `{"TableName":"zipped"}`, status: 200,
			wantBody: `{"TableName":"zipped","AccessKey":"AKIDEXAMPLE","Region":"eu-west-3","Namespace":"shared"}`},
		{name: "a Streams target is routed to the Streams operations",
			header: map[string]string{"X-Amz-Target": "DynamoDBStreams_20120810.EchoStream"},
			body:   `{"TableName":"s"}`, status: 200,
			wantBody: `{"TableName":"s","AccessKey":"AKIDEXAMPLE","Region":"eu-west-3","Namespace":"shared"}`},
		{name: "a nil output is an empty object", header: echoT, body: `{"TableName":"nil"}`, status: 200, wantBody: `{}`},
		{name: "HTML characters are not escaped", header: echoT, body: `{"TableName":"html"}`, status: 200, wantBody: `{"HTML":"<a&b>"}`},
		{name: "unknown members are ignored", header: echoT, body: `{"TableName":"t","Bogus":[1,{}]}`, status: 200,
			wantBody: `{"TableName":"t","AccessKey":"AKIDEXAMPLE","Region":"eu-west-3","Namespace":"shared"}`},

		{name: "an unknown operation is UnknownOperationException",
			header: map[string]string{"X-Amz-Target": "DynamoDB_20120810.FooBar"}, body: `{}`, status: 400,
			wantType: "com.amazon.coral.service#UnknownOperationException", wantMsg: "An unknown operation was requested."},
		{name: "an unknown Streams operation is UnknownOperationException",
			header: map[string]string{"X-Amz-Target": "DynamoDBStreams_20120810.Foo"}, body: `{}`, status: 400,
			wantType: "com.amazon.coral.service#UnknownOperationException", wantMsg: "An unknown operation was requested."},
		{name: "a DynamoDB operation under the Streams prefix is unknown",
			header: map[string]string{"X-Amz-Target": "DynamoDBStreams_20120810.Echo"}, body: `{}`, status: 400,
			wantType: "com.amazon.coral.service#UnknownOperationException", wantMsg: "An unknown operation was requested."},
		{name: "a missing target is UnknownOperationException", body: `{}`, status: 400,
			wantType: "com.amazon.coral.service#UnknownOperationException", wantMsg: "An unknown operation was requested."},
		{name: "the 2011 API is refused as DynamoDB Local refuses it (errors.md A9)",
			header: map[string]string{"X-Amz-Target": "DynamoDB_20111205.Echo"}, body: `{}`, status: 400,
			wantType: "com.amazonaws.dynamodb.v20120810#InvalidAction", wantMsg: "DynamoDB Local does not support v1 API."},

		{name: "an unsigned request is MissingAuthenticationTokenException",
			header: map[string]string{"X-Amz-Target": "DynamoDB_20120810.Echo", "Authorization": ""},
			body:   `{"TableName":"t"}`, status: 400,
			wantType: "com.amazon.coral.service#MissingAuthenticationTokenException",
			wantMsg:  "Request must contain a valid (registered) AWS Access Key ID."},
		{name: "an unsigned request for an unknown operation is refused before routing",
			header: map[string]string{"X-Amz-Target": "DynamoDB_20120810.Nope", "Authorization": ""},
			body:   `{}`, status: 400,
			wantType: "com.amazon.coral.service#MissingAuthenticationTokenException",
			wantMsg:  "Request must contain a valid (registered) AWS Access Key ID."},
		{name: "a non-SigV4 Authorization is MissingAuthenticationTokenException",
			header: map[string]string{"X-Amz-Target": "DynamoDB_20120810.Echo", "Authorization": "Bearer abc"},
			body:   `{"TableName":"t"}`, status: 400,
			wantType: "com.amazon.coral.service#MissingAuthenticationTokenException",
			wantMsg:  "Request must contain a valid (registered) AWS Access Key ID."},
		{name: "a SigV4 header without a signature is IncompleteSignatureException",
			header: map[string]string{"X-Amz-Target": "DynamoDB_20120810.Echo",
				"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host"},
			body: `{"TableName":"t"}`, status: 400,
			wantType: "com.amazon.coral.service#IncompleteSignatureException",
			wantMsg: "Authorization header requires 'Signature' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host"},

		{name: "GET / is the unauthenticated health check", method: "GET",
			header: map[string]string{"Authorization": ""}, status: 200, wantBody: "healthy: HOST"},
		{name: "another GET path without auth is MissingAuthenticationTokenException", method: "GET", path: "/status",
			header: map[string]string{"Authorization": ""}, status: 400,
			wantType: "com.amazon.coral.service#MissingAuthenticationTokenException",
			wantMsg:  "Request must contain a valid (registered) AWS Access Key ID."},
		{name: "another GET path with auth is UnknownOperationException", method: "GET", path: "/status",
			status: 400, wantType: "com.amazon.coral.service#UnknownOperationException", wantMsg: "An unknown operation was requested."},
		{name: "PUT without auth is MissingAuthenticationTokenException", method: "PUT",
			header: map[string]string{"Authorization": ""}, body: "x", status: 400,
			wantType: "com.amazon.coral.service#MissingAuthenticationTokenException",
			wantMsg:  "Request must contain a valid (registered) AWS Access Key ID."},

		{name: "malformed JSON is a SerializationException", header: echoT, body: `{"TableName":`, status: 400,
			wantType: "com.amazon.coral.service#SerializationException", wantMsg: msgMalformed},
		{name: "a broken gzip body is a SerializationException",
			header: map[string]string{"X-Amz-Target": "DynamoDB_20120810.Echo", "Content-Encoding": "gzip"},
			body:   `{"TableName":"t"}`, status: 400,
			wantType: "com.amazon.coral.service#SerializationException", wantMsg: msgBadGzip},
		{name: "a number where a string goes is B8", header: echoT, body: `{"TableName":5}`, status: 400,
			wantType: "com.amazon.coral.service#SerializationException", wantMsg: "NUMBER_VALUE cannot be converted to String"},
		{name: "a model-constraint failure comes from Validate", header: echoT, body: `{}`, status: 400,
			wantType: "com.amazon.coral.validate#ValidationException",
			wantMsg:  "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{name: "an empty body decodes as {}", header: echoT, body: ``, status: 400,
			wantType: "com.amazon.coral.validate#ValidationException",
			wantMsg:  "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{name: "an apierr from an UnmarshalJSON method passes through", header: echoT, body: `{"TableName":"t","Val":{}}`, status: 400,
			wantType: "com.amazon.coral.validate#ValidationException",
			wantMsg:  "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{name: "a service error is rendered with its namespace", header: echoT, body: `{"TableName":"ccf"}`, status: 400,
			wantType: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", wantMsg: "The conditional request failed"},
		{name: "an internal error is a detail-free 500", header: echoT, body: `{"TableName":"boom"}`, status: 500,
			wantType: "com.amazonaws.dynamodb.v20120810#InternalServerError", wantMsg: "Internal server error"},
		{name: "a panic is a detail-free 500", header: echoT, body: `{"TableName":"panic"}`, status: 500,
			wantType: "com.amazonaws.dynamodb.v20120810#InternalServerError", wantMsg: "Internal server error"},
	}
	srv, logs := newTestServer(t, Config{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, hdr, body := send(t, srv.URL, tc)
			if status != tc.status {
				t.Fatalf("status = %d, want %d; body %s", status, tc.status, body)
			}
			checkStamp(t, hdr, body)
			if tc.wantType != "" {
				var e map[string]any
				if err := json.Unmarshal(body, &e); err != nil {
					t.Fatalf("error body %q is not JSON: %v", body, err)
				}
				key := "message"
				if strings.HasSuffix(tc.wantType, "#SerializationException") {
					key = "Message" // AWS's spelling in SerializationException bodies (errors.md B11)
				}
				if e["__type"] != tc.wantType || e[key] != tc.wantMsg {
					t.Errorf("error = %s, want __type %q message %q", body, tc.wantType, tc.wantMsg)
				}
				if ct := hdr.Get("Content-Type"); ct != "application/x-amz-json-1.0" {
					t.Errorf("Content-Type = %q", ct)
				}
				return
			}
			want := strings.ReplaceAll(tc.wantBody, "HOST", strings.TrimPrefix(srv.URL, "http://"))
			if string(body) != want {
				t.Errorf("body = %s, want %s", body, want)
			}
		})
	}
	t.Run("internal errors are logged with the request id and cause", func(t *testing.T) {
		status, hdr, body := send(t, srv.URL, wireCase{header: echoT, body: `{"TableName":"boom"}`})
		if status != 500 || strings.Contains(string(body), "secret") {
			t.Fatalf("status %d body %s", status, body)
		}
		id := hdr.Get("X-Amzn-Requestid")
		if l := logs.String(); !strings.Contains(l, id) || !strings.Contains(l, "disk on fire") {
			t.Errorf("log lacks request id %s or cause:\n%s", id, l)
		}
	})
	t.Run("panics are logged with the request id", func(t *testing.T) {
		_, hdr, _ := send(t, srv.URL, wireCase{header: echoT, body: `{"TableName":"panic"}`})
		if l := logs.String(); !strings.Contains(l, hdr.Get("X-Amzn-Requestid")) || !strings.Contains(l, "kaboom") {
			t.Errorf("log lacks the panic:\n%s", l)
		}
	})
	t.Run("error Fields are top-level members of the body", func(t *testing.T) {
		_, _, body := send(t, srv.URL, wireCase{header: echoT, body: `{"TableName":"ccf"}`})
		want := `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"pk":{"S":"a"}}}`
		if string(body) != want {
			t.Errorf("body = %s, want %s", body, want)
		}
	})
	t.Run("request ids differ between requests", func(t *testing.T) {
		_, h1, _ := send(t, srv.URL, wireCase{header: echoT, body: `{"TableName":"t"}`})
		_, h2, _ := send(t, srv.URL, wireCase{header: echoT, body: `{"TableName":"t"}`})
		if h1.Get("X-Amzn-Requestid") == h2.Get("X-Amzn-Requestid") {
			t.Error("two requests got the same id")
		}
	})
}

func TestBodyCap(t *testing.T) {
	srv, _ := newTestServer(t, Config{MaxBodyBytes: 100})
	big := `{"TableName":"` + strings.Repeat("x", 200) + `"}`
	echoT := map[string]string{"X-Amz-Target": "DynamoDB_20120810.Echo"}
	for _, tc := range []wireCase{
		{name: "a declared length over the cap is refused", header: echoT, body: big},
		{name: "a gzip body that inflates over the cap is refused", header: echoT, body: big, gzip: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, hdr, body := send(t, srv.URL, tc)
			if status != http.StatusRequestEntityTooLarge {
				t.Fatalf("status = %d, body %s", status, body)
			}
			checkStamp(t, hdr, body)
			if !strings.Contains(string(body), `"__type":"com.amazon.coral.service#RequestEntityTooLarge"`) {
				t.Errorf("body = %s", body)
			}
		})
	}
	t.Run("a body at the cap is accepted", func(t *testing.T) {
		body := `{"TableName":"` + strings.Repeat("x", 100-16) + `"}`
		if status, _, b := send(t, srv.URL, wireCase{header: echoT, body: body}); status != 200 {
			t.Fatalf("status = %d, body %s", status, b)
		}
	})
}

var requestIDRE = regexp.MustCompile(`^[A-Z0-9]{52}$`)

// checkStamp verifies the headers every response carries.
func checkStamp(t *testing.T, hdr http.Header, body []byte) {
	t.Helper()
	if id := hdr.Get("x-amzn-RequestId"); !requestIDRE.MatchString(id) {
		t.Errorf("x-amzn-RequestId = %q", id)
	}
	if got, want := hdr.Get("x-amz-crc32"), strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10); got != want {
		t.Errorf("x-amz-crc32 = %q, want %q", got, want)
	}
	if got := hdr.Get("Content-Length"); got != strconv.Itoa(len(body)) {
		t.Errorf("Content-Length = %q, body is %d bytes", got, len(body))
	}
	if hdr.Get("Date") == "" {
		t.Error("no Date header")
	}
}

// send performs tc against base.
func send(t *testing.T, base string, tc wireCase) (int, http.Header, []byte) {
	t.Helper()
	method := tc.method
	if method == "" {
		method = "POST"
	}
	payload := []byte(tc.body)
	if tc.gzip {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(payload)
		zw.Close()
		payload = b.Bytes()
	}
	var rd io.Reader
	if method != "GET" {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequest(method, base+tc.path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("Authorization", testAuth)
	if tc.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	for k, v := range tc.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}
