// Package streams owns DynamoDB Streams: the change record of an item write,
// appended in the same storage commit as the item, and the Streams API that
// reads them back.
package streams

import (
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/storage"
)

// Change describes one item write for the stream.
type Change struct {
	Keys     attr.Item // the item's primary key attributes
	Old, New attr.Item // nil when absent
	// ByService marks a deletion made by the service itself (TTL), reported
	// with userIdentity {"type":"Service","principalId":"dynamodb.amazonaws.com"}.
	ByService bool
}

// Append adds to tx the stream record of c when t has a stream enabled.
// TODO(#5): streams are stored but no record is written yet.
func Append(tx storage.Txn, t *catalog.Table, c Change) error {
	return nil
}
