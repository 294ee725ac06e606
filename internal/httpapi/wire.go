package httpapi

import (
	"math/rand/v2"
	"slices"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

// AppendError appends DynamoDB's error body for e to dst:
// {"__type":"<namespace>#<Code>","message":"<text>"} followed by e.Fields in
// key order. AWS spells the key "message" in lower case, except in
// SerializationException bodies, which say "Message" (errors.md, "How errors
// look on the wire", and row B11); SDKs accept both spellings.
func AppendError(dst []byte, e *apierr.Error) ([]byte, error) {
	dst = append(dst, `{"__type":`...)
	dst = attr.AppendJSONString(dst, e.Type())
	if e.Code == "SerializationException" {
		dst = append(dst, `,"Message":`...)
	} else {
		dst = append(dst, `,"message":`...)
	}
	dst = attr.AppendJSONString(dst, e.Message)
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			if k != "__type" && k != "message" && k != "Message" {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			dst = append(dst, ',')
			dst = attr.AppendJSONString(dst, k)
			dst = append(dst, ':')
			var err error
			if dst, err = appendJSON(dst, e.Fields[k]); err != nil {
				return dst, err
			}
		}
	}
	return append(dst, '}'), nil
}

// requestIDLen is the length of AWS DynamoDB request ids (behaviours.md 15).
const requestIDLen = 52

// newRequestID returns a random 52-character upper-case alphanumeric id like
// RCKJ7SH45A9GFPLESGUARKBTFBVV4KQNSO5AEMVJF66Q9ASUAAJG. math/rand/v2's global
// source is per-thread and lock-free; ids need uniqueness, not secrecy.
func newRequestID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var b [requestIDLen]byte
	for i := 0; i < requestIDLen; {
		// 36^12 < 2^64: twelve characters per 64 random bits.
		x := rand.Uint64()
		for j := 0; j < 12 && i < requestIDLen; j++ {
			b[i] = alphabet[x%36]
			x /= 36
			i++
		}
	}
	return string(b[:])
}
