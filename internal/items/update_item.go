package items

import (
	"context"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/index"
	"github.com/petreldb/petrel/internal/protocol"
)

// UpdateItem edits an item's attributes, creating the item (with its key
// attributes and whatever the update produces) if it does not exist,
// optionally only if a condition holds on the existing item.
func (s *Service) UpdateItem(ctx context.Context, in *protocol.UpdateItemInput) (*protocol.UpdateItemOutput, error) {
	w, rv, upd, err := s.prepareUpdate(ctx, in)
	if err != nil {
		return nil, err
	}
	o, err := s.writeItem(ctx, &w, rv, upd, in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics)
	if err != nil {
		return nil, err
	}
	return &protocol.UpdateItemOutput{Attributes: o.attributes, ConsumedCapacity: o.capacity, ItemCollectionMetrics: o.metrics}, nil
}

// prepareUpdate validates the whole request in DynamoDB's order
// (expressions.md §9: UpdateExpression is parsed before
// ConditionExpression) and returns the write, the ReturnValues and the
// parsed update (nil when the request has none).
func (s *Service) prepareUpdate(ctx context.Context, in *protocol.UpdateItemInput) (writeReq, string, *expr.Update, error) {
	var p params
	p.expr("UpdateExpression", in.UpdateExpression != nil)
	p.expr("ConditionExpression", in.ConditionExpression != nil)
	p.old("AttributeUpdates", in.AttributeUpdates != nil)
	p.old("Expected", in.Expected != nil)
	p.old("ConditionalOperator", in.ConditionalOperator != nil)
	if err := p.check(); err != nil {
		return writeReq{}, "", nil, err
	}
	anyExpr := in.UpdateExpression != nil || in.ConditionExpression != nil
	if err := checkPlaceholderMaps(in.ExpressionAttributeNames, in.ExpressionAttributeValues, anyExpr, anyExpr,
		"UpdateExpression and ConditionExpression are null"); err != nil {
		return writeReq{}, "", nil, err
	}
	rv, err := returnValues(in.ReturnValues, true)
	if err != nil {
		return writeReq{}, "", nil, err
	}
	t, err := s.table(ctx, in.TableName)
	if err != nil {
		return writeReq{}, "", nil, err
	}
	k, err := keyFromKey(t, in.Key)
	if err != nil {
		return writeReq{}, "", nil, err
	}
	ph := placeholders(in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	ph.DeferTypeChecks() // reported by CheckUnused, after unused placeholders
	var upd *expr.Update
	switch {
	case in.UpdateExpression != nil:
		upd, err = s.exprs.ParseUpdate(*in.UpdateExpression, ph)
	case len(in.AttributeUpdates) > 0:
		upd, err = legacyUpdate(in.AttributeUpdates)
	}
	if err != nil {
		return writeReq{}, "", nil, err
	}
	cond, err := s.prepareCondition(in.ConditionExpression, in.Expected, in.ConditionalOperator, ph)
	if err != nil {
		return writeReq{}, "", nil, err
	}
	if err := ph.CheckUnused(); err != nil {
		return writeReq{}, "", nil, err
	}
	// Updating a key attribute is reported only once the condition has
	// passed (a failed condition wins, expressions.md §9).
	var keyErr error
	if upd != nil {
		if k.hasRange {
			keyErr = upd.CheckKeys(k.hashName, k.rangeName)
		} else {
			keyErr = upd.CheckKeys(k.hashName)
		}
	}
	key := &k
	return writeReq{
		table:        t,
		key:          key,
		cond:         cond,
		oldOnFailure: allOldOnFailure(in.ReturnValuesOnConditionCheckFailure),
		mutate: func(old attr.Item) (attr.Item, error) {
			if keyErr != nil {
				return nil, keyErr
			}
			if old == nil {
				// UpdateItem creates a missing item from its key
				// (behaviours.md §4).
				old = key.attrs()
			}
			if upd == nil {
				return old, nil
			}
			nw, err := upd.Apply(old)
			if err != nil {
				return nil, err
			}
			if err := checkUpdatedSize(nw); err != nil {
				return nil, err
			}
			return nw, index.CheckUpdated(t, nw) // UpdateItem's index-key messages
		},
	}, rv, upd, nil
}

// checkUpdatedSize enforces the 400 KB limit on the result of an update,
// with UpdateItem's own message (errors.md F22).
func checkUpdatedSize(it attr.Item) error {
	if attr.ItemSize(it) > attr.MaxItemSize {
		return apierr.Validation("Item size to update has exceeded the maximum allowed size")
	}
	return nil
}
