package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/catalog/catalogtest"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

func TestDeleteRetiresStreams(t *testing.T) {
	ctx := context.Background()
	eng := catalogtest.NewEngine()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := mustOpen(t, eng).WithClock(func() time.Time { return now })
	tb := newTable("ns", "s", false)
	tb.Streams = []catalog.StreamInfo{{Label: "2026-03-01T00:00:00.000", ViewType: "KEYS_ONLY", Disabled: now.Add(-time.Hour)}}
	tb.Stream, tb.StreamLabel = &catalog.Stream{ViewType: "NEW_IMAGE"}, "2026-03-01T01:00:00.000" // after a disabled one
	a, err := c.Create(ctx, tb)
	if err != nil {
		t.Fatal(err)
	}
	// A stream record, kept by the deletion.
	rec := keyspace.StreamRecord(a.ID, 1, 1)
	if err := eng.Update(ctx, nil, func(tx storage.Txn) error { tx.Set(rec, []byte("r")); return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Delete(ctx, "ns", "s", nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := eng.Get(rec); !ok {
		t.Fatal("the deletion dropped the stream's records")
	}
	rs, err := c.RetiredStreams("ns", "s")
	if err != nil || len(rs) != 2 {
		t.Fatalf("retired %+v %v", rs, err)
	}
	if r := rs[0]; r.Label != "2026-03-01T00:00:00.000" || !r.Disabled.Equal(now.Add(-time.Hour)) || r.TableID != a.ID || !r.Deleted.Equal(now) {
		t.Fatalf("the disabled stream: %+v", r)
	}
	if r := rs[1]; r.Label != "2026-03-01T01:00:00.000" || r.ViewType != "NEW_IMAGE" || !r.Disabled.Equal(now) || len(r.KeySchema) != 1 || r.Table != "s" {
		t.Fatalf("the enabled stream: %+v", r)
	}
	if r, ok, err := c.RetiredStream("ns", "s", rs[1].Label); err != nil || !ok || r.Label != rs[1].Label {
		t.Fatalf("RetiredStream: %+v %v %v", r, ok, err)
	}
	if all, err := c.AllRetiredStreams(); err != nil || len(all) != 2 {
		t.Fatalf("all retired: %d %v", len(all), err)
	}

	t.Run("a new table of the same name gets a later label", func(t *testing.T) {
		nt := newTable("ns", "s", false)
		nt.Stream, nt.StreamLabel = &catalog.Stream{ViewType: "KEYS_ONLY"}, "2026-03-01T01:00:00.000"
		b, err := c.Create(ctx, nt)
		if err != nil {
			t.Fatal(err)
		}
		if b.StreamLabel != "2026-03-01T01:00:00.001" {
			t.Fatalf("label %s", b.StreamLabel)
		}
		// Enabling a stream (UpdateTable) is checked too.
		u, err := c.Update(ctx, "ns", "s", func(t *catalog.Table) error {
			t.Streams = []catalog.StreamInfo{{Label: "2026-03-01T00:30:00.000", ViewType: "OLD_IMAGE"}}
			t.StreamLabel = "2026-03-01T00:30:00.000"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if u.StreamLabel != "2026-03-01T01:00:00.002" || u.Streams[0].Label != u.StreamLabel {
			t.Fatalf("after update: %s %+v", u.StreamLabel, u.Streams)
		}
	})
}
