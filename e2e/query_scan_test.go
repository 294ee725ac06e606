package e2e

import (
	"bytes"
	"context"
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

	"github.com/petreldb/petrel/internal/server/servertest"
)

// qsTable creates an on-demand table named name with partition key pk of
// type S and, when skType is not "", sort key sk of that type.
func qsTable(t *testing.T, c *dynamodb.Client, name, skType string) {
	t.Helper()
	if skType == "" {
		createTable(t, c, name, "pk", "S")
		return
	}
	createTable(t, c, name, "pk", "S", "sk", skType)
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

func TestInvalidQueryAndScanRequests(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.Client()
	qsTable(t, c, "inv", "N")
	qsTable(t, c, "invs", "S")
	qsTable(t, c, "invh", "")
	const ve = "ValidationException"
	q := func(kce, vals string, extra string) string {
		b := `{"TableName":"inv","KeyConditionExpression":"` + kce + `"`
		if vals != "" {
			b += `,"ExpressionAttributeValues":{` + vals + `}`
		}
		return b + extra + `}`
	}
	p := `":p":{"S":"p"}`
	runRawErrors(t, srv, []qsRawError{
		{"query without a key condition", "Query", `{"TableName":"inv"}`, ve, "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."},
		{"query of a missing table", "Query", `{"TableName":"nope","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}}}`, "ResourceNotFoundException", "Requested resource not found"},
		{"scan of a missing table", "Scan", `{"TableName":"nope"}`, "ResourceNotFoundException", "Requested resource not found"},
		{"key condition on a non-key attribute", "Query", q("x = :p", p, ""), ve, "Query condition missed key schema element"},
		{"key condition on the sort key only", "Query", q("sk = :n", `":n":{"N":"1"}`, ""), ve, "Query condition missed key schema element"},
		{"partition key compared with >", "Query", q("pk > :p", p, ""), ve, "Query key condition not supported"},
		{"partition key with begins_with", "Query", q("begins_with(pk, :p)", p, ""), ve, "Query key condition not supported"},
		{"OR in a key condition", "Query", q("pk = :p OR pk = :p", p, ""), ve, "Invalid operator used in KeyConditionExpression: OR"},
		{"<> in a key condition", "Query", q("pk = :p AND sk <> :n", p+`,":n":{"N":"1"}`, ""), ve, "Invalid operator used in KeyConditionExpression: <>"},
		{"contains in a key condition", "Query", q("pk = :p AND contains(sk, :n)", p+`,":n":{"N":"1"}`, ""), ve, "Invalid operator used in KeyConditionExpression: contains"},
		{"two conditions on the sort key", "Query", q("pk = :p AND sk > :n AND sk < :n", p+`,":n":{"N":"1"}`, ""), ve, "KeyConditionExpressions must only contain one condition per key"},
		{"size in a key condition", "Query", q("size(pk) = :n", `":n":{"N":"1"}`, ""), ve, "KeyConditionExpressions cannot contain nested operations"},
		{"nested path in a key condition", "Query", q("pk.x = :p", p, ""), ve, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"},
		{"begins_with on a number sort key", "Query", q("pk = :p AND begins_with(sk, :n)", p+`,":n":{"N":"1"}`, ""), ve, "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"key condition value of the wrong type", "Query", q("pk = :p AND sk = :s", p+`,":s":{"S":"1"}`, ""), ve, "One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"reversed BETWEEN bounds", "Query", q("pk = :p AND sk BETWEEN :b AND :a", p+`,":a":{"N":"1"},":b":{"N":"3"}`, ""), ve, "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:3}, upper bound operand: AttributeValue: {N:1}"},
		{"empty key condition", "Query", q("", "", ""), ve, "Invalid KeyConditionExpression: The expression can not be empty;"},
		{"key condition syntax error", "Query", q("pk = ", "", ""), ve, `Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "= "`},
		{"filter on the partition key", "Query", q("pk = :p", p, `,"FilterExpression":"pk = :p"`), ve, "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk"},
		{"filter on the sort key", "Query", q("pk = :p", p+`,":n":{"N":"1"}`, `,"FilterExpression":"sk > :n"`), ve, "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
		{"filter syntax error", "Scan", `{"TableName":"inv","FilterExpression":"x = "}`, ve, `Invalid FilterExpression: Syntax error; token: "<EOF>", near: "= "`},
		{"index that does not exist", "Query", q("pk = :p", p, `,"IndexName":"nope"`), ve, "The table does not have the specified index: nope"},
		{"all projected attributes without an index", "Query", q("pk = :p", p, `,"Select":"ALL_PROJECTED_ATTRIBUTES"`), ve, "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"},
		{"specific attributes without a projection", "Query", q("pk = :p", p, `,"Select":"SPECIFIC_ATTRIBUTES"`), ve, "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"},
		{"count with a projection", "Scan", `{"TableName":"inv","Select":"COUNT","ProjectionExpression":"a"}`, ve, "Cannot specify the ProjectionExpression when choosing to get only the Count"},
		{"all attributes with a projection", "Scan", `{"TableName":"inv","Select":"ALL_ATTRIBUTES","ProjectionExpression":"a"}`, ve, "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"},
		{"start key without the sort key", "Query", q("pk = :p", p, `,"ExclusiveStartKey":{"pk":{"S":"p"}}`), ve, "Exclusive Start Key must have same size as table's key schema"},
		{"start key with an extra attribute", "Scan", `{"TableName":"invh","ExclusiveStartKey":{"pk":{"S":"p"},"x":{"S":"p"}}}`, ve, "Exclusive Start Key must have same size as table's key schema"},
		{"start key in another partition", "Query", q("pk = :p", p, `,"ExclusiveStartKey":{"pk":{"S":"q"},"sk":{"N":"1"}}`), ve, "The provided starting key does not match the range key predicate"},
		{"start key of the wrong type", "Scan", `{"TableName":"inv","ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"S":"1"}}}`, ve, "Type mismatch for attribute to update"},
		{"segment without total segments", "Scan", `{"TableName":"inv","Segment":1}`, ve, "If segment is specified, total segment must also be specified"},
		{"total segments without segment", "Scan", `{"TableName":"inv","TotalSegments":4}`, ve, "If total segments is specified, a particular segment must also be specified for this request"},
		{"segment equal to total segments", "Scan", `{"TableName":"inv","Segment":2,"TotalSegments":2}`, ve, "1 validation error detected: Value '2' at 'segment' failed to satisfy constraint: Member must have value less than or equal to 1"},
		{"values without a filter in a scan", "Scan", `{"TableName":"inv","ExpressionAttributeValues":{":v":{"S":"x"}}}`, ve, "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null"},
		{"names without any expression", "Scan", `{"TableName":"inv","ExpressionAttributeNames":{"#a":"a"}}`, ve, "ExpressionAttributeNames can only be specified when using expressions"},
		{"unused value in a query", "Query", q("pk = :p", p+`,":w":{"S":"w"}`, ""), ve, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
		{"undefined value in a key condition", "Query", q("pk = :nope", p, ""), ve, "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"query filter mixed with expressions", "Query", q("pk = :p", p, `,"FilterExpression":"a = :p","QueryFilter":{"a":{"ComparisonOperator":"NULL"}}`), ve, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter} Expression parameters: {FilterExpression, KeyConditionExpression}"},
		{"conditional operator mixed with a filter expression", "Scan", `{"TableName":"inv","FilterExpression":"a = :v","ConditionalOperator":"OR","ExpressionAttributeValues":{":v":{"S":"x"}}}`, ve, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ConditionalOperator} Expression parameters: {FilterExpression}"},
		{"legacy EQ with two values", "Query", `{"TableName":"inv","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"},{"S":"b"}]}}}`, ve, "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"},
		{"empty partition key value", "Query", q("pk = :p", `":p":{"S":""}`, ""), ve, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"parallel scan start key from another segment", "Scan", `{"TableName":"invh","Segment":0,"TotalSegments":1000000,"ExclusiveStartKey":{"pk":{"S":"zzz"}}}`, ve, "Exclusive start key must lie within the segment"},
	})
}
