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
	out := &protocol.BatchWriteItemOutput{
		UnprocessedItems: map[string][]protocol.WriteRequest{},
		ConsumedCapacity: writesCapacity(in.ReturnConsumedCapacity, reqs, results, 1),
	}
	if out.ItemCollectionMetrics, err = s.writesCollectionMetrics(in.ReturnItemCollectionMetrics, reqs); err != nil {
		return nil, err
	}
	return out, nil
}

// writesCapacity is the ConsumedCapacity list of several writes
// (BatchWriteItem, TransactWriteItems): one entry per table in order of
// first use, each the sum of writeCapacity over the table's writes, so
// that INDEXES reports the Table, GlobalSecondaryIndexes and
// LocalSecondaryIndexes parts as PutItem does (behaviours.md §6), with
// every unit multiplied by factor (2 for transactions, limits.md §12).
func writesCapacity(mode *string, ws []writeReq, res []writeResult, factor float64) []protocol.ConsumedCapacity {
	if mode == nil || (*mode != rccTotal && *mode != rccIndexes) {
		return nil
	}
	var out []protocol.ConsumedCapacity
	for i := range ws {
		t := ws[i].table
		cc := writeCapacity(mode, t, res[i].old, res[i].new, writeUnits(max(res[i].oldSize, res[i].newSize)))
		j := slices.IndexFunc(out, func(c protocol.ConsumedCapacity) bool { return *c.TableName == t.Name })
		if j < 0 {
			zero, name := 0.0, t.Name
			out = append(out, protocol.ConsumedCapacity{TableName: &name, CapacityUnits: &zero})
			if *mode == rccIndexes {
				tz := 0.0
				out[len(out)-1].Table = &protocol.Capacity{CapacityUnits: &tz}
			}
			j = len(out) - 1
		}
		sum := &out[j]
		*sum.CapacityUnits += factor * *cc.CapacityUnits
		if cc.Table != nil {
			*sum.Table.CapacityUnits += factor * *cc.Table.CapacityUnits
		}
		sum.GlobalSecondaryIndexes = addCapacities(sum.GlobalSecondaryIndexes, cc.GlobalSecondaryIndexes, factor)
		sum.LocalSecondaryIndexes = addCapacities(sum.LocalSecondaryIndexes, cc.LocalSecondaryIndexes, factor)
	}
	return out
}

// addCapacities adds factor times every entry of add to sum (allocated
// when needed) and returns sum.
func addCapacities(sum, add map[string]protocol.Capacity, factor float64) map[string]protocol.Capacity {
	for name, c := range add {
		if sum == nil {
			sum = make(map[string]protocol.Capacity)
		}
		u := factor * *c.CapacityUnits
		if prev, ok := sum[name]; ok {
			u += *prev.CapacityUnits
		}
		sum[name] = protocol.Capacity{CapacityUnits: &u}
	}
	return sum
}

// writesCollectionMetrics is the ItemCollectionMetrics member of several
// writes (BatchWriteItem, TransactWriteItems) when asked (SIZE): for each
// table with local secondary indexes, one entry per item collection
// written, one per write ("information about any item collections that
// were affected by individual DeleteItem or PutItem operations", API
// Reference), in request order; nil when there is none.
func (s *Service) writesCollectionMetrics(mode *string, ws []writeReq) (map[string][]protocol.ItemCollectionMetrics, error) {
	var out map[string][]protocol.ItemCollectionMetrics
	for i := range ws {
		icm, err := s.itemCollectionMetrics(mode, ws[i].table, ws[i].key)
		if err != nil {
			return nil, err
		}
		if icm == nil {
			continue
		}
		if out == nil {
			out = make(map[string][]protocol.ItemCollectionMetrics)
		}
		out[ws[i].table.Name] = append(out[ws[i].table.Name], *icm)
	}
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
