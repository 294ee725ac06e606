package streams

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/protocol/streams"
)

// Event kinds and view types as stored in a record.
//
// Persisted: do not reorder.
const (
	eventInsert = 1
	eventModify = 2
	eventRemove = 3

	viewKeysOnly  = 1
	viewNew       = 2
	viewOld       = 3
	viewNewAndOld = 4
)

var eventNames = [...]string{"", streams.OperationTypeInsert, streams.OperationTypeModify, streams.OperationTypeRemove}

var viewNames = [...]string{"", streams.StreamViewTypeKeysOnly, streams.StreamViewTypeNewImage,
	streams.StreamViewTypeOldImage, streams.StreamViewTypeNewAndOldImages}

func viewCode(name string) byte {
	for i, n := range viewNames {
		if i > 0 && n == name {
			return byte(i)
		}
	}
	return viewKeysOnly
}

// record is one stream record.
//
// Persisted: the value of keyspace.StreamPending and keyspace.StreamRecord
// keys is, in this order (do not reorder):
//
//	0      format version (1)
//	1      flags: 1 = made by the service (TTL)
//	2      event kind (eventInsert, ...)
//	3      view type (viewKeysOnly, ...)
//	4:12   stream id (big-endian)
//	12:20  creation time, Unix milliseconds (big-endian; 0 while pending)
//	20:    keys, old image, new image: each a uvarint length and that many
//	       bytes of attr.AppendItem (length 0: absent)
type record struct {
	byService bool
	event     byte
	view      byte
	stream    uint64
	created   int64 // Unix milliseconds
	keys      attr.Item
	old, new  attr.Item // stored only when the view type shows them
}

const (
	recordVersion = 1
	recordHeader  = 20
	flagService   = 1
)

func (r *record) append(dst []byte) []byte {
	flags := byte(0)
	if r.byService {
		flags |= flagService
	}
	dst = append(dst, recordVersion, flags, r.event, r.view)
	dst = binary.BigEndian.AppendUint64(dst, r.stream)
	dst = binary.BigEndian.AppendUint64(dst, uint64(r.created))
	for _, it := range []attr.Item{r.keys, r.old, r.new} {
		if it == nil {
			dst = binary.AppendUvarint(dst, 0)
			continue
		}
		b := attr.AppendItem(nil, it)
		dst = binary.AppendUvarint(dst, uint64(len(b)))
		dst = append(dst, b...)
	}
	return dst
}

var errBadRecord = errors.New("streams: malformed stored record")

func decodeRecord(b []byte) (record, error) {
	var r record
	if len(b) < recordHeader || b[0] != recordVersion {
		return r, errBadRecord
	}
	r.byService = b[1]&flagService != 0
	r.event, r.view = b[2], b[3]
	if r.event < eventInsert || r.event > eventRemove || r.view < viewKeysOnly || r.view > viewNewAndOld {
		return r, errBadRecord
	}
	r.stream = binary.BigEndian.Uint64(b[4:12])
	r.created = int64(binary.BigEndian.Uint64(b[12:20]))
	rest := b[recordHeader:]
	for _, dst := range []*attr.Item{&r.keys, &r.old, &r.new} {
		n, k := binary.Uvarint(rest)
		if k <= 0 || uint64(len(rest)-k) < n {
			return r, errBadRecord
		}
		rest = rest[k:]
		if n > 0 {
			it, err := attr.DecodeItem(rest[:n])
			if err != nil {
				return r, fmt.Errorf("streams: decoding record image: %w", err)
			}
			*dst = it
		}
		rest = rest[n:]
	}
	return r, nil
}

// recordStream and recordCreated read a stored record's header fields
// without decoding it.
func recordStream(b []byte) uint64 { return binary.BigEndian.Uint64(b[4:12]) }

func recordCreated(b []byte) int64 { return int64(binary.BigEndian.Uint64(b[12:20])) }

// setCreated stamps a stored record's creation time in place.
func setCreated(b []byte, ms int64) { binary.BigEndian.PutUint64(b[12:20], uint64(ms)) }

// sizeBytes is the record's SizeBytes: the item size of its keys and of the
// images it carries (behaviours.md section 12).
func (r *record) sizeBytes() int64 {
	return int64(attr.ItemSize(r.keys) + attr.ItemSize(r.old) + attr.ItemSize(r.new))
}

// serviceIdentity is the userIdentity of a record made by TTL.
func serviceIdentity() *streams.Identity {
	return &streams.Identity{Type: ptr("Service"), PrincipalId: ptr("dynamodb.amazonaws.com")}
}

func ptr[T any](v T) *T { return &v }
