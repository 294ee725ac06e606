package protocol

import (
	"encoding/binary"
	"math"
	"reflect"
	"strconv"

	"github.com/petreldb/petrel/internal/attr"
)

// filler builds random values of the generated types by reflection, driven
// by a byte stream (a fuzz input) so that the fuzzer can steer it. Once the
// stream is exhausted every choice is 0: nil pointers, empty containers.
type filler struct {
	src []byte
}

func (f *filler) u64() uint64 {
	var b [8]byte
	n := copy(b[:], f.src)
	f.src = f.src[n:]
	return binary.LittleEndian.Uint64(b[:])
}

func (f *filler) byte() byte {
	if len(f.src) == 0 {
		return 0
	}
	c := f.src[0]
	f.src = f.src[1:]
	return c
}

func (f *filler) intn(n int) int { return int(f.byte()) % n }

// pieces of strings that exercise every escaping rule.
var strPieces = []string{
	"", "a", "TableName", "<&>", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x00", "\x1f", "\x7f",
	"é", "日本", "\u2028", "\u2029", "\xff", "\xe2\x80", "😀", "\ufffd", " ", "{}", "[1]",
}

func (f *filler) str() string {
	n := f.intn(6)
	s := ""
	for range n {
		if c := f.byte(); c < 200 {
			s += strPieces[int(c)%len(strPieces)]
		} else {
			s += string(rune(f.u64() % 0x110000))
		}
	}
	return s
}

var numPieces = []string{"0", "1", "-1", "12.5", "-0.001", "1E+30", "9.9999999999999999999999999999999999999E+125", "1E-130", "123456789012345678901234567890"}

func (f *filler) value(depth int) attr.Value {
	k := f.intn(12)
	if depth > 3 && k >= 6 && k <= 7 {
		k = 0
	}
	switch k {
	case 0:
		return attr.Str(f.str())
	case 1:
		s, err := attr.CanonicalNumber(numPieces[f.intn(len(numPieces))])
		if err != nil {
			panic(err)
		}
		return attr.Num(s)
	case 2:
		return attr.Bin([]byte(f.str()))
	case 3:
		return attr.Boolean(f.byte()&1 == 1)
	case 4:
		return attr.Null()
	case 5:
		return attr.Value{} // an invalid placeholder encodes as {}
	case 6:
		return attr.Value{Type: attr.M, Map: f.item(depth + 1)}
	case 7:
		l := []attr.Value{}
		for range f.intn(4) {
			l = append(l, f.value(depth+1))
		}
		return attr.Value{Type: attr.L, List: l}
	case 8:
		return attr.Value{Type: attr.SS, Strs: []string{f.str(), f.str() + "x"}}
	case 9:
		return attr.Value{Type: attr.NS, Strs: []string{"1", "2.5"}}
	case 10:
		return attr.Value{Type: attr.BS, BytesSet: [][]byte{[]byte(f.str()), {}}}
	}
	return attr.Str("")
}

func (f *filler) item(depth int) attr.Item {
	switch f.intn(8) {
	case 0:
		return nil
	case 1:
		return attr.Item{}
	}
	it := attr.Item{}
	for range f.intn(4) + 1 {
		it[f.str()] = f.value(depth)
	}
	return it
}

var (
	valueType = reflect.TypeFor[attr.Value]()
	itemType  = reflect.TypeFor[attr.Item]()
)

// fill sets v (settable) to a random value of its type.
func (f *filler) fill(v reflect.Value, depth int) {
	t := v.Type()
	switch {
	case t == valueType:
		v.Set(reflect.ValueOf(f.value(depth)))
		return
	case t == itemType:
		if it := f.item(depth); it != nil {
			v.Set(reflect.ValueOf(it))
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			f.fill(v.Field(i), depth)
		}
	case reflect.Pointer:
		// nil half of the time; deep structures end in nil pointers.
		if f.byte()&1 == 0 || depth > 6 {
			return
		}
		p := reflect.New(t.Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		switch c := f.intn(5); {
		case c == 0 || depth > 6:
			return // nil
		case t.Elem().Kind() == reflect.Uint8:
			v.SetBytes([]byte(f.str()))
		default:
			s := reflect.MakeSlice(t, c-1, c-1)
			for i := range c - 1 {
				f.fill(s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		c := f.intn(5)
		if c == 0 || depth > 6 {
			return
		}
		m := reflect.MakeMap(t)
		for range c - 1 {
			e := reflect.New(t.Elem()).Elem()
			f.fill(e, depth+1)
			m.SetMapIndex(reflect.ValueOf(f.str()), e)
		}
		v.Set(m)
	case reflect.String:
		v.SetString(f.str())
	case reflect.Bool:
		v.SetBool(f.byte()&1 == 1)
	case reflect.Int32:
		v.SetInt(int64(int32(f.u64())))
	case reflect.Int64:
		v.SetInt(int64(f.u64()))
	case reflect.Float64:
		v.SetFloat(f.float())
	default:
		panic("fill: unexpected kind " + t.String())
	}
}

func (f *filler) float() float64 {
	switch f.intn(8) {
	case 0:
		return 0
	case 1:
		return math.Copysign(0, -1)
	case 2:
		return float64(int64(f.u64()) >> 20)
	case 3:
		x, _ := strconv.ParseFloat("1e-7", 64)
		return x * float64(f.byte())
	case 4:
		return 1e21 * float64(f.byte())
	case 5:
		return 1700000000.123
	}
	x := math.Float64frombits(f.u64())
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 1.5
	}
	return x
}
