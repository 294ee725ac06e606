package expr

import (
	"testing"

	"github.com/petreldb/petrel/internal/attr"
)

func testItem() attr.Item {
	return attr.Item{
		"pk":  attr.Str("k1"),
		"s":   attr.Str("hello"),
		"n":   attr.Num("5"),
		"b":   attr.Bin([]byte("abc")),
		"t":   attr.Boolean(true),
		"nul": attr.Null(),
		"ss":  {Type: attr.SS, Strs: []string{"a", "b"}},
		"ns":  {Type: attr.NS, Strs: []string{"1", "2"}},
		"l":   {Type: attr.L, List: []attr.Value{attr.Num("1"), attr.Str("x")}},
		"m":   {Type: attr.M, Map: map[string]attr.Value{"k": attr.Str("v"), "deep": {Type: attr.M, Map: map[string]attr.Value{"z": attr.Num("0")}}}},
		"x.y": attr.Str("dotted"),
		"u":   attr.Str("a😀"),
	}
}

func evalPlaceholders() *Placeholders {
	return NewPlaceholders(map[string]string{"#d": "x.y"}, attr.Item{
		":hello": attr.Str("hello"), ":he": attr.Str("he"), ":x": attr.Str("x"), ":a": attr.Str("a"),
		":n5": attr.Num("5"), ":n5b": attr.Num("5.0"), ":n1": attr.Num("1"), ":n2": attr.Num("2"), ":n3": attr.Num("3"), ":n10": attr.Num("10"),
		":ab": attr.Bin([]byte("ab")), ":bc": attr.Bin([]byte("bc")), ":S": attr.Str("S"), ":SS": attr.Str("SS"), ":M": attr.Str("M"),
		":v": attr.Str("v"), ":dotted": attr.Str("dotted"), ":z": attr.Num("0"),
		":ss": {Type: attr.SS, Strs: []string{"b", "a"}},
		":l":  {Type: attr.L, List: []attr.Value{attr.Num("1"), attr.Str("x")}},
		":t":  attr.Boolean(true),
	})
}

func TestConditionEval(t *testing.T) {
	tests := []struct {
		expr string
		want bool
	}{
		{"s = :hello", true},
		{"s <> :hello", false},
		{"gone <> :hello", true},
		{"gone = :hello", false},
		{"n = :n5b", true},
		{"n < :n10", true},
		{"n > :n10", false},
		{"n <= :n5", true},
		{"n >= :n5", true},
		{"s > :he", true},
		{"s < :n10", false},
		{"s <> :n5", true},
		{"b > :ab", true},
		{"n BETWEEN :n1 AND :n10", true},
		{"n BETWEEN :n1 AND :n3", false},
		{"s BETWEEN :n1 AND :n10", false},
		{"n IN (:n1, :n5)", true},
		{"n IN (:n1, :n2)", false},
		{"gone IN (:n1)", false},
		{"attribute_exists(s)", true},
		{"attribute_exists(gone)", false},
		{"attribute_not_exists(gone)", true},
		{"attribute_exists(l[1])", true},
		{"attribute_exists(l[2])", false},
		{"attribute_exists(m.deep.z)", true},
		{"attribute_exists(m.k.z)", false},
		{"attribute_exists(#d)", true},
		{"#d = :dotted", true},
		{"attribute_type(s, :S)", true},
		{"attribute_type(ss, :SS)", true},
		{"attribute_type(m, :M)", true},
		{"attribute_type(n, :S)", false},
		{"begins_with(s, :he)", true},
		{"begins_with(s, :x)", false},
		{"begins_with(b, :ab)", true},
		{"begins_with(n, :he)", false},
		{"contains(s, :he)", true},
		{"contains(ss, :a)", true},
		{"contains(ss, :x)", false},
		{"contains(ns, :n2)", true},
		{"contains(l, :x)", true},
		{"contains(l, :n2)", false},
		{"contains(b, :bc)", true},
		{"contains(n, :n5)", false},
		{"size(s) = :n5", true},
		{"size(u) = :n3", true},
		{"size(ss) = :n2", true},
		{"size(l) = :n2", true},
		{"size(m) = :n2", true},
		{"size(b) = :n3", true},
		{"size(n) = :n1", false},
		{"size(gone) <> :n1", true},
		{"ss = :ss", true},
		{"l = :l", true},
		{"t = :t", true},
		{"m.deep.z = :z", true},
		{"l[0] = :n1", true},
		{"s = :hello AND n = :n5", true},
		{"s = :hello AND n = :n1", false},
		{"s = :x OR n = :n5", true},
		{"NOT s = :x", true},
		{"NOT (s = :hello OR n = :n1)", false},
		{"s = :x OR n = :n5 AND pk = :x", false},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			c, err := ParseCondition(tt.expr, evalPlaceholders())
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Eval(testItem())
			if err != nil || got != tt.want {
				t.Errorf("Eval = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestConditionEvalOnMissingItem(t *testing.T) {
	c, err := ParseCondition("attribute_not_exists(pk)", evalPlaceholders())
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Eval(nil); !ok {
		t.Error("attribute_not_exists(pk) on no item should be true")
	}
}

func TestCheckUnused(t *testing.T) {
	tests := []struct {
		name  string
		exprs []string
		want  string
	}{
		{"all placeholders used across expressions", []string{"#m = :a", "#n = :b"}, ""},
		{"unused names are listed sorted", []string{"x = :a AND y = :b"}, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#m, #n}"},
		{"unused values are listed after names are fine", []string{"#m = :a AND #n = :a"}, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlaceholders(map[string]string{"#m": "m", "#n": "n"}, attr.Item{":a": attr.Str("a"), ":b": attr.Str("b")})
			for _, e := range tt.exprs {
				if _, err := ParseCondition(e, p); err != nil {
					t.Fatal(err)
				}
			}
			got := ""
			if err := p.CheckUnused(); err != nil {
				got = errMessage(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func BenchmarkParseAndEval(b *testing.B) {
	item := testItem()
	ph := evalPlaceholders()
	for b.Loop() {
		c, err := ParseCondition("attribute_not_exists(pk) OR n < :n10", ph)
		if err != nil {
			b.Fatal(err)
		}
		c.Eval(item)
	}
}
