// Package servertest starts a real Petrel in-process for tests: an
// in-memory (or on-disk) server on 127.0.0.1:0, aws-sdk-go-v2 DynamoDB
// clients pointed at it (with the default or chosen credentials and region),
// and a raw-HTTP helper for wire-level checks. Options select shared mode,
// signature verification, CORS and HTTPS with a throw-away certificate. The
// server stops when the test ends.
package servertest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/petreldb/petrel/internal/server"
)

// Credentials and region of (*Server).Client and Do. Under WithAuth they
// are accepted only if the credentials text lists them.
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

// DefaultCredentials is a credentials text (for WithAuth) accepting the
// default AccessKey/SecretKey.
const DefaultCredentials = AccessKey + " " + SecretKey + "\n"

// Option configures Start.
type Option func(*options)

type options struct {
	dataDir  string
	logLevel slog.Level
	logs     io.Writer
	shared   bool
	creds    string
	auth     bool
	cors     string
	tls      bool
	delay    time.Duration // Config.TransientStatusDelay
	clock    server.Clock  // Config.Clock (clock.go)
	ttl      time.Duration // Config.TTLInterval (clock.go)
}

// WithDataDir runs the server on disk in dir instead of in memory.
func WithDataDir(dir string) Option { return func(o *options) { o.dataDir = dir } }

// WithLogLevel sets the minimum level of server logs copied to the test log
// (default: warnings and errors).
func WithLogLevel(l slog.Level) Option { return func(o *options) { o.logLevel = l } }

// WithLogs also copies server logs (at the WithLogLevel level) to w, which
// must be safe for concurrent use.
func WithLogs(w io.Writer) Option { return func(o *options) { o.logs = w } }

// WithSharedDB starts the server in shared mode (-sharedDb): every access
// key and region sees the same tables.
func WithSharedDB() Option { return func(o *options) { o.shared = true } }

// WithAuth turns on signature verification (--auth sigv4) with credentials
// text in the credentials-file format ("ACCESS_KEY SECRET [ACCOUNT_ID]" per
// line). DefaultCredentials admits Client and Do.
func WithAuth(credentialsText string) Option {
	return func(o *options) { o.auth, o.creds = true, credentialsText }
}

// WithCORS sets --cors (comma-separated origins, "*" for any).
func WithCORS(origins string) Option { return func(o *options) { o.cors = origins } }

// WithTransientStatusDelay makes tables stay CREATING, UPDATING and
// DELETING for d (-delayTransientStatuses) instead of changing at once.
func WithTransientStatusDelay(d time.Duration) Option { return func(o *options) { o.delay = d } }

// WithTLS serves HTTPS with a self-signed certificate for 127.0.0.1 made
// for the test; the server's clients trust it.
func WithTLS() Option { return func(o *options) { o.tls = true } }

// Start starts a Petrel on 127.0.0.1 with a free port, stopped (and its
// engine closed) by t.Cleanup.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	o := options{logLevel: slog.LevelWarn}
	for _, opt := range opts {
		opt(&o)
	}
	tw := &testWriter{t: t}
	var w io.Writer = tw
	if o.logs != nil {
		w = io.MultiWriter(tw, o.logs)
	}
	cfg := server.Config{
		Host:        "127.0.0.1",
		Port:        0,
		DataDir:     o.dataDir,
		InMemory:    o.dataDir == "",
		Logger:      slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: o.logLevel})),
		Version:     "servertest",
		SharedDB:    o.shared,
		Credentials: o.creds,
		CORS:        o.cors,
	}
	if o.auth {
		cfg.Auth = server.AuthSigV4
	}
	cfg.TransientStatusDelay = o.delay
	cfg.Clock, cfg.TTLInterval = o.clock, o.ttl
	hc := &http.Client{Timeout: time.Minute}
	if o.tls {
		cfg.TLSCert, cfg.TLSKey, hc.Transport = selfSigned(t)
	}
	srv, err := server.Start(cfg)
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	s := &Server{srv: srv, url: srv.URL(), http: hc}
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

// URL is the server's base URL, e.g. "http://127.0.0.1:41234" (https
// under WithTLS).
func (s *Server) URL() string { return s.url }

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.srv.Addr() }

// Client returns a DynamoDB client for the server: static credentials
// AKIDEXAMPLE/secret, region us-east-1, no retries (a test sees the first
// answer).
func (s *Server) Client() *dynamodb.Client {
	if s.client == nil {
		s.client = s.ClientWith(AccessKey, SecretKey, Region)
	}
	return s.client
}

// ClientWith returns a new DynamoDB client for the server signing with the
// given access key, secret and region (no retries).
func (s *Server) ClientWith(accessKey, secret, region string) *dynamodb.Client {
	opts := dynamodb.Options{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secret, ""),
		BaseEndpoint: aws.String(s.url),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   sdkHTTPClient(s.http), // trusts the WithTLS certificate
	}
	return dynamodb.New(opts)
}

// HTTPClient is an HTTP client for raw requests to the server (it trusts
// the WithTLS certificate).
func (s *Server) HTTPClient() *http.Client { return s.http }

// NewClient returns a DynamoDB client for the Petrel at url, configured like
// (*Server).Client. Tests of an external process use it directly.
func NewClient(url string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
		BaseEndpoint: aws.String(url),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   sdkHTTPClient(nil),
	})
}

// Do sends one raw awsJson request signed (SigV4) with the default
// credentials and region and returns the status and body. target is
// "DynamoDB_20120810.PutItem" or just "PutItem".
func (s *Server) Do(t testing.TB, target, body string) (status int, respBody []byte) {
	t.Helper()
	if !strings.Contains(target, ".") {
		target = "DynamoDB_20120810." + target
	}
	req, err := http.NewRequest(http.MethodPost, s.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", target)
	Sign(t, req, AccessKey, SecretKey, Region, time.Now(), body)
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

// Sign signs req (SigV4, service dynamodb) as the AWS SDK would, at time
// at, for payload body.
func Sign(t testing.TB, req *http.Request, accessKey, secret, region string, at time.Time, body string) {
	t.Helper()
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "dynamodb", region, at); err != nil {
		t.Fatalf("servertest: signing: %v", err)
	}
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
