package attr

import (
	"encoding/base64"
	"slices"
	"unicode/utf8"
)

// DynamoDB-JSON encoding, written by hand (no reflection) because every read
// response goes through it. Map members are written in sorted name order so
// responses are deterministic.

// MarshalJSON encodes v as a DynamoDB-JSON AttributeValue.
func (v Value) MarshalJSON() ([]byte, error) { return AppendJSON(nil, v), nil }

// MarshalJSON encodes it as a DynamoDB-JSON item.
func (it Item) MarshalJSON() ([]byte, error) { return AppendItemJSON(nil, it), nil }

// AppendJSON appends the DynamoDB-JSON encoding of v ({"S":"x"}, ...) to dst.
// An invalid placeholder (never stored) encodes as {}.
func AppendJSON(dst []byte, v Value) []byte {
	switch v.Type {
	case S:
		dst = append(dst, `{"S":`...)
		dst = AppendJSONString(dst, v.Str)
	case N:
		dst = append(dst, `{"N":"`...)
		dst = append(dst, v.Str...) // canonical numbers need no escaping
		dst = append(dst, '"')
	case B:
		dst = append(dst, `{"B":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, v.Bytes)
		dst = append(dst, '"')
	case BOOL:
		if v.Bool {
			dst = append(dst, `{"BOOL":true`...)
		} else {
			dst = append(dst, `{"BOOL":false`...)
		}
	case NULL:
		dst = append(dst, `{"NULL":true`...)
	case M:
		dst = append(dst, `{"M":`...)
		dst = appendMembers(dst, v.Map)
	case L:
		dst = append(dst, `{"L":[`...)
		for i, e := range v.List {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSON(dst, e)
		}
		dst = append(dst, ']')
	case SS:
		dst = append(dst, `{"SS":[`...)
		for i, e := range v.Strs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, e)
		}
		dst = append(dst, ']')
	case NS:
		dst = append(dst, `{"NS":[`...)
		for i, e := range v.Strs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '"')
			dst = append(dst, e...)
			dst = append(dst, '"')
		}
		dst = append(dst, ']')
	case BS:
		dst = append(dst, `{"BS":[`...)
		for i, e := range v.BytesSet {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '"')
			dst = base64.StdEncoding.AppendEncode(dst, e)
			dst = append(dst, '"')
		}
		dst = append(dst, ']')
	default:
		return append(dst, '{', '}')
	}
	return append(dst, '}')
}

// AppendItemJSON appends the DynamoDB-JSON encoding of it ({"a":{"S":"x"}})
// to dst. A nil item encodes as {}.
func AppendItemJSON(dst []byte, it Item) []byte { return appendMembers(dst, it) }

func appendMembers(dst []byte, m map[string]Value) []byte {
	dst = append(dst, '{')
	var buf [16]string
	names := buf[:0]
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	for i, k := range names {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendJSONString(dst, k)
		dst = append(dst, ':')
		dst = AppendJSON(dst, m[k])
	}
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string (also used for error bodies). Like encoding/json it escapes
// control characters, U+2028/U+2029, and replaces invalid UTF-8 with U+FFFD;
// unlike it, '<', '>' and '&' are left alone (AWS does not escape them).
func AppendJSONString(dst []byte, s string) []byte {
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
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
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
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
