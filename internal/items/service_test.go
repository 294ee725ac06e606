package items

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/storage/pebblestore"
)

// siService returns a Service over an in-memory engine with three
// tables: "hash" (pk S), "comp" (pk S, sk N) and "bin" (pk B).
func siService(t testing.TB) (*Service, context.Context) {
	t.Helper()
	eng, err := pebblestore.Open("", pebblestore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	cat, err := catalog.Open(eng)
	if err != nil {
		t.Fatal(err)
	}
	ctx := caller.With(context.Background(), caller.Identity{Account: "000000000000", Region: "us-east-1", Namespace: "test"})
	mk := func(name string, keys ...[2]string) {
		tb := &catalog.Table{Namespace: "test", Name: name, Status: catalog.StatusActive, BillingMode: catalog.BillingPayPerRequest}
		for i, k := range keys {
			kt := catalog.KeyTypeHash
			if i == 1 {
				kt = catalog.KeyTypeRange
			}
			tb.KeySchema = append(tb.KeySchema, catalog.KeyElement{AttributeName: k[0], KeyType: kt})
			tb.AttributeDefinitions = append(tb.AttributeDefinitions, catalog.AttributeDefinition{AttributeName: k[0], AttributeType: k[1]})
		}
		if _, err := cat.Create(ctx, tb); err != nil {
			t.Fatal(err)
		}
	}
	mk("hash", [2]string{"pk", "S"})
	mk("comp", [2]string{"pk", "S"}, [2]string{"sk", "N"})
	mk("bin", [2]string{"pk", "B"})
	return New(cat, eng), ctx
}

// decode unmarshals a JSON request body into in (a *protocol.<Op>Input).
func siDecode(t testing.TB, body string, in any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), in); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
}

// siWantErr checks that err is the *apierr.Error code: msg.
func siWantErr(t testing.TB, err error, code, msg string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok {
		t.Fatalf("got error %v, want %s: %s", err, code, msg)
	}
	if e.Code != code || e.Message != msg {
		t.Fatalf("got %s: %q\nwant %s: %q", e.Code, e.Message, code, msg)
	}
}

// siJSON renders v as JSON for comparisons.
func siJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// siCtx returns the test namespace's context (the service holds no
// per-request state, so any Service uses the same one).
func siCtx(*Service) context.Context {
	return caller.With(context.Background(), caller.Identity{Account: "000000000000", Region: "us-east-1", Namespace: "test"})
}

func siUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
