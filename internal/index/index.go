// Package index maintains secondary indexes: the entries an item change
// adds and removes, as a pure function of the old and new item, written in
// the same storage commit as the item so that an index never shows a state
// the table never had; and the backfill of a new global secondary index.
//
// It must not decide whether a write happens: items calls it once the write
// is decided.
package index

import (
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/storage"
)

// Write adds to tx the index-entry changes of one item going from old to
// new (either may be nil) in table t. TODO(#4): tables have no indexes yet.
func Write(tx storage.Txn, t *catalog.Table, old, new attr.Item) error {
	return nil
}
