package partiql

import (
	"strconv"
	"strings"

	"github.com/petreldb/petrel/internal/attr"
)

// maxDepth bounds expression nesting so that a hostile statement cannot
// exhaust the stack (the Statement member is at most 8192 bytes).
const maxDepth = 200

// isReserved reports whether the lower-cased word w cannot start a bare
// path because the grammar gives it a meaning there. Quote such names
// ("value") to use them as attribute names.
func isReserved(w string) bool {
	switch w {
	case "and", "or", "not", "between", "in", "is", "from", "where", "order", "by", "set", "remove",
		"returning", "missing", "null", "true", "false", "select", "insert", "update", "delete",
		"value", "values", "into", "asc", "desc", "exists":
		return true
	}
	return false
}

// Parse parses one PartiQL statement. Errors are a *SyntaxError (rendered
// as DynamoDB's "wasn't well formed" ValidationException) or an
// *apierr.Error for well-formed but unsupported statements (DDL, invalid
// numbers).
func Parse(s string) (*Statement, error) {
	toks, err := lex(s)
	if err != nil {
		err.(*SyntaxError).Statement = s
		return nil, err
	}
	p := &parser{toks: toks}
	st, err := p.statement()
	if err != nil {
		if se, ok := err.(*SyntaxError); ok {
			se.Statement = s
		}
		return nil, err
	}
	st.Params = p.params
	return st, nil
}

// parser is a recursive-descent parser over a token slice.
type parser struct {
	toks   []token
	i      int
	params int
	depth  int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// isKw reports whether the next token is the keyword kw (lower case).
func (p *parser) isKw(kw string) bool {
	t := p.peek()
	return t.kind == tokIdent && strings.EqualFold(t.text, kw)
}

// acceptKw consumes keyword kw if it is next.
func (p *parser) acceptKw(kw string) bool {
	if p.isKw(kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectKw(kw string) error {
	if !p.acceptKw(kw) {
		return p.unexpected("expected " + strings.ToUpper(kw))
	}
	return nil
}

func (p *parser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tokPunct && t.text == s
}

func (p *parser) acceptPunct(s string) bool {
	if p.isPunct(s) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectPunct(s string) error {
	if !p.acceptPunct(s) {
		return p.unexpected("expected '" + s + "'")
	}
	return nil
}

// unexpected is a syntax error at the next token.
func (p *parser) unexpected(want string) error {
	t := p.peek()
	got := "end of statement"
	if t.kind != tokEOF {
		got = strconv.Quote(t.text)
	}
	return syntaxErr(t.pos, want+", got "+got)
}

func (p *parser) statement() (*Statement, error) {
	t := p.peek()
	if t.kind != tokIdent {
		return nil, p.unexpected("expected a statement")
	}
	var st *Statement
	var err error
	switch strings.ToLower(t.text) {
	case "select":
		st, err = p.selectStmt()
	case "insert":
		st, err = p.insertStmt()
	case "update":
		st, err = p.updateStmt()
	case "delete":
		st, err = p.deleteStmt()
	case "exists":
		st, err = p.existsStmt()
	case "create", "drop":
		return nil, p.ddl()
	default:
		return nil, p.unexpected("expected SELECT, INSERT, UPDATE, DELETE or EXISTS")
	}
	if err != nil {
		return nil, err
	}
	p.acceptPunct(";")
	if p.peek().kind != tokEOF {
		return nil, p.unexpected("expected end of statement")
	}
	return st, nil
}

// ddl answers CREATE/DROP TABLE/INDEX with DynamoDB's "Unsupported
// operation" (errors.md N10) naming the API operation it stands for.
func (p *parser) ddl() error {
	verb := strings.ToLower(p.next().text)
	obj := p.next()
	if obj.kind != tokIdent {
		p.i--
		return p.unexpected("expected TABLE or INDEX")
	}
	switch strings.ToLower(obj.text) {
	case "table":
		if verb == "create" {
			return unsupported("CreateTable")
		}
		return unsupported("DeleteTable")
	case "index":
		return unsupported("UpdateTable")
	}
	p.i--
	return p.unexpected("expected TABLE or INDEX")
}

func (p *parser) selectStmt() (*Statement, error) {
	p.next() // SELECT
	st := &Statement{Kind: Select}
	if !p.acceptPunct("*") {
		for {
			path, err := p.path()
			if err != nil {
				return nil, err
			}
			st.Projection = append(st.Projection, path)
			if !p.acceptPunct(",") {
				break
			}
		}
	}
	var err error
	if st.Table, err = p.keywordName("from"); err != nil {
		return nil, err
	}
	if p.acceptPunct(".") {
		if st.Index, err = p.name(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("where") {
		if st.Where, err = p.expr(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("order") {
		if err := p.expectKw("by"); err != nil {
			return nil, err
		}
		for {
			path, err := p.path()
			if err != nil {
				return nil, err
			}
			k := OrderKey{Path: path}
			if p.acceptKw("desc") {
				k.Desc = true
			} else {
				p.acceptKw("asc")
			}
			st.OrderBy = append(st.OrderBy, k)
			if !p.acceptPunct(",") {
				break
			}
		}
	}
	return st, nil
}

func (p *parser) insertStmt() (*Statement, error) {
	p.next() // INSERT
	st := &Statement{Kind: Insert}
	var err error
	if st.Table, err = p.keywordName("into"); err != nil {
		return nil, err
	}
	if st.Value, err = p.keywordExpr("value"); err != nil {
		return nil, err
	}
	return st, nil
}

func (p *parser) updateStmt() (*Statement, error) {
	p.next() // UPDATE
	st := &Statement{Kind: Update}
	var err error
	if st.Table, err = p.name(); err != nil {
		return nil, err
	}
	for {
		switch {
		case p.acceptKw("set"):
			for {
				path, err := p.path()
				if err != nil {
					return nil, err
				}
				if err := p.expectPunct("="); err != nil {
					return nil, err
				}
				v, err := p.sum()
				if err != nil {
					return nil, err
				}
				st.Actions = append(st.Actions, Action{Path: path, Value: v})
				if !p.moreActions() {
					break
				}
			}
		case p.acceptKw("remove"):
			for {
				path, err := p.path()
				if err != nil {
					return nil, err
				}
				st.Actions = append(st.Actions, Action{Path: path})
				if !p.moreActions() {
					break
				}
			}
		default:
			if len(st.Actions) == 0 {
				return nil, p.unexpected("expected SET or REMOVE")
			}
			return p.whereReturning(st)
		}
	}
}

// moreActions consumes the comma after an UPDATE action and reports
// whether another action of the same SET or REMOVE clause follows: not
// without a comma, nor when a new SET or REMOVE clause starts after it.
func (p *parser) moreActions() bool {
	return p.acceptPunct(",") && !p.isKw("set") && !p.isKw("remove")
}

func (p *parser) deleteStmt() (*Statement, error) {
	p.next() // DELETE
	st := &Statement{Kind: Delete}
	var err error
	if st.Table, err = p.keywordName("from"); err != nil {
		return nil, err
	}
	return p.whereReturning(st)
}

// keywordName parses keyword kw followed by a table name (INSERT INTO t,
// DELETE FROM t).
func (p *parser) keywordName(kw string) (string, error) {
	if err := p.expectKw(kw); err != nil {
		return "", err
	}
	return p.name()
}

// keywordExpr parses keyword kw followed by an expression (INSERT's
// VALUE, WHERE).
func (p *parser) keywordExpr(kw string) (*Expr, error) {
	if err := p.expectKw(kw); err != nil {
		return nil, err
	}
	return p.expr()
}

// whereReturning parses the WHERE clause and optional RETURNING clause
// that end UPDATE and DELETE, into st.
func (p *parser) whereReturning(st *Statement) (*Statement, error) {
	var err error
	if st.Where, err = p.keywordExpr("where"); err != nil {
		return nil, err
	}
	if err := p.returning(st); err != nil {
		return nil, err
	}
	return st, nil
}

// returning parses an optional RETURNING (ALL|MODIFIED) (OLD|NEW) *.
func (p *parser) returning(st *Statement) error {
	if !p.acceptKw("returning") {
		return nil
	}
	var which, when string
	switch {
	case p.acceptKw("all"):
		which = "ALL"
	case p.acceptKw("modified"):
		which = "MODIFIED"
	default:
		return p.unexpected("expected ALL or MODIFIED")
	}
	switch {
	case p.acceptKw("old"):
		when = "OLD"
	case p.acceptKw("new"):
		when = "NEW"
	default:
		return p.unexpected("expected OLD or NEW")
	}
	if err := p.expectPunct("*"); err != nil {
		return err
	}
	st.Returning = which + " " + when
	return nil
}

func (p *parser) existsStmt() (*Statement, error) {
	p.next() // EXISTS
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	if !p.isKw("select") {
		return nil, p.unexpected("expected SELECT")
	}
	inner, err := p.selectStmt()
	if err != nil {
		return nil, err
	}
	if err := p.expectPunct(")"); err != nil {
		return nil, err
	}
	return &Statement{Kind: Exists, Table: inner.Table, Inner: inner}, nil
}

// name parses a table, index or attribute name: a bare word or a
// double-quoted identifier.
func (p *parser) name() (string, error) {
	t := p.peek()
	switch {
	case t.kind == tokQuoted:
		p.i++
		return t.text, nil
	case t.kind == tokIdent && !isReserved(strings.ToLower(t.text)):
		p.i++
		return t.text, nil
	}
	return "", p.unexpected("expected a name")
}

// path parses name { . name | [ integer ] | [ 'string' ] }.
func (p *parser) path() (Path, error) {
	first, err := p.name()
	if err != nil {
		return nil, err
	}
	return p.pathRest(Path{{Name: first}})
}

func (p *parser) pathRest(path Path) (Path, error) {
	for {
		switch {
		case p.acceptPunct("."):
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			path = append(path, PathElem{Name: n})
		case p.acceptPunct("["):
			t := p.next()
			switch t.kind {
			case tokNumber:
				n, err := strconv.Atoi(t.text)
				if err != nil || n < 0 {
					return nil, syntaxErr(t.pos, "invalid list index "+t.text)
				}
				path = append(path, PathElem{Index: n, IsIndex: true})
			case tokString:
				path = append(path, PathElem{Name: t.text})
			default:
				p.i--
				return nil, p.unexpected("expected a list index")
			}
			if err := p.expectPunct("]"); err != nil {
				return nil, err
			}
		default:
			return path, nil
		}
	}
}

// expr parses a full expression (lowest precedence: OR).
func (p *parser) expr() (*Expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.unexpected("expression nested too deeply")
	}
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.acceptKw("or") {
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &Expr{Kind: ExprOr, Op: "OR", Args: []*Expr{l, r}}
	}
	return l, nil
}

func (p *parser) and() (*Expr, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.acceptKw("and") {
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		l = &Expr{Kind: ExprAnd, Op: "AND", Args: []*Expr{l, r}}
	}
	return l, nil
}

func (p *parser) not() (*Expr, error) {
	if p.acceptKw("not") {
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, p.unexpected("expression nested too deeply")
		}
		e, err := p.not()
		if err != nil {
			return nil, err
		}
		return &Expr{Kind: ExprNot, Op: "NOT", Args: []*Expr{e}}, nil
	}
	return p.predicate()
}

func (p *parser) predicate() (*Expr, error) {
	l, err := p.sum()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tokPunct {
		switch t.text {
		case "=", "<>", "!=", "<", "<=", ">", ">=":
			p.i++
			r, err := p.sum()
			if err != nil {
				return nil, err
			}
			op := t.text
			if op == "!=" {
				op = "<>"
			}
			return &Expr{Kind: ExprCompare, Op: op, Args: []*Expr{l, r}}, nil
		}
		return l, nil
	}
	negate := false
	if p.isKw("not") && p.i+1 < len(p.toks) {
		nt := p.toks[p.i+1]
		if nt.kind == tokIdent && (strings.EqualFold(nt.text, "between") || strings.EqualFold(nt.text, "in")) {
			p.i++
			negate = true
		}
	}
	var e *Expr
	switch {
	case p.acceptKw("between"):
		lo, err := p.sum()
		if err != nil {
			return nil, err
		}
		if err := p.expectKw("and"); err != nil {
			return nil, err
		}
		hi, err := p.sum()
		if err != nil {
			return nil, err
		}
		e = &Expr{Kind: ExprBetween, Args: []*Expr{l, lo, hi}}
	case p.acceptKw("in"):
		args, err := p.inList()
		if err != nil {
			return nil, err
		}
		e = &Expr{Kind: ExprIn, Args: append([]*Expr{l}, args...)}
	case p.acceptKw("is"):
		not := p.acceptKw("not")
		var what string
		switch {
		case p.acceptKw("missing"):
			what = "MISSING"
		case p.acceptKw("null"):
			what = "NULL"
		default:
			for name := range isTypes {
				if p.acceptKw(name) {
					what = strings.ToUpper(name)
					break
				}
			}
			if what == "" {
				return nil, p.unexpected("expected MISSING, NULL or a type name")
			}
		}
		e = &Expr{Kind: ExprIs, Op: what, Args: []*Expr{l}}
		if not {
			e = &Expr{Kind: ExprNot, Op: "NOT", Args: []*Expr{e}}
		}
		return e, nil
	default:
		return l, nil
	}
	if negate {
		e = &Expr{Kind: ExprNot, Op: "NOT", Args: []*Expr{e}}
	}
	return e, nil
}

// inList parses the right side of IN: [a, b], (a, b) or ?.
func (p *parser) inList() ([]*Expr, error) {
	if p.peek().kind == tokParam {
		e, err := p.primary()
		if err != nil {
			return nil, err
		}
		return []*Expr{e}, nil
	}
	closer := "]"
	if p.acceptPunct("(") {
		closer = ")"
	} else if err := p.expectPunct("["); err != nil {
		return nil, err
	}
	return p.exprList(closer)
}

// exprList parses expressions separated by commas up to closer (consumed).
func (p *parser) exprList(closer string) ([]*Expr, error) {
	var args []*Expr
	if p.acceptPunct(closer) {
		return args, nil
	}
	for {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = append(args, e)
		if p.acceptPunct(closer) {
			return args, nil
		}
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
}

func (p *parser) sum() (*Expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.isPunct("+") || p.isPunct("-") {
		op := p.next().text
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &Expr{Kind: ExprArith, Op: op, Args: []*Expr{l, r}}
	}
	return l, nil
}

func (p *parser) unary() (*Expr, error) {
	if p.acceptPunct("-") {
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, p.unexpected("expression nested too deeply")
		}
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		if e.Kind == ExprLiteral && e.Value.Type == attr.N {
			// Fold -<number> into a literal.
			n, err := attr.CanonicalNumber("-" + e.Value.Str)
			if err != nil {
				return nil, err
			}
			return &Expr{Kind: ExprLiteral, Value: attr.Num(n)}, nil
		}
		return &Expr{Kind: ExprNeg, Op: "-", Args: []*Expr{e}}, nil
	}
	return p.primary()
}

func (p *parser) primary() (*Expr, error) {
	t := p.peek()
	switch t.kind {
	case tokString:
		p.i++
		return &Expr{Kind: ExprLiteral, Value: attr.Str(t.text)}, nil
	case tokNumber:
		p.i++
		n, err := attr.CanonicalNumber(t.text)
		if err != nil {
			return nil, err
		}
		return &Expr{Kind: ExprLiteral, Value: attr.Num(n)}, nil
	case tokParam:
		p.i++
		e := &Expr{Kind: ExprParam, Param: p.params}
		p.params++
		return e, nil
	case tokQuoted:
		return p.pathExpr()
	case tokIdent:
		switch strings.ToLower(t.text) {
		case "true", "false":
			p.i++
			return &Expr{Kind: ExprLiteral, Value: attr.Boolean(strings.EqualFold(t.text, "true"))}, nil
		case "null":
			p.i++
			return &Expr{Kind: ExprLiteral, Value: attr.Null()}, nil
		case "missing":
			p.i++
			return &Expr{Kind: ExprMissing}, nil
		}
		if nt := p.toks[p.i+1]; nt.kind == tokPunct && nt.text == "(" && !isReserved(strings.ToLower(t.text)) {
			p.i += 2
			args, err := p.exprList(")")
			if err != nil {
				return nil, err
			}
			return &Expr{Kind: ExprCall, Op: strings.ToLower(t.text), Args: args}, nil
		}
		return p.pathExpr()
	case tokPunct:
		switch t.text {
		case "(":
			p.i++
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expectPunct(")"); err != nil {
				return nil, err
			}
			return e, nil
		case "[":
			p.i++
			args, err := p.exprList("]")
			if err != nil {
				return nil, err
			}
			return &Expr{Kind: ExprList, Args: args}, nil
		case "<<":
			p.i++
			args, err := p.exprList(">>")
			if err != nil {
				return nil, err
			}
			return &Expr{Kind: ExprSet, Args: args}, nil
		case "{":
			p.i++
			return p.mapLiteral()
		}
	}
	return nil, p.unexpected("expected a value")
}

func (p *parser) pathExpr() (*Expr, error) {
	path, err := p.path()
	if err != nil {
		return nil, err
	}
	return &Expr{Kind: ExprPath, Path: path}, nil
}

// mapLiteral parses the members of {'k': v, ...} after the brace.
func (p *parser) mapLiteral() (*Expr, error) {
	e := &Expr{Kind: ExprMap}
	if p.acceptPunct("}") {
		return e, nil
	}
	for {
		t := p.next()
		if t.kind != tokString && t.kind != tokQuoted {
			p.i--
			return nil, p.unexpected("expected a quoted member name")
		}
		if err := p.expectPunct(":"); err != nil {
			return nil, err
		}
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		e.Keys = append(e.Keys, t.text)
		e.Args = append(e.Args, v)
		if p.acceptPunct("}") {
			return e, nil
		}
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
}
