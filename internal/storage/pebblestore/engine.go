// Package pebblestore is the default storage engine: storage.Engine on
// Pebble (github.com/cockroachdb/pebble), on disk or wholly in memory
// (vfs.NewMem, no WAL, no syncing).
//
// It owns Pebble's configuration, the per-key lock manager behind Update,
// the counter merge operator behind Txn.AddInt64, the point-read cache in
// front of Get and the guard that turns use of a closed engine into
// storage.ErrClosed instead of a Pebble panic.
// It must not know what keys mean (see keyspace) and must not be imported
// by anything but server and tests.
//
// Durability: on disk, every Update that writes is committed with
// pebble.Sync before it returns, and its locks are released only after
// that. Pebble's commit pipeline lets concurrent synced commits share one
// WAL fsync (group commit); BenchmarkUpdateSync measures it.
//
// Read cache: Engine.Get, and the Get of an Update's Txn, are served from a
// bounded cache of recently read keys (Options.ReadCacheSize) when they
// can be; snapshots and iterators always read Pebble. Every commit marks
// the keys it writes pending before it reaches Pebble and unmarks them
// after, so a Get never returns a value older than what Pebble would
// return at that moment, i.e. older than anything another reader has seen
// (cache.go has the protocol and the argument). Commit is the only write
// path: nothing else writes to the Pebble DB.
package pebblestore

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"os"
	"sync"

	"github.com/cockroachdb/pebble"
	"github.com/cockroachdb/pebble/bloom"
	"github.com/cockroachdb/pebble/vfs"

	"github.com/petreldb/petrel/internal/storage"
)

// Options configures Open.
type Options struct {
	// InMemory keeps everything in memory (the dir argument is ignored):
	// nothing survives Close and nothing is synced.
	InMemory bool
	// Logger receives Pebble's log lines and background errors. Nil keeps
	// Pebble quiet; fatal errors are still written to stderr.
	Logger *slog.Logger
	// CacheSize is the block cache size in bytes; 0 means Pebble's default.
	CacheSize int64
	// ReadCacheSize is the memory budget in bytes, keys, values and
	// bookkeeping included, of the point-read cache in front of Get (see
	// cache.go); 0 means DefaultReadCacheSize and a negative size turns
	// the cache off. Values over 4 KiB are never cached.
	ReadCacheSize int64
}

// Engine is a storage.Engine on Pebble. It is safe for concurrent use.
type Engine struct {
	db    *pebble.DB
	write *pebble.WriteOptions // pebble.Sync on disk, pebble.NoSync in memory
	locks *lockTable
	// cache is the read cache, nil when disabled or closed; it is read
	// under mu held shared and dropped under mu held exclusively.
	cache *readCache

	// mu guards closed against every call into db: operations hold it
	// shared for the duration of one Pebble call, Close holds it
	// exclusively, so no Pebble call ever runs on a closed DB (which would
	// panic).
	mu     sync.RWMutex
	closed bool

	// open holds the iterators and snapshots not yet closed, so that Close
	// can release ones a caller leaked (Pebble refuses to close cleanly
	// otherwise).
	openMu sync.Mutex
	open   map[resource]struct{}
}

// resource is an iterator or snapshot that Engine.Close must release.
type resource interface {
	// release frees the Pebble object; it runs under Engine.mu held
	// exclusively, after which the owner sees Engine.closed and never
	// touches the Pebble object again.
	release()
}

// track registers r until untrack.
func (e *Engine) track(r resource) {
	e.openMu.Lock()
	e.open[r] = struct{}{}
	e.openMu.Unlock()
}

// untrack forgets r.
func (e *Engine) untrack(r resource) {
	e.openMu.Lock()
	delete(e.open, r)
	e.openMu.Unlock()
}

var _ storage.Engine = (*Engine)(nil)

// memTableSize keeps a working set of items in the memtable, where a Get
// is one skiplist search instead of a search through the L0 tables Pebble's
// 4 MB default leaves behind: measured through HTTP (16 clients, 10,000
// items), Get was 19% of server CPU with 4 MB; 64 MB took it to ~8% but
// the RSS after the benchmark workload set to 166 MB (BENCHMARKS.md). Pebble
// allocates the memtable as it fills.
const memTableSize = 32 << 20

// Open opens (creating if needed) the engine stored in dir, or a fresh
// in-memory engine when opts.InMemory is set.
func Open(dir string, opts Options) (*Engine, error) {
	po := &pebble.Options{
		Merger:             counterMerger(),
		FormatMajorVersion: pebble.FormatNewest,
		Logger:             pebbleLogger{l: opts.Logger},
		MemTableSize:       memTableSize,
	}
	// Bloom filters let a Get of an absent key, which every
	// conditional put of a new item does, skip the tables it is not in.
	po.Levels = make([]pebble.LevelOptions, 7)
	for i := range po.Levels {
		po.Levels[i] = pebble.LevelOptions{FilterPolicy: bloom.FilterPolicy(10), FilterType: pebble.TableFilter}
		if opts.InMemory {
			// Compression would only trade CPU for memory here.
			po.Levels[i].Compression = pebble.NoCompression
		}
	}
	if opts.CacheSize > 0 {
		c := pebble.NewCache(opts.CacheSize)
		defer c.Unref()
		po.Cache = c
	}
	write := pebble.Sync
	if opts.InMemory {
		po.FS = vfs.NewMem()
		po.DisableWAL = true
		write = pebble.NoSync
		dir = ""
	} else if dir == "" {
		return nil, errors.New("pebblestore: empty directory")
	}
	db, err := pebble.Open(dir, po)
	if err != nil {
		return nil, fmt.Errorf("pebblestore: open %q: %w", dir, err)
	}
	cacheSize := opts.ReadCacheSize
	if cacheSize == 0 {
		cacheSize = DefaultReadCacheSize
	}
	return &Engine{
		db:    db,
		write: write,
		locks: newLockTable(),
		cache: newReadCache(cacheSize),
		open:  make(map[resource]struct{}),
	}, nil
}

// Get returns a copy of the committed value at key, from the read cache
// when it holds the key.
func (e *Engine) Get(key []byte) ([]byte, bool, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return nil, false, storage.ErrClosed
	}
	c := e.cache
	if c == nil {
		return get(e.db, key)
	}
	v, ok, hit, t := c.lookup(key)
	if hit {
		return v, ok, nil
	}
	v, ok, err := get(e.db, key)
	if err == nil {
		c.fill(key, t, v, ok)
	}
	return v, ok, err
}

// getter is what pebble.DB and pebble.Snapshot have in common for Get.
type getter interface {
	Get(key []byte) ([]byte, io.Closer, error)
}

// get reads key from r and copies the value out of Pebble's memory.
func get(r getter, key []byte) ([]byte, bool, error) {
	v, closer, err := r.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("pebblestore: get: %w", err)
	}
	out := bytes.Clone(v)
	if out == nil {
		out = []byte{}
	}
	if err := closer.Close(); err != nil {
		return nil, false, fmt.Errorf("pebblestore: get: %w", err)
	}
	return out, true, nil
}

// Iter iterates the committed data in [lower, upper).
func (e *Engine) Iter(lower, upper []byte, reverse bool) storage.Iterator {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return &iterator{err: storage.ErrClosed, done: true}
	}
	return newIterator(e, e.db, lower, upper, reverse)
}

// NewSnapshot returns a consistent view of the committed data. On a closed
// engine it returns a snapshot whose every method reports storage.ErrClosed.
func (e *Engine) NewSnapshot() storage.Snapshot {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return &snapshot{e: e, closed: true}
	}
	s := &snapshot{e: e, snap: e.db.NewSnapshot()}
	e.track(s)
	return s
}

// Close closes the engine, and any iterators left open. Callers should stop
// issuing operations first; operations that race with Close, or come after
// it, get storage.ErrClosed. Closing twice returns storage.ErrClosed.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return storage.ErrClosed
	}
	e.closed = true
	e.cache = nil
	e.openMu.Lock()
	for r := range e.open {
		r.release()
	}
	clear(e.open)
	e.openMu.Unlock()
	if err := e.db.Close(); err != nil {
		return fmt.Errorf("pebblestore: close: %w", err)
	}
	return nil
}

// lockTable is a fixed array of striped mutexes; a key locks the stripe its
// hash selects. Unrelated keys that share a stripe serialize needlessly,
// which is cheap at this size; it never deadlocks because a caller takes
// its stripes in ascending index order.
type lockTable struct {
	seed    maphash.Seed
	stripes [numStripes]sync.Mutex
}

// numStripes is the number of lock stripes (a power of two).
const numStripes = 4096

func newLockTable() *lockTable {
	return &lockTable{seed: maphash.MakeSeed()}
}

// stripe returns the stripe index of key.
func (l *lockTable) stripe(key []byte) uint32 {
	return uint32(maphash.Bytes(l.seed, key) & (numStripes - 1))
}

// pebbleLogger adapts an optional slog.Logger to Pebble's Logger.
type pebbleLogger struct{ l *slog.Logger }

// Infof implements pebble.Logger.
func (p pebbleLogger) Infof(format string, args ...interface{}) {
	if p.l != nil {
		p.l.Info(fmt.Sprintf(format, args...), "component", "pebble")
	}
}

// Fatalf implements pebble.Logger. Pebble calls it when it cannot go on
// without risking the data (for example a failed MANIFEST write), and
// expects it not to return, so the process exits as Pebble's default
// logger does.
func (p pebbleLogger) Fatalf(format string, args ...interface{}) {
	msg := fmt.Sprintf(format, args...)
	if p.l != nil {
		p.l.Error(msg, "component", "pebble", "fatal", true)
	}
	fmt.Fprintf(os.Stderr, "pebble: fatal: %s\n", msg)
	os.Exit(2)
}
