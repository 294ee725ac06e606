package pebblestore

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/petreldb/petrel/internal/storage"
)

// benchUpdates runs b.N single-key read-then-write Updates on g goroutines,
// as a conditional PutItem does, cycling over keys distinct keys (0 means
// every Update writes a new key).
func benchUpdates(b *testing.B, e *Engine, g int, keys int64) {
	var next atomic.Int64
	value := make([]byte, 100)
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := 0; w < g; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := make([]byte, 16)
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				if keys > 0 {
					i %= keys
				}
				binary.BigEndian.PutUint64(key[8:], uint64(i))
				err := e.Update(context.Background(), [][]byte{key}, func(tx storage.Txn) error {
					if _, _, err := tx.Get(key); err != nil {
						return err
					}
					tx.Set(key, value)
					tx.AddInt64([]byte("count"), 1)
					return nil
				})
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkUpdateSync measures synced on-disk commits: with 16 goroutines
// Pebble's commit pipeline shares WAL syncs, so throughput should be
// several times that of one goroutine.
func BenchmarkUpdateSync(b *testing.B) {
	for _, g := range []int{1, 16} {
		b.Run(fmt.Sprintf("goroutines=%d", g), func(b *testing.B) {
			e, err := Open(b.TempDir(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			benchUpdates(b, e, g, 0)
		})
	}
}

// BenchmarkUpdateMem measures the in-memory hot path of one Update, over a
// small working set and over ever new keys (which adds flushes and
// compactions to the cost), with and without the read cache (which serves
// the Update's Get when the key's last write refreshed it).
func BenchmarkUpdateMem(b *testing.B) {
	for _, keys := range []int64{10_000, 0} {
		for _, cache := range []struct {
			name string
			size int64
		}{{"on", 0}, {"off", -1}} {
			b.Run(fmt.Sprintf("keys=%d/cache=%s", keys, cache.name), func(b *testing.B) {
				e, err := Open("", Options{InMemory: true, ReadCacheSize: cache.size})
				if err != nil {
					b.Fatal(err)
				}
				defer e.Close()
				benchUpdates(b, e, 1, keys)
			})
		}
	}
}

// BenchmarkGetMem measures a committed-read Get of a small value.
func BenchmarkGetMem(b *testing.B) {
	e, err := Open("", Options{InMemory: true})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	key := []byte("some/key")
	err = e.Update(context.Background(), nil, func(tx storage.Txn) error {
		tx.Set(key, make([]byte, 100))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok, err := e.Get(key); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// benchKeys writes n keys of the item-like shape the server's benchmark
// uses (a ~30-byte key, a 300-byte value) and returns them.
func benchKeys(b *testing.B, e *Engine, n int) [][]byte {
	keys := make([][]byte, n)
	value := make([]byte, 300)
	for i := range keys {
		keys[i] = binary.BigEndian.AppendUint64([]byte("i/\x00\x00\x00\x07/partition-"), uint64(i))
		err := e.Update(context.Background(), nil, func(tx storage.Txn) error {
			tx.Set(keys[i], value)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return keys
}

// BenchmarkGet measures Engine.Get of random keys among 10,000 300-byte
// values: without the read cache, with every read a hit (the cache is
// warm and large enough), and with nearly every read a miss (a cache
// holding ~1% of the keys, so each Get also pays lookup, fill and
// eviction).
func BenchmarkGet(b *testing.B) {
	const n = 10_000
	for _, tc := range []struct {
		name string
		size int64
	}{
		{"cache=off", -1},
		{"cache=hit", DefaultReadCacheSize},
		{"cache=miss", 64 << 10},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e, err := Open("", Options{InMemory: true, ReadCacheSize: tc.size})
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			keys := benchKeys(b, e, n)
			for _, k := range keys { // warm the cache
				if _, _, err := e.Get(k); err != nil {
					b.Fatal(err)
				}
			}
			rng := rand.New(rand.NewPCG(1, 2))
			order := make([]int32, 1<<16)
			for i := range order {
				order[i] = int32(rng.IntN(n))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, ok, err := e.Get(keys[order[i&(len(order)-1)]]); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

// BenchmarkReadWrite measures what a PutItem does to storage: an Update
// that reads a random one of 10,000 300-byte values under its key's lock
// and writes it back, with and without the read cache.
func BenchmarkReadWrite(b *testing.B) {
	const n = 10_000
	for _, tc := range []struct {
		name string
		size int64
	}{{"cache=off", -1}, {"cache=on", 0}} {
		b.Run(tc.name, func(b *testing.B) {
			e, err := Open("", Options{InMemory: true, ReadCacheSize: tc.size})
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			keys := benchKeys(b, e, n)
			for _, k := range keys { // warm the cache
				if _, _, err := e.Get(k); err != nil {
					b.Fatal(err)
				}
			}
			rng := rand.New(rand.NewPCG(1, 2))
			value := make([]byte, 300)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				key := keys[rng.IntN(n)]
				err := e.Update(context.Background(), [][]byte{key}, func(tx storage.Txn) error {
					if _, ok, err := tx.Get(key); !ok || err != nil {
						return fmt.Errorf("get: %v %v", ok, err)
					}
					tx.Set(key, value)
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
