package attr

import (
	"errors"
	"fmt"
)

// Key encoding: an order-preserving, self-delimiting byte encoding of S, N and
// B key values, so that bytes.Compare of two encodings of the same type is
// DynamoDB's key order (behaviours.md §2).
//
// Persisted: do not reorder. The encodings below are part of every item key.
//
// S and B: each byte b of the value is written as
//
//	0x00       -> 0x00 0xFF
//	0xFE       -> 0xFE 0x00
//	0xFF       -> 0xFE 0x01
//	otherwise  -> b
//
// followed by the terminator 0x00 0x01. The terminator sorts below every
// continuation, so a prefix sorts first. No encoding ever begins with 0xFF
// (UTF-8 never contains 0xFE/0xFF, so S keys are their own bytes), which lets
// keyspace bound a partition's sort keys with the single byte 0xFF.
//
// N: a sign byte (keyNeg 0x01, keyZero 0x02, keyPos 0x03); zero ends there.
// Otherwise the value is ±0.d1d2...dn × 10^e with d1 ≠ 0, dn ≠ 0 and
// e ∈ [-129, 126]; one exponent byte e+129 follows, then the digits in pairs
// (d1d2, d3d4, ..., the last padded with 0), each pair p as the byte p+1, then
// the terminator 0x00. For negative numbers the exponent byte is 255-(e+129),
// each pair is 0xFE-p and the terminator is 0xFF, so larger magnitudes sort
// first.
const (
	keyNeg  = 0x01
	keyZero = 0x02
	keyPos  = 0x03

	keyExpBias = 129 // -minSciExp - 1
)

// errBadKey reports a key encoding that cannot be decoded.
var errBadKey = errors.New("attr: malformed key encoding")

// AppendKey appends the order-preserving encoding of the S, N or B value v to
// dst. N values must be canonical. Other types append nothing (callers only
// pass key attributes, whose types the catalog has checked).
func AppendKey(dst []byte, v Value) []byte {
	switch v.Type {
	case S:
		return appendKeyBytes(dst, v.Str)
	case B:
		return appendKeyBytes(dst, v.Bytes)
	case N:
		return appendKeyNumber(dst, v.Str)
	}
	return dst
}

func appendKeyBytes[T string | []byte](dst []byte, s T) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0x00:
			dst = append(dst, 0x00, 0xFF)
		case 0xFE:
			dst = append(dst, 0xFE, 0x00)
		case 0xFF:
			dst = append(dst, 0xFE, 0x01)
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, 0x00, 0x01)
}

func appendKeyNumber(dst []byte, s string) []byte {
	n, _ := parseNum(s)
	if n.isZero() {
		return append(dst, keyZero)
	}
	e := byte(n.exp + keyExpBias)
	if n.neg {
		dst = append(dst, keyNeg, 255-e)
	} else {
		dst = append(dst, keyPos, e)
	}
	pair, half := 0, false
	emit := func(p int) {
		if n.neg {
			dst = append(dst, byte(0xFE-p))
		} else {
			dst = append(dst, byte(p+1))
		}
	}
	for j := n.first; j <= n.last; j++ {
		c := n.mant[j]
		if c == '.' {
			continue
		}
		if !half {
			pair = int(c-'0') * 10
			half = true
		} else {
			emit(pair + int(c-'0'))
			half = false
		}
	}
	if half {
		emit(pair)
	}
	if n.neg {
		return append(dst, 0xFF)
	}
	return append(dst, 0x00)
}

// DecodeKey decodes one AppendKey encoding of type t from the front of b and
// returns the value and the bytes after it.
func DecodeKey(b []byte, t Type) (v Value, rest []byte, err error) {
	switch t {
	case S:
		raw, rest, err := decodeKeyBytes(b)
		if err != nil {
			return Value{}, b, err
		}
		return Str(string(raw)), rest, nil
	case B:
		raw, rest, err := decodeKeyBytes(b)
		if err != nil {
			return Value{}, b, err
		}
		if raw == nil {
			raw = []byte{}
		}
		return Bin(raw), rest, nil
	case N:
		s, rest, err := decodeKeyNumber(b)
		if err != nil {
			return Value{}, b, err
		}
		return Num(s), rest, nil
	}
	return Value{}, b, fmt.Errorf("attr: key type %v is not S, N or B", t)
}

func decodeKeyBytes(b []byte) (raw, rest []byte, err error) {
	// Fast scan: most values contain no escapes.
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != 0x00 && c != 0xFE {
			continue
		}
		if c == 0x00 && i+1 < len(b) && b[i+1] == 0x01 {
			return append([]byte(nil), b[:i]...), b[i+2:], nil
		}
		return decodeKeyBytesSlow(b)
	}
	return nil, b, errBadKey
}

func decodeKeyBytesSlow(b []byte) (raw, rest []byte, err error) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != 0x00 && c != 0xFE {
			out = append(out, c)
			continue
		}
		if i+1 >= len(b) {
			return nil, b, errBadKey
		}
		d := b[i+1]
		i++
		switch {
		case c == 0x00 && d == 0x01:
			return out, b[i+1:], nil
		case c == 0x00 && d == 0xFF:
			out = append(out, 0x00)
		case c == 0xFE && d == 0x00:
			out = append(out, 0xFE)
		case c == 0xFE && d == 0x01:
			out = append(out, 0xFF)
		default:
			return nil, b, errBadKey
		}
	}
	return nil, b, errBadKey
}

func decodeKeyNumber(b []byte) (string, []byte, error) {
	if len(b) == 0 {
		return "", b, errBadKey
	}
	switch b[0] {
	case keyZero:
		return "0", b[1:], nil
	case keyNeg, keyPos:
	default:
		return "", b, errBadKey
	}
	neg := b[0] == keyNeg
	if len(b) < 2 {
		return "", b, errBadKey
	}
	e := int(b[1])
	if neg {
		e = 255 - e
	}
	exp := e - keyExpBias
	var digits [maxDigits + 2]byte
	nd := 0
	i := 2
	for ; ; i++ {
		if i >= len(b) {
			return "", b, errBadKey
		}
		c := b[i]
		var p int
		if neg {
			if c == 0xFF {
				break
			}
			p = 0xFE - int(c)
		} else {
			if c == 0x00 {
				break
			}
			p = int(c) - 1
		}
		if p < 0 || p > 99 || nd+2 > len(digits) {
			return "", b, errBadKey
		}
		digits[nd] = byte('0' + p/10)
		digits[nd+1] = byte('0' + p%10)
		nd += 2
	}
	for nd > 0 && digits[nd-1] == '0' {
		nd--
	}
	if nd == 0 || digits[0] == '0' {
		return "", b, errBadKey
	}
	n := num{neg: neg, mant: string(digits[:nd]), first: 0, last: nd - 1, ndig: nd, exp: exp}
	var buf [maxCanonLen + 8]byte
	return string(n.appendCanonical(buf[:0])), b[i+1:], nil
}
