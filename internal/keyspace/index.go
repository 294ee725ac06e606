package keyspace

import (
	"encoding/binary"

	"github.com/petreldb/petrel/internal/attr"
)

// Secondary-index keys (issue #4). Persisted: do not reorder.
//
//	0x12 tid(8) iid(4) hash32(ipk) ipk... isk... tpk [tsk]   index entry
//	0x12 tid(8) 00000000 hash32(pk) pk                       item-collection size (tables with LSIs)
//
// iid is the index's catalog ID (never 0, never reused in a table). ipk and
// isk are the AppendKey encodings of the index's partition- and sort-key
// attributes in key-schema order (several for a multi-attribute GSI key);
// the table key (tpk, tsk) that ends the key makes entries unique and
// orders entries with equal index keys by table key. Because AppendKey
// encodings are self-delimiting, prefix-free and order-preserving,
// concatenating them orders a multi-attribute key as a tuple (each
// attribute by its own type's order, left to right), and one index
// partition is one contiguous key range, ordered by the index sort key.
// The entry's value is the projected item (attr.AppendItem), so reading an
// index needs no second lookup.
const prefixIndex = 0x12

// collectionIndexID is the iid slot of item-collection size counters.
const collectionIndexID = 0

func indexPrefix(tid uint64, iid uint32) []byte {
	k := tablePrefix(prefixIndex, tid)
	return binary.BigEndian.AppendUint32(k, iid)
}

// AppendIndexPartition appends to dst the key prefix of the index
// partition whose partition-key values are pk (in key-schema order):
// 0x12 tid iid hash32(ipk) ipk. Every entry of the partition starts with
// it.
func AppendIndexPartition(dst []byte, tid uint64, iid uint32, pk []attr.Value) []byte {
	dst = append(dst, prefixIndex)
	dst = binary.BigEndian.AppendUint64(dst, tid)
	dst = binary.BigEndian.AppendUint32(dst, iid)
	h := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	for _, v := range pk {
		dst = attr.AppendKey(dst, v)
	}
	binary.BigEndian.PutUint32(dst[h:h+4], PartitionHash(dst[h+4:]))
	return dst
}

// IndexEntry returns the storage key of the entry of the item with table
// key (tpk, tsk) in index iid, whose index key values are pk and sk (sk may
// be empty for a hash-only GSI). tsk is ignored when hasTSK is false.
func IndexEntry(tid uint64, iid uint32, pk, sk []attr.Value, tpk, tsk attr.Value, hasTSK bool) []byte {
	k := AppendIndexPartition(make([]byte, 0, 64), tid, iid, pk)
	for _, v := range sk {
		k = attr.AppendKey(k, v)
	}
	k = attr.AppendKey(k, tpk)
	if hasTSK {
		k = attr.AppendKey(k, tsk)
	}
	return k
}

// IndexPartition bounds the entries of index iid whose partition-key
// values are pk: [lower, upper). AppendKey encodings never begin with 0xFF,
// so the prefix plus 0xFF is above every entry of the partition.
func IndexPartition(tid uint64, iid uint32, pk []attr.Value) (lower, upper []byte) {
	lower = AppendIndexPartition(nil, tid, iid, pk)
	upper = append(append(make([]byte, 0, len(lower)+1), lower...), 0xff)
	return lower, upper
}

// IndexEntries bounds every entry of index iid of table tid.
func IndexEntries(tid uint64, iid uint32) (lower, upper []byte) {
	return indexPrefix(tid, iid), indexPrefix(tid, iid+1)
}

// IndexSegment bounds the entries of index iid whose partition hash falls
// in segment seg of total (parallel Scan of an index), like Segment.
func IndexSegment(tid uint64, iid uint32, seg, total int) (lower, upper []byte) {
	lo := uint64(seg) << 32 / uint64(total)
	hi := uint64(seg+1) << 32 / uint64(total)
	lower = binary.BigEndian.AppendUint32(indexPrefix(tid, iid), uint32(lo))
	if hi >= 1<<32 {
		_, upper = IndexEntries(tid, iid)
		return lower, upper
	}
	upper = binary.BigEndian.AppendUint32(indexPrefix(tid, iid), uint32(hi))
	return lower, upper
}

// TableIndexData bounds every index entry and item-collection counter of
// table tid (DeleteTable removes them with the items).
func TableIndexData(tid uint64) (lower, upper []byte) {
	return tablePrefix(prefixIndex, tid), tablePrefix(prefixIndex, tid+1)
}

// ItemCollection is the counter key of the size in bytes of the item
// collection of partition key pk in table tid: its items plus their LSI
// entries (limits.md §1, the 10 GB limit).
func ItemCollection(tid uint64, pk attr.Value) []byte {
	return AppendIndexPartition(make([]byte, 0, 32), tid, collectionIndexID, []attr.Value{pk})
}
