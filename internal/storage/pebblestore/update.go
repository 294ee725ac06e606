package pebblestore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cockroachdb/pebble"

	"github.com/petreldb/petrel/internal/storage"
)

// errTxnDone is returned by reads through a Txn used after its Update
// returned.
var errTxnDone = errors.New("pebblestore: transaction used after Update returned")

// Update locks lockKeys, runs fn and, if fn returns nil, commits its writes
// atomically (synced on disk) before unlocking and returning.
//
// The locks are not re-entrant: fn must not call Update with a key that
// shares a lock. ctx is checked before and after taking the locks; a
// waiter blocked behind a slow fn is not woken by cancellation.
func (e *Engine) Update(ctx context.Context, lockKeys [][]byte, fn func(tx storage.Txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var scratch [8]uint32
	stripes := e.locks.lock(scratch[:0], lockKeys)
	defer e.locks.unlock(stripes)
	if err := ctx.Err(); err != nil {
		return err
	}

	tx := &txn{e: e}
	defer tx.finish()
	if err := fn(tx); err != nil {
		return err
	}
	if tx.batch == nil || tx.batch.Empty() {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return storage.ErrClosed
	}
	if err := e.commit(tx.batch); err != nil {
		return fmt.Errorf("pebblestore: commit: %w", err)
	}
	return nil
}

// commit commits b, the only way anything is written to e.db, keeping the
// read cache coherent: b's keys are pending in the cache from before the
// commit until after it returns, however it returns (see cache.go). The
// caller holds e.mu shared and has checked the engine is open.
func (e *Engine) commit(b *pebble.Batch) error {
	c := e.cache
	if c == nil {
		return b.Commit(e.write)
	}
	var buf [8]keyWrite
	w := c.collect(b, buf[:0])
	c.pre(&w)
	committed := false
	defer func() { c.post(&w, committed) }()
	err := b.Commit(e.write)
	committed = err == nil
	return err
}

// lock takes the stripes of keys in ascending order and returns them,
// appended to buf, for unlock.
func (l *lockTable) lock(buf []uint32, keys [][]byte) []uint32 {
	for _, k := range keys {
		buf = append(buf, l.stripe(k))
	}
	if len(buf) > 1 {
		slices.Sort(buf)
		buf = slices.Compact(buf)
	}
	for _, s := range buf {
		l.stripes[s].Lock()
	}
	return buf
}

// unlock releases stripes taken by lock.
func (l *lockTable) unlock(stripes []uint32) {
	for i := len(stripes) - 1; i >= 0; i-- {
		l.stripes[stripes[i]].Unlock()
	}
}

// txn is the storage.Txn of one Update: reads go to the committed data,
// writes collect in a Pebble batch created on the first write.
type txn struct {
	e     *Engine
	batch *pebble.Batch
	iters []*iterator
	done  bool
	num   [8]byte
}

// Get returns a copy of the committed value at key.
func (t *txn) Get(key []byte) ([]byte, bool, error) {
	if t.done {
		return nil, false, errTxnDone
	}
	return t.e.Get(key)
}

// Iter iterates committed data in [lower, upper); iterators still open
// when fn returns are closed by Update.
func (t *txn) Iter(lower, upper []byte, reverse bool) storage.Iterator {
	if t.done {
		return &iterator{err: errTxnDone, done: true}
	}
	it := t.e.Iter(lower, upper, reverse).(*iterator)
	t.iters = append(t.iters, it)
	return it
}

// write returns the batch, creating it on first use, or nil once the txn
// is finished (late writes are dropped: the Update has already returned).
func (t *txn) write() *pebble.Batch {
	if t.done {
		return nil
	}
	if t.batch == nil {
		t.batch = t.e.db.NewBatch()
	}
	return t.batch
}

// Set implements storage.Txn.
func (t *txn) Set(key, value []byte) {
	if b := t.write(); b != nil {
		_ = b.Set(key, value, nil) // only fails on a read-only batch
	}
}

// Delete implements storage.Txn.
func (t *txn) Delete(key []byte) {
	if b := t.write(); b != nil {
		_ = b.Delete(key, nil)
	}
}

// DeleteRange implements storage.Txn.
func (t *txn) DeleteRange(lower, upper []byte) {
	if b := t.write(); b != nil {
		_ = b.DeleteRange(lower, upper, nil)
	}
}

// AddInt64 implements storage.Txn with a Pebble merge (see counterMerger).
func (t *txn) AddInt64(key []byte, delta int64) {
	if b := t.write(); b != nil {
		_ = b.Merge(key, appendInt64(t.num[:0], delta), nil)
	}
}

// finish closes what fn left open and releases the batch.
func (t *txn) finish() {
	t.done = true
	for _, it := range t.iters {
		_ = it.Close()
	}
	t.iters = nil
	if t.batch != nil {
		_ = t.batch.Close()
		t.batch = nil
	}
}
