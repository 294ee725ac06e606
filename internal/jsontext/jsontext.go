// Package jsontext owns the JSON text primitives shared by Petrel's two
// hand-written JSON codecs, attr's DynamoDB-JSON codec and the generated
// protocol codecs' runtime (internal/protocol/internal/jsonwire): string
// escaping and string unescaping, both exactly as encoding/json does them.
//
// It is a leaf: it holds no state and must not import any Petrel package.
package jsontext

import (
	"unicode/utf16"
	"unicode/utf8"
)

const hex = "0123456789abcdef"

// Escapes selects how AppendString writes U+0008 and U+000C; every other
// byte is escaped the same way under both.
type Escapes uint8

const (
	// NamedBF writes them as \b and \f, as encoding/json writes a string.
	// jsonwire uses it for every string of the wire structs.
	NamedBF Escapes = iota
	// HexBF writes them as \u0008 and \u000c. AttributeValues have always
	// gone out in this form (attr.AppendJSONString: their MarshalJSON output
	// is copied verbatim by encoding/json), and so have error bodies.
	HexBF
)

// AppendString appends s as a quoted JSON string as encoding/json writes it
// with HTML escaping off: '"', '\\' and control characters escaped (\n, \r,
// \t by name, \b and \f as esc says, the rest as \u00XX), U+2028/U+2029
// escaped, invalid UTF-8 replaced by \ufffd, '<', '>' and '&' left alone
// (AWS does not escape them).
func AppendString(dst []byte, s string, esc Escapes) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				if esc == NamedBF {
					dst = append(dst, '\\', 'b')
				} else {
					dst = append(dst, `\u0008`...)
				}
			case '\f':
				if esc == NamedBF {
					dst = append(dst, '\\', 'f')
				} else {
					dst = append(dst, `\u000c`...)
				}
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// ReadString decodes the JSON string whose opening quote is s[i-1], as
// encoding/json's scanner accepts it (no raw control characters, only the
// escapes JSON defines) and unquotes it (invalid UTF-8 and unpaired
// surrogates become U+FFFD). It returns the value and the index just past
// the closing quote; ok is false if the string is malformed or unterminated.
//
// The value is a substring of s unless the string holds escapes or invalid
// UTF-8, so the common case allocates nothing.
func ReadString(s string, i int) (v string, end int, ok bool) {
	for j := i; j < len(s); j++ {
		c := s[j]
		if c == '"' {
			return s[i:j], j + 1, true
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			return readStringSlow(s, i, j)
		}
	}
	return "", 0, false
}

// readStringSlow finishes ReadString from s[i], the first byte that needs
// attention, of the string that starts at s[start]; it mirrors
// encoding/json's scanner (which escapes are legal) and unquote (what they
// decode to).
func readStringSlow(s string, start, i int) (string, int, bool) {
	var small [32]byte // stays on the stack: short unescaped strings allocate only the result
	var buf []byte
	plain := true // no escapes or replacements so far: the result is a substring
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			if plain {
				return s[start:i], i + 1, true
			}
			return string(buf), i + 1, true
		case c < 0x20:
			return "", 0, false
		case c < utf8.RuneSelf && c != '\\':
			if !plain {
				buf = append(buf, c)
			}
			i++
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				if plain {
					buf = append(small[:0], s[start:i]...)
					plain = false
				}
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else if !plain {
				buf = append(buf, s[i:i+size]...)
			}
			i += size
		default: // backslash
			if plain {
				buf = append(small[:0], s[start:i]...)
				plain = false
			}
			if i+1 >= len(s) {
				return "", 0, false
			}
			e := s[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := hex4(s, i)
				if !ok {
					return "", 0, false
				}
				i += 4
				if utf16.IsSurrogate(r) {
					// A valid pair is consumed whole; otherwise only the
					// first half, which becomes U+FFFD (as unquote does).
					r2 := rune(-1)
					if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
						if x, ok := hex4(s, i+2); ok {
							r2 = x
						}
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", 0, false
			}
		}
	}
	return "", 0, false
}

// hex4 decodes the four hex digits at s[i] of a \u escape.
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
