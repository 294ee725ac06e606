package main

import (
	"bytes"
	"fmt"
	"go/format"
	"regexp"
	"sort"
	"strings"
)

// namePattern is the model's table/index/backup name pattern, checked by
// constraint.IsName instead of a regexp.
const namePattern = "[a-zA-Z0-9_.-]+"

// skipMax reports whether the model's max on a shape must not be applied
// because DynamoDB no longer enforces it. KeySchema: the 2022 model says 2,
// but multi-attribute GSI keys (November 2025) allow up to 4 HASH + 4 RANGE
// elements; the tables package checks the real per-kind limits.
func skipMax(s *shape) bool { return s.Type == "list" && s.Name == "KeySchema" }

// isTableName reports whether a string shape is the model's TableName, which
// DynamoDB now also accepts as a table ARN (see constraint.IsARN).
func isTableName(s *shape) bool { return s.Type == "string" && s.Name == "TableName" }

// own lists the phrases of the shape's own constraints in the order DynamoDB
// lists them inside "Map value must satisfy constraint: [...]" (max before
// min, per errors.md C16).
func (g *gen) own(name string) []string {
	s := g.m.Shapes[name]
	var out []string
	unit := "length"
	switch s.Type {
	case "integer", "long":
		unit = "value"
	case "string", "list", "map":
	default:
		return nil
	}
	if s.Max != nil && !skipMax(s) {
		out = append(out, fmt.Sprintf("Member must have %s less than or equal to %d", unit, *s.Max))
	}
	if s.Min != nil && (*s.Min > 0 || unit == "value") {
		out = append(out, fmt.Sprintf("Member must have %s greater than or equal to %d", unit, *s.Min))
	}
	if s.Pattern != "" {
		out = append(out, "Member must satisfy regular expression pattern: "+s.Pattern)
	}
	if len(s.Enum) > 0 {
		out = append(out, "Member must satisfy enum value set: ["+strings.Join(sortedEnum(s), ", ")+"]")
	}
	return out
}

func sortedEnum(s *shape) []string {
	e := append([]string(nil), s.Enum...)
	sort.Strings(e)
	return e
}

// nested reports whether values of the shape have constraints below their
// own (list elements, map keys and values, structure members).
func (g *gen) nested(name string) bool {
	s := g.m.Shapes[name]
	switch s.Type {
	case "list":
		return g.needsCheck(s.Member)
	case "map":
		return len(g.own(s.Key)) > 0 || len(g.own(s.Value)) > 0 || g.nested(s.Value)
	case "structure":
		if isAttrValue(s) {
			return false
		}
		if v, ok := g.needs[name]; ok {
			return v
		}
		g.needs[name] = false // recursion guard
		r := len(s.Required) > 0
		for _, mb := range s.Members {
			r = r || g.needsCheck(mb.Shape)
		}
		g.needs[name] = r
		return r
	}
	return false
}

func (g *gen) needsCheck(name string) bool { return len(g.own(name)) > 0 || g.nested(name) }

// goPattern translates a Java regular expression of the model to RE2,
// anchored because Java's matches() must match the whole string.
func goPattern(p string) (string, error) {
	q := strings.ReplaceAll(p, `\uD800\uDC00-\uDBFF\uDFFF`, `\x{10000}-\x{10FFFF}`)
	q = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`).ReplaceAllString(q, `\x{$1}`)
	q = strings.ReplaceAll(q, `\p{Print}`, `[\x20-\x7E]`)
	q = "^(?:" + q + ")$"
	if _, err := regexp.Compile(q); err != nil {
		return "", fmt.Errorf("pattern %q: %w", p, err)
	}
	return q, nil
}

type checkWriter struct {
	g   *gen
	b   bytes.Buffer
	tmp int
	err error
}

func (w *checkWriter) p(format string, args ...any) { fmt.Fprintf(&w.b, format+"\n", args...) }

func (w *checkWriter) fresh(prefix string) string {
	w.tmp++
	return fmt.Sprintf("%s%d", prefix, w.tmp)
}

func (w *checkWriter) fail(v, pp, msg string) {
	w.p("errs = constraint.Fail(errs, %s, %s, %q)", v, pp, msg)
}

// patternCheck returns a boolean Go expression that is true when v matches
// the shape's pattern.
func (w *checkWriter) patternCheck(s *shape, v string) string {
	if s.Pattern == namePattern {
		return "constraint.IsName(" + v + ")"
	}
	gp, err := goPattern(s.Pattern)
	if err != nil {
		w.err = err
	}
	idx := -1
	for i, r := range w.g.regexps {
		if r == gp {
			idx = i
		}
	}
	if idx < 0 {
		idx = len(w.g.regexps)
		w.g.regexps = append(w.g.regexps, gp)
	}
	return fmt.Sprintf("pattern%d.MatchString(%s)", idx, v)
}

// okExpr is a boolean expression: v satisfies all of the shape's own constraints.
func (w *checkWriter) okExpr(name, v string) string {
	s := w.g.m.Shapes[name]
	var conds []string
	length := "len(" + v + ")"
	if s.Type == "string" {
		length = "constraint.Len(" + v + ")"
	}
	switch s.Type {
	case "integer", "long":
		if s.Min != nil {
			conds = append(conds, fmt.Sprintf("%s >= %d", v, *s.Min))
		}
		if s.Max != nil {
			conds = append(conds, fmt.Sprintf("%s <= %d", v, *s.Max))
		}
	default:
		if s.Min != nil && *s.Min > 0 {
			conds = append(conds, fmt.Sprintf("%s >= %d", length, *s.Min))
		}
		if s.Max != nil && !skipMax(s) {
			conds = append(conds, fmt.Sprintf("%s <= %d", length, *s.Max))
		}
	}
	if s.Pattern != "" {
		conds = append(conds, w.patternCheck(s, v))
	}
	if len(s.Enum) > 0 {
		var alts []string
		for _, e := range s.Enum {
			alts = append(alts, fmt.Sprintf("%s == %q", v, e))
		}
		conds = append(conds, "("+strings.Join(alts, " || ")+")")
	}
	if len(conds) == 0 {
		return "true"
	}
	expr := strings.Join(conds, " && ")
	if isTableName(s) {
		expr = fmt.Sprintf("(constraint.IsARN(%s) && constraint.Len(%s) <= 1024 || !constraint.IsARN(%s) && %s)", v, v, v, expr)
	}
	return expr
}

// ownChecks emits the checks of the shape's own constraints on v, each
// failure reported separately.
func (w *checkWriter) ownChecks(name, v, pp string) {
	s := w.g.m.Shapes[name]
	if isTableName(s) {
		w.p("if constraint.IsARN(%s) {", v)
		w.p("if constraint.Len(%s) > 1024 {", v)
		w.fail(v, pp, "Member must have length less than or equal to 1024")
		w.p("}")
		w.p("} else {")
		defer w.p("}")
	}
	switch s.Type {
	case "integer", "long":
		if s.Min != nil {
			w.p("if %s < %d {", v, *s.Min)
			w.fail(v, pp, fmt.Sprintf("Member must have value greater than or equal to %d", *s.Min))
			w.p("}")
		}
		if s.Max != nil {
			w.p("if %s > %d {", v, *s.Max)
			w.fail(v, pp, fmt.Sprintf("Member must have value less than or equal to %d", *s.Max))
			w.p("}")
		}
		return
	}
	length := "len(" + v + ")"
	if s.Type == "string" {
		length = "constraint.Len(" + v + ")"
	}
	hasMin := s.Min != nil && *s.Min > 0
	hasMax := s.Max != nil && !skipMax(s)
	switch {
	case hasMin && hasMax:
		n := w.fresh("n")
		w.p("if %s := %s; %s < %d {", n, length, n, *s.Min)
		w.fail(v, pp, fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
		w.p("} else if %s > %d {", n, *s.Max)
		w.fail(v, pp, fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
		w.p("}")
	case hasMin:
		w.p("if %s < %d {", length, *s.Min)
		w.fail(v, pp, fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
		w.p("}")
	case hasMax:
		w.p("if %s > %d {", length, *s.Max)
		w.fail(v, pp, fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
		w.p("}")
	}
	if s.Pattern != "" {
		w.p("if !%s {", w.patternCheck(s, v))
		w.fail(v, pp, "Member must satisfy regular expression pattern: "+s.Pattern)
		w.p("}")
	}
	if len(s.Enum) > 0 {
		var quoted []string
		for _, e := range s.Enum {
			quoted = append(quoted, fmt.Sprintf("%q", e))
		}
		w.p("switch %s {", v)
		w.p("case %s:", strings.Join(quoted, ", "))
		w.p("default:")
		w.fail(v, pp, "Member must satisfy enum value set: ["+strings.Join(sortedEnum(s), ", ")+"]")
		w.p("}")
	}
}

// check emits all checks of value v (a pointer for structures, a plain value
// otherwise) of shape name at path expression pp (a *constraint.Path). With
// withOwn false the shape's own constraints are skipped (a map value's own
// constraints are reported at the map).
func (w *checkWriter) check(name, v, pp string, withOwn bool) {
	s := w.g.m.Shapes[name]
	if withOwn {
		w.ownChecks(name, v, pp)
	}
	switch s.Type {
	case "structure":
		if w.g.nested(name) {
			w.p("errs = %s.validate(%s, errs)", v, pp)
		}
	case "list":
		if !w.g.needsCheck(s.Member) {
			return
		}
		i, ep := w.fresh("i"), w.fresh("ep")
		w.p("for %s := range %s {", i, v)
		w.p("%s := constraint.Path{Parent: %s, Index: %s + 1}", ep, pp, i)
		elem := v + "[" + i + "]"
		if w.g.m.Shapes[s.Member].Type == "structure" {
			elem = "(&" + elem + ")"
		}
		w.check(s.Member, elem, "&"+ep, true)
		w.p("}")
	case "map":
		if own := w.g.own(s.Key); len(own) > 0 {
			k := w.fresh("k")
			w.p("for %s := range %s {", k, v)
			w.p("if !(%s) {", w.okExpr(s.Key, k))
			w.fail(v, pp, "Map keys must satisfy constraint: ["+strings.Join(own, ", ")+"]")
			w.p("break")
			w.p("}")
			w.p("}")
		}
		if own := w.g.own(s.Value); len(own) > 0 {
			e := w.fresh("e")
			w.p("for _, %s := range %s {", e, v)
			w.p("if !(%s) {", w.okExpr(s.Value, e))
			w.fail(v, pp, "Map value must satisfy constraint: ["+strings.Join(own, ", ")+"]")
			w.p("break")
			w.p("}")
			w.p("}")
		}
		if w.g.nested(s.Value) {
			k, e, kp := w.fresh("k"), w.fresh("e"), w.fresh("kp")
			w.p("for %s, %s := range %s {", k, e, v)
			w.p("%s := constraint.Path{Parent: %s, Key: %s, IsKey: true}", kp, pp, k)
			ev := e
			if w.g.m.Shapes[s.Value].Type == "structure" {
				ev = "(&" + e + ")"
			}
			w.check(s.Value, ev, "&"+kp, false)
			w.p("}")
		}
	}
}

// members emits the checks of every member of structure shapeName held in
// x; parent is the Go expression of the parent *constraint.Path ("" at the top).
func (w *checkWriter) members(shapeName, parent string) {
	s := w.g.m.Shapes[shapeName]
	for _, mb := range s.Members {
		req := s.Required[mb.Name]
		if !req && !w.g.needsCheck(mb.Shape) {
			continue
		}
		mp := w.fresh("mp")
		w.p("// %s", mb.Name)
		w.p("{")
		if parent == "" {
			w.p("%s := constraint.Path{Name: %q}", mp, pathName(mb.Name))
		} else {
			w.p("%s := constraint.Path{Parent: %s, Name: %q}", mp, parent, pathName(mb.Name))
		}
		field := "x." + fieldName(mb.Name)
		if req {
			w.p("if %s == nil {", field)
			w.p("errs = constraint.Null(errs, &%s)", mp)
			if w.g.needsCheck(mb.Shape) {
				w.p("} else {")
			}
		} else {
			w.p("if %s != nil {", field)
		}
		if w.g.needsCheck(mb.Shape) {
			v := field
			switch w.g.m.Shapes[mb.Shape].Type {
			case "string", "integer", "long", "double", "timestamp", "boolean":
				v = "*" + field
			}
			w.check(mb.Shape, v, "&"+mp, true)
		}
		w.p("}")
		w.p("}")
	}
}

func (g *gen) validateFile() ([]byte, error) {
	w := &checkWriter{g: g}
	for _, op := range g.m.Ops {
		goName := op.Name + "Input"
		w.p("// Validate checks x against the constraints of the %s model (required", g.modelFile)
		w.p("// members, lengths, ranges, patterns, enums) and returns DynamoDB's")
		w.p("// \"N validation error(s) detected\" ValidationException, or nil.")
		w.p("func (x *%s) Validate() error {", goName)
		if op.Input == "" || !g.nested(op.Input) {
			w.p("return nil")
			w.p("}\n")
			continue
		}
		w.p("var errs []string")
		w.members(op.Input, "")
		w.p("return constraint.Error(errs)")
		w.p("}\n")
	}
	for _, n := range g.structs {
		if !g.nested(n) {
			continue
		}
		w.p("func (x *%s) validate(p *constraint.Path, errs []string) []string {", n)
		w.members(n, "p")
		w.p("return errs")
		w.p("}\n")
	}
	if w.err != nil {
		return nil, w.err
	}
	var b bytes.Buffer
	g.header(&b)
	b.WriteString("import (\n")
	if len(g.regexps) > 0 {
		b.WriteString("\"regexp\"\n\n")
	}
	b.WriteString("\"github.com/petreldb/petrel/internal/protocol/internal/constraint\"\n)\n\n")
	if len(g.regexps) > 0 {
		b.WriteString("// Compiled model patterns (anchored: the model's patterns must match the whole value).\nvar (\n")
		for i, r := range g.regexps {
			fmt.Fprintf(&b, "pattern%d = regexp.MustCompile(%q)\n", i, r)
		}
		b.WriteString(")\n\n")
	}
	b.Write(w.b.Bytes())
	out, err := format.Source(b.Bytes())
	if err != nil {
		return b.Bytes(), err
	}
	return out, nil
}
