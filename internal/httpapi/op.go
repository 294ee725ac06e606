package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
)

// Operation serves one decoded operation: it reads the request body (already
// decompressed and size-checked) and appends the JSON response body to dst.
// An error is either an *apierr.Error, answered as is, or anything else,
// answered as a logged InternalServerError. body and dst are pooled buffers:
// an Operation must not keep references to them after it returns.
type Operation func(ctx context.Context, body, dst []byte) ([]byte, error)

// JSONAppender is implemented by output types that can encode themselves
// faster than encoding/json, byte for byte as appendJSON would (the
// generated protocol outputs; protocol's json_gen_test.go proves it). Op
// prefers it when *Out implements it.
type JSONAppender interface {
	AppendJSON(dst []byte) ([]byte, error)
}

// validator is implemented by the generated protocol inputs: the model's
// required/length/range/pattern/enum constraints.
type validator interface {
	Validate() error
}

// Op adapts a service method into an Operation: decode the body into In
// (with In's generated DecodeJSON, else encoding/json; errors are always
// encoding/json's, mapped to DynamoDB's SerializationException texts,
// errors.md B8-B13), run In's Validate() if it has one, call fn and encode
// *Out (with its AppendJSON if it implements JSONAppender).
//
// The generated codecs are used only on types that embed nothing: a
// hand-written input embedding a generated one (internal/streams adds members
// that way) would otherwise inherit a DecodeJSON or AppendJSON that ignores
// its own members.
func Op[In, Out any](fn func(context.Context, *In) (*Out, error)) Operation {
	ownIn, ownOut := !embeds(reflect.TypeFor[In]()), !embeds(reflect.TypeFor[Out]())
	return func(ctx context.Context, body, dst []byte) ([]byte, error) {
		in := new(In)
		var err error
		if ownIn {
			err = decodeInput(body, in)
		} else {
			err = Decode(body, in)
		}
		if err != nil {
			return dst, err
		}
		if v, ok := any(in).(validator); ok {
			if err := v.Validate(); err != nil {
				return dst, err
			}
		}
		out, err := fn(ctx, in)
		if err != nil {
			return dst, err
		}
		if out == nil {
			return append(dst, "{}"...), nil
		}
		if a, ok := any(out).(JSONAppender); ok && ownOut {
			return a.AppendJSON(dst)
		}
		return appendJSON(dst, out)
	}
}

// appendJSON appends the encoding/json form of v to dst, without HTML
// escaping (DynamoDB does not escape <, > and &) and without the trailing
// newline the Encoder adds.
func appendJSON(dst []byte, v any) ([]byte, error) {
	buf := bytes.NewBuffer(dst)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return dst, err
	}
	b := buf.Bytes()
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	return b, nil
}

// jsonDecoder is implemented by the generated protocol inputs: a
// reflection-free decoder that either decodes exactly as encoding/json would
// (true) or declines (false: errors, and rare constructs such as duplicate or
// case-folded member names), leaving the input partly filled.
type jsonDecoder interface {
	DecodeJSON(body []byte) bool
}

// embeds reports whether t is a struct with an embedded field, through
// which it may have inherited methods.
func embeds(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := range t.NumField() {
		if t.Field(i).Anonymous {
			return true
		}
	}
	return false
}

// decodeInput decodes a request body into in, a pointer to a zero input:
// with the generated DecodeJSON when in has one, else (and whenever it
// declines) with Decode, after resetting in. Errors therefore always come
// from Decode; decode_diff_test.go proves the fast path equivalent.
func decodeInput(body []byte, in any) error {
	if d, ok := in.(jsonDecoder); ok {
		if d.DecodeJSON(body) {
			return nil
		}
		reflect.ValueOf(in).Elem().SetZero()
	}
	return Decode(body, in)
}

// Serialization messages. The type-mismatch texts are the ones AWS sends
// (errors.md B8-B13); the malformed-JSON text is not documented, so it is
// ours, in the same spirit.
const (
	msgMalformed  = "Malformed JSON: the request body is not a valid JSON document"
	msgStartMap   = "Start of structure or map found where not expected"
	msgStartList  = "Start of list found where not expected"
	msgFieldType  = "Unexpected field type"
	msgNotAnInput = "Unexpected request body"
)

// Decode unmarshals a request body into in, mapping every failure to the
// client-visible error DynamoDB would send. An empty body decodes as {}.
func Decode(body []byte, in any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	err := json.Unmarshal(body, in)
	if err == nil {
		return nil
	}
	return decodeError(err)
}

// decodeError maps an encoding/json error to DynamoDB's SerializationException.
// An *apierr.Error from an UnmarshalJSON method (attr's AttributeValue
// checks) passes through unchanged.
func decodeError(err error) error {
	if e, ok := apierr.As(err); ok {
		return e
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) {
		return apierr.Serialization(msgMalformed)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return apierr.Serialization(typeMismatch(te.Value, te.Type))
	}
	// Anything else (an UnmarshalJSON method's plain error, bad base64 in a
	// blob member) is still caused by the body alone.
	return apierr.Serialization(msgNotAnInput)
}

// typeMismatch picks DynamoDB's message for a JSON value of kind value
// ("string", "number", "number 1.5", "object", "array", "bool") found where
// a Go value of type t was expected.
func typeMismatch(value string, t reflect.Type) string {
	kind, _, _ := strings.Cut(value, " ")
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	target := targetKind(t)
	switch kind {
	case "object":
		return msgStartMap
	case "array":
		return msgStartList
	}
	if target == "structure" || target == "list" || target == "map" {
		// A scalar where a structure, list or map was expected.
		return msgFieldType
	}
	switch kind {
	case "number":
		return "NUMBER_VALUE cannot be converted to " + target
	case "string":
		if target == "Long" || target == "Integer" {
			// errors.md B13, AWS's wording for a string where a number goes.
			return "class java.lang.String can not be converted to an " + target
		}
		return "STRING_VALUE cannot be converted to " + target
	case "bool":
		return "BOOLEAN_VALUE cannot be converted to " + target
	}
	return msgFieldType
}

// targetKind names a Go type the way the service's (Java) deserializer names
// the member type in its messages.
func targetKind(t reflect.Type) string {
	if t == nil {
		return "structure"
	}
	switch t.Kind() {
	case reflect.String:
		return "String"
	case reflect.Bool:
		return "Boolean"
	case reflect.Int64, reflect.Uint64, reflect.Int, reflect.Uint:
		return "Long"
	case reflect.Int32, reflect.Int16, reflect.Int8, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		return "Integer"
	case reflect.Float32, reflect.Float64:
		return "Double"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "ByteBuffer" // a blob: base64 string on the wire
		}
		return "list"
	case reflect.Map:
		return "map"
	}
	return "structure"
}
