package pebblestore

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/storage"
	"github.com/petreldb/petrel/internal/storage/storagetest"
)

func TestConformance(t *testing.T) {
	tests := []struct {
		name string
		open storagetest.Open
	}{
		{"in memory", func(t *testing.T) storage.Engine {
			e, err := Open("", Options{InMemory: true})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}},
		{"in memory with a read cache that keeps evicting", func(t *testing.T) storage.Engine {
			e, err := Open("", Options{InMemory: true, ReadCacheSize: cacheShards * 256})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}},
		{"in memory without a read cache", func(t *testing.T) storage.Engine {
			e, err := Open("", Options{InMemory: true, ReadCacheSize: -1})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}},
		{"on disk", func(t *testing.T) storage.Engine {
			e, err := Open(t.TempDir(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { storagetest.Run(t, tc.open) })
	}
}

func TestDurable(t *testing.T) {
	storagetest.RunDurable(t, func(t *testing.T) func() (storage.Engine, error) {
		dir := t.TempDir()
		return func() (storage.Engine, error) { return Open(dir, Options{}) }
	})
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	tests := []struct {
		name string
		dir  func(t *testing.T) string
		opts Options
	}{
		{"in memory", func(*testing.T) string { return "" }, Options{InMemory: true}},
		{"on disk", func(t *testing.T) string { return t.TempDir() }, Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A first Open and Close starts any process-wide helpers
			// (Pebble's and the runtime's) so they do not count below.
			warm, err := Open(tc.dir(t), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			_ = warm.Close()
			before := runtime.NumGoroutine()
			e, err := Open(tc.dir(t), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			err = e.Update(context.Background(), [][]byte{[]byte("k")}, func(tx storage.Txn) error {
				tx.Set([]byte("k"), []byte("v"))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			_ = e.NewSnapshot() // leaked on purpose: Close must release it
			_ = e.Iter(nil, nil, false)
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for runtime.NumGoroutine() > before {
				if time.Now().After(deadline) {
					buf := make([]byte, 1<<16)
					t.Fatalf("%d goroutines before Open, %d after Close:\n%s",
						before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
				}
				runtime.Gosched()
				time.Sleep(time.Millisecond) // polling a condition under a deadline
			}
		})
	}
}
