package expr

import (
	"strconv"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

// KeySchema describes the key of the table or index being queried, so that
// key conditions can be checked against it. Sort is "" for a hash-only key.
type KeySchema struct {
	Partition     string
	PartitionType attr.Type
	Sort          string
	SortType      attr.Type
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

// KeyCondition is a validated Query key condition: equality on the partition
// key and at most one condition on the sort key.
type KeyCondition struct {
	Partition      string
	PartitionValue attr.Value
	Sort           string       // "" when there is no sort-key condition
	SortOp         string       // one of the Sort* constants
	SortValues     []attr.Value // 1 value, or 2 for BETWEEN
}

// String renders the key condition, e.g. pk = S:x AND sk BETWEEN N:1 AND N:2.
func (k *KeyCondition) String() string {
	s := k.Partition + " = " + valueDesc(k.PartitionValue)
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
// item's sort-key value; it is ignored when there is no sort condition.
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
	var terms []keyTerm
	err := parse("KeyConditionExpression", s, p, func(p *parser) {
		c := p.parseOr()
		p.expectEOF()
		p.resolveLeaves()
		terms = p.keyTerms(c, nil)
	})
	if err != nil {
		return nil, err
	}
	return buildKeyCondition(terms, schema)
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

func buildKeyCondition(terms []keyTerm, schema KeySchema) (*KeyCondition, error) {
	kc := &KeyCondition{}
	var hasPK bool
	for _, t := range terms {
		switch {
		case t.name == schema.Partition:
			if hasPK {
				return nil, apierr.Validation("KeyConditionExpressions must only contain one condition per key")
			}
			if t.op != SortEQ {
				return nil, apierr.Validation("Query key condition not supported")
			}
			hasPK = true
			kc.Partition, kc.PartitionValue = t.name, t.vals[0]
		case schema.Sort != "" && t.name == schema.Sort:
			if kc.SortOp != "" {
				return nil, apierr.Validation("KeyConditionExpressions must only contain one condition per key")
			}
			kc.Sort, kc.SortOp, kc.SortValues = t.name, t.op, t.vals
		default:
			return nil, apierr.Validation("Query condition missed key schema element")
		}
	}
	if !hasPK {
		return nil, apierr.Validation("Query condition missed key schema element")
	}
	mismatch := apierr.Validation("One or more parameter values were invalid: Condition parameter type does not match schema type")
	if schema.PartitionType != attr.TypeInvalid && kc.PartitionValue.Type != schema.PartitionType {
		return nil, mismatch
	}
	if kc.SortOp == SortBeginsWith && schema.SortType == attr.N {
		return nil, apierr.Validation(msgOperandTypeKC + "N")
	}
	for _, v := range kc.SortValues {
		if schema.SortType != attr.TypeInvalid && v.Type != schema.SortType {
			return nil, mismatch
		}
	}
	return kc, nil
}

const msgOperandTypeKC = "Invalid KeyConditionExpression: " + msgOperandType + "begins_with, operand type: "

func itoa(n int) string { return strconv.Itoa(n) }
