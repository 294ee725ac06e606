package main

import (
	"bytes"
	"fmt"
	"go/format"
	"regexp"
	"sort"
	"strings"
)

// json_gen.go: reflection-free JSON codecs for the wire structs, matching
// encoding/json byte for byte (encoders, on every structure reachable from an
// operation output) and value for value (decoders, on every structure
// reachable from an operation input). Their runtime half is
// internal/protocol/internal/jsonwire; its doc says how equivalence is kept.

const jsonwireImport = "github.com/petreldb/petrel/internal/protocol/internal/jsonwire"

var memberNameRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// reachable returns the structures (operation inputs or outputs by Go name,
// then nested shapes by shape name) reachable from the operations' inputs
// (out false) or outputs (out true).
func (g *gen) reachable(out bool) map[string]bool {
	seen := map[string]bool{}
	var walk func(name string)
	walk = func(name string) {
		if name == "" || seen[name] {
			return
		}
		s := g.m.Shapes[name]
		if s.Exception || isAttrValue(s) {
			return
		}
		switch s.Type {
		case "structure":
			seen[name] = true
			for _, mb := range s.Members {
				walk(mb.Shape)
			}
		case "list":
			walk(s.Member)
		case "map":
			walk(s.Value)
		}
	}
	for _, op := range g.m.Ops {
		if out {
			walk(op.Output)
		} else {
			walk(op.Input)
		}
	}
	return seen
}

func (g *gen) jsonFile() ([]byte, error) {
	var b bytes.Buffer
	ins, outs := g.reachable(false), g.reachable(true)
	for _, op := range g.m.Ops {
		if err := g.encodeStruct(&b, op.Name+"Output", op.Output); err != nil {
			return nil, err
		}
		if err := g.decodeStruct(&b, op.Name+"Input", op.Input, true); err != nil {
			return nil, err
		}
	}
	for _, n := range g.structs {
		if outs[n] {
			if err := g.encodeStruct(&b, n, n); err != nil {
				return nil, err
			}
		}
		if ins[n] {
			if err := g.decodeStruct(&b, n, n, false); err != nil {
				return nil, err
			}
		}
	}
	g.constructors(&b)

	var h bytes.Buffer
	g.header(&h)
	h.WriteString("import (\n")
	body := b.String()
	for _, imp := range []struct{ use, path string }{
		{"attr.", "github.com/petreldb/petrel/internal/attr"},
		{"strconv.", "strconv"},
		{"jsonwire.", jsonwireImport},
	} {
		if strings.Contains(body, imp.use) {
			fmt.Fprintf(&h, "\t%q\n", imp.path)
		}
	}
	h.WriteString(")\n\n")
	h.Write(b.Bytes())
	src, err := format.Source(h.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, h.Bytes())
	}
	return src, nil
}

// constructors writes NewInput and NewOutput, which let tests reach every
// operation's types by name.
func (g *gen) constructors(b *bytes.Buffer) {
	for _, kind := range []string{"Input", "Output"} {
		fmt.Fprintf(b, "// New%s returns a new zero <Op>%s for an operation of %s, or nil.\n", kind, kind, g.opsVar)
		fmt.Fprintf(b, "func New%s(op string) any {\n\tswitch op {\n", kind)
		for _, op := range g.m.Ops {
			fmt.Fprintf(b, "\tcase %q:\n\t\treturn new(%s%s)\n", op.Name, op.Name, kind)
		}
		b.WriteString("\t}\n\treturn nil\n}\n\n")
	}
}

func (g *gen) members(shapeName string) []member {
	if shapeName == "" {
		return nil
	}
	return g.m.Shapes[shapeName].Members
}

// encodeStruct writes AppendJSON for the Go struct goName of shape
// shapeName: members in field order, absent (nil) ones omitted as
// `omitzero` does.
func (g *gen) encodeStruct(b *bytes.Buffer, goName, shapeName string) error {
	fmt.Fprintf(b, "// AppendJSON appends x as encoding/json encodes it with HTML escaping off\n")
	fmt.Fprintf(b, "// (httpapi's form). It fails only on a NaN or infinite float, as encoding/json does.\n")
	fmt.Fprintf(b, "func (x *%s) AppendJSON(dst []byte) ([]byte, error) {\n", goName)
	mbs := g.members(shapeName)
	if len(mbs) == 0 {
		b.WriteString("\treturn append(dst, \"{}\"...), nil\n}\n\n")
		return nil
	}
	b.WriteString("\tvar err error\n\t_ = err\n")
	b.WriteString("\t// Each member is written with a leading ','; the first one becomes the '{'.\n")
	b.WriteString("\tstart := len(dst)\n")
	for _, mb := range mbs {
		if !memberNameRE.MatchString(mb.Name) {
			return fmt.Errorf("%s: member name %q needs escaping", shapeName, mb.Name)
		}
		f := "x." + fieldName(mb.Name)
		fmt.Fprintf(b, "\tif %s != nil {\n", f)
		fmt.Fprintf(b, "\t\tdst = append(dst, `,%q:`...)\n", mb.Name)
		s := g.m.Shapes[mb.Shape]
		expr := f
		switch s.Type {
		case "string", "integer", "long", "double", "timestamp", "boolean":
			expr = "*" + f
		case "structure":
			if isAttrValue(s) {
				expr = "*" + f
			}
		}
		g.encValue(b, expr, mb.Shape, 0)
		b.WriteString("\t}\n")
	}
	b.WriteString("\tif len(dst) == start {\n\t\treturn append(dst, \"{}\"...), nil\n\t}\n")
	b.WriteString("\tdst[start] = '{'\n\treturn append(dst, '}'), nil\n}\n\n")
	return nil
}

// encValue writes code appending the value expr (not a pointer, except for
// structures, whose AppendJSON takes either) of shape name to dst.
func (g *gen) encValue(b *bytes.Buffer, expr, name string, depth int) {
	s := g.m.Shapes[name]
	switch s.Type {
	case "string":
		fmt.Fprintf(b, "dst = jsonwire.AppendString(dst, %s)\n", expr)
	case "integer", "long":
		fmt.Fprintf(b, "dst = strconv.AppendInt(dst, int64(%s), 10)\n", expr)
	case "double", "timestamp":
		fmt.Fprintf(b, "if dst, err = jsonwire.AppendFloat(dst, %s); err != nil {\nreturn dst, err\n}\n", expr)
	case "boolean":
		fmt.Fprintf(b, "dst = strconv.AppendBool(dst, %s)\n", expr)
	case "blob":
		fmt.Fprintf(b, "dst = jsonwire.AppendBytes(dst, %s)\n", expr)
	case "structure":
		if isAttrValue(s) {
			fmt.Fprintf(b, "dst = attr.AppendJSON(dst, %s)\n", expr)
			return
		}
		fmt.Fprintf(b, "if dst, err = %s.AppendJSON(dst); err != nil {\nreturn dst, err\n}\n", expr)
	case "list":
		i := fmt.Sprintf("i%d", depth)
		fmt.Fprintf(b, "if %s == nil {\ndst = append(dst, \"null\"...)\n} else {\n", expr)
		b.WriteString("dst = append(dst, '[')\n")
		fmt.Fprintf(b, "for %s := range %s {\nif %s > 0 {\ndst = append(dst, ',')\n}\n", i, expr, i)
		g.encValue(b, fmt.Sprintf("%s[%s]", expr, i), s.Member, depth+1)
		b.WriteString("}\ndst = append(dst, ']')\n}\n")
	case "map":
		if g.isItem(s) {
			fmt.Fprintf(b, "dst = attr.AppendItemJSON(dst, %s)\n", expr)
			return
		}
		i, k, v := fmt.Sprintf("i%d", depth), fmt.Sprintf("k%d", depth), fmt.Sprintf("v%d", depth)
		fmt.Fprintf(b, "if %s == nil {\ndst = append(dst, \"null\"...)\n} else {\n", expr)
		b.WriteString("dst = append(dst, '{')\n")
		fmt.Fprintf(b, "for %s, %s := range jsonwire.SortedKeys(%s) {\nif %s > 0 {\ndst = append(dst, ',')\n}\n", i, k, expr, i)
		fmt.Fprintf(b, "dst = jsonwire.AppendString(dst, %s)\ndst = append(dst, ':')\n", k)
		fmt.Fprintf(b, "%s := %s[%s]\n", v, expr, k)
		g.encValue(b, v, s.Value, depth+1)
		b.WriteString("}\ndst = append(dst, '}')\n}\n")
	default:
		panic("encValue: shape type " + s.Type)
	}
}

// decodeStruct writes decodeJSON for the Go struct goName of shape shapeName
// and, for operation inputs (top), the exported DecodeJSON.
func (g *gen) decodeStruct(b *bytes.Buffer, goName, shapeName string, top bool) error {
	if top {
		fmt.Fprintf(b, "// DecodeJSON decodes body into the zero x exactly as encoding/json's Unmarshal\n")
		fmt.Fprintf(b, "// would, without reflection. It returns false (x then unspecified) for any\n")
		fmt.Fprintf(b, "// body it cannot vouch for, errors included: the caller then uses encoding/json.\n")
		fmt.Fprintf(b, "func (x *%s) DecodeJSON(body []byte) bool {\n", goName)
		b.WriteString("\td := jsonwire.NewDecoder(body)\n\tx.decodeJSON(&d)\n\treturn d.End()\n}\n\n")
	}
	mbs := g.members(shapeName)
	if len(mbs) > 64 {
		return fmt.Errorf("%s: %d members do not fit the decoder's uint64 of seen members", shapeName, len(mbs))
	}
	fmt.Fprintf(b, "func (x *%s) decodeJSON(d *jsonwire.Decoder) {\n", goName)
	b.WriteString("if !d.ObjectStart() {\nreturn\n}\n")
	if len(mbs) > 0 {
		b.WriteString("var seen uint64\n")
	}
	b.WriteString("for n := 0; d.NextKey(n); n++ {\nswitch d.Key {\n")
	var names []string
	for i, mb := range mbs {
		names = append(names, fmt.Sprintf("%q", mb.Name))
		fmt.Fprintf(b, "case %q:\n", mb.Name)
		fmt.Fprintf(b, "if d.Seen(&seen, %d) || d.Null() {\ncontinue\n}\n", i)
		g.decValue(b, "x."+fieldName(mb.Name), mb.Shape, false, 0)
	}
	sort.Strings(names)
	fmt.Fprintf(b, "default:\nd.Unknown(%s)\n", strings.Join(names, ", "))
	b.WriteString("}\n}\n}\n\n")
	return nil
}

// decValue writes code decoding the next (non-null) value of shape name
// into lv, a struct member (elem false: optional scalars and structures are
// pointers) or a list element or map value variable (elem true).
func (g *gen) decValue(b *bytes.Buffer, lv, name string, elem bool, depth int) {
	s := g.m.Shapes[name]
	scalar := func(call string) {
		if elem {
			fmt.Fprintf(b, "%s = d.%s()\n", lv, call)
		} else {
			fmt.Fprintf(b, "{\nv := d.%s()\n%s = &v\n}\n", call, lv)
		}
	}
	switch s.Type {
	case "string":
		scalar("String")
	case "integer":
		scalar("Int32")
	case "long":
		scalar("Int64")
	case "double", "timestamp":
		scalar("Float64")
	case "boolean":
		scalar("Bool")
	case "blob":
		fmt.Fprintf(b, "%s = d.Bytes()\n", lv)
	case "structure":
		if isAttrValue(s) {
			scalar("Value")
			return
		}
		if !elem {
			fmt.Fprintf(b, "%s = new(%s)\n", lv, name)
		}
		fmt.Fprintf(b, "%s.decodeJSON(d)\n", lv)
	case "list":
		l, n, e := fmt.Sprintf("l%d", depth), fmt.Sprintf("n%d", depth), fmt.Sprintf("e%d", depth)
		b.WriteString("if d.ArrayStart() {\n")
		fmt.Fprintf(b, "%s := make(%s, 0)\n", l, g.goType(name, true))
		fmt.Fprintf(b, "for %s := 0; d.NextElem(%s); %s++ {\n", n, n, n)
		fmt.Fprintf(b, "var %s %s\n", e, g.goType(s.Member, true))
		fmt.Fprintf(b, "if !d.Null() {\n")
		g.decValue(b, e, s.Member, true, depth+1)
		fmt.Fprintf(b, "}\n%s = append(%s, %s)\n}\n%s = %s\n}\n", l, l, e, lv, l)
	case "map":
		if g.isItem(s) {
			fmt.Fprintf(b, "%s = d.Item()\n", lv)
			return
		}
		m, n, k, e := fmt.Sprintf("m%d", depth), fmt.Sprintf("n%d", depth), fmt.Sprintf("k%d", depth), fmt.Sprintf("e%d", depth)
		b.WriteString("if d.ObjectStart() {\n")
		fmt.Fprintf(b, "%s := make(%s)\n", m, g.goType(name, true))
		fmt.Fprintf(b, "for %s := 0; d.NextKey(%s); %s++ {\n", n, n, n)
		fmt.Fprintf(b, "%s := d.Key\nvar %s %s\n", k, e, g.goType(s.Value, true))
		fmt.Fprintf(b, "if !d.Null() {\n")
		g.decValue(b, e, s.Value, true, depth+1)
		fmt.Fprintf(b, "}\n%s[%s] = %s\n}\n%s = %s\n}\n", m, k, e, lv, m)
	default:
		panic("decValue: shape type " + s.Type)
	}
}
