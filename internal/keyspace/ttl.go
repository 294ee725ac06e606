package keyspace

import "encoding/binary"

// Time-to-live keys (issue #5), all under 0x14 tid(8), then a kind byte:
//
//	'd'                       counter: items deleted by TTL (AddInt64)
//	'x' epoch(8) itemKey      expiry index entry: the item stored under
//	                          itemKey (its full storage key) expires at
//	                          epoch (seconds, big-endian, so entries sort
//	                          by expiry time)
//
// Persisted: do not reorder or reuse the kind bytes.
const (
	prefixTTL = 0x14

	ttlDeleted = 'd'
	ttlEntry   = 'x'
)

func ttlKey(tid uint64, kind byte, extra int) []byte {
	return tableKindKey(prefixTTL, tid, kind, extra)
}

// TTLTable bounds every TTL key of table tid (DeleteTable).
func TTLTable(tid uint64) (lower, upper []byte) {
	return tablePrefix(prefixTTL, tid), tablePrefix(prefixTTL, tid+1)
}

// TTLEntry is the expiry-index key of the item stored under itemKey that
// expires at epoch seconds.
func TTLEntry(tid, epoch uint64, itemKey []byte) []byte {
	return timedItemKey(prefixTTL, tid, ttlEntry, epoch, itemKey)
}

// TTLEntries bounds the expiry-index entries of table tid whose epoch is in
// [from, to).
func TTLEntries(tid, from, to uint64) (lower, upper []byte) {
	lower = binary.BigEndian.AppendUint64(ttlKey(tid, ttlEntry, 8), from)
	upper = binary.BigEndian.AppendUint64(ttlKey(tid, ttlEntry, 8), to)
	return lower, upper
}

// AllTTLEntries bounds every expiry-index entry of table tid.
func AllTTLEntries(tid uint64) (lower, upper []byte) {
	return ttlKey(tid, ttlEntry, 0), ttlKey(tid, ttlEntry+1, 0)
}

// ParseTTLEntry splits a TTLEntry key into the epoch and the item key (which
// aliases key); ok is false for any other key.
func ParseTTLEntry(key []byte) (epoch uint64, itemKey []byte, ok bool) {
	return parseTimedItemKey(key, prefixTTL, ttlEntry)
}

// TTLDeleted is the counter key of the number of items TTL deleted from
// table tid (TimeToLiveDeletedItemCount).
func TTLDeleted(tid uint64) []byte { return ttlKey(tid, ttlDeleted, 0) }
