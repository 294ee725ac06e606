package items

import (
	"errors"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/caller"
)

// TestWritesAreCountedInFlight checks the hook an index backfill relies on
// (catalog.Table.WaitWrites): every write is counted on the table's
// version from before it reads the item until its commit has returned,
// whatever its outcome.
func TestWritesAreCountedInFlight(t *testing.T) {
	s, ctx := siService(t)
	tb, err := s.cat.Get(caller.From(ctx).Namespace, "comp")
	if err != nil {
		t.Fatal(err)
	}
	req := func(pk string, fail bool) writeReq {
		k, err := keyFromKey(tb, attr.Item{"pk": attr.Str(pk), "sk": attr.Num("1")})
		if err != nil {
			t.Fatal(err)
		}
		return writeReq{table: tb, key: &k, mutate: func(old attr.Item) (attr.Item, error) {
			if n := tb.Current().Writes(); n < 1 {
				t.Errorf("%d writes in flight during a write", n)
			}
			if fail {
				return nil, errTestRefused
			}
			return attr.Item{"pk": attr.Str(pk), "sk": attr.Num("1")}, nil
		}}
	}
	check := func(what string) {
		t.Helper()
		if n := tb.Current().Writes(); n != 0 {
			t.Fatalf("%s: %d writes still counted", what, n)
		}
	}
	w := req("a", false)
	if _, err := s.write(ctx, &w); err != nil {
		t.Fatal(err)
	}
	check("a write")
	w = req("b", true)
	if _, err := s.write(ctx, &w); err == nil {
		t.Fatal("the refused write succeeded")
	}
	check("a refused write")
	if _, _, err := s.writeMany(ctx, []writeReq{req("c", false), req("d", false)}); err != nil {
		t.Fatal(err)
	}
	check("a multi-item write")
	if _, _, err := s.writeMany(ctx, []writeReq{req("e", false), req("f", true)}); err == nil {
		t.Fatal("the refused multi-item write succeeded")
	}
	check("a refused multi-item write")
}

var errTestRefused = errors.New("refused by the test")
