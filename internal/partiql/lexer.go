package partiql

import (
	"strings"
)

// tokKind is a lexical token kind.
type tokKind uint8

const (
	tokEOF    tokKind = iota
	tokIdent          // bare word (keywords too)
	tokQuoted         // "double-quoted identifier"
	tokString         // 'string literal'
	tokNumber         // 12, 1.5, 1e3
	tokParam          // ?
	tokPunct          // one of , . ( ) [ ] { } : ; * + - = <> != < <= > >= << >>
)

// token is one lexical token. text holds the word, the unescaped quoted
// text, the number text or the punctuation.
type token struct {
	kind tokKind
	text string
	pos  int // byte offset in the statement
}

// lex splits s into tokens, or returns a syntax error.
func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			// -- comment to end of line
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			toks = append(toks, token{tokIdent, s[i:j], i})
			i = j
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j < len(s) && s[j] == '.' {
				j++
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && s[k] >= '0' && s[k] <= '9' {
					for k < len(s) && s[k] >= '0' && s[k] <= '9' {
						k++
					}
					j = k
				}
			}
			if j < len(s) && isIdentStart(s[j]) {
				return nil, syntaxErr(j, "unexpected character after number")
			}
			toks = append(toks, token{tokNumber, s[i:j], i})
			i = j
		case c == '\'' || c == '"':
			text, n, ok := unquote(s[i:], c)
			if !ok {
				return nil, syntaxErr(i, "unterminated quoted text")
			}
			k := tokString
			if c == '"' {
				k = tokQuoted
			}
			toks = append(toks, token{k, text, i})
			i += n
		case c == '?':
			toks = append(toks, token{tokParam, "?", i})
			i++
		default:
			n := punct(s[i:])
			if n == 0 {
				return nil, syntaxErr(i, "unexpected character "+quoteRune(s[i:]))
			}
			toks = append(toks, token{tokPunct, s[i : i+n], i})
			i += n
		}
	}
	return append(toks, token{tokEOF, "", len(s)}), nil
}

// punct returns the length of the punctuation token at the start of s, or 0.
func punct(s string) int {
	for _, p := range [...]string{"<<", ">>", "<>", "!=", "<=", ">="} {
		if strings.HasPrefix(s, p) {
			return 2
		}
	}
	if strings.IndexByte(",.()[]{}:*+-=<>;", s[0]) >= 0 {
		return 1
	}
	return 0
}

// unquote reads a q-quoted text at the start of s (doubled q escapes q) and
// returns the text and the number of bytes consumed.
func unquote(s string, q byte) (string, int, bool) {
	var b strings.Builder
	i := 1
	for i < len(s) {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q {
				b.WriteByte(q)
				i += 2
				continue
			}
			return b.String(), i + 1, true
		}
		b.WriteByte(s[i])
		i++
	}
	return "", 0, false
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// quoteRune quotes the first character of s for an error detail.
func quoteRune(s string) string {
	for _, r := range s {
		return "'" + string(r) + "'"
	}
	return "''"
}
