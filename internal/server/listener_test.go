package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// startReading starts a server and a connection that has sent head, and
// waits until the server is reading that request.
func startReading(t *testing.T, head string) (*Server, net.Conn) {
	t.Helper()
	srv, err := Start(Config{Host: "127.0.0.1", InMemory: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	io.WriteString(c, head)
	deadline := time.Now().Add(10 * time.Second)
	for !srv.conns.reading() {
		if time.Now().After(deadline) {
			t.Fatal("the server never started reading the request")
		}
		time.Sleep(time.Millisecond)
	}
	return srv, c
}

// TestShutdownInFlight: Shutdown waits for a request being read to be
// answered; one that never finishes keeps it waiting until its context
// ends, and then every connection is dropped.
func TestShutdownInFlight(t *testing.T) {
	t.Run("an in-flight request finishes", func(t *testing.T) {
		const body = `{}`
		srv, c := startReading(t, fmt.Sprintf("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"+
			"Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=ab\r\n"+
			"X-Amz-Date: 20260101T000000Z\r\nContent-Length: %d\r\n\r\n", len(body)))
		done := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			done <- srv.Shutdown(ctx)
		}()
		select {
		case err := <-done:
			t.Fatalf("Shutdown returned (%v) before the in-flight request finished", err)
		case <-time.After(200 * time.Millisecond):
		}
		io.WriteString(c, body)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(string(b), "TableNames") {
			t.Errorf("in-flight request answered %d %s", resp.StatusCode, b)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a request that never finishes is dropped when time runs out", func(t *testing.T) {
		srv, c := startReading(t, "POST / HTTP/1.1\r\n") // and nothing more
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		if err := srv.Shutdown(ctx); err == nil {
			t.Error("Shutdown reported success with a request unfinished")
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Error("the connection is still open")
		}
	})
}

// reading reports whether some connection has sent bytes of a request the
// server has not answered yet.
func (l *listener) reading() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for c := range l.conns {
		if c.used.Load() && fasthttp.ConnState(c.state.Load()) == fasthttp.StateActive {
			return true
		}
	}
	return false
}
