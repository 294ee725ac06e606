package expr

import (
	"strconv"
	"strings"

	"github.com/petreldb/petrel/internal/attr"
)

// PathElem is one element of a document path: an attribute or map-key name,
// or (IsIndex) a list index.
type PathElem struct {
	Name    string // resolved name (placeholders already substituted)
	Index   int
	IsIndex bool
}

// Path is a resolved document path such as a.b[2].c. The first element is
// always a name (the top-level attribute).
type Path []PathElem

// String renders the path in expression syntax (a.b[0]); names that are not
// plain words are written as #"name" so the rendering stays unambiguous.
func (p Path) String() string {
	var b strings.Builder
	for i, e := range p {
		switch {
		case e.IsIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.Index))
			b.WriteByte(']')
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			if plainWord(e.Name) {
				b.WriteString(e.Name)
			} else {
				b.WriteString("#" + strconv.Quote(e.Name))
			}
		}
	}
	return b.String()
}

// bracketString renders the path the way DynamoDB's messages do:
// [a, b, [0]].
func (p Path) bracketString() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range p {
		if i > 0 {
			b.WriteString(", ")
		}
		if e.IsIndex {
			b.WriteString("[" + strconv.Itoa(e.Index) + "]")
		} else {
			b.WriteString(e.Name)
		}
	}
	b.WriteByte(']')
	return b.String()
}

// Equal reports whether two paths are identical.
func (p Path) Equal(q Path) bool {
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

func plainWord(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isWordChar(s[i]) {
			return false
		}
	}
	return true
}

// OperandKind says what an Operand is.
type OperandKind uint8

// Operand kinds.
const (
	OperandPath  OperandKind = iota // a document path
	OperandValue                    // a :value placeholder (Value holds it)
	OperandFunc                     // a function call: Func(Args...)
	OperandPlus                     // Args[0] + Args[1] (UpdateExpression SET only)
	OperandMinus                    // Args[0] - Args[1] (UpdateExpression SET only)
)

// Operand is a value-producing node: a path, a constant, a function call
// (size, if_not_exists, list_append) or an arithmetic expression.
type Operand struct {
	Kind      OperandKind
	Path      Path       // OperandPath
	Value     attr.Value // OperandValue: the resolved constant
	ValueName string     // OperandValue: the placeholder, e.g. ":v"
	Func      string     // OperandFunc: the function name as written
	Args      []*Operand // OperandFunc, OperandPlus, OperandMinus

	tok  token   // the placeholder or function-name token
	elts []token // OperandPath: the path's name and list-index tokens
}

// String renders the operand in expression syntax.
func (o *Operand) String() string {
	switch o.Kind {
	case OperandPath:
		return o.Path.String()
	case OperandValue:
		return o.ValueName
	case OperandPlus, OperandMinus:
		op := " + "
		if o.Kind == OperandMinus {
			op = " - "
		}
		return o.Args[0].String() + op + o.Args[1].String()
	}
	parts := make([]string, len(o.Args))
	for i, a := range o.Args {
		parts[i] = a.String()
	}
	return o.Func + "(" + strings.Join(parts, ", ") + ")"
}

// CondKind says what a Condition node is.
type CondKind uint8

// Condition kinds.
const (
	CondAnd     CondKind = iota // Left AND Right
	CondOr                      // Left OR Right
	CondNot                     // NOT Left
	CondCompare                 // Args[0] Op Args[1]; Op is = <> < <= > >=
	CondBetween                 // Args[0] BETWEEN Args[1] AND Args[2]
	CondIn                      // Args[0] IN (Args[1:]...)
	CondFunc                    // Op(Args...): attribute_exists, attribute_not_exists, attribute_type, begins_with, contains
)

// Condition is a parsed ConditionExpression/FilterExpression (or a legacy
// Expected/QueryFilter/ScanFilter converted to the same form). It is
// immutable after parsing and safe for concurrent Eval calls.
type Condition struct {
	Kind        CondKind
	Op          string // comparator for CondCompare, function name for CondFunc
	Left, Right *Condition
	Args        []*Operand

	tok token // the comparator/keyword/function token, for messages
}

// String renders the condition fully parenthesised, e.g.
// ((a = :v) AND (NOT attribute_exists(b))).
func (c *Condition) String() string {
	switch c.Kind {
	case CondAnd:
		return "(" + c.Left.String() + " AND " + c.Right.String() + ")"
	case CondOr:
		return "(" + c.Left.String() + " OR " + c.Right.String() + ")"
	case CondNot:
		return "(NOT " + c.Left.String() + ")"
	case CondCompare:
		return "(" + c.Args[0].String() + " " + c.Op + " " + c.Args[1].String() + ")"
	case CondBetween:
		return "(" + c.Args[0].String() + " BETWEEN " + c.Args[1].String() + " AND " + c.Args[2].String() + ")"
	case CondIn:
		parts := make([]string, len(c.Args)-1)
		for i, a := range c.Args[1:] {
			parts[i] = a.String()
		}
		return "(" + c.Args[0].String() + " IN (" + strings.Join(parts, ", ") + "))"
	}
	parts := make([]string, len(c.Args))
	for i, a := range c.Args {
		parts[i] = a.String()
	}
	return c.Op + "(" + strings.Join(parts, ", ") + ")"
}
