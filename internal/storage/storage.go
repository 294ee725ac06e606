// Package storage is the engine contract everything above depends on: an
// ordered byte-key store with consistent snapshots, ordered forward and
// reverse iteration, and atomic, durable multi-key commits serialized per key.
//
// Engines live in subpackages (pebblestore, later pgstore) and must all pass
// storagetest (Run, and RunDurable for engines that persist). Nothing here
// knows what the keys mean: see keyspace.
//
// Design note for a PostgreSQL engine (pgstore, via jackc/pgx; not built
// yet): one table (k bytea PRIMARY KEY, v bytea). Update is one SQL
// transaction that first takes the locks on lockKeys, in sorted order, with
// pg_advisory_xact_lock(hash(key)) (row locks cannot lock an absent key),
// then runs fn with reads on the same connection; Set/Delete/DeleteRange
// are buffered and flushed as INSERT ... ON CONFLICT DO UPDATE / DELETE /
// DELETE WHERE k >= $1 AND k < $2 at commit; AddInt64 is
// INSERT ... ON CONFLICT DO UPDATE SET v = int8send(int8recv(v) + $1) (or a
// bigint column), i.e. UPDATE ... SET n = n + $1. Iter is an ordered range
// SELECT on the primary key (ORDER BY k [DESC], paged by keyset), and a
// Snapshot is a REPEATABLE READ read-only transaction. Durability is
// PostgreSQL's commit with synchronous_commit on.
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
// to Next or Close; copy them to keep them. An Iterator is used by one
// goroutine; close it before its Snapshot, and before the Update it was
// opened in returns (engines close leftovers themselves).
type Iterator interface {
	Next() bool
	Key() []byte
	Value() []byte
	Err() error
	Close() error
}

// Snapshot is a consistent point-in-time view; Close releases it (closing
// twice returns ErrClosed).
type Snapshot interface {
	Reader
	Close() error
}

// Txn is the write side of one Update. Reads through the Txn see committed
// data (not the Txn's own pending writes); the keys named in Update's
// lockKeys cannot change under it until it commits. A Txn is valid only
// inside its Update's fn, on fn's goroutine; the slices passed to its
// methods may be reused by the caller as soon as the call returns.
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
	// error is returned. Locks are not re-entrant: fn must not call Update
	// on the same engine. A panic in fn releases the locks, writes nothing
	// and propagates.
	Update(ctx context.Context, lockKeys [][]byte, fn func(tx Txn) error) error
	// Close flushes and closes the engine. Operations after (or racing
	// with) Close return ErrClosed; they never panic.
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
