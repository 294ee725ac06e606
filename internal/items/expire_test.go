package items

import (
	"strconv"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

func TestExpire(t *testing.T) {
	s, ctx := siService(t)
	tb, err := s.cat.Get("test", "comp")
	if err != nil {
		t.Fatal(err)
	}
	siPut(t, s, `{"TableName":"comp","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"exp":{"N":"10"}}}`)
	siPut(t, s, `{"TableName":"comp","Item":{"pk":{"S":"a"},"sk":{"N":"2"},"exp":{"N":"99"}}}`)
	key := func(sk string) []byte { return keyspace.Item(tb.ID, attr.Str("a"), attr.Num(sk), true) }
	before := func(limit int) func(attr.Item) bool {
		return func(it attr.Item) bool {
			e, ok := it["exp"]
			return ok && attr.CompareNumbers(e.Str, strconv.Itoa(limit)) < 0
		}
	}
	cases := []struct {
		name    string
		sk      string
		expired func(attr.Item) bool
		deleted bool
	}{
		{"an item that is no longer expired survives", "2", before(50), false},
		{"an expired item is deleted", "1", before(50), true},
		{"a missing item is not deleted", "1", before(50), false},
		{"a key of nothing is not deleted", "3", func(attr.Item) bool { return true }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Expire(ctx, tb, key(tc.sk), tc.expired)
			if err != nil || got != tc.deleted {
				t.Fatalf("Expire = %v, %v; want %v", got, err, tc.deleted)
			}
		})
	}
	t.Run("the deletion goes through the write path: counters follow", func(t *testing.T) {
		c, _, _ := s.eng.Get(keyspace.ItemCount(tb.ID))
		if n := storage.ReadInt64(c); n != 1 {
			t.Fatalf("item count %d", n)
		}
	})
}
