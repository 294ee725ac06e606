package streams

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	wire "github.com/petreldb/petrel/internal/protocol/streams"
)

// TestDeletedTableStreamStaysReadable deletes a table with a stream and
// reads the stream for 24 hours: DISABLED, a closed shard holding every
// record (including one still pending at the deletion), listed by
// ListStreams; then Maintain deletes it, records and descriptor.
func TestDeletedTableStreamStaysReadable(t *testing.T) {
	f := newFixture(t)
	f.cat.WithClock(func() time.Time { return f.clock })
	ctx := caller.With(context.Background(), caller.Identity{Account: "000000000000", Region: "us-east-1", Namespace: "n"})
	f.write(t, "a", "", "1")
	f.log(t)
	f.write(t, "b", "", "1") // still pending when the table goes
	arn := StreamARN("us-east-1", "000000000000", "t", f.tb.StreamLabel)
	f.clock = f.clock.Add(time.Hour)
	if _, err := f.cat.Delete(f.ctx, "n", "t", nil); err != nil {
		t.Fatal(err)
	}

	read := func(t *testing.T) (keys []string, ended bool) {
		t.Helper()
		d, err := f.s.DescribeStream(ctx, &DescribeStreamInput{DescribeStreamInput: wire.DescribeStreamInput{StreamArn: &arn}})
		if err != nil {
			t.Fatal(err)
		}
		sd := d.StreamDescription
		if *sd.StreamStatus != wire.StreamStatusDisabled || *sd.TableName != "t" || len(sd.KeySchema) != 1 ||
			len(sd.Shards) != 1 || sd.Shards[0].SequenceNumberRange.EndingSequenceNumber == nil {
			t.Fatalf("description %+v", sd)
		}
		it, err := f.s.GetShardIterator(ctx, &GetShardIteratorInput{GetShardIteratorInput: wire.GetShardIteratorInput{
			StreamArn: &arn, ShardId: sd.Shards[0].ShardId, ShardIteratorType: ptr(wire.ShardIteratorTypeTrimHorizon)}})
		if err != nil {
			t.Fatal(err)
		}
		out, err := f.s.GetRecords(ctx, &wire.GetRecordsInput{ShardIterator: it.ShardIterator})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out.Records {
			keys = append(keys, r.Dynamodb.Keys["pk"].Str)
		}
		return keys, out.NextShardIterator == nil
	}
	list := func(t *testing.T, name *string) (int, error) {
		t.Helper()
		out, err := f.s.ListStreams(ctx, &wire.ListStreamsInput{TableName: name})
		if err != nil {
			return 0, err
		}
		for _, s := range out.Streams {
			if *s.StreamArn != arn {
				t.Fatalf("ListStreams lists %s", *s.StreamArn)
			}
		}
		return len(out.Streams), nil
	}

	t.Run("the stream is readable to its end after the deletion", func(t *testing.T) {
		keys, ended := read(t)
		if len(keys) != 2 || keys[0] != "a" || keys[1] != "b" || !ended {
			t.Fatalf("records %v, shard ended %v", keys, ended)
		}
		for _, name := range []*string{nil, ptr("t")} {
			if n, err := list(t, name); err != nil || n != 1 {
				t.Fatalf("ListStreams(%v): %d streams, %v", name, n, err)
			}
		}
	})
	t.Run("a new table of the same name has a new stream", func(t *testing.T) {
		tb := &catalog.Table{Namespace: "n", Name: "t", Status: catalog.StatusActive,
			KeySchema:            f.tb.KeySchema,
			AttributeDefinitions: f.tb.AttributeDefinitions,
			Stream:               &catalog.Stream{ViewType: "KEYS_ONLY"}, StreamLabel: f.tb.StreamLabel} // the same millisecond
		nt, err := f.cat.Create(f.ctx, tb)
		if err != nil {
			t.Fatal(err)
		}
		if nt.StreamLabel <= f.tb.StreamLabel {
			t.Fatalf("new table's label %s, the deleted one's %s", nt.StreamLabel, f.tb.StreamLabel)
		}
		if keys, _ := read(t); len(keys) != 2 {
			t.Fatalf("the deleted table's stream now reads %v", keys)
		}
		out, err := f.s.ListStreams(ctx, &wire.ListStreamsInput{TableName: ptr("t")})
		if err != nil || len(out.Streams) != 2 || *out.Streams[0].StreamArn != arn {
			t.Fatalf("ListStreams: %v %+v", err, out)
		}
		if _, err := f.cat.Delete(f.ctx, "n", "t", nil); err != nil {
			t.Fatal(err)
		}
		// The second table's stream never had a record: its descriptor goes
		// with the first's below.
	})
	t.Run("Maintain keeps it until 24 hours after the deletion", func(t *testing.T) {
		f.clock = f.clock.Add(Retention - time.Second)
		if err := f.s.Maintain(f.ctx); err != nil {
			t.Fatal(err)
		}
		// "a", sequenced an hour before the deletion, is 24 hours old:
		// trimmed as any record is.
		if keys, ended := read(t); len(keys) != 1 || keys[0] != "b" || !ended {
			t.Fatalf("records %v, shard ended %v", keys, ended)
		}
	})
	t.Run("then deletes it", func(t *testing.T) {
		f.clock = f.clock.Add(time.Second)
		if err := f.s.Maintain(f.ctx); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.DescribeStream(ctx, &DescribeStreamInput{DescribeStreamInput: wire.DescribeStreamInput{StreamArn: &arn}})
		var e *apierr.Error
		if !errors.As(err, &e) || e.Code != "ResourceNotFoundException" {
			t.Fatalf("DescribeStream after 24 hours: %v", err)
		}
		if _, err := list(t, ptr("t")); !errors.As(err, &e) || e.Code != "ResourceNotFoundException" {
			t.Fatalf("ListStreams of the table after 24 hours: %v", err)
		}
		if n, err := list(t, nil); err != nil || n != 0 {
			t.Fatalf("ListStreams after 24 hours: %d, %v", n, err)
		}
		lo, hi := keyspace.StreamTable(f.tb.ID)
		it := f.eng.Iter(lo, hi, false)
		left := it.Next()
		it.Close()
		if left {
			t.Fatal("stream keys left after the sweep")
		}
		if rs, err := f.cat.AllRetiredStreams(); err != nil || len(rs) != 0 {
			t.Fatalf("descriptors left: %+v %v", rs, err)
		}
	})
}

// TestDeleteWithoutStreamKeepsNothing checks that a table that never had a
// stream leaves no descriptor.
func TestDeleteWithoutStreamKeepsNothing(t *testing.T) {
	f := newFixture(t)
	tb := &catalog.Table{Namespace: "n", Name: "plain", Status: catalog.StatusActive,
		KeySchema: f.tb.KeySchema, AttributeDefinitions: f.tb.AttributeDefinitions}
	if _, err := f.cat.Create(f.ctx, tb); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cat.Delete(f.ctx, "n", "plain", nil); err != nil {
		t.Fatal(err)
	}
	if rs, err := f.cat.RetiredStreams("n", ""); err != nil || len(rs) != 0 {
		t.Fatalf("descriptors %+v %v", rs, err)
	}
}
