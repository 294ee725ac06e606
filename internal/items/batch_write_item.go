package items

import (
	"context"
	"slices"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/protocol"
)

// maxBatchWriteRequests is the most Put/Delete requests one BatchWriteItem
// may carry, over all tables (limits.md §8). With items of at most 400 KB the
// 16 MB request limit cannot be reached by 25 requests, so it needs no check
// of its own.
const maxBatchWriteRequests = 25

// BatchWriteItem puts or deletes up to 25 items in one or more tables. Every
// request is validated before anything is written (prepare, then execute);
// the writes then run through the single write path's steps (writeMany),
// so counters and consumed capacity are the same as for PutItem and
// DeleteItem, in one storage commit: one lock round and one sync on disk
// for the whole batch. DynamoDB does not promise atomicity here; Petrel's
// batch happens to be atomic. UnprocessedItems is always the empty map:
// every write is either done or the call fails.
func (s *Service) BatchWriteItem(ctx context.Context, in *protocol.BatchWriteItemInput) (*protocol.BatchWriteItemOutput, error) {
	reqs, err := s.prepareBatchWrite(ctx, in)
	if err != nil {
		return nil, err
	}
	results, refused, err := s.writeMany(ctx, reqs)
	if err != nil {
		return nil, err
	}
	for _, e := range refused {
		if e != nil {
			return nil, e
		}
	}
	units := make(map[string]float64)
	var order []string
	for i, res := range results {
		name := reqs[i].table.Name
		if _, ok := units[name]; !ok {
			order = append(order, name)
		}
		units[name] += writeUnits(max(res.oldSize, res.newSize))
	}
	out := &protocol.BatchWriteItemOutput{UnprocessedItems: map[string][]protocol.WriteRequest{}}
	for _, name := range order {
		if cc := consumedCapacity(in.ReturnConsumedCapacity, name, units[name]); cc != nil {
			out.ConsumedCapacity = append(out.ConsumedCapacity, *cc)
		}
	}
	// ItemCollectionMetrics exist only for tables with local secondary
	// indexes. TODO(#4): report them once LSIs exist.
	return out, nil
}

// prepareBatchWrite validates the whole request (errors.md L1-L6, and every
// item as PutItem/DeleteItem would) and returns the writes in table-name,
// then request order.
func (s *Service) prepareBatchWrite(ctx context.Context, in *protocol.BatchWriteItemInput) ([]writeReq, error) {
	if len(in.RequestItems) == 0 {
		return nil, apierr.Validation(msgBatchWriteEmpty)
	}
	n := 0
	for _, list := range in.RequestItems {
		n += len(list)
	}
	if n > maxBatchWriteRequests {
		return nil, apierr.Validation(msgBatchWriteTooMny)
	}
	names := make([]string, 0, len(in.RequestItems))
	for name := range in.RequestItems {
		names = append(names, name)
	}
	slices.Sort(names)
	seen := make(map[string]struct{}, n)
	reqs := make([]writeReq, 0, n)
	for _, name := range names {
		list := in.RequestItems[name]
		t, err := s.table(ctx, &name)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, apierr.Validationf(msgBatchWriteNoReqs, name)
		}
		for _, wr := range list {
			if (wr.PutRequest == nil) == (wr.DeleteRequest == nil) {
				return nil, apierr.Validation(msgBatchWriteShape)
			}
			var (
				k      itemKey
				mutate mutation
			)
			if wr.PutRequest != nil {
				item := wr.PutRequest.Item
				if item == nil {
					return nil, apierr.Validation("Item to put in PutItem cannot be null")
				}
				if k, err = keyFromItem(t, item); err != nil {
					return nil, err
				}
				if err := attr.ValidateItem(item); err != nil {
					return nil, err
				}
				if attr.ItemSize(item) > attr.MaxItemSize {
					return nil, apierr.Validation("Item size has exceeded the maximum allowed size")
				}
				mutate = func(attr.Item) (attr.Item, error) { return item, nil }
			} else {
				if k, err = keyFromKey(t, wr.DeleteRequest.Key); err != nil {
					return nil, err
				}
				mutate = func(attr.Item) (attr.Item, error) { return nil, nil }
			}
			if _, dup := seen[string(k.storage)]; dup {
				return nil, apierr.Validation(msgBatchDuplicate)
			}
			seen[string(k.storage)] = struct{}{}
			reqs = append(reqs, writeReq{table: t, key: &k, mutate: mutate})
		}
	}
	return reqs, nil
}
