package servertest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"github.com/petreldb/petrel/internal/server"
	"github.com/petreldb/petrel/internal/ttl"
)

// Clock is a controllable clock for WithClock: it stands still until
// Advance or Set moves it. It is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// WithClock makes c the server's clock (TTL expiry, stream record times,
// iterator ages, table timestamps), e.g. a *Clock. Unless WithTTLInterval
// is also given, the background expirer and stream maintenance then do not
// run: the test calls Sweep, so that nothing happens between its steps.
// A stream record's ApproximateCreationDateTime is the clock's time when
// the record is sequenced (within a second of the write when the loops
// run; here, at the next Sweep or Streams read): sweep before moving the
// clock past a write whose record time matters.
func WithClock(c server.Clock) Option {
	return func(o *options) {
		o.clock = c
		if o.ttl == 0 {
			o.ttl = -1
		}
	}
}

// WithTTLInterval sets how often the TTL expirer runs (--ttl-interval); a
// negative interval stops the background loops (Sweep runs them).
func WithTTLInterval(d time.Duration) Option { return func(o *options) { o.ttl = d } }

// Sweep runs one TTL expirer pass and one stream maintenance pass (record
// sequencing and 24-hour trimming) now, and returns what the expirer did.
func (s *Server) Sweep(t testing.TB) ttl.Stats {
	t.Helper()
	st, err := s.srv.Sweep(context.Background())
	if err != nil {
		t.Fatalf("servertest: sweep: %v", err)
	}
	return st
}

// TTLDeletedItemCount is the number of items the expirer deleted from
// table name (TimeToLiveDeletedItemCount), in whatever namespace it is.
func (s *Server) TTLDeletedItemCount(t testing.TB, name string) int64 {
	t.Helper()
	counts, err := s.srv.TTLDeletedItems()
	if err != nil {
		t.Fatalf("servertest: TTL deleted counts: %v", err)
	}
	var n int64
	for _, c := range counts {
		if c.Table == name {
			n += c.Count
		}
	}
	return n
}

// StreamsClient returns a DynamoDB Streams client for the server, configured
// like Client.
func (s *Server) StreamsClient() *dynamodbstreams.Client {
	opts := dynamodbstreams.Options{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
		BaseEndpoint: aws.String(s.url),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   sdkHTTPClient(s.http), // trusts the WithTLS certificate
	}
	return dynamodbstreams.New(opts)
}
