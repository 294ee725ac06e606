package attr

// DynamoDB's size rules (limits.md §1), used for the 400 KB item limit,
// capacity units and the Query/Scan 1 MB page.

// MaxItemSize is the largest item DynamoDB stores: 400 KB, inclusive.
const MaxItemSize = 400 * 1024

// Key value limits (limits.md §4).
const (
	MaxPartitionKeySize = 2048
	MaxSortKeySize      = 1024
)

// Size returns the size DynamoDB charges for value v (without its name).
func Size(v Value) int {
	switch v.Type {
	case S:
		return len(v.Str)
	case N:
		return numberSize(v.Str)
	case B:
		return len(v.Bytes)
	case BOOL, NULL:
		return 1
	case M:
		n := 3
		for k, e := range v.Map {
			n += len(k) + Size(e) + 1
		}
		return n
	case L:
		n := 3
		for _, e := range v.List {
			n += Size(e) + 1
		}
		return n
	case SS:
		n := 0
		for _, e := range v.Strs {
			n += len(e)
		}
		return n
	case NS:
		n := 0
		for _, e := range v.Strs {
			n += numberSize(e)
		}
		return n
	case BS:
		n := 0
		for _, e := range v.BytesSet {
			n += len(e)
		}
		return n
	}
	return 0
}

// ItemSize returns the size of an item: for each attribute, the UTF-8 length
// of its name plus the size of its value.
func ItemSize(it Item) int {
	n := 0
	for k, v := range it {
		n += len(k) + Size(v)
	}
	return n
}

// KeySize returns the size of a key value for the partition/sort key limits:
// bytes of an S or B, the number size for N.
func KeySize(v Value) int { return Size(v) }

// numberSize implements the rule calibrated in limits.md §1: split the digits
// into base-100 pairs aligned on the decimal point, drop leading and trailing
// all-zero pairs, count the rest, add 1, and 1 more if negative.
func numberSize(s string) int {
	n, e := parseNum(s)
	if e != numOK && e != numPrecision || n.isZero() {
		return 1
	}
	// Digit k (0-based) of the significant digits has decimal place
	// p = exp-1-k (10^p). Pair index = floor(p/2).
	hi := floorDiv(n.exp-1, 2)
	lo := floorDiv(n.exp-n.ndig, 2)
	size := hi - lo + 1 + 1
	if n.neg {
		size++
	}
	return size
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
