package partiql

import (
	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
)

// This file holds the planner's analysis of WHERE clauses: which key values
// a condition pins (behaviours.md §14, partiql.md §4). A SELECT whose WHERE
// pins the partition key with = or IN (or an OR of equalities) is a Query
// per key value, or a GetItem when the whole primary key is pinned to one
// item; anything else is a Scan. Writes need an equality on every key
// attribute.

// conjuncts flattens the top-level ANDs of e.
func conjuncts(e *Expr) []*Expr {
	if e == nil {
		return nil
	}
	if e.Kind == ExprAnd {
		return append(conjuncts(e.Args[0]), conjuncts(e.Args[1])...)
	}
	return []*Expr{e}
}

// isAttr reports whether e is the top-level attribute name.
func isAttr(e *Expr, name string) bool {
	return e.Kind == ExprPath && len(e.Path) == 1 && !e.Path[0].IsIndex && e.Path[0].Name == name
}

// equality returns the constant c when e is "name = c" or "c = name".
func (b *builder) equality(e *Expr, name string) (attr.Value, bool, error) {
	if e.Kind != ExprCompare || e.Op != "=" {
		return attr.Value{}, false, nil
	}
	for i := range 2 {
		if isAttr(e.Args[i], name) {
			return b.constant(e.Args[1-i])
		}
	}
	return attr.Value{}, false, nil
}

// pinned returns the values a condition pins attribute name to: "name = c"
// gives one, "name IN [..]" several, "A OR B" the union when both sides pin
// it. ok is false when the condition does not pin it.
func (b *builder) pinned(e *Expr, name string) (vals []attr.Value, ok bool, err error) {
	switch e.Kind {
	case ExprCompare:
		v, ok, err := b.equality(e, name)
		if !ok || err != nil {
			return nil, false, err
		}
		return []attr.Value{v}, true, nil
	case ExprIn:
		if !isAttr(e.Args[0], name) {
			return nil, false, nil
		}
		vals, err := b.inValues(e)
		if err != nil {
			return nil, false, err
		}
		b.inPinned = b.inPinned || len(vals) > 0
		return vals, len(vals) > 0, nil
	case ExprOr:
		l, lok, err := b.pinned(e.Args[0], name)
		if !lok || err != nil {
			return nil, false, err
		}
		r, rok, err := b.pinned(e.Args[1], name)
		if !rok || err != nil {
			return nil, false, err
		}
		return append(l, r...), true, nil
	case ExprAnd:
		for _, c := range conjuncts(e) {
			if vals, ok, err := b.pinned(c, name); ok || err != nil {
				return vals, ok, err
			}
		}
	}
	return nil, false, nil
}

// maxInKeys is how many partition-key values a SELECT may list (partiql.md
// §4: "at max 50 hash attribute values"; 100 for other attributes, which
// the IN of the translated expression enforces). AWS documents no text;
// the expression's IN message is used for both.
const (
	maxInKeys    = 50
	msgInTooMany = "The IN operator is provided with too many operands; number of operands: %d"
)

// pinnedValues returns the distinct values the WHERE's top-level conjuncts
// pin attribute name to, in statement order; nil when none does. More than
// maxInKeys values are an error.
func (b *builder) pinnedValues(where *Expr, name string) ([]attr.Value, error) {
	for _, c := range conjuncts(where) {
		vals, ok, err := b.pinned(c, name)
		if err != nil {
			return nil, err
		}
		if ok {
			if len(vals) > maxInKeys {
				return nil, apierr.Validationf(msgInTooMany, len(vals))
			}
			var out []attr.Value
			for _, v := range vals {
				dup := false
				for _, o := range out {
					dup = dup || attr.Equal(o, v)
				}
				if !dup {
					out = append(out, v)
				}
			}
			return out, nil
		}
	}
	return nil, nil
}

// fullKey returns the primary key a write's WHERE pins with top-level
// equalities on every key attribute, and whether the WHERE has conditions
// beyond those equalities; errors.md N5 when a key attribute is not pinned
// by an equality.
func (b *builder) fullKey(t *catalog.Table, where *Expr) (key attr.Item, extra bool, err error) {
	names := keyNames(t)
	key = attr.Item{}
	used := 0
	for _, c := range conjuncts(where) {
		matched := false
		for _, n := range names {
			if _, done := key[n]; done {
				continue
			}
			v, ok, err := b.equality(c, n)
			if err != nil {
				return nil, false, err
			}
			if ok {
				key[n] = v
				matched = true
				break
			}
		}
		if matched {
			used++
		}
	}
	if len(key) != len(names) {
		return nil, false, invalidKeyWhere()
	}
	return key, used < len(conjuncts(where)), nil
}

// keyNames lists t's key attribute names, partition key first.
func keyNames(t *catalog.Table) []string {
	hn, _ := t.HashKey()
	if rn, _, ok := t.RangeKey(); ok {
		return []string{hn, rn}
	}
	return []string{hn}
}

// sortKeyCondition finds, among the WHERE's top-level conjuncts, one that
// a Query can use as its sort-key condition (=, <, <=, >, >=, BETWEEN or
// begins_with on the sort key, with constants of the key's type) and
// renders it with kb's placeholders; "" when there is none. The whole WHERE
// is still applied as a filter, so this only narrows the read.
func sortKeyCondition(kb *builder, where *Expr, name string, typ attr.Type) (string, error) {
	for _, c := range conjuncts(where) {
		var consts []*Expr
		var render func(vals []string) string
		switch {
		case c.Kind == ExprCompare && c.Op != "<>" && isAttr(c.Args[0], name):
			consts = c.Args[1:]
			render = func(v []string) string { return kb.name(name) + " " + c.Op + " " + v[0] }
		case c.Kind == ExprCompare && c.Op != "<>" && isAttr(c.Args[1], name):
			consts = c.Args[:1]
			op := map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}[c.Op]
			render = func(v []string) string { return kb.name(name) + " " + op + " " + v[0] }
		case c.Kind == ExprBetween && isAttr(c.Args[0], name):
			consts = c.Args[1:]
			render = func(v []string) string { return kb.name(name) + " BETWEEN " + v[0] + " AND " + v[1] }
		case c.Kind == ExprCall && c.Op == "begins_with" && len(c.Args) == 2 && isAttr(c.Args[0], name) && typ != attr.N:
			consts = c.Args[1:]
			render = func(v []string) string { return "begins_with(" + kb.name(name) + ", " + v[0] + ")" }
		default:
			continue
		}
		vals := make([]attr.Value, 0, len(consts))
		for _, e := range consts {
			v, ok, err := kb.constant(e)
			if err != nil {
				return "", err
			}
			if !ok || v.Type != typ {
				vals = nil
				break
			}
			vals = append(vals, v)
		}
		if len(vals) != len(consts) {
			continue
		}
		if len(vals) == 2 {
			if cmp, _ := attr.Compare(vals[0], vals[1]); cmp > 0 {
				continue // BETWEEN with bounds reversed: leave it to the filter
			}
		}
		phs := make([]string, len(vals))
		for i, v := range vals {
			phs[i] = kb.value(v)
		}
		return render(phs), nil
	}
	return "", nil
}
