package items

import (
	"context"
	"fmt"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// mutation computes the new item from the old one (nil: no item) inside the
// write's lock. It must be a pure function of old so that a retried write
// computes the same result. Returning a nil item deletes the item.
type mutation func(old attr.Item) (attr.Item, error)

// writeReq is one prepared single-item write.
type writeReq struct {
	table *catalog.Table
	key   *itemKey
	// cond, if not nil, must hold on the old item or the write fails with
	// ConditionalCheckFailedException.
	cond *expr.Condition
	// oldOnFailure puts the old item into the ConditionalCheckFailedException
	// (ReturnValuesOnConditionCheckFailure ALL_OLD).
	oldOnFailure bool
	// mutate computes the new item; nil makes the write a check only
	// (TransactWriteItems ConditionCheck): the condition is evaluated and
	// nothing is written.
	mutate mutation
	// byService marks a deletion by the service itself (TTL expiry).
	byService bool
}

// writeResult is what a write saw and did.
type writeResult struct {
	old     attr.Item // nil when there was no item
	new     attr.Item // nil when the item was deleted (or never existed)
	oldSize int       // attr.ItemSize of old (0 if none)
	newSize int       // attr.ItemSize of new (0 if none)
}

// write is the single write path of every item write (PutItem, UpdateItem,
// DeleteItem; BatchWriteItem and transactions use writeMany, which runs the
// same decide and apply steps for several items in one commit): one storage
// Update locked on the item key that reads the old item, evaluates the
// condition, computes the new item, stores it with attr.AppendItem and
// maintains the table's item-count and size counters. Nothing is written
// when the condition fails, the mutation fails or the new item equals "no
// item" and there was none.
func (s *Service) write(ctx context.Context, w *writeReq) (writeResult, error) {
	// Counted as in flight on the table version current now, until the
	// commit has returned: an index backfill waits for the writes begun
	// before its index was in the catalog (catalog/writes.go).
	v := w.table.BeginWrite()
	defer v.EndWrite()
	var res writeResult
	err := s.eng.Update(ctx, [][]byte{w.key.storage}, func(tx storage.Txn) error {
		var err error
		if res, err = decide(tx, w); err != nil {
			return err
		}
		return apply(tx, w, &res)
	})
	return res, err
}

// decide is the read half of a write, run under the item's lock: it reads
// the old item, evaluates the condition and computes the new item, without
// writing anything. A failed condition is ConditionalCheckFailedException
// (with the old item when w.oldOnFailure); a failed mutation returns the
// mutation's error.
func decide(tx storage.Reader, w *writeReq) (writeResult, error) {
	var res writeResult
	raw, ok, err := tx.Get(w.key.storage)
	if err != nil {
		return res, fmt.Errorf("items: reading item: %w", err)
	}
	var old attr.Item
	if ok {
		if old, err = attr.DecodeItem(raw); err != nil {
			return res, fmt.Errorf("items: decoding stored item: %w", err)
		}
		res.old = old
		res.oldSize = attr.ItemSize(old)
	}
	if w.cond != nil {
		pass, err := w.cond.Eval(old)
		if err != nil {
			return res, err
		}
		if !pass {
			if w.oldOnFailure && old != nil {
				return res, apierr.ConditionalCheckFailed(old)
			}
			return res, apierr.ConditionalCheckFailed(nil)
		}
	}
	if w.mutate == nil { // a check only: the item stays as it is
		res.new, res.newSize = old, res.oldSize
		return res, nil
	}
	nw, err := w.mutate(old)
	if err != nil {
		return res, err
	}
	res.new = nw
	if nw != nil {
		res.newSize = attr.ItemSize(nw)
	}
	return res, nil
}

// apply is the write half of a write decided by decide: it stores or
// deletes the item, maintains the table counters and adds the item's
// effects (indexes, TTL, stream) to tx. A check-only write and a write
// with no item before or after change nothing.
func apply(tx storage.Txn, w *writeReq, res *writeResult) error {
	if w.mutate == nil {
		return nil
	}
	tid := w.table.ID
	old, nw := res.old, res.new
	switch {
	case nw != nil:
		tx.Set(w.key.storage, attr.AppendItem(make([]byte, 0, res.newSize+len(nw)*4+8), nw))
		if old == nil {
			tx.AddInt64(keyspace.ItemCount(tid), 1)
		}
		if d := res.newSize - res.oldSize; d != 0 {
			tx.AddInt64(keyspace.TableSize(tid), int64(d))
		}
	case old != nil:
		tx.Delete(w.key.storage)
		tx.AddInt64(keyspace.ItemCount(tid), -1)
		if res.oldSize != 0 {
			tx.AddInt64(keyspace.TableSize(tid), -int64(res.oldSize))
		}
	default:
		return nil // no item before or after: nothing changed
	}
	return effects(tx, w.table, w.key, old, nw, w.byService)
}
