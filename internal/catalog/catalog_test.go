package catalog_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/catalog/catalogtest"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
	"github.com/petreldb/petrel/internal/storage/pebblestore"
)

func newTable(ns, name string, withRange bool) *catalog.Table {
	t := &catalog.Table{
		Namespace:            ns,
		Name:                 name,
		Status:               catalog.StatusActive,
		CreatedAt:            time.UnixMilli(1700000000123).UTC(),
		KeySchema:            []catalog.KeyElement{{AttributeName: "pk", KeyType: catalog.KeyTypeHash}},
		AttributeDefinitions: []catalog.AttributeDefinition{{AttributeName: "pk", AttributeType: "S"}},
		BillingMode:          catalog.BillingPayPerRequest,
	}
	if withRange {
		t.KeySchema = append(t.KeySchema, catalog.KeyElement{AttributeName: "sk", KeyType: catalog.KeyTypeRange})
		t.AttributeDefinitions = append(t.AttributeDefinitions, catalog.AttributeDefinition{AttributeName: "sk", AttributeType: "N"})
	}
	return t
}

func mustOpen(t *testing.T, eng storage.Engine) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Open(eng)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wantCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Code != code || e.Message != msg {
		t.Fatalf("err = %v, want %s: %s", err, code, msg)
	}
}

func TestCatalogCreateGetListDelete(t *testing.T) {
	ctx := context.Background()
	eng := catalogtest.NewEngine()
	c := mustOpen(t, eng)

	a, err := c.Create(ctx, newTable("ns1", "b-table", true))
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Create(ctx, newTable("ns1", "a-table", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctx, newTable("ns2", "a-table", false)); err != nil {
		t.Fatal(err)
	}
	if a.ID == b.ID || a.ID == 0 || b.ID == 0 {
		t.Fatalf("ids %d %d not distinct and non-zero", a.ID, b.ID)
	}
	if len(a.TableID) != 36 {
		t.Fatalf("TableID %q is not a UUID", a.TableID)
	}

	t.Run("a duplicate name is ResourceInUse with AWS's text", func(t *testing.T) {
		_, err := c.Create(ctx, newTable("ns1", "a-table", false))
		wantCode(t, err, "ResourceInUseException", "Table already exists: a-table")
	})
	t.Run("Get finds by name and by ARN and reports the keys", func(t *testing.T) {
		for _, n := range []string{"b-table", "arn:aws:dynamodb:us-east-1:000000000000:table/b-table"} {
			got, err := c.Get("ns1", n)
			if err != nil {
				t.Fatal(err)
			}
			if got != a {
				t.Fatalf("Get(%q) = %p, want %p", n, got, a)
			}
		}
		hn, ht := a.HashKey()
		rn, rt, ok := a.RangeKey()
		if hn != "pk" || ht != attr.S || rn != "sk" || rt != attr.N || !ok {
			t.Fatalf("keys = %s %v %s %v %v", hn, ht, rn, rt, ok)
		}
		if _, _, ok := b.RangeKey(); ok {
			t.Fatal("hash-only table reports a range key")
		}
	})
	t.Run("Get of a missing table, another namespace or a non-table ARN is ResourceNotFound", func(t *testing.T) {
		for _, n := range []string{"nope", "arn:aws:dynamodb:us-east-1:000000000000:table/b-table/index/x", "arn:aws:s3:::b-table"} {
			_, err := c.Get("ns1", n)
			wantCode(t, err, "ResourceNotFoundException", "Requested resource not found")
		}
		_, err := c.Get("ns2", "b-table")
		wantCode(t, err, "ResourceNotFoundException", "Requested resource not found")
	})
	t.Run("List is sorted and per namespace", func(t *testing.T) {
		if got := fmt.Sprint(c.List("ns1")); got != "[a-table b-table]" {
			t.Fatalf("List = %s", got)
		}
		if got := fmt.Sprint(c.List("ns2")); got != "[a-table]" {
			t.Fatalf("List = %s", got)
		}
	})
	t.Run("Update is copy-on-write", func(t *testing.T) {
		nt, err := c.Update(ctx, "ns1", "b-table", func(t *catalog.Table) error {
			t.DeletionProtection = true
			t.ID = 999 // ignored
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if a.DeletionProtection || !nt.DeletionProtection || nt.ID != a.ID {
			t.Fatalf("old %v new %v id %d", a.DeletionProtection, nt.DeletionProtection, nt.ID)
		}
		got, _ := c.Get("ns1", "b-table")
		if got != nt {
			t.Fatal("Get does not return the updated table")
		}
	})
	t.Run("an error from the update function changes nothing", func(t *testing.T) {
		before, _ := c.Get("ns1", "b-table")
		want := apierr.Validation("no")
		_, err := c.Update(ctx, "ns1", "b-table", func(t *catalog.Table) error {
			t.BillingMode = catalog.BillingProvisioned
			return want
		})
		if err != want {
			t.Fatalf("err = %v", err)
		}
		after, _ := c.Get("ns1", "b-table")
		if after != before || after.BillingMode != catalog.BillingPayPerRequest {
			t.Fatal("table changed")
		}
	})
	t.Run("Update of a missing table is ResourceNotFound", func(t *testing.T) {
		_, err := c.Update(ctx, "ns1", "nope", func(*catalog.Table) error { return nil })
		wantCode(t, err, "ResourceNotFoundException", "Requested resource not found")
	})
	t.Run("Delete honours the check and removes items and counters", func(t *testing.T) {
		err := eng.Update(ctx, nil, func(tx storage.Txn) error {
			lo, _ := keyspace.Items(a.ID)
			tx.Set(append(lo, 1, 2, 3), []byte("item"))
			tx.AddInt64(keyspace.ItemCount(a.ID), 1)
			lo, _ = keyspace.Items(b.ID)
			tx.Set(append(lo, 1), []byte("other"))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		stop := apierr.Validation("protected")
		if _, err := c.Delete(ctx, "ns1", "b-table", func(*catalog.Table) error { return stop }); err != stop {
			t.Fatalf("err = %v", err)
		}
		old, err := c.Delete(ctx, "ns1", "b-table", nil)
		if err != nil || old.ID != a.ID {
			t.Fatalf("Delete = %v, %v", old, err)
		}
		if _, err := c.Get("ns1", "b-table"); err == nil {
			t.Fatal("deleted table still found")
		}
		lo, hi := keyspace.Items(a.ID)
		clo, chi := keyspace.Counters(a.ID)
		if n := countKeys(eng, lo, hi) + countKeys(eng, clo, chi); n != 0 {
			t.Fatalf("%d keys of the deleted table remain", n)
		}
		blo, bhi := keyspace.Items(b.ID)
		if n := countKeys(eng, blo, bhi); n != 1 {
			t.Fatalf("other table has %d items, want 1", n)
		}
		_, err = c.Delete(ctx, "ns1", "b-table", nil)
		wantCode(t, err, "ResourceNotFoundException", "Requested resource not found")
	})
	t.Run("a recreated table gets a fresh id", func(t *testing.T) {
		nt, err := c.Create(ctx, newTable("ns1", "b-table", false))
		if err != nil {
			t.Fatal(err)
		}
		if nt.ID <= a.ID || nt.TableID == a.TableID {
			t.Fatalf("id %d uuid %s reused", nt.ID, nt.TableID)
		}
	})
	t.Run("a reopened catalog sees the same tables", func(t *testing.T) {
		c2 := mustOpen(t, eng)
		for _, ns := range []string{"ns1", "ns2"} {
			if got, want := fmt.Sprint(c2.List(ns)), fmt.Sprint(c.List(ns)); got != want {
				t.Fatalf("List(%s) = %s, want %s", ns, got, want)
			}
			for _, n := range c.List(ns) {
				x, _ := c.Get(ns, n)
				y, err := c2.Get(ns, n)
				if err != nil {
					t.Fatal(err)
				}
				if x.ID != y.ID || x.TableID != y.TableID || !x.CreatedAt.Equal(y.CreatedAt) || x.DeletionProtection != y.DeletionProtection {
					t.Fatalf("reloaded %+v, want %+v", y, x)
				}
				hx, tx := x.HashKey()
				hy, ty := y.HashKey()
				if hx != hy || tx != ty {
					t.Fatal("hash key differs after reload")
				}
			}
		}
	})
}

func countKeys(r storage.Reader, lower, upper []byte) int {
	it := r.Iter(lower, upper, false)
	defer it.Close()
	n := 0
	for it.Next() {
		n++
	}
	return n
}

func TestNameFromARN(t *testing.T) {
	tests := []struct {
		in, name string
		ok       bool
	}{
		{"plain", "plain", true},
		{"arn:aws:dynamodb:eu-west-1:123456789012:table/t1", "t1", true},
		{"arn:aws:dynamodb:eu-west-1:123456789012:table/t1/stream/2020", "", false},
		{"arn:aws:dynamodb:eu-west-1:123456789012:table/", "", false},
		{"arn:aws:dynamodb:eu-west-1:123456789012:backup/x", "", false},
		{"arn:aws:sqs:eu-west-1:123456789012:table/t1", "", false},
		{"arn:aws", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			name, ok := catalog.NameFromARN(tt.in)
			if name != tt.name || ok != tt.ok {
				t.Fatalf("NameFromARN(%q) = %q, %v; want %q, %v", tt.in, name, ok, tt.name, tt.ok)
			}
		})
	}
}

// TestCatalogConcurrentReadsAndWrites is meant for -race: readers use tables
// while writers replace them.
func TestCatalogConcurrentReadsAndWrites(t *testing.T) {
	ctx := context.Background()
	c := mustOpen(t, catalogtest.NewEngine())
	for i := range 4 {
		if _, err := c.Create(ctx, newTable("ns", fmt.Sprintf("t%d", i), true)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				tb, err := c.Get("ns", fmt.Sprintf("t%d", r))
				if err != nil {
					t.Error(err)
					return
				}
				if n, _ := tb.HashKey(); n != "pk" {
					t.Errorf("hash key %q", n)
					return
				}
				_ = tb.Throughput.ReadCapacityUnits
				_ = c.List("ns")
			}
		}()
	}
	for i := range 200 {
		_, err := c.Update(ctx, "ns", fmt.Sprintf("t%d", i%4), func(t *catalog.Table) error {
			t.Throughput.ReadCapacityUnits = int64(i)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if i%50 == 0 {
			if _, err := c.Create(ctx, newTable("ns", fmt.Sprintf("x%d", i), false)); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	wg.Wait()
}

func BenchmarkGet(b *testing.B) {
	c, err := catalog.Open(catalogtest.NewEngine())
	if err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		if _, err := c.Create(context.Background(), newTable("ns", fmt.Sprintf("table-%d", i), true)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Get("ns", "table-42"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCatalogPersistsAcrossReopenOnDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	eng, err := pebblestore.Open(dir, pebblestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := mustOpen(t, eng)
	a, err := c.Create(ctx, newTable("ns", "kept", true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctx, newTable("ns", "dropped", false)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Update(ctx, "ns", "kept", func(t *catalog.Table) error {
		t.Stream = &catalog.Stream{ViewType: "KEYS_ONLY"}
		t.StreamLabel = "2024-01-01T00:00:00.000"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Delete(ctx, "ns", "dropped", nil); err != nil {
		t.Fatal(err)
	}
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}

	eng, err = pebblestore.Open(dir, pebblestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	c = mustOpen(t, eng)
	if got := fmt.Sprint(c.List("ns")); got != "[kept]" {
		t.Fatalf("List after reopen = %s", got)
	}
	got, err := c.Get("ns", "kept")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != a.ID || got.TableID != a.TableID || got.Stream == nil || got.Stream.ViewType != "KEYS_ONLY" || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("reloaded %+v", got)
	}
	if n, typ, ok := got.RangeKey(); n != "sk" || typ != attr.N || !ok {
		t.Fatal("range key lost")
	}
	nt, err := c.Create(ctx, newTable("ns", "fresh", false))
	if err != nil {
		t.Fatal(err)
	}
	if nt.ID <= a.ID+1 {
		t.Fatalf("table id %d reused after reopen (last was %d)", nt.ID, a.ID+1)
	}
}
