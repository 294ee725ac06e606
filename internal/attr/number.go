package attr

import (
	"github.com/cockroachdb/apd/v3"

	"github.com/petreldb/petrel/internal/apierr"
)

// DynamoDB's number messages (errors.md F17..F20), byte for byte.
const (
	msgNotANumber = "A value provided cannot be converted into a number"
	msgOverflow   = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	msgUnderflow  = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
	msgPrecision  = "DynamoDB only supports precision up to 38 digits"
)

// Number limits (limits.md §3).
const (
	maxDigits = 38
	maxSciExp = 125  // 9.99..E+125 is the largest magnitude
	minSciExp = -130 // 1E-130 is the smallest non-zero magnitude
	// maxCanonLen bounds the canonical text: "-0." + 129 zeros + 38 digits.
	maxCanonLen = 3 + 129 + maxDigits
)

// num is a parsed decimal that still points into its source text, so that
// parsing allocates nothing. Its value is ±0.d1d2...dn × 10^exp where the
// digits d are the digit characters of mant[first..last] (a '.' in between is
// skipped); first < 0 means zero.
type num struct {
	neg         bool
	mant        string
	first, last int
	ndig        int // number of significant digits
	exp         int // adjusted exponent (value = 0.d × 10^exp)
}

// numErr classifies why a string is not a storable number.
type numErr uint8

const (
	numOK numErr = iota
	numSyntax
	numPrecision
	numOverflow
	numUnderflow
)

func (e numErr) message() string {
	switch e {
	case numSyntax:
		return msgNotANumber
	case numPrecision:
		return msgPrecision
	case numOverflow:
		return msgOverflow
	case numUnderflow:
		return msgUnderflow
	}
	return ""
}

// expCap bounds the parsed exponent so huge exponents cannot overflow int;
// any non-zero value with such an exponent is out of range anyway.
const expCap = 1 << 40

// parseNum parses DynamoDB number syntax: optional sign, digits with an
// optional fraction ("5." and ".5" are accepted), optional e/E exponent with
// optional sign. It checks precision and range, in that order.
func parseNum(s string) (num, numErr) {
	var n num
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		n.neg = s[i] == '-'
		i++
	}
	start := i
	point := -1
	digits := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits++
			continue
		}
		if c == '.' && point < 0 {
			point = i - start
			continue
		}
		break
	}
	if digits == 0 {
		return n, numSyntax
	}
	n.mant = s[start:i]
	e := 0
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return n, numSyntax
		}
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		if i == len(s) {
			return n, numSyntax
		}
		for ; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return n, numSyntax
			}
			if e < expCap {
				e = e*10 + int(c-'0')
			}
		}
		if eneg {
			e = -e
		}
	}
	if point < 0 {
		point = len(n.mant)
	}
	n.first, n.last = -1, -1
	for j := 0; j < len(n.mant); j++ {
		if c := n.mant[j]; c != '.' && c != '0' {
			if n.first < 0 {
				n.first = j
			}
			n.last = j
		}
	}
	if n.first < 0 {
		n.neg = false
		return n, numOK
	}
	n.ndig = n.last - n.first + 1
	if n.first < point && n.last > point {
		n.ndig--
	}
	// place value of the first significant digit
	place := point - n.first - 1
	if n.first > point {
		place = point - n.first
	}
	n.exp = place + e + 1
	if n.ndig > maxDigits {
		return n, numPrecision
	}
	if n.exp-1 > maxSciExp {
		return n, numOverflow
	}
	if n.exp-1 < minSciExp {
		return n, numUnderflow
	}
	return n, numOK
}

// isZero reports whether n is zero.
func (n *num) isZero() bool { return n.first < 0 }

// digits appends the significant digits of n.
func (n *num) digits(dst []byte) []byte {
	for j := n.first; j <= n.last && j >= 0; j++ {
		if c := n.mant[j]; c != '.' {
			dst = append(dst, c)
		}
	}
	return dst
}

// appendCanonical appends the canonical text of n (behaviours.md §1): plain
// decimal, no exponent, no superfluous zeros, no '+', no "-0".
func (n *num) appendCanonical(dst []byte) []byte {
	if n.isZero() {
		return append(dst, '0')
	}
	if n.neg {
		dst = append(dst, '-')
	}
	if n.exp <= 0 {
		dst = append(dst, '0', '.')
		for k := 0; k < -n.exp; k++ {
			dst = append(dst, '0')
		}
		return n.digits(dst)
	}
	k := 0
	for j := n.first; j <= n.last; j++ {
		c := n.mant[j]
		if c == '.' {
			continue
		}
		if k == n.exp {
			dst = append(dst, '.')
		}
		dst = append(dst, c)
		k++
	}
	for ; k < n.exp; k++ {
		dst = append(dst, '0')
	}
	return dst
}

// CanonicalNumber validates a DynamoDB number string and returns its canonical
// form (behaviours.md §1): "0001.500" -> "1.5", "1E2" -> "100", "-0" -> "0".
// Errors are ValidationExceptions with DynamoDB's texts (errors.md F17..F20).
//
// It is hand-written rather than built on apd.Decimal.SetString because it
// runs for every N value of every request: it allocates nothing when s is
// already canonical and never more than the result string otherwise. The
// accepted syntax is the one probed on DynamoDB (limits.md §3); apd also
// accepts "NaN"/"Infinity", which DynamoDB rejects.
func CanonicalNumber(s string) (string, error) {
	n, e := parseNum(s)
	if e != numOK {
		return "", apierr.Validation(e.message())
	}
	var buf [maxCanonLen + 8]byte
	out := n.appendCanonical(buf[:0])
	if string(out) == s {
		return s, nil
	}
	return string(out), nil
}

// numberMessage returns "" if s is a valid number, else DynamoDB's message.
func numberMessage(s string) string {
	_, e := parseNum(s)
	return e.message()
}

// CompareNumbers compares two numbers numerically: -1, 0 or +1. The inputs
// should be canonical (as every N held in a Value is); any valid DynamoDB
// number text works. Invalid text compares as zero.
func CompareNumbers(a, b string) int {
	if a == b {
		return 0
	}
	x, _ := parseNum(a)
	y, _ := parseNum(b)
	return compareNum(&x, &y)
}

func sign(n *num) int {
	switch {
	case n.isZero():
		return 0
	case n.neg:
		return -1
	}
	return 1
}

func compareNum(x, y *num) int {
	sx, sy := sign(x), sign(y)
	if sx != sy {
		if sx < sy {
			return -1
		}
		return 1
	}
	if sx == 0 {
		return 0
	}
	m := compareMagnitude(x, y)
	if sx < 0 {
		return -m
	}
	return m
}

// compareMagnitude compares |x| and |y|, both non-zero.
func compareMagnitude(x, y *num) int {
	if x.exp != y.exp {
		if x.exp < y.exp {
			return -1
		}
		return 1
	}
	i, j := x.first, y.first
	for {
		for i <= x.last && x.mant[i] == '.' {
			i++
		}
		for j <= y.last && y.mant[j] == '.' {
			j++
		}
		endX, endY := i > x.last, j > y.last
		switch {
		case endX && endY:
			return 0
		case endX:
			return -1 // y has more non-zero digits
		case endY:
			return 1
		}
		if x.mant[i] != y.mant[j] {
			if x.mant[i] < y.mant[j] {
				return -1
			}
			return 1
		}
		i++
		j++
	}
}

// arithPrecision makes additions exact for every pair of storable numbers:
// the widest exact sum spans 9.9E+125 down to 1E-130, 256 digits.
const arithPrecision = 300

func arith(a, b string, sub bool) (string, error) {
	ctx := apd.Context{
		Precision:   arithPrecision,
		MaxExponent: apd.MaxExponent,
		MinExponent: apd.MinExponent,
		Traps:       apd.DefaultTraps,
	}
	var x, y, r apd.Decimal
	if _, _, err := x.SetString(a); err != nil || numberMessage(a) != "" {
		return "", apierr.Validation(msgNotANumber)
	}
	if _, _, err := y.SetString(b); err != nil || numberMessage(b) != "" {
		return "", apierr.Validation(msgNotANumber)
	}
	var err error
	if sub {
		_, err = ctx.Sub(&r, &x, &y)
	} else {
		_, err = ctx.Add(&r, &x, &y)
	}
	if err != nil {
		return "", apierr.Validation(msgOverflow)
	}
	return CanonicalNumber(r.Text('f'))
}

// AddNumbers returns a+b exactly, in canonical form. A result that needs more
// than 38 significant digits or lies outside DynamoDB's range is an error with
// DynamoDB's text, never rounded (behaviours.md §1).
func AddNumbers(a, b string) (string, error) { return arith(a, b, false) }

// SubtractNumbers returns a-b exactly, with the same rules as AddNumbers.
func SubtractNumbers(a, b string) (string, error) { return arith(a, b, true) }
