package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// qsTable creates an on-demand table named name with partition key pk of
// type S and, when skType is not "", sort key sk of that type.
func qsTable(t *testing.T, c *dynamodb.Client, name, skType string) {
	t.Helper()
	in := &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		BillingMode:          types.BillingModePayPerRequest,
	}
	if skType != "" {
		in.KeySchema = append(in.KeySchema, types.KeySchemaElement{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange})
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeType(skType)})
	}
	if _, err := c.CreateTable(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}

// qsPutAll writes items to table with BatchWriteItem, 25 per call.
func qsPutAll(t *testing.T, c *dynamodb.Client, table string, items []map[string]types.AttributeValue) {
	t.Helper()
	for len(items) > 0 {
		n := min(25, len(items))
		reqs := make([]types.WriteRequest, n)
		for i, it := range items[:n] {
			reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
		}
		out, err := c.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.UnprocessedItems) != 0 {
			t.Fatalf("unprocessed items: %v", out.UnprocessedItems)
		}
		items = items[n:]
	}
}

// qsWantErr checks err is the API error code: msg.
func qsWantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s: %s", err, code, msg)
	}
	if ae.ErrorCode() != code || ae.ErrorMessage() != msg {
		t.Fatalf("got  %s: %q\nwant %s: %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

func qsS(s string) types.AttributeValue  { return &types.AttributeValueMemberS{Value: s} }
func qsN(s string) types.AttributeValue  { return &types.AttributeValueMemberN{Value: s} }
func qsB(b []byte) types.AttributeValue  { return &types.AttributeValueMemberB{Value: b} }
func qsBool(b bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: b} }

func TestQueryAndScanPaginatorsOverOneMegabytePages(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	qsTable(t, c, "big", "N")
	data := strings.Repeat("x", 100_000)
	var items []map[string]types.AttributeValue
	for i := range 30 {
		items = append(items, map[string]types.AttributeValue{"pk": qsS("p"), "sk": qsN(fmt.Sprint(i)), "data": qsS(data)})
	}
	qsPutAll(t, c, "big", items)

	for _, forward := range []bool{true, false} {
		t.Run(fmt.Sprintf("query forward=%v splits at 1 MB and keeps sort order", forward), func(t *testing.T) {
			p := dynamodb.NewQueryPaginator(c, &dynamodb.QueryInput{
				TableName:                 aws.String("big"),
				KeyConditionExpression:    aws.String("pk = :p"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":p": qsS("p")},
				ScanIndexForward:          aws.Bool(forward),
			})
			var pages []int
			var got []string
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				pages = append(pages, int(out.Count))
				if out.Count != out.ScannedCount {
					t.Fatalf("Count %d ScannedCount %d", out.Count, out.ScannedCount)
				}
				for _, it := range out.Items {
					got = append(got, it["sk"].(*types.AttributeValueMemberN).Value)
				}
			}
			if !slices.Equal(pages, []int{11, 11, 8}) {
				t.Fatalf("page sizes %v, want [11 11 8]", pages)
			}
			for i, v := range got {
				want := i
				if !forward {
					want = 29 - i
				}
				if v != fmt.Sprint(want) {
					t.Fatalf("item %d has sk %s, want %d", i, v, want)
				}
			}
		})
	}
	t.Run("scan paginator returns every item once", func(t *testing.T) {
		p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String("big"), ProjectionExpression: aws.String("sk")})
		seen := map[string]bool{}
		pages := 0
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, it := range out.Items {
				if _, ok := it["data"]; ok || len(it) != 1 {
					t.Fatalf("projection not applied: %v", it)
				}
				v := it["sk"].(*types.AttributeValueMemberN).Value
				if seen[v] {
					t.Fatalf("item %s returned twice", v)
				}
				seen[v] = true
			}
		}
		if len(seen) != 30 || pages != 3 {
			t.Fatalf("%d items in %d pages, want 30 in 3", len(seen), pages)
		}
	})
	t.Run("consumed capacity counts the data read", func(t *testing.T) {
		out, err := c.Query(ctx, &dynamodb.QueryInput{
			TableName: aws.String("big"), KeyConditionExpression: aws.String("pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": qsS("p")},
			ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal, ConsistentRead: aws.Bool(true),
			Select: types.SelectCount,
		})
		if err != nil {
			t.Fatal(err)
		}
		// 11 items of 100,000 bytes of data plus names and keys: 269 units.
		size := 11 * (len("pk") + 1 + len("sk") + 2 + len("data") + 100_000)
		want := float64((size + 4095) / 4096)
		if out.ConsumedCapacity == nil || aws.ToFloat64(out.ConsumedCapacity.CapacityUnits) != want || aws.ToString(out.ConsumedCapacity.TableName) != "big" {
			t.Fatalf("ConsumedCapacity %+v, want %v units on big", out.ConsumedCapacity, want)
		}
		if out.Items != nil || out.Count != 11 {
			t.Fatalf("Select COUNT: Items %v Count %d", out.Items, out.Count)
		}
	})
}

func TestParallelScanFourSegments(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	qsTable(t, c, "par", "N")
	var items []map[string]types.AttributeValue
	for i := range 1000 {
		items = append(items, map[string]types.AttributeValue{"pk": qsS(fmt.Sprintf("p%d", i%250)), "sk": qsN(fmt.Sprint(i))})
	}
	qsPutAll(t, c, "par", items)
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for seg := range int32(4) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String("par"), Segment: aws.Int32(seg), TotalSegments: aws.Int32(4), Limit: aws.Int32(37)})
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				for _, it := range out.Items {
					seen[it["sk"].(*types.AttributeValueMemberN).Value]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != 1000 {
		t.Fatalf("segments returned %d distinct items, want 1000", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("item %s returned %d times", k, n)
		}
	}
}

func TestQueryFiltersLimitAndCount(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	qsTable(t, c, "flt", "N")
	var items []map[string]types.AttributeValue
	for i := range 20 {
		items = append(items, map[string]types.AttributeValue{"pk": qsS("p"), "sk": qsN(fmt.Sprint(i)), "even": qsBool(i%2 == 0), "name": qsS(fmt.Sprintf("n%02d", i))})
	}
	qsPutAll(t, c, "flt", items)
	vals := map[string]types.AttributeValue{":p": qsS("p"), ":t": qsBool(true)}
	tests := []struct {
		name                  string
		in                    dynamodb.QueryInput
		count, scanned, items int32
		lek                   bool
	}{
		{"limit applies before the filter", dynamodb.QueryInput{FilterExpression: aws.String("even = :t"), Limit: aws.Int32(5)}, 3, 5, 3, true},
		{"a filter without limit reads the whole partition", dynamodb.QueryInput{FilterExpression: aws.String("even = :t")}, 10, 20, 10, false},
		{"count with a filter counts matches", dynamodb.QueryInput{FilterExpression: aws.String("even = :t"), Select: types.SelectCount}, 10, 20, 0, false},
		{"a limit equal to the partition size still returns a key", dynamodb.QueryInput{Limit: aws.Int32(20), ExpressionAttributeValues: map[string]types.AttributeValue{":p": qsS("p")}}, 20, 20, 20, true},
		{"a sort-key range with projection", dynamodb.QueryInput{KeyConditionExpression: aws.String("pk = :p AND sk BETWEEN :a AND :b"), ProjectionExpression: aws.String("#n"), ExpressionAttributeNames: map[string]string{"#n": "name"}, ExpressionAttributeValues: map[string]types.AttributeValue{":p": qsS("p"), ":a": qsN("3"), ":b": qsN("6")}}, 4, 4, 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.TableName = aws.String("flt")
			if in.KeyConditionExpression == nil {
				in.KeyConditionExpression = aws.String("pk = :p")
			}
			if in.ExpressionAttributeValues == nil {
				in.ExpressionAttributeValues = vals
			}
			out, err := c.Query(ctx, &in)
			if err != nil {
				t.Fatal(err)
			}
			if out.Count != tt.count || out.ScannedCount != tt.scanned || int32(len(out.Items)) != tt.items || (out.LastEvaluatedKey != nil) != tt.lek {
				t.Fatalf("Count %d ScannedCount %d items %d LEK %v; want %d %d %d %v", out.Count, out.ScannedCount, len(out.Items), out.LastEvaluatedKey, tt.count, tt.scanned, tt.items, tt.lek)
			}
		})
	}
	t.Run("scan with a filter and a limit pages through everything", func(t *testing.T) {
		p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String("flt"), FilterExpression: aws.String("even = :t"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":t": qsBool(true)}, Limit: aws.Int32(3)})
		var count, scanned int32
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			count += out.Count
			scanned += out.ScannedCount
		}
		if count != 10 || scanned != 20 {
			t.Fatalf("Count %d ScannedCount %d, want 10 and 20", count, scanned)
		}
	})
}

// qsRefCompare is DynamoDB's key order, implemented independently of the
// server: N numerically, S and B by unsigned bytes (behaviours.md §2).
func qsRefCompare(a, b types.AttributeValue) int {
	switch x := a.(type) {
	case *types.AttributeValueMemberN:
		p, _ := new(big.Rat).SetString(x.Value)
		q, _ := new(big.Rat).SetString(b.(*types.AttributeValueMemberN).Value)
		return p.Cmp(q)
	case *types.AttributeValueMemberS:
		return bytes.Compare([]byte(x.Value), []byte(b.(*types.AttributeValueMemberS).Value))
	}
	return bytes.Compare(a.(*types.AttributeValueMemberB).Value, b.(*types.AttributeValueMemberB).Value)
}

func qsRandKey(r *rand.Rand, typ string) (types.AttributeValue, string) {
	switch typ {
	case "S":
		runes := []rune("aAbZ0 ~é¿😀\uffff")
		var sb strings.Builder
		for range 1 + r.IntN(5) {
			sb.WriteRune(runes[r.IntN(len(runes))])
		}
		return qsS(sb.String()), sb.String()
	case "B":
		alpha := []byte{0x00, 0x01, 0x41, 0x7f, 0x80, 0xfe, 0xff}
		b := make([]byte, 1+r.IntN(4))
		for i := range b {
			b[i] = alpha[r.IntN(len(alpha))]
		}
		return qsB(b), string(b)
	}
	var sb strings.Builder
	if r.IntN(2) == 0 {
		sb.WriteByte('-')
	}
	for range 1 + r.IntN(6) {
		sb.WriteByte(byte('0' + r.IntN(10)))
	}
	if r.IntN(2) == 0 {
		sb.WriteByte('.')
		sb.WriteByte(byte('0' + r.IntN(10)))
	}
	fmt.Fprintf(&sb, "e%d", r.IntN(7)-3)
	rat, _ := new(big.Rat).SetString(sb.String())
	return qsN(sb.String()), rat.RatString()
}

func TestQueryOrderMatchesReferenceSort(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	r := rand.New(rand.NewPCG(11, 12))
	for _, typ := range []string{"S", "N", "B"} {
		t.Run(typ+" sort keys are returned in DynamoDB order both ways", func(t *testing.T) {
			table := "order" + typ
			qsTable(t, c, table, typ)
			seen := map[string]bool{}
			var keys []types.AttributeValue
			var items []map[string]types.AttributeValue
			for len(keys) < 200 {
				v, id := qsRandKey(r, typ)
				if seen[id] {
					continue
				}
				seen[id] = true
				keys = append(keys, v)
				items = append(items, map[string]types.AttributeValue{"pk": qsS("p"), "sk": v})
			}
			qsPutAll(t, c, table, items)
			slices.SortFunc(keys, qsRefCompare)
			for _, forward := range []bool{true, false} {
				p := dynamodb.NewQueryPaginator(c, &dynamodb.QueryInput{
					TableName: aws.String(table), KeyConditionExpression: aws.String("pk = :p"),
					ExpressionAttributeValues: map[string]types.AttributeValue{":p": qsS("p")},
					ScanIndexForward:          aws.Bool(forward), Limit: aws.Int32(23),
				})
				var got []types.AttributeValue
				for p.HasMorePages() {
					out, err := p.NextPage(ctx)
					if err != nil {
						t.Fatal(err)
					}
					for _, it := range out.Items {
						got = append(got, it["sk"])
					}
				}
				want := slices.Clone(keys)
				if !forward {
					slices.Reverse(want)
				}
				if len(got) != len(want) {
					t.Fatalf("forward=%v: %d items, want %d", forward, len(got), len(want))
				}
				for i := range got {
					if qsRefCompare(got[i], want[i]) != 0 {
						t.Fatalf("forward=%v: position %d is %v, want %v", forward, i, got[i], want[i])
					}
				}
			}
		})
	}
}

func TestScanStableUnderConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	qsTable(t, c, "stable", "")
	var items []map[string]types.AttributeValue
	for i := range 300 {
		items = append(items, map[string]types.AttributeValue{"pk": qsS(fmt.Sprintf("old%d", i))})
	}
	qsPutAll(t, c, "stable", items)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			k := fmt.Sprintf("new%d", i)
			c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("stable"), Item: map[string]types.AttributeValue{"pk": qsS(k)}})
			if i%2 == 1 {
				c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("stable"), Key: map[string]types.AttributeValue{"pk": qsS(fmt.Sprintf("new%d", i-1))}})
			}
		}
	}()
	seen := map[string]int{}
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String("stable"), Limit: aws.Int32(7)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range out.Items {
			seen[it["pk"].(*types.AttributeValueMemberS).Value]++
		}
	}
	close(stop)
	<-done
	for i := range 300 {
		if n := seen[fmt.Sprintf("old%d", i)]; n != 1 {
			t.Fatalf("unchanged item old%d seen %d times", i, n)
		}
	}
}
