package attr

// Type is a DynamoDB attribute value type.
//
// Persisted: the numeric values appear in the binary item codec; do not reorder.
type Type uint8

// The DynamoDB data types.
const (
	TypeInvalid Type = iota
	S
	N
	B
	BOOL
	NULL
	M
	L
	SS
	NS
	BS
)

var typeNames = [...]string{"", "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}

// String returns the DynamoDB type descriptor ("S", "N", "SS", ...).
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return ""
}

// TypeFromString maps a descriptor ("S", "NS", ...) to its Type, or TypeInvalid.
func TypeFromString(s string) Type {
	for i, n := range typeNames {
		if i > 0 && n == s {
			return Type(i)
		}
	}
	return TypeInvalid
}

// Value is one attribute value. Exactly the fields of its Type are used:
//
//	S     -> Str
//	N     -> Str, always in canonical form (see CanonicalNumber)
//	B     -> Bytes
//	BOOL  -> Bool
//	NULL  -> (nothing; a NULL is always true)
//	M     -> Map
//	L     -> List
//	SS,NS -> Strs (NS elements canonical)
//	BS    -> BytesSet
//
// Values are treated as immutable once built: code that changes an item
// copies the parts it changes.
type Value struct {
	Type     Type
	Bool     bool
	Str      string
	Bytes    []byte
	Map      map[string]Value
	List     []Value
	Strs     []string
	BytesSet [][]byte
}

// Item is a whole item (or key): attribute name to value.
type Item map[string]Value

// Constructors for the scalar types.

// Str returns an S value.
func Str(s string) Value { return Value{Type: S, Str: s} }

// Num returns an N value; s must already be canonical.
func Num(s string) Value { return Value{Type: N, Str: s} }

// Bin returns a B value.
func Bin(b []byte) Value { return Value{Type: B, Bytes: b} }

// Boolean returns a BOOL value.
func Boolean(b bool) Value { return Value{Type: BOOL, Bool: b} }

// Null returns the NULL value.
func Null() Value { return Value{Type: NULL} }
