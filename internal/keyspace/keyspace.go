// Package keyspace owns every storage key prefix Petrel writes, in one place,
// so that no two features can collide and the layout can be read at a glance.
//
// Persisted: the prefix bytes and encodings below are on disk; do not reorder
// or reuse them.
//
//	0x01 ns 0x00 name          catalog: table metadata (catalog package)
//	0x02                       table id sequence
//	0x03 ns 0x00 name 0x00 lbl retired stream of a deleted table (retired.go)
//	0x10 tid(8) ikey           item: binary item codec (attr.AppendItem)
//	0x11 tid(8) 'c'            counter: item count of the table
//	0x11 tid(8) 's'            counter: table size in bytes
//	0x12 tid(8) ...            index entries (issue #4)
//	0x13 tid(8) ...            stream records (issue #5)
//	0x14 ...                   TTL expiry index (issue #5)
//
// ikey, the item key within a table, is hash32(pk) pk sk where pk and sk are
// attr.AppendKey encodings (self-delimiting and order-preserving). Leading
// with a hash of the partition key spreads partitions the way DynamoDB's scan
// order does and lets a parallel scan split the table into hash ranges; all
// items of one partition stay together, ordered by sort key, for Query.
package keyspace

import (
	"encoding/binary"
	"hash/fnv"

	"github.com/petreldb/petrel/internal/attr"
)

const (
	prefixCatalog  = 0x01
	prefixTableSeq = 0x02
	prefixItem     = 0x10
	prefixCounter  = 0x11
)

// Catalog is the key of table name's metadata in namespace ns.
func Catalog(ns, name string) []byte {
	k := make([]byte, 0, 2+len(ns)+len(name))
	k = append(k, prefixCatalog)
	k = append(k, ns...)
	k = append(k, 0)
	return append(k, name...)
}

// CatalogPrefix bounds every table of namespace ns: [lower, upper).
func CatalogPrefix(ns string) (lower, upper []byte) {
	lower = append(append([]byte{prefixCatalog}, ns...), 0)
	upper = append(append([]byte{prefixCatalog}, ns...), 1)
	return lower, upper
}

// AllCatalog bounds the catalog of every namespace.
func AllCatalog() (lower, upper []byte) { return []byte{prefixCatalog}, []byte{prefixCatalog + 1} }

// TableSeq is the key of the last allocated table id.
func TableSeq() []byte { return []byte{prefixTableSeq} }

func tablePrefix(p byte, tid uint64) []byte {
	k := make([]byte, 9, 64)
	k[0] = p
	binary.BigEndian.PutUint64(k[1:], tid)
	return k
}

// tableKindKey is prefix p, table tid and a kind byte, with room for extra
// more bytes: the head of every stream and TTL key.
func tableKindKey(p byte, tid uint64, kind byte, extra int) []byte {
	k := make([]byte, 10, 10+extra)
	k[0] = p
	binary.BigEndian.PutUint64(k[1:], tid)
	k[9] = kind
	return k
}

// timedItemKey is tableKindKey followed by the big-endian time ts and an
// item's full storage key, so that such keys sort by time: stream pending
// records and TTL expiry entries.
func timedItemKey(p byte, tid uint64, kind byte, ts uint64, itemKey []byte) []byte {
	k := tableKindKey(p, tid, kind, 8+len(itemKey))
	k = binary.BigEndian.AppendUint64(k, ts)
	return append(k, itemKey...)
}

// parseTimedItemKey splits a timedItemKey of prefix p and kind into ts and
// the item key (which aliases key); ok is false for any other key.
func parseTimedItemKey(key []byte, p, kind byte) (ts uint64, itemKey []byte, ok bool) {
	if len(key) < 18 || key[0] != p || key[9] != kind {
		return 0, nil, false
	}
	return binary.BigEndian.Uint64(key[10:18]), key[18:], true
}

// Items bounds every item of table tid: [lower, upper).
func Items(tid uint64) (lower, upper []byte) {
	return tablePrefix(prefixItem, tid), tablePrefix(prefixItem, tid+1)
}

// PartitionHash is the 32-bit hash that orders partitions in a table.
func PartitionHash(pkEnc []byte) uint32 {
	h := fnv.New32a()
	h.Write(pkEnc)
	return h.Sum32()
}

// Item returns the storage key of the item with partition key pk and sort
// key sk (sk is ignored when hasSK is false).
func Item(tid uint64, pk attr.Value, sk attr.Value, hasSK bool) []byte {
	k := tablePrefix(prefixItem, tid)
	k = append(k, 0, 0, 0, 0)
	k = attr.AppendKey(k, pk)
	binary.BigEndian.PutUint32(k[9:13], PartitionHash(k[13:]))
	if hasSK {
		k = attr.AppendKey(k, sk)
	}
	return k
}

// Partition bounds the items of partition pk in table tid: [lower, upper).
func Partition(tid uint64, pk attr.Value) (lower, upper []byte) {
	lower = Item(tid, pk, attr.Value{}, false)
	upper = append(append([]byte(nil), lower...), 0xff)
	return lower, upper
}

// Segment bounds the items whose partition hash falls in segment seg of
// total (parallel Scan): [lower, upper).
func Segment(tid uint64, seg, total int) (lower, upper []byte) {
	lo := uint64(seg) << 32 / uint64(total)
	hi := uint64(seg+1) << 32 / uint64(total)
	lower = tablePrefix(prefixItem, tid)
	lower = binary.BigEndian.AppendUint32(lower, uint32(lo))
	if hi >= 1<<32 {
		_, upper = Items(tid)
		return lower, upper
	}
	upper = tablePrefix(prefixItem, tid)
	upper = binary.BigEndian.AppendUint32(upper, uint32(hi))
	return lower, upper
}

// ItemCount is the counter key of table tid's item count.
func ItemCount(tid uint64) []byte { return append(tablePrefix(prefixCounter, tid), 'c') }

// TableSize is the counter key of table tid's size in bytes.
func TableSize(tid uint64) []byte { return append(tablePrefix(prefixCounter, tid), 's') }

// Counters bounds every counter of table tid.
func Counters(tid uint64) (lower, upper []byte) {
	return tablePrefix(prefixCounter, tid), tablePrefix(prefixCounter, tid+1)
}
