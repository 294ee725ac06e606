// Package ttl owns time to live: the expiry index entries kept beside items
// whose TTL attribute holds an epoch second, and the sweeper that deletes
// expired items through the items write path (never by scanning the table).
package ttl

import (
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/storage"
)

// Track adds to tx the expiry-index changes of one item going from old to
// new (either may be nil) under storage key itemKey in table t.
// TODO(#5): no expiry index yet.
func Track(tx storage.Txn, t *catalog.Table, itemKey []byte, old, new attr.Item) error {
	return nil
}
