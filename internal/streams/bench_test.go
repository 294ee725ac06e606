package streams_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/items"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/storage/pebblestore"
	"github.com/petreldb/petrel/internal/streams"
)

// BenchmarkPutItem measures PutItem through the items service on the
// in-memory engine, on a table without a stream and with a
// NEW_AND_OLD_IMAGES stream (whose records are sequenced every 1,000
// writes, as the server's maintenance or a reader would), to show what a
// stream costs a write.
func BenchmarkPutItem(b *testing.B) {
	for _, stream := range []bool{false, true} {
		name := "no stream"
		if stream {
			name = "NEW_AND_OLD_IMAGES stream"
		}
		b.Run(name, func(b *testing.B) {
			eng, err := pebblestore.Open("", pebblestore.Options{InMemory: true})
			if err != nil {
				b.Fatal(err)
			}
			defer eng.Close()
			cat, err := catalog.Open(eng)
			if err != nil {
				b.Fatal(err)
			}
			ctx := caller.With(context.Background(), caller.Identity{Account: "000000000000", Region: "us-east-1", Namespace: "n"})
			tb := &catalog.Table{Namespace: "n", Name: "t", Status: catalog.StatusActive, BillingMode: catalog.BillingPayPerRequest,
				KeySchema:            []catalog.KeyElement{{AttributeName: "pk", KeyType: catalog.KeyTypeHash}},
				AttributeDefinitions: []catalog.AttributeDefinition{{AttributeName: "pk", AttributeType: "S"}}}
			if stream {
				streams.Enable(tb, "NEW_AND_OLD_IMAGES", tb.CreatedAt)
			}
			if tb, err = cat.Create(ctx, tb); err != nil {
				b.Fatal(err)
			}
			is := items.New(cat, eng)
			ss := streams.New(cat, eng, nil)
			ins := make([]protocol.PutItemInput, 1024)
			for i := range ins {
				ins[i] = protocol.PutItemInput{TableName: &tb.Name, Item: attr.Item{
					"pk": attr.Str("k" + strconv.Itoa(i)), "n": attr.Num(strconv.Itoa(i)),
					"d": attr.Str("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
				}}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in := &ins[i%len(ins)]
				in.Item["n"] = attr.Num(strconv.Itoa(i)) // every write changes the item
				if _, err := is.PutItem(ctx, in); err != nil {
					b.Fatal(err)
				}
				if stream && i%1000 == 999 {
					if err := ss.Maintain(ctx); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
