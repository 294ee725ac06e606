package items

import (
	"context"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/protocol"
)

// DeleteItem deletes one item by primary key, optionally only if a
// condition holds on it. Deleting a missing item succeeds (and still costs
// one write unit).
func (s *Service) DeleteItem(ctx context.Context, in *protocol.DeleteItemInput) (*protocol.DeleteItemOutput, error) {
	w, rv, err := s.prepareDelete(ctx, in)
	if err != nil {
		return nil, err
	}
	o, err := s.writeItem(ctx, &w, rv, nil, in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics)
	if err != nil {
		return nil, err
	}
	return &protocol.DeleteItemOutput{Attributes: o.attributes, ConsumedCapacity: o.capacity, ItemCollectionMetrics: o.metrics}, nil
}

// prepareDelete validates the whole request in DynamoDB's order and returns
// the write to execute and the ReturnValues.
func (s *Service) prepareDelete(ctx context.Context, in *protocol.DeleteItemInput) (writeReq, string, error) {
	rv, err := conditionalWriteParams(in.ConditionExpression, in.Expected != nil, in.ConditionalOperator,
		in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ReturnValues)
	if err != nil {
		return writeReq{}, "", err
	}
	t, err := s.table(ctx, in.TableName)
	if err != nil {
		return writeReq{}, "", err
	}
	k, err := keyFromKey(t, in.Key)
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
	return writeReq{
		table:        t,
		key:          &k,
		cond:         cond,
		oldOnFailure: allOldOnFailure(in.ReturnValuesOnConditionCheckFailure),
		mutate:       func(attr.Item) (attr.Item, error) { return nil, nil },
	}, rv, nil
}
