// Package index maintains secondary indexes: the entries an item change
// adds and removes, as a pure function of the old and new item, written in
// the same storage commit as the item so that an index never shows a state
// the table never had; and the background work of online index changes
// (backfilling a global secondary index added by UpdateTable, dropping the
// entries of a deleted one: builder.go).
//
// An index entry lives at keyspace.IndexEntry (index key, then table key)
// and holds the projected item, so reads through an index need no second
// lookup. Per-index counters (keyspace.IndexItemCount, IndexSize) feed
// DescribeTable; tables with local secondary indexes also track the size of
// each item collection (keyspace.ItemCollection) for the 10 GB limit.
//
// It must not decide whether a write happens: items calls it once the write
// is decided, and it can only refuse a new item whose index key values
// DynamoDB would reject (wrong type, empty, too large) or that would
// overflow an item collection.
package index

import (
	"net/http"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// MaxCollectionSize is the most an item collection of a table with local
// secondary indexes may hold: 10 GB (limits.md §1).
const MaxCollectionSize = 10 << 30

// Write adds to tx the index-entry changes of one item going from old to
// new (either may be nil) in table t, with the per-index counters and, for
// tables with local secondary indexes, the item-collection size.
//
// It uses the indexes of the table's current catalog version
// (catalog.Table.Current), read while the caller holds the item's lock: an
// index added while the write was being prepared is then maintained by the
// write, which is what lets a backfill run while writes continue
// (builder.go). A table without indexes costs one atomic load.
//
// The error is an *apierr.Error when the new item cannot be stored: an
// index key attribute of the wrong type, empty or too large (PutItem's
// messages; UpdateItem checks first with its own, CheckUpdated), or an item
// collection over 10 GB.
func Write(tx storage.Txn, t *catalog.Table, old, new attr.Item) error {
	cur := t.Current()
	if len(cur.Indexes) == 0 {
		return nil
	}
	return write(tx, cur, old, new, MaxCollectionSize)
}

// write is Write with the collection limit as a parameter (tests).
func write(tx storage.Txn, t *catalog.Table, old, new attr.Item, limit int64) error {
	collDelta := 0
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !ix.Maintained() {
			continue
		}
		var oe, ne entry
		if old != nil {
			oe, _ = entryOf(t, ix, old, false)
		}
		if new != nil {
			var err error
			if ne, err = entryOf(t, ix, new, true); err != nil {
				return err
			}
		}
		if oe.key == nil && ne.key == nil {
			continue
		}
		if oe.key != nil && ne.key != nil && string(oe.key) == string(ne.key) && attr.ItemsEqual(oe.proj, ne.proj) {
			continue // the entry does not change
		}
		if ix.Status == catalog.StatusCreating && oe.key != nil {
			// The backfill may not have reached this item yet: only an
			// entry that exists is removed from the counters.
			if _, ok, err := tx.Get(oe.key); err != nil {
				return err
			} else if !ok {
				oe = entry{}
			}
		}
		count, size := 0, 0
		if oe.key != nil {
			if ne.key == nil || string(oe.key) != string(ne.key) {
				tx.Delete(oe.key)
			}
			count--
			size -= oe.size
		}
		if ne.key != nil {
			tx.Set(ne.key, attr.AppendItem(make([]byte, 0, ne.size+len(ne.proj)*4+8), ne.proj))
			count++
			size += ne.size
		}
		if count != 0 {
			tx.AddInt64(keyspace.IndexItemCount(t.ID, ix.ID), int64(count))
		}
		if size != 0 {
			tx.AddInt64(keyspace.IndexSize(t.ID, ix.ID), int64(size))
		}
		if !ix.Global {
			collDelta += size
		}
	}
	if !t.HasLocalIndexes() {
		return nil
	}
	return trackCollection(tx, t, old, new, collDelta, limit)
}

// trackCollection maintains the size of the item's collection (its
// partition's items and their LSI entries) and refuses a write that grows
// it past limit (errors.md F34).
func trackCollection(tx storage.Txn, t *catalog.Table, old, new attr.Item, lsiDelta int, limit int64) error {
	item := new
	if item == nil {
		item = old
	}
	hn, _ := t.HashKey()
	pk, ok := item[hn]
	if !ok {
		return nil
	}
	delta := int64(lsiDelta + attr.ItemSize(new) - attr.ItemSize(old))
	if delta == 0 {
		return nil
	}
	key := keyspace.ItemCollection(t.ID, pk)
	if delta > 0 {
		raw, _, err := tx.Get(key)
		if err != nil {
			return err
		}
		if storage.ReadInt64(raw)+delta > limit {
			return CollectionSizeExceeded()
		}
	}
	tx.AddInt64(key, delta)
	return nil
}

// CollectionSizeExceeded is DynamoDB's error for a write that would grow an
// item collection past 10 GB (errors.md F34).
func CollectionSizeExceeded() *apierr.Error {
	return apierr.New("ItemCollectionSizeLimitExceededException", http.StatusBadRequest, "Collection size exceeded.")
}

// CollectionSize returns the size in bytes of the item collection of
// partition key pk in table t (0 if t has no LSIs or the collection is
// empty).
func CollectionSize(r storage.Reader, t *catalog.Table, pk attr.Value) (int64, error) {
	raw, _, err := r.Get(keyspace.ItemCollection(t.ID, pk))
	if err != nil {
		return 0, err
	}
	return storage.ReadInt64(raw), nil
}

// entry is an item's entry in one index.
type entry struct {
	key  []byte    // nil: the item is not in the index
	proj attr.Item // the projected item stored as the entry's value
	size int       // attr.ItemSize(proj)
}

// entryOf computes item's entry in ix. An item that lacks any of the
// index's key attributes is not in the index (sparse indexes). A present
// key attribute with an unusable value is an error when check is set
// (PutItem's messages), else the item is simply not indexed (old items,
// backfill: DynamoDB skips such items when it builds an index).
func entryOf(t *catalog.Table, ix *catalog.Index, item attr.Item, check bool) (entry, error) {
	var buf [8]attr.Value
	vals, present, err := keyValues(ix, item, buf[:0])
	if err != nil {
		if check {
			return entry{}, err
		}
		return entry{}, nil
	}
	if !present {
		return entry{}, nil
	}
	nh := len(ix.HashKeys())
	hn, _ := t.HashKey()
	rn, _, hasRange := t.RangeKey()
	key := keyspace.IndexEntry(t.ID, ix.ID, vals[:nh], vals[nh:], item[hn], item[rn], hasRange)
	proj := Project(t, ix, item)
	return entry{key: key, proj: proj, size: attr.ItemSize(proj)}, nil
}

// keyValues returns the index key values of item, partition attributes
// first, appended to buf. present is false when an attribute is missing.
// Every present attribute is checked, missing ones or not.
func keyValues(ix *catalog.Index, item attr.Item, buf []attr.Value) (vals []attr.Value, present bool, err error) {
	present = true
	for i, parts := range [2][]catalog.KeyAttr{ix.HashKeys(), ix.RangeKeys()} {
		for _, k := range parts {
			v, ok := item[k.Name]
			if !ok {
				present = false
				continue
			}
			if err := checkKey(ix, k, v, i == 0, putMessages); err != nil {
				return nil, false, err
			}
			buf = append(buf, v)
		}
	}
	return buf, present, nil
}

// Project returns the part of item that index ix stores: the whole item
// for ALL; else the table's and the index's key attributes, plus the
// NonKeyAttributes for INCLUDE. The result shares values with item.
func Project(t *catalog.Table, ix *catalog.Index, item attr.Item) attr.Item {
	if ix.Projection.Type == catalog.ProjectionAll {
		return item
	}
	out := make(attr.Item, 2+len(ix.HashKeys())+len(ix.RangeKeys())+len(ix.Projection.NonKeyAttributes))
	copyAttr := func(name string) {
		if v, ok := item[name]; ok {
			out[name] = v
		}
	}
	hn, _ := t.HashKey()
	copyAttr(hn)
	if rn, _, ok := t.RangeKey(); ok {
		copyAttr(rn)
	}
	for _, k := range ix.HashKeys() {
		copyAttr(k.Name)
	}
	for _, k := range ix.RangeKeys() {
		copyAttr(k.Name)
	}
	for _, n := range ix.Projection.NonKeyAttributes {
		copyAttr(n)
	}
	return out
}

// Change is the effect of one item write on one index, for consumed
// capacity: the sizes of the entry removed and of the entry written (0 when
// none).
type Change struct {
	Index            *catalog.Index
	OldSize, NewSize int
	// Moved is true when the entry's key changed (a delete plus a put).
	Moved bool
}

// Changes lists the indexes of t whose entries change when an item goes
// from old to new (either may be nil), in index order. A write that leaves
// an index's entry as it was is not listed: it costs that index nothing
// (limits.md §12).
func Changes(t *catalog.Table, old, new attr.Item) []Change {
	var out []Change
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !ix.Maintained() {
			continue
		}
		var oe, ne entry
		if old != nil {
			oe, _ = entryOf(t, ix, old, false)
		}
		if new != nil {
			ne, _ = entryOf(t, ix, new, false)
		}
		if oe.key == nil && ne.key == nil {
			continue
		}
		same := oe.key != nil && ne.key != nil && string(oe.key) == string(ne.key)
		if same && attr.ItemsEqual(oe.proj, ne.proj) {
			continue
		}
		out = append(out, Change{Index: ix, OldSize: oe.size, NewSize: ne.size,
			Moved: oe.key != nil && ne.key != nil && !same})
	}
	return out
}
