package pebblestore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble"

	"github.com/petreldb/petrel/internal/storage"
)

// openCached opens an in-memory engine with a read cache of size bytes.
func openCached(t *testing.T, size int64) *Engine {
	t.Helper()
	e, err := Open("", Options{InMemory: true, ReadCacheSize: size})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

// update runs fn in one Update locking nothing and fails the test on error.
func update(t *testing.T, e *Engine, fn func(tx storage.Txn)) {
	t.Helper()
	err := e.Update(context.Background(), nil, func(tx storage.Txn) error {
		fn(tx)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// got is the outcome of one Get, in a comparable form.
type got struct {
	value   string
	present bool
	hit     bool
}

func (g got) String() string {
	if !g.present {
		return fmt.Sprintf("absent (hit %v)", g.hit)
	}
	return fmt.Sprintf("%q (hit %v)", g.value, g.hit)
}

// getHit reads key through Engine.Get and reports whether the cache served
// it.
func getHit(t *testing.T, e *Engine, key string) got {
	t.Helper()
	before := e.cache.stats().hits
	v, ok, err := e.Get([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	if ok && v == nil {
		t.Fatalf("Get(%q) returned nil for a present value", key)
	}
	return got{value: string(v), present: ok, hit: e.cache.stats().hits > before}
}

func TestReadCacheServesRepeatedGets(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(tx storage.Txn)
		key    string
		second got
	}{
		{
			name:   "a second Get of a key is a hit",
			setup:  func(tx storage.Txn) { tx.Set([]byte("k"), []byte("v")) },
			key:    "k",
			second: got{value: "v", present: true, hit: true},
		},
		{
			name:   "an absent key is cached as absent",
			setup:  func(tx storage.Txn) { tx.Set([]byte("other"), []byte("v")) },
			key:    "k",
			second: got{present: false, hit: true},
		},
		{
			name:   "an empty value is cached as present and empty",
			setup:  func(tx storage.Txn) { tx.Set([]byte("k"), nil) },
			key:    "k",
			second: got{value: "", present: true, hit: true},
		},
		{
			name:   "a value over the size limit is never cached",
			setup:  func(tx storage.Txn) { tx.Set([]byte("k"), bytes.Repeat([]byte("x"), maxCachedValue+1)) },
			key:    "k",
			second: got{value: strings.Repeat("x", maxCachedValue+1), present: true, hit: false},
		},
		{
			name:   "a counter is cached like any value",
			setup:  func(tx storage.Txn) { tx.AddInt64([]byte("k"), 7) },
			key:    "k",
			second: got{value: string(appendInt64(nil, 7)), present: true, hit: true},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := openCached(t, 0)
			update(t, e, tc.setup)
			first := getHit(t, e, tc.key)
			if first.hit {
				t.Errorf("first Get: hit, want a miss")
			}
			second := getHit(t, e, tc.key)
			if second != tc.second {
				t.Errorf("second Get = %v, want %v", second, tc.second)
			}
			if first.value != second.value || first.present != second.present {
				t.Errorf("first Get = %v, second = %v", first, second)
			}
		})
	}
}

func TestReadCacheInvalidatesOnWrite(t *testing.T) {
	n := func(v int64) string { return string(appendInt64(nil, v)) }
	k, other := []byte("k"), []byte("m")
	tests := []struct {
		name string
		// write runs in an Update after k (=1) and m (=9) have been cached.
		write func(tx storage.Txn) error
		// after is the next Get of k; hit says whether the write left the
		// new value cached (a sole writer of a cached key refreshes it).
		after got
		// otherHit says whether m is still cached after the write.
		otherHit bool
	}{
		{
			name:     "Set replaces the cached value",
			write:    func(tx storage.Txn) error { tx.Set(k, []byte(n(2))); return nil },
			after:    got{value: n(2), present: true, hit: true},
			otherHit: true,
		},
		{
			name:     "Delete caches the absence",
			write:    func(tx storage.Txn) error { tx.Delete(k); return nil },
			after:    got{present: false, hit: true},
			otherHit: true,
		},
		{
			name:     "AddInt64 drops the cached value",
			write:    func(tx storage.Txn) error { tx.AddInt64(k, 5); return nil },
			after:    got{value: n(6), present: true, hit: false},
			otherHit: true,
		},
		{
			name:     "Set then AddInt64 in one Update drops the cached value",
			write:    func(tx storage.Txn) error { tx.Set(k, []byte(n(10))); tx.AddInt64(k, 5); return nil },
			after:    got{value: n(15), present: true, hit: false},
			otherHit: true,
		},
		{
			name:     "AddInt64 then Set in one Update caches the Set",
			write:    func(tx storage.Txn) error { tx.AddInt64(k, 5); tx.Set(k, []byte(n(3))); return nil },
			after:    got{value: n(3), present: true, hit: true},
			otherHit: true,
		},
		{
			name:     "Set then Delete in one Update caches the absence",
			write:    func(tx storage.Txn) error { tx.Set(k, []byte(n(2))); tx.Delete(k); return nil },
			after:    got{present: false, hit: true},
			otherHit: true,
		},
		{
			name:     "Delete then Set in one Update caches the Set",
			write:    func(tx storage.Txn) error { tx.Delete(k); tx.Set(k, []byte(n(4))); return nil },
			after:    got{value: n(4), present: true, hit: true},
			otherHit: true,
		},
		{
			name:     "DeleteRange over the key empties the whole cache",
			write:    func(tx storage.Txn) error { tx.DeleteRange([]byte("a"), []byte("l")); return nil },
			after:    got{present: false, hit: false},
			otherHit: false,
		},
		{
			name:     "DeleteRange elsewhere empties the whole cache too",
			write:    func(tx storage.Txn) error { tx.DeleteRange([]byte("x"), []byte("z")); return nil },
			after:    got{value: n(1), present: true, hit: false},
			otherHit: false,
		},
		{
			name: "a failed Update keeps the cached value",
			write: func(tx storage.Txn) error {
				tx.Set(k, []byte(n(2)))
				return errors.New("rolled back")
			},
			after:    got{value: n(1), present: true, hit: true},
			otherHit: true,
		},
		{
			name:     "a write of another key keeps the cached value",
			write:    func(tx storage.Txn) error { tx.Set([]byte("q"), []byte(n(2))); return nil },
			after:    got{value: n(1), present: true, hit: true},
			otherHit: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := openCached(t, 0)
			update(t, e, func(tx storage.Txn) {
				tx.Set(k, []byte(n(1)))
				tx.Set(other, []byte(n(9)))
			})
			getHit(t, e, "k")
			getHit(t, e, "m")
			if g := getHit(t, e, "k"); !g.hit {
				t.Fatalf("k not cached before the write")
			}
			err := e.Update(context.Background(), [][]byte{k}, tc.write)
			if err != nil && err.Error() != "rolled back" {
				t.Fatal(err)
			}
			if g := getHit(t, e, "k"); g != tc.after {
				t.Errorf("Get(k) after the write = %v, want %v", g, tc.after)
			}
			if g := getHit(t, e, "k"); !g.hit || g.value != tc.after.value || g.present != tc.after.present {
				t.Errorf("second Get(k) after the write = %v, want a hit of %v", g, tc.after)
			}
			if g := getHit(t, e, "m"); g.hit != tc.otherHit || g.value != n(9) {
				t.Errorf("Get(m) after the write = %v, want %q (hit %v)", g, n(9), tc.otherHit)
			}
			if st := e.cache.stats(); st.pending != 0 {
				t.Errorf("%d keys still pending after the Update", st.pending)
			}
		})
	}
}

func TestReadCacheWriteOfAbsentCachedKey(t *testing.T) {
	e := openCached(t, 0)
	getHit(t, e, "k") // caches the absence
	if g := getHit(t, e, "k"); !g.hit || g.present {
		t.Fatalf("Get(k) = %v, want a hit of absent", g)
	}
	update(t, e, func(tx storage.Txn) { tx.Set([]byte("k"), []byte("v")) })
	if g, want := getHit(t, e, "k"), (got{value: "v", present: true, hit: true}); g != want {
		t.Errorf("Get(k) after Set = %v, want %v", g, want)
	}
}

func TestReadCacheReturnsPrivateCopies(t *testing.T) {
	tests := []struct {
		name string
		read func(e *Engine, key []byte) ([]byte, bool, error)
	}{
		{"through Engine.Get", func(e *Engine, key []byte) ([]byte, bool, error) { return e.Get(key) }},
		{"through a Txn", func(e *Engine, key []byte) (v []byte, ok bool, err error) {
			uerr := e.Update(context.Background(), [][]byte{key}, func(tx storage.Txn) error {
				v, ok, err = tx.Get(key)
				return nil
			})
			if err == nil {
				err = uerr
			}
			return v, ok, err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := openCached(t, 0)
			key := []byte("k")
			value := []byte("original")
			update(t, e, func(tx storage.Txn) { tx.Set(key, value) })
			copy(value, "CLOBBERD")  // the caller reuses its slice
			for i := 0; i < 3; i++ { // a miss, then hits
				v, ok, err := tc.read(e, key)
				if err != nil || !ok || string(v) != "original" {
					t.Fatalf("read %d = %q, %v, %v; want \"original\"", i, v, ok, err)
				}
				copy(v, "MUTATED!")
			}
			key[0] = 'z' // the caller reuses its key too
			if v, ok, err := e.Get([]byte("k")); err != nil || !ok || string(v) != "original" {
				t.Fatalf("Get(k) = %q, %v, %v; want \"original\"", v, ok, err)
			}
		})
	}
}

func TestReadCacheStaysWithinBudget(t *testing.T) {
	const budget = cacheShards * 2048
	e := openCached(t, budget)
	value := bytes.Repeat([]byte("v"), 200)
	const n = 2000
	update(t, e, func(tx storage.Txn) {
		for i := 0; i < n; i++ {
			tx.Set(fmt.Appendf(nil, "key%05d", i), value)
		}
	})
	for round := 0; round < 2; round++ {
		for i := 0; i < n; i++ {
			v, ok, err := e.Get(fmt.Appendf(nil, "key%05d", i))
			if err != nil || !ok || !bytes.Equal(v, value) {
				t.Fatalf("Get(key%05d) = %q, %v, %v", i, v, ok, err)
			}
		}
	}
	st := e.cache.stats()
	if st.used > budget {
		t.Errorf("cache uses %d bytes, budget %d", st.used, budget)
	}
	if max := budget / (200 + 8 + entryOverhead); st.entries > max || st.entries < max/2 {
		t.Errorf("cache holds %d entries, want between %d and %d", st.entries, max/2, max)
	}
	for i := range e.cache.shards {
		if s := &e.cache.shards[i]; s.used > s.budget {
			t.Errorf("shard %d uses %d bytes, budget %d", i, s.used, s.budget)
		}
	}
}

func TestCacheShardEvictionKeepsHotKeys(t *testing.T) {
	c := newReadCache(cacheShards * 1024)
	s := &c.shards[0]
	value := make([]byte, 100)
	// Keys are told apart by hash alone here; give each its own.
	hot := []byte("hot")
	s.insert(1, hot, value, true)
	for i := uint64(2); i < 200; i++ {
		s.insert(i, []byte("cold"), value, true)
		if s.used > s.budget {
			t.Fatalf("after %d inserts the shard uses %d bytes, budget %d", i, s.used, s.budget)
		}
		j, ok := s.idx[1]
		if !ok {
			t.Fatalf("hot key evicted after %d inserts", i)
		}
		s.slots[j].ref = true // what a hit does
	}
}

func TestReadCacheDisabled(t *testing.T) {
	for _, size := range []int64{-1, 1000} {
		t.Run(fmt.Sprintf("size %d", size), func(t *testing.T) {
			e := openCached(t, size)
			if e.cache != nil {
				t.Fatalf("read cache enabled with ReadCacheSize %d", size)
			}
			update(t, e, func(tx storage.Txn) { tx.Set([]byte("k"), []byte("v")) })
			if v, ok, err := e.Get([]byte("k")); err != nil || !ok || string(v) != "v" {
				t.Fatalf("Get(k) = %q, %v, %v", v, ok, err)
			}
		})
	}
}

func TestCloseDropsReadCache(t *testing.T) {
	e := openCached(t, 0)
	update(t, e, func(tx storage.Txn) { tx.Set([]byte("k"), []byte("v")) })
	getHit(t, e, "k")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if e.cache != nil {
		t.Error("the read cache outlives Close")
	}
	if _, _, err := e.Get([]byte("k")); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("Get after Close: %v, want ErrClosed", err)
	}
}

func TestCollectWrites(t *testing.T) {
	type want struct {
		key     string
		value   string
		present bool
		known   bool
	}
	tests := []struct {
		name  string
		batch func(b *pebble.Batch)
		want  []want
		all   bool
	}{
		{
			name:  "a Set is known and present",
			batch: func(b *pebble.Batch) { _ = b.Set([]byte("a"), []byte("1"), nil) },
			want:  []want{{"a", "1", true, true}},
		},
		{
			name:  "a Delete is known and absent",
			batch: func(b *pebble.Batch) { _ = b.Delete([]byte("a"), nil) },
			want:  []want{{"a", "", false, true}},
		},
		{
			name:  "a Merge is unknown",
			batch: func(b *pebble.Batch) { _ = b.Merge([]byte("a"), appendInt64(nil, 1), nil) },
			want:  []want{{"a", "", false, false}},
		},
		{
			name:  "a SingleDelete is unknown",
			batch: func(b *pebble.Batch) { _ = b.SingleDelete([]byte("a"), nil) },
			want:  []want{{"a", "", false, false}},
		},
		{
			name: "the last write of a key wins",
			batch: func(b *pebble.Batch) {
				_ = b.Set([]byte("a"), []byte("1"), nil)
				_ = b.Merge([]byte("a"), appendInt64(nil, 1), nil)
				_ = b.Set([]byte("b"), []byte("2"), nil)
				_ = b.Set([]byte("a"), []byte("3"), nil)
				_ = b.Set([]byte("b"), []byte("4"), nil)
				_ = b.Merge([]byte("b"), appendInt64(nil, 1), nil)
			},
			want: []want{{"a", "3", true, true}, {"b", "", false, false}},
		},
		{
			name: "a DeleteRange covers every shard",
			batch: func(b *pebble.Batch) {
				_ = b.Set([]byte("a"), []byte("1"), nil)
				_ = b.DeleteRange([]byte("b"), []byte("c"), nil)
			},
			all: true,
		},
		{
			name:  "log data writes nothing",
			batch: func(b *pebble.Batch) { _ = b.LogData([]byte("x"), nil) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := openCached(t, 0)
			b := e.db.NewBatch()
			defer b.Close()
			tc.batch(b)
			w := e.cache.collect(b, nil)
			if w.all != tc.all {
				t.Errorf("all = %v, want %v", w.all, tc.all)
			}
			var gotKeys []want
			for i, kw := range w.keys {
				if kw.hash != e.cache.hash(kw.key) {
					t.Errorf("key %q has the wrong hash", kw.key)
				}
				if i > 0 && w.keys[i-1].hash > kw.hash {
					t.Errorf("keys not ordered by hash")
				}
				if kw.known && !kw.present && kw.value != nil {
					t.Errorf("key %q: a known absence with a value", kw.key)
				}
				value := string(kw.value)
				if !kw.known {
					value = ""
				}
				gotKeys = append(gotKeys, want{string(kw.key), value, kw.present && kw.known, kw.known})
			}
			if len(gotKeys) != len(tc.want) {
				t.Fatalf("keys = %v, want %v", gotKeys, tc.want)
			}
			for _, wk := range tc.want {
				found := false
				for _, gk := range gotKeys {
					if gk == wk {
						found = true
					}
				}
				if !found {
					t.Errorf("keys = %v, want %v", gotKeys, tc.want)
				}
			}
		})
	}
}
