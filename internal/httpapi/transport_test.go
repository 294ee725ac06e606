package httpapi

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// rawExchange writes req on a new connection to srv and reads one response.
func rawExchange(t *testing.T, srv *testServer, req string) (*http.Response, []byte) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	for err == nil && resp.StatusCode == http.StatusContinue {
		resp, err = http.ReadResponse(br, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// TestTransport covers HTTP/1.1 framing the SDKs and proxies use, and the
// requests fasthttp cannot read, which are still answered in DynamoDB's
// error shape.
func TestTransport(t *testing.T) {
	srv, _ := newTestServer(t, Config{MaxBodyBytes: 4096})
	const head = "POST / HTTP/1.1\r\nHost: petrel.test\r\nAuthorization: " + testAuth +
		"\r\nX-Amz-Target: DynamoDB_20120810.Echo\r\nContent-Type: application/x-amz-json-1.0\r\n"
	cases := []struct {
		name     string
		req      string
		status   int
		wantBody string // exact body of a success
		wantType string // __type of an error
	}{
		{name: "a chunked body is reassembled",
			req:    head + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"Tab\r\n10\r\nleName\":\"chunk\"}\r\n0\r\n\r\n",
			status: 200, wantBody: `{"TableName":"chunk","AccessKey":"AKIDEXAMPLE","Region":"eu-west-3","Namespace":"shared"}`},
		{name: "Expect: 100-continue is honoured",
			req:    head + "Expect: 100-continue\r\nContent-Length: 17\r\n\r\n{\"TableName\":\"e\"}",
			status: 200, wantBody: `{"TableName":"e","AccessKey":"AKIDEXAMPLE","Region":"eu-west-3","Namespace":"shared"}`},
		{name: "an absolute-form target reaches the operation",
			req:    strings.Replace(head, "POST / ", "POST http://petrel.test/ ", 1) + "Content-Length: 17\r\n\r\n{\"TableName\":\"a\"}",
			status: 200, wantBody: `{"TableName":"a","AccessKey":"AKIDEXAMPLE","Region":"eu-west-3","Namespace":"shared"}`},
		{name: "a declared length over the cap is RequestEntityTooLarge before the body is read",
			req:    head + "Content-Length: 100000\r\n\r\n{",
			status: http.StatusRequestEntityTooLarge, wantType: "com.amazon.coral.service#RequestEntityTooLarge"},
		{name: "a broken chunk is a SerializationException",
			req:    head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
			status: http.StatusBadRequest, wantType: "com.amazon.coral.service#SerializationException"},
		{name: "headers over the read buffer are refused in the error shape",
			req:    head + "X-Big: " + strings.Repeat("b", readBufferSize) + "\r\nContent-Length: 2\r\n\r\n{}",
			status: http.StatusRequestHeaderFieldsTooLarge, wantType: "com.amazon.coral.service#RequestHeaderFieldsTooLarge"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := rawExchange(t, srv, tc.req)
			if resp.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tc.status, body)
			}
			checkStamp(t, resp.Header, body)
			if tc.wantBody != "" && string(body) != tc.wantBody {
				t.Errorf("body = %s, want %s", body, tc.wantBody)
			}
			if tc.wantType != "" {
				var e map[string]any
				if err := json.Unmarshal(body, &e); err != nil || e["__type"] != tc.wantType {
					t.Errorf("body = %s, want __type %s", body, tc.wantType)
				}
			}
			if resp.Header.Get("Server") != "" {
				t.Errorf("Server header %q: DynamoDB sends none to SDKs that matter, nor did we", resp.Header.Get("Server"))
			}
		})
	}
}

// TestRequestView checks sigv4's view of a fasthttp request.
func TestRequestView(t *testing.T) {
	cases := []struct {
		uri, path, query string
	}{
		{"/", "/", ""},
		{"/?a=1&b=%20", "/", "a=1&b=%20"},
		{"/a%2Fb/c?x", "/a%2Fb/c", "x"},
		{"http://h.test/p?q=1", "/p", "q=1"},
		{"http://h.test", "/", ""},
	}
	for _, tc := range cases {
		ctx := &fasthttp.RequestCtx{}
		ctx.Request.Header.SetMethod("POST")
		ctx.Request.Header.SetRequestURI(tc.uri)
		ctx.Request.Header.Add("X-Multi", "a")
		ctx.Request.Header.Add("X-Multi", "b")
		ctx.Request.Header.SetContentLength(7)
		r := &request{ctx: ctx}
		if got := r.EscapedPath(); got != tc.path {
			t.Errorf("%s: path %q, want %q", tc.uri, got, tc.path)
		}
		if got := r.RawQuery(); got != tc.query {
			t.Errorf("%s: query %q, want %q", tc.uri, got, tc.query)
		}
		if got := r.HeaderValues("x-multi"); len(got) != 2 || got[0] != "a" || got[1] != "b" {
			t.Errorf("values %q", got)
		}
		if r.ContentLength() != 7 || r.Header("content-length") != "7" || r.Method() != "POST" {
			t.Errorf("length %d %q method %q", r.ContentLength(), r.Header("content-length"), r.Method())
		}
	}
}
