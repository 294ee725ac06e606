package items

import (
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/index"
	"github.com/petreldb/petrel/internal/protocol"
)

// Capacity-unit sizes (limits.md §12): a read unit covers 4 KB read
// strongly consistently (half a unit eventually consistently), a write unit
// 1 KB written.
const (
	readUnitBytes  = 4096
	writeUnitBytes = 1024
)

// ReturnConsumedCapacity values.
const (
	rccTotal   = "TOTAL"
	rccIndexes = "INDEXES"
)

// readUnits is the cost of reading one item of size bytes (GetItem,
// BatchGetItem per item): the size rounded up to 4 KB, at least one unit,
// halved for an eventually consistent read. A missing item (size 0) costs
// one unit (or a half).
func readUnits(size int, consistent bool) float64 {
	u := float64(max(1, (size+readUnitBytes-1)/readUnitBytes))
	if !consistent {
		u /= 2
	}
	return u
}

// writeUnits is the cost of writing one item of size bytes (the larger of
// the old and new item for PutItem and UpdateItem, the deleted item for
// DeleteItem): the size rounded up to 1 KB, at least one unit.
func writeUnits(size int) float64 {
	return float64(max(1, (size+writeUnitBytes-1)/writeUnitBytes))
}

// consumedCapacity builds the ConsumedCapacity member for units consumed on
// table name, as asked by ReturnConsumedCapacity (behaviours.md §6): nil for
// NONE or absent; {TableName, CapacityUnits} for TOTAL; INDEXES adds
// Table: {CapacityUnits}. Index maps appear only when an index was touched
// (writeCapacity, readCapacity).
func consumedCapacity(mode *string, table string, units float64) *protocol.ConsumedCapacity {
	if mode == nil || (*mode != rccTotal && *mode != rccIndexes) {
		return nil
	}
	// Copies, not &table and &units: a parameter whose address is taken
	// is moved to the heap on entry, which would cost every request two
	// allocations even when no capacity is asked for.
	name, u := table, units
	cc := &protocol.ConsumedCapacity{TableName: &name, CapacityUnits: &u}
	if *mode == rccIndexes {
		tu := units
		cc.Table = &protocol.Capacity{CapacityUnits: &tu}
	}
	return cc
}

// writeCapacity is consumedCapacity for a single-item write of t from old
// to new (either nil) whose table part costs tableUnits: every index whose
// entry changes costs its own write units, a moved entry a delete plus a
// put (limits.md §12), and the total includes them (behaviours.md §6: a
// PutItem with a GSI and an LSI reports Table 1 + GSI 1 + LSI 1 = 3).
func writeCapacity(mode *string, t *catalog.Table, old, new attr.Item, tableUnits float64) *protocol.ConsumedCapacity {
	if mode == nil || (*mode != rccTotal && *mode != rccIndexes) || len(t.Indexes) == 0 {
		return consumedCapacity(mode, t.Name, tableUnits)
	}
	total := tableUnits
	var gsi, lsi map[string]protocol.Capacity
	for _, c := range index.Changes(t, old, new) {
		u := 0.0
		switch {
		case c.Moved:
			u = writeUnits(c.OldSize) + writeUnits(c.NewSize)
		default:
			u = writeUnits(max(c.OldSize, c.NewSize))
		}
		total += u
		m := &lsi
		if c.Index.Global {
			m = &gsi
		}
		if *m == nil {
			*m = make(map[string]protocol.Capacity)
		}
		(*m)[c.Index.Name] = protocol.Capacity{CapacityUnits: &u}
	}
	cc := consumedCapacity(mode, t.Name, total)
	if *mode == rccIndexes {
		tu := tableUnits
		cc.Table = &protocol.Capacity{CapacityUnits: &tu}
		cc.GlobalSecondaryIndexes, cc.LocalSecondaryIndexes = gsi, lsi
	}
	return cc
}

// readCapacity is consumedCapacity for a Query or Scan page of t (or of
// its index ix): the page's bytes rounded up to 4 KB, halved when
// eventually consistent. A GSI read is charged to the index; an LSI read to
// the index, plus the table for the items it fetched (limits.md §12).
func readCapacity(mode *string, t *catalog.Table, ix *catalog.Index, pg *page, consistent bool) *protocol.ConsumedCapacity {
	units := scanReadUnits(pg.bytes, consistent)
	if ix == nil || mode == nil || (*mode != rccTotal && *mode != rccIndexes) {
		return consumedCapacity(mode, t.Name, units)
	}
	fetched := pg.fetchUnits
	if !consistent {
		fetched /= 2
	}
	cc := consumedCapacity(mode, t.Name, units+fetched)
	if *mode == rccIndexes {
		tu, iu := fetched, units
		cc.Table = &protocol.Capacity{CapacityUnits: &tu}
		m := map[string]protocol.Capacity{ix.Name: {CapacityUnits: &iu}}
		if ix.Global {
			cc.GlobalSecondaryIndexes = m
		} else {
			cc.LocalSecondaryIndexes = m
		}
	}
	return cc
}

// itemCollectionMetrics is the ItemCollectionMetrics of a write to the item
// collection of key's partition when asked (ReturnItemCollectionMetrics
// SIZE) and the table has local secondary indexes: the partition key and
// an estimate of the collection's size as a range of whole gigabytes.
func (s *Service) itemCollectionMetrics(mode *string, t *catalog.Table, key *itemKey) (*protocol.ItemCollectionMetrics, error) {
	if mode == nil || *mode != "SIZE" || !t.HasLocalIndexes() {
		return nil, nil
	}
	size, err := index.CollectionSize(s.eng, t, key.hash)
	if err != nil {
		return nil, err
	}
	gb := float64(size / (1 << 30))
	return &protocol.ItemCollectionMetrics{
		ItemCollectionKey:   attr.Item{key.hashName: key.hash},
		SizeEstimateRangeGB: []float64{gb, gb + 1},
	}, nil
}
