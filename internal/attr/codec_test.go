package attr

import (
	"bytes"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	tests := []struct{ name, json string }{
		{"empty item", `{}`},
		{"scalars", `{"s":{"S":"x"},"e":{"S":""},"n":{"N":"-1.5"},"b":{"B":"AAE="},"eb":{"B":""},"t":{"BOOL":true},"f":{"BOOL":false},"z":{"NULL":true}}`},
		{"containers", `{"m":{"M":{"a":{"L":[{"S":"x"},{"M":{}}]}}},"l":{"L":[]}}`},
		{"sets", `{"ss":{"SS":["b","a"]},"ns":{"NS":["2","1"]},"bs":{"BS":["AQ==","AA=="]}}`},
		{"odd names", `{"":{"S":"x"},"a.b":{"N":"0"},"é":{"S":"\u0000"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, err := ParseItem([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			enc := AppendItem(nil, it)
			got, err := DecodeItem(enc)
			if err != nil {
				t.Fatal(err)
			}
			if !ItemsEqual(got, it) {
				t.Fatalf("got %#v, want %#v", got, it)
			}
			if a, b := AppendItemJSON(nil, got), AppendItemJSON(nil, it); !bytes.Equal(a, b) {
				t.Fatalf("json differs: %s vs %s", a, b)
			}
		})
	}
}

func TestDecodeItemRejectsCorruptInput(t *testing.T) {
	good := AppendItem(nil, Item{"a": Str("xyz"), "l": {Type: L, List: []Value{Num("1")}}})
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"wrong version", []byte{9, 0}},
		{"huge count", []byte{codecVersion, 0xff, 0xff, 0xff, 0xff, 0x0f}},
		{"unknown type", []byte{codecVersion, 1, 1, 'a', 99}},
		{"bad bool", []byte{codecVersion, 1, 1, 'a', byte(BOOL), 7}},
		{"trailing bytes", append(append([]byte(nil), good...), 0)},
		{"overlong varint", []byte{codecVersion, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
	}
	for i := 1; i < len(good); i++ {
		tests = append(tests, struct {
			name string
			b    []byte
		}{"truncated", good[:i]})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodeItem(tt.b); err == nil {
				t.Fatalf("no error for %x", tt.b)
			}
		})
	}
}

func FuzzDecodeItem(f *testing.F) {
	it, _ := ParseItem([]byte(benchItem))
	f.Add(AppendItem(nil, it))
	f.Add([]byte{codecVersion, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		it, err := DecodeItem(b)
		if err != nil {
			return
		}
		again, err := DecodeItem(AppendItem(nil, it))
		if err != nil || !sameStructure(it, again) {
			t.Fatalf("re-encode of %#v failed: %v", it, err)
		}
	})
}

// sameStructure is ItemsEqual without the numeric/set semantics, which do not
// apply to arbitrary fuzzed bytes.
func sameStructure(a, b Item) bool {
	return bytes.Equal(AppendItemJSON(nil, a), AppendItemJSON(nil, b))
}

func BenchmarkAppendItem(b *testing.B) {
	it, _ := ParseItem([]byte(benchItem))
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendItem(buf[:0], it)
	}
}

func BenchmarkDecodeItem(b *testing.B) {
	it, _ := ParseItem([]byte(benchItem))
	enc := AppendItem(nil, it)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeItem(enc); err != nil {
			b.Fatal(err)
		}
	}
}
