package httpapi

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/protocol"
)

// BenchmarkCodec measures the front end per request for the data-plane
// operations of the peer benchmarks: handler, auth, decode, Validate and
// encode of a realistic output (the operation itself is a canned reply).
func BenchmarkCodec(b *testing.B) {
	val := strings.Repeat("x", 256)
	item := func(i int) attr.Item {
		return attr.Item{
			"pk": attr.Str(fmt.Sprintf("pk%07d", i)), "sk": attr.Str("sk00001"),
			"val": attr.Str(val), "n": attr.Num("12"),
		}
	}
	var items []attr.Item
	for i := range 10 {
		items = append(items, item(i))
	}
	ten := int32(10)
	var puts []string
	for i := range 25 {
		puts = append(puts, fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"pk%07d"},"sk":{"S":"sk00001"},"val":{"S":"%s"},"n":{"N":"12"}}}}`, i, val))
	}
	cases := []struct {
		name, op, body string
		fn             Operation
	}{
		{"PutItem", "PutItem",
			`{"TableName":"tbl","Item":{"pk":{"S":"pk0000001"},"sk":{"S":"sk00001"},"val":{"S":"` + val + `"},"n":{"N":"12"}}}`,
			Op(func(context.Context, *protocol.PutItemInput) (*protocol.PutItemOutput, error) {
				return &protocol.PutItemOutput{}, nil
			})},
		{"GetItem", "GetItem",
			`{"TableName":"tbl","Key":{"pk":{"S":"pk0000001"},"sk":{"S":"sk00001"}}}`,
			Op(func(context.Context, *protocol.GetItemInput) (*protocol.GetItemOutput, error) {
				return &protocol.GetItemOutput{Item: item(1)}, nil
			})},
		{"UpdateItem", "UpdateItem",
			`{"TableName":"tbl","Key":{"pk":{"S":"pk0000001"},"sk":{"S":"sk00001"}},"UpdateExpression":"ADD cnt :one SET ts = :ts","ConditionExpression":"attribute_exists(pk) AND (attribute_not_exists(cnt) OR cnt < :max)","ExpressionAttributeValues":{":one":{"N":"1"},":ts":{"N":"1234567"},":max":{"N":"100000000"}}}`,
			Op(func(context.Context, *protocol.UpdateItemInput) (*protocol.UpdateItemOutput, error) {
				return &protocol.UpdateItemOutput{}, nil
			})},
		{"Query", "Query",
			`{"TableName":"tbl","KeyConditionExpression":"pk = :pk AND sk > :sk","ExpressionAttributeValues":{":pk":{"S":"pk0000001"},":sk":{"S":"sk"}},"Limit":10}`,
			Op(func(context.Context, *protocol.QueryInput) (*protocol.QueryOutput, error) {
				return &protocol.QueryOutput{Items: items, Count: &ten, ScannedCount: &ten, LastEvaluatedKey: attr.Item{"pk": attr.Str("pk0000009"), "sk": attr.Str("sk00001")}}, nil
			})},
		{"BatchWriteItem", "BatchWriteItem",
			`{"RequestItems":{"tbl":[` + strings.Join(puts, ",") + `]}}`,
			Op(func(context.Context, *protocol.BatchWriteItemInput) (*protocol.BatchWriteItemOutput, error) {
				return &protocol.BatchWriteItemOutput{UnprocessedItems: map[string][]protocol.WriteRequest{}}, nil
			})},
	}
	// The same operations through encoding/json, for comparison: Op uses
	// the generated codecs only on types that embed nothing.
	cases = append(cases, []struct {
		name, op, body string
		fn             Operation
	}{
		{"encoding-json/PutItem", "PutItem", cases[0].body,
			Op(func(context.Context, *oldPutIn) (*oldPutOut, error) {
				return &oldPutOut{}, nil
			})},
		{"encoding-json/GetItem", "GetItem", cases[1].body,
			Op(func(context.Context, *oldGetIn) (*oldGetOut, error) {
				return &oldGetOut{protocol.GetItemOutput{Item: item(1)}}, nil
			})},
		{"encoding-json/UpdateItem", "UpdateItem", cases[2].body,
			Op(func(context.Context, *oldUpdateIn) (*oldUpdateOut, error) {
				return &oldUpdateOut{}, nil
			})},
		{"encoding-json/Query", "Query", cases[3].body,
			Op(func(context.Context, *oldQueryIn) (*oldQueryOut, error) {
				return &oldQueryOut{protocol.QueryOutput{Items: items, Count: &ten, ScannedCount: &ten, LastEvaluatedKey: attr.Item{"pk": attr.Str("pk0000009"), "sk": attr.Str("sk00001")}}}, nil
			})},
		{"encoding-json/BatchWriteItem", "BatchWriteItem", cases[4].body,
			Op(func(context.Context, *oldBatchIn) (*oldBatchOut, error) {
				return &oldBatchOut{protocol.BatchWriteItemOutput{UnprocessedItems: map[string][]protocol.WriteRequest{}}}, nil
			})},
	}...)
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			h := New(Config{}, map[string]Operation{c.op: c.fn}, nil, nil)
			ctx := newBenchCtx(c.op, []byte(c.body))
			h.Serve(ctx)
			if s := ctx.Response.StatusCode(); s != 200 {
				b.Fatalf("status %d: %s", s, ctx.Response.Body())
			}
			b.ReportAllocs()
			for b.Loop() {
				ctx.Response.Reset()
				h.Serve(ctx)
			}
		})
	}
}

// Wrappers that make Op fall back to encoding/json: the generated methods
// are promoted through the embedding, and Op ignores promoted codecs.
type (
	oldPutIn     struct{ protocol.PutItemInput }
	oldPutOut    struct{ protocol.PutItemOutput }
	oldGetIn     struct{ protocol.GetItemInput }
	oldGetOut    struct{ protocol.GetItemOutput }
	oldUpdateIn  struct{ protocol.UpdateItemInput }
	oldUpdateOut struct{ protocol.UpdateItemOutput }
	oldQueryIn   struct{ protocol.QueryInput }
	oldQueryOut  struct{ protocol.QueryOutput }
	oldBatchIn   struct{ protocol.BatchWriteItemInput }
	oldBatchOut  struct{ protocol.BatchWriteItemOutput }
)
