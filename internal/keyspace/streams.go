package keyspace

import "encoding/binary"

// Stream keys (issue #5), all under 0x13 tid(8), then a kind byte:
//
//	'n'                      the table's next stream sequence number (uint64)
//	'p' ts(8) itemKey        pending record, written in the item's commit
//	'q' itemKey              the hints of the item's pending records
//	'r' stream(8) seq(8)     sequenced record of stream `stream`
//	's' stream(8)            the stream's first sequence number
//	't' stream(8)            trim point: the highest trimmed sequence number
//
// itemKey is the item's full storage key (Item). ts orders pending records
// (see package streams); stream is the stream's id (its label as epoch
// milliseconds); seq is the record's sequence number.
//
// Persisted: do not reorder or reuse the kind bytes.
const (
	prefixStream = 0x13

	streamNext    = 'n'
	streamPending = 'p'
	streamByItem  = 'q'
	streamRecord  = 'r'
	streamStart   = 's'
	streamTrim    = 't'
)

func streamKey(tid uint64, kind byte, extra int) []byte {
	return tableKindKey(prefixStream, tid, kind, extra)
}

// StreamTable bounds every stream key of table tid (DeleteTable).
func StreamTable(tid uint64) (lower, upper []byte) {
	return tablePrefix(prefixStream, tid), tablePrefix(prefixStream, tid+1)
}

// StreamPending is the key of a pending stream record of the item stored
// under itemKey, ordered by ts.
func StreamPending(tid, ts uint64, itemKey []byte) []byte {
	return timedItemKey(prefixStream, tid, streamPending, ts, itemKey)
}

// StreamPendingRange bounds the pending records of table tid.
func StreamPendingRange(tid uint64) (lower, upper []byte) {
	return streamKey(tid, streamPending, 0), streamKey(tid, streamPending+1, 0)
}

// ParseStreamPending splits a StreamPending key into ts and the item key
// (which aliases key); ok is false for any other key.
func ParseStreamPending(key []byte) (ts uint64, itemKey []byte, ok bool) {
	return parseTimedItemKey(key, prefixStream, streamPending)
}

// StreamItemPending is the key listing the hints (ts) of the pending
// records of the item stored under itemKey, in the item's write order.
func StreamItemPending(tid uint64, itemKey []byte) []byte {
	return append(streamKey(tid, streamByItem, len(itemKey)), itemKey...)
}

// StreamNext is the key of table tid's next stream sequence number.
func StreamNext(tid uint64) []byte { return streamKey(tid, streamNext, 0) }

// StreamRecord is the key of record seq of stream stream of table tid.
func StreamRecord(tid, stream, seq uint64) []byte {
	k := streamKey(tid, streamRecord, 16)
	k = binary.BigEndian.AppendUint64(k, stream)
	return binary.BigEndian.AppendUint64(k, seq)
}

// StreamRecords bounds the records of stream stream of table tid with
// sequence numbers in [from, to); to == 0 means no upper bound.
func StreamRecords(tid, stream, from, to uint64) (lower, upper []byte) {
	lower = StreamRecord(tid, stream, from)
	if to == 0 {
		upper = streamKey(tid, streamRecord, 8)
		return lower, binary.BigEndian.AppendUint64(upper, stream+1)
	}
	return lower, StreamRecord(tid, stream, to)
}

// ParseStreamRecord returns the sequence number of a StreamRecord key.
func ParseStreamRecord(key []byte) (seq uint64, ok bool) {
	if len(key) != 26 || key[0] != prefixStream || key[9] != streamRecord {
		return 0, false
	}
	return binary.BigEndian.Uint64(key[18:]), true
}

// StreamTrim is the key of stream stream's trim point.
func StreamTrim(tid, stream uint64) []byte {
	return binary.BigEndian.AppendUint64(streamKey(tid, streamTrim, 8), stream)
}

// StreamStart is the key of stream stream's first sequence number.
func StreamStart(tid, stream uint64) []byte {
	return binary.BigEndian.AppendUint64(streamKey(tid, streamStart, 8), stream)
}
