// Package itemstest builds what the data plane's unit tests run on: an
// in-memory storage engine (closed when the test ends), a catalog over it, a
// caller context and ACTIVE on-demand tables created in that catalog. It
// serves the tests of package items and of the packages over it (partiql,
// ttl); it must not import items itself, so that items' own in-package tests
// can use it without an import cycle. Only tests import it.
package itemstest

import (
	"context"
	"testing"

	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/storage"
	"github.com/petreldb/petrel/internal/storage/pebblestore"
)

// Open returns an in-memory engine, closed when the test ends, and a
// catalog over it.
func Open(t testing.TB) (storage.Engine, *catalog.Catalog) {
	t.Helper()
	eng, err := pebblestore.Open("", pebblestore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	cat, err := catalog.Open(eng)
	if err != nil {
		t.Fatal(err)
	}
	return eng, cat
}

// Context returns a context whose caller is account 000000000000 in
// us-east-1, in namespace ns.
func Context(ns string) context.Context {
	return caller.With(context.Background(), caller.Identity{Account: "000000000000", Region: "us-east-1", Namespace: ns})
}

// Key is one key attribute: its name and scalar type ("S", "N" or "B").
type Key struct{ Name, Type string }

// Table returns an ACTIVE PAY_PER_REQUEST table of namespace ns named name,
// keyed on keys: the partition key, then the sort key if there is one.
func Table(ns, name string, keys ...Key) *catalog.Table {
	tb := &catalog.Table{Namespace: ns, Name: name, Status: catalog.StatusActive, BillingMode: catalog.BillingPayPerRequest}
	for i, k := range keys {
		kt := catalog.KeyTypeHash
		if i == 1 {
			kt = catalog.KeyTypeRange
		}
		tb.KeySchema = append(tb.KeySchema, catalog.KeyElement{AttributeName: k.Name, KeyType: kt})
		tb.AttributeDefinitions = append(tb.AttributeDefinitions, catalog.AttributeDefinition{AttributeName: k.Name, AttributeType: k.Type})
	}
	return tb
}

// Create stores tb in cat and returns the stored table; a failure ends the
// test.
func Create(t testing.TB, ctx context.Context, cat *catalog.Catalog, tb *catalog.Table) *catalog.Table {
	t.Helper()
	created, err := cat.Create(ctx, tb)
	if err != nil {
		t.Fatal(err)
	}
	return created
}
