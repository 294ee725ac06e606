package expr

import (
	"bytes"
	"slices"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

// Run-time UpdateExpression messages (errors.md I).
const (
	msgBadOperandType = "An operand in the update expression has an incorrect data type"
	msgMissingOperand = "The provided expression refers to an attribute that does not exist in the item"
	msgInvalidPath    = "The document path provided in the update expression is invalid for update"
	msgTypeMismatch   = "Type mismatch for attribute to update"
)

// Apply returns the item that results from applying the update to old (nil
// = no item). old is never modified: changed maps and lists are copied, the
// rest is shared. All SET values are computed from old before any action is
// applied; SETs to list indexes past the end append in index order; several
// REMOVEs of one list refer to the original indexes.
func (u *Update) Apply(old attr.Item) (attr.Item, error) {
	// Updates have few SET actions: small ones keep their scratch space on
	// the stack.
	var valBuf [4]attr.Value
	var orderBuf [8]int
	vals, order := valBuf[:0], orderBuf[:0]
	if len(u.Set) > len(valBuf) {
		vals = make([]attr.Value, 0, len(u.Set))
	}
	if len(u.Set) > len(orderBuf) {
		order = make([]int, 0, len(u.Set))
	}
	for i, a := range u.Set {
		v, err := evalUpdate(a.Value, old)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
		order = append(order, i)
	}
	item := make(attr.Item, len(old)+len(u.Set)+len(u.Add))
	for k, v := range old {
		item[k] = v
	}
	slices.SortStableFunc(order, func(i, j int) int { return comparePaths(u.Set[i].Path, u.Set[j].Path) })
	for _, i := range order {
		if err := modify(item, u.Set[i].Path, func(cur attr.Value, ok bool) (attr.Value, bool, error) {
			return vals[i], true, nil
		}); err != nil {
			return nil, err
		}
	}
	removes := u.Remove
	if len(removes) > 1 { // sorted deepest and highest index first, in a copy
		removes = slices.Clone(removes)
		slices.SortStableFunc(removes, func(p, q Path) int { return comparePaths(q, p) })
	}
	for _, p := range removes {
		if err := modify(item, p, func(attr.Value, bool) (attr.Value, bool, error) {
			return attr.Value{}, false, nil
		}); err != nil {
			return nil, err
		}
	}
	for _, a := range u.Add {
		if err := modify(item, a.Path, func(cur attr.Value, ok bool) (attr.Value, bool, error) {
			return u.add(cur, ok, a.Value)
		}); err != nil {
			return nil, err
		}
	}
	for _, a := range u.Delete {
		if err := modify(item, a.Path, func(cur attr.Value, ok bool) (attr.Value, bool, error) {
			return u.del(cur, ok, a.Value)
		}); err != nil {
			return nil, err
		}
	}
	return item, nil
}

func (u *Update) typeError() error {
	if u.legacy {
		return apierr.Validation(msgTypeMismatch)
	}
	return apierr.Validation(msgBadOperandType)
}

// add implements ADD: number sum or set union; a missing value is created.
func (u *Update) add(cur attr.Value, ok bool, v attr.Value) (attr.Value, bool, error) {
	if !ok {
		return v, true, nil
	}
	if cur.Type != v.Type {
		return attr.Value{}, false, u.typeError()
	}
	switch v.Type {
	case attr.N:
		s, err := attr.AddNumbers(cur.Str, v.Str)
		if err != nil {
			return attr.Value{}, false, err
		}
		return attr.Num(s), true, nil
	case attr.SS, attr.NS:
		out := attr.Value{Type: v.Type, Strs: append([]string(nil), cur.Strs...)}
		for _, s := range v.Strs {
			if !hasStr(cur.Strs, s) {
				out.Strs = append(out.Strs, s)
			}
		}
		return out, true, nil
	case attr.BS:
		out := attr.Value{Type: v.Type, BytesSet: append([][]byte(nil), cur.BytesSet...)}
		for _, b := range v.BytesSet {
			if !hasBytes(cur.BytesSet, b) {
				out.BytesSet = append(out.BytesSet, b)
			}
		}
		return out, true, nil
	case attr.L:
		if u.legacy { // legacy ADD appends to a list
			l := make([]attr.Value, 0, len(cur.List)+len(v.List))
			l = append(append(l, cur.List...), v.List...)
			return attr.Value{Type: attr.L, List: l}, true, nil
		}
	}
	return attr.Value{}, false, u.typeError()
}

// del implements DELETE: set difference; an emptied set is removed and a
// missing attribute stays missing.
func (u *Update) del(cur attr.Value, ok bool, v attr.Value) (attr.Value, bool, error) {
	if !ok {
		return attr.Value{}, false, nil
	}
	if cur.Type != v.Type {
		return attr.Value{}, false, u.typeError()
	}
	out := attr.Value{Type: cur.Type}
	switch cur.Type {
	case attr.SS, attr.NS:
		for _, s := range cur.Strs {
			if !hasStr(v.Strs, s) {
				out.Strs = append(out.Strs, s)
			}
		}
		return out, len(out.Strs) > 0, nil
	case attr.BS:
		for _, b := range cur.BytesSet {
			if !hasBytes(v.BytesSet, b) {
				out.BytesSet = append(out.BytesSet, b)
			}
		}
		return out, len(out.BytesSet) > 0, nil
	}
	return attr.Value{}, false, u.typeError()
}

// hasStr reports membership of s in an SS or NS element list (NS elements are
// canonical, so string equality is numeric equality).
func hasStr(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

func hasBytes(l [][]byte, b []byte) bool {
	for _, e := range l {
		if bytes.Equal(e, b) {
			return true
		}
	}
	return false
}

// evalUpdate computes a SET value against the old item.
func evalUpdate(o *Operand, old attr.Item) (attr.Value, error) {
	switch o.Kind {
	case OperandValue:
		return o.Value, nil
	case OperandPath:
		v, ok := lookup(old, o.Path)
		if !ok {
			return attr.Value{}, apierr.Validation(msgMissingOperand)
		}
		return v, nil
	case OperandPlus, OperandMinus:
		a, err := evalUpdate(o.Args[0], old)
		if err != nil {
			return attr.Value{}, err
		}
		b, err := evalUpdate(o.Args[1], old)
		if err != nil {
			return attr.Value{}, err
		}
		if a.Type != attr.N || b.Type != attr.N {
			return attr.Value{}, apierr.Validation(msgBadOperandType)
		}
		var s string
		if o.Kind == OperandPlus {
			s, err = attr.AddNumbers(a.Str, b.Str)
		} else {
			s, err = attr.SubtractNumbers(a.Str, b.Str)
		}
		if err != nil {
			return attr.Value{}, err
		}
		return attr.Num(s), nil
	}
	switch o.Func {
	case "if_not_exists":
		if v, ok := lookup(old, o.Args[0].Path); ok {
			return v, nil
		}
		return evalUpdate(o.Args[1], old)
	case "list_append":
		a, err := evalUpdate(o.Args[0], old)
		if err != nil {
			return attr.Value{}, err
		}
		b, err := evalUpdate(o.Args[1], old)
		if err != nil {
			return attr.Value{}, err
		}
		if a.Type != attr.L || b.Type != attr.L {
			return attr.Value{}, apierr.Validation(msgBadOperandType)
		}
		l := make([]attr.Value, 0, len(a.List)+len(b.List))
		l = append(append(l, a.List...), b.List...)
		return attr.Value{Type: attr.L, List: l}, nil
	}
	return attr.Value{}, apierr.Validation(msgBadOperandType)
}

// comparePaths orders paths element-wise, list indexes numerically.
func comparePaths(a, b Path) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		switch {
		case x.IsIndex && y.IsIndex:
			if x.Index != y.Index {
				if x.Index < y.Index {
					return -1
				}
				return 1
			}
		case x.IsIndex != y.IsIndex:
			if x.IsIndex {
				return -1
			}
			return 1
		case x.Name != y.Name:
			if x.Name < y.Name {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// modifyFunc computes the new value at a path from the current one (ok =
// present); keep=false removes it.
type modifyFunc func(cur attr.Value, ok bool) (v attr.Value, keep bool, err error)

// modify replaces the value at path p in item (copy-on-write below the top
// level). Every parent must exist with the right type, else the path is
// invalid for update; a list index past the end appends (or, for removal,
// does nothing).
func modify(item attr.Item, p Path, f modifyFunc) error {
	name := p[0].Name
	cur, ok := item[name]
	if len(p) == 1 {
		v, keep, err := f(cur, ok)
		if err != nil {
			return err
		}
		if keep {
			item[name] = v
		} else {
			delete(item, name)
		}
		return nil
	}
	if !ok {
		return apierr.Validation(msgInvalidPath)
	}
	v, err := modifyIn(cur, p[1:], f)
	if err != nil {
		return err
	}
	item[name] = v
	return nil
}

func modifyIn(c attr.Value, p Path, f modifyFunc) (attr.Value, error) {
	e := p[0]
	if e.IsIndex {
		if c.Type != attr.L {
			return attr.Value{}, apierr.Validation(msgInvalidPath)
		}
		in := e.Index < len(c.List)
		var cur attr.Value
		if in {
			cur = c.List[e.Index]
		}
		if len(p) > 1 {
			if !in {
				return attr.Value{}, apierr.Validation(msgInvalidPath)
			}
			v, err := modifyIn(cur, p[1:], f)
			if err != nil {
				return attr.Value{}, err
			}
			l := append([]attr.Value(nil), c.List...)
			l[e.Index] = v
			return attr.Value{Type: attr.L, List: l}, nil
		}
		v, keep, err := f(cur, in)
		if err != nil {
			return attr.Value{}, err
		}
		switch {
		case keep && in:
			l := append([]attr.Value(nil), c.List...)
			l[e.Index] = v
			return attr.Value{Type: attr.L, List: l}, nil
		case keep:
			l := make([]attr.Value, len(c.List), len(c.List)+1)
			copy(l, c.List)
			return attr.Value{Type: attr.L, List: append(l, v)}, nil
		case in:
			l := make([]attr.Value, 0, len(c.List)-1)
			l = append(append(l, c.List[:e.Index]...), c.List[e.Index+1:]...)
			return attr.Value{Type: attr.L, List: l}, nil
		}
		return c, nil
	}
	if c.Type != attr.M {
		return attr.Value{}, apierr.Validation(msgInvalidPath)
	}
	cur, ok := c.Map[e.Name]
	var nv attr.Value
	keep := true
	if len(p) > 1 {
		if !ok {
			return attr.Value{}, apierr.Validation(msgInvalidPath)
		}
		v, err := modifyIn(cur, p[1:], f)
		if err != nil {
			return attr.Value{}, err
		}
		nv = v
	} else {
		v, k, err := f(cur, ok)
		if err != nil {
			return attr.Value{}, err
		}
		if !k && !ok {
			return c, nil
		}
		nv, keep = v, k
	}
	m := make(map[string]attr.Value, len(c.Map)+1)
	for k, v := range c.Map {
		m[k] = v
	}
	if keep {
		m[e.Name] = nv
	} else {
		delete(m, e.Name)
	}
	return attr.Value{Type: attr.M, Map: m}, nil
}
