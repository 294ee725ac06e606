package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

// FuzzWire sends arbitrary bytes as an HTTP request on a connection served
// by NewServer: whatever arrives, the server must not panic, must not
// answer 5xx, and every response it sends must be in DynamoDB's shape
// (stamped, and a JSON error body with __type for a 4xx).
func FuzzWire(f *testing.F) {
	const head = "POST / HTTP/1.1\r\nHost: h\r\nAuthorization: " + testAuth + "\r\nX-Amz-Target: DynamoDB_20120810.Echo\r\n"
	for _, s := range []string{
		head + "Content-Length: 17\r\n\r\n{\"TableName\":\"t\"}",
		head + "Transfer-Encoding: chunked\r\n\r\n3\r\n{\"T\r\n0\r\n\r\n",
		head + "Content-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc",
		head + "Content-Length: 99999999\r\n\r\n{",
		"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET /x?X-Amz-Credential=a HTTP/1.0\r\n\r\n",
		"OPTIONS / HTTP/1.1\r\nOrigin: http://a\r\nAccess-Control-Request-Method: POST\r\n\r\n",
		"POST http://h/p%2F?q=%zz HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}",
		"\x00\x01garbage\r\n\r\n",
		head + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
	} {
		f.Add([]byte(s))
	}
	h := New(Config{MaxBodyBytes: 1 << 16, CORSOrigins: []string{"*"}},
		map[string]Operation{"Echo": Op(echo)}, map[string]Operation{"EchoStream": Op(echo)},
		slog.New(slog.DiscardHandler))
	srv := h.NewServer()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	go srv.Serve(ln) //nolint:errcheck // ends with the listener
	f.Cleanup(func() { ln.Close() })

	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		go func() {
			c.Write(raw) //nolint:errcheck // the server may close first
			// End of input: the server answers what it could read and
			// closes, instead of waiting for more.
			c.(*net.TCPConn).CloseWrite()
		}()
		br := bufio.NewReader(c)
		for {
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				return // the server closed the connection, or nothing more came
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return
			}
			if resp.StatusCode == http.StatusContinue {
				continue
			}
			if resp.StatusCode >= 500 {
				t.Fatalf("status %d for %q: %s", resp.StatusCode, raw, body)
			}
			if resp.Header.Get("X-Amzn-Requestid") == "" || resp.Header.Get("X-Amz-Crc32") == "" {
				t.Fatalf("unstamped response %d for %q", resp.StatusCode, raw)
			}
			if resp.StatusCode >= 400 {
				var e map[string]any
				if json.Unmarshal(body, &e) != nil || e["__type"] == nil {
					t.Fatalf("error body %q for %q is not DynamoDB's shape", body, raw)
				}
			}
			if bytes.Contains(raw, []byte("Connection: close")) || resp.Close {
				return
			}
		}
	})
}
