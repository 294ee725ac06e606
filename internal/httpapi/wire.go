package httpapi

import (
	"math/rand/v2"
	"slices"
	"unicode/utf8"

	"github.com/petreldb/petrel/internal/apierr"
)

// AppendError appends DynamoDB's error body for e to dst:
// {"__type":"<namespace>#<Code>","message":"<text>"} followed by e.Fields in
// key order. AWS spells the key "message" in lower case (errors.md, "How
// errors look on the wire"); SDKs accept both spellings.
func AppendError(dst []byte, e *apierr.Error) ([]byte, error) {
	dst = append(dst, `{"__type":`...)
	dst = appendString(dst, e.Type())
	dst = append(dst, `,"message":`...)
	dst = appendString(dst, e.Message)
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			if k != "__type" && k != "message" {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			dst = append(dst, ',')
			dst = appendString(dst, k)
			dst = append(dst, ':')
			var err error
			if dst, err = appendJSON(dst, e.Fields[k]); err != nil {
				return dst, err
			}
		}
	}
	return append(dst, '}'), nil
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as
// encoding/json does; <, > and & are not escaped (DynamoDB does not).
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
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
