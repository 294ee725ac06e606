package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// backfillBatch is how many items one backfill storage Update locks and
// indexes.
const backfillBatch = 128

// errGone stops background work whose index or table has gone (deleted,
// or replaced by a new table of the same name).
var errGone = errors.New("index: index or table no longer exists")

// Builder runs the background half of online index changes, one goroutine
// per table with pending work:
//
//   - a GSI added by UpdateTable is CREATING with Backfilling false when
//     UpdateTable returns; the builder sets Backfilling, copies every
//     existing item into the index, and makes it ACTIVE (behaviours.md §9);
//   - a GSI deleted by UpdateTable is DELETING; the builder removes its
//     entries, then the index from the catalog.
//
// Item writes maintain a CREATING index themselves from the moment the
// catalog holds it (Write reads the table's current version under the item
// lock), so the backfill only has to index the items that existed before.
// Writes already under way when the index was added may have read the
// older version: the backfill first waits for every write begun on an
// older version to end (catalog.Table.WaitWrites), so that their items are
// committed before it scans. It then reads keys from the table in batches
// and indexes each batch in one storage Update locked on those item keys,
// reading each item afresh under the lock and writing its entry only if it
// is not already there. A concurrent write of an item therefore runs
// entirely before or entirely after the backfill's step for it, and one
// pass over the table is enough (TestBackfillWaitsForWritesOfOlderVersions
// forces the interleaving). Dropping an index waits the same way, so that
// no write that still knew the index adds an entry after the drop.
//
// Work left over by a shutdown is resumed by Resume at the next start.
type Builder struct {
	cat *catalog.Catalog
	eng storage.Engine

	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	running map[uint64]bool // table IDs with a goroutine
	idle    *sync.Cond      // signalled when running becomes empty
	// failed records the last error of background work (tests; the work
	// is retried by the next Start or Resume).
	failed error

	// onDrain, if set (tests), is called before the work waits for the
	// writes begun on older table versions, with their number.
	onDrain func(inFlight int64)
}

// NewBuilder returns a Builder over cat and eng with nothing running.
func NewBuilder(cat *catalog.Catalog, eng storage.Engine) *Builder {
	ctx, cancel := context.WithCancel(context.Background())
	b := &Builder{cat: cat, eng: eng, ctx: ctx, cancel: cancel, running: make(map[uint64]bool)}
	b.idle = sync.NewCond(&b.mu)
	return b
}

// Resume starts the pending index work of every table (after a restart).
func (b *Builder) Resume() {
	for _, t := range b.cat.All() {
		if Pending(t) {
			b.Start(t, 0)
		}
	}
}

// Start runs table t's pending index work in the background, after delay
// (the transient-status delay; 0 starts at once), unless it is already
// running. t is any version of the table; the goroutine follows the
// catalog's current one.
func (b *Builder) Start(t *catalog.Table, delay time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.running[t.ID] || b.ctx.Err() != nil {
		return
	}
	b.running[t.ID] = true
	go b.run(t, delay)
}

// Wait blocks until no background work is running (tests).
func (b *Builder) Wait() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.running) > 0 {
		b.idle.Wait()
	}
	return b.failed
}

// Close stops the background work and waits for it; unfinished work stays
// recorded in the catalog for Resume.
func (b *Builder) Close() {
	b.cancel()
	_ = b.Wait()
}

// Pending reports whether t has an index to backfill or to drop.
func Pending(t *catalog.Table) bool {
	return slices.ContainsFunc(t.Indexes, func(ix catalog.Index) bool {
		return ix.Status == catalog.StatusCreating || ix.Status == catalog.StatusDeleting
	})
}

// run does table t's index work until none is left.
func (b *Builder) run(t *catalog.Table, delay time.Duration) {
	var err error
	if delay > 0 {
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-b.ctx.Done():
			timer.Stop()
			err = b.ctx.Err()
		}
	}
	for {
		if err == nil {
			err = b.work(t)
		}
		b.mu.Lock()
		// Work added after work found none, but before this goroutine is
		// off the running set, was refused by Start: pick it up. (Start
		// is called after the catalog holds the work, and both sides
		// decide under b.mu.)
		if err == nil && b.ctx.Err() == nil && Pending(t.Current()) {
			b.mu.Unlock()
			continue
		}
		if err != nil && !errors.Is(err, errGone) {
			b.failed = err
		}
		delete(b.running, t.ID)
		if len(b.running) == 0 {
			b.idle.Broadcast()
		}
		b.mu.Unlock()
		return
	}
}

func (b *Builder) work(t *catalog.Table) error {
	for {
		cur := t.Current()
		if cur.ID != t.ID {
			return errGone
		}
		var next *catalog.Index
		for i := range cur.Indexes {
			if s := cur.Indexes[i].Status; s == catalog.StatusCreating || s == catalog.StatusDeleting {
				next = &cur.Indexes[i]
				break
			}
		}
		if next == nil {
			return nil
		}
		var err error
		if next.Status == catalog.StatusCreating {
			err = b.backfill(cur, next.ID)
		} else {
			err = b.drop(cur, next.ID)
		}
		if err != nil {
			return err
		}
	}
}

// setIndex applies fn to index iid of the current version of t in the
// catalog; errGone when the table or the index has gone.
func (b *Builder) setIndex(t *catalog.Table, iid uint32, fn func(nt *catalog.Table, ix *catalog.Index)) error {
	_, err := b.cat.Update(b.ctx, t.Namespace, t.Name, func(nt *catalog.Table) error {
		if nt.ID != t.ID {
			return errGone
		}
		for i := range nt.Indexes {
			if nt.Indexes[i].ID == iid {
				fn(nt, &nt.Indexes[i])
				return nil
			}
		}
		return errGone
	})
	if isNotFound(err) {
		return errGone
	}
	return err
}

// isNotFound reports whether err is the catalog's missing-table error.
func isNotFound(err error) bool {
	e, ok := apierr.As(err)
	return ok && e.Code == "ResourceNotFoundException"
}

// backfill builds index iid of table t from the table's items.
func (b *Builder) backfill(t *catalog.Table, iid uint32) error {
	err := b.setIndex(t, iid, func(_ *catalog.Table, ix *catalog.Index) {
		if ix.Status == catalog.StatusCreating {
			ix.Backfilling = true
		}
	})
	if err != nil {
		return err
	}
	if err := b.drain(t); err != nil {
		return err
	}
	if err := b.pass(t, iid); err != nil {
		return err
	}
	return b.setIndex(t, iid, func(_ *catalog.Table, ix *catalog.Index) {
		if ix.Status == catalog.StatusCreating {
			ix.Status, ix.Backfilling = catalog.StatusActive, false
		}
	})
}

// drain waits until every item write begun on a version of t older than
// the catalog's current one has ended: from then on every write in flight
// knows the indexes of the current version.
func (b *Builder) drain(t *catalog.Table) error {
	if b.onDrain != nil {
		b.onDrain(t.OlderWrites())
	}
	return t.WaitWrites(b.ctx)
}

// pass indexes every item of t, batch by batch, in key order.
func (b *Builder) pass(t *catalog.Table, iid uint32) error {
	lower, upper := keyspace.Items(t.ID)
	for {
		keys, err := b.nextKeys(lower, upper)
		if err != nil || len(keys) == 0 {
			return err
		}
		if err := b.eng.Update(b.ctx, keys, func(tx storage.Txn) error { return indexBatch(tx, t, iid, keys) }); err != nil {
			return err
		}
		last := keys[len(keys)-1]
		lower = append(append(make([]byte, 0, len(last)+1), last...), 0x00)
	}
}

// nextKeys returns up to backfillBatch item keys in [lower, upper).
func (b *Builder) nextKeys(lower, upper []byte) ([][]byte, error) {
	it := b.eng.Iter(lower, upper, false)
	var keys [][]byte
	for len(keys) < backfillBatch && it.Next() {
		keys = append(keys, append([]byte(nil), it.Key()...))
	}
	if err := it.Err(); err != nil {
		it.Close()
		return nil, fmt.Errorf("index: backfill scan: %w", err)
	}
	if err := it.Close(); err != nil {
		return nil, fmt.Errorf("index: backfill scan: %w", err)
	}
	return keys, nil
}

// indexBatch writes the missing entries of the items at keys into index
// iid, under the items' locks.
func indexBatch(tx storage.Txn, t *catalog.Table, iid uint32, keys [][]byte) error {
	cur := t.Current()
	var ix *catalog.Index
	for i := range cur.Indexes {
		if cur.Indexes[i].ID == iid {
			ix = &cur.Indexes[i]
		}
	}
	if cur.ID != t.ID || ix == nil || !ix.Maintained() {
		return errGone
	}
	for _, k := range keys {
		raw, ok, err := tx.Get(k)
		if err != nil {
			return err
		}
		if !ok {
			continue // deleted since the scan
		}
		item, err := attr.DecodeItem(raw)
		if err != nil {
			return fmt.Errorf("index: backfill: decoding item %x: %w", k, err)
		}
		e, _ := entryOf(cur, ix, item, false)
		if e.key == nil {
			continue
		}
		old, ok, err := tx.Get(e.key)
		if err != nil {
			return err
		}
		if ok {
			prev, err := DecodeEntry(old)
			if err != nil {
				return fmt.Errorf("index: backfill: decoding entry %x: %w", e.key, err)
			}
			if attr.ItemsEqual(prev, e.proj) {
				continue // a write (or the first pass) indexed it
			}
		}
		tx.Set(e.key, appendEntry(nil, e.proj, e.size))
	}
	return nil
}

// drop removes the entries of index iid of table t, then the index itself
// (and the attribute definitions only it used).
func (b *Builder) drop(t *catalog.Table, iid uint32) error {
	if err := b.drain(t); err != nil {
		return err
	}
	err := b.eng.Update(b.ctx, nil, func(tx storage.Txn) error {
		lo, hi := keyspace.IndexEntries(t.ID, iid)
		tx.DeleteRange(lo, hi)
		return nil
	})
	if err != nil {
		return err
	}
	_, err = b.cat.Update(b.ctx, t.Namespace, t.Name, func(nt *catalog.Table) error {
		if nt.ID != t.ID {
			return errGone
		}
		i := slices.IndexFunc(nt.Indexes, func(ix catalog.Index) bool { return ix.ID == iid })
		if i < 0 {
			return errGone
		}
		nt.Indexes = slices.Delete(nt.Indexes, i, i+1)
		if len(nt.Indexes) == 0 {
			nt.Indexes = nil
		}
		PruneDefinitions(nt)
		return nil
	})
	if isNotFound(err) {
		return errGone
	}
	return err
}

// PruneDefinitions removes from t's AttributeDefinitions the attributes no
// key schema (table or index) uses any more, as DynamoDB does when an index
// is deleted.
func PruneDefinitions(t *catalog.Table) {
	used := make(map[string]bool)
	for _, k := range t.KeySchema {
		used[k.AttributeName] = true
	}
	for _, ix := range t.Indexes {
		for _, k := range ix.KeySchema {
			used[k.AttributeName] = true
		}
	}
	t.AttributeDefinitions = slices.DeleteFunc(t.AttributeDefinitions, func(d catalog.AttributeDefinition) bool {
		return !used[d.AttributeName]
	})
}
