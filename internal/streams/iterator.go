package streams

import (
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"time"
)

// IteratorMaxAge is how long a shard iterator stays usable (limits.md
// section 11).
const IteratorMaxAge = 15 * time.Minute

// iterator is a decoded shard iterator: a position in the shard of one
// stream, and when GetShardIterator or GetRecords issued it.
//
// The wire form is opaque to clients but shaped like DynamoDB's:
// "<stream ARN>|1|<base64 payload>", the payload being, big-endian:
// table id(8) stream id(8) next sequence number(8) issue time in Unix
// milliseconds(8) and a CRC-32 of those 32 bytes(4).
type iterator struct {
	arn    string // stream ARN (names the table and the label)
	tid    uint64
	stream uint64
	seq    uint64 // the next record to return has a sequence number >= seq
	issued int64  // Unix milliseconds
}

const iteratorPayload = 36

// String is the wire form of the iterator.
func (it iterator) String() string {
	var b [iteratorPayload]byte
	binary.BigEndian.PutUint64(b[0:], it.tid)
	binary.BigEndian.PutUint64(b[8:], it.stream)
	binary.BigEndian.PutUint64(b[16:], it.seq)
	binary.BigEndian.PutUint64(b[24:], uint64(it.issued))
	binary.BigEndian.PutUint32(b[32:], crc32.ChecksumIEEE(b[:32]))
	return it.arn + "|1|" + base64.StdEncoding.EncodeToString(b[:])
}

// parseIterator decodes a shard iterator; ok is false for anything that
// GetShardIterator did not produce.
func parseIterator(s string) (iterator, bool) {
	i := strings.LastIndexByte(s, '|')
	if i < 2 || s[i-2:i] != "|1" {
		return iterator{}, false
	}
	arn := s[:i-2]
	b, err := base64.StdEncoding.DecodeString(s[i+1:])
	if err != nil || len(b) != iteratorPayload || crc32.ChecksumIEEE(b[:32]) != binary.BigEndian.Uint32(b[32:]) {
		return iterator{}, false
	}
	it := iterator{
		arn:    arn,
		tid:    binary.BigEndian.Uint64(b[0:]),
		stream: binary.BigEndian.Uint64(b[8:]),
		seq:    binary.BigEndian.Uint64(b[16:]),
		issued: int64(binary.BigEndian.Uint64(b[24:])),
	}
	_, label, ok := parseStreamARN(arn)
	if !ok {
		return iterator{}, false
	}
	if id, err := StreamID(label); err != nil || id != it.stream {
		return iterator{}, false
	}
	return it, true
}
