package items

import (
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/index"
	"github.com/petreldb/petrel/internal/storage"
	"github.com/petreldb/petrel/internal/streams"
	"github.com/petreldb/petrel/internal/ttl"
)

// effects adds to tx, in the same commit as the item itself, everything
// derived from one item change: secondary-index entries, the TTL expiry
// index and the stream record. old and new are nil when absent; a change
// with both nil writes nothing. byService marks deletions made by the
// service (TTL) rather than by a caller.
func effects(tx storage.Txn, t *catalog.Table, key *itemKey, old, new attr.Item, byService bool) error {
	if old == nil && new == nil {
		return nil
	}
	if err := index.Write(tx, t, old, new); err != nil {
		return err
	}
	if err := ttl.Track(tx, t, key.storage, old, new); err != nil {
		return err
	}
	return streams.Append(tx, t, streams.Change{Keys: key.attrs(), Old: old, New: new, ByService: byService})
}
