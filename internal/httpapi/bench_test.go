package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/petreldb/petrel/internal/protocol"
)

// discardWriter is a minimal http.ResponseWriter for measuring the handler.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkServeHTTP measures the front end's own cost per PutItem-shaped
// request: body read, auth, decode (encoding/json + attr), encode, headers.
func BenchmarkServeHTTP(b *testing.B) {
	body := []byte(`{"TableName":"bench","Item":{"pk":{"S":"user#000123"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"tags":{"SS":["a","b"]}}}`)
	h := New(Config{}, map[string]Operation{
		"PutItem": Op(func(context.Context, *protocol.PutItemInput) (*protocol.PutItemOutput, error) {
			return &protocol.PutItemOutput{}, nil
		}),
	}, nil, nil)
	req, _ := http.NewRequest("POST", "/", nil)
	req.Header.Set("Authorization", testAuth)
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.PutItem")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.ContentLength = int64(len(body))
	rd := bytes.NewReader(body)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		rd.Reset(body)
		req.Body = io.NopCloser(rd)
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}
