package pebblestore

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/petreldb/petrel/internal/storage"
)

// TestReadCacheNeverGoesBackwards has writers increment counters while
// readers on every read path (Engine.Get, which the cache serves, and
// snapshots and iterators, which read Pebble) check that no read returns
// less than a read that finished before it began: the cache must never
// serve a value older than one another reader has seen. Even keys are
// incremented read-then-write under their lock (so a stale Get inside the
// Update would also lose an increment), odd keys with AddInt64 (a merge),
// and now and then a writer range-deletes unrelated keys, which
// invalidates the whole cache.
func TestReadCacheNeverGoesBackwards(t *testing.T) {
	tests := []struct {
		name string
		size int64
	}{
		{"default cache", 0},
		{"tiny cache that keeps evicting", cacheShards * 256},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { stressReadCache(t, tc.size) })
	}
}

func stressReadCache(t *testing.T, size int64) {
	const (
		numKeys    = 8
		writers    = 4
		increments = 1000 // per writer
		rangeEvery = 50   // increments per range delete
	)
	e := openCached(t, size)
	keys := make([][]byte, numKeys)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "c/%d", i)
	}
	lower, upper := []byte("c/"), []byte("c0")

	// seen[i] is the highest value of keys[i] any read has returned.
	var seen [numKeys]atomic.Int64
	var want [numKeys]atomic.Int64
	var failed atomic.Bool
	fail := func(format string, args ...any) {
		failed.Store(true)
		t.Errorf(format, args...)
	}
	// observe checks a read of keys[i] that began after floor was loaded
	// from seen[i], then raises seen[i] to v.
	observe := func(path string, i int, floor, v int64) {
		if v < floor {
			fail("%s read %s = %d after another read had returned %d", path, keys[i], v, floor)
		}
		for {
			cur := seen[i].Load()
			if v <= cur || seen[i].CompareAndSwap(cur, v) {
				return
			}
		}
	}
	floors := func() (f [numKeys]int64) {
		for i := range f {
			f[i] = seen[i].Load()
		}
		return f
	}

	done := make(chan struct{})
	var readers sync.WaitGroup
	reader := func(path string, read func(floor [numKeys]int64) error) {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if err := read(floors()); err != nil {
					fail("%s: %v", path, err)
					return
				}
				if failed.Load() {
					return
				}
			}
		}()
	}
	reader("Engine.Get", func(floor [numKeys]int64) error {
		for i, k := range keys {
			v, _, err := e.Get(k)
			if err != nil {
				return err
			}
			observe("Engine.Get", i, floor[i], storage.ReadInt64(v))
		}
		return nil
	})
	filler := 0
	reader("Engine.Get", func(floor [numKeys]int64) error {
		// A second Get reader, in the other order, that also reads absent
		// keys to make a small cache evict.
		for i := numKeys - 1; i >= 0; i-- {
			v, _, err := e.Get(keys[i])
			if err != nil {
				return err
			}
			observe("Engine.Get", i, floor[i], storage.ReadInt64(v))
		}
		for j := 0; j < 16; j++ {
			filler = (filler + 1) % 1000
			if _, _, err := e.Get(fmt.Appendf(nil, "f/%d", filler)); err != nil {
				return err
			}
		}
		return nil
	})
	reader("Snapshot.Get", func(floor [numKeys]int64) error {
		s := e.NewSnapshot()
		defer s.Close()
		for i, k := range keys {
			v, _, err := s.Get(k)
			if err != nil {
				return err
			}
			observe("Snapshot.Get", i, floor[i], storage.ReadInt64(v))
		}
		return nil
	})
	reader("Engine.Iter", func(floor [numKeys]int64) error {
		it := e.Iter(lower, upper, false)
		defer it.Close()
		for it.Next() {
			var i int
			if _, err := fmt.Sscanf(string(it.Key()), "c/%d", &i); err != nil {
				return err
			}
			observe("Engine.Iter", i, floor[i], storage.ReadInt64(it.Value()))
		}
		return it.Err()
	})

	var writerWG sync.WaitGroup
	for w := 0; w < writers; w++ {
		writerWG.Add(1)
		go func() {
			defer writerWG.Done()
			for n := 0; n < increments && !failed.Load(); n++ {
				i := (w + n) % numKeys
				key := keys[i]
				var err error
				if i%2 == 1 {
					err = e.Update(context.Background(), nil, func(tx storage.Txn) error {
						tx.AddInt64(key, 1)
						return nil
					})
				} else {
					err = e.Update(context.Background(), [][]byte{key}, func(tx storage.Txn) error {
						floor := seen[i].Load()
						v, _, err := tx.Get(key)
						if err != nil {
							return err
						}
						old := storage.ReadInt64(v)
						observe("Txn.Get", i, floor, old)
						tx.Set(key, appendInt64(nil, old+1))
						return nil
					})
				}
				if err != nil {
					fail("Update: %v", err)
					return
				}
				want[i].Add(1)
				if n%rangeEvery == 0 {
					// A range delete of unrelated keys, which
					// invalidates the whole cache. Rarely: every one
					// slows later reads until a flush.
					err := e.Update(context.Background(), nil, func(tx storage.Txn) error {
						tx.Set(fmt.Appendf(nil, "junk/%d/%d", w, n), []byte("x"))
						tx.DeleteRange([]byte("junk/"), []byte("junk0"))
						return nil
					})
					if err != nil {
						fail("Update: %v", err)
						return
					}
				}
			}
		}()
	}
	writerWG.Wait()
	close(done)
	readers.Wait()
	if failed.Load() {
		return
	}

	for i, k := range keys {
		for pass := 0; pass < 2; pass++ { // a miss, then a hit
			v, _, err := e.Get(k)
			if err != nil {
				t.Fatal(err)
			}
			if got := storage.ReadInt64(v); got != want[i].Load() {
				t.Errorf("%s = %d after %d increments", k, got, want[i].Load())
			}
		}
	}
	st := e.cache.stats()
	if st.pending != 0 {
		t.Errorf("%d keys still pending", st.pending)
	}
	if st.hits == 0 {
		t.Error("the cache served no hits")
	}
	t.Logf("cache: %d hits, %d misses, %d evictions; %d entries, %d bytes",
		st.hits, st.misses, st.evictions, st.entries, st.used)
}
