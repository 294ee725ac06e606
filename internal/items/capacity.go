package items

import (
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
// (TODO(#4): secondary indexes).
func consumedCapacity(mode *string, table string, units float64) *protocol.ConsumedCapacity {
	if mode == nil || (*mode != rccTotal && *mode != rccIndexes) {
		return nil
	}
	cc := &protocol.ConsumedCapacity{TableName: &table, CapacityUnits: &units}
	if *mode == rccIndexes {
		tu := units
		cc.Table = &protocol.Capacity{CapacityUnits: &tu}
	}
	return cc
}
