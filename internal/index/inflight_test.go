package index

import (
	"context"
	"fmt"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// TestBackfillWaitsForWritesOfOlderVersions forces the interleaving that a
// two-pass backfill could miss: a write reads the table version without
// the new index, the index is added and backfilled, and only then does the
// write commit a new item. The backfill must wait for that write (it began
// on an older version) and index its item.
func TestBackfillWaitsForWritesOfOlderVersions(t *testing.T) {
	for _, op := range []string{"insert", "update", "delete"} {
		t.Run("the index reflects an item write ("+op+") in flight when it was added", func(t *testing.T) {
			f := newFixture(t, []catalog.AttributeDefinition{def("g", "S")})
			for i := 0; i < 300; i++ { // more than two backfill batches
				it := attr.Item{"pk": s(fmt.Sprintf("p%d", i%7)), "sk": n(fmt.Sprint(i)), "g": s("x")}
				if err := f.put(t, attr.Item{"pk": it["pk"], "sk": it["sk"]}, it); err != nil {
					t.Fatal(err)
				}
			}
			key := attr.Item{"pk": s("late"), "sk": n("1")}
			item := attr.Item{"pk": key["pk"], "sk": key["sk"], "g": s("late")}
			switch op {
			case "update", "delete":
				old := attr.Item{"pk": key["pk"], "sk": key["sk"], "g": s("before")}
				if err := f.put(t, key, old); err != nil {
					t.Fatal(err)
				}
				if op == "delete" {
					item = nil
				}
			}

			// The write begins and reads the table's version (as write
			// does under the item's lock): no index yet.
			begun := f.t.BeginWrite()
			stale := f.t.Current()
			release, committed := make(chan struct{}), make(chan error, 1)
			go func() {
				defer begun.EndWrite()
				<-release
				k := keyspace.Item(f.t.ID, key["pk"], key["sk"], true)
				committed <- f.eng.Update(context.Background(), [][]byte{k}, func(tx storage.Txn) error {
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
					return write(tx, stale, old, item, MaxCollectionSize)
				})
			}()

			nt, err := f.cat.Update(context.Background(), "ns", "t", func(nt *catalog.Table) error {
				ix := gsi("new", projections[2], "g")
				nt.IndexSeq++
				ix.ID, ix.Status, ix.Online = nt.IndexSeq, catalog.StatusCreating, true
				nt.Indexes = append(nt.Indexes, ix)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			b := NewBuilder(f.cat, f.eng)
			draining := make(chan int64, 1)
			b.onDrain = func(n int64) { draining <- n }
			done := make(chan error, 1)
			b.Start(nt, 0)
			go func() { done <- b.Wait() }()
			// Let the write commit once the backfill waits for it — or,
			// were it not to wait, once it has finished.
			select {
			case n := <-draining:
				if n != 1 {
					t.Errorf("the backfill waits for %d writes, want 1", n)
				}
			case err := <-done:
				t.Errorf("the backfill finished (%v) before the write in flight committed", err)
			}
			close(release)
			if err := <-committed; err != nil {
				t.Fatal(err)
			}
			if err := b.Wait(); err != nil {
				t.Fatal(err)
			}
			cur := f.t.Current()
			ix := cur.Index("new")
			if ix.Status != catalog.StatusActive {
				t.Fatalf("index %+v", ix)
			}
			f.t = cur
			want := 301
			if item == nil {
				want = 300
			}
			if got := checkIndex(t, f, ix); got != want {
				t.Fatalf("%d entries, want %d", got, want)
			}
		})
	}
}

// TestWaitWrites checks the in-flight accounting WaitWrites relies on.
func TestWaitWrites(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	v0 := f.t.BeginWrite()
	if err := f.t.WaitWrites(ctx); err != nil { // nothing older than v0
		t.Fatal(err)
	}
	if _, err := f.cat.Update(ctx, "ns", "t", func(*catalog.Table) error { return nil }); err != nil {
		t.Fatal(err)
	}
	v1 := f.t.BeginWrite()
	if v1 == v0 || v1 != f.t.Current() {
		t.Fatal("BeginWrite did not count on the current version")
	}
	if got := f.t.OlderWrites(); got != 1 {
		t.Fatalf("OlderWrites = %d, want 1", got)
	}
	waited := make(chan error, 1)
	go func() { waited <- f.t.WaitWrites(ctx) }()
	v0.EndWrite()
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if got := f.t.OlderWrites(); got != 0 {
		t.Fatalf("OlderWrites = %d after the write ended", got)
	}
	// A write on the current version is not waited for, and a cancelled
	// wait returns.
	if _, err := f.cat.Update(ctx, "ns", "t", func(*catalog.Table) error { return nil }); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := f.t.WaitWrites(cctx); err != context.Canceled {
		t.Fatalf("WaitWrites with v1 in flight and a cancelled ctx: %v", err)
	}
	v1.EndWrite()
	if err := f.t.WaitWrites(ctx); err != nil {
		t.Fatal(err)
	}
}
