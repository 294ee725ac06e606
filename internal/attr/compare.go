package attr

import (
	"bytes"
	"strings"
)

// Equal reports whether a and b are the same DynamoDB value: same type, N
// compared numerically, sets compared as sets (element order ignored), lists
// element-wise, maps by key. Invalid values (TypeInvalid) are never equal.
func Equal(a, b Value) bool {
	if a.Type != b.Type {
		return false
	}
	switch a.Type {
	case S:
		return a.Str == b.Str
	case N:
		return a.Str == b.Str || CompareNumbers(a.Str, b.Str) == 0
	case B:
		return bytes.Equal(a.Bytes, b.Bytes)
	case BOOL:
		return a.Bool == b.Bool
	case NULL:
		return true
	case M:
		if len(a.Map) != len(b.Map) {
			return false
		}
		for k, av := range a.Map {
			bv, ok := b.Map[k]
			if !ok || !Equal(av, bv) {
				return false
			}
		}
		return true
	case L:
		if len(a.List) != len(b.List) {
			return false
		}
		for i := range a.List {
			if !Equal(a.List[i], b.List[i]) {
				return false
			}
		}
		return true
	case SS:
		return sameStringSet(a.Strs, b.Strs, func(x, y string) bool { return x == y })
	case NS:
		return sameStringSet(a.Strs, b.Strs, func(x, y string) bool { return CompareNumbers(x, y) == 0 })
	case BS:
		return sameBytesSet(a.BytesSet, b.BytesSet)
	}
	return false
}

// ItemsEqual reports whether two items have the same attributes with Equal values.
func ItemsEqual(a, b Item) bool {
	if len(a) != len(b) {
		return false
	}
	for k, av := range a {
		bv, ok := b[k]
		if !ok || !Equal(av, bv) {
			return false
		}
	}
	return true
}

func sameStringSet(a, b []string, eq func(x, y string) bool) bool {
	if len(a) != len(b) {
		return false
	}
	same := true
	for i := range a {
		if !eq(a[i], b[i]) {
			same = false
			break
		}
	}
	if same {
		return true
	}
	// Not in the same order (sets built outside the decoder): quadratic
	// fallback is fine, sets compared this way are small.
	for _, x := range a {
		found := false
		for _, y := range b {
			if eq(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func sameBytesSet(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	same := true
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			same = false
			break
		}
	}
	if same {
		return true
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			if bytes.Equal(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Compare orders two values of the same scalar type S, N or B the way
// DynamoDB does (S: unsigned UTF-8 bytes, N: numeric, B: unsigned bytes,
// behaviours.md §2). ok is false when the values are not comparable (different
// types, or a type other than S, N, B).
func Compare(a, b Value) (c int, ok bool) {
	if a.Type != b.Type {
		return 0, false
	}
	switch a.Type {
	case S:
		return strings.Compare(a.Str, b.Str), true
	case N:
		return CompareNumbers(a.Str, b.Str), true
	case B:
		return bytes.Compare(a.Bytes, b.Bytes), true
	}
	return 0, false
}
