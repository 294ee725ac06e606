package attr

import "testing"

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b Value
		want bool
	}{
		{"equal strings", Str("a"), Str("a"), true},
		{"different types", Str("1"), Num("1"), false},
		{"numbers numerically", Num("1"), Num("1.0"), true},
		{"different numbers", Num("1"), Num("2"), false},
		{"binary", Bin([]byte{1}), Bin([]byte{1}), true},
		{"nil and empty binary", Bin(nil), Bin([]byte{}), true},
		{"bools", Boolean(true), Boolean(false), false},
		{"nulls", Null(), Null(), true},
		{"string sets ignore order", Value{Type: SS, Strs: []string{"a", "b"}}, Value{Type: SS, Strs: []string{"b", "a"}}, true},
		{"string sets differ", Value{Type: SS, Strs: []string{"a", "b"}}, Value{Type: SS, Strs: []string{"a", "c"}}, false},
		{"number sets numerically", Value{Type: NS, Strs: []string{"1", "2"}}, Value{Type: NS, Strs: []string{"2", "1.0"}}, true},
		{"binary sets ignore order", Value{Type: BS, BytesSet: [][]byte{{1}, {2}}}, Value{Type: BS, BytesSet: [][]byte{{2}, {1}}}, true},
		{"lists keep order", Value{Type: L, List: []Value{Str("a"), Str("b")}}, Value{Type: L, List: []Value{Str("b"), Str("a")}}, false},
		{"lists deep", Value{Type: L, List: []Value{Num("1")}}, Value{Type: L, List: []Value{Num("1")}}, true},
		{"maps deep", Value{Type: M, Map: map[string]Value{"x": Str("1")}}, Value{Type: M, Map: map[string]Value{"x": Str("1")}}, true},
		{"maps with different keys", Value{Type: M, Map: map[string]Value{"x": Str("1")}}, Value{Type: M, Map: map[string]Value{"y": Str("1")}}, false},
		{"invalid values are never equal", Value{}, Value{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Equal(tt.a, tt.b); got != tt.want {
				t.Fatalf("Equal = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name   string
		a, b   Value
		want   int
		wantOK bool
	}{
		{"strings by bytes: upper before lower", Str("A"), Str("a"), -1, true},
		{"strings: 10 before 9", Str("10"), Str("9"), -1, true},
		{"U+FFFF before U+1F600", Str("\uffff"), Str("\U0001F600"), -1, true},
		{"numbers numerically", Num("9"), Num("10"), -1, true},
		{"negative numbers", Num("-10"), Num("-9"), -1, true},
		{"equal numbers", Num("1.5"), Num("1.5"), 0, true},
		{"binary unsigned", Bin([]byte{0x80}), Bin([]byte{0x7f}), 1, true},
		{"binary prefix first", Bin([]byte{1}), Bin([]byte{1, 0}), -1, true},
		{"mixed types are not comparable", Str("1"), Num("1"), 0, false},
		{"bools are not comparable", Boolean(true), Boolean(true), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Compare(tt.a, tt.b)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("Compare = %d, %v; want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
