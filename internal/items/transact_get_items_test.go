package items

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/petreldb/petrel/internal/protocol"
)

// txGet runs a TransactGetItems given as JSON.
func txGet(t testing.TB, s *Service, body string) (*protocol.TransactGetItemsOutput, error) {
	t.Helper()
	var in protocol.TransactGetItemsInput
	siDecode(t, body, &in)
	if err := in.Validate(); err != nil {
		t.Fatalf("Validate %s: %v", body, err)
	}
	return s.TransactGetItems(siCtx(s), &in)
}

func TestTransactGetItems(t *testing.T) {
	s, _ := siService(t)
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"},"x":{"N":"1"},"y":{"S":"why"}}}`)
	siPut(t, s, `{"TableName":"comp","Item":{"pk":{"S":"a"},"sk":{"N":"2"},"z":{"BOOL":true}}}`)
	out, err := txGet(t, s, `{"ReturnConsumedCapacity":"TOTAL","TransactItems":[
		{"Get":{"TableName":"comp","Key":{"pk":{"S":"a"},"sk":{"N":"2"}}}},
		{"Get":{"TableName":"hash","Key":{"pk":{"S":"missing"}}}},
		{"Get":{"TableName":"hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"#y","ExpressionAttributeNames":{"#y":"y"}}},
		{"Get":{"TableName":"comp","Key":{"pk":{"S":"a"},"sk":{"N":"3"}}}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := siJSON(t, out.Responses), `[{"Item":{"pk":{"S":"a"},"sk":{"N":"2"},"z":{"BOOL":true}}},{},{"Item":{"y":{"S":"why"}}},{}]`; got != want {
		t.Fatalf("Responses\n got %s\nwant %s", got, want)
	}
	// Two units per item read, missing items included (behaviours.md §6).
	if got, want := siJSON(t, out.ConsumedCapacity), `[{"TableName":"comp","CapacityUnits":4},{"TableName":"hash","CapacityUnits":4}]`; got != want {
		t.Fatalf("ConsumedCapacity\n got %s\nwant %s", got, want)
	}
	t.Run("a projection matching nothing gives an empty item", func(t *testing.T) {
		out, err := txGet(t, s, `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"nothing"}}]}`)
		if err != nil {
			t.Fatal(err)
		}
		if got := siJSON(t, out.Responses); got != `[{"Item":{}}]` {
			t.Fatalf("Responses %s", got)
		}
	})
}

func TestTransactGetItemsValidation(t *testing.T) {
	tests := []struct{ name, body, code, msg string }{
		{"the same item twice", `{"TransactItems":[
			{"Get":{"TableName":"hash","Key":{"pk":{"S":"a"}}}},
			{"Get":{"TableName":"hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"x"}}]}`,
			"ValidationException", "Transaction request cannot include multiple operations on one item"},
		{"a missing table", `{"TransactItems":[{"Get":{"TableName":"nope","Key":{"pk":{"S":"a"}}}}]}`,
			"ResourceNotFoundException", "Requested resource not found"},
		{"a key that does not match the schema", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"pk":{"N":"1"}}}}]}`,
			"ValidationException", "The provided key element does not match the schema"},
		{"an unused attribute name", `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"x","ExpressionAttributeNames":{"#u":"u"}}}]}`,
			"ValidationException", "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := siService(t)
			_, err := txGet(t, s, tt.body)
			siWantErr(t, err, tt.code, tt.msg)
		})
	}
	t.Run("more than 4 MB of items", func(t *testing.T) {
		s, _ := siService(t)
		var gets []string
		for i := range 11 {
			siPut(t, s, fmt.Sprintf(`{"TableName":"hash","Item":{"pk":{"S":"k%d"},"d":{"S":"%s"}}}`, i, strings.Repeat("x", 390*1024)))
			gets = append(gets, fmt.Sprintf(`{"Get":{"TableName":"hash","Key":{"pk":{"S":"k%d"}},"ProjectionExpression":"pk"}}`, i))
		}
		_, err := txGet(t, s, `{"TransactItems":[`+strings.Join(gets, ",")+`]}`)
		siWantErr(t, err, "ValidationException", "Payload in response is too large.4393016")
	})
}

// TestTransactGetItemsSeesWholeTransactions reads pairs of items while
// transactions move a unit from one to the other: every read sees the sum
// unchanged.
func TestTransactGetItemsSeesWholeTransactions(t *testing.T) {
	s, _ := siService(t)
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"a"},"n":{"N":"500"}}}`)
	siPut(t, s, `{"TableName":"comp","Item":{"pk":{"S":"b"},"sk":{"N":"0"},"n":{"N":"500"}}}`)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 300; i++ {
			d := 1 - 2*(i%2)
			if _, err := txWrite(t, s, fmt.Sprintf(`{"TransactItems":[
				{"Update":{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"ADD n :d","ExpressionAttributeValues":{":d":{"N":"%d"}}}},
				{"Update":{"TableName":"comp","Key":{"pk":{"S":"b"},"sk":{"N":"0"}},"UpdateExpression":"ADD n :d","ExpressionAttributeValues":{":d":{"N":"%d"}}}}]}`, d, -d)); err != nil {
				t.Error(err)
				break
			}
		}
		stop.Store(true)
	}()
	reads := 0
	for !stop.Load() || reads == 0 {
		out, err := txGet(t, s, `{"TransactItems":[{"Get":{"TableName":"hash","Key":{"pk":{"S":"a"}}}},{"Get":{"TableName":"comp","Key":{"pk":{"S":"b"},"sk":{"N":"0"}}}}]}`)
		if err != nil {
			t.Fatal(err)
		}
		var a, b int
		fmt.Sscan(out.Responses[0].Item["n"].Str, &a)
		fmt.Sscan(out.Responses[1].Item["n"].Str, &b)
		if a+b != 1000 {
			t.Fatalf("read %d + %d: a transaction was seen in part", a, b)
		}
		reads++
	}
	wg.Wait()
}
