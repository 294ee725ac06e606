package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/petreldb/petrel/internal/storage"
)

// Store is one persistent location (a directory, a database schema) made
// fresh for a test. Each call of the returned open opens an engine on that
// same location, so data committed before a Close must be there after the
// next open.
type Store func(t *testing.T) (open func() (storage.Engine, error))

// RunDurable checks that committed writes of every kind survive closing
// and reopening the engine, for engines that persist.
func RunDurable(t *testing.T, store Store) {
	t.Run("committed writes survive close and reopen", func(t *testing.T) {
		open := store(t)
		e := mustOpen(t, open)
		set(t, e, "a", "1", "b", "2", "c", "3", "d", "4", "gone", "x")
		err := e.Update(context.Background(), [][]byte{[]byte("gone")}, func(tx storage.Txn) error {
			tx.Delete([]byte("gone"))
			tx.DeleteRange([]byte("b"), []byte("d"))
			tx.AddInt64([]byte("n"), 40)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 100; i++ {
			set(t, e, fmt.Sprintf("many/%03d", i), fmt.Sprint(i))
		}
		boom := errors.New("boom")
		err = e.Update(context.Background(), nil, func(tx storage.Txn) error {
			tx.Set([]byte("a"), []byte("rolled back"))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		mustClose(t, e)

		for round := 0; round < 2; round++ {
			e = mustOpen(t, open)
			wantValue(t, e, "a", "1", true)
			wantValue(t, e, "b", "", false)
			wantValue(t, e, "c", "", false)
			wantValue(t, e, "d", "4", true)
			wantValue(t, e, "gone", "", false)
			if got := counter(t, e, "n"); got != 40+int64(round) {
				t.Errorf("round %d: n = %d; want %d", round, got, 40+round)
			}
			if got := len(collect(t, e, []byte("many/"), []byte("many0"), true)); got != 100 {
				t.Errorf("round %d: %d of 100 keys", round, got)
			}
			err := e.Update(context.Background(), nil, func(tx storage.Txn) error {
				tx.AddInt64([]byte("n"), 1)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			mustClose(t, e)
		}
	})
}

func mustOpen(t *testing.T, open func() (storage.Engine, error)) storage.Engine {
	t.Helper()
	e, err := open()
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return e
}

func mustClose(t *testing.T, e storage.Engine) {
	t.Helper()
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}
