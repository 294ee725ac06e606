package expr

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/petreldb/petrel/internal/attr"
)

// Eval evaluates the condition against item; a nil item means "no item"
// (every attribute is absent). Type mismatches and missing attributes make a
// comparison false (or true for <>) rather than fail (expressions.md §3.2),
// so the error is always nil today; it is kept for legacy conditions and
// future run-time checks.
func (c *Condition) Eval(item attr.Item) (bool, error) {
	return c.eval(item), nil
}

func (c *Condition) eval(item attr.Item) bool {
	switch c.Kind {
	case CondAnd:
		return c.Left.eval(item) && c.Right.eval(item)
	case CondOr:
		return c.Left.eval(item) || c.Right.eval(item)
	case CondNot:
		return !c.Left.eval(item)
	case CondCompare:
		a, aok := c.Args[0].eval(item)
		b, bok := c.Args[1].eval(item)
		if c.Op == "<>" {
			return !(aok && bok && attr.Equal(a, b))
		}
		if !aok || !bok {
			return false
		}
		if c.Op == "=" {
			return attr.Equal(a, b)
		}
		r, ok := attr.Compare(a, b)
		if !ok {
			return false
		}
		switch c.Op {
		case "<":
			return r < 0
		case "<=":
			return r <= 0
		case ">":
			return r > 0
		}
		return r >= 0
	case CondBetween:
		v, ok := c.Args[0].eval(item)
		lo, lok := c.Args[1].eval(item)
		hi, hok := c.Args[2].eval(item)
		if !ok || !lok || !hok {
			return false
		}
		r1, ok1 := attr.Compare(lo, v)
		r2, ok2 := attr.Compare(v, hi)
		return ok1 && ok2 && r1 <= 0 && r2 <= 0
	case CondIn:
		v, ok := c.Args[0].eval(item)
		if !ok {
			return false
		}
		for _, a := range c.Args[1:] {
			if w, ok := a.eval(item); ok && attr.Equal(v, w) {
				return true
			}
		}
		return false
	case CondFunc:
		return c.evalFunc(item)
	}
	return false
}

func (c *Condition) evalFunc(item attr.Item) bool {
	v, ok := c.Args[0].eval(item)
	switch c.Op {
	case "attribute_exists":
		return ok
	case "attribute_not_exists":
		return !ok
	}
	w, wok := c.Args[1].eval(item)
	if !ok || !wok {
		return false
	}
	switch c.Op {
	case "attribute_type":
		return w.Type == attr.S && v.Type.String() == w.Str
	case "begins_with":
		switch {
		case v.Type == attr.S && w.Type == attr.S:
			return strings.HasPrefix(v.Str, w.Str)
		case v.Type == attr.B && w.Type == attr.B:
			return bytes.HasPrefix(v.Bytes, w.Bytes)
		}
		return false
	case "contains":
		return contains(v, w)
	}
	return false
}

// contains implements contains(v, w) (expressions.md §3.2).
func contains(v, w attr.Value) bool {
	switch v.Type {
	case attr.S:
		return w.Type == attr.S && strings.Contains(v.Str, w.Str)
	case attr.B:
		return w.Type == attr.B && bytes.Contains(v.Bytes, w.Bytes)
	case attr.SS:
		if w.Type == attr.S {
			for _, s := range v.Strs {
				if s == w.Str {
					return true
				}
			}
		}
	case attr.NS:
		if w.Type == attr.N {
			for _, s := range v.Strs {
				if attr.Equal(attr.Num(s), w) {
					return true
				}
			}
		}
	case attr.BS:
		if w.Type == attr.B {
			for _, b := range v.BytesSet {
				if bytes.Equal(b, w.Bytes) {
					return true
				}
			}
		}
	case attr.L:
		for _, e := range v.List {
			if attr.Equal(e, w) {
				return true
			}
		}
	}
	return false
}

// eval computes a condition operand: a path's value, a constant, or size().
// ok is false when the value does not exist (missing path, or size of a type
// without a size).
func (o *Operand) eval(item attr.Item) (attr.Value, bool) {
	switch o.Kind {
	case OperandPath:
		return lookup(item, o.Path)
	case OperandValue:
		return o.Value, true
	case OperandFunc:
		if o.Func != "size" || len(o.Args) != 1 {
			return attr.Value{}, false
		}
		v, ok := o.Args[0].eval(item)
		if !ok {
			return attr.Value{}, false
		}
		n, ok := sizeOf(v)
		if !ok {
			return attr.Value{}, false
		}
		return attr.Num(strconv.Itoa(n)), true
	}
	return attr.Value{}, false
}

// sizeOf is the size() function: S in UTF-16 code units, B in bytes, sets,
// lists and maps in elements; other types have no size.
func sizeOf(v attr.Value) (int, bool) {
	switch v.Type {
	case attr.S:
		n := 0
		for _, r := range v.Str {
			if r >= 0x10000 && r <= utf8.MaxRune {
				n += 2
			} else {
				n++
			}
		}
		return n, true
	case attr.B:
		return len(v.Bytes), true
	case attr.SS, attr.NS:
		return len(v.Strs), true
	case attr.BS:
		return len(v.BytesSet), true
	case attr.L:
		return len(v.List), true
	case attr.M:
		return len(v.Map), true
	}
	return 0, false
}

// lookup returns the value at path p in item.
func lookup(item attr.Item, p Path) (attr.Value, bool) {
	if len(p) == 0 || item == nil {
		return attr.Value{}, false
	}
	v, ok := item[p[0].Name]
	if !ok {
		return attr.Value{}, false
	}
	for _, e := range p[1:] {
		if e.IsIndex {
			if v.Type != attr.L || e.Index >= len(v.List) {
				return attr.Value{}, false
			}
			v = v.List[e.Index]
		} else {
			if v.Type != attr.M {
				return attr.Value{}, false
			}
			if v, ok = v.Map[e.Name]; !ok {
				return attr.Value{}, false
			}
		}
	}
	return v, true
}
