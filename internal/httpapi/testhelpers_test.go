package httpapi

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
)

// testAuth is a plausible SigV4 Authorization header.
const testAuth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-3/dynamodb/aws4_request, " +
	"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef"

// echoInput exercises every member kind the generated protocol structs use.
type echoInput struct {
	TableName *string
	Limit     *int32
	Count     *int64
	Rate      *float64
	Flag      *bool
	Blob      []byte
	Names     map[string]string
	Keys      []string
	Nested    *nestedInput
	Val       *testValue
}

type nestedInput struct {
	Name *string
}

// Validate mimics a generated model-constraint check.
func (in *echoInput) Validate() error {
	if in.TableName == nil {
		return apierr.Validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null")
	}
	return nil
}

// testValue mimics attr.Value: its UnmarshalJSON returns *apierr.Error.
type testValue struct{ raw string }

func (v *testValue) UnmarshalJSON(b []byte) error {
	if string(b) == "{}" {
		return apierr.Validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	}
	if string(b) == `"plain"` {
		return errors.New("plain error from UnmarshalJSON")
	}
	v.raw = string(b)
	return nil
}

type echoOutput struct {
	TableName string `json:",omitempty"`
	AccessKey string `json:",omitempty"`
	Region    string `json:",omitempty"`
	Namespace string `json:",omitempty"`
	HTML      string `json:",omitempty"`
}

// echo returns the table name and caller; special table names fail.
func echo(ctx context.Context, in *echoInput) (*echoOutput, error) {
	id := caller.From(ctx)
	switch *in.TableName {
	case "boom":
		return nil, errors.New("disk on fire at /secret/path")
	case "panic":
		panic("kaboom")
	case "ccf":
		return nil, apierr.ConditionalCheckFailed(map[string]any{"pk": map[string]string{"S": "a"}})
	case "nil":
		return nil, nil
	case "html":
		return &echoOutput{HTML: "<a&b>"}, nil
	}
	return &echoOutput{TableName: *in.TableName, AccessKey: id.AccessKey, Region: id.Region, Namespace: id.Namespace}, nil
}

// logBuffer is a goroutine-safe log sink.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// testServer is a Handler served on a loopback port.
type testServer struct {
	URL string // http://127.0.0.1:port
}

// newTestServer serves echo as DynamoDB "Echo" and Streams "EchoStream".
func newTestServer(t *testing.T, cfg Config) (*testServer, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := New(cfg,
		map[string]Operation{"Echo": Op(echo)},
		map[string]Operation{"EchoStream": Op(echo)},
		log)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := h.NewServer()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		if err := srv.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return &testServer{URL: "http://" + ln.Addr().String()}, logs
}
