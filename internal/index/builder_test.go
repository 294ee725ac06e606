package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
)

// randomItem is an item of key (p<i%7>, i) whose index attributes g (S)
// and h (N) are present, absent or (rarely) of the wrong type.
func randomItem(r *rand.Rand, i int) attr.Item {
	it := attr.Item{"pk": s(fmt.Sprintf("p%d", i%7)), "sk": n(fmt.Sprint(i)), "a": n(fmt.Sprint(r.IntN(100))), "b": s("b")}
	switch r.IntN(10) {
	case 0: // no g: not indexed
	case 1:
		it["g"] = n("1") // wrong type: refused by writes, skipped by the backfill
	default:
		it["g"] = s(fmt.Sprintf("g%d", r.IntN(5)))
	}
	if r.IntN(4) > 0 {
		it["h"] = n(fmt.Sprint(r.IntN(20)))
	}
	return it
}

// expected recomputes index ix of f's table from the table's items: entry
// key -> projected item, without using this package's projection code.
func expected(tb testing.TB, f *fixture, ix *catalog.Index) (map[string]attr.Item, int64) {
	tb.Helper()
	lo, hi := keyspace.Items(f.t.ID)
	it := f.eng.Iter(lo, hi, false)
	defer it.Close()
	out := make(map[string]attr.Item)
	var size int64
	for it.Next() {
		item, err := attr.DecodeItem(it.Value())
		if err != nil {
			tb.Fatal(err)
		}
		var pk, sk []attr.Value
		ok := true
		for _, k := range ix.HashKeys() {
			v, has := item[k.Name]
			ok = ok && has && v.Type == k.Type
			pk = append(pk, v)
		}
		for _, k := range ix.RangeKeys() {
			v, has := item[k.Name]
			ok = ok && has && v.Type == k.Type
			sk = append(sk, v)
		}
		if !ok {
			continue
		}
		proj := attr.Item{}
		for name, v := range item {
			keep := false
			switch ix.Projection.Type {
			case catalog.ProjectionAll:
				keep = true
			default:
				keep = name == "pk" || name == "sk" || ix.IsKey(name)
				for _, nk := range ix.Projection.NonKeyAttributes {
					keep = keep || nk == name
				}
			}
			if keep {
				proj[name] = v
			}
		}
		out[string(keyspace.IndexEntry(f.t.ID, ix.ID, pk, sk, item["pk"], item["sk"], true))] = proj
		size += int64(attr.ItemSize(proj))
	}
	return out, size
}

// checkIndex compares index ix with its recomputation, statistics
// included.
func checkIndex(tb testing.TB, f *fixture, ix *catalog.Index) int {
	tb.Helper()
	want, wantSize := expected(tb, f, ix)
	lo, hi := keyspace.IndexEntries(f.t.ID, ix.ID)
	it := f.eng.Iter(lo, hi, false)
	defer it.Close()
	got := 0
	for it.Next() {
		got++
		item, err := DecodeEntry(it.Value())
		if err != nil {
			tb.Fatal(err)
		}
		w, ok := want[string(it.Key())]
		if !ok {
			tb.Fatalf("index %s has an entry no item explains: %v", ix.Name, item)
		}
		if !attr.ItemsEqual(w, item) {
			tb.Fatalf("index %s entry %v, want %v", ix.Name, item, w)
		}
	}
	if got != len(want) {
		tb.Fatalf("index %s has %d entries, want %d", ix.Name, got, len(want))
	}
	if c, z := f.stats(tb, ix.ID); c != int64(got) || z != wantSize {
		tb.Fatalf("index %s ItemCount %d IndexSizeBytes %d, want %d and %d", ix.Name, c, z, got, wantSize)
	}
	return got
}

var projections = []catalog.Projection{
	{Type: catalog.ProjectionKeysOnly},
	{Type: catalog.ProjectionInclude, NonKeyAttributes: []string{"a"}},
	{Type: catalog.ProjectionAll},
}

// TestBackfillWhileWritesContinue adds a GSI to a loaded table, as
// UpdateTable does, and backfills it while writers keep putting and
// deleting items through a table version that predates the index; the
// index must then equal its recomputation from the table.
func TestBackfillWhileWritesContinue(t *testing.T) {
	for _, p := range projections {
		t.Run(p.Type, func(t *testing.T) {
			f := newFixture(t, []catalog.AttributeDefinition{def("g", "S"), def("h", "N")})
			r := rand.New(rand.NewPCG(1, 2))
			const items = 600
			for i := 0; i < items; i++ {
				it := randomItem(r, i)
				if it["g"].Type == attr.N {
					delete(it, "g") // loaded before the index: any type is fine, but keep most
					it["g"] = n("1")
				}
				if err := f.put(t, attr.Item{"pk": it["pk"], "sk": it["sk"]}, it); err != nil {
					t.Fatal(err)
				}
			}
			stale := f.t // writers keep using the version without the index
			ix := gsi("new", p, "g", "+h")
			nt, err := f.cat.Update(context.Background(), "ns", "t", func(nt *catalog.Table) error {
				nt.IndexSeq++
				ix.ID, ix.Status, ix.Online = nt.IndexSeq, catalog.StatusCreating, true
				nt.Indexes = append(nt.Indexes, ix)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			b := NewBuilder(f.cat, f.eng)
			var stop atomic.Bool
			var wg sync.WaitGroup
			for w := 0; w < 3; w++ {
				wg.Add(1)
				go func(seed uint64) {
					defer wg.Done()
					r := rand.New(rand.NewPCG(seed, 7))
					ff := *f
					ff.t = stale
					for !stop.Load() {
						i := r.IntN(items + 100)
						it := randomItem(r, i)
						key := attr.Item{"pk": it["pk"], "sk": it["sk"]}
						if r.IntN(5) == 0 {
							it = nil
						}
						_ = ff.put(t, key, it) // wrong-typed g is refused: fine
					}
				}(uint64(w))
			}
			b.Start(nt, 0)
			if err := b.Wait(); err != nil {
				t.Fatal(err)
			}
			stop.Store(true)
			wg.Wait()
			cur := f.t.Current()
			got := cur.Index("new")
			if got.Status != catalog.StatusActive || got.Backfilling {
				t.Fatalf("index after backfill: %+v", got)
			}
			f.t = cur
			if c := checkIndex(t, f, got); c == 0 {
				t.Fatal("empty index")
			}
		})
	}
}

// TestRandomWorkloadKeepsIndexesExact runs puts, updates and deletes on a
// table with one GSI per projection type and an LSI, then compares every
// index with its recomputation.
func TestRandomWorkloadKeepsIndexesExact(t *testing.T) {
	lsi := catalog.Index{Name: "l", Projection: catalog.Projection{Type: catalog.ProjectionInclude, NonKeyAttributes: []string{"b"}},
		KeySchema: []catalog.KeyElement{{AttributeName: "pk", KeyType: catalog.KeyTypeHash}, {AttributeName: "h", KeyType: catalog.KeyTypeRange}}}
	f := newFixture(t, []catalog.AttributeDefinition{def("g", "S"), def("h", "N")},
		gsi("k", projections[0], "g", "+h"), gsi("i", projections[1], "g"), gsi("a", projections[2], "h", "+g"), lsi)
	r := rand.New(rand.NewPCG(3, 4))
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 9))
			for j := 0; j < 800; j++ {
				i := r.IntN(300)
				it := randomItem(r, i)
				key := attr.Item{"pk": it["pk"], "sk": it["sk"]}
				if r.IntN(4) == 0 {
					it = nil
				}
				_ = f.put(t, key, it)
			}
		}(r.Uint64())
	}
	wg.Wait()
	for i := range f.t.Indexes {
		checkIndex(t, f, &f.t.Indexes[i])
	}
	// The collection sizes add up to the items plus their LSI entries.
	var total int64
	lo, hi := keyspace.Items(f.t.ID)
	it := f.eng.Iter(lo, hi, false)
	for it.Next() {
		item, _ := attr.DecodeItem(it.Value())
		total += int64(attr.ItemSize(item))
	}
	it.Close()
	_, lsiSize := f.stats(t, 4)
	total += lsiSize
	var coll int64
	for p := 0; p < 7; p++ {
		c, err := CollectionSize(f.eng, f.t, s(fmt.Sprintf("p%d", p)))
		if err != nil {
			t.Fatal(err)
		}
		coll += c
	}
	if coll != total {
		t.Fatalf("collections hold %d bytes, want %d", coll, total)
	}
}

func TestDropRemovesEntriesAndDefinitions(t *testing.T) {
	f := newFixture(t, []catalog.AttributeDefinition{def("g", "S"), def("h", "N")},
		gsi("keep", projections[0], "h"), gsi("drop", projections[2], "g"))
	for i := 0; i < 50; i++ {
		it := attr.Item{"pk": s("p"), "sk": n(fmt.Sprint(i)), "g": s("x"), "h": n("1")}
		if err := f.put(t, attr.Item{"pk": it["pk"], "sk": it["sk"]}, it); err != nil {
			t.Fatal(err)
		}
	}
	nt, err := f.cat.Update(context.Background(), "ns", "t", func(nt *catalog.Table) error {
		nt.Index("drop").Status = catalog.StatusDeleting
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(f.cat, f.eng)
	b.Start(nt, 0)
	if err := b.Wait(); err != nil {
		t.Fatal(err)
	}
	cur := f.t.Current()
	if cur.Index("drop") != nil || len(cur.Indexes) != 1 {
		t.Fatalf("indexes %+v", cur.Indexes)
	}
	if cur.AttributeType("g") != "" || cur.AttributeType("h") != "N" {
		t.Fatalf("definitions %+v", cur.AttributeDefinitions)
	}
	if e := f.entries(t, 2); len(e) != 0 {
		t.Fatalf("%d entries left", len(e))
	}
	if e := f.entries(t, 1); len(e) != 50 {
		t.Fatalf("kept index has %d entries", len(e))
	}
}

func TestResumeFinishesWorkLeftByARestart(t *testing.T) {
	f := newFixture(t, []catalog.AttributeDefinition{def("g", "S")})
	for i := 0; i < 10; i++ {
		it := attr.Item{"pk": s("p"), "sk": n(fmt.Sprint(i)), "g": s("x")}
		if err := f.put(t, attr.Item{"pk": it["pk"], "sk": it["sk"]}, it); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.cat.Update(context.Background(), "ns", "t", func(nt *catalog.Table) error {
		ix := gsi("g", projections[0], "g")
		nt.IndexSeq++
		ix.ID, ix.Status, ix.Online, ix.Backfilling = nt.IndexSeq, catalog.StatusCreating, true, true
		nt.Indexes = append(nt.Indexes, ix)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// A new catalog over the same engine sees the unfinished index.
	cat, err := catalog.Open(f.eng)
	if err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(cat, f.eng)
	b.Resume()
	if err := b.Wait(); err != nil {
		t.Fatal(err)
	}
	tb, err := cat.Get("ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	if ix := tb.Index("g"); ix.Status != catalog.StatusActive {
		t.Fatalf("status %s", ix.Status)
	}
	f.t = tb
	if c := checkIndex(t, f, tb.Index("g")); c != 10 {
		t.Fatalf("%d entries", c)
	}
	b.Close()
}
