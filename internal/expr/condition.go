package expr

import (
	"encoding/base64"
	"strconv"

	"github.com/petreldb/petrel/internal/attr"
)

// ParseCondition parses a ConditionExpression, resolving placeholders from p
// (and recording their use). Errors are *apierr.Error with DynamoDB's
// "Invalid ConditionExpression: ..." messages.
func ParseCondition(s string, p *Placeholders) (*Condition, error) {
	return (*Cache)(nil).ParseCondition(s, p)
}

// ParseFilter parses a FilterExpression (Query/Scan); the grammar and rules
// are those of ParseCondition, with the "Invalid FilterExpression: " prefix.
func ParseFilter(s string, p *Placeholders) (*Condition, error) {
	return (*Cache)(nil).ParseFilter(s, p)
}

// parseOr parses condition ::= disjunct { OR disjunct }.
func (p *parser) parseOr() *Condition {
	left := p.parseAnd()
	for p.peek().keyword("OR") {
		t := p.next()
		left = &Condition{Kind: CondOr, Left: left, Right: p.parseAnd(), tok: t}
	}
	return left
}

// parseAnd parses disjunct ::= conjunct { AND conjunct }.
func (p *parser) parseAnd() *Condition {
	left := p.parseNot()
	for p.peek().keyword("AND") {
		t := p.next()
		left = &Condition{Kind: CondAnd, Left: left, Right: p.parseNot(), tok: t}
	}
	return left
}

// parseNot parses conjunct ::= NOT conjunct | primary.
func (p *parser) parseNot() *Condition {
	if p.peek().keyword("NOT") {
		t := p.next()
		return &Condition{Kind: CondNot, Left: p.parseNot(), tok: t}
	}
	return p.parsePrimary()
}

func isComparator(t token) bool {
	if t.kind != tPunct {
		return false
	}
	switch t.text {
	case "=", "<>", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// parsePrimary parses a parenthesised condition, a comparison, BETWEEN, IN
// or a condition function.
func (p *parser) parsePrimary() *Condition {
	if p.peek().is("(") {
		p.next()
		c := p.parseOr()
		p.expect(")")
		return c
	}
	left := p.parseCondOperand()
	t := p.peek()
	switch {
	case isComparator(t):
		p.next()
		return &Condition{Kind: CondCompare, Op: t.text, Args: []*Operand{left, p.parseCondOperand()}, tok: t}
	case t.keyword("BETWEEN"):
		p.next()
		lo := p.parseCondOperand()
		if !p.peek().keyword("AND") {
			p.syntaxError()
		}
		p.next()
		hi := p.parseCondOperand()
		return &Condition{Kind: CondBetween, Op: "BETWEEN", Args: []*Operand{left, lo, hi}, tok: t}
	case t.keyword("IN"):
		p.next()
		p.expect("(")
		c := &Condition{Kind: CondIn, Op: "IN", Args: []*Operand{left}, tok: t}
		for {
			c.Args = append(c.Args, p.parseCondOperand())
			if p.peek().is(",") {
				p.next()
				continue
			}
			p.expect(")")
			return c
		}
	}
	if left.Kind == OperandFunc {
		return &Condition{Kind: CondFunc, Op: left.Func, Args: left.Args, tok: left.tok}
	}
	p.syntaxError()
	return nil
}

// parseCondOperand parses operand ::= path | ':value' | NAME '(' args ')'.
func (p *parser) parseCondOperand() *Operand {
	t := p.peek()
	switch {
	case t.kind == tValue:
		return p.parseValue()
	case t.kind == tWord && p.peekAt(1).is("("):
		return p.parseCall(p.parseCondOperand)
	}
	return p.parsePath()
}

// Static checks (expressions.md §3, §3.1).

const (
	msgOperandType   = "Incorrect operand type for operator or function; operator or function: "
	msgOperandCount  = "Incorrect number of operands for operator or function; operator or function: "
	msgNeedsPath     = "Operator or function requires a document path; operator or function: "
	msgUsedThisWay   = "The function is not allowed to be used this way in an expression; function: "
	msgNotInCond     = "The function is not allowed in a condition expression; function: "
	msgNotInUpdate   = "The function is not allowed in an update expression; function: "
	msgBadFunction   = "Invalid function name; function: "
	msgDistinct      = "The first operand must be distinct from the remaining operands for this operator or function; operator: "
	msgAttrTypeNames = "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}"
)

// conditionFuncs are the functions that are conditions by themselves, with
// their operand counts.
func conditionFuncArity(name string) int {
	switch name {
	case "attribute_exists", "attribute_not_exists":
		return 1
	case "attribute_type", "begins_with", "contains":
		return 2
	}
	return 0
}

func (p *parser) checkCondition(c *Condition) {
	switch c.Kind {
	case CondAnd, CondOr:
		p.checkCondition(c.Left)
		p.checkCondition(c.Right)
	case CondNot:
		p.checkCondition(c.Left)
	case CondCompare:
		p.checkCondOperands(c.Args)
		if c.Op != "=" && c.Op != "<>" {
			for _, a := range c.Args {
				p.checkOrderable(c.Op, a)
			}
		}
		p.checkDistinct(c.Op, c.Args)
	case CondBetween:
		p.checkCondOperands(c.Args)
		for _, a := range c.Args {
			p.checkOrderable("BETWEEN", a)
		}
		p.checkDistinct("BETWEEN", c.Args)
		lo, hi := c.Args[1], c.Args[2]
		if lo.Kind == OperandValue && hi.Kind == OperandValue {
			p.checkBounds(lo.Value, hi.Value)
		}
	case CondIn:
		if n := len(c.Args) - 1; n > maxInOperands {
			p.fail("The IN operator is provided with too many operands; number of operands: " + strconv.Itoa(n))
		}
		p.checkCondOperands(c.Args)
		p.checkDistinct("IN", c.Args)
	case CondFunc:
		p.checkCondFunc(c)
	}
}

func (p *parser) checkCondFunc(c *Condition) {
	name := c.Op
	switch name {
	case "size":
		p.fail(msgUsedThisWay + name)
	case "list_append", "if_not_exists":
		p.fail(msgNotInCond + name)
	}
	n := conditionFuncArity(name)
	if n == 0 {
		p.fail(msgBadFunction + name)
	}
	if len(c.Args) != n {
		p.fail(msgOperandCount + name + ", number of operands: " + strconv.Itoa(len(c.Args)))
	}
	p.checkCondOperands(c.Args)
	first := c.Args[0]
	if first.Kind != OperandPath && !(first.Kind == OperandValue && (name == "begins_with" || name == "contains")) {
		p.fail(msgNeedsPath + name)
	}
	switch name {
	case "attribute_type":
		if v := c.Args[1]; v.Kind == OperandValue {
			if v.Value.Type != attr.S {
				p.failType(msgOperandType + name + ", operand type: " + v.Value.Type.String())
			} else if !validTypeName(v.Value.Str) {
				p.failType("Invalid attribute type name found; type: " + v.Value.Str + ", valid types: " + msgAttrTypeNames)
			}
		}
	case "begins_with":
		for _, v := range c.Args {
			if v.Kind == OperandValue && v.Value.Type != attr.S && v.Value.Type != attr.B {
				p.failType(msgOperandType + name + ", operand type: " + v.Value.Type.String())
			}
		}
		p.checkDistinct(name, c.Args)
	case "contains":
		p.checkDistinct(name, c.Args)
	}
}

func validTypeName(s string) bool {
	switch s {
	case "S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M":
		return true
	}
	return false
}

// checkCondOperands checks that each operand is a path, a value or size(path).
func (p *parser) checkCondOperands(args []*Operand) {
	for _, a := range args {
		if a.Kind != OperandFunc {
			continue
		}
		switch a.Func {
		case "size":
			if len(a.Args) != 1 {
				p.fail(msgOperandCount + "size, number of operands: " + strconv.Itoa(len(a.Args)))
			}
			if a.Args[0].Kind != OperandPath {
				p.fail(msgNeedsPath + "size")
			}
		case "list_append", "if_not_exists":
			p.fail(msgNotInCond + a.Func)
		default:
			if conditionFuncArity(a.Func) > 0 {
				p.fail(msgUsedThisWay + a.Func)
			}
			p.fail(msgBadFunction + a.Func)
		}
	}
}

// checkOrderable rejects constants that cannot be ordered (§3.1).
func (p *parser) checkOrderable(op string, a *Operand) {
	if a.Kind != OperandValue {
		return
	}
	switch a.Value.Type {
	case attr.N, attr.S, attr.B:
		return
	}
	p.failType(msgOperandType + op + ", operand type: " + a.Value.Type.String())
}

// checkDistinct rejects a first operand that reappears among the others
// (a = a, contains(a, a)); constants may repeat.
func (p *parser) checkDistinct(op string, args []*Operand) {
	first := args[0]
	if first.Kind == OperandValue {
		return
	}
	for _, a := range args[1:] {
		if sameOperand(first, a) {
			p.fail(msgDistinct + op + ", first operand: " + operandDesc(first))
		}
	}
}

func sameOperand(a, b *Operand) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case OperandPath:
		return a.Path.Equal(b.Path)
	case OperandFunc:
		if a.Func != b.Func || len(a.Args) != len(b.Args) {
			return false
		}
		for i := range a.Args {
			if !sameOperand(a.Args[i], b.Args[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func operandDesc(o *Operand) string {
	if o.Kind == OperandPath {
		return o.Path.bracketString()
	}
	return o.String()
}

// checkBounds applies the constant-BETWEEN rules (H23, H24).
func (p *parser) checkBounds(lo, hi attr.Value) {
	desc := "; lower bound operand: AttributeValue: {" + valueDesc(lo) + "}, upper bound operand: AttributeValue: {" + valueDesc(hi) + "}"
	if lo.Type != hi.Type {
		p.failType("The BETWEEN operator requires same data type for lower and upper bounds" + desc)
		return
	}
	if c, ok := attr.Compare(lo, hi); ok && c > 0 {
		p.failType("The BETWEEN operator requires upper bound to be greater than or equal to lower bound" + desc)
	}
}

// valueDesc renders a scalar the way DynamoDB's BETWEEN messages do: N:10.
func valueDesc(v attr.Value) string {
	switch v.Type {
	case attr.S, attr.N:
		return v.Type.String() + ":" + v.Str
	case attr.B:
		return "B:" + base64.StdEncoding.EncodeToString(v.Bytes)
	}
	return v.Type.String()
}
