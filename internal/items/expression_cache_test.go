package items

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/protocol"
)

// TestRepeatedExpressions runs requests that repeat expression texts, so
// that all but the first of each are served by the Service's expression
// cache, and checks each result: new values take effect, other names give
// other paths, and undefined, unused or mistyped placeholders are still
// rejected with DynamoDB's messages.
func TestRepeatedExpressions(t *testing.T) {
	s, ctx := siService(t)
	const (
		upd  = `"UpdateExpression":"SET #v = :v, #n = #n + :one","ConditionExpression":"attribute_not_exists(pk) OR #n < :max"`
		cond = `"ConditionExpression":"attribute_not_exists(pk) OR #n < :max"`
		proj = `"ProjectionExpression":"pk, #a"`
		kce  = `"KeyConditionExpression":"pk = :p AND sk BETWEEN :lo AND :hi","FilterExpression":"#n <> :skip","ProjectionExpression":"sk"`
	)
	steps := []struct {
		name, op, body string
		want           string // the output's Item/Items/Attributes as JSON, or "error: message"
	}{
		{"an update creates the item", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"one"},":one":{"N":"1"},":max":{"N":"10"}},"ReturnValues":"ALL_NEW"}`,
			"error: The provided expression refers to an attribute that does not exist in the item"},
		{"a put stores n", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"},"n":{"N":"1"}},` + cond + `,"ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":max":{"N":"10"}}}`, "{}"},
		{"the update again, with its own values", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"two"},":one":{"N":"5"},":max":{"N":"10"}},"ReturnValues":"ALL_NEW"}`,
			`{"n":{"N":"6"},"pk":{"S":"a"},"v":{"S":"two"}}`},
		{"the update with other values", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"three"},":one":{"N":"1"},":max":{"N":"10"}},"ReturnValues":"UPDATED_NEW"}`,
			`{"n":{"N":"7"},"v":{"S":"three"}}`},
		{"the update with a failing condition", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"four"},":one":{"N":"1"},":max":{"N":"7"}}}`,
			"error: The conditional request failed"},
		{"the update with other names", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"w","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"five"},":one":{"N":"1"},":max":{"N":"10"}},"ReturnValues":"ALL_NEW"}`,
			`{"n":{"N":"8"},"pk":{"S":"a"},"v":{"S":"three"},"w":{"S":"five"}}`},
		{"the update with an unused name", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"v","#n":"n","#x":"x"},"ExpressionAttributeValues":{":v":{"S":"six"},":one":{"N":"1"},":max":{"N":"10"}}}`,
			"error: Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}"},
		{"the update with an unused value", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"six"},":one":{"N":"1"},":max":{"N":"10"},":y":{"N":"1"}}}`,
			"error: Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}"},
		{"the update with an undefined value", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"six"},":max":{"N":"10"}}}`,
			"error: Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :one"},
		{"the update with a mistyped value", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"six"},":one":{"S":"1"},":max":{"N":"10"}}}`,
			"error: Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{"unused placeholders before a mistyped value", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"six"},":one":{"S":"1"},":max":{"N":"10"},":y":{"N":"1"}}}`,
			"error: Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}"},
		{"the update of a key attribute", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + upd + `,"ExpressionAttributeNames":{"#v":"pk","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"six"},":one":{"N":"1"},":max":{"N":"10"}}}`,
			"error: One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},

		{"the put's condition fails", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"},"n":{"N":"1"}},` + cond + `,"ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":max":{"N":"8"}}}`, "error: The conditional request failed"},
		{"the put's condition holds", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"},"n":{"N":"2"},"m":{"S":"x"}},` + cond + `,"ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":max":{"N":"9"}}}`, "{}"},
		{"the put's condition on another attribute", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"},"n":{"N":"3"}},` + cond + `,"ExpressionAttributeNames":{"#n":"m"},"ExpressionAttributeValues":{":max":{"S":"y"}}}`, "{}"},
		{"the put with a mistyped value", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},` + cond + `,"ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":max":{"BOOL":true}}}`,
			"error: Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},

		{"a get projects #a", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + proj + `,"ExpressionAttributeNames":{"#a":"n"}}`, `{"n":{"N":"3"},"pk":{"S":"a"}}`},
		{"a get with another #a", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + proj + `,"ExpressionAttributeNames":{"#a":"v"}}`, `{"pk":{"S":"a"}}`},
		{"a get with the first #a", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + proj + `,"ExpressionAttributeNames":{"#a":"n"}}`, `{"n":{"N":"3"},"pk":{"S":"a"}}`},
		{"a get with an unused name", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + proj + `,"ExpressionAttributeNames":{"#a":"n","#b":"b"}}`, "error: Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}"},
		{"a get with an undefined name", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"}},` + proj + `,"ExpressionAttributeNames":{"#b":"b"}}`, "error: Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #a"},

		{"a query", "query", `{"TableName":"comp",` + kce + `,"ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":p":{"S":"q"},":lo":{"N":"2"},":hi":{"N":"4"},":skip":{"N":"3"}}}`, `[{"sk":{"N":"2"}},{"sk":{"N":"4"}}]`},
		{"the query with other values", "query", `{"TableName":"comp",` + kce + `,"ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":p":{"S":"q"},":lo":{"N":"1"},":hi":{"N":"2"},":skip":{"N":"9"}}}`, `[{"sk":{"N":"1"}},{"sk":{"N":"2"}}]`},
		{"the query with another partition", "query", `{"TableName":"comp",` + kce + `,"ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":p":{"S":"r"},":lo":{"N":"1"},":hi":{"N":"5"},":skip":{"N":"9"}}}`, `[{"sk":{"N":"1"}}]`},
		{"the query with a mistyped sort value", "query", `{"TableName":"comp",` + kce + `,"ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":p":{"S":"q"},":lo":{"S":"1"},":hi":{"S":"2"},":skip":{"N":"9"}}}`,
			"error: One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"the query filtering on a key", "query", `{"TableName":"comp",` + kce + `,"ExpressionAttributeNames":{"#n":"sk"},"ExpressionAttributeValues":{":p":{"S":"q"},":lo":{"N":"1"},":hi":{"N":"2"},":skip":{"N":"9"}}}`,
			"error: Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
	}
	for _, b := range []string{
		`{"TableName":"comp","Item":{"pk":{"S":"q"},"sk":{"N":"1"},"n":{"N":"1"}}}`,
		`{"TableName":"comp","Item":{"pk":{"S":"q"},"sk":{"N":"2"},"n":{"N":"2"}}}`,
		`{"TableName":"comp","Item":{"pk":{"S":"q"},"sk":{"N":"3"},"n":{"N":"3"}}}`,
		`{"TableName":"comp","Item":{"pk":{"S":"q"},"sk":{"N":"4"},"n":{"N":"4"}}}`,
		`{"TableName":"comp","Item":{"pk":{"S":"r"},"sk":{"N":"1"},"n":{"N":"1"}}}`,
	} {
		siPut(t, s, b)
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			got, err := runStep(ctx, s, st.op, st.body)
			if err != nil {
				e, ok := apierr.As(err)
				if !ok {
					t.Fatalf("got %v", err)
				}
				got = "error: " + e.Message
			} else {
				got = siJSON(t, got)
			}
			if got != st.want {
				t.Errorf("got  %s\nwant %s", got, st.want)
			}
		})
	}
}

// runStep decodes body as op's input and runs it, returning the part of
// the output TestRepeatedExpressions compares.
func runStep(ctx context.Context, s *Service, op, body string) (any, error) {
	var err error
	switch op {
	case "put":
		var in protocol.PutItemInput
		if err = siUnmarshal(body, &in); err == nil {
			var out *protocol.PutItemOutput
			if out, err = s.PutItem(ctx, &in); err == nil {
				return out.Attributes, nil
			}
		}
	case "update":
		var in protocol.UpdateItemInput
		if err = siUnmarshal(body, &in); err == nil {
			var out *protocol.UpdateItemOutput
			if out, err = s.UpdateItem(ctx, &in); err == nil {
				return out.Attributes, nil
			}
		}
	case "get":
		var in protocol.GetItemInput
		if err = siUnmarshal(body, &in); err == nil {
			var out *protocol.GetItemOutput
			if out, err = s.GetItem(ctx, &in); err == nil {
				return out.Item, nil
			}
		}
	case "query":
		var in protocol.QueryInput
		if err = siUnmarshal(body, &in); err == nil {
			var out *protocol.QueryOutput
			if out, err = s.Query(ctx, &in); err == nil {
				return out.Items, nil
			}
		}
	default:
		return nil, fmt.Errorf("unknown op %s", op)
	}
	return nil, err
}

// TestConcurrentRepeatedUpdates sends one UpdateExpression text with
// per-request values from several goroutines (run with -race): every
// increment must land and every item must get its own request's value.
func TestConcurrentRepeatedUpdates(t *testing.T) {
	s, ctx := siService(t)
	const workers, rounds = 4, 50
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				var in protocol.UpdateItemInput
				body := `{"TableName":"hash","Key":{"pk":{"S":"w` + strconv.Itoa(w) + `"}},"UpdateExpression":"SET #v = :v ADD #n :one","ConditionExpression":"attribute_not_exists(#n) OR #n < :max","ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"` + strconv.Itoa(i) + `"},":one":{"N":"1"},":max":{"N":"1000"}},"ReturnValues":"ALL_NEW"}`
				if err := siUnmarshal(body, &in); err != nil {
					t.Error(err)
					return
				}
				out, err := s.UpdateItem(ctx, &in)
				if err != nil {
					t.Error(err)
					return
				}
				if out.Attributes["v"].Str != strconv.Itoa(i) || out.Attributes["n"].Str != strconv.Itoa(i+1) {
					t.Errorf("worker %d round %d: got %v", w, i, out.Attributes)
					return
				}
			}
		}()
	}
	wg.Wait()
}
