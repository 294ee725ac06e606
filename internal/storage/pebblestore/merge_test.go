package pebblestore

import (
	"testing"

	"github.com/petreldb/petrel/internal/storage"
)

func TestCounterMerger(t *testing.T) {
	le := func(v int64) []byte { return appendInt64(nil, v) }
	tests := []struct {
		name  string
		first []byte
		newer [][]byte
		older [][]byte
		want  int64
	}{
		{"one operand is itself", le(7), nil, nil, 7},
		{"newer operands add", le(7), [][]byte{le(-2), le(10)}, nil, 15},
		{"older operands add", le(7), nil, [][]byte{le(1), le(-100)}, -92},
		{"a short base reads like storage.ReadInt64", []byte{5}, [][]byte{le(1)}, nil, 6},
		{"an empty base reads as zero", []byte{}, [][]byte{le(3)}, nil, 3},
		{"sums wrap like int64", le(1<<63 - 1), [][]byte{le(1)}, nil, -1 << 63},
	}
	m := counterMerger()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vm, err := m.Merge([]byte("k"), tc.first)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range tc.newer {
				if err := vm.MergeNewer(v); err != nil {
					t.Fatal(err)
				}
			}
			for _, v := range tc.older {
				if err := vm.MergeOlder(v); err != nil {
					t.Fatal(err)
				}
			}
			out, closer, err := vm.Finish(true)
			if err != nil || closer != nil {
				t.Fatalf("Finish: %v, %v", closer, err)
			}
			if len(out) != 8 || storage.ReadInt64(out) != tc.want {
				t.Fatalf("Finish = %x; want %d", out, tc.want)
			}
		})
	}
}

func TestLockTableStripes(t *testing.T) {
	l := newLockTable()
	same := [][]byte{[]byte("a"), []byte("a")}
	tests := []struct {
		name string
		keys [][]byte
		max  int
	}{
		{"no keys take no stripes", nil, 0},
		{"duplicate keys take one stripe", same, 1},
		{"distinct keys take at most one stripe each", [][]byte{[]byte("a"), []byte("b"), []byte("c")}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := l.lock(nil, tc.keys)
			defer l.unlock(got)
			if len(got) > tc.max || (len(tc.keys) > 0 && len(got) == 0) {
				t.Fatalf("stripes %v for %d keys", got, len(tc.keys))
			}
			for i := 1; i < len(got); i++ {
				if got[i-1] >= got[i] {
					t.Fatalf("stripes %v not strictly ascending", got)
				}
			}
		})
	}
}

func TestOpenRejectsEmptyDir(t *testing.T) {
	if _, err := Open("", Options{}); err == nil {
		t.Fatal("Open with no directory succeeded")
	}
}
