package items

import (
	"context"
	"fmt"
	"strconv"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/protocol"
)

// msgTxGetPayload is DynamoDB Local's answer to a TransactGetItems whose
// items total more than 4 MB, followed by the size (errors.md M29; AWS
// documents the limit, not the text).
const msgTxGetPayload = "Payload in response is too large."

// transactGet is one validated Get action.
type transactGet struct {
	table *catalog.Table
	key   itemKey
	proj  *expr.Projection // nil: the whole item
}

// TransactGetItems reads up to 100 items by primary key, from one or more
// tables, as one consistent snapshot: every item is read from the same
// storage snapshot, and a write transaction commits as one atomic batch, so
// the response sees each transaction entirely or not at all. The Get
// actions are validated as GetItem requests first, and no item may be
// named twice (errors.md M1). Responses has one entry per Get in request
// order: {} for a missing item, else {"Item": the (projected) item}.
//
// Reading a snapshot takes no lock, so a TransactGetItems never conflicts
// with writes (DynamoDB may cancel it with TransactionConflict reasons).
func (s *Service) TransactGetItems(ctx context.Context, in *protocol.TransactGetItemsInput) (*protocol.TransactGetItemsOutput, error) {
	gets, err := s.prepareTransactGet(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &protocol.TransactGetItemsOutput{Responses: make([]protocol.ItemResponse, len(gets))}
	units := make([]float64, len(gets))
	tables := make([]*catalog.Table, len(gets))
	total := 0
	snap := s.eng.NewSnapshot()
	defer snap.Close()
	for i := range gets {
		g := &gets[i]
		tables[i] = g.table
		raw, ok, err := snap.Get(g.key.storage)
		if err != nil {
			return nil, fmt.Errorf("items: TransactGetItems: %w", err)
		}
		if !ok {
			units[i] = transactUnitFactor * readUnits(0, true)
			continue
		}
		item, err := attr.DecodeItem(raw)
		if err != nil {
			return nil, fmt.Errorf("items: TransactGetItems: decoding stored item: %w", err)
		}
		size := attr.ItemSize(item)
		total += size
		units[i] = transactUnitFactor * readUnits(size, true)
		if g.proj != nil {
			item = g.proj.Apply(item)
		}
		out.Responses[i].Item = item
	}
	if total > maxTransactionBytes {
		return nil, apierr.Validation(msgTxGetPayload + strconv.Itoa(total))
	}
	out.ConsumedCapacity = tableCapacity(in.ReturnConsumedCapacity, tables, units)
	return out, nil
}

// prepareTransactGet validates every Get, in request order, as the
// matching GetItem request, and rejects two Gets of one item.
func (s *Service) prepareTransactGet(ctx context.Context, in *protocol.TransactGetItemsInput) ([]transactGet, error) {
	gets := make([]transactGet, len(in.TransactItems))
	seen := make(map[string]struct{}, len(in.TransactItems))
	for i := range in.TransactItems {
		g := in.TransactItems[i].Get
		if g == nil { // Validate rejects it; callers that skip Validate get the same answer
			return nil, apierr.Validationf("1 validation error detected: Value null at 'transactItems.%d.member.get' failed to satisfy constraint: Member must not be null", i+1)
		}
		t, k, proj, err := s.prepareGet(ctx, &protocol.GetItemInput{
			TableName: g.TableName, Key: g.Key, ProjectionExpression: g.ProjectionExpression,
			ExpressionAttributeNames: g.ExpressionAttributeNames,
		})
		if err != nil {
			return nil, err
		}
		if _, dup := seen[string(k.storage)]; dup {
			return nil, apierr.Validation(msgTxSameItem)
		}
		seen[string(k.storage)] = struct{}{}
		gets[i] = transactGet{table: t, key: k, proj: proj}
	}
	return gets, nil
}
