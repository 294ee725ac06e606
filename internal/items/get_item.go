package items

import (
	"context"
	"fmt"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/protocol"
)

// GetItem returns the item with the given primary key, or no Item member if
// there is none.
//
// Every read is served from the latest committed state, so an eventually
// consistent read is also strongly consistent; ConsistentRead only changes
// the capacity charged (behaviours.md §6).
func (s *Service) GetItem(ctx context.Context, in *protocol.GetItemInput) (*protocol.GetItemOutput, error) {
	t, k, proj, err := s.prepareGet(ctx, in)
	if err != nil {
		return nil, err
	}
	raw, ok, err := s.eng.Get(k.storage)
	if err != nil {
		return nil, fmt.Errorf("items: GetItem: %w", err)
	}
	out := &protocol.GetItemOutput{}
	size := 0
	if ok {
		item, err := attr.DecodeItem(raw)
		if err != nil {
			return nil, fmt.Errorf("items: GetItem: decoding stored item: %w", err)
		}
		if in.ReturnConsumedCapacity != nil {
			size = attr.ItemSize(item)
		}
		if proj != nil {
			item = proj.Apply(item)
		}
		out.Item = item
	}
	consistent := in.ConsistentRead != nil && *in.ConsistentRead
	out.ConsumedCapacity = consumedCapacity(in.ReturnConsumedCapacity, t.Name, readUnits(size, consistent))
	return out, nil
}

// prepareGet validates the request in DynamoDB's order and returns the
// table, the key and the projection (nil: the whole item).
func (s *Service) prepareGet(ctx context.Context, in *protocol.GetItemInput) (*catalog.Table, itemKey, *expr.Projection, error) {
	var p params
	p.expr("ProjectionExpression", in.ProjectionExpression != nil)
	p.old("AttributesToGet", in.AttributesToGet != nil)
	if err := p.check(); err != nil {
		return nil, itemKey{}, nil, err
	}
	if err := checkPlaceholderMaps(in.ExpressionAttributeNames, nil, in.ProjectionExpression != nil, false, ""); err != nil {
		return nil, itemKey{}, nil, err
	}
	t, err := s.table(ctx, in.TableName)
	if err != nil {
		return nil, itemKey{}, nil, err
	}
	k, err := keyFromKey(t, in.Key)
	if err != nil {
		return nil, itemKey{}, nil, err
	}
	var proj *expr.Projection
	switch {
	case in.ProjectionExpression != nil:
		ph := expr.NewPlaceholders(in.ExpressionAttributeNames, nil)
		if proj, err = s.exprs.ParseProjection(*in.ProjectionExpression, ph); err == nil {
			err = ph.CheckUnused()
		}
	case in.AttributesToGet != nil:
		proj, err = legacyProjection(in.AttributesToGet)
	}
	if err != nil {
		return nil, itemKey{}, nil, err
	}
	return t, k, proj, nil
}
