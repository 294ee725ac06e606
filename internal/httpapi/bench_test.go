package httpapi

import (
	"context"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/petreldb/petrel/internal/protocol"
)

// newBenchCtx is a signed POST of body to op, as fasthttp hands it to Serve.
func newBenchCtx(op string, body []byte) *fasthttp.RequestCtx {
	ctx := &fasthttp.RequestCtx{}
	ctx.Request.Header.SetMethod("POST")
	ctx.Request.SetRequestURI("/")
	ctx.Request.Header.SetHost("localhost:8000")
	ctx.Request.Header.Set("Authorization", testAuth)
	ctx.Request.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	ctx.Request.Header.SetContentType("application/x-amz-json-1.0")
	ctx.Request.SetBody(body)
	return ctx
}

// BenchmarkServe measures the front end's own cost per PutItem-shaped
// request (no network): auth, decode (generated decoder + attr), encode,
// headers.
func BenchmarkServe(b *testing.B) {
	body := []byte(`{"TableName":"bench","Item":{"pk":{"S":"user#000123"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"tags":{"SS":["a","b"]}}}`)
	h := New(Config{}, map[string]Operation{
		"PutItem": Op(func(context.Context, *protocol.PutItemInput) (*protocol.PutItemOutput, error) {
			return &protocol.PutItemOutput{}, nil
		}),
	}, nil, nil)
	ctx := newBenchCtx("PutItem", body)
	b.ReportAllocs()
	for b.Loop() {
		ctx.Response.Reset()
		h.Serve(ctx)
	}
	if s := ctx.Response.StatusCode(); s != 200 {
		b.Fatalf("status %d: %s", s, ctx.Response.Body())
	}
}
