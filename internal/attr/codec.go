package attr

import (
	"encoding/binary"
	"errors"
)

// Binary item codec: the form items take in storage (keyspace item values).
//
// Persisted: do not reorder. Layout:
//
//	item  = version(0x01) uvarint(count) { name value }
//	name  = uvarint(len) bytes
//	value = type(1 byte, the Type constants) payload
//	  S, N, B       uvarint(len) bytes          (N: canonical text)
//	  BOOL          0x00 | 0x01
//	  NULL          (nothing)
//	  M             uvarint(count) { name value }
//	  L             uvarint(count) { value }
//	  SS, NS, BS    uvarint(count) { uvarint(len) bytes }
//
// Attribute order within an item or map is unspecified.
const codecVersion = 0x01

// codecMaxDepth bounds recursion when decoding (valid items nest at most 32
// levels; the slack tolerates future changes, the bound stops stack
// exhaustion on corrupt input).
const codecMaxDepth = 64

// ErrCorrupt reports bytes that are not a valid binary item encoding.
var ErrCorrupt = errors.New("attr: corrupt item encoding")

// AppendItem appends the binary encoding of it to dst.
func AppendItem(dst []byte, it Item) []byte {
	dst = append(dst, codecVersion)
	dst = binary.AppendUvarint(dst, uint64(len(it)))
	for k, v := range it {
		dst = appendBinString(dst, k)
		dst = appendBinValue(dst, v)
	}
	return dst
}

func appendBinString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func appendBinBytes(dst []byte, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

func appendBinValue(dst []byte, v Value) []byte {
	if v.Type == TypeInvalid || v.Type > BS {
		// Never stored: ValidateItem rejects invalid values first. Keep the
		// encoding decodable anyway.
		return append(dst, byte(NULL))
	}
	dst = append(dst, byte(v.Type))
	switch v.Type {
	case S, N:
		dst = appendBinString(dst, v.Str)
	case B:
		dst = appendBinBytes(dst, v.Bytes)
	case BOOL:
		if v.Bool {
			dst = append(dst, 1)
		} else {
			dst = append(dst, 0)
		}
	case M:
		dst = binary.AppendUvarint(dst, uint64(len(v.Map)))
		for k, e := range v.Map {
			dst = appendBinString(dst, k)
			dst = appendBinValue(dst, e)
		}
	case L:
		dst = binary.AppendUvarint(dst, uint64(len(v.List)))
		for _, e := range v.List {
			dst = appendBinValue(dst, e)
		}
	case SS, NS:
		dst = binary.AppendUvarint(dst, uint64(len(v.Strs)))
		for _, e := range v.Strs {
			dst = appendBinString(dst, e)
		}
	case BS:
		dst = binary.AppendUvarint(dst, uint64(len(v.BytesSet)))
		for _, e := range v.BytesSet {
			dst = appendBinBytes(dst, e)
		}
	}
	return dst
}

// binDecoder reads from one string copy of the input, so every S/N value and
// attribute name shares a single allocation.
type binDecoder struct {
	s   string
	pos int
}

// DecodeItem decodes an AppendItem encoding. It never panics: corrupt input
// yields ErrCorrupt.
func DecodeItem(b []byte) (Item, error) {
	if len(b) == 0 || b[0] != codecVersion {
		return nil, ErrCorrupt
	}
	d := binDecoder{s: string(b), pos: 1}
	n, ok := d.count(2)
	if !ok {
		return nil, ErrCorrupt
	}
	it := make(Item, n)
	for i := 0; i < n; i++ {
		k, ok := d.str()
		if !ok {
			return nil, ErrCorrupt
		}
		v, ok := d.value(0)
		if !ok {
			return nil, ErrCorrupt
		}
		it[k] = v
	}
	if d.pos != len(d.s) {
		return nil, ErrCorrupt
	}
	return it, nil
}

func (d *binDecoder) uvarint() (uint64, bool) {
	var x uint64
	var shift uint
	for i := 0; i < binary.MaxVarintLen64; i++ {
		if d.pos >= len(d.s) {
			return 0, false
		}
		c := d.s[d.pos]
		d.pos++
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, false
			}
			return x | uint64(c)<<shift, true
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, false
}

// count reads an element count and checks it against the remaining input
// (each element needs at least minSize bytes), so a corrupt count cannot
// trigger a huge allocation.
func (d *binDecoder) count(minSize int) (int, bool) {
	n, ok := d.uvarint()
	if !ok || n > uint64(len(d.s)-d.pos)/uint64(minSize) {
		return 0, false
	}
	return int(n), true
}

func (d *binDecoder) str() (string, bool) {
	n, ok := d.uvarint()
	if !ok || n > uint64(len(d.s)-d.pos) {
		return "", false
	}
	s := d.s[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return s, true
}

func (d *binDecoder) bytes() ([]byte, bool) {
	s, ok := d.str()
	if !ok {
		return nil, false
	}
	return []byte(s), true
}

func (d *binDecoder) value(depth int) (Value, bool) {
	if depth > codecMaxDepth || d.pos >= len(d.s) {
		return Value{}, false
	}
	t := Type(d.s[d.pos])
	d.pos++
	switch t {
	case S, N:
		s, ok := d.str()
		return Value{Type: t, Str: s}, ok
	case B:
		b, ok := d.bytes()
		return Value{Type: B, Bytes: b}, ok
	case BOOL:
		if d.pos >= len(d.s) || d.s[d.pos] > 1 {
			return Value{}, false
		}
		d.pos++
		return Value{Type: BOOL, Bool: d.s[d.pos-1] == 1}, true
	case NULL:
		return Value{Type: NULL}, true
	case M:
		n, ok := d.count(2)
		if !ok {
			return Value{}, false
		}
		m := make(map[string]Value, n)
		for i := 0; i < n; i++ {
			k, ok := d.str()
			if !ok {
				return Value{}, false
			}
			v, ok := d.value(depth + 1)
			if !ok {
				return Value{}, false
			}
			m[k] = v
		}
		return Value{Type: M, Map: m}, true
	case L:
		n, ok := d.count(1)
		if !ok {
			return Value{}, false
		}
		l := make([]Value, n)
		for i := range l {
			if l[i], ok = d.value(depth + 1); !ok {
				return Value{}, false
			}
		}
		return Value{Type: L, List: l}, true
	case SS, NS:
		n, ok := d.count(1)
		if !ok {
			return Value{}, false
		}
		l := make([]string, n)
		for i := range l {
			if l[i], ok = d.str(); !ok {
				return Value{}, false
			}
		}
		return Value{Type: t, Strs: l}, true
	case BS:
		n, ok := d.count(1)
		if !ok {
			return Value{}, false
		}
		l := make([][]byte, n)
		for i := range l {
			if l[i], ok = d.bytes(); !ok {
				return Value{}, false
			}
		}
		return Value{Type: BS, BytesSet: l}, true
	}
	return Value{}, false
}
