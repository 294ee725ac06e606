package streams

import (
	"context"
	"fmt"
	"math"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/keyspace"
	wire "github.com/petreldb/petrel/internal/protocol/streams"
)

// GetShardIterator returns an iterator positioned in a stream's shard:
// at its oldest untrimmed record (TRIM_HORIZON), after its newest
// (LATEST), at or after a sequence number, or at the first record created
// at or after a time (AT_TIMESTAMP). The iterator expires after 15 minutes.
func (s *Service) GetShardIterator(ctx context.Context, in *GetShardIteratorInput) (*wire.GetShardIteratorOutput, error) {
	typ := *in.ShardIteratorType
	switch typ {
	case wire.ShardIteratorTypeAtSequenceNumber, wire.ShardIteratorTypeAfterSequenceNumber:
		if in.SequenceNumber == nil {
			return nil, apierr.Validation(msgSeqMissing)
		}
	default:
		if in.SequenceNumber != nil {
			return nil, apierr.Validation(msgSeqNotAllowed)
		}
	}
	if typ == ShardIteratorTypeAtTimestamp && in.Timestamp == nil {
		return nil, apierr.Validation(msgTimestampMissing)
	}
	if typ != ShardIteratorTypeAtTimestamp && in.Timestamp != nil {
		return nil, apierr.Validation(msgTimestampNotHere)
	}
	var seq uint64
	if in.SequenceNumber != nil {
		var ok bool
		if seq, ok = parseSequence(*in.SequenceNumber); !ok {
			return nil, apierr.Validation(msgSeqMissing)
		}
	}
	now := s.now()
	if in.Timestamp != nil && (math.IsNaN(*in.Timestamp) || *in.Timestamp*1000 > float64(now.UnixMilli())) {
		return nil, apierr.Validation(msgTimestampFuture)
	}

	st, err := s.resolve(ctx, *in.StreamArn)
	if err != nil {
		return nil, err
	}
	if *in.ShardId != shardID(st.tid, st.id) {
		return nil, apierr.ResourceNotFound(msgShardMissing)
	}
	next := st.next
	trim, err := s.trimPoint(st.tid, st.id)
	if err != nil {
		return nil, err
	}
	first := max(st.start, trim+1)
	var pos uint64
	switch typ {
	case wire.ShardIteratorTypeTrimHorizon:
		pos = first
	case wire.ShardIteratorTypeLatest:
		pos = max(next, first)
	case wire.ShardIteratorTypeAtSequenceNumber, wire.ShardIteratorTypeAfterSequenceNumber:
		if seq < st.start || seq >= next {
			return nil, apierr.ResourceNotFound(msgShardMissing)
		}
		if seq <= trim {
			return nil, trimmed()
		}
		pos = seq
		if typ == wire.ShardIteratorTypeAfterSequenceNumber {
			pos++
		}
	case ShardIteratorTypeAtTimestamp:
		if pos, err = s.seekTime(st, first, next, int64(*in.Timestamp*1000)); err != nil {
			return nil, err
		}
	}
	it := iterator{arn: st.arn, tid: st.tid, stream: st.id, seq: pos, issued: now.UnixMilli()}
	return &wire.GetShardIteratorOutput{ShardIterator: ptr(it.String())}, nil
}

// seekTime returns the sequence number of the first record of st from
// first on created at or after ms (Unix milliseconds), or next if none.
// Record times do not decrease along the shard, so this is the first
// record at or after the time; it reads the records before it.
func (s *Service) seekTime(st *stream, first, next uint64, ms int64) (uint64, error) {
	lower, upper := keyspace.StreamRecords(st.tid, st.id, first, 0)
	it := s.eng.Iter(lower, upper, false)
	pos := next
	for it.Next() {
		if recordCreated(it.Value()) >= ms {
			pos, _ = keyspace.ParseStreamRecord(it.Key())
			break
		}
	}
	err := it.Err()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("streams: seeking a time: %w", err)
	}
	return pos, nil
}
