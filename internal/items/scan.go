package items

import (
	"context"
	"strconv"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/protocol"
)

// Scan returns one page of a table's items (or of one parallel-scan
// segment), filtered and projected (behaviours.md §7, §8). Items come in
// storage order: by partition hash, then sort key. Each page reads from its
// own storage snapshot and resumes after the re-encoded ExclusiveStartKey.
func (s *Service) Scan(ctx context.Context, in *protocol.ScanInput) (*protocol.ScanOutput, error) {
	q, err := s.prepareScan(ctx, in)
	if err != nil {
		return nil, err
	}
	o, err := s.readPrepared(q, in.ReturnConsumedCapacity, in.ConsistentRead)
	if err != nil {
		return nil, err
	}
	return &protocol.ScanOutput{Items: o.items, Count: o.count, ScannedCount: o.scanned,
		LastEvaluatedKey: o.lastEvaluatedKey, ConsumedCapacity: o.capacity}, nil
}

// prepareScan validates the whole request in DynamoDB's order and computes
// the storage range of the page.
func (s *Service) prepareScan(ctx context.Context, in *protocol.ScanInput) (*preparedQuery, error) {
	var p params
	p.expr("FilterExpression", in.FilterExpression != nil)
	p.expr("ProjectionExpression", in.ProjectionExpression != nil)
	p.old("ScanFilter", in.ScanFilter != nil)
	p.old("AttributesToGet", in.AttributesToGet != nil)
	p.old("ConditionalOperator", in.ConditionalOperator != nil)
	if err := p.check(); err != nil {
		return nil, err
	}
	if err := checkPlaceholderMaps(in.ExpressionAttributeNames, in.ExpressionAttributeValues,
		in.FilterExpression != nil || in.ProjectionExpression != nil, in.FilterExpression != nil,
		"FilterExpression is null"); err != nil {
		return nil, err
	}
	seg, total, err := checkSegments(in.Segment, in.TotalSegments)
	if err != nil {
		return nil, err
	}
	sel, err := checkSelect(in.Select, in.IndexName != nil, in.ProjectionExpression != nil, in.AttributesToGet != nil)
	if err != nil {
		return nil, err
	}
	t, err := s.table(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	ix, err := resolveIndex(t, in.IndexName) // index_read.go
	if err != nil {
		return nil, err
	}
	ph := placeholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	filter, err := s.pageFilter(in.FilterExpression, in.ScanFilter, in.ConditionalOperator, ph)
	if err != nil {
		return nil, err
	}
	proj, err := s.pageProjection(in.ProjectionExpression, in.AttributesToGet, ph)
	if err != nil {
		return nil, err
	}
	if err := ph.CheckUnused(); err != nil {
		return nil, err
	}
	if sel, err = checkIndexRead(ix, in.Select != nil, sel, in.ConsistentRead, proj); err != nil {
		return nil, err
	}
	start, err := readStartKey(t, ix, in.ExclusiveStartKey)
	if err != nil {
		return nil, err
	}
	var lower, upper []byte
	if ix != nil {
		lower, upper = indexScanRange(t, ix, seg, total)
	} else {
		lower, upper = scanRange(t, seg, total)
	}
	if start != nil {
		if total > 0 && !inRange(start, lower, upper) {
			return nil, apierr.Validation(msgStartKeySegment)
		}
		lower, upper = resumeAfter(lower, upper, start, false)
	}
	return &preparedQuery{table: t, spec: pageSpec{
		lower: lower, upper: upper, limit: pageLimit(in.Limit),
		filter: filter, proj: proj, count: sel == selectCount,
		index: ix, fetch: needsFetch(ix, sel, proj, filter),
	}}, nil
}

// checkSegments validates the parallel-scan members (behaviours.md §8,
// errors.md K28/K29): both or neither, and Segment < TotalSegments, the
// latter reported in the model-validation format with the computed bound.
// total is 0 for a whole-table scan.
func checkSegments(segment, totalSegments *int32) (seg, total int, err error) {
	switch {
	case segment == nil && totalSegments == nil:
		return 0, 0, nil
	case totalSegments == nil:
		return 0, 0, apierr.Validation("If segment is specified, total segment must also be specified")
	case segment == nil:
		return 0, 0, apierr.Validation("If total segments is specified, a particular segment must also be specified for this request")
	}
	seg, total = int(*segment), int(*totalSegments)
	if seg >= total {
		return 0, 0, apierr.Validation("1 validation error detected: Value '" + strconv.Itoa(seg) +
			"' at 'segment' failed to satisfy constraint: Member must have value less than or equal to " + strconv.Itoa(total-1))
	}
	return seg, total, nil
}

// scanRange bounds the items of t a scan reads: the whole table, or segment
// seg of total. Segments split the 32-bit partition-hash space into total
// contiguous ranges, so they are disjoint and together cover the table, and
// a partition never straddles two segments.
func scanRange(t *catalog.Table, seg, total int) (lower, upper []byte) {
	if total == 0 {
		return keyspace.Items(t.ID)
	}
	return keyspace.Segment(t.ID, seg, total)
}
