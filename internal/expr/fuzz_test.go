package expr

import (
	"testing"

	"github.com/petreldb/petrel/internal/attr"
)

var fuzzSeeds = []string{
	"a = :v", "a.b[0] <> :n AND NOT (b IN (:v, :s) OR size(c) > :n)", "attribute_exists(#a)",
	"SET a = b + :n, l = list_append(if_not_exists(l, :l), :l) REMOVE c[1] ADD n :n DELETE s :ss",
	"a, b.c, l[0]", "pk = :v AND begins_with(sk, :s)", "a IN (:v,)", "((((", "SET a[99999999999999999999] = :v",
	"a BETWEEN :n AND :n10", "\xff\xfe", "#", ":", "a[", "contains(a, a)",
}

// fuzzItem exercises evaluation and application on every parse that succeeds.
func fuzzItem() attr.Item {
	return attr.Item{"a": attr.Str("x"), "l": {Type: attr.L, List: []attr.Value{attr.Num("1")}},
		"n": attr.Num("3"), "s": {Type: attr.SS, Strs: []string{"a"}}, "m": {Type: attr.M, Map: map[string]attr.Value{"b": attr.Num("1")}}}
}

func FuzzParseCondition(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCondition(s, testPlaceholders())
		if err == nil {
			_ = c.String()
			c.Eval(fuzzItem())
			c.Eval(nil)
		}
	})
}

func FuzzParseUpdate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUpdate(s, testPlaceholders())
		if err == nil {
			_ = u.String()
			u.Apply(fuzzItem())
			u.Apply(nil)
		}
	})
}

func FuzzParseProjection(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseProjection(s, testPlaceholders())
		if err == nil {
			_ = p.String()
			p.Apply(fuzzItem())
		}
	})
}

func FuzzParseKeyCondition(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKeyCondition(s, testPlaceholders(), KeySchema{Partition: "pk", PartitionType: attr.S, Sort: "sk", SortType: attr.S})
		if err == nil {
			_ = k.String()
			k.Match(attr.Str("abc"))
		}
	})
}
