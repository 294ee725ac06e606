package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/protocol/streams"
	"github.com/petreldb/petrel/internal/server"
	"github.com/petreldb/petrel/internal/server/servertest"
)

// supported is README.md's supported-operations table.
var supported = map[string]bool{
	"CreateTable": true, "DescribeTable": true, "ListTables": true, "DeleteTable": true, "UpdateTable": true,
	"PutItem": true, "GetItem": true, "UpdateItem": true, "DeleteItem": true,
	"Query": true, "Scan": true, "BatchGetItem": true, "BatchWriteItem": true,
	"TagResource": true, "UntagResource": true, "ListTagsOfResource": true, "DescribeLimits": true, "DescribeEndpoints": true,
	"UpdateTimeToLive": true, "DescribeTimeToLive": true,
	"TransactWriteItems": true, "TransactGetItems": true,
	"ExecuteStatement": true, "BatchExecuteStatement": true, "ExecuteTransaction": true,
}

func TestOperations(t *testing.T) {
	s := servertest.Start(t)
	check := func(t *testing.T, target string, wantSupported bool) {
		status, body := s.Do(t, target, `{}`)
		var e struct {
			Type string `json:"__type"`
		}
		json.Unmarshal(body, &e)
		unknown := status == 400 && e.Type == "com.amazon.coral.service#UnknownOperationException"
		if status >= 500 {
			t.Fatalf("%s answered %d %s", target, status, body)
		}
		if unknown == wantSupported {
			t.Errorf("%s: supported = %v, but it answered %d %s", target, wantSupported, status, body)
		}
	}
	for _, op := range protocol.DynamoDBOperations {
		t.Run(op+" is answered as README.md says", func(t *testing.T) {
			check(t, "DynamoDB_20120810."+op, supported[op])
		})
	}
	for _, op := range streams.Operations {
		t.Run("Streams "+op+" is supported", func(t *testing.T) {
			check(t, "DynamoDBStreams_20120810."+op, true)
		})
	}
}

func TestStartAndShutdown(t *testing.T) {
	t.Run("it serves, shuts down, and a second Shutdown is harmless", func(t *testing.T) {
		var logs strings.Builder
		srv, err := server.Start(server.Config{Host: "127.0.0.1", InMemory: true, Version: "v-test",
			Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get("http://" + srv.Addr() + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "healthy: "+srv.Addr() {
			t.Errorf("GET / = %q", body)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("second Shutdown: %v", err)
		}
		if _, err := http.Get("http://" + srv.Addr() + "/"); err == nil {
			t.Error("still serving after Shutdown")
		}
		for _, want := range []string{"petrel listening", "address=" + srv.Addr(), `engine="pebble (in-memory)"`, "version=v-test"} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("log lacks %q:\n%s", want, logs.String())
			}
		}
	})
	t.Run("Run returns nil when its context is cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() {
			errc <- server.Run(ctx, server.Config{Host: "127.0.0.1", InMemory: true, Logger: slog.New(slog.DiscardHandler)})
		}()
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Run = %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return")
		}
	})
	t.Run("a data dir is required on disk", func(t *testing.T) {
		if _, err := server.Start(server.Config{Host: "127.0.0.1", Logger: slog.New(slog.DiscardHandler)}); err == nil {
			t.Error("Start without a data dir succeeded")
		}
	})
	t.Run("a busy port is an error", func(t *testing.T) {
		s := servertest.Start(t)
		port := s.Addr()[strings.LastIndex(s.Addr(), ":")+1:]
		var p int
		json.Unmarshal([]byte(port), &p)
		if _, err := server.Start(server.Config{Host: "127.0.0.1", Port: p, InMemory: true, Logger: slog.New(slog.DiscardHandler)}); err == nil {
			t.Error("Start on a busy port succeeded")
		}
	})
}

// TestShutdownConnections covers what fasthttp leaves to its caller: a
// Shutdown right after Start, idle keep-alive connections and a connection
// that never sends a request (listener_test.go has requests in flight).
func TestShutdownConnections(t *testing.T) {
	start := func(t *testing.T) *server.Server {
		t.Helper()
		srv, err := server.Start(server.Config{Host: "127.0.0.1", InMemory: true, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	shutdown := func(t *testing.T, srv *server.Server, within time.Duration) error {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), within)
		defer cancel()
		began := time.Now()
		err := srv.Shutdown(ctx)
		if d := time.Since(began); d > within+time.Second {
			t.Errorf("Shutdown took %v", d)
		}
		return err
	}
	t.Run("right after Start", func(t *testing.T) {
		if err := shutdown(t, start(t), 10*time.Second); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("with idle keep-alive connections", func(t *testing.T) {
		srv := start(t)
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
		defer hc.CloseIdleConnections()
		for range 4 {
			resp, err := hc.Get("http://" + srv.Addr() + "/")
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		// fasthttp's own Shutdown would wait for these until their idle
		// timeout (minutes).
		if err := shutdown(t, srv, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("with a connection that never sent a byte", func(t *testing.T) {
		srv := start(t)
		c, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// fasthttp counts it active (awaiting its first request) until
		// its read timeout, minutes away.
		if err := shutdown(t, srv, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	})
}
