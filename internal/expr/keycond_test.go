package expr

import (
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

// TestKeyConditionSchemas checks key conditions against the schemas the
// golden file does not cover: a hash-only key, a GSI whose table has other
// key attributes, and multi-attribute GSI keys (multi-attribute-keys.md §5).
func TestKeyConditionSchemas(t *testing.T) {
	hashOnly := KeySchema{Partition: "pk", PartitionType: attr.S}
	gsi := KeySchema{Partition: "a", PartitionType: attr.S, OtherKeys: []string{"pk", "sk"}}
	// a, b partition; m, n (S) and z (N) sort.
	multi := KeySchema{
		Partitions: []KeyAttr{{"a", attr.S}, {"b", attr.S}},
		Sorts:      []KeyAttr{{"m", attr.S}, {"n", attr.S}, {"z", attr.N}},
	}
	tests := []struct {
		name   string
		schema KeySchema
		expr   string
		want   string // rendering, or "error: message"
	}{
		{"a hash-only key alone", hashOnly, "pk = :v", "pk = S:x"},
		{"a second condition on a hash-only key (K3)", hashOnly, "pk = :v AND sk = :n", "error: Query key condition not supported"},
		{"a hash-only key without its partition", hashOnly, "sk = :n", "error: Query condition missed key schema element"},
		{"a table key on a GSI query (K3)", gsi, "a = :v AND sk = :n", "error: Query key condition not supported"},
		{"a GSI queried by the table's key", gsi, "pk = :v", "error: Query condition missed key schema element"},
		{"every partition attribute", multi, "b = :s AND a = :v", "a = S:x AND b = S:z"},
		{"a sort prefix and an inequality on the next", multi, "a = :v AND b = :v AND m = :s AND n > :v",
			"a = S:x AND b = S:x AND m = S:z AND n > S:x"},
		{"the whole sort key", multi, "a = :v AND b = :v AND m = :s AND n = :v AND z BETWEEN :n AND :n10",
			"a = S:x AND b = S:x AND m = S:z AND n = S:x AND z BETWEEN N:1 AND N:10"},
		{"begins_with as the last condition", multi, "a = :v AND b = :v AND begins_with(m, :s)", "a = S:x AND b = S:x AND begins_with(m, S:z)"},
		{"a missing partition attribute", multi, "a = :v AND m = :s", "error: Query condition missed key schema element"},
		{"an inequality on a partition attribute", multi, "a = :v AND b > :v", "error: Query key condition not supported"},
		{"skipping the first sort attribute", multi, "a = :v AND b = :v AND n = :s", "error: Query key condition not supported"},
		{"a gap in the sort attributes", multi, "a = :v AND b = :v AND m = :s AND z = :n", "error: Query key condition not supported"},
		{"a condition after an inequality", multi, "a = :v AND b = :v AND m > :s AND n = :v", "error: Query key condition not supported"},
		{"two inequalities", multi, "a = :v AND b = :v AND m > :s AND n < :v", "error: Query key condition not supported"},
		{"begins_with followed by a condition", multi, "a = :v AND b = :v AND begins_with(m, :s) AND n = :v", "error: Query key condition not supported"},
		{"two conditions on one sort attribute", multi, "a = :v AND b = :v AND m > :s AND m < :v", "error: KeyConditionExpressions must only contain one condition per key"},
		{"a non-key attribute", multi, "a = :v AND b = :v AND q = :s", "error: Query condition missed key schema element"},
		{"a value of the wrong type", multi, "a = :v AND b = :n", "error: One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"a sort prefix value of the wrong type", multi, "a = :v AND b = :v AND m = :n AND n = :v",
			"error: One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"begins_with on a number sort attribute", multi, "a = :v AND b = :v AND m = :s AND n = :v AND begins_with(z, :s)",
			"error: Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kc, err := ParseKeyCondition(tt.expr, testPlaceholders(), tt.schema)
			got := ""
			if err != nil {
				e, ok := apierr.As(err)
				if !ok {
					t.Fatal(err)
				}
				got = "error: " + e.Message
			} else {
				got = kc.String()
			}
			if got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	t.Run("legacy KeyConditions use the same rules", func(t *testing.T) {
		kc, err := FromKeyConditions(map[string]LegacyCondition{
			"a": {ComparisonOperator: "EQ", AttributeValueList: []attr.Value{attr.Str("x")}},
			"b": {ComparisonOperator: "EQ", AttributeValueList: []attr.Value{attr.Str("y")}},
			"m": {ComparisonOperator: "GT", AttributeValueList: []attr.Value{attr.Str("z")}},
		}, multi)
		if err != nil || kc.String() != "a = S:x AND b = S:y AND m > S:z" {
			t.Fatalf("%v %v", kc, err)
		}
		_, err = FromKeyConditions(map[string]LegacyCondition{
			"a": {ComparisonOperator: "EQ", AttributeValueList: []attr.Value{attr.Str("x")}},
			"b": {ComparisonOperator: "EQ", AttributeValueList: []attr.Value{attr.Str("y")}},
			"n": {ComparisonOperator: "GT", AttributeValueList: []attr.Value{attr.Str("z")}},
		}, multi)
		if e, ok := apierr.As(err); !ok || e.Message != "Query key condition not supported" {
			t.Fatalf("err %v", err)
		}
	})
}
