package expr

import (
	"sort"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

// This file converts the legacy (pre-expression) request members into the
// expression AST, with DynamoDB's validation messages for them. The input
// structs mirror the wire shapes; items converts protocol structs to them
// (expr must not import protocol).

// ExpectedAttributeValue is one entry of the legacy Expected map.
type ExpectedAttributeValue struct {
	Value              *attr.Value
	Exists             *bool
	ComparisonOperator string
	AttributeValueList []attr.Value
}

// LegacyCondition is one entry of KeyConditions, QueryFilter or ScanFilter.
type LegacyCondition struct {
	ComparisonOperator string
	AttributeValueList []attr.Value
}

// AttributeValueUpdate is one entry of the legacy AttributeUpdates map.
type AttributeValueUpdate struct {
	Action string // PUT (default), ADD or DELETE
	Value  *attr.Value
}

const invalidParam = "One or more parameter values were invalid: "

func legacyErr(msg string) error { return apierr.Validation(invalidParam + msg) }

// sortedKeys returns m's keys sorted, so conversions are deterministic.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// combine joins conditions with AND (default) or OR per ConditionalOperator.
func combine(conds []*Condition, conditionalOperator string) *Condition {
	if len(conds) == 0 {
		return nil
	}
	kind := CondAnd
	if conditionalOperator == "OR" {
		kind = CondOr
	}
	c := conds[0]
	for _, d := range conds[1:] {
		c = &Condition{Kind: kind, Left: c, Right: d}
	}
	return c
}

// FromExpected converts a legacy Expected map (with ConditionalOperator AND
// or OR, default AND) into a Condition; an empty map gives nil.
func FromExpected(expected map[string]ExpectedAttributeValue, conditionalOperator string) (*Condition, error) {
	var conds []*Condition
	for _, k := range sortedKeys(expected) {
		e := expected[k]
		var c *Condition
		var err error
		if e.ComparisonOperator == "" {
			switch {
			case e.AttributeValueList != nil:
				return nil, legacyErr("AttributeValueList can only be used with a ComparisonOperator for Attribute: " + k)
			case e.Exists != nil && !*e.Exists && e.Value != nil:
				return nil, legacyErr("Value cannot be used when Exists is false for Attribute: " + k)
			case e.Exists != nil && !*e.Exists:
				c = legacyFunc("attribute_not_exists", k)
			case e.Value == nil:
				return nil, legacyErr("Value must be provided when Exists is true for Attribute: " + k)
			default:
				c = legacyCompare("=", k, *e.Value)
			}
		} else {
			switch {
			case e.Value != nil && e.AttributeValueList != nil:
				return nil, legacyErr("Value and AttributeValueList cannot be used together for Attribute: " + k)
			case e.Exists != nil:
				return nil, legacyErr("Exists and ComparisonOperator cannot be used together for Attribute: " + k)
			}
			vals := e.AttributeValueList
			if e.Value != nil {
				vals = []attr.Value{*e.Value}
			}
			if c, err = legacyOp(k, e.ComparisonOperator, vals); err != nil {
				return nil, err
			}
		}
		conds = append(conds, c)
	}
	return combine(conds, conditionalOperator), nil
}

// FromFilter converts a legacy QueryFilter or ScanFilter into a Condition;
// an empty map gives nil. (Rejecting key attributes in a QueryFilter is the
// caller's job.)
func FromFilter(filter map[string]LegacyCondition, conditionalOperator string) (*Condition, error) {
	var conds []*Condition
	for _, k := range sortedKeys(filter) {
		f := filter[k]
		c, err := legacyOp(k, f.ComparisonOperator, f.AttributeValueList)
		if err != nil {
			return nil, err
		}
		conds = append(conds, c)
	}
	return combine(conds, conditionalOperator), nil
}

func topPath(k string) *Operand { return &Operand{Kind: OperandPath, Path: Path{{Name: k}}} }

func legacyValue(v attr.Value) *Operand {
	return &Operand{Kind: OperandValue, Value: v, ValueName: ":" + valueDesc(v)}
}

func legacyFunc(name, k string, vals ...attr.Value) *Condition {
	c := &Condition{Kind: CondFunc, Op: name, Args: []*Operand{topPath(k)}}
	for _, v := range vals {
		c.Args = append(c.Args, legacyValue(v))
	}
	return c
}

func legacyCompare(op, k string, v attr.Value) *Condition {
	return &Condition{Kind: CondCompare, Op: op, Args: []*Operand{topPath(k), legacyValue(v)}}
}

// legacyArgCount is the number of values each ComparisonOperator takes
// (-1: one or more).
func legacyArgCount(op string) (int, bool) {
	switch op {
	case "EQ", "NE", "LE", "LT", "GE", "GT", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH":
		return 1, true
	case "BETWEEN":
		return 2, true
	case "NULL", "NOT_NULL":
		return 0, true
	case "IN":
		return -1, true
	}
	return 0, false
}

func scalar(t attr.Type) bool { return t == attr.S || t == attr.N || t == attr.B }

// legacyOp converts "k ComparisonOperator values" into a condition.
func legacyOp(k, op string, vals []attr.Value) (*Condition, error) {
	n, ok := legacyArgCount(op)
	if !ok {
		return nil, legacyErr("Unsupported operator on KeyCondition: " + op)
	}
	if n >= 0 && len(vals) != n || n < 0 && len(vals) == 0 {
		return nil, legacyErr("Invalid number of argument(s) for the " + op + " ComparisonOperator")
	}
	for _, v := range vals {
		bad := false
		switch op {
		case "LE", "LT", "GE", "GT", "BETWEEN", "CONTAINS", "NOT_CONTAINS", "IN":
			bad = !scalar(v.Type)
		case "BEGINS_WITH":
			bad = v.Type != attr.S && v.Type != attr.B
		}
		if bad {
			return nil, legacyErr("ComparisonOperator " + op + " is not valid for " + v.Type.String() + " AttributeValue type")
		}
	}
	switch op {
	case "EQ":
		return legacyCompare("=", k, vals[0]), nil
	case "NE":
		return legacyCompare("<>", k, vals[0]), nil
	case "LE":
		return legacyCompare("<=", k, vals[0]), nil
	case "LT":
		return legacyCompare("<", k, vals[0]), nil
	case "GE":
		return legacyCompare(">=", k, vals[0]), nil
	case "GT":
		return legacyCompare(">", k, vals[0]), nil
	case "NULL":
		return legacyFunc("attribute_not_exists", k), nil
	case "NOT_NULL":
		return legacyFunc("attribute_exists", k), nil
	case "CONTAINS":
		return legacyFunc("contains", k, vals[0]), nil
	case "NOT_CONTAINS":
		return &Condition{Kind: CondNot, Left: legacyFunc("contains", k, vals[0])}, nil
	case "BEGINS_WITH":
		return legacyFunc("begins_with", k, vals[0]), nil
	case "BETWEEN":
		if err := legacyBounds(vals[0], vals[1]); err != nil {
			return nil, err
		}
		return &Condition{Kind: CondBetween, Op: "BETWEEN", Args: []*Operand{topPath(k), legacyValue(vals[0]), legacyValue(vals[1])}}, nil
	}
	c := &Condition{Kind: CondIn, Op: "IN", Args: []*Operand{topPath(k)}}
	for _, v := range vals {
		c.Args = append(c.Args, legacyValue(v))
	}
	return c, nil
}

func legacyBounds(lo, hi attr.Value) error {
	if lo.Type != hi.Type {
		return legacyErr("AttributeValues inside AttributeValueList must be of same type")
	}
	if c, ok := attr.Compare(lo, hi); ok && c > 0 {
		return legacyErr("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound")
	}
	return nil
}

// FromKeyConditions converts a legacy Query KeyConditions map into a
// KeyCondition checked against schema.
func FromKeyConditions(conds map[string]LegacyCondition, schema KeySchema) (*KeyCondition, error) {
	var terms []keyTerm
	for _, k := range sortedKeys(conds) {
		c := conds[k]
		n, ok := legacyArgCount(c.ComparisonOperator)
		if !ok {
			return nil, legacyErr("Unsupported operator on KeyCondition: " + c.ComparisonOperator)
		}
		if n >= 0 && len(c.AttributeValueList) != n || n < 0 && len(c.AttributeValueList) == 0 {
			return nil, legacyErr("Invalid number of argument(s) for the " + c.ComparisonOperator + " ComparisonOperator")
		}
		op := map[string]string{"EQ": SortEQ, "LT": SortLT, "LE": SortLE, "GT": SortGT, "GE": SortGE,
			"BETWEEN": SortBetween, "BEGINS_WITH": SortBeginsWith}[c.ComparisonOperator]
		if op == "" {
			return nil, legacyErr("Attempted conditional constraint is not an indexable operation")
		}
		if op == SortBetween {
			if err := legacyBounds(c.AttributeValueList[0], c.AttributeValueList[1]); err != nil {
				return nil, err
			}
		}
		terms = append(terms, keyTerm{name: k, op: op, vals: c.AttributeValueList})
	}
	return buildKeyCondition(terms, schema)
}

// FromAttributeUpdates converts a legacy AttributeUpdates map into an Update:
// PUT -> SET, DELETE without a value -> REMOVE, DELETE with a set -> DELETE,
// ADD -> ADD (numbers, sets, and lists, which legacy ADD appends to).
func FromAttributeUpdates(updates map[string]AttributeValueUpdate) (*Update, error) {
	u := &Update{legacy: true}
	for _, k := range sortedKeys(updates) {
		a := updates[k]
		p := Path{{Name: k}}
		action := a.Action
		if action == "" {
			action = "PUT"
		}
		if a.Value == nil && action != "DELETE" {
			return nil, legacyErr("Only DELETE action is allowed when no attribute value is specified")
		}
		switch action {
		case "PUT":
			u.Set = append(u.Set, SetAction{Path: p, Value: legacyValue(*a.Value)})
		case "DELETE":
			if a.Value == nil {
				u.Remove = append(u.Remove, p)
				break
			}
			if !isSet(a.Value.Type) {
				return nil, legacyErr("DELETE action with value is not supported for the type " + a.Value.Type.String())
			}
			u.Delete = append(u.Delete, ValueAction{Path: p, Value: *a.Value, ValueName: ":" + k})
		case "ADD":
			if !addable(a.Value.Type) && a.Value.Type != attr.L {
				return nil, legacyErr("ADD action is not supported for the type " + a.Value.Type.String())
			}
			u.Add = append(u.Add, ValueAction{Path: p, Value: *a.Value, ValueName: ":" + k})
		default:
			return nil, legacyErr("Unsupported AttributeValueUpdate action: " + action)
		}
		u.paths = append(u.paths, p)
	}
	return u, nil
}

// FromAttributesToGet converts legacy AttributesToGet into a Projection of
// top-level names; duplicates are DynamoDB's "Cannot have two attributes
// with the same name".
func FromAttributesToGet(names []string) (*Projection, error) {
	p := &Projection{Paths: make([]Path, 0, len(names))}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if seen[n] {
			return nil, apierr.Validation("Cannot have two attributes with the same name")
		}
		seen[n] = true
		p.Paths = append(p.Paths, Path{{Name: n}})
	}
	return p, nil
}
