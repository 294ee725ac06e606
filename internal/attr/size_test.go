package attr

import (
	"strings"
	"testing"
)

func TestNumberSize(t *testing.T) {
	// limits.md §1, probe values.
	tests := []struct {
		n    string
		want int
	}{
		{"1", 2}, {"15", 2}, {"99", 2}, {"100", 2}, {"1000", 2}, {"10000", 2}, {"105", 3}, {"999", 3},
		{"1.5", 3}, {"10.5", 3}, {"1.01", 3}, {"0.5", 2}, {"0.05", 2}, {"0.001", 2}, {"123.45", 4},
		{"12.345", 4}, {"12345", 4}, {"1234567890", 6}, {strings.Repeat("9", 38), 20}, {"-1", 3},
		{"-15", 3}, {"-1.5", 4}, {"-123", 4}, {"1E+100", 2}, {"1E-130", 2},
	}
	for _, tt := range tests {
		t.Run(tt.n, func(t *testing.T) {
			c, err := CanonicalNumber(tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if got := Size(Num(c)); got != tt.want {
				t.Fatalf("Size(%s) = %d, want %d", tt.n, got, tt.want)
			}
		})
	}
}

func TestItemSize(t *testing.T) {
	tests := []struct {
		name string
		json string
		want int
	}{
		{"docs example", `{"shirt-color":{"S":"R"},"shirt-size":{"S":"M"}}`, 23},
		{"list", `{"c":{"L":[{"S":"ab"}]}}`, 7},
		{"map", `{"c":{"M":{"k":{"S":"ab"}}}}`, 8},
		{"string set", `{"c":{"SS":["ab","cd"]}}`, 5},
		{"number set", `{"c":{"NS":["12","345"]}}`, 6},
		{"mixed list", `{"c":{"L":[{"S":"ab"},{"N":"1"}]}}`, 10},
		{"empty list", `{"c":{"L":[]}}`, 4},
		{"empty map", `{"c":{"M":{}}}`, 4},
		{"bool and null", `{"b":{"BOOL":true},"n":{"NULL":true}}`, 4},
		{"binary counts raw bytes", `{"b":{"B":"AAECAw=="}}`, 5},
		{"binary set", `{"b":{"BS":["AA==","AAE="]}}`, 4},
		{"two-byte character", `{"é":{"S":"é"}}`, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, err := ParseItem([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			if got := ItemSize(it); got != tt.want {
				t.Fatalf("ItemSize = %d, want %d", got, tt.want)
			}
		})
	}
}
