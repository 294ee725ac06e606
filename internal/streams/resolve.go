package streams

import (
	"context"
	"fmt"
	"net/http"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	wire "github.com/petreldb/petrel/internal/protocol/streams"
)

// The Streams API's messages (errors.md section O).
const (
	msgShardMissing     = "Shard does not exist"
	msgSeqMissing       = "One or more parameter values were invalid: Invalid SequenceNumber"
	msgSeqNotAllowed    = "One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type"
	msgBadIterator      = "Invalid ShardIterator"
	msgRecordsLimit     = "One or more parameter values were invalid: Limit should be less than or equal to 1000"
	msgListLimit        = "One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100"
	msgDescribeLimit    = "One or more parameter values were invalid: Limit cannot be greater than the maximum: 100"
	msgExpiredIterator  = "The provided iterator exceeds the maximum age allowed."
	msgTrimmed          = "The data you are trying to access has been trimmed."
	msgTimestampMissing = "One or more parameter values were invalid: Timestamp must be provided for AT_TIMESTAMP iterator type" // not documented
	msgTimestampNotHere = "One or more parameter values were invalid: Timestamp should not be passed for this iterator type"     // not documented
	msgTimestampFuture  = "One or more parameter values were invalid: Timestamp cannot be in the future"                         // not documented
)

func streamNotFound(arn string) error {
	return apierr.ResourceNotFound("Requested resource not found: Stream: " + arn + " not found")
}

func expiredIterator() error {
	return apierr.New("ExpiredIteratorException", http.StatusBadRequest, msgExpiredIterator)
}

func trimmed() error {
	return apierr.New("TrimmedDataAccessException", http.StatusBadRequest, msgTrimmed)
}

// stream is one resolved stream: of a table, or retired with its deleted
// table (catalog.RetiredStream).
type stream struct {
	tid   uint64 // the table's id
	table string // the table's name
	keys  []catalog.KeyElement
	info  catalog.StreamInfo
	id    uint64
	arn   string
	open  bool   // the table's enabled stream (its shard is open)
	start uint64 // the shard's first sequence number
	next  uint64 // the table's next sequence number
}

// resolve finds the caller's stream arn, still readable, after sequencing
// the table's pending records (so that every acknowledged write is
// readable): a stream of the table of that name, or else one retired with
// a deleted table of that name.
func (s *Service) resolve(ctx context.Context, arn string) (*stream, error) {
	name, label, ok := parseStreamARN(arn)
	if !ok {
		return nil, streamNotFound(arn)
	}
	ns := caller.From(ctx).Namespace
	now := s.now()
	var st *stream
	if t, err := s.cat.Get(ns, name); err == nil {
		for _, info := range History(t) {
			if info.Label == label && live(info, now) {
				st = &stream{tid: t.ID, table: t.Name, keys: t.KeySchema, info: info, open: t.Stream != nil && t.StreamLabel == label}
				break
			}
		}
	}
	if st == nil {
		r, ok, err := s.cat.RetiredStream(ns, name, label)
		if err != nil {
			return nil, err
		}
		info := retiredInfo(r)
		if !ok || !live(info, now) {
			return nil, streamNotFound(arn)
		}
		st = &stream{tid: r.TableID, table: r.Table, keys: r.KeySchema, info: info}
	}
	var err error
	if st.id, err = StreamID(label); err != nil {
		return nil, err
	}
	st.arn = arn
	if err := s.sequence(ctx, st.tid); err != nil {
		return nil, err
	}
	if st.next, err = NextSequence(s.eng, st.tid); err != nil {
		return nil, err
	}
	st.start = st.next // until its first record
	b, ok, err := s.eng.Get(keyspace.StreamStart(st.tid, st.id))
	if err != nil {
		return nil, fmt.Errorf("streams: reading a stream start: %w", err)
	}
	if ok && len(b) == 8 {
		st.start = beUint64(b)
	}
	return st, nil
}

// retiredInfo is the stream info of a retired stream: disabled when its
// table was deleted, if not before.
func retiredInfo(r catalog.RetiredStream) catalog.StreamInfo {
	return catalog.StreamInfo{Label: r.Label, ViewType: r.ViewType, Disabled: r.Disabled}
}

// shard describes the stream's one shard: open while the stream is
// enabled, closed (with an EndingSequenceNumber, its last record's) once
// disabled.
func (s *Service) shard(st *stream) (wire.Shard, error) {
	sh := wire.Shard{
		ShardId:             ptr(shardID(st.tid, st.id)),
		SequenceNumberRange: &wire.SequenceNumberRange{StartingSequenceNumber: ptr(FormatSequence(st.start))},
	}
	if st.open {
		return sh, nil
	}
	end := st.start
	lower, upper := keyspace.StreamRecords(st.tid, st.id, 0, 0)
	it := s.eng.Iter(lower, upper, true)
	if it.Next() {
		if seq, ok := keyspace.ParseStreamRecord(it.Key()); ok && seq > end {
			end = seq
		}
	}
	err := it.Err()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return sh, fmt.Errorf("streams: reading the shard's end: %w", err)
	}
	sh.SequenceNumberRange.EndingSequenceNumber = ptr(FormatSequence(end))
	return sh, nil
}

// keySchema is a table's key schema in the Streams API's shape.
func keySchema(ks []catalog.KeyElement) []wire.KeySchemaElement {
	out := make([]wire.KeySchemaElement, 0, len(ks))
	for _, k := range ks {
		out = append(out, wire.KeySchemaElement{AttributeName: ptr(k.AttributeName), KeyType: ptr(k.KeyType)})
	}
	return out
}
