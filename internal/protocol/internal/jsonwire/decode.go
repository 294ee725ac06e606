package jsonwire

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/jsontext"
)

// maxDepth bounds the nesting the Decoder follows. encoding/json rejects
// documents nested deeper than 10000; anything past maxDepth is left to it.
const maxDepth = 512

// Decoder is the single-pass strict tokenizer behind the generated
// DecodeJSON methods. It accepts exactly the JSON grammar encoding/json's
// scanner accepts and decodes values as encoding/json's reflective decoder
// would into the generated structs.
//
// It never reports an error of its own. Whenever the input is not valid
// JSON, does not fit the target type, makes attr report an error, or uses a
// construct whose encoding/json semantics the generated code does not
// reproduce (duplicate or case-folded member names, non-ASCII unknown member
// names, fractional or overflowing integers, nesting past maxDepth, a
// top-level null), it stops ("bails"); the generated DecodeJSON then returns
// false and the caller decodes the same body with encoding/json, which
// produces the error (or the rare success) itself. So errors are
// encoding/json's by construction, and the fast path only has to be right
// on what it accepts (proved by httpapi's differential fuzz test).
//
// The body is copied once into a string; decoded strings, attribute names
// and S/N payloads are substrings of it.
type Decoder struct {
	s     string
	i     int
	depth int
	bail  bool
	// Key is the member name read by the last NextKey.
	Key string
}

// NewDecoder returns a Decoder over a copy of body.
func NewDecoder(body []byte) Decoder { return Decoder{s: string(body)} }

// Bail gives up: every later call is a no-op and End reports false.
func (d *Decoder) Bail() {
	d.bail = true
	d.i = len(d.s)
}

// End reports whether the whole body was decoded: no bail and nothing but
// white space after the top-level value.
func (d *Decoder) End() bool {
	return !d.bail && d.peek() == 0 && d.i == len(d.s)
}

func (d *Decoder) peek() byte {
	for d.i < len(d.s) {
		switch c := d.s[d.i]; c {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return c
		}
	}
	return 0
}

// Null consumes a null literal if one is next. It also reports true after a
// bail, so that callers skip decoding.
func (d *Decoder) Null() bool {
	switch d.peek() {
	case 'n':
		d.literal("null")
		return true
	case 0:
		d.Bail()
		return true
	}
	return d.bail
}

func (d *Decoder) literal(word string) {
	if strings.HasPrefix(d.s[d.i:], word) {
		d.i += len(word)
		return
	}
	d.Bail()
}

// ObjectStart consumes the '{' of an object; any other value bails.
func (d *Decoder) ObjectStart() bool { return d.open('{') }

// ArrayStart consumes the '[' of an array; any other value bails.
func (d *Decoder) ArrayStart() bool { return d.open('[') }

// NextKey reads the next member name of the object opened by ObjectStart
// into Key and consumes the ':'; n is the number of members read so far. It
// returns false after consuming the closing '}' (or on a bail).
func (d *Decoder) NextKey(n int) bool {
	if !d.next('}', n) {
		return false
	}
	if d.peek() != '"' {
		d.Bail()
		return false
	}
	d.Key = d.String()
	if d.peek() != ':' {
		d.Bail()
		return false
	}
	d.i++
	return !d.bail
}

// NextElem reports whether another element follows in the array opened by
// ArrayStart (consuming the ',' before it); n is the number of elements read
// so far. It returns false after consuming the closing ']' (or on a bail).
func (d *Decoder) NextElem(n int) bool {
	if !d.next(']', n) {
		return false
	}
	if d.peek() == 0 {
		d.Bail()
	}
	return !d.bail
}

// open consumes the opening byte c of an object or array.
func (d *Decoder) open(c byte) bool {
	if d.peek() != c || d.depth >= maxDepth {
		d.Bail()
		return false
	}
	d.i++
	d.depth++
	return true
}

// next consumes the closing byte end (returning false) or, after the first
// of the n elements read, the ',' before the next one (returning true).
func (d *Decoder) next(end byte, n int) bool {
	c := d.peek()
	if c == end {
		d.i++
		d.depth--
		return false
	}
	if n > 0 {
		if c != ',' {
			d.Bail()
			return false
		}
		d.i++
	}
	return true
}

// Seen marks member bit as read and reports whether it already was (a
// duplicate member: encoding/json merges those into the first value, so the
// Decoder bails and reports true).
func (d *Decoder) Seen(seen *uint64, bit uint) bool {
	if *seen&(1<<bit) != 0 {
		d.Bail()
		return true
	}
	*seen |= 1 << bit
	return d.bail
}

// Unknown skips the value of a member that matches none of fields exactly.
// encoding/json would still match it case-insensitively (with Unicode
// folding), so a name that folds to one of fields, or any non-ASCII name,
// bails.
func (d *Decoder) Unknown(fields ...string) {
	for i := 0; i < len(d.Key); i++ {
		if d.Key[i] >= utf8.RuneSelf {
			d.Bail()
			return
		}
	}
	for _, f := range fields {
		if strings.EqualFold(d.Key, f) {
			d.Bail()
			return
		}
	}
	d.Skip()
}

// String decodes a JSON string as encoding/json unquotes it (invalid UTF-8
// and unpaired surrogates become U+FFFD). Any other value bails.
func (d *Decoder) String() string {
	if d.peek() != '"' {
		d.Bail()
		return ""
	}
	v, end, ok := jsontext.ReadString(d.s, d.i+1)
	if !ok {
		d.Bail()
		return ""
	}
	d.i = end
	return v
}

// number consumes a number literal following JSON's grammar exactly
// (-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?) and reports whether it is
// an integer literal (no fraction or exponent).
func (d *Decoder) number() (lit string, integer bool) {
	start := d.i
	s := d.s
	i := d.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		d.Bail()
		return "", false
	}
	integer = true
	if i < len(s) && s[i] == '.' {
		integer = false
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			d.Bail()
			return "", false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		integer = false
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			d.Bail()
			return "", false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	d.i = i
	return s[start:i], integer
}

// Int64 decodes an integer number. Fractions, exponents and out-of-range
// values (encoding/json's UnmarshalTypeError) and non-numbers bail.
func (d *Decoder) Int64() int64 {
	if c := d.peek(); c != '-' && (c < '0' || c > '9') {
		d.Bail()
		return 0
	}
	lit, integer := d.number()
	if !integer {
		d.Bail()
		return 0
	}
	n, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		d.Bail()
		return 0
	}
	return n
}

// Int32 is Int64 for an int32 member.
func (d *Decoder) Int32() int32 {
	n := d.Int64()
	if n != int64(int32(n)) {
		d.Bail()
		return 0
	}
	return int32(n)
}

// Float64 decodes a number as encoding/json does into a float64
// (strconv.ParseFloat; out-of-range values bail).
func (d *Decoder) Float64() float64 {
	if c := d.peek(); c != '-' && (c < '0' || c > '9') {
		d.Bail()
		return 0
	}
	lit, _ := d.number()
	if d.bail {
		return 0
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		d.Bail()
		return 0
	}
	return f
}

// Bool decodes true or false; anything else bails.
func (d *Decoder) Bool() bool {
	switch d.peek() {
	case 't':
		d.literal("true")
		return true
	case 'f':
		d.literal("false")
		return false
	}
	d.Bail()
	return false
}

// Bytes decodes a base64 string into a blob as encoding/json does.
func (d *Decoder) Bytes() []byte {
	s := d.String()
	if d.bail {
		return nil
	}
	b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(b, []byte(s))
	if err != nil {
		d.Bail()
		return nil
	}
	return b[:n]
}

// raw skips one value and returns its text, as encoding/json hands it to an
// UnmarshalJSON method (no surrounding white space).
func (d *Decoder) raw() string {
	d.peek()
	start := d.i
	d.Skip()
	return d.s[start:d.i]
}

// Value decodes an AttributeValue with attr (any JSON value goes to attr, as
// to attr.Value's UnmarshalJSON); an attr error bails.
func (d *Decoder) Value() attr.Value {
	s := d.raw()
	if d.bail {
		return attr.Value{}
	}
	v, err := attr.ParseValueString(s)
	if err != nil {
		d.Bail()
	}
	return v
}

// Item decodes a map of AttributeValues with attr; an attr error bails.
func (d *Decoder) Item() attr.Item {
	s := d.raw()
	if d.bail {
		return nil
	}
	it, err := attr.ParseItemString(s)
	if err != nil {
		d.Bail()
	}
	return it
}

// Skip consumes one value of any kind, validating it strictly.
func (d *Decoder) Skip() {
	switch d.peek() {
	case '{':
		if !d.ObjectStart() {
			return
		}
		for n := 0; d.NextKey(n); n++ {
			d.Skip()
		}
	case '[':
		if !d.ArrayStart() {
			return
		}
		for n := 0; d.NextElem(n); n++ {
			d.Skip()
		}
	case '"':
		_ = d.String() // validated and consumed; the value is not needed
	case 't':
		d.literal("true")
	case 'f':
		d.literal("false")
	case 'n':
		d.literal("null")
	default:
		d.number()
	}
}
