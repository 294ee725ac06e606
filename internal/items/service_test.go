package items

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/items/itemstest"
)

// siService returns a Service over an in-memory engine with three
// tables: "hash" (pk S), "comp" (pk S, sk N) and "bin" (pk B).
func siService(t testing.TB) (*Service, context.Context) {
	t.Helper()
	eng, cat := itemstest.Open(t)
	ctx := itemstest.Context("test")
	itemstest.Create(t, ctx, cat, itemstest.Table("test", "hash", itemstest.Key{Name: "pk", Type: "S"}))
	itemstest.Create(t, ctx, cat, itemstest.Table("test", "comp", itemstest.Key{Name: "pk", Type: "S"}, itemstest.Key{Name: "sk", Type: "N"}))
	itemstest.Create(t, ctx, cat, itemstest.Table("test", "bin", itemstest.Key{Name: "pk", Type: "B"}))
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
func siCtx(*Service) context.Context { return itemstest.Context("test") }

func siUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
