package partiql

import (
	"strconv"
	"strings"

	"github.com/petreldb/petrel/internal/attr"
)

// Kind is the kind of a statement.
type Kind uint8

// The statement kinds.
const (
	Select Kind = iota + 1
	Insert
	Update
	Delete
	Exists // EXISTS(SELECT ...): a condition check, only in ExecuteTransaction
)

// String returns the statement keyword.
func (k Kind) String() string {
	switch k {
	case Select:
		return "SELECT"
	case Insert:
		return "INSERT"
	case Update:
		return "UPDATE"
	case Delete:
		return "DELETE"
	case Exists:
		return "EXISTS"
	}
	return "?"
}

// Statement is one parsed PartiQL statement.
type Statement struct {
	Kind  Kind
	Table string
	// Index is the index of a SELECT's FROM "table"."index", or "".
	Index string
	// Projection lists a SELECT's projected paths; nil means *.
	Projection []Path
	// Where is the WHERE condition, or nil.
	Where *Expr
	// OrderBy lists a SELECT's ORDER BY keys.
	OrderBy []OrderKey
	// Value is the item an INSERT writes.
	Value *Expr
	// Actions are an UPDATE's SET and REMOVE actions in source order.
	Actions []Action
	// Returning is an UPDATE's or DELETE's RETURNING clause: "ALL OLD",
	// "MODIFIED OLD", "ALL NEW", "MODIFIED NEW", or "".
	Returning string
	// Inner is the SELECT of an EXISTS statement.
	Inner *Statement
	// Params is the number of ? placeholders in the statement.
	Params int
}

// OrderKey is one ORDER BY key.
type OrderKey struct {
	Path Path
	Desc bool
}

// Action is one UPDATE action: SET Path = Value, or REMOVE Path (Value nil).
type Action struct {
	Path  Path
	Value *Expr
}

// PathElem is one element of a document path: a name, or (IsIndex) a list
// index.
type PathElem struct {
	Name    string
	Index   int
	IsIndex bool
}

// Path is a document path such as a.b[0].c; its first element is a name.
type Path []PathElem

// String renders the path with every name double-quoted: "a"."b"[0].
func (p Path) String() string {
	var b strings.Builder
	for i, e := range p {
		if e.IsIndex {
			b.WriteString("[" + strconv.Itoa(e.Index) + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(quoteIdent(e.Name))
	}
	return b.String()
}

// ExprKind is the kind of an expression node.
type ExprKind uint8

// The expression kinds.
const (
	ExprLiteral ExprKind = iota + 1 // Value: a string, number, boolean or NULL
	ExprMissing                     // the MISSING literal
	ExprParam                       // Param: the Param'th ? (0-based)
	ExprPath                        // Path
	ExprList                        // [Args...]
	ExprMap                         // {Keys[i]: Args[i]...}
	ExprSet                         // <<Args...>>
	ExprCall                        // Op(Args...); Op lower-cased
	ExprCompare                     // Args[0] Op Args[1]; Op is = <> < <= > >= (!= is <>)
	ExprBetween                     // Args[0] BETWEEN Args[1] AND Args[2]
	ExprIn                          // Args[0] IN Args[1:] (Args[1] may be a ? standing for a list)
	ExprIs                          // Args[0] IS Op (MISSING, NULL or an upper-case isTypes name)
	ExprAnd                         // Args[0] AND Args[1]
	ExprOr                          // Args[0] OR Args[1]
	ExprNot                         // NOT Args[0]
	ExprArith                       // Args[0] Op Args[1]; Op is + or -
	ExprNeg                         // -Args[0]
)

// Expr is an expression node: a value, a path, a call or a condition.
type Expr struct {
	Kind  ExprKind
	Op    string
	Value attr.Value
	Param int
	Path  Path
	Keys  []string
	Args  []*Expr
}

// String renders the expression in canonical PartiQL: every operator
// parenthesised, names double-quoted; it parses back to the same AST.
func (e *Expr) String() string {
	var b strings.Builder
	e.render(&b)
	return b.String()
}

func (e *Expr) render(b *strings.Builder) {
	list := func(open, sep, close string, args []*Expr) {
		b.WriteString(open)
		for i, a := range args {
			if i > 0 {
				b.WriteString(sep)
			}
			a.render(b)
		}
		b.WriteString(close)
	}
	switch e.Kind {
	case ExprLiteral:
		b.WriteString(literalString(e.Value))
	case ExprMissing:
		b.WriteString("MISSING")
	case ExprParam:
		b.WriteByte('?')
	case ExprPath:
		b.WriteString(e.Path.String())
	case ExprList:
		list("[", ", ", "]", e.Args)
	case ExprSet:
		list("<<", ", ", ">>", e.Args)
	case ExprMap:
		b.WriteByte('{')
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quoteString(e.Keys[i]) + ": ")
			a.render(b)
		}
		b.WriteByte('}')
	case ExprCall:
		b.WriteString(e.Op)
		list("(", ", ", ")", e.Args)
	case ExprCompare, ExprAnd, ExprOr, ExprArith:
		b.WriteByte('(')
		e.Args[0].render(b)
		b.WriteString(" " + e.Op + " ")
		e.Args[1].render(b)
		b.WriteByte(')')
	case ExprBetween:
		b.WriteByte('(')
		e.Args[0].render(b)
		b.WriteString(" BETWEEN ")
		e.Args[1].render(b)
		b.WriteString(" AND ")
		e.Args[2].render(b)
		b.WriteByte(')')
	case ExprIn:
		b.WriteByte('(')
		e.Args[0].render(b)
		b.WriteString(" IN ")
		list("[", ", ", "]", e.Args[1:])
		b.WriteByte(')')
	case ExprIs:
		b.WriteByte('(')
		e.Args[0].render(b)
		b.WriteString(" IS " + e.Op + ")")
	case ExprNot:
		b.WriteString("(NOT ")
		e.Args[0].render(b)
		b.WriteByte(')')
	case ExprNeg:
		b.WriteString("(-")
		e.Args[0].render(b)
		b.WriteByte(')')
	}
}

// String renders the statement in canonical PartiQL (see Expr.String).
func (s *Statement) String() string {
	var b strings.Builder
	switch s.Kind {
	case Select:
		b.WriteString("SELECT ")
		if s.Projection == nil {
			b.WriteByte('*')
		}
		for i, p := range s.Projection {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p.String())
		}
		b.WriteString(" FROM " + quoteIdent(s.Table))
		if s.Index != "" {
			b.WriteString("." + quoteIdent(s.Index))
		}
	case Insert:
		b.WriteString("INSERT INTO " + quoteIdent(s.Table) + " VALUE " + s.Value.String())
	case Update:
		b.WriteString("UPDATE " + quoteIdent(s.Table))
		for _, a := range s.Actions {
			if a.Value == nil {
				b.WriteString(" REMOVE " + a.Path.String())
			} else {
				b.WriteString(" SET " + a.Path.String() + " = " + a.Value.String())
			}
		}
	case Delete:
		b.WriteString("DELETE FROM " + quoteIdent(s.Table))
	case Exists:
		return "EXISTS(" + s.Inner.String() + ")"
	}
	if s.Where != nil {
		b.WriteString(" WHERE " + s.Where.String())
	}
	for i, k := range s.OrderBy {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(k.Path.String())
		if k.Desc {
			b.WriteString(" DESC")
		} else {
			b.WriteString(" ASC")
		}
	}
	if s.Returning != "" {
		b.WriteString(" RETURNING " + s.Returning + " *")
	}
	return b.String()
}

// quoteIdent double-quotes an identifier, doubling inner quotes.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteString single-quotes a string literal, doubling inner quotes.
func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// literalString renders a literal value (and, for tests and messages, any
// bound value) in PartiQL syntax.
func literalString(v attr.Value) string {
	switch v.Type {
	case attr.S:
		return quoteString(v.Str)
	case attr.N:
		return v.Str
	case attr.BOOL:
		if v.Bool {
			return "TRUE"
		}
		return "FALSE"
	case attr.NULL:
		return "NULL"
	case attr.B:
		return "BLOB(" + strconv.Itoa(len(v.Bytes)) + ")"
	case attr.SS, attr.NS:
		parts := make([]string, len(v.Strs))
		for i, s := range v.Strs {
			if v.Type == attr.SS {
				parts[i] = quoteString(s)
			} else {
				parts[i] = s
			}
		}
		return "<<" + strings.Join(parts, ", ") + ">>"
	case attr.L:
		parts := make([]string, len(v.List))
		for i, e := range v.List {
			parts[i] = literalString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case attr.M:
		return "{" + strconv.Itoa(len(v.Map)) + " members}"
	}
	return v.Type.String()
}
