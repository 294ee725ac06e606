package index

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
	"github.com/petreldb/petrel/internal/storage/pebblestore"
)

// fixture is an engine and a catalog with one table "t" (pk S, sk N)
// carrying the given indexes.
type fixture struct {
	eng storage.Engine
	cat *catalog.Catalog
	t   *catalog.Table
}

func newFixture(tb testing.TB, defs []catalog.AttributeDefinition, ixs ...catalog.Index) *fixture {
	tb.Helper()
	eng, err := pebblestore.Open("", pebblestore.Options{InMemory: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { eng.Close() })
	cat, err := catalog.Open(eng)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range ixs {
		ixs[i].ID = uint32(i + 1)
		if ixs[i].Status == "" {
			ixs[i].Status = catalog.StatusActive
		}
	}
	t := &catalog.Table{
		Namespace: "ns", Name: "t", Status: catalog.StatusActive, BillingMode: catalog.BillingPayPerRequest,
		KeySchema: []catalog.KeyElement{{AttributeName: "pk", KeyType: catalog.KeyTypeHash}, {AttributeName: "sk", KeyType: catalog.KeyTypeRange}},
		AttributeDefinitions: append([]catalog.AttributeDefinition{
			{AttributeName: "pk", AttributeType: "S"}, {AttributeName: "sk", AttributeType: "N"}}, defs...),
		Indexes: ixs, IndexSeq: uint32(len(ixs)),
	}
	if t, err = cat.Create(context.Background(), t); err != nil {
		tb.Fatal(err)
	}
	return &fixture{eng: eng, cat: cat, t: t}
}

// put writes item (nil: deletes key) the way items' write path does:
// counted as in flight on the table's version (catalog.Table.BeginWrite),
// the item, the table counters, then Write, in one Update.
func (f *fixture) put(tb testing.TB, key attr.Item, item attr.Item) error {
	tb.Helper()
	v := f.t.BeginWrite()
	defer v.EndWrite()
	k := keyspace.Item(f.t.ID, key["pk"], key["sk"], true)
	return f.eng.Update(context.Background(), [][]byte{k}, func(tx storage.Txn) error {
		raw, ok, err := tx.Get(k)
		if err != nil {
			return err
		}
		var old attr.Item
		if ok {
			if old, err = attr.DecodeItem(raw); err != nil {
				return err
			}
		}
		if item == nil {
			tx.Delete(k)
		} else {
			tx.Set(k, attr.AppendItem(nil, item))
		}
		return Write(tx, f.t, old, item)
	})
}

// entries returns the projected items of index iid in key order.
func (f *fixture) entries(tb testing.TB, iid uint32) []attr.Item {
	tb.Helper()
	lo, hi := keyspace.IndexEntries(f.t.ID, iid)
	it := f.eng.Iter(lo, hi, false)
	defer it.Close()
	var out []attr.Item
	for it.Next() {
		item, err := DecodeEntry(it.Value())
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, item)
	}
	return out
}

// stats returns index iid's ItemCount and IndexSizeBytes.
func (f *fixture) stats(tb testing.TB, iid uint32) (count, size int64) {
	tb.Helper()
	t := f.t.Current()
	for i := range t.Indexes {
		if t.Indexes[i].ID == iid {
			c, z, err := Sum(f.eng, t, &t.Indexes[i])
			if err != nil {
				tb.Fatal(err)
			}
			return c, z
		}
	}
	tb.Fatalf("no index %d", iid)
	return 0, 0
}

func s(v string) attr.Value { return attr.Str(v) }
func n(v string) attr.Value { return attr.Num(v) }

func gsi(name string, proj catalog.Projection, keys ...string) catalog.Index {
	ix := catalog.Index{Name: name, Global: true, Projection: proj}
	for i, k := range keys {
		kt := catalog.KeyTypeHash
		if strings.HasPrefix(k, "+") {
			k, kt = k[1:], catalog.KeyTypeRange
		}
		_ = i
		ix.KeySchema = append(ix.KeySchema, catalog.KeyElement{AttributeName: k, KeyType: kt})
	}
	return ix
}

func def(name, typ string) catalog.AttributeDefinition {
	return catalog.AttributeDefinition{AttributeName: name, AttributeType: typ}
}

func names(it attr.Item) string {
	var out []string
	for k := range it {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestWriteMaintainsEntriesAndCounters(t *testing.T) {
	f := newFixture(t, []catalog.AttributeDefinition{def("g", "S"), def("h", "N")},
		gsi("all", catalog.Projection{Type: catalog.ProjectionAll}, "g", "+h"),
		gsi("keys", catalog.Projection{Type: catalog.ProjectionKeysOnly}, "g"),
		gsi("inc", catalog.Projection{Type: catalog.ProjectionInclude, NonKeyAttributes: []string{"a", "zz"}}, "h"),
	)
	key := attr.Item{"pk": s("p"), "sk": n("1")}
	item := attr.Item{"pk": s("p"), "sk": n("1"), "g": s("G"), "h": n("7"), "a": s("x"), "b": s("y")}
	if err := f.put(t, key, item); err != nil {
		t.Fatal(err)
	}
	t.Run("each projection holds exactly its attributes", func(t *testing.T) {
		for _, c := range []struct {
			iid  uint32
			want string
		}{{1, "a,b,g,h,pk,sk"}, {2, "g,pk,sk"}, {3, "a,h,pk,sk"}} {
			e := f.entries(t, c.iid)
			if len(e) != 1 || names(e[0]) != c.want {
				t.Fatalf("index %d: %v, want one entry with %s", c.iid, e, c.want)
			}
		}
	})
	t.Run("the statistics count entries and their projected size", func(t *testing.T) {
		c, z := f.stats(t, 2)
		want := int64(attr.ItemSize(attr.Item{"pk": s("p"), "sk": n("1"), "g": s("G")}))
		if c != 1 || z != want {
			t.Fatalf("count %d size %d, want 1 and %d", c, z, want)
		}
	})
	t.Run("an item losing an index key leaves that index (sparse)", func(t *testing.T) {
		item2 := attr.Item{"pk": s("p"), "sk": n("1"), "h": n("8"), "a": s("x")}
		if err := f.put(t, key, item2); err != nil {
			t.Fatal(err)
		}
		if e := f.entries(t, 1); len(e) != 0 {
			t.Fatalf("all: %v", e)
		}
		if e := f.entries(t, 2); len(e) != 0 {
			t.Fatalf("keys: %v", e)
		}
		if e := f.entries(t, 3); len(e) != 1 || !attr.Equal(e[0]["h"], n("8")) {
			t.Fatalf("inc: %v", e)
		}
		if c, z := f.stats(t, 1); c != 0 || z != 0 {
			t.Fatalf("count %d size %d", c, z)
		}
	})
	t.Run("deleting the item removes every entry", func(t *testing.T) {
		if err := f.put(t, key, nil); err != nil {
			t.Fatal(err)
		}
		for iid := uint32(1); iid <= 3; iid++ {
			if e := f.entries(t, iid); len(e) != 0 {
				t.Fatalf("index %d: %v", iid, e)
			}
			if c, z := f.stats(t, iid); c != 0 || z != 0 {
				t.Fatalf("index %d: count %d size %d", iid, c, z)
			}
		}
	})
}

func TestWriteRefusesUnusableIndexKeys(t *testing.T) {
	f := newFixture(t, []catalog.AttributeDefinition{def("g", "S"), def("h", "B")},
		gsi("gsi1", catalog.Projection{Type: catalog.ProjectionKeysOnly}, "g", "+h"))
	key := attr.Item{"pk": s("p"), "sk": n("1")}
	tests := []struct {
		name string
		item attr.Item
		msg  string
	}{
		{"a number where the index key is a string", attr.Item{"g": n("5")},
			"One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: gsi1"},
		{"an empty string index key", attr.Item{"g": s("")},
			"One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: g"},
		{"an empty binary index key", attr.Item{"g": s("x"), "h": attr.Bin([]byte{})},
			"One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: gsi1, IndexKey: h"},
		{"a partition key value over 2048 bytes", attr.Item{"g": s(strings.Repeat("x", 2049))},
			"One or more parameter values were invalid: Size limit exceeded"},
		{"a sort key value over 1024 bytes", attr.Item{"g": s("x"), "h": attr.Bin(make([]byte, 1025))},
			"One or more parameter values were invalid: Size limit exceeded"},
		{"a bad type even when another key attribute is missing", attr.Item{"h": s("x")},
			"One or more parameter values were invalid: Type mismatch for Index Key h Expected: B Actual: S IndexName: gsi1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			item := attr.Item{"pk": s("p"), "sk": n("1")}
			for k, v := range tt.item {
				item[k] = v
			}
			for _, err := range []error{f.put(t, key, item), CheckItem(f.t, item)} {
				e, ok := apierr.As(err)
				if !ok || e.Code != "ValidationException" || e.Message != tt.msg {
					t.Fatalf("err = %v, want %s", err, tt.msg)
				}
			}
			if raw, ok, _ := f.eng.Get(keyspace.Item(f.t.ID, s("p"), n("1"), true)); ok {
				t.Fatalf("item written: %x", raw)
			}
		})
	}
	t.Run("UpdateItem's wording for an empty string", func(t *testing.T) {
		err := CheckUpdated(f.t, attr.Item{"pk": s("p"), "sk": n("1"), "g": s("")})
		want := "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value."
		if e, ok := apierr.As(err); !ok || e.Message != want {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("an item without the index keys is simply not indexed", func(t *testing.T) {
		if err := f.put(t, key, attr.Item{"pk": s("p"), "sk": n("1"), "other": n("1")}); err != nil {
			t.Fatal(err)
		}
		if e := f.entries(t, 1); len(e) != 0 {
			t.Fatalf("entries %v", e)
		}
	})
}

func TestMultiAttributeKeysOrderAsTuples(t *testing.T) {
	f := newFixture(t, []catalog.AttributeDefinition{def("a", "S"), def("b", "N"), def("c", "S"), def("d", "N")},
		gsi("m", catalog.Projection{Type: catalog.ProjectionKeysOnly}, "a", "b", "+c", "+d"))
	rows := []struct {
		sk   string
		c, d string
	}{{"1", "x", "10"}, {"2", "x", "9"}, {"3", "w", "100"}, {"4", "xa", "1"}, {"5", "x", "-1"}}
	for _, r := range rows {
		it := attr.Item{"pk": s("p"), "sk": n(r.sk), "a": s("A"), "b": n("1"), "c": s(r.c), "d": n(r.d)}
		if err := f.put(t, attr.Item{"pk": s("p"), "sk": n(r.sk)}, it); err != nil {
			t.Fatal(err)
		}
	}
	// A missing attribute of the four keeps the item out of the index.
	if err := f.put(t, attr.Item{"pk": s("p"), "sk": n("6")}, attr.Item{"pk": s("p"), "sk": n("6"), "a": s("A"), "b": n("1"), "c": s("x")}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range f.entries(t, 1) {
		got = append(got, e["c"].Str+"/"+e["d"].Str)
	}
	want := "w/100 x/-1 x/9 x/10 xa/1"
	if strings.Join(got, " ") != want {
		t.Fatalf("order %v, want %s", got, want)
	}
}

func TestItemCollectionLimit(t *testing.T) {
	lsi := catalog.Index{Name: "l", Projection: catalog.Projection{Type: catalog.ProjectionAll},
		KeySchema: []catalog.KeyElement{{AttributeName: "pk", KeyType: catalog.KeyTypeHash}, {AttributeName: "l", KeyType: catalog.KeyTypeRange}}}
	f := newFixture(t, []catalog.AttributeDefinition{def("l", "S")}, lsi)
	item := attr.Item{"pk": s("p"), "sk": n("1"), "l": s("x"), "v": s(strings.Repeat("v", 100))}
	size := int64(2 * attr.ItemSize(item)) // the item and its ALL entry
	write := func(it attr.Item, limit int64) error {
		k := keyspace.Item(f.t.ID, s("p"), it["sk"], true)
		return f.eng.Update(context.Background(), [][]byte{k}, func(tx storage.Txn) error {
			tx.Set(k, attr.AppendItem(nil, it))
			return write(tx, f.t, nil, it, limit)
		})
	}
	if err := write(item, size); err != nil {
		t.Fatalf("first item within the limit: %v", err)
	}
	if got, _ := CollectionSize(f.eng, f.t, s("p")); got != size {
		t.Fatalf("collection size %d, want %d", got, size)
	}
	item2 := attr.Item{"pk": s("p"), "sk": n("2"), "l": s("y")}
	err := write(item2, size)
	if e, ok := apierr.As(err); !ok || e.Code != "ItemCollectionSizeLimitExceededException" || e.Message != "Collection size exceeded." {
		t.Fatalf("err = %v", err)
	}
	if got, _ := CollectionSize(f.eng, f.t, s("p")); got != size {
		t.Fatalf("refused write changed the collection size to %d", got)
	}
	t.Run("the LSI entries count towards 400 KB", func(t *testing.T) {
		big := attr.Item{"pk": s("p"), "sk": n("3"), "l": s("z"), "v": s(strings.Repeat("v", 250*1024))}
		if err := CheckItem(f.t, big); err == nil || err.Error() != "ValidationException: Item size has exceeded the maximum allowed size" {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestChangesReportsOnlyIndexesThatChange(t *testing.T) {
	f := newFixture(t, []catalog.AttributeDefinition{def("g", "S")},
		gsi("keys", catalog.Projection{Type: catalog.ProjectionKeysOnly}, "g"),
		gsi("all", catalog.Projection{Type: catalog.ProjectionAll}, "g"))
	old := attr.Item{"pk": s("p"), "sk": n("1"), "g": s("a"), "x": n("1")}
	nw := attr.Item{"pk": s("p"), "sk": n("1"), "g": s("a"), "x": n("2")}
	ch := Changes(f.t, old, nw)
	if len(ch) != 1 || ch[0].Index.Name != "all" || ch[0].Moved {
		t.Fatalf("non-key change: %+v", ch)
	}
	moved := attr.Item{"pk": s("p"), "sk": n("1"), "g": s("b"), "x": n("1")}
	ch = Changes(f.t, old, moved)
	if len(ch) != 2 || !ch[0].Moved || !ch[1].Moved {
		t.Fatalf("key change: %+v", ch)
	}
	if ch := Changes(f.t, nil, attr.Item{"pk": s("p"), "sk": n("1")}); len(ch) != 0 {
		t.Fatalf("unindexed item: %+v", ch)
	}
}
