package streams

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
	"github.com/petreldb/petrel/internal/storage/pebblestore"
)

type fixture struct {
	ctx   context.Context
	eng   storage.Engine
	cat   *catalog.Catalog
	s     *Service
	tb    *catalog.Table
	clock time.Time
}

// newFixture returns a table "t" (pk S) with a NEW_IMAGE stream.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	eng, err := pebblestore.Open("", pebblestore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	cat, err := catalog.Open(eng)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{ctx: context.Background(), eng: eng, cat: cat, clock: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.s = New(cat, eng, func() time.Time { return f.clock })
	tb := &catalog.Table{Namespace: "n", Name: "t", Status: catalog.StatusActive,
		KeySchema:            []catalog.KeyElement{{AttributeName: "pk", KeyType: catalog.KeyTypeHash}},
		AttributeDefinitions: []catalog.AttributeDefinition{{AttributeName: "pk", AttributeType: "S"}}}
	Enable(tb, "NEW_IMAGE", f.clock)
	if f.tb, err = cat.Create(f.ctx, tb); err != nil {
		t.Fatal(err)
	}
	return f
}

// write appends the record of item pk going from old to new value v
// ("" for no item), as the write path does.
func (f *fixture) write(t *testing.T, pk, old, new string) {
	t.Helper()
	item := func(v string) attr.Item {
		if v == "" {
			return nil
		}
		return attr.Item{"pk": attr.Str(pk), "v": attr.Str(v)}
	}
	key := keyspace.Item(f.tb.ID, attr.Str(pk), attr.Value{}, false)
	err := f.eng.Update(f.ctx, [][]byte{key}, func(tx storage.Txn) error {
		return Append(tx, f.tb, Change{Keys: attr.Item{"pk": attr.Str(pk)}, Old: item(old), New: item(new)})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pendingAt adds a pending record of pk with hint ts directly, as a write
// that became visible late would leave it.
func (f *fixture) pendingAt(t *testing.T, pk, v string, ts uint64) {
	t.Helper()
	key := keyspace.Item(f.tb.ID, attr.Str(pk), attr.Value{}, false)
	id, _ := StreamID(f.tb.StreamLabel)
	r := record{event: eventModify, view: viewNew, stream: id, keys: attr.Item{"pk": attr.Str(pk)}, new: attr.Item{"pk": attr.Str(pk), "v": attr.Str(v)}}
	err := f.eng.Update(f.ctx, nil, func(tx storage.Txn) error {
		tx.Set(keyspace.StreamPending(f.tb.ID, ts, key), r.append(nil))
		raw, _, err := tx.Get(keyspace.StreamItemPending(f.tb.ID, key))
		if err != nil {
			return err
		}
		var hints []uint64
		for ; len(raw) >= 8; raw = raw[8:] {
			hints = append(hints, beUint64(raw))
		}
		hints = append(hints, ts)
		slices.Sort(hints)
		var v []byte
		for _, h := range hints {
			v = append(v, be64(h)...)
		}
		tx.Set(keyspace.StreamItemPending(f.tb.ID, key), v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// log returns the stream's records as "pk=v" in sequence order, after
// sequencing.
func (f *fixture) log(t *testing.T) string {
	t.Helper()
	if err := f.s.sequence(f.ctx, f.tb.ID); err != nil {
		t.Fatal(err)
	}
	id, _ := StreamID(f.tb.StreamLabel)
	lo, hi := keyspace.StreamRecords(f.tb.ID, id, 0, 0)
	it := f.eng.Iter(lo, hi, false)
	defer it.Close()
	var out []string
	for it.Next() {
		r, err := decodeRecord(it.Value())
		if err != nil {
			t.Fatal(err)
		}
		s := r.keys["pk"].Str + "="
		if r.new != nil {
			s += r.new["v"].Str
		}
		out = append(out, s)
	}
	return strings.Join(out, ",")
}

func TestSequencing(t *testing.T) {
	t.Run("writes that do not overlap keep their order across items", func(t *testing.T) {
		f := newFixture(t)
		f.write(t, "a", "", "1")
		f.write(t, "b", "", "1")
		f.write(t, "a", "1", "2")
		f.write(t, "a", "2", "2") // no change: no record
		f.write(t, "c", "", "")   // deleting nothing: no record
		f.write(t, "b", "1", "")
		if got := f.log(t); got != "a=1,b=1,a=2,b=" {
			t.Fatalf("log %s", got)
		}
	})
	t.Run("an item's older record that shows up late comes before its newer ones", func(t *testing.T) {
		f := newFixture(t)
		f.pendingAt(t, "x", "new", 300)
		f.pendingAt(t, "y", "mid", 200)
		f.pendingAt(t, "x", "old", 100)
		if got := f.log(t); got != "x=old,y=mid,x=new" {
			t.Fatalf("log %s", got)
		}
		// A record with an older hint than all sequenced ones is sequenced
		// after them: readers past them must still see it.
		f.pendingAt(t, "z", "late", 50)
		if got := f.log(t); got != "x=old,y=mid,x=new,z=late" {
			t.Fatalf("log %s", got)
		}
	})
	t.Run("meeting an item's newer record sequences its older ones first", func(t *testing.T) {
		// What the scan meets when the older record became visible after
		// the scan passed its hint: the newer record, in a later batch.
		f := newFixture(t)
		f.pendingAt(t, "x", "old", 100)
		f.pendingAt(t, "x", "new", 300)
		f.pendingAt(t, "x", "newest", 400)
		key := keyspace.Item(f.tb.ID, attr.Str("x"), attr.Value{}, false)
		err := f.eng.Update(f.ctx, [][]byte{key}, func(tx storage.Txn) error {
			b := batch{tid: f.tb.ID, next: 1, hints: make(map[string][]uint64), started: make(map[uint64]bool)}
			if err := b.sequenceItem(tx, key, 300); err != nil {
				return err
			}
			tx.Set(keyspace.StreamNext(f.tb.ID), be64(b.next))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.log(t); got != "x=old,x=new,x=newest" {
			t.Fatalf("log %s", got)
		}
	})
	t.Run("a write's hint stays above its item's pending one", func(t *testing.T) {
		f := newFixture(t)
		f.pendingAt(t, "a", "1", 1<<62) // far in the future
		f.write(t, "a", "1", "2")
		if got := f.log(t); got != "a=1,a=2" {
			t.Fatalf("log %s", got)
		}
	})
	t.Run("many records go in several commits and count up", func(t *testing.T) {
		f := newFixture(t)
		for i := range 3*sequenceBatch + 7 {
			f.write(t, "k", strconv.Itoa(i), strconv.Itoa(i+1))
		}
		if got := strings.Count(f.log(t), ","); got != 3*sequenceBatch+6 {
			t.Fatalf("%d records", got+1)
		}
		next, err := NextSequence(f.eng, f.tb.ID)
		if err != nil || next != 3*sequenceBatch+8 {
			t.Fatalf("next %d %v", next, err)
		}
		lo, hi := keyspace.StreamPendingRange(f.tb.ID)
		it := f.eng.Iter(lo, hi, false)
		defer it.Close()
		if it.Next() {
			t.Fatal("pending records left")
		}
	})
	t.Run("a table without a stream gets no records", func(t *testing.T) {
		f := newFixture(t)
		var err error
		if _, err = f.cat.Update(f.ctx, "n", "t", func(c *catalog.Table) error { Disable(c, f.clock); return nil }); err != nil {
			t.Fatal(err)
		}
		f.write(t, "a", "", "1") // f.tb is the older version: Append reads the current one
		if got := f.log(t); got != "" {
			t.Fatalf("log %s", got)
		}
	})
}

func TestTrim(t *testing.T) {
	f := newFixture(t)
	f.write(t, "a", "", "1")
	f.log(t)
	f.clock = f.clock.Add(time.Hour)
	f.write(t, "b", "", "1")
	f.log(t)
	f.clock = f.clock.Add(Retention)
	if err := f.s.Maintain(f.ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.log(t); got != "b=1" {
		t.Fatalf("after trimming %s", got)
	}
	id, _ := StreamID(f.tb.StreamLabel)
	if p, err := f.s.trimPoint(f.tb.ID, id); err != nil || p != 1 {
		t.Fatalf("trim point %d %v", p, err)
	}
}

func TestHistory(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tb := &catalog.Table{}
	Enable(tb, "KEYS_ONLY", at)
	Disable(tb, at)
	Enable(tb, "NEW_IMAGE", at) // same millisecond: the label moves on
	h := History(tb)
	if len(h) != 2 || h[0].Label != "2026-01-01T00:00:00.000" || h[1].Label != "2026-01-01T00:00:00.001" ||
		h[0].Disabled.IsZero() || !h[1].Disabled.IsZero() || tb.StreamLabel != h[1].Label || tb.Stream.ViewType != "NEW_IMAGE" {
		t.Fatalf("history %+v, table %q %+v", h, tb.StreamLabel, tb.Stream)
	}
	Disable(tb, at.Add(time.Hour))
	Enable(tb, "OLD_IMAGE", at.Add(Retention+30*time.Minute)) // the first stream is forgotten now
	if h := History(tb); len(h) != 2 || h[0].ViewType != "NEW_IMAGE" || h[1].ViewType != "OLD_IMAGE" {
		t.Fatalf("history %+v", h)
	}
	t.Run("a stream enabled by CreateTable is in the history", func(t *testing.T) {
		tb := &catalog.Table{Stream: &catalog.Stream{ViewType: "NEW_IMAGE"}, StreamLabel: "2026-01-01T00:00:00.000"}
		if h := History(tb); len(h) != 1 || h[0].ViewType != "NEW_IMAGE" || h[0].Label != tb.StreamLabel {
			t.Fatalf("history %+v", h)
		}
	})
}
