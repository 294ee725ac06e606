package items

import (
	"context"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/index"
	"github.com/petreldb/petrel/internal/protocol"
)

// PutItem creates an item or replaces an existing one, optionally only if a
// condition holds on the existing item.
func (s *Service) PutItem(ctx context.Context, in *protocol.PutItemInput) (*protocol.PutItemOutput, error) {
	w, rv, err := s.preparePut(ctx, in)
	if err != nil {
		return nil, err
	}
	o, err := s.writeItem(ctx, &w, rv, nil, in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics)
	if err != nil {
		return nil, err
	}
	return &protocol.PutItemOutput{Attributes: o.attributes, ConsumedCapacity: o.capacity, ItemCollectionMetrics: o.metrics}, nil
}

// preparePut validates the whole request in DynamoDB's order
// (expressions.md §9) and returns the write to execute and the ReturnValues.
func (s *Service) preparePut(ctx context.Context, in *protocol.PutItemInput) (writeReq, string, error) {
	rv, err := conditionalWriteParams(in.ConditionExpression, in.Expected != nil, in.ConditionalOperator,
		in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ReturnValues)
	if err != nil {
		return writeReq{}, "", err
	}
	t, err := s.table(ctx, in.TableName)
	if err != nil {
		return writeReq{}, "", err
	}
	if in.Item == nil {
		return writeReq{}, "", apierr.Validation("Item to put in PutItem cannot be null")
	}
	k, err := keyFromItem(t, in.Item)
	if err != nil {
		return writeReq{}, "", err
	}
	ph := placeholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	ph.DeferTypeChecks() // reported by CheckUnused, after unused placeholders
	cond, err := s.prepareCondition(in.ConditionExpression, in.Expected, in.ConditionalOperator, ph)
	if err != nil {
		return writeReq{}, "", err
	}
	if err := ph.CheckUnused(); err != nil {
		return writeReq{}, "", err
	}
	if err := attr.ValidateItem(in.Item); err != nil {
		return writeReq{}, "", err
	}
	if attr.ItemSize(in.Item) > attr.MaxItemSize {
		return writeReq{}, "", apierr.Validation("Item size has exceeded the maximum allowed size")
	}
	if err := index.CheckItem(t, in.Item); err != nil { // index key types, empty values, sizes
		return writeReq{}, "", err
	}
	item := in.Item
	return writeReq{
		table:        t,
		key:          &k,
		cond:         cond,
		oldOnFailure: allOldOnFailure(in.ReturnValuesOnConditionCheckFailure),
		mutate:       func(attr.Item) (attr.Item, error) { return item, nil },
	}, rv, nil
}
