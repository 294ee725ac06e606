package attr

import (
	"bytes"
	"encoding/base64"
	"slices"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/jsontext"
)

// DynamoDB-JSON decoding: a hand-written scanner over one string copy of the
// input, so that attribute names and S/N values are substrings of a single
// allocation. See validate.go for which checks happen here (only
// SerializationExceptions) and which are deferred to ValidateItem.

// SerializationException texts (errors.md B8..B12). The wording for booleans
// and for "true"/"false" where a string belongs is not documented; it follows
// the documented NUMBER_VALUE form.
const (
	serStructure = "Start of structure or map found where not expected"
	serList      = "Start of list found where not expected"
	serFieldType = "Unexpected field type"
	serMalformed = "Malformed JSON"
	// Base64 texts are not in errors.md; these follow the Java decoder that
	// AWS's SerializationException reports quote.
	serBase64Len  = "Base64 encoded length is expected a multiple of 4 bytes but found: "
	serBase64Char = "Invalid Base64 character in binary value"
)

type decoder struct {
	s   string
	i   int
	err *apierr.Error // first serialization error; decoding stops there
}

// UnmarshalJSON decodes one DynamoDB-JSON AttributeValue. It fails only with a
// SerializationException (*apierr.Error); values breaking DynamoDB's value
// rules decode into placeholders reported by ValidateValue. A JSON null
// decodes to the zero Value ("Supplied AttributeValue is empty").
func (v *Value) UnmarshalJSON(b []byte) error {
	d := decoder{s: string(b)}
	*v = d.value(0)
	d.end()
	if d.err != nil {
		*v = Value{}
		return d.err
	}
	return nil
}

// UnmarshalJSON decodes a DynamoDB-JSON item (an object of attribute name to
// AttributeValue), with the same error split as Value.UnmarshalJSON. A JSON
// null leaves a nil Item.
func (it *Item) UnmarshalJSON(b []byte) error {
	d := decoder{s: string(b)}
	m := d.item()
	d.end()
	if d.err != nil {
		return d.err
	}
	*it = m
	return nil
}

// ParseItem decodes a DynamoDB-JSON item; see Item.UnmarshalJSON.
func ParseItem(b []byte) (Item, error) {
	var it Item
	err := it.UnmarshalJSON(b)
	return it, err
}

// ParseValue decodes a DynamoDB-JSON AttributeValue; see Value.UnmarshalJSON.
func ParseValue(b []byte) (Value, error) {
	var v Value
	err := v.UnmarshalJSON(b)
	return v, err
}

// ParseValueString is ParseValue over s without copying it: attribute names
// and S/N payloads of the result may be substrings of s. (protocol's
// generated decoders hold the whole request body as one string.)
func ParseValueString(s string) (Value, error) {
	d := decoder{s: s}
	v := d.value(0)
	d.end()
	if d.err != nil {
		return Value{}, d.err
	}
	return v, nil
}

// ParseItemString is ParseItem over s without copying it; see
// ParseValueString.
func ParseItemString(s string) (Item, error) {
	d := decoder{s: s}
	m := d.item()
	d.end()
	if d.err != nil {
		return nil, d.err
	}
	return m, nil
}

func (d *decoder) fail(msg string) {
	if d.err == nil {
		d.err = apierr.Serialization(msg)
	}
	d.i = len(d.s)
}

func (d *decoder) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) peek() byte {
	d.ws()
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

func (d *decoder) end() {
	if d.err == nil && d.peek() != 0 {
		d.fail(serMalformed)
	}
}

// expect consumes byte c (after white space) or fails.
func (d *decoder) expect(c byte) bool {
	if d.peek() != c {
		d.fail(serMalformed)
		return false
	}
	d.i++
	return true
}

// literal consumes "null", "true" or "false".
func (d *decoder) literal(word string) bool {
	if len(d.s)-d.i >= len(word) && d.s[d.i:d.i+len(word)] == word {
		d.i += len(word)
		return true
	}
	d.fail(serMalformed)
	return false
}

// isNull consumes a null literal if one is next.
func (d *decoder) isNull() bool {
	if d.peek() == 'n' {
		return d.literal("null")
	}
	return false
}

// item decodes an object of AttributeValues (an Item or an M payload).
func (d *decoder) item() Item {
	switch d.peek() {
	case 'n':
		d.literal("null")
		return nil
	case '{':
	case '[':
		d.fail(serList)
		return nil
	default:
		d.fail(serFieldType)
		return nil
	}
	return d.members(0)
}

// members decodes {"name": AttributeValue, ...}; depth is the number of L/M
// layers around the member values.
func (d *decoder) members(depth int) map[string]Value {
	d.i++ // '{'
	m := make(map[string]Value)
	if d.peek() == '}' {
		d.i++
		return m
	}
	for d.err == nil {
		k := d.str()
		if !d.expect(':') {
			break
		}
		m[k] = d.value(depth)
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return m
		default:
			d.fail(serMalformed)
		}
	}
	return m
}

// value decodes one AttributeValue object; depth is the number of L/M layers
// around it.
func (d *decoder) value(depth int) Value {
	switch d.peek() {
	case '{':
		d.i++
	case 'n':
		d.literal("null")
		return Value{}
	case '[':
		d.fail(serList)
		return Value{}
	default:
		d.fail(serFieldType)
		return Value{}
	}
	var v Value
	var set uint16 // bit per Type seen with a non-null payload
	if d.peek() == '}' {
		d.i++
		return Value{}
	}
	for d.err == nil {
		key := d.str()
		if !d.expect(':') {
			break
		}
		t := typeOfKey(key)
		switch {
		case t == TypeInvalid:
			d.skip() // unknown members are ignored (errors.md B2)
		case d.isNull():
			// {"S": null} sets nothing (errors.md B3)
		default:
			set |= 1 << t
			v = d.payload(t, depth)
		}
		switch d.peek() {
		case ',':
			d.i++
			continue
		case '}':
			d.i++
		default:
			d.fail(serMalformed)
		}
		break
	}
	switch {
	case d.err != nil || set == 0:
		return Value{}
	case set&(set-1) != 0:
		return invalid(msgMultiAV)
	}
	return v
}

func typeOfKey(k string) Type {
	switch k {
	case "S":
		return S
	case "N":
		return N
	case "B":
		return B
	case "BOOL":
		return BOOL
	case "NULL":
		return NULL
	case "M":
		return M
	case "L":
		return L
	case "SS":
		return SS
	case "NS":
		return NS
	case "BS":
		return BS
	}
	return TypeInvalid
}

// payload decodes the member value of type t (not null).
func (d *decoder) payload(t Type, depth int) Value {
	switch t {
	case S:
		if s, ok := d.stringMember(); ok {
			return Str(s)
		}
	case N:
		if s, ok := d.stringMember(); ok {
			return number(s)
		}
	case B:
		if s, ok := d.stringMember(); ok {
			if b, ok := d.base64(s); ok {
				return Bin(b)
			}
		}
	case BOOL, NULL:
		if b, ok := d.boolMember(); ok {
			if t == BOOL {
				return Boolean(b)
			}
			if !b {
				return invalid(msgNullFalse)
			}
			return Null()
		}
	case M:
		if !d.containerStart('{') {
			return Value{}
		}
		if depth >= MaxNestingLevels {
			d.skip()
			return invalid(msgNesting)
		}
		m := d.members(depth + 1)
		return Value{Type: M, Map: m}
	case L:
		if !d.containerStart('[') {
			return Value{}
		}
		if depth >= MaxNestingLevels {
			d.skip()
			return invalid(msgNesting)
		}
		return d.list(depth + 1)
	case SS, NS, BS:
		if !d.containerStart('[') {
			return Value{}
		}
		return d.set(t)
	}
	return Value{}
}

func number(s string) Value {
	n, e := parseNum(s)
	if e != numOK {
		return invalid(e.message())
	}
	var buf [maxCanonLen + 8]byte
	out := n.appendCanonical(buf[:0])
	if string(out) == s {
		return Num(s)
	}
	return Num(string(out))
}

// containerStart checks (without consuming) that the next token opens the
// expected container, failing with DynamoDB's text otherwise.
func (d *decoder) containerStart(open byte) bool {
	c := d.peek()
	if c == open {
		return true
	}
	switch c {
	case '{':
		d.fail(serStructure)
	case '[':
		d.fail(serList)
	default:
		d.fail(serFieldType)
	}
	return false
}

// stringMember decodes a JSON string where DynamoDB expects a string.
func (d *decoder) stringMember() (string, bool) {
	switch d.peek() {
	case '"':
		s := d.str()
		return s, d.err == nil
	case '{':
		d.fail(serStructure)
	case '[':
		d.fail(serList)
	case 't':
		d.fail("TRUE_VALUE cannot be converted to String")
	case 'f':
		d.fail("FALSE_VALUE cannot be converted to String")
	default:
		d.fail("NUMBER_VALUE cannot be converted to String")
	}
	return "", false
}

// boolMember decodes a JSON boolean where DynamoDB expects one.
func (d *decoder) boolMember() (bool, bool) {
	switch d.peek() {
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case '{':
		d.fail(serStructure)
	case '[':
		d.fail(serList)
	case '"':
		d.fail("STRING_VALUE cannot be converted to Boolean")
	default:
		d.fail("NUMBER_VALUE cannot be converted to Boolean")
	}
	return false, false
}

func (d *decoder) base64(s string) ([]byte, bool) {
	if len(s)%4 != 0 {
		d.fail(serBase64Len + itoa(len(s)))
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		d.fail(serBase64Char)
		return nil, false
	}
	return b, true
}

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(buf[i:])
}

// list decodes [AttributeValue, ...]; depth counts the list itself.
func (d *decoder) list(depth int) Value {
	d.i++ // '['
	l := make([]Value, 0, 4)
	if d.peek() == ']' {
		d.i++
		return Value{Type: L, List: l}
	}
	for d.err == nil {
		l = append(l, d.value(depth))
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return Value{Type: L, List: l}
		default:
			d.fail(serMalformed)
		}
	}
	return Value{}
}

// set decodes the array of an SS, NS or BS. Null elements are dropped.
func (d *decoder) set(t Type) Value {
	start := d.i
	d.i++ // '['
	var strs []string
	var bins [][]byte
	var bad string // first invalid number
	n := 0
	if d.peek() == ']' {
		d.i++
	} else {
		for d.err == nil {
			if !d.isNull() {
				s, ok := d.stringMember()
				if !ok {
					return Value{}
				}
				switch t {
				case SS:
					strs = append(strs, s)
				case NS:
					v := number(s)
					if v.Type == TypeInvalid && bad == "" {
						bad = v.Str
					}
					strs = append(strs, v.Str)
				case BS:
					b, ok := d.base64(s)
					if !ok {
						return Value{}
					}
					bins = append(bins, b)
				}
				n++
			}
			switch d.peek() {
			case ',':
				d.i++
				continue
			case ']':
				d.i++
			default:
				d.fail(serMalformed)
			}
			break
		}
	}
	if d.err != nil {
		return Value{}
	}
	switch t {
	case SS:
		if n == 0 {
			return invalid(msgEmptySS)
		}
		slices.Sort(strs)
		if hasDupStrings(strs) {
			return invalid(dupSSMessage(d.rescanStrings(start)))
		}
		return Value{Type: SS, Strs: strs}
	case NS:
		if n == 0 {
			return invalid(msgEmptyNS)
		}
		if bad != "" {
			return invalid(bad)
		}
		sortNumbers(strs)
		if hasDupStrings(strs) {
			return invalid(msgDupNS)
		}
		return Value{Type: NS, Strs: strs}
	default:
		if n == 0 {
			return invalid(msgEmptyBS)
		}
		slices.SortFunc(bins, bytes.Compare)
		if hasDupBytes(bins) {
			return invalid(msgDupBS)
		}
		return Value{Type: BS, BytesSet: bins}
	}
}

// rescanStrings re-reads the string array at start in request order (only
// needed for the duplicate-SS message, which lists the set as sent).
func (d *decoder) rescanStrings(start int) []string {
	r := decoder{s: d.s, i: start + 1}
	var out []string
	for r.err == nil && r.peek() != ']' {
		if !r.isNull() {
			out = append(out, r.str())
		}
		if r.peek() == ',' {
			r.i++
		}
	}
	return out
}

// str decodes a JSON string at the current position.
func (d *decoder) str() string {
	if d.peek() != '"' {
		d.fail(serMalformed)
		return ""
	}
	v, end, ok := jsontext.ReadString(d.s, d.i+1)
	if !ok {
		d.fail(serMalformed)
		return ""
	}
	d.i = end
	return v
}

// skip consumes one JSON value of any kind without recursion.
func (d *decoder) skip() {
	depth := 0
	for d.err == nil {
		switch c := d.peek(); c {
		case '{', '[':
			d.i++
			depth++
			if p := d.peek(); p == '}' || p == ']' {
				d.i++
				depth--
			} else if c == '{' {
				d.str()
				d.expect(':')
				continue
			} else {
				continue
			}
		case '"':
			d.str()
		case 't':
			d.literal("true")
		case 'f':
			d.literal("false")
		case 'n':
			d.literal("null")
		default:
			if !d.skipNumber() {
				d.fail(serMalformed)
				return
			}
		}
		// after a complete value: close containers or move to the next element
		for depth > 0 {
			p := d.peek()
			if p == '}' || p == ']' {
				d.i++
				depth--
				continue
			}
			if p == ',' {
				d.i++
				// object members need their name first; we do not track
				// which container kind is open, so accept a name if present.
				if d.peek() == '"' {
					save := d.i
					d.str()
					if d.peek() == ':' {
						d.i++
					} else {
						d.i = save
					}
				}
				break
			}
			d.fail(serMalformed)
			return
		}
		if depth == 0 {
			return
		}
	}
}

func (d *decoder) skipNumber() bool {
	start := d.i
	for d.i < len(d.s) {
		c := d.s[d.i]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			d.i++
			continue
		}
		break
	}
	return d.i > start
}
