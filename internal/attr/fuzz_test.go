package attr

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
)

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{benchItem, `{"S":"x"}`, `{"NS":["1","1.0"]}`, `{"L":[{"M":{"a":{"B":"AA=="}}}]}`,
		`{"SS":["b","a"]}`, `{"S":"\ud83d\ude00\u00e9"}`, `{"N":5}`, `{}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ParseValue(b)
		it, _ := ParseItem(b)
		_ = ItemSize(it)
		_ = ValidateItem(it)
		if err != nil || !IsValid(v) {
			return
		}
		_ = Size(v)
		enc := AppendJSON(nil, v)
		back, err := ParseValue(enc)
		if err != nil || !IsValid(back) {
			t.Fatalf("re-decode of %s: %v", enc, err)
		}
		if !Equal(v, back) {
			t.Fatalf("round trip changed %s into %s", enc, AppendJSON(nil, back))
		}
		if enc2 := AppendJSON(nil, back); string(enc2) != string(enc) {
			t.Fatalf("encoding not stable: %s vs %s", enc, enc2)
		}
		dec, err := DecodeItem(AppendItem(nil, Item{"a": v}))
		if err != nil || !Equal(dec["a"], v) {
			t.Fatalf("binary codec round trip of %s: %v", enc, err)
		}
	})
}

func FuzzCanonicalNumber(f *testing.F) {
	for _, s := range []string{"0001.500", "1E2", "-0", ".5", "5.", "1E-130", "1E+125", "1e", "NaN", "12345678901234567890123456789012345678E-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := CanonicalNumber(s)
		if err != nil {
			return
		}
		again, err := CanonicalNumber(c)
		if err != nil || again != c {
			t.Fatalf("canonical form %q of %q is not stable: %q %v", c, s, again, err)
		}
		// apd rejects exponents beyond its own range ("0E100001"); compare
		// only where it can parse the input.
		if x, _, err := apd.NewFromString(s); err == nil {
			y, _, err := apd.NewFromString(c)
			if err != nil || x.Cmp(y) != 0 {
				t.Fatalf("%q -> %q changes the value (%v)", s, c, err)
			}
		}
		k := AppendKey(nil, Num(c))
		v, rest, err := DecodeKey(k, N)
		if err != nil || len(rest) != 0 || v.Str != c {
			t.Fatalf("key round trip of %q: %q %v", c, v.Str, err)
		}
		_ = Size(Num(c))
	})
}
