package pebblestore

import (
	"bytes"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/cockroachdb/pebble"
)

// The read cache: a bounded map from key to its latest committed value (or
// its absence), in front of Engine.Get and so of the Get of an Update's
// txn. A Get that hits skips Pebble's memtable skiplist search and the
// table probes below it. Snapshots and iterators never use it: they read
// Pebble at their own sequence number.
//
// # Protocol
//
// The cache has cacheShards shards, picked by a 64-bit hash of the key
// (the shard's maps are keyed by that hash, so two keys with one hash share
// their pending marker and version: a collision only costs hits). Each
// shard has a mutex, a version counter, the cached entries, a pending
// count per hashed key and a shard-wide pending count for writes whose
// keys cannot be enumerated (a range delete).
//
// Writer (Engine.commit, around every Pebble commit; see writeSet):
//  1. pre: for each key the batch writes, under its shard's lock: count it
//     pending, drop its entry, bump the shard version. A write that cannot
//     be enumerated does this for every shard with the shard-wide count,
//     dropping every entry.
//  2. commit the batch to Pebble.
//  3. post (whether or not the commit succeeded): for each key, under its
//     shard's lock: uncount it, drop its entry, bump the shard version,
//     and possibly refresh the entry (below).
//
// Reader (Engine.Get): under the shard lock, return a private copy of the
// entry if there is one and neither the key nor the shard is pending; on
// a miss note the shard version v0, unlock, read Pebble, and under the lock
// again insert what was read only if the version is still v0 and nothing is
// pending.
//
// # Why a hit is never stale
//
// Invariant: whenever a shard's lock is free, every entry it holds equals
// the value Pebble currently has for the key (visible to every new read),
// and its key is not pending. Pebble's value for a key changes only when a
// batch writing it commits (flushes, compactions and the deterministic
// counter merge never change what a read returns; nothing ingests or
// writes around Update), and that commit happens while its writer holds
// the key pending: after pre, which dropped the entry and after which no
// insert can happen until post. So entries are never overtaken by a
// commit; it remains to check the two ways one is inserted.
//
// A reader's insert at time t1 of a value read from Pebble at time tr,
// with the version v0 noted at t0 < tr < t1: suppose some commit C of the
// key became visible between tr and t1. Its writer W ran pre before C and
// runs post after C. If W's pre came after t0 it bumped the version before
// t1; if it came before t0 then W's post is after tr, and either it came
// before t1 (a version bump) or it has not yet come (the key, or the
// shard, is still pending at t1). Either way the insert is refused. So an
// inserted value is Pebble's value at t1.
//
// A writer's refresh at post: W inserts the value its own batch left for
// the key (the last Set or Delete of it, never after a Merge, SingleDelete
// or range delete) only when W's commit succeeded, the key's pending count
// drops to zero, and no other write of the key (or of its shard, for
// shard-wide writes) was pending at any moment between W's pre and W's
// post: the first writer to mark a key creates its pending record, and
// every later writer, and every shard-wide writer, marks that record
// shared while it exists. Then every other writer of the key finished its
// commit before W's pre, so before W's commit got its sequence number, or
// has not yet begun its pre, so cannot have committed: W's value is
// Pebble's latest value at the refresh. W refreshes only keys it found
// cached at pre, so that writes of keys nobody Gets (index entries, stream
// records) do not evict the ones that are read.
//
// Hence a hit returns exactly what a Pebble read at the moment of the hit
// would, and a Get can never return a value older than one another reader
// (a snapshot, an iterator, another Get) has already seen.

// cacheShards is the number of read-cache shards (a power of two);
// cacheShardBits is its log2.
const (
	cacheShards    = 64
	cacheShardBits = 6
)

// DefaultReadCacheSize is the read-cache budget used when
// Options.ReadCacheSize is 0: enough for 10,000 items of ~300 bytes with
// room to spare, small next to the memtable.
const DefaultReadCacheSize = 8 << 20

// maxCachedValue is the largest value the read cache keeps: big items are
// rare, and would each push out many small ones.
const maxCachedValue = 4 << 10

// entryOverhead estimates the memory of a cached entry besides its key and
// value bytes: its slot (~40 bytes, in a slice that may have up to twice
// the capacity in use), its index map entry and allocator rounding.
const entryOverhead = 96

// readCache is the point-read cache; see the protocol above.
type readCache struct {
	seed   maphash.Seed
	shards [cacheShards]cacheShard
}

// cacheShard is one lock's worth of the cache.
type cacheShard struct {
	mu sync.Mutex
	// version is bumped by every pre and post that touches the shard.
	version uint64
	// rangePending counts writes in flight that cover every key of the
	// shard (range deletes).
	rangePending int32
	// pending counts, by key hash, the writes in flight.
	pending map[uint64]pendingKey
	// idx maps a key hash to its entry in slots.
	idx   map[uint64]uint32
	slots []cacheSlot
	// hand is the CLOCK eviction position in slots.
	hand int
	// used is the bytes accounted to slots, at most budget.
	used, budget int64
	// hits, misses and evictions are counts for tests and tuning.
	hits, misses, evictions uint64
	_                       [64]byte // keep neighbouring shards' hot fields apart
}

// pendingKey is the pending record of one key hash.
type pendingKey struct {
	// n is the number of writes of the key in flight.
	n int32
	// shared is set when another write overlapped the first one.
	shared bool
	// cached is set when the key had an entry when the record was created.
	cached bool
}

// cacheSlot is one cached entry.
type cacheSlot struct {
	hash uint64
	// kv is the key followed by the value; never modified once stored, so
	// a reader may copy from it after unlocking.
	kv   []byte
	klen uint32
	// present is false for a cached absence.
	present bool
	// ref is CLOCK's referenced bit.
	ref bool
}

// size is what the slot counts against its shard's budget.
func (s *cacheSlot) size() int64 { return int64(len(s.kv)) + entryOverhead }

// newReadCache returns a cache of about budget bytes, or nil when budget
// leaves no room for a useful entry.
func newReadCache(budget int64) *readCache {
	per := budget / cacheShards
	if per < entryOverhead+64 {
		return nil
	}
	c := &readCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		s := &c.shards[i]
		s.budget = per
		s.pending = make(map[uint64]pendingKey)
		s.idx = make(map[uint64]uint32)
	}
	return c
}

// hash returns the hash of key that selects its shard and names it there.
func (c *readCache) hash(key []byte) uint64 { return maphash.Bytes(c.seed, key) }

// shard returns the shard of a key hash.
func (c *readCache) shard(h uint64) *cacheShard { return &c.shards[h>>(64-cacheShardBits)] }

// ticket carries what a missed lookup learned to the fill after the Pebble
// read.
type ticket struct {
	hash    uint64
	version uint64
	// fill is false when the fill would be refused anyway (something was
	// pending), so it need not take the lock again.
	fill bool
}

// lookup returns a private copy of key's cached value and hit true, or on
// a miss a ticket for fill.
func (c *readCache) lookup(key []byte) (value []byte, ok, hit bool, t ticket) {
	h := c.hash(key)
	s := c.shard(h)
	s.mu.Lock()
	if s.rangePending == 0 {
		if _, p := s.pending[h]; !p {
			if i, found := s.idx[h]; found {
				sl := &s.slots[i]
				if bytes.Equal(sl.kv[:sl.klen], key) {
					sl.ref = true
					s.hits++
					kv, klen, present := sl.kv, sl.klen, sl.present
					s.mu.Unlock()
					if !present {
						return nil, false, true, ticket{}
					}
					// kv is immutable: copy it outside the lock.
					return append(make([]byte, 0, len(kv)-int(klen)), kv[klen:]...), true, true, ticket{}
				}
			}
			t.fill = true
		}
	}
	s.misses++
	t.hash, t.version = h, s.version
	s.mu.Unlock()
	return nil, false, false, t
}

// fill caches what a Get read from Pebble after lookup missed, unless a
// write of the shard began or ended since, or one is still in flight.
func (c *readCache) fill(key []byte, t ticket, value []byte, ok bool) {
	if !t.fill || len(value) > maxCachedValue {
		return
	}
	s := c.shard(t.hash)
	s.mu.Lock()
	if s.version == t.version && s.rangePending == 0 {
		if _, p := s.pending[t.hash]; !p {
			s.insert(t.hash, key, value, ok)
		}
	}
	s.mu.Unlock()
}

// insert stores an entry, evicting others to stay within budget. The
// caller holds s.mu and has checked the protocol allows it.
func (s *cacheShard) insert(h uint64, key, value []byte, present bool) {
	if len(value) > maxCachedValue {
		return
	}
	size := int64(len(key)+len(value)) + entryOverhead
	if size > s.budget {
		return
	}
	kv := make([]byte, 0, len(key)+len(value))
	kv = append(append(kv, key...), value...)
	sl := cacheSlot{hash: h, kv: kv, klen: uint32(len(key)), present: present}
	if i, found := s.idx[h]; found {
		s.used += size - s.slots[i].size()
		s.slots[i] = sl
	} else {
		s.slots = append(s.slots, sl)
		s.idx[h] = uint32(len(s.slots) - 1)
		s.used += size
	}
	for s.used > s.budget {
		s.evict(h)
	}
}

// evict removes one entry other than keep's, chosen by CLOCK: the hand
// skips (and clears) entries read since it last passed them.
func (s *cacheShard) evict(keep uint64) {
	for {
		if s.hand >= len(s.slots) {
			s.hand = 0
		}
		sl := &s.slots[s.hand]
		if sl.ref || sl.hash == keep {
			sl.ref = false
			s.hand++
			continue
		}
		s.removeAt(s.hand)
		s.evictions++
		return
	}
}

// remove drops the entry of hash h, if any.
func (s *cacheShard) remove(h uint64) {
	if i, found := s.idx[h]; found {
		s.removeAt(int(i))
	}
}

// removeAt drops slots[i], moving the last slot into its place.
func (s *cacheShard) removeAt(i int) {
	s.used -= s.slots[i].size()
	delete(s.idx, s.slots[i].hash)
	last := len(s.slots) - 1
	if i != last {
		s.slots[i] = s.slots[last]
		s.idx[s.slots[i].hash] = uint32(i)
	}
	s.slots[last] = cacheSlot{} // let the value be collected
	s.slots = s.slots[:last]
}

// removeAll drops every entry.
func (s *cacheShard) removeAll() {
	clear(s.slots)
	s.slots = s.slots[:0]
	clear(s.idx)
	s.used = 0
	s.hand = 0
}

// keyWrite is what one batch does to one key.
type keyWrite struct {
	hash uint64
	key  []byte
	// value is the key's value after the batch when known is set (nil and
	// present false for a delete). Merges and single deletes leave it
	// unknown.
	value   []byte
	present bool
	known   bool
}

// writeSet is the effect of one batch on the cache, between pre and post.
type writeSet struct {
	// keys holds one keyWrite per distinct key, ordered by hash (so by
	// shard). Its slices point into the batch.
	keys []keyWrite
	// all is set when the batch does something to keys it does not name
	// (a range delete, or anything unrecognised): every shard is pending.
	all bool
}

// collect reads the keys b writes into a writeSet, using buf for storage.
func (c *readCache) collect(b *pebble.Batch, buf []keyWrite) writeSet {
	w := writeSet{keys: buf[:0]}
	r := b.Reader()
	for {
		kind, key, value, ok, err := r.Next()
		if err != nil {
			w.all = true // unreadable: assume the worst
		}
		if !ok {
			break
		}
		kw := keyWrite{key: key}
		switch kind {
		case pebble.InternalKeyKindSet:
			kw.value, kw.present, kw.known = value, true, true
		case pebble.InternalKeyKindDelete, pebble.InternalKeyKindDeleteSized:
			kw.known = true
		case pebble.InternalKeyKindMerge, pebble.InternalKeyKindSingleDelete:
			// The result depends on what is underneath.
		case pebble.InternalKeyKindLogData:
			continue // writes no key
		default: // range deletes, range keys, anything new
			w.all = true
			continue
		}
		w.keys = append(w.keys, kw)
	}
	if w.all {
		w.keys = w.keys[:0]
		return w
	}
	for i := range w.keys {
		w.keys[i].hash = c.hash(w.keys[i].key)
	}
	// Group a key's writes, in batch order, and keep the last one's
	// outcome: within a batch later records shadow earlier ones.
	slices.SortStableFunc(w.keys, func(a, b keyWrite) int {
		if a.hash != b.hash {
			if a.hash < b.hash {
				return -1
			}
			return 1
		}
		return bytes.Compare(a.key, b.key)
	})
	out := w.keys[:0]
	for _, kw := range w.keys {
		if n := len(out); n > 0 && out[n-1].hash == kw.hash && bytes.Equal(out[n-1].key, kw.key) {
			out[n-1] = kw
			continue
		}
		out = append(out, kw)
	}
	w.keys = out
	return w
}

// pre marks w's keys pending and drops their entries; see the protocol.
func (c *readCache) pre(w *writeSet) {
	if w.all {
		for i := range c.shards {
			s := &c.shards[i]
			s.mu.Lock()
			s.rangePending++
			for h, p := range s.pending {
				p.shared = true
				s.pending[h] = p
			}
			s.removeAll()
			s.version++
			s.mu.Unlock()
		}
		return
	}
	for i := 0; i < len(w.keys); {
		s := c.shard(w.keys[i].hash)
		s.mu.Lock()
		for ; i < len(w.keys) && c.shard(w.keys[i].hash) == s; i++ {
			h := w.keys[i].hash
			p, exists := s.pending[h]
			if exists || s.rangePending > 0 {
				p.shared = true
			}
			if _, found := s.idx[h]; found {
				p.cached = !exists
				s.remove(h)
			}
			p.n++
			s.pending[h] = p
		}
		s.version++
		s.mu.Unlock()
	}
}

// post ends w's writes once the commit has returned, committed telling
// whether it succeeded, and refreshes the entries it may; see the
// protocol.
func (c *readCache) post(w *writeSet, committed bool) {
	if w.all {
		for i := range c.shards {
			s := &c.shards[i]
			s.mu.Lock()
			s.rangePending--
			s.removeAll()
			s.version++
			s.mu.Unlock()
		}
		return
	}
	for i := 0; i < len(w.keys); {
		s := c.shard(w.keys[i].hash)
		s.mu.Lock()
		for ; i < len(w.keys) && c.shard(w.keys[i].hash) == s; i++ {
			kw := &w.keys[i]
			p := s.pending[kw.hash]
			p.n--
			s.remove(kw.hash)
			if p.n > 0 {
				s.pending[kw.hash] = p
				continue
			}
			delete(s.pending, kw.hash)
			if committed && kw.known && p.cached && !p.shared && s.rangePending == 0 {
				s.insert(kw.hash, kw.key, kw.value, kw.present)
			}
		}
		s.version++
		s.mu.Unlock()
	}
}

// cacheStats is a summary of the cache, for tests.
type cacheStats struct {
	hits, misses  uint64
	evictions     uint64
	entries       int
	used, pending int64
}

// stats sums the shards.
func (c *readCache) stats() cacheStats {
	var st cacheStats
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		st.hits += s.hits
		st.misses += s.misses
		st.evictions += s.evictions
		st.entries += len(s.slots)
		st.used += s.used
		st.pending += int64(len(s.pending)) + int64(s.rangePending)
		s.mu.Unlock()
	}
	return st
}
