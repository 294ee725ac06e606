package items

import (
	"context"
	"fmt"
	"slices"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/protocol"
)

// BatchGetItem limits (limits.md §7).
const (
	maxBatchGetKeys = 100
	// maxBatchGetBytes is the most item data one response carries; the
	// keys that do not fit come back in UnprocessedKeys.
	maxBatchGetBytes = 16 << 20
)

// Messages of errors.md L.
const (
	msgBatchGetEmpty    = "BatchGetItem must have some requests set"
	msgBatchGetTooMany  = "Too many items requested for the BatchGetItem call"
	msgBatchGetNoKeys   = "The list of keys in RequestItems for BatchGetItem is required: %s has empty list"
	msgBatchDuplicate   = "Provided list of item keys contains duplicates"
	msgBatchWriteEmpty  = "BatchWriteItem cannot have a null or no requests set"
	msgBatchWriteTooMny = "Too many items requested for the BatchWriteItem call"
	msgBatchWriteNoReqs = "The batch write request list for a table cannot be null or empty: %s"
	msgBatchWriteShape  = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
)

// batchGetTable is one validated table entry of a BatchGetItem.
type batchGetTable struct {
	name       string // as the request named it
	table      *catalog.Table
	req        protocol.KeysAndAttributes
	keys       []itemKey
	proj       *expr.Projection
	consistent bool
}

// BatchGetItem reads up to 100 items by primary key from one or more
// tables, from one storage snapshot. Keys whose items would take the
// response past 16 MB are returned in UnprocessedKeys, with the table's
// projection and consistency settings, for the client to retry.
func (s *Service) BatchGetItem(ctx context.Context, in *protocol.BatchGetItemInput) (*protocol.BatchGetItemOutput, error) {
	tables, err := s.prepareBatchGet(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &protocol.BatchGetItemOutput{
		Responses:       make(map[string][]attr.Item, len(tables)),
		UnprocessedKeys: map[string]protocol.KeysAndAttributes{},
	}
	snap := s.eng.NewSnapshot()
	defer snap.Close()
	total := 0
	full := false
	for _, bt := range tables {
		items := []attr.Item{}
		units := 0.0
		for i := range bt.keys {
			if full {
				addUnprocessedKey(out.UnprocessedKeys, bt, i)
				continue
			}
			raw, ok, err := snap.Get(bt.keys[i].storage)
			if err != nil {
				return nil, fmt.Errorf("items: BatchGetItem: %w", err)
			}
			if !ok {
				units += readUnits(0, bt.consistent)
				continue
			}
			item, err := attr.DecodeItem(raw)
			if err != nil {
				return nil, fmt.Errorf("items: BatchGetItem: decoding stored item: %w", err)
			}
			size := attr.ItemSize(item)
			if total+size > maxBatchGetBytes {
				full = true
				addUnprocessedKey(out.UnprocessedKeys, bt, i)
				continue
			}
			total += size
			units += readUnits(size, bt.consistent)
			if bt.proj != nil {
				item = bt.proj.Apply(item)
			}
			items = append(items, item)
		}
		out.Responses[bt.table.Name] = items
		if cc := consumedCapacity(in.ReturnConsumedCapacity, bt.table.Name, units); cc != nil {
			out.ConsumedCapacity = append(out.ConsumedCapacity, *cc)
		}
	}
	return out, nil
}

// addUnprocessedKey returns key i of bt to the client, with the table
// entry's other members as the request gave them.
func addUnprocessedKey(m map[string]protocol.KeysAndAttributes, bt *batchGetTable, i int) {
	ka, ok := m[bt.name]
	if !ok {
		ka = bt.req
		ka.Keys = nil
	}
	ka.Keys = append(ka.Keys, bt.req.Keys[i])
	m[bt.name] = ka
}

// prepareBatchGet validates the whole request before reading anything and
// returns its tables in name order.
func (s *Service) prepareBatchGet(ctx context.Context, in *protocol.BatchGetItemInput) ([]*batchGetTable, error) {
	if len(in.RequestItems) == 0 {
		return nil, apierr.Validation(msgBatchGetEmpty)
	}
	n := 0
	for _, ka := range in.RequestItems {
		n += len(ka.Keys)
	}
	if n > maxBatchGetKeys {
		return nil, apierr.Validation(msgBatchGetTooMany)
	}
	names := make([]string, 0, len(in.RequestItems))
	for name := range in.RequestItems {
		names = append(names, name)
	}
	slices.Sort(names)
	seen := make(map[string]struct{}, n)
	tables := make([]*batchGetTable, 0, len(names))
	for _, name := range names {
		ka := in.RequestItems[name]
		bt, err := s.prepareBatchGetTable(ctx, name, ka, seen)
		if err != nil {
			return nil, err
		}
		tables = append(tables, bt)
	}
	return tables, nil
}

// prepareBatchGetTable validates one table entry; seen collects the storage
// keys of the whole request to reject duplicates (errors.md L10).
func (s *Service) prepareBatchGetTable(ctx context.Context, name string, ka protocol.KeysAndAttributes, seen map[string]struct{}) (*batchGetTable, error) {
	var p params
	p.expr("ProjectionExpression", ka.ProjectionExpression != nil)
	p.old("AttributesToGet", ka.AttributesToGet != nil)
	if err := p.check(); err != nil {
		return nil, err
	}
	if err := checkPlaceholderMaps(ka.ExpressionAttributeNames, nil, ka.ProjectionExpression != nil, false, ""); err != nil {
		return nil, err
	}
	t, err := s.table(ctx, &name)
	if err != nil {
		return nil, err
	}
	if len(ka.Keys) == 0 {
		return nil, apierr.Validationf(msgBatchGetNoKeys, name)
	}
	bt := &batchGetTable{name: name, table: t, req: ka, consistent: ka.ConsistentRead != nil && *ka.ConsistentRead}
	switch {
	case ka.ProjectionExpression != nil:
		ph := expr.NewPlaceholders(ka.ExpressionAttributeNames, nil)
		if bt.proj, err = s.exprs.ParseProjection(*ka.ProjectionExpression, ph); err != nil {
			return nil, err
		}
		if err := ph.CheckUnused(); err != nil {
			return nil, err
		}
	case ka.AttributesToGet != nil:
		if bt.proj, err = expr.FromAttributesToGet(ka.AttributesToGet); err != nil {
			return nil, err
		}
	}
	bt.keys = make([]itemKey, len(ka.Keys))
	for i, key := range ka.Keys {
		k, err := keyFromKey(t, key)
		if err != nil {
			return nil, err
		}
		if _, dup := seen[string(k.storage)]; dup {
			return nil, apierr.Validation(msgBatchDuplicate)
		}
		seen[string(k.storage)] = struct{}{}
		bt.keys[i] = k
	}
	return bt, nil
}
