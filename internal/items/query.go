package items

import (
	"context"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/protocol"
)

// Query returns one page of the items of one partition whose sort key
// satisfies the key condition, in sort-key order (descending with
// ScanIndexForward false), filtered and projected (behaviours.md §7).
func (s *Service) Query(ctx context.Context, in *protocol.QueryInput) (*protocol.QueryOutput, error) {
	q, err := s.prepareQuery(ctx, in)
	if err != nil {
		return nil, err
	}
	o, err := s.readPrepared(q, in.ReturnConsumedCapacity, in.ConsistentRead)
	if err != nil {
		return nil, err
	}
	return &protocol.QueryOutput{Items: o.items, Count: o.count, ScannedCount: o.scanned,
		LastEvaluatedKey: o.lastEvaluatedKey, ConsumedCapacity: o.capacity}, nil
}

// prepareQuery validates the whole request in DynamoDB's order
// (expressions.md §9) and computes the storage range to read.
func (s *Service) prepareQuery(ctx context.Context, in *protocol.QueryInput) (*preparedQuery, error) {
	var p params
	p.expr("KeyConditionExpression", in.KeyConditionExpression != nil)
	p.expr("FilterExpression", in.FilterExpression != nil)
	p.expr("ProjectionExpression", in.ProjectionExpression != nil)
	p.old("KeyConditions", in.KeyConditions != nil)
	p.old("QueryFilter", in.QueryFilter != nil)
	p.old("AttributesToGet", in.AttributesToGet != nil)
	p.old("ConditionalOperator", in.ConditionalOperator != nil)
	if err := p.check(); err != nil {
		return nil, err
	}
	valuesUsable := in.KeyConditionExpression != nil || in.FilterExpression != nil
	if err := checkPlaceholderMaps(in.ExpressionAttributeNames, in.ExpressionAttributeValues,
		valuesUsable || in.ProjectionExpression != nil, valuesUsable,
		"KeyConditionExpression and FilterExpression are null"); err != nil {
		return nil, err
	}
	sel, err := checkSelect(in.Select, in.IndexName != nil, in.ProjectionExpression != nil, in.AttributesToGet != nil)
	if err != nil {
		return nil, err
	}
	if in.KeyConditionExpression == nil && in.KeyConditions == nil {
		return nil, apierr.Validation(msgNoKeyCondition)
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
	schema := tableKeySchema(t)
	if ix != nil {
		schema = indexKeySchema(t, ix)
	}
	kc, err := s.prepareKeyCondition(schema, in.KeyConditionExpression, in.KeyConditions, ph)
	if err != nil {
		return nil, err
	}
	filter, err := s.pageFilter(in.FilterExpression, in.QueryFilter, in.ConditionalOperator, ph)
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
	k := filterKeyAttribute(filter, t)
	if ix != nil {
		k = indexFilterKey(filter, ix)
	}
	if k != "" {
		if in.FilterExpression == nil {
			return nil, apierr.Validation("QueryFilter can only contain non-primary key attributes: Primary key attribute: " + k)
		}
		return nil, apierr.Validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: " + k)
	}
	start, err := readStartKey(t, ix, in.ExclusiveStartKey)
	if err != nil {
		return nil, err
	}
	var lower, upper []byte
	if ix != nil {
		lower, upper = rangeIn(indexPartition(t, ix, kc), kc)
	} else {
		lower, upper = keyRange(t.ID, kc)
	}
	reverse := in.ScanIndexForward != nil && !*in.ScanIndexForward
	if start != nil {
		if !inRange(start, lower, upper) {
			return nil, apierr.Validation(msgStartKeyRange)
		}
		lower, upper = resumeAfter(lower, upper, start, reverse)
	}
	return &preparedQuery{table: t, spec: pageSpec{
		lower: lower, upper: upper, limit: pageLimit(in.Limit), reverse: reverse,
		filter: filter, proj: proj, count: sel == selectCount,
		index: ix, fetch: needsFetch(ix, sel, proj, filter),
	}}, nil
}

// pageFilter returns the Query/Scan filter: the parsed FilterExpression,
// or the legacy QueryFilter/ScanFilter (with ConditionalOperator), or nil.
func (s *Service) pageFilter(fe *string, legacy map[string]protocol.Condition, condOp *string, ph *expr.Placeholders) (*expr.Condition, error) {
	if fe != nil {
		return s.exprs.ParseFilter(*fe, ph)
	}
	if len(legacy) > 0 {
		op := ""
		if condOp != nil {
			op = *condOp
		}
		return expr.FromFilter(legacyConditions(legacy), op)
	}
	return nil, nil
}

// pageProjection returns the parsed ProjectionExpression, or the legacy
// AttributesToGet as a projection, or nil for whole items.
func (s *Service) pageProjection(pe *string, attrsToGet []string, ph *expr.Placeholders) (*expr.Projection, error) {
	if pe != nil {
		return s.exprs.ParseProjection(*pe, ph)
	}
	if attrsToGet != nil {
		return expr.FromAttributesToGet(attrsToGet)
	}
	return nil, nil
}
