// Package constraint is the runtime half of the generated model-constraint
// validation in internal/protocol and internal/protocol/streams: member paths,
// value rendering and the "N validation error(s) detected" message.
//
// The generated Validate methods call these helpers only after a check has
// failed, so a valid request allocates nothing. The package holds no state
// and must not import Petrel packages other than attr and apierr.
package constraint

import (
	"encoding/base64"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

// Path is one step of a member path, linked to its parent. Generated code
// builds paths on the stack and renders them with String only on failure.
type Path struct {
	Parent *Path
	// Name is the lower-camel member name of a structure member step.
	Name string
	// Index, when > 0, makes this step a list element: "<parent>.<Index>.member".
	Index int
	// Key, when IsKey, makes this step a map value: "<parent>.<Key>.member".
	Key   string
	IsKey bool
}

// String renders the path as DynamoDB does: "transactItems.1.member.put.tableName".
//
// It copies bytes instead of keeping the steps' strings so that escape
// analysis sees no pointer into the path leak: generated code can then keep
// its paths on the stack and a valid request allocates nothing.
func (p *Path) String() string {
	var b []byte
	for q := p; q != nil; q = q.Parent {
		var seg []byte
		switch {
		case q.Index > 0:
			seg = append(strconv.AppendInt(nil, int64(q.Index), 10), ".member"...)
		case q.IsKey:
			// Unverified against AWS: map values are rendered like list
			// elements, with the key in place of the index.
			seg = append(append(seg, q.Key...), ".member"...)
		default:
			seg = append(seg, q.Name...)
		}
		if len(b) > 0 {
			seg = append(seg, '.')
		}
		b = append(seg, b...)
	}
	return string(b)
}

// Null appends the "Member must not be null" error for a missing member.
func Null(errs []string, p *Path) []string {
	return append(errs, "Value null at '"+p.String()+"' failed to satisfy constraint: Member must not be null")
}

// Fail appends a constraint violation of value v at p. v is rendered with
// Render; msg is the constraint phrase ("Member must have length ...").
func Fail(errs []string, v any, p *Path, msg string) []string {
	return append(errs, "Value "+quote(v)+" at '"+p.String()+"' failed to satisfy constraint: "+msg)
}

// Error turns the collected messages into DynamoDB's ValidationException, or
// returns nil when there are none.
func Error(errs []string) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return apierr.Validation("1 validation error detected: " + errs[0])
	}
	return apierr.Validation(strconv.Itoa(len(errs)) + " validation errors detected: " + strings.Join(errs, "; "))
}

// Len returns the length of s as DynamoDB's model validation counts it: in
// UTF-16 code units (Java String.length), which equals the byte length for
// ASCII.
func Len(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			n := 0
			for _, r := range s {
				n++
				if r > 0xFFFF {
					n++
				}
			}
			return n
		}
	}
	return len(s)
}

// IsName reports whether s matches the model's most common pattern,
// [a-zA-Z0-9_.-]+ (table, index and backup names), without a regexp.
func IsName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// IsARN reports whether a TableName-typed value is to be read as a table ARN
// rather than a table name. DynamoDB accepts a table ARN
// (arn:aws:dynamodb:<region>:<account>:table/<name>, up to 1024 characters)
// wherever a table name is accepted; the 2022 model predates that and still
// says 3-255 characters of [a-zA-Z0-9_.-]+. The generated code therefore
// checks only the 1024 maximum for values starting with "arn:" and leaves
// parsing the ARN to the operation.
func IsARN(s string) bool { return strings.HasPrefix(s, "arn:") }

// quote renders v for the "Value '<v>'" part: null without quotes,
// everything else in single quotes.
func quote(v any) string {
	s, null := render(reflect.ValueOf(v))
	if null {
		return "null"
	}
	return "'" + s + "'"
}

// Render renders a value the way the message shows it: strings verbatim,
// numbers in decimal, lists as [a, b], maps as {k=v, ...} and structures as
// {Member: v,Member: v} (AWS uses Java's rendering there, which clients must
// not depend on).
func Render(v any) string {
	s, null := render(reflect.ValueOf(v))
	if null {
		return "null"
	}
	return s
}

var valueType = reflect.TypeFor[attr.Value]()

func render(v reflect.Value) (string, bool) {
	if !v.IsValid() {
		return "", true
	}
	if v.Type() == valueType {
		return renderAttr(v.Interface().(attr.Value)), false
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", true
		}
		return render(v.Elem())
	case reflect.String:
		return v.String(), false
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), false
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), false
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64), false
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return base64.StdEncoding.EncodeToString(v.Bytes()), false
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = Render(v.Index(i).Interface())
		}
		return "[" + strings.Join(parts, ", ") + "]", false
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k.String() + "=" + Render(v.MapIndex(k).Interface())
		}
		return "{" + strings.Join(parts, ", ") + "}", false
	case reflect.Struct:
		var b strings.Builder
		b.WriteByte('{')
		t := v.Type()
		first := true
		for i := range t.NumField() {
			f := v.Field(i)
			if !t.Field(i).IsExported() || f.IsZero() {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(t.Field(i).Name + ": " + Render(f.Interface()))
		}
		b.WriteByte('}')
		return b.String(), false
	}
	return "", true
}

func renderAttr(a attr.Value) string {
	var body string
	switch a.Type {
	case attr.S, attr.N:
		body = a.Str
	case attr.B:
		body = base64.StdEncoding.EncodeToString(a.Bytes)
	case attr.BOOL:
		body = strconv.FormatBool(a.Bool)
	case attr.NULL:
		body = "true"
	case attr.M:
		body = Render(a.Map)
	case attr.L:
		body = Render(a.List)
	case attr.SS, attr.NS:
		body = Render(a.Strs)
	case attr.BS:
		body = Render(a.BytesSet)
	}
	return "{" + a.Type.String() + ": " + body + ",}"
}
