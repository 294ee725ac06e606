package items

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/storage"
)

// siCall decodes body into op's input and runs op (named name in the
// failure message) in the test namespace; an error ends the test.
func siCall[I, O any](t *testing.T, name, body string, op func(context.Context, *I) (*O, error)) *O {
	t.Helper()
	var in I
	siDecode(t, body, &in)
	out, err := op(siCtx(nil), &in)
	if err != nil {
		t.Fatalf("%s %s: %v", name, body, err)
	}
	return out
}

func siPut(t *testing.T, s *Service, body string) *protocol.PutItemOutput {
	t.Helper()
	return siCall(t, "PutItem", body, s.PutItem)
}

func siGet(t *testing.T, s *Service, body string) *protocol.GetItemOutput {
	t.Helper()
	return siCall(t, "GetItem", body, s.GetItem)
}

func siUpdate(t *testing.T, s *Service, body string) *protocol.UpdateItemOutput {
	t.Helper()
	return siCall(t, "UpdateItem", body, s.UpdateItem)
}

func siDelete(t *testing.T, s *Service, body string) *protocol.DeleteItemOutput {
	t.Helper()
	return siCall(t, "DeleteItem", body, s.DeleteItem)
}

func TestPutGetDeleteRoundTrip(t *testing.T) {
	s, _ := siService(t)
	siPut(t, s, `{"TableName":"comp","Item":{"pk":{"S":"a"},"sk":{"N":"0010.50"},"n":{"N":"1E2"},"l":{"L":[{"S":"x"},{"NULL":true}]}}}`)
	out := siGet(t, s, `{"TableName":"comp","Key":{"pk":{"S":"a"},"sk":{"N":"10.5"}}}`)
	if got, want := siJSON(t, out.Item), `{"l":{"L":[{"S":"x"},{"NULL":true}]},"n":{"N":"100"},"pk":{"S":"a"},"sk":{"N":"10.5"}}`; !siSameItem(t, got, want) {
		t.Fatalf("GetItem = %s, want %s", got, want)
	}
	d := siDelete(t, s, `{"TableName":"comp","Key":{"pk":{"S":"a"},"sk":{"N":"10.5"}},"ReturnValues":"ALL_OLD"}`)
	if d.Attributes["n"].Str != "100" {
		t.Fatalf("DeleteItem ALL_OLD = %v", d.Attributes)
	}
	if out := siGet(t, s, `{"TableName":"comp","Key":{"pk":{"S":"a"},"sk":{"N":"10.5"}}}`); out.Item != nil {
		t.Fatalf("item still there: %v", out.Item)
	}
	if d := siDelete(t, s, `{"TableName":"comp","Key":{"pk":{"S":"a"},"sk":{"N":"10.5"}},"ReturnValues":"ALL_OLD"}`); d.Attributes != nil {
		t.Fatalf("DeleteItem of a missing item returned %v", d.Attributes)
	}
}

// siSameItem compares two JSON objects ignoring member order.
func siSameItem(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y map[string]any
	if err := siUnmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := siUnmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(x) == fmt.Sprint(y)
}

func TestItemReturnValues(t *testing.T) {
	s, _ := siService(t)
	if out := siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"},"x":{"N":"1"}},"ReturnValues":"ALL_OLD"}`); out.Attributes != nil {
		t.Fatalf("put of a new item returned %v", out.Attributes)
	}
	out := siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"},"x":{"N":"2"},"y":{"S":"s"}},"ReturnValues":"ALL_OLD"}`)
	if got := siJSON(t, out.Attributes); !siSameItem(t, got, `{"pk":{"S":"a"},"x":{"N":"1"}}`) {
		t.Fatalf("put ALL_OLD = %s", got)
	}
	tests := []struct{ rv, want string }{
		{"NONE", `null`},
		// NONE removed y, so later updates see x, z only.
		{"ALL_OLD", `{"pk":{"S":"a"},"x":{"N":"3"},"z":{"S":"new"}}`},
		{"UPDATED_OLD", `{"x":{"N":"4"},"z":{"S":"new"}}`},
		{"ALL_NEW", `{"pk":{"S":"a"},"x":{"N":"6"},"z":{"S":"new"}}`},
		{"UPDATED_NEW", `{"x":{"N":"7"},"z":{"S":"new"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.rv, func(t *testing.T) {
			out := siUpdate(t, s, `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"ADD x :one SET z = :z REMOVE y","ExpressionAttributeValues":{":one":{"N":"1"},":z":{"S":"new"}},"ReturnValues":"`+tc.rv+`"}`)
			got := siJSON(t, out.Attributes)
			if got == "{}" {
				got = "null"
			}
			if tc.want == "null" && got != "null" || tc.want != "null" && !siSameItem(t, got, tc.want) {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestUpdateCreatesItem(t *testing.T) {
	s, _ := siService(t)
	out := siUpdate(t, s, `{"TableName":"comp","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"REMOVE q","ReturnValues":"ALL_NEW"}`)
	if got := siJSON(t, out.Attributes); !siSameItem(t, got, `{"pk":{"S":"a"},"sk":{"N":"1"}}`) {
		t.Fatalf("REMOVE-only update of a missing item = %s", got)
	}
	out = siUpdate(t, s, `{"TableName":"hash","Key":{"pk":{"S":"b"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ReturnValues":"UPDATED_NEW"}`)
	if got := siJSON(t, out.Attributes); got != `{"v":{"S":"x"}}` {
		t.Fatalf("UPDATED_NEW of a created item = %s", got)
	}
}

func TestLegacyParameters(t *testing.T) {
	s, ctx := siService(t)
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"},"n":{"N":"1"},"s":{"SS":["x"]}},"Expected":{"pk":{"Exists":false}}}`)
	var in protocol.PutItemInput
	siDecode(t, `{"TableName":"hash","Item":{"pk":{"S":"a"}},"Expected":{"pk":{"Exists":false}}}`, &in)
	_, err := s.PutItem(ctx, &in)
	siWantErr(t, err, "ConditionalCheckFailedException", "The conditional request failed")

	out := siUpdate(t, s, `{"TableName":"hash","Key":{"pk":{"S":"a"}},"AttributeUpdates":{"n":{"Action":"ADD","Value":{"N":"2"}},"s":{"Action":"DELETE"},"t":{"Value":{"S":"v"}}},"Expected":{"n":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]},"zz":{"ComparisonOperator":"NULL"}},"ConditionalOperator":"AND","ReturnValues":"ALL_NEW"}`)
	if got := siJSON(t, out.Attributes); !siSameItem(t, got, `{"pk":{"S":"a"},"n":{"N":"3"},"t":{"S":"v"}}`) {
		t.Fatalf("legacy update = %s", got)
	}
	g := siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"a"}},"AttributesToGet":["t","missing"]}`)
	if got := siJSON(t, g.Item); got != `{"t":{"S":"v"}}` {
		t.Fatalf("AttributesToGet = %s", got)
	}
	g = siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"#n, pk","ExpressionAttributeNames":{"#n":"n"}}`)
	if got := siJSON(t, g.Item); !siSameItem(t, got, `{"n":{"N":"3"},"pk":{"S":"a"}}`) {
		t.Fatalf("ProjectionExpression = %s", got)
	}
}

func TestItemConsumedCapacity(t *testing.T) {
	s, _ := siService(t)
	big := strings.Repeat("x", 5000)
	out := siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"},"d":{"S":"`+big+`"}},"ReturnConsumedCapacity":"TOTAL"}`)
	if got := siJSON(t, out.ConsumedCapacity); got != `{"TableName":"hash","CapacityUnits":5}` {
		t.Fatalf("put 5 KB TOTAL = %s", got)
	}
	// Replacing a 5 KB item by a small one still costs the larger size.
	out = siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ReturnConsumedCapacity":"INDEXES"}`)
	if got := siJSON(t, out.ConsumedCapacity); got != `{"TableName":"hash","CapacityUnits":5,"Table":{"CapacityUnits":5}}` {
		t.Fatalf("put replacing 5 KB INDEXES = %s", got)
	}
	if out := siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"b"}},"ReturnConsumedCapacity":"NONE"}`); out.ConsumedCapacity != nil {
		t.Fatalf("NONE returned %v", out.ConsumedCapacity)
	}
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"c"},"d":{"S":"`+big+`"}}}`)
	tests := []struct {
		key        string
		consistent bool
		want       float64
	}{
		{"c", false, 1}, {"c", true, 2}, {"missing", false, 0.5}, {"missing", true, 1}, {"b", false, 0.5},
	}
	for _, tc := range tests {
		g := siGet(t, s, fmt.Sprintf(`{"TableName":"hash","Key":{"pk":{"S":%q}},"ConsistentRead":%v,"ReturnConsumedCapacity":"TOTAL"}`, tc.key, tc.consistent))
		if got := *g.ConsumedCapacity.CapacityUnits; got != tc.want {
			t.Errorf("GetItem %s consistent=%v: %v units, want %v", tc.key, tc.consistent, got, tc.want)
		}
	}
	d := siDelete(t, s, `{"TableName":"hash","Key":{"pk":{"S":"c"}},"ReturnConsumedCapacity":"TOTAL"}`)
	if got := *d.ConsumedCapacity.CapacityUnits; got != 5 {
		t.Errorf("DeleteItem of 5 KB: %v units", got)
	}
	d = siDelete(t, s, `{"TableName":"hash","Key":{"pk":{"S":"c"}},"ReturnConsumedCapacity":"TOTAL"}`)
	if got := *d.ConsumedCapacity.CapacityUnits; got != 1 {
		t.Errorf("DeleteItem of a missing item: %v units", got)
	}
}

func TestCountersFollowWrites(t *testing.T) {
	s, ctx := siService(t)
	tb, _ := s.table(ctx, ptr("hash"))
	counters := func() (int64, int64) {
		c, _, _ := s.eng.Get(keyspace.ItemCount(tb.ID))
		z, _, _ := s.eng.Get(keyspace.TableSize(tb.ID))
		return storage.ReadInt64(c), storage.ReadInt64(z)
	}
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"},"x":{"S":"12345"}}}`) // 3 + 6
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"b"}}}`)                   // 3
	if n, z := counters(); n != 2 || z != 12 {
		t.Fatalf("after 2 puts: count %d size %d, want 2, 12", n, z)
	}
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"}}}`)
	siUpdate(t, s, `{"TableName":"hash","Key":{"pk":{"S":"c"}},"UpdateExpression":"SET y = :v","ExpressionAttributeValues":{":v":{"S":"ab"}}}`) // 3 + 3
	if n, z := counters(); n != 3 || z != 12 {
		t.Fatalf("after replace and upsert: count %d size %d, want 3, 12", n, z)
	}
	siDelete(t, s, `{"TableName":"hash","Key":{"pk":{"S":"a"}}}`)
	siDelete(t, s, `{"TableName":"hash","Key":{"pk":{"S":"a"}}}`)
	if n, z := counters(); n != 2 || z != 9 {
		t.Fatalf("after deletes: count %d size %d, want 2, 9", n, z)
	}
}

func TestConcurrentConditionalAdds(t *testing.T) {
	s, ctx := siService(t)
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"ctr"},"counter":{"N":"0"}}}`)
	const workers, each = 16, 200
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				var in protocol.UpdateItemInput
				siDecode(t, `{"TableName":"hash","Key":{"pk":{"S":"ctr"}},"UpdateExpression":"ADD #c :one","ConditionExpression":"attribute_exists(pk) AND #c < :max","ExpressionAttributeNames":{"#c":"counter"},"ExpressionAttributeValues":{":one":{"N":"1"},":max":{"N":"1000000"}}}`, &in)
				if _, err := s.UpdateItem(ctx, &in); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	g := siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"ctr"}},"ConsistentRead":true}`)
	if got := g.Item["counter"].Str; got != fmt.Sprint(workers*each) {
		t.Fatalf("counter = %s, want %d", got, workers*each)
	}
}

func TestConditionFailureLeavesItem(t *testing.T) {
	s, ctx := siService(t)
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"},"v":{"N":"1"}}}`)
	var in protocol.UpdateItemInput
	siDecode(t, `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET v = :two","ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}}}`, &in)
	_, err := s.UpdateItem(ctx, &in)
	siWantErr(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	if e, _ := apierr.As(err); e.Fields != nil {
		t.Fatalf("Item returned without ReturnValuesOnConditionCheckFailure: %v", e.Fields)
	}
	if g := siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"a"}}}`); g.Item["v"].Str != "1" {
		t.Fatalf("item changed: %v", g.Item)
	}
}

func TestConditionFailureReturnsOldItem(t *testing.T) {
	s, ctx := siService(t)
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"},"v":{"N":"1"}}}`)
	bodies := map[string]string{
		"put":    `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`,
		"update": `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"REMOVE v","ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`,
		"delete": `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`,
	}
	for op, body := range bodies {
		t.Run(op, func(t *testing.T) {
			var err error
			switch op {
			case "put":
				var in protocol.PutItemInput
				siDecode(t, body, &in)
				_, err = s.PutItem(ctx, &in)
			case "update":
				var in protocol.UpdateItemInput
				siDecode(t, body, &in)
				_, err = s.UpdateItem(ctx, &in)
			case "delete":
				var in protocol.DeleteItemInput
				siDecode(t, body, &in)
				_, err = s.DeleteItem(ctx, &in)
			}
			siWantErr(t, err, "ConditionalCheckFailedException", "The conditional request failed")
			e, _ := apierr.As(err)
			if got := siJSON(t, e.Fields); !siSameItem(t, got, `{"Item":{"pk":{"S":"a"},"v":{"N":"1"}}}`) {
				t.Fatalf("error fields = %s", got)
			}
		})
	}
}
