package attr

import (
	"bytes"
	"slices"
	"strings"
)

// Sets are held sorted and without duplicates (SS by bytes, NS numerically,
// BS by bytes), so that equal sets have equal representations and responses
// are deterministic (behaviours.md §2 allows any order).

// StringSet returns an SS value of elems, sorted and de-duplicated. It takes
// ownership of elems.
func StringSet(elems []string) Value {
	slices.Sort(elems)
	return Value{Type: SS, Strs: slices.Compact(elems)}
}

// NumberSet returns an NS value of elems (canonical numbers), sorted
// numerically and de-duplicated. It takes ownership of elems.
func NumberSet(elems []string) Value {
	sortNumbers(elems)
	return Value{Type: NS, Strs: slices.Compact(elems)}
}

// BinarySet returns a BS value of elems, sorted and de-duplicated. It takes
// ownership of elems.
func BinarySet(elems [][]byte) Value {
	slices.SortFunc(elems, bytes.Compare)
	return Value{Type: BS, BytesSet: slices.CompactFunc(elems, bytes.Equal)}
}

// NormalizeSet returns v with its set elements sorted and de-duplicated (a
// copy; v is not modified). Non-set values are returned unchanged. Code that
// builds sets (UpdateItem ADD/DELETE) calls it before storing.
func NormalizeSet(v Value) Value {
	switch v.Type {
	case SS:
		return StringSet(slices.Clone(v.Strs))
	case NS:
		return NumberSet(slices.Clone(v.Strs))
	case BS:
		return BinarySet(slices.Clone(v.BytesSet))
	}
	return v
}

func sortNumbers(elems []string) {
	slices.SortFunc(elems, CompareNumbers)
}

// hasDupStrings reports adjacent equal elements in a sorted slice.
func hasDupStrings(sorted []string) bool {
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return true
		}
	}
	return false
}

func hasDupBytes(sorted [][]byte) bool {
	for i := 1; i < len(sorted); i++ {
		if bytes.Equal(sorted[i], sorted[i-1]) {
			return true
		}
	}
	return false
}

// dupSSMessage is errors.md F14: the set is listed in request order the way
// Java renders a list ("[x, x]").
func dupSSMessage(elems []string) string {
	var b strings.Builder
	b.WriteString("One or more parameter values were invalid: Input collection [")
	for i, e := range elems {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e)
	}
	b.WriteString("] contains duplicates")
	return b.String()
}
