package expr

import (
	"strconv"

	"github.com/petreldb/petrel/internal/apierr"
)

// Limits from limits.md §6.
const (
	maxExpressionSize = 4096 // bytes per expression string
	maxPathElements   = 32   // names and indexes in one document path
	maxInOperands     = 100  // right-hand operands of IN
	maxUpdateOps      = 300  // operators and functions in one UpdateExpression
	maxListIndex      = 1<<31 - 1
)

// bailout carries a client error out of the recursive-descent parser; it is
// recovered by recoverBailout and never escapes the package.
type bailout struct{ err error }

// parser is the state of one expression parse. Parsing is two-phase, as in
// DynamoDB: the whole input is first checked for syntax (building the AST
// with unresolved path tokens), then placeholders and reserved words are
// resolved in source order, then static semantic rules are checked.
type parser struct {
	src    string
	kind   string // "ConditionExpression", "UpdateExpression", ...
	toks   []token
	pos    int
	ph     *Placeholders
	leaves []*Operand // path and value operands in source order

	// bind, when not nil, collects the placeholders resolveLeaves
	// resolved, for a Cache entry (cache.go).
	bind *bindings
}

// parseBinding runs body over s with DynamoDB's pre-syntax checks
// (emptiness, size) and converts a bailout into the returned error. When
// bind is not nil, it also records there the placeholders the expression
// resolved and its token count, for a Cache entry.
func parseBinding(kind, s string, ph *Placeholders, bind *bindings, body func(p *parser)) error {
	if s == "" {
		return apierr.Validation("Invalid " + kind + ": The expression can not be empty;")
	}
	if len(s) > maxExpressionSize {
		msg := "Invalid " + kind + ": Expression size has exceeded the maximum allowed size;"
		switch kind {
		case "ConditionExpression", "FilterExpression", "KeyConditionExpression":
			msg += " expression size: " + strconv.Itoa(len(s))
		}
		return apierr.Validation(msg)
	}
	var buf [16]token
	p := &parser{src: s, kind: kind, toks: lex(s, buf[:0]), ph: ph, bind: bind}
	if bind != nil {
		bind.tokens = len(p.toks)
	}
	return run(p, body)
}

// run calls body(p) and converts a bailout into the returned error.
func run(p *parser, body func(p *parser)) (err error) {
	defer recoverBailout(&err)
	body(p)
	return nil
}

// recoverBailout, deferred, converts a bailout into *err; any other panic
// goes on.
func recoverBailout(err *error) {
	if r := recover(); r != nil {
		b, ok := r.(bailout)
		if !ok {
			panic(r)
		}
		*err = b.err
	}
}

// fail aborts the parse with "Invalid <Kind>: msg".
func (p *parser) fail(msg string) {
	panic(bailout{apierr.Validation("Invalid " + p.kind + ": " + msg)})
}

// failType reports a static operand-type error: it aborts like fail, or,
// after Placeholders.DeferTypeChecks, records the first one for CheckUnused
// and returns so that parsing continues.
func (p *parser) failType(msg string) {
	if p.ph != nil && p.ph.deferTypes {
		if p.ph.typeErr == nil {
			p.ph.typeErr = apierr.Validation("Invalid " + p.kind + ": " + msg)
		}
		return
	}
	p.fail(msg)
}

// syntaxError aborts with DynamoDB's syntax-error message for the current
// token (expressions.md §10).
func (p *parser) syntaxError() {
	p.syntaxErrorAt(p.pos)
}

func (p *parser) syntaxErrorAt(i int) {
	t := p.toks[i]
	var near string
	if t.kind == tEOF {
		start := 0
		if i > 0 {
			start = p.toks[i-1].start
		}
		near = p.src[start:]
	} else {
		start, end := t.start, t.end
		if i > 0 {
			start = p.toks[i-1].start
		}
		if n := p.toks[i+1]; n.kind != tEOF {
			end = n.end
		}
		near = p.src[start:end]
	}
	p.fail(`Syntax error; token: "` + t.text + `", near: "` + near + `"`)
}

func (p *parser) peek() token { return p.toks[p.pos] }

// peekAt returns the token k positions ahead (clamped to EOF).
func (p *parser) peekAt(k int) token {
	if p.pos+k >= len(p.toks) {
		return p.toks[len(p.toks)-1]
	}
	return p.toks[p.pos+k]
}

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

// expect consumes the punctuation s or fails with a syntax error.
func (p *parser) expect(s string) token {
	if !p.peek().is(s) {
		p.syntaxError()
	}
	return p.next()
}

// expectEOF fails unless the whole input has been consumed.
func (p *parser) expectEOF() {
	if p.peek().kind != tEOF {
		p.syntaxError()
	}
}

// startsPath reports whether t can begin a document path.
func startsPath(t token) bool {
	return t.kind == tName || t.kind == tWord && !t.isGrammarKeyword()
}

// parsePath parses path ::= element { '.' element | '[' DIGITS ']' }.
func (p *parser) parsePath() *Operand {
	if !startsPath(p.peek()) {
		p.syntaxError()
	}
	o := &Operand{Kind: OperandPath}
	o.elts = append(o.elts, p.next())
	for {
		switch t := p.peek(); {
		case t.is("."):
			p.next()
			if !startsPath(p.peek()) {
				p.syntaxError()
			}
			o.elts = append(o.elts, p.next())
		case t.is("["):
			p.next()
			if p.peek().kind != tNumber {
				p.syntaxError()
			}
			o.elts = append(o.elts, p.next())
			p.expect("]")
		default:
			p.leaves = append(p.leaves, o)
			return o
		}
	}
}

// parseValue parses a :value placeholder.
func (p *parser) parseValue() *Operand {
	if p.peek().kind != tValue {
		p.syntaxError()
	}
	o := &Operand{Kind: OperandValue, tok: p.next()}
	o.ValueName = o.tok.text
	p.leaves = append(p.leaves, o)
	return o
}

// parseCall parses NAME '(' [ arg { ',' arg } ] ')' with arg parsed by arg.
func (p *parser) parseCall(arg func() *Operand) *Operand {
	o := &Operand{Kind: OperandFunc, tok: p.next()}
	o.Func = o.tok.text
	p.expect("(")
	if p.peek().is(")") {
		p.next()
		return o
	}
	for {
		o.Args = append(o.Args, arg())
		if p.peek().is(",") {
			p.next()
			continue
		}
		p.expect(")")
		return o
	}
}

// resolveLeaves substitutes placeholders and checks reserved words, path
// depth and list indexes, in source order.
func (p *parser) resolveLeaves() {
	for _, o := range p.leaves {
		if o.Kind == OperandValue {
			v, ok := p.ph.value(o.ValueName)
			if !ok {
				p.fail("An expression attribute value used in expression is not defined; attribute value: " + o.ValueName)
			}
			o.Value = v
			if p.bind != nil {
				p.bind.addValue(o.ValueName)
			}
			continue
		}
		o.Path = make(Path, 0, len(o.elts))
		for _, t := range o.elts {
			switch t.kind {
			case tWord:
				if isReserved(t.text) {
					p.fail("Attribute name is a reserved keyword; reserved keyword: " + t.text)
				}
				o.Path = append(o.Path, PathElem{Name: t.text})
			case tName:
				n, ok := p.ph.name(t.text)
				if !ok {
					p.fail("An expression attribute name used in the document path is not defined; attribute name: " + t.text)
				}
				if p.bind != nil {
					n = p.bind.addName(t.text, n)
				}
				o.Path = append(o.Path, PathElem{Name: n})
			case tNumber:
				n, err := strconv.Atoi(t.text)
				if err != nil || n > maxListIndex {
					p.fail("List index is not within the allowable range; index: [" + t.text + "]")
				}
				o.Path = append(o.Path, PathElem{Index: n, IsIndex: true})
			}
		}
		if len(o.Path) > maxPathElements {
			p.fail("The document path has too many nesting levels; nesting levels: " + strconv.Itoa(len(o.Path)))
		}
	}
}
