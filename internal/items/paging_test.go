package items

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/items/itemstest"
	"github.com/petreldb/petrel/internal/protocol"
)

// pagingService returns a Service over an in-memory engine with the tables
// the Query/Scan/batch tests use: "qn" (pk S, sk N), "qs" (pk S, sk S), "qb"
// (pk S, sk B) and "qh" (pk S only).
func pagingService(t testing.TB) (*Service, context.Context) {
	t.Helper()
	eng, cat := itemstest.Open(t)
	ctx := itemstest.Context("paging")
	pk := itemstest.Key{Name: "pk", Type: "S"}
	itemstest.Create(t, ctx, cat, itemstest.Table("paging", "qn", pk, itemstest.Key{Name: "sk", Type: "N"}))
	itemstest.Create(t, ctx, cat, itemstest.Table("paging", "qs", pk, itemstest.Key{Name: "sk", Type: "S"}))
	itemstest.Create(t, ctx, cat, itemstest.Table("paging", "qb", pk, itemstest.Key{Name: "sk", Type: "B"}))
	itemstest.Create(t, ctx, cat, itemstest.Table("paging", "qh", pk))
	return New(cat, eng), ctx
}

func ptr[T any](v T) *T { return &v }

// pagingPut writes items through BatchWriteItem, 25 at a time.
func pagingPut(t testing.TB, svc *Service, ctx context.Context, table string, items []attr.Item) {
	t.Helper()
	for len(items) > 0 {
		n := min(25, len(items))
		var reqs []protocol.WriteRequest
		for _, it := range items[:n] {
			reqs = append(reqs, protocol.WriteRequest{PutRequest: &protocol.PutRequest{Item: it}})
		}
		if _, err := svc.BatchWriteItem(ctx, &protocol.BatchWriteItemInput{RequestItems: map[string][]protocol.WriteRequest{table: reqs}}); err != nil {
			t.Fatal(err)
		}
		items = items[n:]
	}
}

func TestQueryReturnsSortKeyOrderInBothDirections(t *testing.T) {
	svc, ctx := pagingService(t)
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		table string
		typ   attr.Type
	}{{"qn", attr.N}, {"qs", attr.S}, {"qb", attr.B}} {
		t.Run(fmt.Sprintf("%v sort keys come back in DynamoDB order", tc.typ), func(t *testing.T) {
			seen := map[string]bool{}
			var items []attr.Item
			var want []attr.Value
			for len(items) < 150 {
				v := randKeyValue(r, tc.typ)
				id := fmt.Sprint(v.Type, v.Str, string(v.Bytes))
				if tc.typ == attr.N {
					id = v.Str
				}
				if seen[id] {
					continue
				}
				seen[id] = true
				items = append(items, attr.Item{"pk": attr.Str("p"), "sk": v})
				want = append(want, v)
			}
			pagingPut(t, svc, ctx, tc.table, items)
			slices.SortFunc(want, refCompare)
			for _, forward := range []bool{true, false} {
				var got []attr.Value
				var esk attr.Item
				for {
					out, err := svc.Query(ctx, &protocol.QueryInput{
						TableName: ptr(tc.table), KeyConditionExpression: ptr("pk = :p"),
						ExpressionAttributeValues: attr.Item{":p": attr.Str("p")},
						ScanIndexForward:          ptr(forward), Limit: ptr(int32(17)), ExclusiveStartKey: esk,
					})
					if err != nil {
						t.Fatal(err)
					}
					for _, it := range out.Items {
						got = append(got, it["sk"])
					}
					if out.LastEvaluatedKey == nil {
						break
					}
					esk = out.LastEvaluatedKey
				}
				exp := slices.Clone(want)
				if !forward {
					slices.Reverse(exp)
				}
				if len(got) != len(exp) {
					t.Fatalf("forward=%v: got %d items, want %d", forward, len(got), len(exp))
				}
				for i := range got {
					if refCompare(got[i], exp[i]) != 0 {
						t.Fatalf("forward=%v: item %d is %#v, want %#v", forward, i, got[i], exp[i])
					}
				}
			}
		})
	}
}

func TestQueryPagesCountsAndLastEvaluatedKey(t *testing.T) {
	svc, ctx := pagingService(t)
	var items []attr.Item
	for i := range 10 {
		items = append(items, attr.Item{"pk": attr.Str("p"), "sk": attr.Num(fmt.Sprint(i)), "even": attr.Boolean(i%2 == 0)})
	}
	pagingPut(t, svc, ctx, "qn", items)
	q := func(body string) *protocol.QueryOutput {
		t.Helper()
		var in protocol.QueryInput
		siDecode(t, body, &in)
		out, err := svc.Query(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	tests := []struct {
		name                   string
		body                   string
		count, scanned, nItems int
		lek                    string
	}{
		{"limit counts items read before the filter", `{"TableName":"qn","KeyConditionExpression":"pk = :p","FilterExpression":"even = :t","ExpressionAttributeValues":{":p":{"S":"p"},":t":{"BOOL":true}},"Limit":4}`, 2, 4, 2, `{"pk":{"S":"p"},"sk":{"N":"3"}}`},
		{"a limit equal to the item count still returns a LastEvaluatedKey", `{"TableName":"qn","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}},"Limit":10}`, 10, 10, 10, `{"pk":{"S":"p"},"sk":{"N":"9"}}`},
		{"a filter matching nothing returns an empty page with a key", `{"TableName":"qn","KeyConditionExpression":"pk = :p","FilterExpression":"attribute_exists(nope)","ExpressionAttributeValues":{":p":{"S":"p"}},"Limit":4}`, 0, 4, 0, `{"pk":{"S":"p"},"sk":{"N":"3"}}`},
		{"select count returns counts and no items", `{"TableName":"qn","KeyConditionExpression":"pk = :p AND sk BETWEEN :a AND :b","ExpressionAttributeValues":{":p":{"S":"p"},":a":{"N":"2"},":b":{"N":"5"}},"Select":"COUNT"}`, 4, 4, 0, `null`},
		{"descending order resumes below the start key", `{"TableName":"qn","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}},"ScanIndexForward":false,"ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"N":"3"}}}`, 3, 3, 3, `null`},
		{"legacy key conditions and query filter work together", `{"TableName":"qn","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"p"}]},"sk":{"ComparisonOperator":"GE","AttributeValueList":[{"N":"5"}]}},"QueryFilter":{"even":{"ComparisonOperator":"EQ","AttributeValueList":[{"BOOL":true}]}}}`, 2, 5, 2, `null`},
		{"an unknown partition returns nothing", `{"TableName":"qn","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"other"}}}`, 0, 0, 0, `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := q(tt.body)
			if int(*out.Count) != tt.count || int(*out.ScannedCount) != tt.scanned || len(out.Items) != tt.nItems {
				t.Errorf("Count %d ScannedCount %d items %d, want %d %d %d", *out.Count, *out.ScannedCount, len(out.Items), tt.count, tt.scanned, tt.nItems)
			}
			got := []byte("null")
			if out.LastEvaluatedKey != nil {
				got, _ = json.Marshal(out.LastEvaluatedKey)
			}
			if string(got) != tt.lek {
				t.Errorf("LastEvaluatedKey %s, want %s", got, tt.lek)
			}
		})
	}
}

func TestQueryAndScanStopAtOneMegabyte(t *testing.T) {
	svc, ctx := pagingService(t)
	big := strings.Repeat("x", 100_000)
	var items []attr.Item
	for i := range 25 {
		items = append(items, attr.Item{"pk": attr.Str("p"), "sk": attr.Num(fmt.Sprint(i)), "data": attr.Str(big)})
	}
	pagingPut(t, svc, ctx, "qn", items)
	out, err := svc.Query(ctx, &protocol.QueryInput{TableName: ptr("qn"), KeyConditionExpression: ptr("pk = :p"),
		ExpressionAttributeValues: attr.Item{":p": attr.Str("p")}, ReturnConsumedCapacity: ptr("TOTAL")})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Count != 11 || out.LastEvaluatedKey == nil {
		t.Fatalf("first page: Count %d, LastEvaluatedKey %v; want 11 items and a key", *out.Count, out.LastEvaluatedKey)
	}
	// 11 items of 100,000 bytes + small keys, eventually consistent.
	size := 11 * attr.ItemSize(items[0])
	if want := float64((size+4095)/4096) / 2; *out.ConsumedCapacity.CapacityUnits != want {
		t.Errorf("CapacityUnits %v, want %v", *out.ConsumedCapacity.CapacityUnits, want)
	}
	sc, err := svc.Scan(ctx, &protocol.ScanInput{TableName: ptr("qn"), Select: ptr("COUNT")})
	if err != nil {
		t.Fatal(err)
	}
	if *sc.ScannedCount != 11 || sc.LastEvaluatedKey == nil || sc.Items != nil {
		t.Fatalf("scan: ScannedCount %d, LastEvaluatedKey %v, Items %v", *sc.ScannedCount, sc.LastEvaluatedKey, sc.Items)
	}
}

func TestParallelScanSegmentsPartitionTheTable(t *testing.T) {
	svc, ctx := pagingService(t)
	var items []attr.Item
	for i := range 300 {
		items = append(items, attr.Item{"pk": attr.Str(fmt.Sprintf("item-%d", i))})
	}
	pagingPut(t, svc, ctx, "qh", items)
	for _, total := range []int32{1, 3, 4, 7} {
		t.Run(fmt.Sprintf("%d segments return every item exactly once", total), func(t *testing.T) {
			seen := map[string]int{}
			for seg := range total {
				var esk attr.Item
				for {
					out, err := svc.Scan(ctx, &protocol.ScanInput{TableName: ptr("qh"), Segment: ptr(seg), TotalSegments: ptr(total), Limit: ptr(int32(13)), ExclusiveStartKey: esk})
					if err != nil {
						t.Fatal(err)
					}
					for _, it := range out.Items {
						seen[it["pk"].Str]++
					}
					if out.LastEvaluatedKey == nil {
						break
					}
					esk = out.LastEvaluatedKey
				}
			}
			if len(seen) != 300 {
				t.Fatalf("saw %d distinct items, want 300", len(seen))
			}
			for k, n := range seen {
				if n != 1 {
					t.Fatalf("item %s seen %d times", k, n)
				}
			}
		})
	}
}

func TestQueryAndScanValidation(t *testing.T) {
	svc, ctx := pagingService(t)
	tests := []struct {
		name, op, body, msg string
	}{
		{"a query needs a key condition", "Query", `{"TableName":"qn"}`, msgNoKeyCondition},
		{"a condition on a non-key attribute misses the key schema", "Query", `{"TableName":"qn","KeyConditionExpression":"pk = :p AND x = :p","ExpressionAttributeValues":{":p":{"S":"p"}}}`, "Query condition missed key schema element"},
		{"OR is not a key condition operator", "Query", `{"TableName":"qn","KeyConditionExpression":"pk = :p OR pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}}}`, "Invalid operator used in KeyConditionExpression: OR"},
		{"the filter cannot name the sort key", "Query", `{"TableName":"qn","KeyConditionExpression":"pk = :p","FilterExpression":"sk > :n","ExpressionAttributeValues":{":p":{"S":"p"},":n":{"N":"1"}}}`, "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
		{"an empty partition value is rejected", "Query", `{"TableName":"qn","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":""}}}`, msgEmptyKeyS + "pk"},
		{"count with a projection is rejected", "Query", `{"TableName":"qn","KeyConditionExpression":"pk = :p","ProjectionExpression":"a","Select":"COUNT","ExpressionAttributeValues":{":p":{"S":"p"}}}`, "Cannot specify the ProjectionExpression when choosing to get only the Count"},
		{"specific attributes need a projection", "Scan", `{"TableName":"qn","Select":"SPECIFIC_ATTRIBUTES"}`, msgSpecificNoProj},
		{"all projected attributes need an index", "Scan", `{"TableName":"qn","Select":"ALL_PROJECTED_ATTRIBUTES"}`, msgProjectedNoIndex},
		{"a start key outside the partition is rejected", "Query", `{"TableName":"qn","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}},"ExclusiveStartKey":{"pk":{"S":"q"},"sk":{"N":"1"}}}`, msgStartKeyRange},
		{"a start key outside the sort-key range is rejected", "Query", `{"TableName":"qn","KeyConditionExpression":"pk = :p AND sk > :n","ExpressionAttributeValues":{":p":{"S":"p"},":n":{"N":"5"}},"ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"N":"1"}}}`, msgStartKeyRange},
		{"a start key without the sort key has the wrong size", "Scan", `{"TableName":"qn","ExclusiveStartKey":{"pk":{"S":"p"}}}`, msgStartKeySize},
		{"a start key of the wrong type is rejected", "Scan", `{"TableName":"qn","ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"S":"1"}}}`, msgStartKeyType},
		{"segment needs total segments", "Scan", `{"TableName":"qn","Segment":0}`, "If segment is specified, total segment must also be specified"},
		{"total segments need a segment", "Scan", `{"TableName":"qn","TotalSegments":2}`, "If total segments is specified, a particular segment must also be specified for this request"},
		{"segment must be below total segments", "Scan", `{"TableName":"qn","Segment":2,"TotalSegments":2}`, "1 validation error detected: Value '2' at 'segment' failed to satisfy constraint: Member must have value less than or equal to 1"},
		{"scan values need a filter", "Scan", `{"TableName":"qn","ExpressionAttributeValues":{":v":{"S":"x"}}}`, "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null"},
		{"an index that does not exist", "Scan", `{"TableName":"qn","IndexName":"nope"}`, "The table does not have the specified index: nope"},
		{"legacy and expression members do not mix", "Query", `{"TableName":"qn","KeyConditionExpression":"pk = :p","FilterExpression":"a = :p","QueryFilter":{"a":{"ComparisonOperator":"NULL"}},"ExpressionAttributeValues":{":p":{"S":"p"}}}`, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter} Expression parameters: {FilterExpression, KeyConditionExpression}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.op == "Query" {
				var in protocol.QueryInput
				siDecode(t, tt.body, &in)
				_, err = svc.Query(ctx, &in)
			} else {
				var in protocol.ScanInput
				siDecode(t, tt.body, &in)
				_, err = svc.Scan(ctx, &in)
			}
			siWantErr(t, err, "ValidationException", tt.msg)
		})
	}
}

func TestResumeAfter(t *testing.T) {
	tests := []struct {
		name                 string
		lower, upper, start  string
		reverse              bool
		wantLower, wantUpper string
	}{
		{"ascending reads start just above the start key", "a", "z", "m", false, "m\x00", "z"},
		{"descending reads stop just below the start key", "a", "z", "m", true, "a", "m"},
		{"no start key keeps the range", "a", "z", "", false, "a", "z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var start []byte
			if tt.start != "" {
				start = []byte(tt.start)
			}
			lo, hi := resumeAfter([]byte(tt.lower), []byte(tt.upper), start, tt.reverse)
			if string(lo) != tt.wantLower || string(hi) != tt.wantUpper {
				t.Errorf("got [%q, %q), want [%q, %q)", lo, hi, tt.wantLower, tt.wantUpper)
			}
		})
	}
}
