package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

func TestBatchWriteTenThousandItemsKeepsTableCounters(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	qsTable(t, c, "bwt", "N")
	const n = 10_000
	var items []map[string]types.AttributeValue
	for i := range n {
		items = append(items, map[string]types.AttributeValue{"pk": qsS(fmt.Sprintf("p%d", i%100)), "sk": qsN(fmt.Sprint(i)), "v": qsS(fmt.Sprintf("value-%d", i))})
	}
	qsPutAll(t, c, "bwt", items)
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("bwt")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToInt64(d.Table.ItemCount); got != n {
		t.Fatalf("ItemCount %d, want %d", got, n)
	}
	size := aws.ToInt64(d.Table.TableSizeBytes)
	if size <= 0 {
		t.Fatalf("TableSizeBytes %d", size)
	}
	cnt, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("bwt"), Select: types.SelectCount})
	if err != nil {
		t.Fatal(err)
	}
	total := cnt.Count
	for cnt.LastEvaluatedKey != nil {
		if cnt, err = c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("bwt"), Select: types.SelectCount, ExclusiveStartKey: cnt.LastEvaluatedKey}); err != nil {
			t.Fatal(err)
		}
		total += cnt.Count
	}
	if total != n {
		t.Fatalf("Scan counted %d items, want %d", total, n)
	}
	// Overwriting with the same items changes nothing; deleting half
	// halves the count.
	qsPutAll(t, c, "bwt", items[:25])
	for i := 0; i < n/2; i += 25 {
		var reqs []types.WriteRequest
		for _, it := range items[i : i+25] {
			reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: map[string]types.AttributeValue{"pk": it["pk"], "sk": it["sk"]}}})
		}
		out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"bwt": reqs}, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.ConsumedCapacity) != 1 || aws.ToFloat64(out.ConsumedCapacity[0].CapacityUnits) != 25 {
			t.Fatalf("ConsumedCapacity %+v, want 25 units", out.ConsumedCapacity)
		}
	}
	d, err = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("bwt")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToInt64(d.Table.ItemCount); got != n/2 {
		t.Fatalf("ItemCount after deletes %d, want %d", got, n/2)
	}
	if got := aws.ToInt64(d.Table.TableSizeBytes); got <= 0 || got >= size {
		t.Fatalf("TableSizeBytes after deletes %d (before %d)", got, size)
	}
}

func TestBatchWriteAndGetAcrossTables(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	c := srv.Client()
	qsTable(t, c, "tba", "N")
	qsTable(t, c, "tbb", "")
	out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
		RequestItems: map[string][]types.WriteRequest{
			"tba": {
				{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": qsS("a"), "sk": qsN("1"), "x": qsS("one"), "y": qsS("why")}}},
				{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": qsS("a"), "sk": qsN("2"), "x": qsS(strings.Repeat("z", 3000))}}},
			},
			"tbb": {
				{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": qsS("b"), "n": qsN("7")}}},
				{DeleteRequest: &types.DeleteRequest{Key: map[string]types.AttributeValue{"pk": qsS("missing")}}},
			},
		},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes,
	})
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]float64{}
	for _, cc := range out.ConsumedCapacity {
		units[aws.ToString(cc.TableName)] = aws.ToFloat64(cc.CapacityUnits)
		if cc.Table == nil {
			t.Errorf("INDEXES capacity of %s lacks Table", aws.ToString(cc.TableName))
		}
	}
	if units["tba"] != 4 || units["tbb"] != 2 {
		t.Errorf("write units %v, want ta 4 (1 + 3) and tb 2", units)
	}
	t.Run("UnprocessedItems is an empty map on the wire", func(t *testing.T) {
		status, body := srv.Do(t, "BatchWriteItem", `{"RequestItems":{"tbb":[{"PutRequest":{"Item":{"pk":{"S":"c"}}}}]}}`)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		if !strings.Contains(string(body), `"UnprocessedItems":{}`) {
			t.Fatalf("body %s lacks \"UnprocessedItems\":{}", body)
		}
	})
	got, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
		RequestItems: map[string]types.KeysAndAttributes{
			"tba": {Keys: []map[string]types.AttributeValue{
				{"pk": qsS("a"), "sk": qsN("1")}, {"pk": qsS("a"), "sk": qsN("2")}, {"pk": qsS("a"), "sk": qsN("3")},
			}, ProjectionExpression: aws.String("#x, sk"), ExpressionAttributeNames: map[string]string{"#x": "x"}, ConsistentRead: aws.Bool(true)},
			"tbb": {Keys: []map[string]types.AttributeValue{{"pk": qsS("b")}}, AttributesToGet: []string{"n"}},
		},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Responses["tba"]) != 2 || len(got.Responses["tbb"]) != 1 {
		t.Fatalf("Responses %v", got.Responses)
	}
	for _, it := range got.Responses["tba"] {
		if _, ok := it["y"]; ok || it["pk"] != nil || it["sk"] == nil || it["x"] == nil {
			t.Fatalf("projection not applied: %v", it)
		}
	}
	if it := got.Responses["tbb"][0]; len(it) != 1 || it["n"].(*types.AttributeValueMemberN).Value != "7" {
		t.Fatalf("AttributesToGet not applied: %v", it)
	}
	if len(got.UnprocessedKeys) != 0 {
		t.Fatalf("UnprocessedKeys %v", got.UnprocessedKeys)
	}
	units = map[string]float64{}
	for _, cc := range got.ConsumedCapacity {
		units[aws.ToString(cc.TableName)] = aws.ToFloat64(cc.CapacityUnits)
	}
	// ta: strongly consistent, per item rounded: 1 + 1 + 1 (missing item).
	// tb: eventually consistent, one small item: 0.5.
	if units["tba"] != 3 || units["tbb"] != 0.5 {
		t.Errorf("read units %v, want ta 3, tb 0.5", units)
	}
}

func TestBatchGetReturnsUnprocessedKeysPast16MB(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	qsTable(t, c, "huge", "")
	data := strings.Repeat("d", 390*1024-20)
	var items []map[string]types.AttributeValue
	var keys []map[string]types.AttributeValue
	for i := range 50 {
		k := fmt.Sprintf("k%02d", i)
		items = append(items, map[string]types.AttributeValue{"pk": qsS(k), "data": qsS(data)})
		keys = append(keys, map[string]types.AttributeValue{"pk": qsS(k)})
	}
	for i := 0; i < len(items); i += 10 {
		qsPutAll(t, c, "huge", items[i:i+10])
	}
	req := map[string]types.KeysAndAttributes{"huge": {Keys: keys, ConsistentRead: aws.Bool(true)}}
	seen := map[string]bool{}
	first := true
	for len(req) > 0 {
		out, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
		if err != nil {
			t.Fatal(err)
		}
		if first {
			if len(out.Responses["huge"]) != 42 || len(out.UnprocessedKeys["huge"].Keys) != 8 {
				t.Fatalf("first call: %d items, %d unprocessed; want 42 and 8", len(out.Responses["huge"]), len(out.UnprocessedKeys["huge"].Keys))
			}
			if !aws.ToBool(out.UnprocessedKeys["huge"].ConsistentRead) {
				t.Fatal("UnprocessedKeys lost ConsistentRead")
			}
			first = false
		}
		for _, it := range out.Responses["huge"] {
			k := it["pk"].(*types.AttributeValueMemberS).Value
			if seen[k] {
				t.Fatalf("item %s returned twice", k)
			}
			seen[k] = true
		}
		req = out.UnprocessedKeys
	}
	if len(seen) != 50 {
		t.Fatalf("got %d items, want 50", len(seen))
	}
}

// qsRawError is one invalid request sent as raw JSON with the error
// DynamoDB answers.
type qsRawError struct {
	name, op, body, code, msg string
}

// runRawErrors sends each request and checks the status, __type code and
// message.
func runRawErrors(t *testing.T, srv *servertest.Server, tests []qsRawError) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := srv.Do(t, tt.op, tt.body)
			var e struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
				Msg     string `json:"Message"`
			}
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("status %d, body %s: %v", status, body, err)
			}
			if e.Message == "" {
				e.Message = e.Msg
			}
			_, code, _ := strings.Cut(e.Type, "#")
			if status != 400 || code != tt.code || e.Message != tt.msg {
				t.Fatalf("got  %d %s: %q\nwant 400 %s: %q", status, code, e.Message, tt.code, tt.msg)
			}
		})
	}
}

func TestInvalidBatchRequests(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.Client()
	qsTable(t, c, "btn", "N")
	qsTable(t, c, "bth", "")
	const ve = "ValidationException"
	keys := func(n int) string {
		var parts []string
		for i := range n {
			parts = append(parts, fmt.Sprintf(`{"pk":{"S":"k%d"}}`, i))
		}
		return strings.Join(parts, ",")
	}
	puts := func(n int) string {
		var parts []string
		for i := range n {
			parts = append(parts, fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"k%d"}}}}`, i))
		}
		return strings.Join(parts, ",")
	}
	runRawErrors(t, srv, []qsRawError{
		{"batch write with 26 requests over two tables", "BatchWriteItem", `{"RequestItems":{"bth":[` + puts(13) + `],"btn":[` + strings.ReplaceAll(puts(13), `"}}}}`, `"},"sk":{"N":"1"}}}}`) + `]}}`, ve, "Too many items requested for the BatchWriteItem call"},
		{"batch write of the same key twice", "BatchWriteItem", `{"RequestItems":{"bth":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"a"}}}}]}}`, ve, "Provided list of item keys contains duplicates"},
		{"batch write request with both put and delete", "BatchWriteItem", `{"RequestItems":{"bth":[{"PutRequest":{"Item":{"pk":{"S":"a"}}},"DeleteRequest":{"Key":{"pk":{"S":"a"}}}}]}}`, ve, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{"batch write request with neither put nor delete", "BatchWriteItem", `{"RequestItems":{"bth":[{}]}}`, ve, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{"batch write to a missing table", "BatchWriteItem", `{"RequestItems":{"nope":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}]}}`, "ResourceNotFoundException", "Requested resource not found"},
		{"batch write put without the sort key", "BatchWriteItem", `{"RequestItems":{"btn":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}]}}`, ve, "One or more parameter values were invalid: Missing the key sk in the item"},
		{"batch write put with a mistyped key", "BatchWriteItem", `{"RequestItems":{"bth":[{"PutRequest":{"Item":{"pk":{"N":"1"}}}}]}}`, ve, "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"},
		{"batch write put over 400 KB", "BatchWriteItem", `{"RequestItems":{"bth":[{"PutRequest":{"Item":{"pk":{"S":"a"},"d":{"S":"` + strings.Repeat("x", 410*1024) + `"}}}}]}}`, ve, "Item size has exceeded the maximum allowed size"},
		{"batch write delete with an empty key value", "BatchWriteItem", `{"RequestItems":{"bth":[{"DeleteRequest":{"Key":{"pk":{"S":""}}}}]}}`, ve, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"batch write put with an empty set", "BatchWriteItem", `{"RequestItems":{"bth":[{"PutRequest":{"Item":{"pk":{"S":"a"},"s":{"SS":[]}}}}]}}`, ve, "One or more parameter values were invalid: An string set  may not be empty"},
		{"batch get with 101 keys over two tables", "BatchGetItem", `{"RequestItems":{"bth":{"Keys":[` + keys(51) + `]},"btn":{"Keys":[` + strings.ReplaceAll(keys(50), `"}}`, `"},"sk":{"N":"1"}}`) + `]}}}`, ve, "Too many items requested for the BatchGetItem call"},
		{"batch get of the same key twice", "BatchGetItem", `{"RequestItems":{"bth":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"a"}}]}}}`, ve, "Provided list of item keys contains duplicates"},
		{"batch get from a missing table", "BatchGetItem", `{"RequestItems":{"nope":{"Keys":[{"pk":{"S":"a"}}]}}}`, "ResourceNotFoundException", "Requested resource not found"},
		{"batch get with projection and attributes to get", "BatchGetItem", `{"RequestItems":{"bth":{"Keys":[{"pk":{"S":"a"}}],"ProjectionExpression":"a","AttributesToGet":["a"]}}}`, ve, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"},
		{"batch get with an unused attribute name", "BatchGetItem", `{"RequestItems":{"bth":{"Keys":[{"pk":{"S":"a"}}],"ProjectionExpression":"a","ExpressionAttributeNames":{"#n":"n"}}}}`, ve, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"},
		{"batch get with names but no projection", "BatchGetItem", `{"RequestItems":{"bth":{"Keys":[{"pk":{"S":"a"}}],"ExpressionAttributeNames":{"#n":"n"}}}}`, ve, "ExpressionAttributeNames can only be specified when using expressions"},
		{"batch get with a reserved word in the projection", "BatchGetItem", `{"RequestItems":{"bth":{"Keys":[{"pk":{"S":"a"}}],"ProjectionExpression":"name"}}}`, ve, "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{"batch get key lacking the sort key", "BatchGetItem", `{"RequestItems":{"btn":{"Keys":[{"pk":{"S":"a"}}]}}}`, ve, "The provided key element does not match the schema"},
	})
}
