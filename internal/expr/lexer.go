package expr

import "unicode/utf8"

// tokKind classifies a lexical token.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tWord           // bare word: letter { letter | digit | '_' }
	tName           // #placeholder
	tValue          // :placeholder
	tNumber         // digit run (only valid as a list index)
	tPunct          // = <> < <= > >= ( ) [ ] , . + -
	tOther          // any other single character (always a syntax error)
)

// token is one lexical token; start/end are byte offsets into the input.
type token struct {
	kind       tokKind
	start, end int
	text       string
}

// is reports whether t is the punctuation p.
func (t token) is(p string) bool { return t.kind == tPunct && t.text == p }

// keyword reports whether t is the bare word kw (ASCII case-insensitive; kw
// must be upper case).
func (t token) keyword(kw string) bool {
	if t.kind != tWord || len(t.text) != len(kw) {
		return false
	}
	for i := 0; i < len(kw); i++ {
		c := t.text[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != kw[i] {
			return false
		}
	}
	return true
}

// isGrammarKeyword reports whether a bare word is one of the words the
// grammar reserves for itself; used as a name they are syntax errors rather
// than "reserved keyword" errors (expressions.md §1).
func (t token) isGrammarKeyword() bool {
	for _, kw := range [...]string{"ADD", "AND", "BETWEEN", "DELETE", "IN", "NOT", "OR", "SET"} {
		if t.keyword(kw) {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isWordChar(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_'
}

// lex splits s into tokens, always ending with a tEOF token. It never fails:
// characters that start nothing valid become single-character tOther tokens,
// which the parser then reports as DynamoDB does.
func lex(s string, toks []token) []token {
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		if i >= len(s) {
			return append(toks, token{kind: tEOF, start: len(s), end: len(s), text: "<EOF>"})
		}
		start := i
		c := s[i]
		var k tokKind
		switch {
		case isLetter(c):
			i++
			for i < len(s) && isWordChar(s[i]) {
				i++
			}
			k = tWord
		case isDigit(c):
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			k = tNumber
		case (c == '#' || c == ':') && i+1 < len(s) && isWordChar(s[i+1]):
			i++
			for i < len(s) && isWordChar(s[i]) {
				i++
			}
			k = tName
			if c == ':' {
				k = tValue
			}
		case c == '<':
			i++
			if i < len(s) && (s[i] == '>' || s[i] == '=') {
				i++
			}
			k = tPunct
		case c == '>':
			i++
			if i < len(s) && s[i] == '=' {
				i++
			}
			k = tPunct
		case c == '=' || c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == '.' || c == '+' || c == '-':
			i++
			k = tPunct
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
			k = tOther
		}
		toks = append(toks, token{kind: k, start: start, end: i, text: s[start:i]})
	}
}
