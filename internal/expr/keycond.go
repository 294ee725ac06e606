package expr

import (
	"slices"
	"strconv"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

// KeySchema describes the key of the table or index being queried, so that
// key conditions can be checked against it. Sort is "" for a hash-only key.
//
// A multi-attribute GSI key (multi-attribute-keys.md) sets Partitions and/or
// Sorts instead: every partition (sort) attribute in key-schema order, up to
// 4 each. When they are set the single-attribute fields are ignored.
type KeySchema struct {
	Partition     string
	PartitionType attr.Type
	Sort          string
	SortType      attr.Type

	Partitions []KeyAttr
	Sorts      []KeyAttr

	// OtherKeys names key attributes of the table that are not keys of the
	// queried index: a condition on one is "Query key condition not
	// supported" (errors.md K3), not a missing schema element.
	OtherKeys []string
}

// KeyAttr is one key attribute and its type.
type KeyAttr struct {
	Name string
	Type attr.Type
}

// partitions returns the partition attributes of the schema.
func (s *KeySchema) partitions() []KeyAttr {
	if len(s.Partitions) > 0 {
		return s.Partitions
	}
	return []KeyAttr{{s.Partition, s.PartitionType}}
}

// sorts returns the sort attributes of the schema (none for a hash-only
// key).
func (s *KeySchema) sorts() []KeyAttr {
	if len(s.Partitions) > 0 || len(s.Sorts) > 0 {
		return s.Sorts
	}
	if s.Sort == "" {
		return nil
	}
	return []KeyAttr{{s.Sort, s.SortType}}
}

// Sort-key operators of a KeyCondition.
const (
	SortEQ         = "="
	SortLT         = "<"
	SortLE         = "<="
	SortGT         = ">"
	SortGE         = ">="
	SortBetween    = "BETWEEN"
	SortBeginsWith = "begins_with"
)

// KeyCondition is a validated Query key condition: equality on the
// partition key and at most one condition on the sort key. For a
// multi-attribute key it is equality on every partition attribute, then
// equality on the first sort attributes (SortPrefix) and at most one
// condition, of any operator, on the next one (Sort).
type KeyCondition struct {
	Partition      string       // the (first) partition attribute
	PartitionValue attr.Value   // its value
	Sort           string       // "" when there is no sort-key condition
	SortOp         string       // one of the Sort* constants
	SortValues     []attr.Value // 1 value, or 2 for BETWEEN

	// PartitionValues are the values of every partition attribute, in
	// key-schema order (PartitionValues[0] == PartitionValue).
	PartitionValues []attr.Value
	// SortPrefix are the values of the sort attributes before Sort, all
	// compared with = (multi-attribute sort keys only).
	SortPrefix []attr.Value

	names []string // every attribute named, in key-schema order (String)
}

// String renders the key condition, e.g. pk = S:x AND sk BETWEEN N:1 AND N:2.
func (k *KeyCondition) String() string {
	s := ""
	np := len(k.PartitionValues)
	if np == 0 {
		np = 1
	}
	for i := 0; i < np; i++ {
		if i > 0 {
			s += " AND "
		}
		name, v := k.Partition, k.PartitionValue
		if i < len(k.names) && len(k.PartitionValues) > i {
			name, v = k.names[i], k.PartitionValues[i]
		}
		s += name + " = " + valueDesc(v)
	}
	for i, v := range k.SortPrefix {
		s += " AND " + k.names[np+i] + " = " + valueDesc(v)
	}
	switch k.SortOp {
	case "":
	case SortBetween:
		s += " AND " + k.Sort + " BETWEEN " + valueDesc(k.SortValues[0]) + " AND " + valueDesc(k.SortValues[1])
	case SortBeginsWith:
		s += " AND begins_with(" + k.Sort + ", " + valueDesc(k.SortValues[0]) + ")"
	default:
		s += " AND " + k.Sort + " " + k.SortOp + " " + valueDesc(k.SortValues[0])
	}
	return s
}

// Match reports whether a key value pair satisfies the sort-key condition
// (the partition value is matched by the caller's key lookup). sk is the
// item's sort-key value; it is ignored when there is no sort condition. For
// a multi-attribute key it checks the condition on Sort only (SortPrefix
// is the caller's to match).
func (k *KeyCondition) Match(sk attr.Value) bool {
	if k.SortOp == "" {
		return true
	}
	c, ok := attr.Compare(sk, k.SortValues[0])
	if !ok {
		return false
	}
	switch k.SortOp {
	case SortEQ:
		return c == 0
	case SortLT:
		return c < 0
	case SortLE:
		return c <= 0
	case SortGT:
		return c > 0
	case SortGE:
		return c >= 0
	case SortBetween:
		c2, ok := attr.Compare(sk, k.SortValues[1])
		return ok && c >= 0 && c2 <= 0
	case SortBeginsWith:
		return (&Condition{Kind: CondFunc, Op: "begins_with", Args: []*Operand{
			{Kind: OperandValue, Value: sk}, {Kind: OperandValue, Value: k.SortValues[0]},
		}}).eval(nil)
	}
	return false
}

// keyTerm is one condition on one key attribute.
type keyTerm struct {
	name string
	op   string
	vals []attr.Value
}

// ParseKeyCondition parses and validates a KeyConditionExpression against
// the queried key schema (expressions.md §4, errors.md K).
func ParseKeyCondition(s string, p *Placeholders, schema KeySchema) (*KeyCondition, error) {
	return (*Cache)(nil).ParseKeyCondition(s, p, schema)
}

func invalidKeyOp(op string) {
	panic(bailout{apierr.Validation("Invalid operator used in KeyConditionExpression: " + op)})
}

// keyTerms flattens the AND tree into per-key terms, rejecting every form
// that is not a key condition.
func (p *parser) keyTerms(c *Condition, out []keyTerm) []keyTerm {
	switch c.Kind {
	case CondAnd:
		out = p.keyTerms(c.Left, out)
		return p.keyTerms(c.Right, out)
	case CondOr:
		invalidKeyOp("OR")
	case CondNot:
		invalidKeyOp("NOT")
	case CondIn:
		invalidKeyOp("IN")
	case CondFunc:
		if c.Op != "begins_with" {
			if conditionFuncArity(c.Op) == 0 {
				p.fail(msgBadFunction + c.Op)
			}
			invalidKeyOp(c.Op)
		}
		if len(c.Args) != 2 {
			p.fail(msgOperandCount + c.Op + ", number of operands: " + itoa(len(c.Args)))
		}
		name := keyPath(c.Args[0])
		v := keyValue(c.Args[1])
		if v.Type != attr.S && v.Type != attr.B {
			p.fail(msgOperandType + "begins_with, operand type: " + v.Type.String())
		}
		return append(out, keyTerm{name: name, op: SortBeginsWith, vals: []attr.Value{v}})
	case CondCompare:
		if c.Op == "<>" {
			invalidKeyOp("<>")
		}
		a, b := c.Args[0], c.Args[1]
		op := c.Op
		if a.Kind == OperandValue && b.Kind != OperandValue {
			a, b = b, a
			op = map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
		}
		name := keyPath(a)
		return append(out, keyTerm{name: name, op: op, vals: []attr.Value{keyValue(b)}})
	case CondBetween:
		name := keyPath(c.Args[0])
		lo, hi := keyValue(c.Args[1]), keyValue(c.Args[2])
		p.checkBounds(lo, hi)
		return append(out, keyTerm{name: name, op: SortBetween, vals: []attr.Value{lo, hi}})
	}
	return out
}

// keyPath returns the key attribute an operand names.
func keyPath(o *Operand) string {
	switch o.Kind {
	case OperandFunc, OperandPlus, OperandMinus:
		panic(bailout{apierr.Validation("KeyConditionExpressions cannot contain nested operations")})
	case OperandValue:
		panic(bailout{apierr.Validation("Invalid condition in KeyConditionExpression: " + o.ValueName + " operator must have a key attribute as its left operand")})
	}
	if len(o.Path) > 1 {
		panic(bailout{apierr.Validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: " + o.Path[0].Name)})
	}
	return o.Path[0].Name
}

// keyValue returns the constant an operand holds.
func keyValue(o *Operand) attr.Value {
	switch o.Kind {
	case OperandFunc, OperandPlus, OperandMinus:
		panic(bailout{apierr.Validation("KeyConditionExpressions cannot contain nested operations")})
	case OperandPath:
		panic(bailout{apierr.Validation("Invalid condition in KeyConditionExpression: " + o.Path.String() + " operator must have one key attribute and one value")})
	}
	return o.Value
}

// Key-condition messages (errors.md K2, K3, K7, K11).
const (
	msgKeyMissed      = "Query condition missed key schema element"
	msgKeyUnsupported = "Query key condition not supported"
	msgKeyTwice       = "KeyConditionExpressions must only contain one condition per key"
	msgKeyTypeMatch   = "One or more parameter values were invalid: Condition parameter type does not match schema type"
)

// buildKeyCondition checks the terms against the schema: equality on every
// partition attribute; sort attributes addressed left to right without
// gaps, all with = except the last (multi-attribute-keys.md §5); nothing
// else.
func buildKeyCondition(terms []keyTerm, schema KeySchema) (*KeyCondition, error) {
	parts, sorts := schema.partitions(), schema.sorts()
	pt := make([]*keyTerm, len(parts))
	st := make([]*keyTerm, len(sorts))
	extra := false
	for i := range terms {
		t := &terms[i]
		if j := keyIndex(parts, t.name); j >= 0 {
			if pt[j] != nil {
				return nil, apierr.Validation(msgKeyTwice)
			}
			if t.op != SortEQ {
				return nil, apierr.Validation(msgKeyUnsupported)
			}
			pt[j] = t
			continue
		}
		if j := keyIndex(sorts, t.name); j >= 0 {
			if st[j] != nil {
				return nil, apierr.Validation(msgKeyTwice)
			}
			st[j] = t
			continue
		}
		// A condition on a key attribute the queried key does not have is
		// "not supported" (K3: a table key on a GSI, a sort key on a
		// hash-only key) once the partition is given; any other attribute
		// is a missing schema element (K2).
		if len(sorts) > 0 && !slices.Contains(schema.OtherKeys, t.name) {
			return nil, apierr.Validation(msgKeyMissed)
		}
		extra = true
	}
	for _, t := range pt {
		if t == nil {
			return nil, apierr.Validation(msgKeyMissed)
		}
	}
	if extra {
		return nil, apierr.Validation(msgKeyUnsupported)
	}
	// The sort conditions must be a gap-free prefix, with = before the last.
	last := -1
	for j, t := range st {
		if t == nil {
			continue
		}
		if j != last+1 {
			return nil, apierr.Validation(msgKeyUnsupported)
		}
		last = j
	}
	for j := 0; j < last; j++ {
		if st[j].op != SortEQ {
			return nil, apierr.Validation(msgKeyUnsupported)
		}
	}

	kc := &KeyCondition{Partition: parts[0].Name, PartitionValue: pt[0].vals[0]}
	for j, t := range pt {
		kc.PartitionValues = append(kc.PartitionValues, t.vals[0])
		kc.names = append(kc.names, parts[j].Name)
		if parts[j].Type != attr.TypeInvalid && t.vals[0].Type != parts[j].Type {
			return nil, apierr.Validation(msgKeyTypeMatch)
		}
	}
	if last < 0 {
		return kc, nil
	}
	for j := 0; j < last; j++ {
		kc.SortPrefix = append(kc.SortPrefix, st[j].vals[0])
		kc.names = append(kc.names, sorts[j].Name)
	}
	t := st[last]
	kc.Sort, kc.SortOp, kc.SortValues = t.name, t.op, t.vals
	if kc.SortOp == SortBeginsWith && sorts[last].Type == attr.N {
		return nil, apierr.Validation(msgOperandTypeKC + "N")
	}
	for j := 0; j <= last; j++ {
		typ := sorts[j].Type
		for _, v := range st[j].vals {
			if typ != attr.TypeInvalid && v.Type != typ {
				return nil, apierr.Validation(msgKeyTypeMatch)
			}
		}
	}
	return kc, nil
}

// keyIndex is the position of the attribute called name in keys, or -1.
func keyIndex(keys []KeyAttr, name string) int {
	for i, k := range keys {
		if k.Name == name {
			return i
		}
	}
	return -1
}

const msgOperandTypeKC = "Invalid KeyConditionExpression: " + msgOperandType + "begins_with, operand type: "

func itoa(n int) string { return strconv.Itoa(n) }
