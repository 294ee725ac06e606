package e2e

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// TestIndexBackfillWithWritesInFlight keeps writers inserting new items —
// PutItem, BatchWriteItem and TransactWriteItems — from before UpdateTable
// adds a GSI until after it is ACTIVE, so that some writes are in flight,
// with the table version that has no index, while the index is added and
// backfilled. Every item must then be in the index exactly once. (The
// interleaving is forced deterministically by the index package's
// TestBackfillWaitsForWritesOfOlderVersions; this is the same race through
// the real server and SDK.)
func TestIndexBackfillWithWritesInFlight(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	qsTable(t, c, "bfill", "N")
	var load []map[string]types.AttributeValue
	for i := 0; i < 500; i++ {
		load = append(load, map[string]types.AttributeValue{"pk": ixS(fmt.Sprintf("p%d", i%11)), "sk": ixN(fmt.Sprint(i)), "g": ixS("old")})
	}
	qsPutAll(t, c, "bfill", load)

	var stop atomic.Bool
	var next atomic.Int64
	next.Store(1000)
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	item := func(w int) map[string]types.AttributeValue {
		i := next.Add(1)
		return map[string]types.AttributeValue{"pk": ixS(fmt.Sprintf("w%d", w)), "sk": ixN(fmt.Sprint(i)), "g": ixS(fmt.Sprintf("g%d", i%5))}
	}
	started := make(chan struct{}, 3)
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for n := 0; !stop.Load() || n < 30; n++ {
				if n == 5 {
					started <- struct{}{}
				}
				var err error
				switch w {
				case 0:
					_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("bfill"), Item: item(w)})
				case 1:
					_, err = c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"bfill": {
						{PutRequest: &types.PutRequest{Item: item(w)}}, {PutRequest: &types.PutRequest{Item: item(w)}}}}})
				case 2:
					_, err = c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
						{Put: &types.Put{TableName: aws.String("bfill"), Item: item(w)}}, {Put: &types.Put{TableName: aws.String("bfill"), Item: item(w)}}}})
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	for w := 0; w < 3; w++ {
		<-started
	}
	if _, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("bfill"),
		AttributeDefinitions: attrDefs("g", "S"),
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("byG"), KeySchema: ixKeys("g"), Projection: ixProj(types.ProjectionTypeKeysOnly)}}}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("bfill")})
		if err != nil {
			t.Fatal(err)
		}
		if d.Table.GlobalSecondaryIndexes[0].IndexStatus == types.IndexStatusActive {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the index never became ACTIVE")
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	want := map[string]bool{}
	for _, it := range ixScanAll(t, c, nil) {
		want[ixStr(it["pk"])+"/"+ixStr(it["sk"])] = true
	}
	got := map[string]bool{}
	for _, it := range ixScanAll(t, c, aws.String("byG")) {
		k := ixStr(it["pk"]) + "/" + ixStr(it["sk"])
		if got[k] {
			t.Fatalf("%s indexed twice", k)
		}
		if !want[k] {
			t.Fatalf("%s indexed, not in the table", k)
		}
		got[k] = true
	}
	if len(got) != len(want) {
		for k := range want {
			if !got[k] {
				t.Errorf("%s is missing from the index", k)
			}
		}
		t.Fatalf("index holds %d items, the table %d", len(got), len(want))
	}
}
