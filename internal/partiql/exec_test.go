package partiql

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/items"
	"github.com/petreldb/petrel/internal/items/itemstest"
	"github.com/petreldb/petrel/internal/protocol"
)

// testService returns a Service (and the items.Service under it) over an
// in-memory engine with two tables: "hash" (pk S) and "comp" (pk S, sk N).
func testService(t testing.TB) (*Service, *items.Service, context.Context) {
	t.Helper()
	eng, cat := itemstest.Open(t)
	ctx := itemstest.Context("test")
	itemstest.Create(t, ctx, cat, itemstest.Table("test", "hash", itemstest.Key{Name: "pk", Type: "S"}))
	itemstest.Create(t, ctx, cat, itemstest.Table("test", "comp", itemstest.Key{Name: "pk", Type: "S"}, itemstest.Key{Name: "sk", Type: "N"}))
	is := items.New(cat, eng)
	return New(cat, is), is, ctx
}

// TestExecGolden runs the script testdata/exec.golden against one fresh
// service: each line is "Operation: request ==> response", where request
// is a JSON body, or for ExecuteStatement just the statement text, and
// response is the JSON output or "error: Code: message". Lines run in
// order, so writes are seen by later reads.
func TestExecGolden(t *testing.T) {
	s, _, ctx := testService(t)
	runGolden(t, "testdata/exec.golden", func(line string) string {
		op, body, ok := strings.Cut(line, ": ")
		if !ok {
			return "bad line"
		}
		if !strings.HasPrefix(body, "{") {
			b, _ := json.Marshal(map[string]string{"Statement": body})
			body = string(b)
		}
		var out any
		var err error
		switch op {
		case "ExecuteStatement":
			var in protocol.ExecuteStatementInput
			if err = json.Unmarshal([]byte(body), &in); err == nil {
				out, err = s.ExecuteStatement(ctx, &in)
			}
		case "BatchExecuteStatement":
			var in protocol.BatchExecuteStatementInput
			if err = json.Unmarshal([]byte(body), &in); err == nil {
				out, err = s.BatchExecuteStatement(ctx, &in)
			}
		case "ExecuteTransaction":
			var in protocol.ExecuteTransactionInput
			if err = json.Unmarshal([]byte(body), &in); err == nil {
				out, err = s.ExecuteTransaction(ctx, &in)
			}
		default:
			return "unknown operation " + op
		}
		if err != nil {
			if e, ok := apierr.As(err); ok {
				return "error: " + e.Code + ": " + e.Message
			}
			return "internal error: " + err.Error()
		}
		b, err := json.Marshal(out)
		if err != nil {
			return "marshal error: " + err.Error()
		}
		return string(b)
	})
}
