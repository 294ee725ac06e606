// Package storage is the engine contract everything above depends on: an
// ordered byte-key store with consistent snapshots, ordered forward and
// reverse iteration, and atomic, durable multi-key commits serialized per key.
//
// Engines live in subpackages (pebblestore, later pgstore) and must all pass
// storagetest. Nothing here knows what the keys mean: see keyspace.
package storage

import (
	"context"
	"errors"
)

// ErrClosed is returned by operations on a closed engine.
var ErrClosed = errors.New("storage: engine closed")

// Reader reads committed data.
type Reader interface {
	// Get returns a copy of the value stored at key; ok is false when absent.
	Get(key []byte) (value []byte, ok bool, err error)
	// Iter iterates keys in [lower, upper) in ascending order, or descending
	// when reverse is true. A nil upper means no upper bound.
	Iter(lower, upper []byte, reverse bool) Iterator
}

// Iterator walks keys in order. Key and Value are valid until the next call
// to Next; copy them to keep them.
type Iterator interface {
	Next() bool
	Key() []byte
	Value() []byte
	Err() error
	Close() error
}

// Snapshot is a consistent point-in-time view; Close releases it.
type Snapshot interface {
	Reader
	Close() error
}

// Txn is the write side of one Update. Reads through the Txn see committed
// data (not the Txn's own pending writes); the keys named in Update's
// lockKeys cannot change under it until it commits.
type Txn interface {
	Reader
	Set(key, value []byte)
	Delete(key []byte)
	// DeleteRange deletes every key in [lower, upper).
	DeleteRange(lower, upper []byte)
	// AddInt64 adds delta to the little-endian int64 counter at key (absent
	// counts as 0). Counters commute, so they need no lock.
	AddInt64(key []byte, delta int64)
}

// Engine is a storage engine.
type Engine interface {
	Reader
	// NewSnapshot returns a consistent view of the committed data.
	NewSnapshot() Snapshot
	// Update runs fn while holding exclusive locks on lockKeys (callers that
	// name an overlapping key run one after the other; locks are taken in a
	// deadlock-free order). If fn returns nil, its writes are committed
	// atomically and durably (synced, unless the engine is in-memory) before
	// Update returns; if fn returns an error nothing is written and that
	// error is returned.
	Update(ctx context.Context, lockKeys [][]byte, fn func(tx Txn) error) error
	// Close flushes and closes the engine.
	Close() error
}

// ReadInt64 decodes a counter value written with AddInt64 (nil reads as 0).
func ReadInt64(b []byte) int64 {
	var v int64
	for i := 0; i < len(b) && i < 8; i++ {
		v |= int64(b[i]) << (8 * i)
	}
	return v
}
