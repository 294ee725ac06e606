package constraint

import (
	"testing"

	"github.com/petreldb/petrel/internal/attr"
)

func TestPathString(t *testing.T) {
	top := &Path{Name: "transactItems"}
	elem := &Path{Parent: top, Index: 1}
	cc := &Path{Parent: elem, Name: "conditionCheck"}
	ri := &Path{Name: "requestItems"}
	tests := []struct {
		name string
		p    *Path
		want string
	}{
		{"a top-level member is its name", top, "transactItems"},
		{"a nested list member uses index and member", &Path{Parent: cc, Name: "conditionExpression"},
			"transactItems.1.member.conditionCheck.conditionExpression"},
		{"a map value uses the key", &Path{Parent: &Path{Parent: ri, Key: "tbl", IsKey: true}, Index: 2},
			"requestItems.tbl.member.2.member"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLenAndIsName(t *testing.T) {
	tests := []struct {
		name   string
		s      string
		len    int
		isName bool
	}{
		{"ASCII counts bytes", "abc", 3, true},
		{"empty is not a name", "", 0, false},
		{"a BMP character counts one", "é", 1, false},
		{"a supplementary character counts two UTF-16 units", "😀", 2, false},
		{"dots, dashes and underscores are name characters", "a.b-c_D9", 8, true},
		{"a dollar is not a name character", "a$", 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Len(tt.s); got != tt.len {
				t.Errorf("Len(%q) = %d, want %d", tt.s, got, tt.len)
			}
			if got := IsName(tt.s); got != tt.isName {
				t.Errorf("IsName(%q) = %v, want %v", tt.s, got, tt.isName)
			}
		})
	}
}

func TestRenderAndError(t *testing.T) {
	s := "x"
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"a nil pointer is null", (*string)(nil), "null"},
		{"a string pointer is its value", &s, "x"},
		{"an integer is decimal", int32(-5), "-5"},
		{"an empty list", []string{}, "[]"},
		{"a list of strings", []string{"a", "b"}, "[a, b]"},
		{"a structure shows its set members", struct{ A, B *string }{A: &s}, "{A: x}"},
		{"an attribute value", attr.Str("v"), "{S: v,}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render(tt.v); got != tt.want {
				t.Errorf("Render = %q, want %q", got, tt.want)
			}
		})
	}
	if err := Error(nil); err != nil {
		t.Errorf("Error(nil) = %v, want nil", err)
	}
	p := &Path{Name: "tableName"}
	errs := Fail(Null(nil, p), "ab", p, "Member must have length greater than or equal to 3")
	want := "ValidationException: 2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; " +
		"Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"
	if got := Error(errs).Error(); got != want {
		t.Errorf("Error = %q\nwant    %q", got, want)
	}
}
