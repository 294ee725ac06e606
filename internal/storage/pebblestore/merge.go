package pebblestore

import (
	"encoding/binary"
	"io"

	"github.com/cockroachdb/pebble"

	"github.com/petreldb/petrel/internal/storage"
)

// counterMergerName names the merge operator in Pebble's OPTIONS file.
// Persisted: Pebble refuses to open a store with a different merger name.
const counterMergerName = "petrel.int64add.v1"

// counterMerger returns the merge operator behind Txn.AddInt64: every
// operand, and a Set base value if there is one, is a little-endian int64
// (decoded like storage.ReadInt64) and the result is their sum, 8 bytes
// little-endian. Deletes and range deletes below the merges are handled by
// Pebble: the merge then starts from nothing, i.e. 0.
func counterMerger() *pebble.Merger {
	return &pebble.Merger{
		Name: counterMergerName,
		Merge: func(_, value []byte) (pebble.ValueMerger, error) {
			return &counterSum{n: storage.ReadInt64(value)}, nil
		},
	}
}

// counterSum accumulates one key's counter operands.
type counterSum struct {
	n   int64
	buf [8]byte
}

// MergeNewer implements pebble.ValueMerger.
func (c *counterSum) MergeNewer(value []byte) error {
	c.n += storage.ReadInt64(value)
	return nil
}

// MergeOlder implements pebble.ValueMerger.
func (c *counterSum) MergeOlder(value []byte) error {
	c.n += storage.ReadInt64(value)
	return nil
}

// Finish implements pebble.ValueMerger.
func (c *counterSum) Finish(bool) ([]byte, io.Closer, error) {
	binary.LittleEndian.PutUint64(c.buf[:], uint64(c.n))
	return c.buf[:], nil, nil
}

// appendInt64 appends the 8-byte little-endian encoding of v.
func appendInt64(b []byte, v int64) []byte {
	return binary.LittleEndian.AppendUint64(b, uint64(v))
}
