package ttl

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/items/itemstest"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

func TestEpoch(t *testing.T) {
	cases := []struct {
		name string
		v    attr.Value
		want uint64
		ok   bool
	}{
		{"an integer is its epoch", attr.Num("1700000000"), 1700000000, true},
		{"a fraction is truncated", attr.Num("1700000000.9"), 1700000000, true},
		{"zero is the epoch's start", attr.Num("0"), 0, true},
		{"a value below one is zero", attr.Num("0.5"), 0, true},
		{"a negative number is ignored", attr.Num("-1"), 0, false},
		{"a huge number is ignored", attr.Num("100000000000000000000000000000"), 0, false},
		{"2^62 is too far", attr.Num("4611686018427387904"), 0, false},
		{"a string is ignored", attr.Str("1700000000"), 0, false},
		{"a number set is ignored", attr.NumberSet([]string{"1"}), 0, false},
		{"a missing value is ignored", attr.Value{}, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Epoch(tc.v)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("Epoch = %d, %v; want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestExpired(t *testing.T) {
	now := time.Unix(2_000_000_000, 500e6)
	fiveYears := int64(MaxAge / time.Second)
	item := func(v attr.Value) attr.Item { return attr.Item{"pk": attr.Str("k"), "exp": v} }
	num := func(n int64) attr.Value { return attr.Num(strconv.FormatInt(n, 10)) }
	cases := []struct {
		name string
		it   attr.Item
		want bool
	}{
		{"a second in the past is expired", item(num(2_000_000_000 - 1)), true},
		{"the current second is not yet", item(num(2_000_000_000)), false},
		{"the future is not", item(num(2_000_000_100)), false},
		{"exactly five years ago still is", item(num(2_000_000_000 - fiveYears)), true},
		{"more than five years ago is not", item(num(2_000_000_000 - fiveYears - 1)), false},
		{"milliseconds lie in the future", item(num(1_999_999_000_000)), false},
		{"another attribute does not count", attr.Item{"pk": attr.Str("k"), "other": num(1)}, false},
		{"no item is not expired", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Expired(tc.it, "exp", now); got != tc.want {
				t.Fatalf("Expired = %v", got)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	cases := []struct {
		ttl  *catalog.TTL
		want string
	}{
		{nil, StatusDisabled},
		{&catalog.TTL{AttributeName: "a", Enabled: true, Transition: true}, StatusEnabling},
		{&catalog.TTL{AttributeName: "a", Enabled: true}, StatusEnabled},
		{&catalog.TTL{AttributeName: "a", Transition: true}, StatusDisabling},
		{&catalog.TTL{AttributeName: "a"}, StatusDisabled},
	}
	for _, tc := range cases {
		t.Run("status "+tc.want, func(t *testing.T) {
			if got := Status(tc.ttl); got != tc.want {
				t.Fatalf("Status(%+v) = %s", tc.ttl, got)
			}
		})
	}
}

func TestTrack(t *testing.T) {
	eng, cat := itemstest.Open(t)
	ctx := context.Background()
	tb, err := cat.Create(ctx, &catalog.Table{Namespace: "n", Name: "t", Status: catalog.StatusActive,
		KeySchema:            []catalog.KeyElement{{AttributeName: "pk", KeyType: catalog.KeyTypeHash}},
		AttributeDefinitions: []catalog.AttributeDefinition{{AttributeName: "pk", AttributeType: "S"}},
		TTL:                  &catalog.TTL{AttributeName: "exp", Enabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	key := keyspace.Item(tb.ID, attr.Str("k"), attr.Value{}, false)
	it := func(exp string) attr.Item {
		if exp == "" {
			return attr.Item{"pk": attr.Str("k")}
		}
		return attr.Item{"pk": attr.Str("k"), "exp": attr.Num(exp)}
	}
	entries := func() []uint64 {
		lo, hi := keyspace.AllTTLEntries(tb.ID)
		iter := eng.Iter(lo, hi, false)
		defer iter.Close()
		var out []uint64
		for iter.Next() {
			e, _, _ := keyspace.ParseTTLEntry(iter.Key())
			out = append(out, e)
		}
		return out
	}
	steps := []struct {
		name     string
		old, new attr.Item
		want     []uint64
	}{
		{"an item with a TTL gets an entry", nil, it("100"), []uint64{100}},
		{"changing the TTL moves the entry", it("100"), it("200"), []uint64{200}},
		{"a change of the same second keeps it", it("200"), it("200.5"), []uint64{200}},
		{"removing the attribute removes the entry", it("200.5"), it(""), nil},
		{"adding it back adds one", it(""), it("300"), []uint64{300}},
		{"deleting the item removes it", it("300"), nil, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := eng.Update(ctx, nil, func(tx storage.Txn) error { return Track(tx, tb, key, st.old, st.new) }); err != nil {
				t.Fatal(err)
			}
			if got := entries(); len(got) != len(st.want) || (len(got) == 1 && got[0] != st.want[0]) {
				t.Fatalf("entries %v, want %v", got, st.want)
			}
		})
	}
	t.Run("a table without TTL gets no entries", func(t *testing.T) {
		off, err := cat.Update(ctx, "n", "t", func(c *catalog.Table) error { c.TTL = nil; return nil })
		if err != nil {
			t.Fatal(err)
		}
		// tb is an older version: Track reads the current one.
		if err := eng.Update(ctx, nil, func(tx storage.Txn) error { return Track(tx, tb, key, nil, it("400")) }); err != nil {
			t.Fatal(err)
		}
		if got := entries(); len(got) != 0 {
			t.Fatalf("entries %v with TTL off (table %v)", got, off.TTL)
		}
	})
}
