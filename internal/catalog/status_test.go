package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/catalog/catalogtest"
)

func TestStatusAt(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		status string
		until  time.Time
		now    time.Time
		want   string
	}{
		{"an ACTIVE table is ACTIVE", catalog.StatusActive, time.Time{}, t0, catalog.StatusActive},
		{"a status without an end is final ACTIVE", catalog.StatusCreating, time.Time{}, t0, catalog.StatusActive},
		{"CREATING holds before its end", catalog.StatusCreating, t0.Add(time.Second), t0, catalog.StatusCreating},
		{"CREATING ends exactly at its end", catalog.StatusCreating, t0, t0, catalog.StatusActive},
		{"UPDATING holds before its end", catalog.StatusUpdating, t0.Add(time.Nanosecond), t0, catalog.StatusUpdating},
		{"UPDATING is over after its end", catalog.StatusUpdating, t0, t0.Add(time.Hour), catalog.StatusActive},
		{"an empty status (older entries) is ACTIVE", "", t0.Add(time.Hour), t0, catalog.StatusActive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &catalog.Table{Status: tt.status, StatusUntil: tt.until}
			if got := tb.StatusAt(tt.now); got != tt.want {
				t.Fatalf("StatusAt = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestGetHidesCreatingTables(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	eng := catalogtest.NewEngine()
	c := mustOpen(t, eng).WithClock(func() time.Time { return now })
	tb := newTable("ns", "slow", false)
	tb.Status, tb.StatusUntil = catalog.StatusCreating, now.Add(500*time.Millisecond)
	if _, err := c.Create(ctx, tb); err != nil {
		t.Fatal(err)
	}

	t.Run("Get answers TableNotFound while the table is CREATING", func(t *testing.T) {
		_, err := c.Get("ns", "slow")
		wantCode(t, err, "ResourceNotFoundException", "Requested resource not found")
	})
	t.Run("Lookup sees the CREATING table", func(t *testing.T) {
		got, err := c.Lookup("ns", "slow")
		if err != nil || got.StatusAt(now) != catalog.StatusCreating {
			t.Fatalf("Lookup = %v, %v", got, err)
		}
	})
	t.Run("a second Create of the name still fails", func(t *testing.T) {
		_, err := c.Create(ctx, newTable("ns", "slow", false))
		wantCode(t, err, "ResourceInUseException", "Table already exists: slow")
	})
	t.Run("Update reaches the CREATING table", func(t *testing.T) {
		if _, err := c.Update(ctx, "ns", "slow", func(*catalog.Table) error { return nil }); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the transient status survives a reopen", func(t *testing.T) {
		c2 := mustOpen(t, eng).WithClock(func() time.Time { return now })
		got, err := c2.Lookup("ns", "slow")
		if err != nil || got.Status != catalog.StatusCreating || !got.StatusUntil.Equal(now.Add(500*time.Millisecond)) {
			t.Fatalf("reopened: %+v, %v", got, err)
		}
	})
	t.Run("Get finds the table once CREATING is over", func(t *testing.T) {
		now = now.Add(500 * time.Millisecond)
		if _, err := c.Get("ns", "slow"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("UPDATING tables stay readable", func(t *testing.T) {
		if _, err := c.Update(ctx, "ns", "slow", func(t *catalog.Table) error {
			t.Status, t.StatusUntil = catalog.StatusUpdating, now.Add(time.Second)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Get("ns", "slow"); err != nil {
			t.Fatal(err)
		}
	})
}
