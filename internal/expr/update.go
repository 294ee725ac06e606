package expr

import (
	"strconv"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

// SetAction is one "path = value" of a SET clause.
type SetAction struct {
	Path  Path
	Value *Operand // a path, constant, function call or Plus/Minus
}

// ValueAction is one "path :value" of an ADD or DELETE clause.
type ValueAction struct {
	Path      Path
	Value     attr.Value
	ValueName string
}

// Update is a parsed UpdateExpression (or legacy AttributeUpdates converted
// to the same form). It is immutable after parsing; Apply is a pure function
// of the old item, so a retried write computes the same result.
type Update struct {
	Set    []SetAction
	Remove []Path
	Add    []ValueAction
	Delete []ValueAction

	paths  []Path // every target path in source order
	legacy bool   // from AttributeUpdates: legacy run-time semantics
}

// Paths returns every path the update writes (SET, REMOVE, ADD and DELETE
// targets) in source order; items uses them for ReturnValues UPDATED_OLD and
// UPDATED_NEW (see Projection).
func (u *Update) Paths() []Path { return u.paths }

// Projection returns a projection of the paths the update writes, for
// ReturnValues UPDATED_OLD (applied to the old item) and UPDATED_NEW
// (applied to the new item).
func (u *Update) Projection() *Projection { return &Projection{Paths: u.paths} }

// CheckKeys returns DynamoDB's error if the update writes any of the given
// key attribute names (the table's partition and sort key), else nil:
// "One or more parameter values were invalid: Cannot update attribute pk.
// This attribute is part of the key". Call it after the condition passed
// (a failed condition wins, expressions.md §9).
func (u *Update) CheckKeys(keys ...string) error {
	for _, p := range u.paths {
		for _, k := range keys {
			if k != "" && p[0].Name == k {
				return apierr.Validation("One or more parameter values were invalid: Cannot update attribute " + k + ". This attribute is part of the key")
			}
		}
	}
	return nil
}

// String renders the update in canonical form: clauses in the order SET,
// REMOVE, ADD, DELETE, actions in source order.
func (u *Update) String() string {
	s := ""
	add := func(clause string, parts []string) {
		if len(parts) == 0 {
			return
		}
		if s != "" {
			s += " "
		}
		s += clause + " "
		for i, p := range parts {
			if i > 0 {
				s += ", "
			}
			s += p
		}
	}
	var parts []string
	for _, a := range u.Set {
		parts = append(parts, a.Path.String()+" = "+a.Value.String())
	}
	add("SET", parts)
	parts = nil
	for _, p := range u.Remove {
		parts = append(parts, p.String())
	}
	add("REMOVE", parts)
	parts = nil
	for _, a := range u.Add {
		parts = append(parts, a.Path.String()+" "+a.ValueName)
	}
	add("ADD", parts)
	parts = nil
	for _, a := range u.Delete {
		parts = append(parts, a.Path.String()+" "+a.ValueName)
	}
	add("DELETE", parts)
	return s
}

// updateAction is the raw parse of one action; its operands are resolved
// in place by resolveLeaves.
type updateAction struct {
	clause string // SET, REMOVE, ADD, DELETE
	target *Operand
	value  *Operand
}

// ParseUpdate parses an UpdateExpression (expressions.md §6), resolving
// placeholders from p. Errors are *apierr.Error with DynamoDB's
// "Invalid UpdateExpression: ..." messages.
func ParseUpdate(s string, p *Placeholders) (*Update, error) {
	return (*Cache)(nil).ParseUpdate(s, p)
}

// parseUpdateActions parses the whole UpdateExpression into its actions, in
// source order, and applies the rules that need no resolution (each clause
// once, the operator count).
func (p *parser) parseUpdateActions() []updateAction {
	var actions []updateAction
	var seen [4]bool
	dup := ""
	ops := 0
	for first := true; first || p.peek().kind != tEOF; first = false {
		t := p.peek()
		var clause string
		var idx int
		switch {
		case t.keyword("SET"):
			clause, idx = "SET", 0
		case t.keyword("REMOVE"):
			clause, idx = "REMOVE", 1
		case t.keyword("ADD"):
			clause, idx = "ADD", 2
		case t.keyword("DELETE"):
			clause, idx = "DELETE", 3
		default:
			p.syntaxError()
		}
		p.next()
		if seen[idx] && dup == "" {
			dup = clause
		}
		seen[idx] = true
		for {
			a := updateAction{clause: clause, target: p.parsePath()}
			switch clause {
			case "SET":
				p.expect("=")
				a.value = p.parseSetValue(&ops)
			case "ADD", "DELETE":
				a.value = p.parseValue()
			}
			actions = append(actions, a)
			if !p.peek().is(",") {
				break
			}
			p.next()
		}
	}
	if dup != "" {
		p.fail(`The "` + dup + `" section can only be used once in an update expression;`)
	}
	if ops > maxUpdateOps {
		p.fail("The expression contains too many operators; operator count: " + strconv.Itoa(ops))
	}
	return actions
}

// buildUpdate applies the static rules to the resolved actions, in source
// order, and builds the Update.
func (p *parser) buildUpdate(actions []updateAction) *Update {
	var n [4]int // SET, REMOVE, ADD, DELETE actions
	for _, a := range actions {
		switch a.clause {
		case "SET":
			n[0]++
		case "REMOVE":
			n[1]++
		case "ADD":
			n[2]++
		case "DELETE":
			n[3]++
		}
	}
	u := &Update{paths: make([]Path, 0, len(actions))}
	if n[0] > 0 {
		u.Set = make([]SetAction, 0, n[0])
	}
	if n[1] > 0 {
		u.Remove = make([]Path, 0, n[1])
	}
	if n[2] > 0 {
		u.Add = make([]ValueAction, 0, n[2])
	}
	if n[3] > 0 {
		u.Delete = make([]ValueAction, 0, n[3])
	}
	for _, a := range actions {
		switch a.clause {
		case "SET":
			p.checkUpdOperand(a.value, ctxTop, "")
			u.Set = append(u.Set, SetAction{Path: a.target.Path, Value: a.value})
		case "REMOVE":
			u.Remove = append(u.Remove, a.target.Path)
		case "ADD":
			if !addable(a.value.Value.Type) {
				p.failType("Incorrect operand type for operator or function; operator: ADD, operand type: " + longTypeName(a.value.Value.Type) + ", typeSet: ALLOWED_FOR_ADD_OPERAND")
			}
			u.Add = append(u.Add, ValueAction{Path: a.target.Path, Value: a.value.Value, ValueName: a.value.ValueName})
		case "DELETE":
			if !isSet(a.value.Value.Type) {
				p.failType("Incorrect operand type for operator or function; operator: DELETE, operand type: " + longTypeName(a.value.Value.Type) + ", typeSet: ALLOWED_FOR_DELETE_OPERAND")
			}
			u.Delete = append(u.Delete, ValueAction{Path: a.target.Path, Value: a.value.Value, ValueName: a.value.ValueName})
		}
		u.paths = append(u.paths, a.target.Path)
	}
	if err := checkOverlaps(u.paths); err != "" {
		p.fail(err)
	}
	return u
}

// parseSetValue parses value ::= operand [ ('+' | '-') operand ].
func (p *parser) parseSetValue(ops *int) *Operand {
	left := p.parseUpdOperand(ops)
	t := p.peek()
	if t.is("+") || t.is("-") {
		p.next()
		*ops++
		k := OperandPlus
		if t.text == "-" {
			k = OperandMinus
		}
		return &Operand{Kind: k, Args: []*Operand{left, p.parseUpdOperand(ops)}, tok: t}
	}
	return left
}

// parseUpdOperand parses operand ::= path | ':value' | function | '(' operand ')'.
func (p *parser) parseUpdOperand(ops *int) *Operand {
	t := p.peek()
	switch {
	case t.is("("):
		p.next()
		o := p.parseUpdOperand(ops)
		p.expect(")")
		return o
	case t.kind == tValue:
		return p.parseValue()
	case t.kind == tWord && p.peekAt(1).is("("):
		*ops++
		return p.parseCall(func() *Operand { return p.parseUpdOperand(ops) })
	}
	return p.parsePath()
}

// Contexts an update operand can appear in, for the static rules.
const (
	ctxTop = iota
	ctxArith
	ctxListAppend
	ctxIfNotExists
)

// checkUpdOperand applies the static UpdateExpression rules to o, found in
// context ctx (op is the arithmetic operator for ctxArith).
func (p *parser) checkUpdOperand(o *Operand, ctx int, op string) {
	switch o.Kind {
	case OperandValue:
		switch {
		case ctx == ctxArith && o.Value.Type != attr.N:
			p.failType(msgOperandType + op + ", operand type: " + o.Value.Type.String())
		case ctx == ctxListAppend && o.Value.Type != attr.L:
			p.failType(msgOperandType + "list_append, operand type: " + o.Value.Type.String())
		}
	case OperandPlus, OperandMinus:
		p.checkUpdOperand(o.Args[0], ctxArith, o.tok.text)
		p.checkUpdOperand(o.Args[1], ctxArith, o.tok.text)
	case OperandFunc:
		switch o.Func {
		case "list_append", "if_not_exists":
		case "size", "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains":
			p.fail(msgNotInUpdate + o.Func)
		default:
			p.fail(msgBadFunction + o.Func)
		}
		if len(o.Args) != 2 {
			p.fail(msgOperandCount + o.Func + ", number of operands: " + strconv.Itoa(len(o.Args)))
		}
		if o.Func == "list_append" {
			if ctx != ctxTop {
				p.fail(msgUsedThisWay + o.Func)
			}
			p.checkUpdOperand(o.Args[0], ctxListAppend, "")
			p.checkUpdOperand(o.Args[1], ctxListAppend, "")
			return
		}
		if ctx == ctxIfNotExists {
			p.fail(msgUsedThisWay + o.Func)
		}
		if o.Args[0].Kind != OperandPath {
			p.fail(msgNeedsPath + o.Func)
		}
		p.checkUpdOperand(o.Args[1], ctxIfNotExists, "")
	}
}

func addable(t attr.Type) bool { return t == attr.N || isSet(t) }

func isSet(t attr.Type) bool { return t == attr.SS || t == attr.NS || t == attr.BS }

// longTypeName is the type name DynamoDB uses in ADD/DELETE messages.
func longTypeName(t attr.Type) string {
	switch t {
	case attr.S:
		return "STRING"
	case attr.N:
		return "NUMBER"
	case attr.B:
		return "BINARY"
	case attr.BOOL:
		return "BOOLEAN"
	case attr.NULL:
		return "NULL"
	case attr.M:
		return "MAP"
	case attr.L:
		return "LIST"
	case attr.SS:
		return "STRING_SET"
	case attr.NS:
		return "NUMBER_SET"
	case attr.BS:
		return "BINARY_SET"
	}
	return t.String()
}

// checkOverlaps returns DynamoDB's message for the first pair of paths in
// which one is a prefix of (overlaps) or conflicts with (map key vs list
// index at the same position) the other, or "".
func checkOverlaps(paths []Path) string {
	for j := 1; j < len(paths); j++ {
		for i := 0; i < j; i++ {
			a, b := paths[i], paths[j]
			n := min(len(a), len(b))
			k := 0
			for k < n && a[k] == b[k] {
				k++
			}
			switch {
			case k == n:
				return "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: " + a.bracketString() + ", path two: " + b.bracketString()
			case a[k].IsIndex != b[k].IsIndex:
				return "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: " + a.bracketString() + ", path two: " + b.bracketString()
			}
		}
	}
	return ""
}
