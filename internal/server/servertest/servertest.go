// Package servertest starts a real Petrel in-process for tests: an
// in-memory (or on-disk) server on 127.0.0.1:0, an aws-sdk-go-v2 DynamoDB
// client pointed at it, and a raw-HTTP helper for wire-level checks. The
// server stops when the test ends.
package servertest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/petreldb/petrel/internal/server"
)

// Credentials and region every client of a test server uses.
const (
	AccessKey = "AKIDEXAMPLE"
	SecretKey = "secret"
	Region    = "us-east-1"
)

// Server is a running test server.
type Server struct {
	srv    *server.Server
	url    string
	client *dynamodb.Client
	http   *http.Client
}

// Option configures Start.
type Option func(*options)

type options struct {
	dataDir  string
	logLevel slog.Level
}

// WithDataDir runs the server on disk in dir instead of in memory.
func WithDataDir(dir string) Option { return func(o *options) { o.dataDir = dir } }

// WithLogLevel sets the minimum level of server logs copied to the test log
// (default: warnings and errors).
func WithLogLevel(l slog.Level) Option { return func(o *options) { o.logLevel = l } }

// Start starts a Petrel on 127.0.0.1 with a free port, stopped (and its
// engine closed) by t.Cleanup.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	o := options{logLevel: slog.LevelWarn}
	for _, opt := range opts {
		opt(&o)
	}
	tw := &testWriter{t: t}
	cfg := server.Config{
		Host:     "127.0.0.1",
		Port:     0,
		DataDir:  o.dataDir,
		InMemory: o.dataDir == "",
		Logger:   slog.New(slog.NewTextHandler(tw, &slog.HandlerOptions{Level: o.logLevel})),
		Version:  "servertest",
	}
	srv, err := server.Start(cfg)
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	s := &Server{srv: srv, url: "http://" + srv.Addr(), http: &http.Client{Timeout: time.Minute}}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("servertest: shutdown: %v", err)
		}
		tw.stop()
	})
	return s
}

// URL is the server's base URL, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.url }

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.srv.Addr() }

// Client returns a DynamoDB client for the server: static credentials
// AKIDEXAMPLE/secret, region us-east-1, no retries (a test sees the first
// answer).
func (s *Server) Client() *dynamodb.Client {
	if s.client == nil {
		s.client = NewClient(s.url)
	}
	return s.client
}

// NewClient returns a DynamoDB client for the Petrel at url, configured like
// (*Server).Client. Tests of an external process use it directly.
func NewClient(url string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
		BaseEndpoint: aws.String(url),
		Retryer:      aws.NopRetryer{},
	})
}

// Do sends one raw awsJson request with a plausible SigV4 Authorization
// header (signatures are not verified yet) and returns the status and body.
// target is "DynamoDB_20120810.PutItem" or just "PutItem".
func (s *Server) Do(t testing.TB, target, body string) (status int, respBody []byte) {
	t.Helper()
	if !strings.Contains(target, ".") {
		target = "DynamoDB_20120810." + target
	}
	req, err := http.NewRequest(http.MethodPost, s.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	now := time.Now().UTC()
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("X-Amz-Date", now.Format("20060102T150405Z"))
	req.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/%s/%s/dynamodb/aws4_request, "+
		"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=%064x", AccessKey, now.Format("20060102"), Region, 0))
	resp, err := s.http.Do(req)
	if err != nil {
		t.Fatalf("servertest: %s: %v", target, err)
	}
	defer resp.Body.Close()
	respBody, err = io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("servertest: %s: reading the response: %v", target, err)
	}
	return resp.StatusCode, respBody
}

// testWriter copies server logs into the test log until the test ends
// (testing panics on a Log after completion).
type testWriter struct {
	mu      sync.Mutex
	t       testing.TB
	stopped bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
}
