// Package jsonwire is the runtime half of the generated JSON codecs of
// internal/protocol and internal/protocol/streams (AppendJSON on outputs,
// DecodeJSON on inputs): string escaping (over jsontext) and number
// formatting exactly as encoding/json writes them, and a single-pass strict
// tokenizer.
//
// The generated codecs replace encoding/json on the hot path without
// changing a byte of output or a single decoded value: encoders are proved
// byte-identical to httpapi's encoding/json form (json_gen_test.go), and the
// decoder only ever answers "decoded exactly as encoding/json would" or
// "not sure" (see Decoder), never an error of its own. The package holds no
// state and must not import Petrel packages other than attr, apierr and
// jsontext.
package jsonwire

import (
	"encoding/base64"
	"errors"
	"math"
	"slices"
	"strconv"

	"github.com/petreldb/petrel/internal/jsontext"
)

// AppendString appends s as encoding/json writes a string with HTML escaping
// off (httpapi's encoder), \b and \f included. It differs from
// attr.AppendJSONString only there (jsontext.NamedBF vs jsontext.HexBF):
// AttributeValues have always gone out in attr's form (their MarshalJSON
// output is copied verbatim by encoding/json), and the other strings in
// encoding/json's, so both are kept.
func AppendString(dst []byte, s string) []byte {
	return jsontext.AppendString(dst, s, jsontext.NamedBF)
}

// ErrUnsupportedFloat is returned for NaN and ±Inf, which encoding/json
// refuses to encode too (UnsupportedValueError); httpapi answers both with
// a logged 500.
var ErrUnsupportedFloat = errors.New("json: unsupported value: NaN or Inf")

// AppendFloat appends f as encoding/json writes a float64: the shortest
// representation, in exponent form (e-7, not e-07) below 1e-6 and from 1e21.
func AppendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, ErrUnsupportedFloat
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// AppendBytes appends b as encoding/json writes a []byte: null when nil,
// else a standard base64 string.
func AppendBytes(dst, b []byte) []byte {
	if b == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, '"')
}

// SortedKeys returns m's keys in the order encoding/json writes map members
// (byte-wise string order).
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
