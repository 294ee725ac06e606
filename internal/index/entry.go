package index

import (
	"encoding/binary"
	"fmt"

	"github.com/petreldb/petrel/internal/attr"
)

// The value of an index entry.
//
// Persisted: do not reorder. An entry's value is
//
//	uvarint(size) item
//
// where item is the projected item in the binary item codec
// (attr.AppendItem) and size is its attr.ItemSize, so that the index's
// statistics can be summed from the values without decoding the items
// (stats.go).

// appendEntry appends the value of an entry holding proj, whose
// attr.ItemSize is size.
func appendEntry(dst []byte, proj attr.Item, size int) []byte {
	dst = binary.AppendUvarint(dst, uint64(size))
	return attr.AppendItem(dst, proj)
}

// DecodeEntry decodes an index entry's value into the projected item.
func DecodeEntry(v []byte) (attr.Item, error) {
	_, n := binary.Uvarint(v)
	if n <= 0 {
		return nil, fmt.Errorf("index: corrupt entry size")
	}
	return attr.DecodeItem(v[n:])
}

// entrySize returns the projected size recorded in an entry's value.
func entrySize(v []byte) (int64, error) {
	size, n := binary.Uvarint(v)
	if n <= 0 {
		return 0, fmt.Errorf("index: corrupt entry size")
	}
	return int64(size), nil
}
