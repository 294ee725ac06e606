package pebblestore

import (
	"testing"

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
