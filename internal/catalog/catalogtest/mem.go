// Package catalogtest provides a tiny in-memory storage.Engine for the unit
// tests of catalog and tables, so they do not depend on a real engine. It is
// deliberately simple (one mutex, a sorted copy per iteration) and must not
// be used outside tests.
package catalogtest

import (
	"bytes"
	"context"
	"sort"
	"sync"

	"github.com/petreldb/petrel/internal/storage"
)

// Engine is an in-memory storage.Engine guarded by one mutex. Update runs
// one transaction at a time.
type Engine struct {
	mu     sync.Mutex // held for the whole of an Update
	dataMu sync.RWMutex
	data   map[string][]byte
	// Commits counts successful Updates.
	Commits int
}

// NewEngine returns an empty engine.
func NewEngine() *Engine { return &Engine{data: make(map[string][]byte)} }

// Get implements storage.Reader.
func (e *Engine) Get(key []byte) ([]byte, bool, error) {
	e.dataMu.RLock()
	defer e.dataMu.RUnlock()
	v, ok := e.data[string(key)]
	if !ok {
		return nil, false, nil
	}
	return bytes.Clone(v), true, nil
}

// Iter implements storage.Reader over a copy of the matching keys.
func (e *Engine) Iter(lower, upper []byte, reverse bool) storage.Iterator {
	e.dataMu.RLock()
	defer e.dataMu.RUnlock()
	it := &iter{pos: -1}
	for k, v := range e.data {
		if k < string(lower) || (upper != nil && k >= string(upper)) {
			continue
		}
		it.kvs = append(it.kvs, kv{[]byte(k), bytes.Clone(v)})
	}
	sort.Slice(it.kvs, func(i, j int) bool {
		c := bytes.Compare(it.kvs[i].k, it.kvs[j].k)
		if reverse {
			return c > 0
		}
		return c < 0
	})
	return it
}

// NewSnapshot implements storage.Engine (a full copy).
func (e *Engine) NewSnapshot() storage.Snapshot {
	e.dataMu.RLock()
	defer e.dataMu.RUnlock()
	s := &Engine{data: make(map[string][]byte, len(e.data))}
	for k, v := range e.data {
		s.data[k] = v
	}
	return snapshot{s}
}

type snapshot struct{ *Engine }

func (snapshot) Close() error { return nil }

// Update implements storage.Engine.
func (e *Engine) Update(ctx context.Context, _ [][]byte, fn func(tx storage.Txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tx := &txn{e: e}
	if err := fn(tx); err != nil {
		return err
	}
	e.dataMu.Lock()
	defer e.dataMu.Unlock()
	for _, op := range tx.ops {
		op(e.data)
	}
	e.Commits++
	return nil
}

// Close implements storage.Engine.
func (e *Engine) Close() error { return nil }

type txn struct {
	e   *Engine
	ops []func(map[string][]byte)
}

func (t *txn) Get(key []byte) ([]byte, bool, error) { return t.e.Get(key) }
func (t *txn) Iter(lower, upper []byte, reverse bool) storage.Iterator {
	return t.e.Iter(lower, upper, reverse)
}
func (t *txn) Set(key, value []byte) {
	k, v := string(key), bytes.Clone(value)
	t.ops = append(t.ops, func(m map[string][]byte) { m[k] = v })
}
func (t *txn) Delete(key []byte) {
	k := string(key)
	t.ops = append(t.ops, func(m map[string][]byte) { delete(m, k) })
}
func (t *txn) DeleteRange(lower, upper []byte) {
	lo, hi := string(lower), string(upper)
	t.ops = append(t.ops, func(m map[string][]byte) {
		for k := range m {
			if k >= lo && k < hi {
				delete(m, k)
			}
		}
	})
}
func (t *txn) AddInt64(key []byte, delta int64) {
	k := string(key)
	t.ops = append(t.ops, func(m map[string][]byte) {
		v := storage.ReadInt64(m[k]) + delta
		b := make([]byte, 8)
		for i := range b {
			b[i] = byte(v >> (8 * i))
		}
		m[k] = b
	})
}

type kv struct{ k, v []byte }

type iter struct {
	kvs []kv
	pos int
}

func (i *iter) Next() bool    { i.pos++; return i.pos < len(i.kvs) }
func (i *iter) Key() []byte   { return i.kvs[i.pos].k }
func (i *iter) Value() []byte { return i.kvs[i.pos].v }
func (i *iter) Err() error    { return nil }
func (i *iter) Close() error  { return nil }
