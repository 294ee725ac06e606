package expr

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
)

// render prints an item deterministically for comparisons.
func render(it attr.Item) string {
	keys := make([]string, 0, len(it))
	for k := range it {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ":" + renderValue(it[k])
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func renderValue(v attr.Value) string {
	switch v.Type {
	case attr.S, attr.N:
		return v.Type.String() + "(" + v.Str + ")"
	case attr.B:
		return "B(" + string(v.Bytes) + ")"
	case attr.BOOL:
		return fmt.Sprintf("BOOL(%v)", v.Bool)
	case attr.NULL:
		return "NULL"
	case attr.SS, attr.NS:
		return v.Type.String() + fmt.Sprint(v.Strs)
	case attr.BS:
		return fmt.Sprintf("BS%q", v.BytesSet)
	case attr.L:
		parts := make([]string, len(v.List))
		for i, e := range v.List {
			parts[i] = renderValue(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case attr.M:
		return render(v.Map)
	}
	return "?"
}

func applyItem() attr.Item {
	return attr.Item{
		"n":  attr.Num("5"),
		"s":  attr.Str("str"),
		"ss": {Type: attr.SS, Strs: []string{"a", "b"}},
		"ns": {Type: attr.NS, Strs: []string{"1", "2"}},
		"l":  {Type: attr.L, List: []attr.Value{attr.Num("0"), attr.Num("1"), attr.Num("2"), attr.Num("3")}},
		"m":  {Type: attr.M, Map: map[string]attr.Value{"k": attr.Str("v"), "l": {Type: attr.L, List: []attr.Value{attr.Str("e")}}}},
	}
}

func applyPlaceholders() *Placeholders {
	return NewPlaceholders(nil, attr.Item{
		":one": attr.Num("1"), ":x": attr.Str("x"), ":big": attr.Num("9E+125"), ":o": attr.Num("1"),
		":l":  {Type: attr.L, List: []attr.Value{attr.Str("z")}},
		":ss": {Type: attr.SS, Strs: []string{"b", "c"}},
		":ab": {Type: attr.SS, Strs: []string{"a", "b"}},
		":ns": {Type: attr.NS, Strs: []string{"2"}},
	})
}

func TestUpdateApply(t *testing.T) {
	tests := []struct {
		name, expr string
		want       string // substring of the rendered result, or "error: msg"
	}{
		{"SET replaces a top-level attribute", "SET s = :x", "s:S(x)"},
		{"SET creates a new attribute", "SET z = :one", "z:N(1)"},
		{"SET adds a number", "SET n = n + :one", "n:N(6)"},
		{"SET subtracts a number", "SET n = n - :one", "n:N(4)"},
		{"SET with if_not_exists keeps the existing value", "SET n = if_not_exists(n, :one)", "n:N(5)"},
		{"SET with if_not_exists uses the default", "SET z = if_not_exists(z, :one) + :one", "z:N(2)"},
		{"list_append appends", "SET l = list_append(l, :l)", "l:[N(0) N(1) N(2) N(3) S(z)]"},
		{"list_append prepends", "SET l = list_append(:l, l)", "l:[S(z) N(0) N(1) N(2) N(3)]"},
		{"SET of a list element replaces it", "SET l[1] = :x", "l:[N(0) S(x) N(2) N(3)]"},
		{"SET past the end appends in index order", "SET l[20] = :x, l[10] = :one", "l:[N(0) N(1) N(2) N(3) N(1) S(x)]"},
		{"SET of a nested map key", "SET m.k2 = :x", "m:{k:S(v) k2:S(x) l:[S(e)]}"},
		{"many SETs past the end append in index order", "SET l[29] = :one, l[21] = :x, l[27] = :one, l[22] = :x, l[28] = :x, l[24] = :one, l[26] = :one, l[23] = :x, l[25] = :x, l[20] = :one",
			"l:[N(0) N(1) N(2) N(3) N(1) S(x) S(x) S(x) N(1) S(x) N(1) N(1) S(x) N(1)]"},
		{"SET reads values from the old item", "SET a = n, n = :one", "a:N(5)"},
		{"REMOVE a top-level attribute", "REMOVE s, gone", "{l:[N(0) N(1) N(2) N(3)] m:{k:S(v) l:[S(e)]} n:N(5) ns:NS[1 2] ss:SS[a b]}"},
		{"REMOVE list elements uses original indexes", "REMOVE l[1], l[3], l[9]", "l:[N(0) N(2)]"},
		{"REMOVE a nested key", "REMOVE m.k", "m:{l:[S(e)]}"},
		{"ADD to a number", "ADD n :one", "n:N(6)"},
		{"ADD creates a number", "ADD z :one", "z:N(1)"},
		{"ADD unions sets", "ADD ss :ss", "ss:SS[a b c]"},
		{"ADD to a nested path", "ADD m.c :one", "m:{c:N(1) k:S(v) l:[S(e)]}"},
		{"DELETE removes set elements", "DELETE ns :ns", "ns:NS[1]"},
		{"DELETE of every element removes the attribute", "DELETE ss :ab", "{l:[N(0) N(1) N(2) N(3)] m:{k:S(v) l:[S(e)]} n:N(5) ns:NS[1 2] s:S(str)}"},
		{"DELETE on a missing attribute is a no-op", "DELETE zz :ss", "ss:SS[a b]"},
		{"arithmetic on a string fails", "SET n = s + :one", "error: An operand in the update expression has an incorrect data type"},
		{"arithmetic on a missing attribute fails", "SET n = gone + :one", "error: The provided expression refers to an attribute that does not exist in the item"},
		{"list_append of a missing attribute fails", "SET l = list_append(gone, :l)", "error: The provided expression refers to an attribute that does not exist in the item"},
		{"list_append of a non-list fails", "SET l = list_append(s, :l)", "error: An operand in the update expression has an incorrect data type"},
		{"ADD a number to a string fails", "ADD s :one", "error: An operand in the update expression has an incorrect data type"},
		{"ADD a set of another type fails", "ADD ss :ns", "error: An operand in the update expression has an incorrect data type"},
		{"DELETE from a non-set fails", "DELETE s :ss", "error: An operand in the update expression has an incorrect data type"},
		{"SET under a missing parent fails", "SET gone.x = :one", "error: The document path provided in the update expression is invalid for update"},
		{"SET of an index on a non-list fails", "SET s[0] = :one", "error: The document path provided in the update expression is invalid for update"},
		{"SET of a key on a non-map fails", "SET l.x = :one", "error: The document path provided in the update expression is invalid for update"},
		{"REMOVE under a missing parent fails", "REMOVE gone.x", "error: The document path provided in the update expression is invalid for update"},
		{"overflow is DynamoDB's error", "SET n = :big + :big", "error: Number overflow. Attempting to store a number with magnitude larger than supported range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := ParseUpdate(tt.expr, applyPlaceholders())
			if err != nil {
				t.Fatal(err)
			}
			old := applyItem()
			before := render(old)
			got, err := u.Apply(old)
			var s string
			if err != nil {
				s = "error: " + errMessage(err)
			} else {
				s = render(got)
			}
			if !strings.Contains(s, tt.want) {
				t.Errorf("got  %s\nwant %s", s, tt.want)
			}
			if render(old) != before {
				t.Errorf("old item was modified: %s", render(old))
			}
		})
	}
}

func TestUpdateApplyToNoItem(t *testing.T) {
	u, err := ParseUpdate("SET a = :one ADD c :one REMOVE b", applyPlaceholders())
	if err != nil {
		t.Fatal(err)
	}
	got, err := u.Apply(nil)
	if err != nil || render(got) != "{a:N(1) c:N(1)}" {
		t.Errorf("got %s, %v", render(got), err)
	}
}

func TestUpdateCheckKeys(t *testing.T) {
	u, err := ParseUpdate("SET a = :one REMOVE sk", applyPlaceholders())
	if err != nil {
		t.Fatal(err)
	}
	if err := u.CheckKeys("pk", "sk"); err == nil || errMessage(err) != "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key" {
		t.Errorf("CheckKeys = %v", err)
	}
	if err := u.CheckKeys("pk", ""); err != nil {
		t.Errorf("CheckKeys(pk) = %v", err)
	}
}

func TestUpdateOperatorLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("SET ")
	for i := range 301 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "a%d=:o+:o", i)
	}
	_, err := ParseUpdate(b.String(), applyPlaceholders())
	if err == nil || errMessage(err) != "Invalid UpdateExpression: The expression contains too many operators; operator count: 301" {
		t.Errorf("err = %v", err)
	}
}

func TestExpressionSizeLimit(t *testing.T) {
	long := "a = :x" + strings.Repeat(" ", 5000)
	_, err := ParseCondition(long, applyPlaceholders())
	if want := "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 5006"; err == nil || errMessage(err) != want {
		t.Errorf("condition: %v", err)
	}
	_, err = ParseUpdate("SET a = :x"+strings.Repeat(" ", 5000), applyPlaceholders())
	if want := "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;"; err == nil || errMessage(err) != want {
		t.Errorf("update: %v", err)
	}
}

func TestInOperandLimit(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{100, ""}, {101, "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101"}} {
		e := "a IN (" + strings.TrimSuffix(strings.Repeat(":x,", tt.n), ",") + ")"
		_, err := ParseCondition(e, applyPlaceholders())
		got := ""
		if err != nil {
			got = errMessage(err)
		}
		if got != tt.want {
			t.Errorf("%d operands: got %q want %q", tt.n, got, tt.want)
		}
	}
}

func TestProjectionApply(t *testing.T) {
	item := attr.Item{
		"a": attr.Str("A"),
		"m": {Type: attr.M, Map: map[string]attr.Value{
			"y": {Type: attr.L, List: []attr.Value{attr.Str("y0"), attr.Str("y1"), attr.Str("y2")}},
			"z": attr.Str("Z"),
		}},
	}
	tests := []struct{ expr, want string }{
		{"a", "{a:S(A)}"},
		{"a, gone", "{a:S(A)}"},
		{"m.y[2], m.y[0]", "{m:{y:[S(y0) S(y2)]}}"},
		{"m.z, m.y[1], m.q", "{m:{y:[S(y1)] z:S(Z)}}"},
		{"m.y[7]", "{}"},
		{"a.b", "{}"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			p, err := ParseProjection(tt.expr, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := render(p.Apply(item)); got != tt.want {
				t.Errorf("got %s want %s", got, tt.want)
			}
		})
	}
}

// TestProjectionApplyTopLevel checks that the short cut Apply takes when
// every path is a top-level name gives what the general tree gives, for
// parsed, legacy and hand-built projections (a parse or AttributesToGet
// never repeats a name, but Apply does not rely on it).
func TestProjectionApplyTopLevel(t *testing.T) {
	item := attr.Item{
		"a": attr.Str("A"),
		"n": attr.Num("1"),
		"m": {Type: attr.M, Map: map[string]attr.Value{"z": attr.Str("Z")}},
	}
	tests := []struct {
		name string
		proj *Projection
	}{
		{"one name", mustProjection(t, "a")},
		{"names and a map", mustProjection(t, "a, m, n")},
		{"a missing name", mustProjection(t, "gone, n")},
		{"only missing names", mustProjection(t, "x, y")},
		{"legacy names", mustLegacy(t, "n", "gone", "a")},
		{"a repeated name", &Projection{Paths: []Path{{{Name: "a"}}, {{Name: "n"}}, {{Name: "a"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !allTopLevel(tt.proj.Paths) {
				t.Fatal("not a top-level projection")
			}
			got, want := tt.proj.Apply(item), tt.proj.applyTree(item)
			if !reflect.DeepEqual(got, want) || got == nil {
				t.Errorf("got %s want %s", render(got), render(want))
			}
			if tt.proj.Apply(nil) != nil {
				t.Error("a projection of no item is not nil")
			}
		})
	}
}

func mustProjection(t *testing.T, s string) *Projection {
	t.Helper()
	p, err := ParseProjection(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustLegacy(t *testing.T, names ...string) *Projection {
	t.Helper()
	p, err := FromAttributesToGet(names)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
