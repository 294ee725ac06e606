package partiql

import (
	"slices"
	"strconv"
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

// builder translates PartiQL expressions into DynamoDB expression text with
// generated placeholders: every name becomes #nK (so PartiQL's lack of
// reserved words and its case-sensitive names carry over) and every constant
// :vK. One builder serves all the expressions of one item request, which
// share the placeholder maps.
type builder struct {
	stmt   string       // the statement text, for "wasn't well formed" errors
	params []attr.Value // the request's Parameters
	names  map[string]string
	byName map[string]string
	values attr.Item
	// inPinned records that an IN list pinned a key attribute (plan.go),
	// which pages a SELECT's results by 10 items.
	inPinned bool
}

func newBuilder(stmt string, params []attr.Value) *builder {
	return &builder{stmt: stmt, params: params}
}

// notWellFormed is errors.md N1 for this statement: DynamoDB reports
// constructs that parse but make no sense (a bare value as a condition) the
// same way as syntax errors.
func (b *builder) notWellFormed() error { return apierr.Validation(msgNotWellFormed + b.stmt) }

// nameMap and valueMap return the placeholder maps for a protocol input
// (nil when empty, as the members must then be absent).
func (b *builder) nameMap() map[string]string {
	if len(b.names) == 0 {
		return nil
	}
	return b.names
}

func (b *builder) valueMap() attr.Item {
	if len(b.values) == 0 {
		return nil
	}
	return b.values
}

// name returns the placeholder of an attribute or map-key name.
func (b *builder) name(n string) string {
	if ph, ok := b.byName[n]; ok {
		return ph
	}
	if b.names == nil {
		b.names, b.byName = map[string]string{}, map[string]string{}
	}
	ph := "#n" + strconv.Itoa(len(b.names))
	b.names[ph], b.byName[n] = n, ph
	return ph
}

// value returns a fresh placeholder for v.
func (b *builder) value(v attr.Value) string {
	if b.values == nil {
		b.values = attr.Item{}
	}
	ph := ":v" + strconv.Itoa(len(b.values))
	b.values[ph] = v
	return ph
}

// path renders a document path with name placeholders.
func (b *builder) path(p Path) string {
	var s strings.Builder
	for i, e := range p {
		if e.IsIndex {
			s.WriteString("[" + strconv.Itoa(e.Index) + "]")
			continue
		}
		if i > 0 {
			s.WriteByte('.')
		}
		s.WriteString(b.name(e.Name))
	}
	return s.String()
}

// constant evaluates e when it is a constant (a literal, a parameter, or a
// list, map or set of constants) and reports whether it was one.
func (b *builder) constant(e *Expr) (attr.Value, bool, error) {
	switch e.Kind {
	case ExprLiteral:
		return e.Value, true, nil
	case ExprParam:
		if e.Param >= len(b.params) {
			return attr.Value{}, false, apierr.Validation(msgParamCount)
		}
		return b.params[e.Param], true, nil
	case ExprNeg:
		v, ok, err := b.constant(e.Args[0])
		if !ok || err != nil {
			return v, ok, err
		}
		if v.Type != attr.N {
			return attr.Value{}, false, b.notWellFormed()
		}
		n, err := attr.SubtractNumbers("0", v.Str)
		return attr.Num(n), true, err
	case ExprList:
		out := attr.Value{Type: attr.L, List: make([]attr.Value, 0, len(e.Args))}
		for _, a := range e.Args {
			v, ok, err := b.constant(a)
			if !ok || err != nil {
				return v, ok, err
			}
			out.List = append(out.List, v)
		}
		return out, true, nil
	case ExprMap:
		out := attr.Value{Type: attr.M, Map: make(map[string]attr.Value, len(e.Args))}
		for i, a := range e.Args {
			v, ok, err := b.constant(a)
			if !ok || err != nil {
				return v, ok, err
			}
			out.Map[e.Keys[i]] = v
		}
		return out, true, nil
	case ExprSet:
		return b.set(e)
	}
	return attr.Value{}, false, nil
}

// set evaluates a <<...>> literal: all strings (SS), all numbers (NS) or all
// binaries from parameters (BS), at least one element.
func (b *builder) set(e *Expr) (attr.Value, bool, error) {
	var typ attr.Type
	var strs []string
	var bins [][]byte
	for _, a := range e.Args {
		v, ok, err := b.constant(a)
		if !ok || err != nil {
			return v, ok, err
		}
		if typ == attr.TypeInvalid {
			typ = v.Type
		}
		if v.Type != typ {
			return attr.Value{}, false, apierr.Validation("Set elements must all be of the same type: " + typ.String())
		}
		switch v.Type {
		case attr.S, attr.N:
			strs = append(strs, v.Str)
		case attr.B:
			bins = append(bins, v.Bytes)
		default:
			return attr.Value{}, false, apierr.Validation("Sets can only contain strings, numbers or binaries; found " + v.Type.String())
		}
	}
	switch typ {
	case attr.S:
		return attr.StringSet(strs), true, nil
	case attr.N:
		return attr.NumberSet(strs), true, nil
	case attr.B:
		return attr.BinarySet(bins), true, nil
	}
	return attr.Value{}, false, apierr.Validation("One or more parameter values were invalid: An string set  may not be empty")
}

// cond translates a WHERE condition into a condition expression.
func (b *builder) cond(e *Expr) (string, error) {
	switch e.Kind {
	case ExprAnd, ExprOr:
		ops, err := translateEach(e.Args[:2], b.cond)
		if err != nil {
			return "", err
		}
		return "(" + ops[0] + " " + e.Op + " " + ops[1] + ")", nil
	case ExprNot:
		c, err := b.cond(e.Args[0])
		if err != nil {
			return "", err
		}
		return "(NOT " + c + ")", nil
	case ExprCompare:
		if e.Args[0].Kind == ExprMissing {
			e = &Expr{Kind: ExprCompare, Op: e.Op, Args: []*Expr{e.Args[1], e.Args[0]}}
		}
		if e.Args[1].Kind == ExprMissing {
			// x = MISSING is x IS MISSING; <> its negation (partiql.md §7:
			// only equality and inequality apply to MISSING).
			p, err := b.pathOperand(e.Args[0])
			if err != nil {
				return "", err
			}
			switch e.Op {
			case "=":
				return "attribute_not_exists(" + p + ")", nil
			case "<>":
				return "attribute_exists(" + p + ")", nil
			}
			return "", b.notWellFormed()
		}
		ops, err := translateEach(e.Args[:2], b.operand)
		if err != nil {
			return "", err
		}
		return "(" + ops[0] + " " + e.Op + " " + ops[1] + ")", nil
	case ExprBetween:
		ops, err := translateEach(e.Args, b.operand)
		if err != nil {
			return "", err
		}
		return "(" + ops[0] + " BETWEEN " + ops[1] + " AND " + ops[2] + ")", nil
	case ExprIn:
		return b.in(e)
	case ExprIs:
		p, err := b.pathOperand(e.Args[0])
		if err != nil {
			return "", err
		}
		if e.Op == "MISSING" {
			return "attribute_not_exists(" + p + ")", nil
		}
		if types := isTypes[strings.ToLower(e.Op)]; types != nil {
			parts := make([]string, len(types))
			for i, t := range types {
				parts[i] = "attribute_type(" + p + ", " + b.value(attr.Str(t)) + ")"
			}
			return "(" + strings.Join(parts, " OR ") + ")", nil
		}
		// PartiQL: NULL IS NULL and MISSING IS NULL are both true.
		return "(attribute_not_exists(" + p + ") OR attribute_type(" + p + ", " + b.value(attr.Str("NULL")) + "))", nil
	case ExprCall:
		switch e.Op {
		case "begins_with", "contains", "attribute_type":
			if len(e.Args) != 2 {
				return "", apierr.Validationf("Incorrect number of arguments for function: %s", e.Op)
			}
			ops, err := translateEach(e.Args, b.operand)
			if err != nil {
				return "", err
			}
			return e.Op + "(" + ops[0] + ", " + ops[1] + ")", nil
		case "exists":
			return "", apierr.Validation(msgExistsOutsideTx)
		case "size":
			return "", b.notWellFormed()
		}
		return "", apierr.Validation(msgUnknownFunc + e.Op)
	}
	return "", b.notWellFormed()
}

// translateEach translates each of args with f, in order, stopping at the
// first error.
func translateEach(args []*Expr, f func(*Expr) (string, error)) ([]string, error) {
	out := make([]string, len(args))
	for i, a := range args {
		var err error
		if out[i], err = f(a); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// isTypes maps the PartiQL type names accepted after IS [NOT] (besides
// MISSING and NULL) to the DynamoDB types they stand for. AWS documents IS
// as testing "a given PartiQL data type" without listing the names
// (partiql.md §2); these are PartiQL's own type names, with DynamoDB's sets
// being PartiQL bags.
var isTypes = map[string][]string{
	"string": {"S"}, "bool": {"BOOL"}, "boolean": {"BOOL"},
	"int": {"N"}, "integer": {"N"}, "decimal": {"N"}, "float": {"N"}, "double": {"N"}, "number": {"N"},
	"blob": {"B"}, "list": {"L"}, "struct": {"M"}, "tuple": {"M"}, "bag": {"SS", "NS", "BS"},
}

// in translates x IN [a, b, ...]; a single ? holding a list expands to its
// elements.
func (b *builder) in(e *Expr) (string, error) {
	x, err := b.operand(e.Args[0])
	if err != nil {
		return "", err
	}
	elems, err := b.inValues(e)
	if err != nil {
		return "", err
	}
	if len(elems) == 0 {
		return "", b.notWellFormed()
	}
	parts := make([]string, len(elems))
	for i, v := range elems {
		parts[i] = b.value(v)
	}
	return "(" + x + " IN (" + strings.Join(parts, ", ") + "))", nil
}

// inValues returns the constant elements of an IN list.
func (b *builder) inValues(e *Expr) ([]attr.Value, error) {
	args := e.Args[1:]
	var out []attr.Value
	for _, a := range args {
		v, ok, err := b.constant(a)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, b.notWellFormed()
		}
		if len(args) == 1 && a.Kind == ExprParam && v.Type == attr.L {
			return v.List, nil
		}
		out = append(out, v)
	}
	return out, nil
}

// operand translates a comparison operand: a path, a constant or size(path).
func (b *builder) operand(e *Expr) (string, error) {
	switch e.Kind {
	case ExprPath:
		return b.path(e.Path), nil
	case ExprCall:
		if e.Op == "size" {
			if len(e.Args) != 1 {
				return "", apierr.Validation("Incorrect number of arguments for function: size")
			}
			p, err := b.pathOperand(e.Args[0])
			if err != nil {
				return "", err
			}
			return "size(" + p + ")", nil
		}
		if slices.Contains([]string{"begins_with", "contains", "attribute_type", "exists"}, e.Op) {
			return "", b.notWellFormed()
		}
		return "", apierr.Validation(msgUnknownFunc + e.Op)
	}
	v, ok, err := b.constant(e)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", b.notWellFormed()
	}
	return b.value(v), nil
}

// pathOperand translates an operand that must be a document path.
func (b *builder) pathOperand(e *Expr) (string, error) {
	if e.Kind != ExprPath {
		return "", b.notWellFormed()
	}
	return b.path(e.Path), nil
}

// update translates UPDATE actions into an update expression: SET and
// REMOVE actions keep their order within their clause; x = set_add(x, s)
// becomes ADD x s and x = set_delete(x, s) becomes DELETE x s.
func (b *builder) update(actions []Action) (string, error) {
	var set, remove, add, del []string
	for _, a := range actions {
		p := b.path(a.Path)
		if a.Value == nil {
			remove = append(remove, p)
			continue
		}
		if a.Value.Kind == ExprCall && (a.Value.Op == "set_add" || a.Value.Op == "set_delete") {
			args := a.Value.Args
			if len(args) != 2 || args[0].Kind != ExprPath || args[0].Path.String() != a.Path.String() {
				return "", apierr.Validation(strings.ToUpper(a.Value.Op) + " must update the attribute it reads: " + a.Path.String())
			}
			v, ok, err := b.constant(args[1])
			if err != nil {
				return "", err
			}
			if !ok {
				return "", b.notWellFormed()
			}
			if a.Value.Op == "set_add" {
				add = append(add, p+" "+b.value(v))
			} else {
				del = append(del, p+" "+b.value(v))
			}
			continue
		}
		v, err := b.updateValue(a.Value)
		if err != nil {
			return "", err
		}
		set = append(set, p+" = "+v)
	}
	var s []string
	for _, c := range []struct {
		kw      string
		actions []string
	}{{"SET", set}, {"REMOVE", remove}, {"ADD", add}, {"DELETE", del}} {
		if len(c.actions) > 0 {
			s = append(s, c.kw+" "+strings.Join(c.actions, ", "))
		}
	}
	return strings.Join(s, " "), nil
}

// updateValue translates the right side of a SET action.
func (b *builder) updateValue(e *Expr) (string, error) {
	switch e.Kind {
	case ExprPath:
		return b.path(e.Path), nil
	case ExprArith:
		l, err := b.updateValue(e.Args[0])
		if err != nil {
			return "", err
		}
		r, err := b.updateValue(e.Args[1])
		if err != nil {
			return "", err
		}
		return l + " " + e.Op + " " + r, nil
	case ExprCall:
		switch e.Op {
		case "list_append", "if_not_exists":
			args := make([]string, len(e.Args))
			for i, a := range e.Args {
				s, err := b.updateValue(a)
				if err != nil {
					return "", err
				}
				args[i] = s
			}
			return e.Op + "(" + strings.Join(args, ", ") + ")", nil
		case "set_add", "set_delete":
			return "", apierr.Validation(strings.ToUpper(e.Op) + " must be the whole value of a SET action")
		}
		return "", apierr.Validation(msgUnknownFunc + e.Op)
	}
	v, ok, err := b.constant(e)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", b.notWellFormed()
	}
	return b.value(v), nil
}
