package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// itServer starts a server with the tables the item tests use:
// it_hash (pk S), it_comp (pk S, sk S), it_num (pk N), it_bin (pk B).
func itServer(t *testing.T) (*servertest.Server, *dynamodb.Client) {
	t.Helper()
	srv := servertest.Start(t)
	c := srv.Client()
	createTable(t, c, "it_hash", "pk", "S")
	createTable(t, c, "it_comp", "pk", "S", "sk", "S")
	createTable(t, c, "it_num", "pk", "N")
	createTable(t, c, "it_bin", "pk", "B")
	return srv, c
}

func itMarshal(t *testing.T, v any) map[string]types.AttributeValue {
	t.Helper()
	m, err := attributevalue.MarshalMap(v)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func itKey(pk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}
}

func TestItemsEveryTypeRoundTrips(t *testing.T) {
	_, c := itServer(t)
	ctx := context.Background()
	item := map[string]types.AttributeValue{
		"pk":   &types.AttributeValueMemberS{Value: "all"},
		"s":    &types.AttributeValueMemberS{Value: ""},
		"n":    &types.AttributeValueMemberN{Value: "0001.500"},
		"b":    &types.AttributeValueMemberB{Value: []byte{0, 1, 2}},
		"t":    &types.AttributeValueMemberBOOL{Value: true},
		"null": &types.AttributeValueMemberNULL{Value: true},
		"m":    &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"x": &types.AttributeValueMemberN{Value: "1E2"}}},
		"l":    &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberS{Value: "a"}, &types.AttributeValueMemberL{}}},
		"ss":   &types.AttributeValueMemberSS{Value: []string{"b", "a"}},
		"ns":   &types.AttributeValueMemberNS{Value: []string{"10", "-1.50"}},
		"bs":   &types.AttributeValueMemberBS{Value: [][]byte{{2}, {1}}},
	}
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("it_hash"), Item: item}); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("it_hash"), Key: itKey("all"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		PK   string         `dynamodbav:"pk"`
		S    string         `dynamodbav:"s"`
		N    string         `dynamodbav:"n"`
		B    []byte         `dynamodbav:"b"`
		T    bool           `dynamodbav:"t"`
		M    map[string]int `dynamodbav:"m"`
		L    []any          `dynamodbav:"l"`
		SS   []string       `dynamodbav:"ss,stringset"`
		NS   []string       `dynamodbav:"ns,numberset"`
		BS   [][]byte       `dynamodbav:"bs,binaryset"`
		Null any            `dynamodbav:"null"`
	}
	if err := attributevalue.UnmarshalMap(out.Item, &got); err != nil {
		t.Fatal(err)
	}
	if len(out.Item) != len(item) {
		t.Fatalf("got %d attributes, want %d: %v", len(out.Item), len(item), out.Item)
	}
	if got.N != "1.5" || got.M["x"] != 100 || got.S != "" || !got.T || len(got.SS) != 2 || len(got.NS) != 2 || len(got.BS) != 2 || len(got.L) != 2 {
		t.Fatalf("round trip: %+v", got)
	}
	if _, ok := out.Item["null"].(*types.AttributeValueMemberNULL); !ok {
		t.Fatalf("null = %#v", out.Item["null"])
	}
	// A number key is found by any numerically equal spelling.
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("it_num"), Item: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberN{Value: "0010.50"}}}); err != nil {
		t.Fatal(err)
	}
	g, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("it_num"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberN{Value: "10.5"}}})
	if err != nil || g.Item == nil {
		t.Fatalf("GetItem by equal number: %v %v", g, err)
	}
}

func TestItemsOperationsAndOptions(t *testing.T) {
	_, c := itServer(t)
	ctx := context.Background()
	tbl := aws.String("it_hash")

	// PutItem ALL_OLD: nothing for a new item, the old item after.
	p, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: itMarshal(t, map[string]any{"pk": "a", "v": 1}), ReturnValues: types.ReturnValueAllOld, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil || p.Attributes != nil {
		t.Fatalf("first put: %v %v", p, err)
	}
	if cc := p.ConsumedCapacity; cc == nil || aws.ToString(cc.TableName) != "it_hash" || aws.ToFloat64(cc.CapacityUnits) != 1 || cc.Table != nil {
		t.Fatalf("put TOTAL capacity = %+v", cc)
	}
	p, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: itMarshal(t, map[string]any{"pk": "a", "v": 2}), ReturnValues: types.ReturnValueAllOld, ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
	if err != nil || p.Attributes["v"].(*types.AttributeValueMemberN).Value != "1" {
		t.Fatalf("second put: %v %v", p, err)
	}
	if cc := p.ConsumedCapacity; cc == nil || cc.Table == nil || aws.ToFloat64(cc.Table.CapacityUnits) != 1 {
		t.Fatalf("put INDEXES capacity = %+v", cc)
	}

	// Conditional put that fails, with and without the old item.
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: itKey("a"), ConditionExpression: aws.String("attribute_not_exists(pk)")})
	wantAPIError(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: itKey("a"), ConditionExpression: aws.String("attribute_not_exists(pk)"),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("err = %v", err)
	}
	if v, ok := ccf.Item["v"].(*types.AttributeValueMemberN); !ok || v.Value != "2" || len(ccf.Item) != 2 {
		t.Fatalf("ConditionalCheckFailedException.Item = %v", ccf.Item)
	}

	// GetItem: projection, legacy AttributesToGet, eventually vs strongly consistent capacity.
	if _, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: itKey("a"),
		UpdateExpression:          aws.String("SET m = :m, l = :l, #n = :s"),
		ExpressionAttributeNames:  map[string]string{"#n": "name"},
		ExpressionAttributeValues: itMarshal(t, map[string]any{":m": map[string]any{"x": 1, "y": map[string]any{"z": "deep"}}, ":l": []any{"a", "b", "c"}, ":s": "n"}),
	}); err != nil {
		t.Fatal(err)
	}
	g, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: tbl, Key: itKey("a"), ProjectionExpression: aws.String("m.y.z, l[2], l[0], #n"),
		ExpressionAttributeNames: map[string]string{"#n": "name"}, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	var proj map[string]any
	if err := attributevalue.UnmarshalMap(g.Item, &proj); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(proj); got != "map[l:[a c] m:map[y:map[z:deep]] name:n]" {
		t.Fatalf("projection = %s", got)
	}
	if u := aws.ToFloat64(g.ConsumedCapacity.CapacityUnits); u != 0.5 {
		t.Fatalf("eventually consistent GetItem = %v units", u)
	}
	g, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: tbl, Key: itKey("a"), AttributesToGet: []string{"v"}, ConsistentRead: aws.Bool(true), ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
	if err != nil || len(g.Item) != 1 || aws.ToFloat64(g.ConsumedCapacity.CapacityUnits) != 1 || aws.ToFloat64(g.ConsumedCapacity.Table.CapacityUnits) != 1 {
		t.Fatalf("AttributesToGet consistent: %+v %v", g, err)
	}
	g, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: tbl, Key: itKey("missing")})
	if err != nil || g.Item != nil {
		t.Fatalf("missing item: %+v %v", g.Item, err)
	}

	// UpdateItem ReturnValues.
	u, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: itKey("a"), UpdateExpression: aws.String("ADD v :one REMOVE l"),
		ExpressionAttributeValues: itMarshal(t, map[string]any{":one": 1}), ReturnValues: types.ReturnValueUpdatedOld})
	if err != nil || len(u.Attributes) != 2 || u.Attributes["v"].(*types.AttributeValueMemberN).Value != "2" {
		t.Fatalf("UPDATED_OLD: %v %v", u.Attributes, err)
	}
	u, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: itKey("a"), UpdateExpression: aws.String("ADD v :one"),
		ExpressionAttributeValues: itMarshal(t, map[string]any{":one": 1}), ReturnValues: types.ReturnValueUpdatedNew})
	if err != nil || len(u.Attributes) != 1 || u.Attributes["v"].(*types.AttributeValueMemberN).Value != "4" {
		t.Fatalf("UPDATED_NEW: %v %v", u.Attributes, err)
	}
	u, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: itKey("new"), UpdateExpression: aws.String("SET v = if_not_exists(v, :z)"),
		ExpressionAttributeValues: itMarshal(t, map[string]any{":z": 0}), ReturnValues: types.ReturnValueAllNew, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil || len(u.Attributes) != 2 || aws.ToFloat64(u.ConsumedCapacity.CapacityUnits) != 1 {
		t.Fatalf("ALL_NEW of a created item: %v %v", u.Attributes, err)
	}
	u, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: itKey("new"), UpdateExpression: aws.String("SET w = :z"),
		ExpressionAttributeValues: itMarshal(t, map[string]any{":z": 0}), ReturnValues: types.ReturnValueAllOld})
	if err != nil || len(u.Attributes) != 2 {
		t.Fatalf("ALL_OLD: %v %v", u.Attributes, err)
	}

	// Legacy Expected / AttributeUpdates / ConditionalOperator.
	u, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: itKey("new"),
		AttributeUpdates: map[string]types.AttributeValueUpdate{
			"w":  {Action: types.AttributeActionAdd, Value: &types.AttributeValueMemberN{Value: "5"}},
			"v":  {Action: types.AttributeActionDelete},
			"tg": {Action: types.AttributeActionPut, Value: &types.AttributeValueMemberSS{Value: []string{"x"}}},
		},
		Expected: map[string]types.ExpectedAttributeValue{
			"w":    {ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{&types.AttributeValueMemberN{Value: "0"}}},
			"nope": {Exists: aws.Bool(false)},
		},
		ConditionalOperator: types.ConditionalOperatorAnd,
		ReturnValues:        types.ReturnValueAllNew,
	})
	if err != nil || len(u.Attributes) != 3 || u.Attributes["w"].(*types.AttributeValueMemberN).Value != "5" {
		t.Fatalf("legacy update: %v %v", u.Attributes, err)
	}
	_, err = c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: tbl, Key: itKey("new"),
		Expected: map[string]types.ExpectedAttributeValue{"w": {Value: &types.AttributeValueMemberN{Value: "6"}}}})
	wantAPIError(t, err, "ConditionalCheckFailedException", "The conditional request failed")

	// DeleteItem: ALL_OLD, capacity of the deleted item, missing item.
	d, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: tbl, Key: itKey("new"), ReturnValues: types.ReturnValueAllOld,
		ConditionExpression: aws.String("w = :five"), ExpressionAttributeValues: itMarshal(t, map[string]any{":five": 5}), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil || len(d.Attributes) != 3 || aws.ToFloat64(d.ConsumedCapacity.CapacityUnits) != 1 {
		t.Fatalf("DeleteItem ALL_OLD: %v %v", d, err)
	}
	d, err = c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: tbl, Key: itKey("new"), ReturnValues: types.ReturnValueAllOld})
	if err != nil || d.Attributes != nil {
		t.Fatalf("DeleteItem of a missing item: %v %v", d, err)
	}

	// ReturnItemCollectionMetrics is accepted (meaningful only with LSIs).
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: itKey("m"), ReturnItemCollectionMetrics: types.ReturnItemCollectionMetricsSize}); err != nil {
		t.Fatal(err)
	}

	// A table ARN works as TableName.
	arn := "arn:aws:dynamodb:us-east-1:000000000000:table/it_hash"
	if _, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(arn), Key: itKey("m")}); err != nil {
		t.Fatalf("GetItem by ARN: %v", err)
	}
}

func TestItemsConcurrentConditionalAdds(t *testing.T) {
	srv, c := itServer(t)
	ctx := context.Background()
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("it_hash"), Item: itMarshal(t, map[string]any{"pk": "ctr", "counter": 0})}); err != nil {
		t.Fatal(err)
	}
	const clients, each = 16, 500
	var wg sync.WaitGroup
	var mu sync.Mutex
	var unexpected []error
	condFailures := 0
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := servertest.NewClient(srv.URL())
			for range each {
				_, err := cl.UpdateItem(ctx, &dynamodb.UpdateItemInput{
					TableName:                 aws.String("it_hash"),
					Key:                       itKey("ctr"),
					UpdateExpression:          aws.String("ADD #c :one"),
					ConditionExpression:       aws.String("attribute_exists(pk) AND #c < :max"),
					ExpressionAttributeNames:  map[string]string{"#c": "counter"},
					ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}, ":max": &types.AttributeValueMemberN{Value: "8000"}},
				})
				if err != nil {
					mu.Lock()
					var ccf *types.ConditionalCheckFailedException
					if errors.As(err, &ccf) {
						condFailures++
					} else {
						unexpected = append(unexpected, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if len(unexpected) > 0 {
		t.Fatalf("%d unexpected errors, first: %v", len(unexpected), unexpected[0])
	}
	g, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("it_hash"), Key: itKey("ctr"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Item["counter"].(*types.AttributeValueMemberN).Value; got != "8000" || condFailures != 0 {
		t.Fatalf("counter = %s with %d condition failures, want 8000 and 0", got, condFailures)
	}
	// Every further conditional add now fails the condition, and changes nothing.
	_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("it_hash"), Key: itKey("ctr"), UpdateExpression: aws.String("ADD #c :one"),
		ConditionExpression: aws.String("#c < :max"), ExpressionAttributeNames: map[string]string{"#c": "counter"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}, ":max": &types.AttributeValueMemberN{Value: "8000"}}})
	wantAPIError(t, err, "ConditionalCheckFailedException", "The conditional request failed")
}

// itRawError decodes a raw error response into (code, message).
func itRawError(t *testing.T, status int, body []byte) (string, string) {
	t.Helper()
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
		Msg2    string `json:"Message"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("status %d, body %s: %v", status, body, err)
	}
	code := e.Type[strings.LastIndexByte(e.Type, '#')+1:]
	if e.Message == "" {
		e.Message = e.Msg2
	}
	return code, e.Message
}

// TestItemsInvalidRequests sends invalid item requests as raw HTTP (so that
// the SDK's client-side checks cannot intercept them) and checks the exact
// error code and message (errors.md F, G, H, I, J).
func TestItemsInvalidRequests(t *testing.T) {
	srv, c := itServer(t)
	ctx := context.Background()
	// A seed item for the run-time update errors.
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("it_hash"), Item: map[string]types.AttributeValue{
		"pk":  &types.AttributeValueMemberS{Value: "seed"},
		"s":   &types.AttributeValueMemberS{Value: "str"},
		"big": &types.AttributeValueMemberN{Value: "9E+125"},
	}}); err != nil {
		t.Fatal(err)
	}
	const (
		val = "ValidationException"
		rnf = "ResourceNotFoundException"
		ccf = "ConditionalCheckFailedException"
	)
	big := strings.Repeat("x", 409600)
	nested := `{"S":"x"}`
	for range 32 {
		nested = `{"L":[` + nested + `]}`
	}
	h := func(item string) string { return `{"TableName":"it_hash","Item":{"pk":{"S":"a"},` + item + `}}` }
	cond := func(ce, extra string) string {
		return `{"TableName":"it_hash","Item":{"pk":{"S":"a"}},"ConditionExpression":"` + ce + `"` + extra + `}`
	}
	upd := func(ue, extra string) string {
		return `{"TableName":"it_hash","Key":{"pk":{"S":"seed"}},"UpdateExpression":"` + ue + `"` + extra + `}`
	}
	tests := []struct{ name, op, body, code, msg string }{
		// PutItem: table, keys.
		{"put on a missing table", "PutItem", `{"TableName":"nope","Item":{"pk":{"S":"a"}}}`, rnf, "Requested resource not found"},
		{"put without the hash key", "PutItem", `{"TableName":"it_hash","Item":{"x":{"S":"a"}}}`, val, "One or more parameter values were invalid: Missing the key pk in the item"},
		{"put without the range key", "PutItem", `{"TableName":"it_comp","Item":{"pk":{"S":"a"}}}`, val, "One or more parameter values were invalid: Missing the key sk in the item"},
		{"put with a mistyped hash key", "PutItem", `{"TableName":"it_hash","Item":{"pk":{"N":"1"}}}`, val, "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"},
		{"put with a mistyped range key", "PutItem", `{"TableName":"it_comp","Item":{"pk":{"S":"a"},"sk":{"B":"AA=="}}}`, val, "One or more parameter values were invalid: Type mismatch for key sk expected: S actual: B"},
		{"put with an empty string hash key", "PutItem", `{"TableName":"it_hash","Item":{"pk":{"S":""}}}`, val, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"put with an empty string range key", "PutItem", `{"TableName":"it_comp","Item":{"pk":{"S":"a"},"sk":{"S":""}}}`, val, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk"},
		{"put with an empty binary key", "PutItem", `{"TableName":"it_bin","Item":{"pk":{"B":""}}}`, val, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk"},
		{"put with a 2049-byte hash key", "PutItem", `{"TableName":"it_hash","Item":{"pk":{"S":"` + strings.Repeat("k", 2049) + `"}}}`, val, "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes"},
		{"put with a 1025-byte range key", "PutItem", `{"TableName":"it_comp","Item":{"pk":{"S":"a"},"sk":{"S":"` + strings.Repeat("k", 1025) + `"}}}`, val, "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes"},
		{"put with a non-number key", "PutItem", `{"TableName":"it_num","Item":{"pk":{"N":"abc"}}}`, val, "A value provided cannot be converted into a number"},
		{"put with ReturnValues UPDATED_NEW", "PutItem", `{"TableName":"it_hash","Item":{"pk":{"S":"a"}},"ReturnValues":"UPDATED_NEW"}`, val, "Return values set to invalid value"},
		{"put with ReturnValues ALL_NEW", "PutItem", `{"TableName":"it_hash","Item":{"pk":{"S":"a"}},"ReturnValues":"ALL_NEW"}`, val, "Return values set to invalid value"},
		// PutItem: placeholders and expressions.
		{"put mixing Expected and ConditionExpression", "PutItem", cond("attribute_exists(pk)", `,"Expected":{"pk":{"Exists":false}}`), val, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"},
		{"put mixing ConditionalOperator and ConditionExpression", "PutItem", cond("attribute_exists(pk)", `,"ConditionalOperator":"OR"`), val, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ConditionalOperator} Expression parameters: {ConditionExpression}"},
		{"put with values but no expression", "PutItem", `{"TableName":"it_hash","Item":{"pk":{"S":"a"}},"ExpressionAttributeValues":{":v":{"S":"x"}}}`, val, "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"},
		{"put with names but no expression", "PutItem", `{"TableName":"it_hash","Item":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#n":"x"}}`, val, "ExpressionAttributeNames can only be specified when using expressions"},
		{"put with empty names", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeNames":{}`), val, "ExpressionAttributeNames must not be empty"},
		{"put with empty values", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeValues":{}`), val, "ExpressionAttributeValues must not be empty"},
		{"put with a value key without colon", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeValues":{"v":{"S":"x"}}`), val, `ExpressionAttributeValues contains invalid key: Syntax error; key: "v"`},
		{"put with a value key with a hyphen", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeValues":{":v-1":{"S":"x"}}`), val, `ExpressionAttributeValues contains invalid key: Syntax error; key: ":v-1"`},
		{"put with a name key without hash", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeNames":{"a":"x"}`), val, `ExpressionAttributeNames contains invalid key: Syntax error; key: "a"`},
		{"put with a bare hash name key", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeNames":{"#":"x"}`), val, `ExpressionAttributeNames contains invalid key: Syntax error; key: "#"`},
		{"put with an empty name value", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeNames":{"#a":""}`), val, "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"},
		{"put with a 256-byte name key", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeNames":{"#`+strings.Repeat("a", 255)+`":"x"}`), val, "ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256"},
		{"put with a 256-byte value key", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeValues":{":`+strings.Repeat("a", 255)+`":{"S":"x"}}`), val, "ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;"},
		{"put with an empty set value", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeValues":{":v":{"SS":[]}}`), val, "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v"},
		{"put with an empty attribute value", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeValues":{":v":{}}`), val, "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v"},
		{"put with an unused value", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeValues":{":w":{"S":"x"}}`), val, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
		{"put with unused names", "PutItem", cond("attribute_exists(pk)", `,"ExpressionAttributeNames":{"#n":"x","#m":"y"}`), val, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#m, #n}"},
		{"put with an undefined value", "PutItem", cond("pk = :nope", ""), val, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"put with an undefined name", "PutItem", cond("attribute_exists(#n)", ""), val, "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n"},
		{"put with an incomplete condition", "PutItem", cond("a = ", ""), val, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "`},
		{"put with an empty condition", "PutItem", cond("", ""), val, "Invalid ConditionExpression: The expression can not be empty;"},
		{"put with != in a condition", "PutItem", cond("a != :v", `,"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, `Invalid ConditionExpression: Syntax error; token: "!", near: "a !="`},
		{"put with a reserved word in a condition", "PutItem", cond("name = :v", `,"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{"put with an unknown condition function", "PutItem", cond("foo(a)", ""), val, "Invalid ConditionExpression: Invalid function name; function: foo"},
		{"put with a = a", "PutItem", cond("a = a", ""), val, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"},
		{"put with a legacy Exists false and a value", "PutItem", `{"TableName":"it_hash","Item":{"pk":{"S":"a"}},"Expected":{"a":{"Exists":false,"Value":{"S":"x"}}}}`, val, "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a"},
		{"put with a legacy EQ of two values", "PutItem", `{"TableName":"it_hash","Item":{"pk":{"S":"a"}},"Expected":{"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"x"},{"S":"y"}]}}}`, val, "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"},
		// PutItem: item data.
		{"put of an item over 400 KB", "PutItem", h(`"d":{"S":"` + big + `"}`), val, "Item size has exceeded the maximum allowed size"},
		{"put with an empty SS", "PutItem", h(`"s":{"SS":[]}`), val, "One or more parameter values were invalid: An string set  may not be empty"},
		{"put with an empty NS", "PutItem", h(`"s":{"NS":[]}`), val, "One or more parameter values were invalid: An number set  may not be empty"},
		{"put with an empty BS", "PutItem", h(`"s":{"BS":[]}`), val, "One or more parameter values were invalid: Binary sets should not be empty"},
		{"put with duplicate strings in a set", "PutItem", h(`"s":{"SS":["x","x"]}`), val, "One or more parameter values were invalid: Input collection [x, x] contains duplicates"},
		{"put with equal numbers in a set", "PutItem", h(`"s":{"NS":["1","1.0"]}`), val, "Input collection contains duplicates"},
		{"put with duplicate binaries in a set", "PutItem", h(`"s":{"BS":["AA==","AA=="]}`), val, "One or more parameter values were invalid: Input collection of type BS contains duplicates."},
		{"put with a non-number", "PutItem", h(`"n":{"N":"abc"}`), val, "A value provided cannot be converted into a number"},
		{"put with a number overflow", "PutItem", h(`"n":{"N":"1E126"}`), val, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"put with a number underflow", "PutItem", h(`"n":{"N":"1E-131"}`), val, "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
		{"put with 39 significant digits", "PutItem", h(`"n":{"N":"` + strings.Repeat("1", 39) + `"}`), val, "DynamoDB only supports precision up to 38 digits"},
		{"put with an empty attribute name", "PutItem", h(`"":{"S":"x"}`), val, "Empty attribute name"},
		{"put nested 32 levels", "PutItem", h(`"l":` + nested), val, "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"},
		{"put with NULL false", "PutItem", h(`"z":{"NULL":false}`), val, "One or more parameter values were invalid: Null attribute value types must have the value of true"},
		{"put with an empty attribute value", "PutItem", h(`"z":{}`), val, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{"put with two datatypes", "PutItem", h(`"z":{"S":"x","N":"1"}`), val, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{"put whose condition fails", "PutItem", `{"TableName":"it_hash","Item":{"pk":{"S":"seed"}},"ConditionExpression":"attribute_not_exists(pk)"}`, ccf, "The conditional request failed"},

		// GetItem.
		{"get on a missing table", "GetItem", `{"TableName":"nope","Key":{"pk":{"S":"a"}}}`, rnf, "Requested resource not found"},
		{"get with an extra key attribute", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"},"x":{"S":"b"}}}`, val, "The provided key element does not match the schema"},
		{"get without the range key", "GetItem", `{"TableName":"it_comp","Key":{"pk":{"S":"a"}}}`, val, "The provided key element does not match the schema"},
		{"get with a mistyped key", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"N":"1"}}}`, val, "The provided key element does not match the schema"},
		{"get with an empty key", "GetItem", `{"TableName":"it_hash","Key":{}}`, val, "The provided key element does not match the schema"},
		{"get with another attribute instead of the key", "GetItem", `{"TableName":"it_hash","Key":{"id":{"S":"a"}}}`, val, "The provided key element does not match the schema"},
		{"get with an empty key string", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":""}}}`, val, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"get mixing AttributesToGet and ProjectionExpression", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"AttributesToGet":["a"],"ProjectionExpression":"a"}`, val, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"},
		{"get with names but no projection", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#a":"a"}}`, val, "ExpressionAttributeNames can only be specified when using expressions"},
		{"get with duplicate AttributesToGet", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"AttributesToGet":["a","a"]}`, val, "Cannot have two attributes with the same name"},
		{"get with a trailing comma in the projection", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"a,"}`, val, `Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","`},
		{"get with an empty projection", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":""}`, val, "Invalid ProjectionExpression: The expression can not be empty;"},
		{"get with a function in the projection", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"size(a)"}`, val, `Invalid ProjectionExpression: Syntax error; token: "(", near: "size(a"`},
		{"get with a reserved word in the projection", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"name"}`, val, "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{"get with overlapping projection paths", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"m, m.x"}`, val, "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, x]"},
		{"get with an undefined name in the projection", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"#x"}`, val, "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"},
		{"get with an unused name", "GetItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"a","ExpressionAttributeNames":{"#x":"x"}}`, val, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}"},

		// UpdateItem: static errors.
		{"update on a missing table", "UpdateItem", `{"TableName":"nope","Key":{"pk":{"S":"a"}}}`, rnf, "Requested resource not found"},
		{"update with a key missing the range key", "UpdateItem", `{"TableName":"it_comp","Key":{"pk":{"S":"a"}},"UpdateExpression":"REMOVE a"}`, val, "The provided key element does not match the schema"},
		{"update mixing UpdateExpression and AttributeUpdates", "UpdateItem", upd("SET a = :v", `,"AttributeUpdates":{"a":{"Action":"DELETE"}},"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}"},
		{"update mixing UpdateExpression and Expected", "UpdateItem", upd("REMOVE a", `,"Expected":{"a":{"Exists":false}}`), val, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {UpdateExpression}"},
		{"update with values but no expressions", "UpdateItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ExpressionAttributeValues":{":v":{"S":"x"}}}`, val, "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"},
		{"update with ReturnValues on a bad value", "UpdateItem", upd("SET a = :v", `,"ExpressionAttributeValues":{":v":{"N":"x"}}`), val, "ExpressionAttributeValues contains invalid value: A value provided cannot be converted into a number for key :v"},
		{"update with an incomplete SET", "UpdateItem", upd("SET a =", ""), val, `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="`},
		{"update with an unknown clause", "UpdateItem", upd("PUT a = :v", `,"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, `Invalid UpdateExpression: Syntax error; token: "PUT", near: "PUT a"`},
		{"update with an empty expression", "UpdateItem", upd("", ""), val, "Invalid UpdateExpression: The expression can not be empty;"},
		{"update with two SET sections", "UpdateItem", upd("SET a = :v SET b = :v", `,"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, `Invalid UpdateExpression: The "SET" section can only be used once in an update expression;`},
		{"update with overlapping paths", "UpdateItem", upd("SET m = :v, m.x = :v", `,"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, x]"},
		{"update with a reserved word", "UpdateItem", upd("SET name = :v", `,"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{"update adding a string", "UpdateItem", upd("ADD a :v", `,"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"},
		{"update appending a string", "UpdateItem", upd("SET l = list_append(l, :v)", `,"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S"},
		{"update with an unknown function", "UpdateItem", upd("SET a = foo(:v)", `,"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, "Invalid UpdateExpression: Invalid function name; function: foo"},
		{"update with size()", "UpdateItem", upd("SET a = size(l)", ""), val, "Invalid UpdateExpression: The function is not allowed in an update expression; function: size"},
		{"update of the hash key", "UpdateItem", upd("SET pk = :v", `,"ExpressionAttributeValues":{":v":{"S":"x"}}`), val, "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
		{"update of a key whose condition fails", "UpdateItem", upd("SET pk = :v", `,"ConditionExpression":"attribute_not_exists(pk)","ExpressionAttributeValues":{":v":{"S":"x"}}`), ccf, "The conditional request failed"},
		{"update with a legacy PUT without value", "UpdateItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"AttributeUpdates":{"a":{"Action":"PUT"}}}`, val, "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified"},
		{"update result over 400 KB", "UpdateItem", upd("SET d = :v", `,"ExpressionAttributeValues":{":v":{"S":"`+big+`"}}`), val, "Item size to update has exceeded the maximum allowed size"},
		// UpdateItem: run-time errors against the seed item.
		{"update adding to a string", "UpdateItem", upd("ADD s :n", `,"ExpressionAttributeValues":{":n":{"N":"1"}}`), val, "An operand in the update expression has an incorrect data type"},
		{"update adding to a missing attribute in arithmetic", "UpdateItem", upd("SET a = nothere + :n", `,"ExpressionAttributeValues":{":n":{"N":"1"}}`), val, "The provided expression refers to an attribute that does not exist in the item"},
		{"update of a path under a string", "UpdateItem", upd("SET s.x = :n", `,"ExpressionAttributeValues":{":n":{"N":"1"}}`), val, "The document path provided in the update expression is invalid for update"},
		{"update overflowing a number", "UpdateItem", upd("ADD big :n", `,"ExpressionAttributeValues":{":n":{"N":"9E+125"}}`), val, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"update whose condition fails", "UpdateItem", upd("REMOVE s", `,"ConditionExpression":"s = :v","ExpressionAttributeValues":{":v":{"S":"other"}}`), ccf, "The conditional request failed"},

		// DeleteItem.
		{"delete on a missing table", "DeleteItem", `{"TableName":"nope","Key":{"pk":{"S":"a"}}}`, rnf, "Requested resource not found"},
		{"delete with ReturnValues ALL_NEW", "DeleteItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ReturnValues":"ALL_NEW"}`, val, "Return values set to invalid value"},
		{"delete with ReturnValues UPDATED_OLD", "DeleteItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ReturnValues":"UPDATED_OLD"}`, val, "Return values set to invalid value"},
		{"delete with a key of the wrong attribute", "DeleteItem", `{"TableName":"it_comp","Key":{"sk":{"S":"1"},"x":{"S":"a"}}}`, val, "The provided key element does not match the schema"},
		{"delete with values but no condition", "DeleteItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ExpressionAttributeValues":{":v":{"S":"x"}}}`, val, "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"},
		{"delete whose condition fails", "DeleteItem", `{"TableName":"it_hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)"}`, ccf, "The conditional request failed"},
		{"delete with a legacy condition that fails", "DeleteItem", `{"TableName":"it_hash","Key":{"pk":{"S":"seed"}},"Expected":{"s":{"Value":{"S":"other"}}}}`, ccf, "The conditional request failed"},
	}
	if len(tests) < 60 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := srv.Do(t, tc.op, tc.body)
			if status != 400 {
				t.Fatalf("status %d, body %s", status, body)
			}
			code, msg := itRawError(t, status, body)
			if code != tc.code || msg != tc.msg {
				t.Fatalf("got  %s: %q\nwant %s: %q", code, msg, tc.code, tc.msg)
			}
		})
	}
	// The seed item is unchanged by every failed request.
	g, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("it_hash"), Key: itKey("seed")})
	if err != nil || len(g.Item) != 3 || g.Item["s"].(*types.AttributeValueMemberS).Value != "str" {
		t.Fatalf("seed item changed: %v %v", g.Item, err)
	}
}
