package index

import (
	"fmt"
	"sync"
	"time"

	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// An index's ItemCount and IndexSizeBytes are not maintained by item
// writes: counters would add two storage records per index to every insert
// (the PutItem cost budget of #4 is 1.6x with two GSIs), and DynamoDB
// itself refreshes these figures only about every six hours (limits.md §5).
// They are summed from the index entries (each value records its projected
// size, entry.go) when DescribeTable asks. A small index is summed every
// time, so its figures are exact and current; a large one is summed at most
// once per staleFor and its figures may lag by that much, as DynamoDB's do.

// Thresholds of Stats.
const (
	smallIndex = 4096             // entries: summed on every call below this
	staleFor   = 10 * time.Second // how long a large index's figures are reused
)

// Stats caches the figures of large indexes. It is safe for concurrent use.
type Stats struct {
	mu    sync.Mutex
	cache map[statsKey]statsEntry
}

type statsKey struct {
	tid uint64
	iid uint32
}

type statsEntry struct {
	count, size int64
	at          time.Time
}

// NewStats returns an empty cache.
func NewStats() *Stats { return &Stats{cache: make(map[statsKey]statsEntry)} }

// Get returns index ix's ItemCount and IndexSizeBytes (the sum of its
// entries' projected sizes), reading the entries from r unless a recent
// figure of a large index is cached.
func (s *Stats) Get(r storage.Reader, t *catalog.Table, ix *catalog.Index, now time.Time) (count, size int64, err error) {
	k := statsKey{t.ID, ix.ID}
	s.mu.Lock()
	e, ok := s.cache[k]
	s.mu.Unlock()
	if ok && e.count >= smallIndex && now.Sub(e.at) < staleFor {
		return e.count, e.size, nil
	}
	if count, size, err = Sum(r, t, ix); err != nil {
		return 0, 0, err
	}
	s.mu.Lock()
	if count >= smallIndex {
		s.cache[k] = statsEntry{count, size, now}
	} else {
		delete(s.cache, k)
	}
	s.mu.Unlock()
	return count, size, nil
}

// Sum counts index ix's entries and sums their projected sizes.
func Sum(r storage.Reader, t *catalog.Table, ix *catalog.Index) (count, size int64, err error) {
	lo, hi := keyspace.IndexEntries(t.ID, ix.ID)
	it := r.Iter(lo, hi, false)
	for it.Next() {
		n, err := entrySize(it.Value())
		if err != nil {
			it.Close()
			return 0, 0, fmt.Errorf("index: entry %x: %w", it.Key(), err)
		}
		count++
		size += n
	}
	if err := it.Err(); err != nil {
		it.Close()
		return 0, 0, fmt.Errorf("index: summing entries: %w", err)
	}
	if err := it.Close(); err != nil {
		return 0, 0, fmt.Errorf("index: summing entries: %w", err)
	}
	return count, size, nil
}
