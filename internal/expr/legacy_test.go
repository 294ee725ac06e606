package expr

import (
	"testing"

	"github.com/petreldb/petrel/internal/attr"
)

func vp(v attr.Value) *attr.Value { return &v }
func bp(b bool) *bool             { return &b }

func TestFromExpected(t *testing.T) {
	tests := []struct {
		name     string
		expected map[string]ExpectedAttributeValue
		op       string
		want     string // rendering or "error: msg"
		holds    bool   // evaluation on testItem()
	}{
		{"Value means equality", map[string]ExpectedAttributeValue{"s": {Value: vp(attr.Str("hello"))}}, "", "(s = :S:hello)", true},
		{"Exists false means attribute_not_exists", map[string]ExpectedAttributeValue{"gone": {Exists: bp(false)}}, "", "attribute_not_exists(gone)", true},
		{"entries are ANDed in key order", map[string]ExpectedAttributeValue{"s": {Value: vp(attr.Str("hello"))}, "n": {ComparisonOperator: "GT", AttributeValueList: []attr.Value{attr.Num("9")}}}, "", "((n > :N:9) AND (s = :S:hello))", false},
		{"OR combines entries", map[string]ExpectedAttributeValue{"s": {Value: vp(attr.Str("hello"))}, "n": {ComparisonOperator: "GT", AttributeValueList: []attr.Value{attr.Num("9")}}}, "OR", "((n > :N:9) OR (s = :S:hello))", true},
		{"NOT_NULL", map[string]ExpectedAttributeValue{"s": {ComparisonOperator: "NOT_NULL"}}, "", "attribute_exists(s)", true},
		{"NOT_CONTAINS", map[string]ExpectedAttributeValue{"ss": {ComparisonOperator: "NOT_CONTAINS", AttributeValueList: []attr.Value{attr.Str("a")}}}, "", "(NOT contains(ss, :S:a))", false},
		{"IN", map[string]ExpectedAttributeValue{"n": {ComparisonOperator: "IN", AttributeValueList: []attr.Value{attr.Num("1"), attr.Num("5")}}}, "", "(n IN (:N:1, :N:5))", true},
		{"BETWEEN", map[string]ExpectedAttributeValue{"n": {ComparisonOperator: "BETWEEN", AttributeValueList: []attr.Value{attr.Num("1"), attr.Num("5")}}}, "", "(n BETWEEN :N:1 AND :N:5)", true},
		{"Value with ComparisonOperator", map[string]ExpectedAttributeValue{"n": {ComparisonOperator: "EQ", Value: vp(attr.Num("5"))}}, "", "(n = :N:5)", true},
		{"missing Value", map[string]ExpectedAttributeValue{"n": {}}, "", "error: One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: n", false},
		{"Value with Exists false", map[string]ExpectedAttributeValue{"n": {Exists: bp(false), Value: vp(attr.Num("1"))}}, "", "error: One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: n", false},
		{"wrong argument count", map[string]ExpectedAttributeValue{"n": {ComparisonOperator: "EQ", AttributeValueList: []attr.Value{attr.Num("1"), attr.Num("2")}}}, "", "error: One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator", false},
		{"ordering a set", map[string]ExpectedAttributeValue{"n": {ComparisonOperator: "LT", AttributeValueList: []attr.Value{{Type: attr.SS, Strs: []string{"a"}}}}}, "", "error: One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromExpected(tt.expected, tt.op)
			if err != nil {
				if got := "error: " + errMessage(err); got != tt.want {
					t.Errorf("got %s\nwant %s", got, tt.want)
				}
				return
			}
			if got := c.String(); got != tt.want {
				t.Errorf("got %s\nwant %s", got, tt.want)
			}
			if ok, _ := c.Eval(testItem()); ok != tt.holds {
				t.Errorf("Eval = %v, want %v", ok, tt.holds)
			}
		})
	}
}

func TestFromAttributeUpdates(t *testing.T) {
	tests := []struct {
		name    string
		updates map[string]AttributeValueUpdate
		want    string
	}{
		{"PUT is the default action", map[string]AttributeValueUpdate{"s": {Value: vp(attr.Str("x"))}}, "s:S(x)"},
		{"DELETE without value removes", map[string]AttributeValueUpdate{"s": {Action: "DELETE"}}, "{l:[N(0) N(1) N(2) N(3)] m:{k:S(v) l:[S(e)]} n:N(5) ns:NS[1 2] ss:SS[a b]}"},
		{"ADD adds numbers", map[string]AttributeValueUpdate{"n": {Action: "ADD", Value: vp(attr.Num("2"))}}, "n:N(7)"},
		{"ADD appends to lists", map[string]AttributeValueUpdate{"l": {Action: "ADD", Value: &attr.Value{Type: attr.L, List: []attr.Value{attr.Str("z")}}}}, "l:[N(0) N(1) N(2) N(3) S(z)]"},
		{"DELETE removes set elements", map[string]AttributeValueUpdate{"ss": {Action: "DELETE", Value: &attr.Value{Type: attr.SS, Strs: []string{"a"}}}}, "ss:SS[b]"},
		{"PUT without a value", map[string]AttributeValueUpdate{"s": {Action: "PUT"}}, "error: One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified"},
		{"ADD of a string", map[string]AttributeValueUpdate{"s": {Action: "ADD", Value: vp(attr.Str("x"))}}, "error: One or more parameter values were invalid: ADD action is not supported for the type S"},
		{"DELETE of a scalar value", map[string]AttributeValueUpdate{"s": {Action: "DELETE", Value: vp(attr.Str("x"))}}, "error: One or more parameter values were invalid: DELETE action with value is not supported for the type S"},
		{"ADD to a string fails at run time", map[string]AttributeValueUpdate{"s": {Action: "ADD", Value: vp(attr.Num("1"))}}, "error: Type mismatch for attribute to update"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := FromAttributeUpdates(tt.updates)
			var got string
			if err == nil {
				var it attr.Item
				if it, err = u.Apply(applyItem()); err == nil {
					got = render(it)
				}
			}
			if err != nil {
				got = "error: " + errMessage(err)
			}
			if !contains(attr.Str(got), attr.Str(tt.want)) {
				t.Errorf("got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestFromKeyConditions(t *testing.T) {
	schema := KeySchema{Partition: "pk", PartitionType: attr.S, Sort: "sk", SortType: attr.N}
	tests := []struct {
		name  string
		conds map[string]LegacyCondition
		want  string
	}{
		{"partition and sort", map[string]LegacyCondition{"pk": {"EQ", []attr.Value{attr.Str("a")}}, "sk": {"BETWEEN", []attr.Value{attr.Num("1"), attr.Num("2")}}}, "pk = S:a AND sk BETWEEN N:1 AND N:2"},
		{"EQ with two values", map[string]LegacyCondition{"pk": {"EQ", []attr.Value{attr.Str("a"), attr.Str("b")}}}, "error: One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"},
		{"missing partition", map[string]LegacyCondition{"sk": {"EQ", []attr.Value{attr.Num("1")}}}, "error: Query condition missed key schema element"},
		{"GT on the partition key", map[string]LegacyCondition{"pk": {"GT", []attr.Value{attr.Str("a")}}}, "error: Query key condition not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := FromKeyConditions(tt.conds, schema)
			got := ""
			if err != nil {
				got = "error: " + errMessage(err)
			} else {
				got = k.String()
			}
			if got != tt.want {
				t.Errorf("got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestFromAttributesToGet(t *testing.T) {
	p, err := FromAttributesToGet([]string{"a", "x.y"})
	if err != nil || p.String() != `a, #"x.y"` {
		t.Errorf("got %v, %v", p, err)
	}
	if _, err := FromAttributesToGet([]string{"a", "a"}); err == nil || errMessage(err) != "Cannot have two attributes with the same name" {
		t.Errorf("duplicates: %v", err)
	}
}

func TestKeyConditionMatch(t *testing.T) {
	ph := NewPlaceholders(nil, attr.Item{":p": attr.Str("p"), ":a": attr.Str("ab"), ":lo": attr.Str("b"), ":hi": attr.Str("d")})
	schema := KeySchema{Partition: "pk", PartitionType: attr.S, Sort: "sk", SortType: attr.S}
	tests := []struct {
		expr, sk string
		want     bool
	}{
		{"pk = :p", "anything", true},
		{"pk = :p AND begins_with(sk, :a)", "abc", true},
		{"pk = :p AND begins_with(sk, :a)", "b", false},
		{"pk = :p AND sk BETWEEN :lo AND :hi", "c", true},
		{"pk = :p AND sk BETWEEN :lo AND :hi", "e", false},
		{"pk = :p AND sk < :lo", "a", true},
		{"pk = :p AND sk >= :lo", "a", false},
	}
	for _, tt := range tests {
		k, err := ParseKeyCondition(tt.expr, ph, schema)
		if err != nil {
			t.Fatal(err)
		}
		if got := k.Match(attr.Str(tt.sk)); got != tt.want {
			t.Errorf("%s on %q = %v", tt.expr, tt.sk, got)
		}
	}
}
