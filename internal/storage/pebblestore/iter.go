package pebblestore

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/cockroachdb/pebble"

	"github.com/petreldb/petrel/internal/storage"
)

// iterSource is what pebble.DB and pebble.Snapshot have in common for
// iteration.
type iterSource interface {
	NewIter(*pebble.IterOptions) (*pebble.Iterator, error)
}

// iterator adapts a pebble.Iterator to storage.Iterator. It is used by one
// goroutine at a time; every step re-checks that the engine is open.
type iterator struct {
	e       *Engine
	it      *pebble.Iterator
	reverse bool
	started bool
	done    bool
	value   []byte
	err     error
}

// newIterator opens an iterator over [lower, upper) of src. The caller
// holds e.mu shared and has checked the engine is open.
func newIterator(e *Engine, src iterSource, lower, upper []byte, reverse bool) *iterator {
	if upper != nil && bytes.Compare(lower, upper) >= 0 {
		return &iterator{done: true}
	}
	// Pebble keeps the bound slices; copy them so callers may reuse theirs.
	bounds := make([]byte, 0, len(lower)+len(upper))
	bounds = append(bounds, lower...)
	opts := &pebble.IterOptions{LowerBound: bounds[:len(lower):len(lower)]}
	if upper != nil {
		bounds = append(bounds, upper...)
		opts.UpperBound = bounds[len(lower):]
	}
	it, err := src.NewIter(opts)
	if err != nil {
		return &iterator{err: fmt.Errorf("pebblestore: iter: %w", err), done: true}
	}
	i := &iterator{e: e, it: it, reverse: reverse}
	e.track(i)
	return i
}

// release implements resource.
func (i *iterator) release() { _ = i.it.Close() }

// Next advances to the next key; it returns false at the end or on error.
func (i *iterator) Next() bool {
	if i.done {
		return false
	}
	i.e.mu.RLock()
	defer i.e.mu.RUnlock()
	if i.e.closed {
		i.err, i.done = storage.ErrClosed, true
		return false
	}
	var ok bool
	switch {
	case !i.started && i.reverse:
		ok = i.it.Last()
	case !i.started:
		ok = i.it.First()
	case i.reverse:
		ok = i.it.Prev()
	default:
		ok = i.it.Next()
	}
	i.started = true
	if ok {
		i.value, i.err = i.it.ValueAndErr()
		ok = i.err == nil
	}
	if !ok {
		i.done = true
		if i.err == nil {
			i.err = i.it.Error()
		}
	}
	return ok
}

// Key returns the current key, valid until the next call to Next.
func (i *iterator) Key() []byte {
	if i.done || !i.started {
		return nil
	}
	return i.it.Key()
}

// Value returns the current value, valid until the next call to Next.
func (i *iterator) Value() []byte {
	if i.done || !i.started {
		return nil
	}
	return i.value
}

// Err returns the error that ended the iteration, if any.
func (i *iterator) Err() error { return i.err }

// Close releases the iterator. Closing twice is harmless.
func (i *iterator) Close() error {
	i.done = true
	if i.it == nil {
		return nil
	}
	it := i.it
	i.it = nil
	i.e.mu.RLock()
	defer i.e.mu.RUnlock()
	if i.e.closed {
		return nil // Engine.Close closed it
	}
	i.e.untrack(i)
	if err := it.Close(); err != nil {
		return fmt.Errorf("pebblestore: iter: %w", err)
	}
	return nil
}

// snapshot adapts a pebble.Snapshot to storage.Snapshot.
type snapshot struct {
	e *Engine
	// mu guards closed against the snapshot's own reads; lock order is
	// snapshot.mu, then Engine.mu.
	mu     sync.RWMutex
	snap   *pebble.Snapshot
	closed bool
}

// Get returns a copy of the value at key as of the snapshot.
func (s *snapshot) Get(key []byte) ([]byte, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, false, storage.ErrClosed
	}
	s.e.mu.RLock()
	defer s.e.mu.RUnlock()
	if s.e.closed {
		return nil, false, storage.ErrClosed
	}
	return get(s.snap, key)
}

// Iter iterates [lower, upper) as of the snapshot. Close its iterators
// before the snapshot.
func (s *snapshot) Iter(lower, upper []byte, reverse bool) storage.Iterator {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return &iterator{err: storage.ErrClosed, done: true}
	}
	s.e.mu.RLock()
	defer s.e.mu.RUnlock()
	if s.e.closed {
		return &iterator{err: storage.ErrClosed, done: true}
	}
	return newIterator(s.e, s.snap, lower, upper, reverse)
}

// release implements resource; it must not take s.mu (lock order).
func (s *snapshot) release() { _ = s.snap.Close() }

// Close releases the snapshot; closing twice returns storage.ErrClosed.
func (s *snapshot) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return storage.ErrClosed
	}
	s.closed = true
	s.e.mu.RLock()
	defer s.e.mu.RUnlock()
	if s.e.closed {
		return nil // Engine.Close released it
	}
	s.e.untrack(s)
	if err := s.snap.Close(); err != nil {
		return fmt.Errorf("pebblestore: snapshot: %w", err)
	}
	return nil
}
