package pebblestore

import (
	"context"
	"encoding/binary"
	"fmt"
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
// compactions to the cost).
func BenchmarkUpdateMem(b *testing.B) {
	for _, keys := range []int64{10_000, 0} {
		b.Run(fmt.Sprintf("keys=%d", keys), func(b *testing.B) {
			e, err := Open("", Options{InMemory: true})
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			benchUpdates(b, e, 1, keys)
		})
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
