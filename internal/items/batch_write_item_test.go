package items

import (
	"fmt"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/storage"
)

func TestBatchWriteItemValidatesEverythingBeforeWriting(t *testing.T) {
	svc, ctx := pagingService(t)
	var in protocol.BatchWriteItemInput
	siDecode(t, `{"RequestItems":{"qh":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}],"qn":[{"PutRequest":{"Item":{"pk":{"S":"b"}}}}]}}`, &in)
	_, err := svc.BatchWriteItem(ctx, &in)
	siWantErr(t, err, "ValidationException", "One or more parameter values were invalid: Missing the key sk in the item")
	out, err := svc.Scan(ctx, &protocol.ScanInput{TableName: ptr("qh")})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Count != 0 {
		t.Fatalf("a rejected batch wrote %d items", *out.Count)
	}
}

func TestBatchWriteItemMaintainsCounters(t *testing.T) {
	svc, ctx := pagingService(t)
	tbl, err := svc.table(ctx, ptr("qn"))
	if err != nil {
		t.Fatal(err)
	}
	counters := func() (count, size int64) {
		c, _, _ := svc.eng.Get(keyspace.ItemCount(tbl.ID))
		s, _, _ := svc.eng.Get(keyspace.TableSize(tbl.ID))
		return storage.ReadInt64(c), storage.ReadInt64(s)
	}
	var items []attr.Item
	want := 0
	for i := range 40 {
		it := attr.Item{"pk": attr.Str("p"), "sk": attr.Num(fmt.Sprint(i)), "v": attr.Str(strings.Repeat("v", i))}
		items = append(items, it)
		want += attr.ItemSize(it)
	}
	pagingPut(t, svc, ctx, "qn", items)
	pagingPut(t, svc, ctx, "qn", items[:10]) // overwriting changes nothing
	if c, s := counters(); c != 40 || s != int64(want) {
		t.Fatalf("counters %d items, %d bytes; want 40, %d", c, s, want)
	}
	var reqs []protocol.WriteRequest
	for _, it := range items[:20] {
		reqs = append(reqs, protocol.WriteRequest{DeleteRequest: &protocol.DeleteRequest{Key: keyAttributes(tbl, it)}})
		want -= attr.ItemSize(it)
	}
	if _, err := svc.BatchWriteItem(ctx, &protocol.BatchWriteItemInput{RequestItems: map[string][]protocol.WriteRequest{"qn": reqs}}); err != nil {
		t.Fatal(err)
	}
	if c, s := counters(); c != 20 || s != int64(want) {
		t.Fatalf("counters after deletes %d items, %d bytes; want 20, %d", c, s, want)
	}
}

// BenchmarkBatchWriteItem25 measures one BatchWriteItem of 25 small puts
// (target: well under 300 µs of CPU).
func BenchmarkBatchWriteItem25(b *testing.B) {
	svc, ctx := pagingService(b)
	reqs := make([]protocol.WriteRequest, 25)
	for i := range reqs {
		reqs[i] = protocol.WriteRequest{PutRequest: &protocol.PutRequest{Item: attr.Item{
			"pk": attr.Str(fmt.Sprintf("p%d", i)), "sk": attr.Num(fmt.Sprint(i)), "v": attr.Str(strings.Repeat("x", 100)),
		}}}
	}
	in := &protocol.BatchWriteItemInput{RequestItems: map[string][]protocol.WriteRequest{"qn": reqs}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.BatchWriteItem(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
