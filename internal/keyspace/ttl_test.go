package keyspace

import (
	"bytes"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
)

func TestTTLKeys(t *testing.T) {
	item := Item(7, attr.Str("user#1"), attr.Value{}, false)
	t.Run("an entry parses back to its epoch and item key", func(t *testing.T) {
		e, k, ok := ParseTTLEntry(TTLEntry(7, 1700000000, item))
		if !ok || e != 1700000000 || !bytes.Equal(k, item) {
			t.Fatalf("%d %x %v", e, k, ok)
		}
	})
	t.Run("entries sort by epoch whatever the item", func(t *testing.T) {
		other := Item(7, attr.Str("a"), attr.Value{}, false)
		if bytes.Compare(TTLEntry(7, 99, item), TTLEntry(7, 100, other)) >= 0 {
			t.Fatal("epoch 99 sorts after epoch 100")
		}
	})
	cases := []struct {
		name     string
		epoch    uint64
		from, to uint64
		in       bool
	}{
		{"the lower bound is inclusive", 100, 100, 200, true},
		{"the upper bound is exclusive", 200, 100, 200, false},
		{"an epoch below the window is out", 99, 100, 200, false},
		{"an epoch inside is in", 150, 100, 200, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := TTLEntries(7, tc.from, tc.to)
			k := TTLEntry(7, tc.epoch, item)
			if in := bytes.Compare(k, lo) >= 0 && bytes.Compare(k, hi) < 0; in != tc.in {
				t.Fatalf("in = %v", in)
			}
		})
	}
	t.Run("every TTL key of a table is inside TTLTable, and not another table's", func(t *testing.T) {
		lo, hi := TTLTable(7)
		for _, k := range [][]byte{TTLEntry(7, 0, item), TTLEntry(7, 1<<62, item), TTLDeleted(7)} {
			if bytes.Compare(k, lo) < 0 || bytes.Compare(k, hi) >= 0 {
				t.Fatalf("%x outside", k)
			}
		}
		if k := TTLDeleted(8); bytes.Compare(k, hi) < 0 {
			t.Fatal("table 8's counter inside table 7's range")
		}
		elo, ehi := AllTTLEntries(7)
		if k := TTLDeleted(7); bytes.Compare(k, elo) >= 0 && bytes.Compare(k, ehi) < 0 {
			t.Fatal("the counter is inside the entries' range")
		}
	})
	t.Run("other keys do not parse as entries", func(t *testing.T) {
		if _, _, ok := ParseTTLEntry(TTLDeleted(7)); ok {
			t.Fatal("the counter parsed")
		}
	})
}
