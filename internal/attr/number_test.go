package attr

import (
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
)

func TestCanonicalNumber(t *testing.T) {
	// behaviours.md §1 table, plus limits.md §3 boundaries.
	tests := []struct{ in, want string }{
		{"0001.500", "1.5"},
		{"1E2", "100"},
		{"1e2", "100"},
		{"0.1E2", "10"},
		{"1.23E+5", "123000"},
		{"-1.50", "-1.5"},
		{"-0", "0"},
		{"0.0", "0"},
		{"-0.000", "0"},
		{"00", "0"},
		{"1.0", "1"},
		{"+5", "5"},
		{"5.", "5"},
		{".5", "0.5"},
		{"1.00E-2", "0.01"},
		{"0.000001", "0.000001"},
		{"12345678901234567890123456789012345678E-5", "123456789012345678901234567890123.45678"},
		{"1E+125", "1" + strings.Repeat("0", 125)},
		{"1E-130", "0." + strings.Repeat("0", 129) + "1"},
		{"-1E-130", "-0." + strings.Repeat("0", 129) + "1"},
		{"9.9999999999999999999999999999999999999E+125", strings.Repeat("9", 38) + strings.Repeat("0", 88)},
		{strings.Repeat("1", 38) + "000", strings.Repeat("1", 38) + "000"},
		{"0E999999999999999999999", "0"},
		{"0.00000000000000000000000000000000000000000000000001000", "0." + strings.Repeat("0", 49) + "1"},
		{"123", "123"},
		{"10.5", "10.5"},
		{"1e-0", "1"},
		{"-12.3400e1", "-123.4"},
	}
	for _, tt := range tests {
		t.Run(tt.in+" becomes "+tt.want, func(t *testing.T) {
			got, err := CanonicalNumber(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("CanonicalNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCanonicalNumberErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"abc", msgNotANumber},
		{"", msgNotANumber},
		{"NaN", msgNotANumber},
		{"Infinity", msgNotANumber},
		{"-Infinity", msgNotANumber},
		{"0x10", msgNotANumber},
		{" 1", msgNotANumber},
		{"1 ", msgNotANumber},
		{".", msgNotANumber},
		{"-", msgNotANumber},
		{"1e", msgNotANumber},
		{"1e+", msgNotANumber},
		{"e5", msgNotANumber},
		{"1..2", msgNotANumber},
		{"1.2.3", msgNotANumber},
		{"--1", msgNotANumber},
		{strings.Repeat("1", 39), msgPrecision},
		{"1." + strings.Repeat("1", 38), msgPrecision},
		{"1E126", msgOverflow},
		{"-1E126", msgOverflow},
		{"1E99999999999999999999", msgOverflow},
		{"1E-131", msgUnderflow},
		{"-0.1E-130", msgUnderflow},
	}
	for _, tt := range tests {
		t.Run(tt.in+" is rejected", func(t *testing.T) {
			_, err := CanonicalNumber(tt.in)
			e, ok := apierr.As(err)
			if !ok || e.Code != "ValidationException" || e.Message != tt.msg {
				t.Fatalf("CanonicalNumber(%q) error = %v; want %q", tt.in, err, tt.msg)
			}
		})
	}
}

func TestCanonicalNumberDoesNotAllocateForCanonicalInput(t *testing.T) {
	s := "123.45"
	if n := testing.AllocsPerRun(100, func() { _, _ = CanonicalNumber(s) }); n != 0 {
		t.Fatalf("allocs = %v", n)
	}
}

func TestCompareNumbers(t *testing.T) {
	ordered := []string{"-1E+125", "-1000", "-10", "-2", "-1.5", "-1", "-0.5", "-1E-130", "0",
		"1E-130", "0.5", "1", "1.5", "2", "10", "10.5", "1000", "9.9999999999999999999999999999999999999E+125"}
	for i, a := range ordered {
		for j, b := range ordered {
			ca, _ := CanonicalNumber(a)
			cb, _ := CanonicalNumber(b)
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := CompareNumbers(ca, cb); got != want {
				t.Errorf("CompareNumbers(%s, %s) = %d, want %d", a, b, got, want)
			}
		}
	}
	if CompareNumbers("1.0", "1") != 0 {
		t.Error("1.0 and 1 must compare equal")
	}
}

func TestAddSubtractNumbers(t *testing.T) {
	tests := []struct {
		name    string
		a, b    string
		sub     bool
		want    string
		wantMsg string
	}{
		{"small sum", "1", "2", false, "3", ""},
		{"fractions", "0.1", "0.2", false, "0.3", ""},
		{"to zero", "2E-130", "2E-130", true, "0", ""},
		{"negative result", "1", "3", true, "-2", ""},
		{"38 nines plus zero", strings.Repeat("9", 38), "0", false, strings.Repeat("9", 38), ""},
		{"carry to 39 digits", strings.Repeat("9", 38), "1", false, "1" + strings.Repeat("0", 38), ""},
		{"39 significant digits", strings.Repeat("1", 38), "1E38", false, "", msgPrecision},
		{"overflow", "9.9999999999999999999999999999999999999E+125", "1E+88", false, "", msgOverflow},
		{"wide span loses precision", "1E+125", "1E-130", false, "", msgPrecision},
		{"underflow", "1.5E-130", "1.4E-130", true, "", msgUnderflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := CanonicalNumber(tt.a)
			b, _ := CanonicalNumber(tt.b)
			var got string
			var err error
			if tt.sub {
				got, err = SubtractNumbers(a, b)
			} else {
				got, err = AddNumbers(a, b)
			}
			if tt.wantMsg != "" {
				e, ok := apierr.As(err)
				if !ok || e.Message != tt.wantMsg {
					t.Fatalf("got %q, %v; want error %q", got, err, tt.wantMsg)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
