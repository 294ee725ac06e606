package tables

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/catalog/catalogtest"
	"github.com/petreldb/petrel/internal/protocol"
)

// testClock is a clock the tests move by hand; the service and its catalog
// share it.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time            { return c.t }
func (c *testClock) advance(d time.Duration)   { c.t = c.t.Add(d) }
func (c *testClock) set(t time.Time) time.Time { c.t = t; return t }

// newDelayedService is newService with a transient delay and a movable
// clock.
func newDelayedService(t *testing.T, delay time.Duration) (*Service, *testClock) {
	t.Helper()
	clk := &testClock{t: fixedNow}
	eng := catalogtest.NewEngine()
	cat, err := catalog.Open(eng)
	if err != nil {
		t.Fatal(err)
	}
	cat.WithClock(clk.now)
	return New(cat, eng).WithClock(clk.now).WithTransientDelay(delay), clk
}

// statusOrErr is what DescribeTable says about name: its status or its
// error code.
func statusOrErr(s *Service, name string) string {
	out, err := s.DescribeTable(context.Background(), &protocol.DescribeTableInput{TableName: ptr(name)})
	if err != nil {
		return errCode(err)
	}
	return *out.Table.TableStatus
}

func errCode(err error) string {
	if err == nil {
		return "ok"
	}
	if e, ok := apierr.As(err); ok {
		return e.Code
	}
	return err.Error()
}

// dataPlane is what the data plane's table lookup says about name.
func dataPlane(s *Service, name string) string {
	_, err := s.cat.Get("shared", name)
	return errCode(err)
}

func listed(s *Service) string {
	out, err := s.ListTables(context.Background(), &protocol.ListTablesInput{})
	if err != nil {
		return errCode(err)
	}
	return fmt.Sprint(out.TableNames)
}

func TestTransientStatusesWithoutDelay(t *testing.T) {
	ctx := context.Background()
	s, _ := newDelayedService(t, 0)
	steps := []struct {
		name string
		do   func() (string, error)
		want string // response status, then DescribeTable's, then the data plane's
	}{
		{"CreateTable answers CREATING and the table is ACTIVE at once", func() (string, error) {
			out, err := s.CreateTable(ctx, createIn("tb1", nil))
			if err != nil {
				return "", err
			}
			return *out.TableDescription.TableStatus, nil
		}, "CREATING ACTIVE ok"},
		{"UpdateTable answers UPDATING and the table is ACTIVE at once", func() (string, error) {
			out, err := s.UpdateTable(ctx, &protocol.UpdateTableInput{TableName: ptr("tb1"), TableClass: ptr("STANDARD")})
			if err != nil {
				return "", err
			}
			return *out.TableDescription.TableStatus, nil
		}, "UPDATING ACTIVE ok"},
		{"DeleteTable answers DELETING and the table is gone at once", func() (string, error) {
			out, err := s.DeleteTable(ctx, &protocol.DeleteTableInput{TableName: ptr("tb1")})
			if err != nil {
				return "", err
			}
			return *out.TableDescription.TableStatus, nil
		}, "DELETING ResourceNotFoundException ResourceNotFoundException"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			resp, err := st.do()
			if err != nil {
				t.Fatal(err)
			}
			if got := resp + " " + statusOrErr(s, "tb1") + " " + dataPlane(s, "tb1"); got != st.want {
				t.Fatalf("got %q, want %q", got, st.want)
			}
		})
	}
	if s.status.deleting != nil {
		t.Fatal("a table was remembered as DELETING without a delay")
	}
}

func TestTransientStatusesWithDelay(t *testing.T) {
	ctx := context.Background()
	const delay = 500 * time.Millisecond
	s, clk := newDelayedService(t, delay)
	create := func(name string) error {
		_, err := s.CreateTable(ctx, createIn(name, nil))
		return err
	}
	update := func(name string) error {
		_, err := s.UpdateTable(ctx, &protocol.UpdateTableInput{TableName: ptr(name), TableClass: ptr("STANDARD")})
		return err
	}
	del := func(name string) (string, error) {
		out, err := s.DeleteTable(ctx, &protocol.DeleteTableInput{TableName: ptr(name)})
		if err != nil {
			return "", err
		}
		return *out.TableDescription.TableStatus, nil
	}
	tag := func(name string) error {
		_, err := s.TagResource(ctx, &protocol.TagResourceInput{
			ResourceArn: ptr(catalog.TableARN("us-east-1", "000000000000", name)),
			Tags:        []protocol.Tag{{Key: ptr("k"), Value: ptr("v")}},
		})
		return err
	}
	inUse := func(what string) string {
		return "Attempt to change a resource which is still in use: Table is being " + what + ": tb2"
	}

	if err := create("tb2"); err != nil {
		t.Fatal(err)
	}
	t.Run("a new table is CREATING until the delay has passed", func(t *testing.T) {
		if got := statusOrErr(s, "tb2"); got != "CREATING" {
			t.Fatalf("DescribeTable: %s", got)
		}
		clk.advance(delay - time.Millisecond)
		if got := statusOrErr(s, "tb2"); got != "CREATING" {
			t.Fatalf("DescribeTable just before the end: %s", got)
		}
	})
	t.Run("the data plane does not see a CREATING table; ListTables does", func(t *testing.T) {
		if got := dataPlane(s, "tb2"); got != "ResourceNotFoundException" {
			t.Fatalf("data plane: %s", got)
		}
		if got := listed(s); got != "[tb2]" {
			t.Fatalf("ListTables: %s", got)
		}
	})
	t.Run("changes to a CREATING table are ResourceInUse", func(t *testing.T) {
		wantErr(t, update("tb2"), "ResourceInUseException", inUse("created"))
		_, err := del("tb2")
		wantErr(t, err, "ResourceInUseException", inUse("created"))
		wantErr(t, create("tb2"), "ResourceInUseException", inUse("created"))
		wantErr(t, tag("tb2"), "ResourceInUseException", inUse("created"))
	})
	t.Run("the table is ACTIVE and usable once the delay has passed", func(t *testing.T) {
		clk.advance(time.Millisecond)
		if got := statusOrErr(s, "tb2") + " " + dataPlane(s, "tb2"); got != "ACTIVE ok" {
			t.Fatalf("after the delay: %s", got)
		}
		wantErr(t, create("tb2"), "ResourceInUseException", "Table already exists: tb2")
	})
	t.Run("an updated table is UPDATING and still usable", func(t *testing.T) {
		if err := update("tb2"); err != nil {
			t.Fatal(err)
		}
		if got := statusOrErr(s, "tb2") + " " + dataPlane(s, "tb2"); got != "UPDATING ok" {
			t.Fatalf("after UpdateTable: %s", got)
		}
	})
	t.Run("an UPDATING table can be tagged but not updated or deleted", func(t *testing.T) {
		if err := tag("tb2"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, update("tb2"), "ResourceInUseException", inUse("updated"))
		_, err := del("tb2")
		wantErr(t, err, "ResourceInUseException", inUse("updated"))
		if got := statusOrErr(s, "tb2"); got != "UPDATING" {
			t.Fatalf("tagging changed the status to %s", got)
		}
	})
	t.Run("UPDATING ends after the delay", func(t *testing.T) {
		clk.advance(delay)
		if got := statusOrErr(s, "tb2"); got != "ACTIVE" {
			t.Fatalf("after the delay: %s", got)
		}
	})
	deletedAt := clk.t
	t.Run("a deleted table is DELETING for the delay, gone for the data plane", func(t *testing.T) {
		st, err := del("tb2")
		if err != nil || st != "DELETING" {
			t.Fatalf("DeleteTable: %s %v", st, err)
		}
		clk.advance(delay / 2)
		if got := statusOrErr(s, "tb2") + " " + dataPlane(s, "tb2") + " " + listed(s); got != "DELETING ResourceNotFoundException [tb2]" {
			t.Fatalf("while DELETING: %s", got)
		}
	})
	t.Run("deleting a DELETING table again is no error", func(t *testing.T) {
		st, err := del("tb2")
		if err != nil || st != "DELETING" {
			t.Fatalf("second DeleteTable: %s %v", st, err)
		}
	})
	t.Run("other changes to a DELETING table are ResourceInUse", func(t *testing.T) {
		wantErr(t, update("tb2"), "ResourceInUseException", inUse("deleted"))
		wantErr(t, create("tb2"), "ResourceInUseException", inUse("deleted"))
		wantErr(t, tag("tb2"), "ResourceInUseException", inUse("deleted"))
		out, err := s.ListTagsOfResource(ctx, &protocol.ListTagsOfResourceInput{ResourceArn: ptr(catalog.TableARN("us-east-1", "000000000000", "tb2"))})
		if err != nil || len(out.Tags) != 1 {
			t.Fatalf("ListTagsOfResource while DELETING: %+v %v", out, err)
		}
	})
	t.Run("after the delay the table is gone and the name free", func(t *testing.T) {
		clk.set(deletedAt.Add(delay))
		if got := statusOrErr(s, "tb2") + " " + listed(s); got != "ResourceNotFoundException []" {
			t.Fatalf("after the delay: %s", got)
		}
		_, err := del("tb2")
		wantErr(t, err, "ResourceNotFoundException", "Requested resource not found: Table: tb2 not found")
		if err := create("tb2"); err != nil {
			t.Fatal(err)
		}
		if len(s.status.deleting) != 0 {
			t.Fatalf("%d expired DELETING tables still remembered", len(s.status.deleting))
		}
	})
}

func TestDeletingTablesAreListedOnce(t *testing.T) {
	s, clk := newDelayedService(t, time.Second)
	for _, n := range []string{"b-1", "a-1", "c-1"} {
		mustCreate(t, s, createIn(n, nil))
	}
	clk.advance(time.Second)
	if _, err := s.DeleteTable(context.Background(), &protocol.DeleteTableInput{TableName: ptr("b-1")}); err != nil {
		t.Fatal(err)
	}
	if got := listed(s); got != "[a-1 b-1 c-1]" {
		t.Fatalf("ListTables while b-1 is DELETING: %s", got)
	}
	if got := fmt.Sprint(dedupSorted([]string{"a", "a", "b", "c", "c"})); got != "[a b c]" {
		t.Fatalf("dedupSorted: %s", got)
	}
}

func TestWithTransientDelay(t *testing.T) {
	tests := []struct {
		name string
		in   time.Duration
		want time.Duration
	}{
		{"zero keeps changes instant", 0, 0},
		{"a negative delay is zero", -time.Second, 0},
		{"a positive delay is kept", 200 * time.Millisecond, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newDelayedService(t, tt.in)
			if got := s.TransientDelay(); got != tt.want {
				t.Fatalf("TransientDelay = %v, want %v", got, tt.want)
			}
		})
	}
}
