package attr

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestAppendKeyOrdersLikeDynamoDB(t *testing.T) {
	// behaviours.md §2: each list is in ascending DynamoDB order.
	tests := []struct {
		name   string
		values []Value
	}{
		{"numbers order numerically", nums("-1E+125", "-1000", "-10", "-2", "-1.5", "-1.05", "-1", "-0.5", "-1E-130",
			"0", "1E-130", "0.5", "1", "1.05", "1.5", "2", "10", "1000", "1E+125", "9.9999999999999999999999999999999999999E+125")},
		{"strings order by unsigned UTF-8 bytes", []Value{Str(""), Str("\x00"), Str("10"), Str("9"), Str("A"), Str("a"), Str("a "), Str("aa"),
			Str("z"), Str("¿"), Str("\uffff"), Str("\U0001F600")}},
		{"binary orders by unsigned bytes, shorter prefix first", []Value{Bin(nil), Bin([]byte{0}), Bin([]byte{0, 0}), Bin([]byte{1}),
			Bin([]byte{1, 0}), Bin([]byte{0x41}), Bin([]byte{0x7f}), Bin([]byte{0x80}), Bin([]byte{0xfd}), Bin([]byte{0xfe}),
			Bin([]byte{0xfe, 0}), Bin([]byte{0xfe, 0xff}), Bin([]byte{0xff}), Bin([]byte{0xff, 0})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := 1; i < len(tt.values); i++ {
				a, b := AppendKey(nil, tt.values[i-1]), AppendKey(nil, tt.values[i])
				if bytes.Compare(a, b) >= 0 {
					t.Errorf("encoding of %v (%x) does not sort before %v (%x)", tt.values[i-1], a, tt.values[i], b)
				}
			}
		})
	}
}

func nums(ss ...string) []Value {
	out := make([]Value, len(ss))
	for i, s := range ss {
		c, err := CanonicalNumber(s)
		if err != nil {
			panic(err)
		}
		out[i] = Num(c)
	}
	return out
}

func randomNumber(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(2) == 0 {
		b.WriteByte('-')
	}
	nd := 1 + r.IntN(38)
	for i := 0; i < nd; i++ {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	b.WriteString("E")
	b.WriteString(strconv.Itoa(r.IntN(250) - 125 - nd/2))
	c, err := CanonicalNumber(b.String())
	if err != nil {
		return "0"
	}
	return c
}

func randomBytes(r *rand.Rand) []byte {
	b := make([]byte, r.IntN(6))
	for i := range b {
		// bias towards the escaped bytes
		switch r.IntN(4) {
		case 0:
			b[i] = 0
		case 1:
			b[i] = byte(0xfe + r.IntN(2))
		default:
			b[i] = byte(r.IntN(256))
		}
	}
	return b
}

func TestAppendKeyPropertyOrderAndRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		var a, b Value
		switch i % 3 {
		case 0:
			a, b = Num(randomNumber(r)), Num(randomNumber(r))
		case 1:
			a, b = Str(string(randomBytes(r))), Str(string(randomBytes(r)))
		case 2:
			a, b = Bin(randomBytes(r)), Bin(randomBytes(r))
		}
		ea, eb := AppendKey(nil, a), AppendKey(nil, b)
		want, _ := Compare(a, b)
		if got := bytes.Compare(ea, eb); got != want {
			t.Fatalf("order of %v vs %v: encodings compare %d, values %d", a, b, got, want)
		}
		if len(ea) > 0 && ea[0] == 0xff {
			t.Fatalf("encoding of %v starts with 0xff", a)
		}
		// round trip, with trailing bytes to prove self-delimiting
		buf := append(append([]byte(nil), ea...), 0xAB, 0xCD)
		got, rest, err := DecodeKey(buf, a.Type)
		if err != nil || !Equal(got, a) || !bytes.Equal(rest, []byte{0xAB, 0xCD}) {
			t.Fatalf("DecodeKey(%x) = %v, %x, %v; want %v", buf, got, rest, err, a)
		}
		if a.Type == N && got.Str != a.Str {
			t.Fatalf("decoded number %q is not canonical %q", got.Str, a.Str)
		}
	}
}

func TestDecodeKeyRejectsCorruptInput(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		t    Type
	}{
		{"unterminated string", []byte("abc"), S},
		{"bad escape", []byte{0x00, 0x05}, B},
		{"empty number", nil, N},
		{"bad sign byte", []byte{0x09}, N},
		{"unterminated number", []byte{keyPos, 130, 2}, N},
		{"digit pair out of range", []byte{keyPos, 130, 200, 0}, N},
		{"no digits", []byte{keyPos, 130, 0}, N},
		{"not a key type", []byte{0}, BOOL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := DecodeKey(tt.b, tt.t); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func FuzzDecodeKey(f *testing.F) {
	f.Add([]byte{keyPos, 130, 2, 0}, uint8(N))
	f.Add([]byte("ab\x00\x01"), uint8(S))
	f.Add([]byte{0xfe, 0x01, 0, 0xff, 0, 1}, uint8(B))
	f.Fuzz(func(t *testing.T, b []byte, typ uint8) {
		ty := []Type{S, N, B}[int(typ)%3]
		v, _, err := DecodeKey(b, ty)
		if err != nil {
			return
		}
		enc := AppendKey(nil, v)
		if !bytes.HasPrefix(b, enc) {
			// a number may decode from a non-minimal encoding (padding pair);
			// it must still round-trip from its own encoding.
			v2, _, err := DecodeKey(enc, ty)
			if err != nil || !Equal(v, v2) {
				t.Fatalf("re-decode of %x: %v %v", enc, v2, err)
			}
		}
	})
}
