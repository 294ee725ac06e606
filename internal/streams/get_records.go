package streams

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/keyspace"
	wire "github.com/petreldb/petrel/internal/protocol/streams"
)

// GetRecords limits (limits.md section 11).
const (
	MaxRecords      = 1000
	MaxRecordsBytes = 1 << 20
)

// GetRecords returns the records of a shard from an iterator's position:
// up to Limit (default and maximum 1000) records or 1 MB, and the
// iterator of the next position — also when nothing was read from an open
// shard, and none once a closed shard has been read to its end.
func (s *Service) GetRecords(ctx context.Context, in *wire.GetRecordsInput) (*wire.GetRecordsOutput, error) {
	limit := MaxRecords
	if in.Limit != nil {
		if *in.Limit > MaxRecords {
			return nil, apierr.Validation(msgRecordsLimit)
		}
		limit = int(*in.Limit)
	}
	pos, ok := parseIterator(*in.ShardIterator)
	if !ok {
		return nil, apierr.Validation(msgBadIterator)
	}
	now := s.now()
	if now.UnixMilli()-pos.issued > IteratorMaxAge.Milliseconds() {
		return nil, expiredIterator()
	}
	st, err := s.resolve(ctx, pos.arn)
	if err != nil {
		return nil, err
	}
	if st.tid != pos.tid {
		return nil, streamNotFound(pos.arn) // the table was deleted and created again
	}
	trim, err := s.trimPoint(st.tid, st.id)
	if err != nil {
		return nil, err
	}
	if pos.seq <= trim {
		return nil, trimmed()
	}

	region := caller.From(ctx).Region
	out := &wire.GetRecordsOutput{Records: []wire.Record{}}
	lower, upper := keyspace.StreamRecords(st.tid, st.id, pos.seq, 0)
	it := s.eng.Iter(lower, upper, false)
	next, size, more := pos.seq, int64(0), false
	for it.Next() {
		if len(out.Records) == limit {
			more = true
			break
		}
		seq, ok := keyspace.ParseStreamRecord(it.Key())
		if !ok {
			continue
		}
		r, err := decodeRecord(it.Value())
		if err != nil {
			it.Close()
			return nil, err
		}
		sz := r.sizeBytes()
		if size+sz > MaxRecordsBytes && len(out.Records) > 0 {
			more = true
			break
		}
		size += sz
		out.Records = append(out.Records, r.wire(st.tid, seq, region))
		next = seq + 1
	}
	err = it.Err()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("streams: reading records: %w", err)
	}
	if st.open || more {
		n := iterator{arn: pos.arn, tid: pos.tid, stream: pos.stream, seq: next, issued: now.UnixMilli()}
		out.NextShardIterator = ptr(n.String())
	}
	return out, nil
}

// wire renders the record with sequence number seq of table tid as the
// Streams API shows it to a caller in region.
func (r *record) wire(tid, seq uint64, region string) wire.Record {
	created := float64(r.created / 1000) // rounded down to the second
	size := r.sizeBytes()
	out := wire.Record{
		EventID:      ptr(eventID(tid, r.stream, seq)),
		EventName:    ptr(eventNames[r.event]),
		EventVersion: ptr("1.1"),
		EventSource:  ptr("aws:dynamodb"),
		AwsRegion:    ptr(region),
		Dynamodb: &wire.StreamRecord{
			ApproximateCreationDateTime: &created,
			Keys:                        r.keys,
			NewImage:                    r.new,
			OldImage:                    r.old,
			SequenceNumber:              ptr(FormatSequence(seq)),
			SizeBytes:                   &size,
			StreamViewType:              ptr(viewNames[r.view]),
		},
	}
	if r.byService {
		out.UserIdentity = serviceIdentity()
	}
	return out
}

// eventID is a record's eventID: a UUID-shaped name derived from the
// record's identity, so that every read of a record shows the same one.
func eventID(tid, stream, seq uint64) string {
	h := fnv.New128a()
	var b [24]byte
	binary.BigEndian.PutUint64(b[0:], tid)
	binary.BigEndian.PutUint64(b[8:], stream)
	binary.BigEndian.PutUint64(b[16:], seq)
	h.Write(b[:])
	u := h.Sum(nil)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
