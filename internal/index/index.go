// Package index maintains secondary indexes: the entries an item change
// adds and removes, as a pure function of the old and new item, written in
// the same storage commit as the item so that an index never shows a state
// the table never had; and the background work of online index changes
// (backfilling a global secondary index added by UpdateTable, dropping the
// entries of a deleted one: builder.go).
//
// An index entry lives at keyspace.IndexEntry (index key, then table key)
// and holds the projected item (entry.go), so reads through an index need no
// second lookup. An index's ItemCount and IndexSizeBytes are computed from
// its entries when DescribeTable asks (stats.go), not maintained by writes;
// tables with local secondary indexes track the size of each item
// collection (keyspace.ItemCollection) for the 10 GB limit.
//
// It must not decide whether a write happens: items calls it once the write
// is decided, and it can only refuse a new item whose index key values
// DynamoDB would reject (wrong type, empty, too large) or that would
// overflow an item collection.
package index

import (
	"bytes"
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
// new (either may be nil) in table t and, for tables with local secondary
// indexes, the change of the item-collection size.
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
//
// For each index it first computes only the entry keys of the old and the
// new item; the projections are compared, sized and built only when an
// entry actually changes, so a write that leaves an index alone costs it
// two key encodings, and one that changes it one Set (plus one Delete when
// the entry moves). No counter is written: see stats.go.
func write(tx storage.Txn, t *catalog.Table, old, new attr.Item, limit int64) error {
	collDelta := 0
	lsi := false
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !ix.Maintained() {
			continue
		}
		lsi = lsi || !ix.Global
		var ok, nk []byte
		if old != nil {
			ok, _ = entryKey(t, ix, old, false)
		}
		if new != nil {
			var err error
			if nk, err = entryKey(t, ix, new, true); err != nil {
				return err
			}
		}
		if ok == nil && nk == nil {
			continue
		}
		same := ok != nil && nk != nil && bytes.Equal(ok, nk)
		if same && projectionEqual(ix, old, new) {
			continue // the entry does not change
		}
		size := 0
		if ok != nil {
			if !same {
				tx.Delete(ok)
			}
			size -= projectedSize(ix, old)
		}
		if nk != nil {
			proj := Project(t, ix, new)
			n := attr.ItemSize(proj)
			tx.Set(nk, appendEntry(make([]byte, 0, n+len(proj)*4+12), proj, n))
			size += n
		}
		if !ix.Global {
			collDelta += size
		}
	}
	if !lsi {
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

// entryOf computes item's whole entry in ix (see entryKey).
func entryOf(t *catalog.Table, ix *catalog.Index, item attr.Item, check bool) (entry, error) {
	key, err := entryKey(t, ix, item, check)
	if key == nil {
		return entry{}, err
	}
	proj := Project(t, ix, item)
	return entry{key: key, proj: proj, size: attr.ItemSize(proj)}, nil
}

// entryKey returns the key of item's entry in ix, or nil when the item is
// not in the index: an item that lacks any of the index's key attributes is
// not in the index (sparse indexes). A present key attribute with an
// unusable value is an error when check is set (PutItem's messages), else
// the item is simply not indexed (old items, backfill: DynamoDB skips such
// items when it builds an index).
func entryKey(t *catalog.Table, ix *catalog.Index, item attr.Item, check bool) ([]byte, error) {
	var buf [8]attr.Value
	vals, present, err := keyValues(ix, item, buf[:0])
	if err != nil {
		if check {
			return nil, err
		}
		return nil, nil
	}
	if !present {
		return nil, nil
	}
	nh := len(ix.HashKeys())
	hn, _ := t.HashKey()
	rn, _, hasRange := t.RangeKey()
	return keyspace.IndexEntry(t.ID, ix.ID, vals[:nh], vals[nh:], item[hn], item[rn], hasRange), nil
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

// projectionEqual reports whether ix holds the same attributes for items a
// and b.
func projectionEqual(ix *catalog.Index, a, b attr.Item) bool {
	names := ix.ProjectedNames()
	if names == nil {
		return attr.ItemsEqual(a, b)
	}
	for _, n := range names {
		va, oka := a[n]
		vb, okb := b[n]
		if oka != okb || oka && !attr.Equal(va, vb) {
			return false
		}
	}
	return true
}

// projectedSize is attr.ItemSize(Project(t, ix, item)), without building
// the projection.
func projectedSize(ix *catalog.Index, item attr.Item) int {
	names := ix.ProjectedNames()
	if names == nil {
		return attr.ItemSize(item)
	}
	n := 0
	for _, name := range names {
		if v, ok := item[name]; ok {
			n += len(name) + attr.Size(v)
		}
	}
	return n
}

// Project returns the part of item that index ix stores: the whole item
// for ALL; else the table's and the index's key attributes, plus the
// NonKeyAttributes for INCLUDE. The result shares values with item.
func Project(t *catalog.Table, ix *catalog.Index, item attr.Item) attr.Item {
	names := ix.ProjectedNames()
	if names == nil {
		return item
	}
	out := make(attr.Item, len(names))
	for _, n := range names {
		if v, ok := item[n]; ok {
			out[n] = v
		}
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
		var ok, nk []byte
		if old != nil {
			ok, _ = entryKey(t, ix, old, false)
		}
		if new != nil {
			nk, _ = entryKey(t, ix, new, false)
		}
		if ok == nil && nk == nil {
			continue
		}
		same := ok != nil && nk != nil && bytes.Equal(ok, nk)
		if same && projectionEqual(ix, old, new) {
			continue
		}
		c := Change{Index: ix, Moved: ok != nil && nk != nil && !same}
		if ok != nil {
			c.OldSize = projectedSize(ix, old)
		}
		if nk != nil {
			c.NewSize = projectedSize(ix, new)
		}
		out = append(out, c)
	}
	return out
}
