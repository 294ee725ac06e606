package keyspace

import (
	"bytes"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
)

func TestStreamKeys(t *testing.T) {
	item := Item(3, attr.Str("k"), attr.Num("1"), true)
	t.Run("a pending key parses back to its hint and item key", func(t *testing.T) {
		ts, k, ok := ParseStreamPending(StreamPending(3, 42, item))
		if !ok || ts != 42 || !bytes.Equal(k, item) {
			t.Fatalf("%d %x %v", ts, k, ok)
		}
		lo, hi := StreamPendingRange(3)
		if k := StreamPending(3, 1<<63, item); bytes.Compare(k, lo) < 0 || bytes.Compare(k, hi) >= 0 {
			t.Fatal("pending key outside the pending range")
		}
	})
	t.Run("records sort by sequence number within a stream", func(t *testing.T) {
		lo, hi := StreamRecords(3, 1000, 10, 0)
		for _, c := range []struct {
			k  []byte
			in bool
		}{
			{StreamRecord(3, 1000, 9), false},
			{StreamRecord(3, 1000, 10), true},
			{StreamRecord(3, 1000, 1<<64-1), true},
			{StreamRecord(3, 1001, 10), false},
			{StreamRecord(3, 999, 10), false},
		} {
			if in := bytes.Compare(c.k, lo) >= 0 && bytes.Compare(c.k, hi) < 0; in != c.in {
				t.Fatalf("%x: in = %v", c.k, in)
			}
		}
		if seq, ok := ParseStreamRecord(StreamRecord(3, 1000, 77)); !ok || seq != 77 {
			t.Fatalf("%d %v", seq, ok)
		}
		lo, hi = StreamRecords(3, 1000, 10, 12)
		if k := StreamRecord(3, 1000, 12); bytes.Compare(k, hi) < 0 || bytes.Compare(StreamRecord(3, 1000, 11), lo) < 0 {
			t.Fatal("bounded range wrong")
		}
	})
	t.Run("every stream key of a table is inside StreamTable", func(t *testing.T) {
		lo, hi := StreamTable(3)
		for _, k := range [][]byte{StreamPending(3, 1, item), StreamItemPending(3, item), StreamNext(3),
			StreamRecord(3, 1, 1), StreamTrim(3, 1), StreamStart(3, 1)} {
			if bytes.Compare(k, lo) < 0 || bytes.Compare(k, hi) >= 0 {
				t.Fatalf("%x outside", k)
			}
		}
	})
}
