package attr

import (
	"encoding/base64"
	"slices"

	"github.com/petreldb/petrel/internal/jsontext"
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

// AppendJSONString appends s as a JSON string (also used for error bodies),
// escaped as jsontext.AppendString describes ('<', '>' and '&' left alone:
// AWS does not escape them) with \b and \f written as \u0008 and \u000c,
// the form AttributeValues have always gone out in (jsontext.HexBF).
func AppendJSONString(dst []byte, s string) []byte {
	return jsontext.AppendString(dst, s, jsontext.HexBF)
}
