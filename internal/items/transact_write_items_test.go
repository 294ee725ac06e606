package items

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/storage"
)

// txWrite runs a TransactWriteItems given as JSON.
func txWrite(t testing.TB, s *Service, body string) (*protocol.TransactWriteItemsOutput, error) {
	t.Helper()
	var in protocol.TransactWriteItemsInput
	siDecode(t, body, &in)
	if err := in.Validate(); err != nil {
		t.Fatalf("Validate %s: %v", body, err)
	}
	return s.TransactWriteItems(siCtx(s), &in)
}

// reasonsJSON renders a TransactionCanceledException's reasons as the
// wire shows them.
func reasonsJSON(t *testing.T, err error) string {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Code != "TransactionCanceledException" {
		t.Fatalf("got %v, want TransactionCanceledException", err)
	}
	return siJSON(t, e.Fields["CancellationReasons"])
}

func TestTransactWriteItemsAppliesEveryAction(t *testing.T) {
	s, _ := siService(t)
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"upd"},"n":{"N":"1"}}}`)
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"del"}}}`)
	siPut(t, s, `{"TableName":"comp","Item":{"pk":{"S":"chk"},"sk":{"N":"1"},"ok":{"BOOL":true}}}`)
	_, err := txWrite(t, s, `{"TransactItems":[
		{"Put":{"TableName":"hash","Item":{"pk":{"S":"new"},"v":{"S":"x"}},"ConditionExpression":"attribute_not_exists(pk)"}},
		{"Update":{"TableName":"hash","Key":{"pk":{"S":"upd"}},"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}}}},
		{"Delete":{"TableName":"hash","Key":{"pk":{"S":"del"}}}},
		{"ConditionCheck":{"TableName":"comp","Key":{"pk":{"S":"chk"},"sk":{"N":"1"}},"ConditionExpression":"ok = :t","ExpressionAttributeValues":{":t":{"BOOL":true}}}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if out := siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"new"}}}`); out.Item["v"].Str != "x" {
		t.Fatalf("put item = %v", out.Item)
	}
	if out := siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"upd"}}}`); out.Item["n"].Str != "2" {
		t.Fatalf("updated item = %v", out.Item)
	}
	if out := siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"del"}}}`); out.Item != nil {
		t.Fatalf("deleted item = %v", out.Item)
	}
	tbl, _ := s.table(siCtx(s), ptr("hash"))
	c, _, _ := s.eng.Get(keyspace.ItemCount(tbl.ID))
	if n := storage.ReadInt64(c); n != 2 {
		t.Fatalf("item count %d, want 2", n)
	}
}

func TestTransactWriteItemsCancellation(t *testing.T) {
	const seed = `{"TransactItems":[
		{"Put":{"TableName":"hash","Item":{"pk":{"S":"a"},"n":{"N":"5"},"s":{"S":"str"}}}},
		{"Put":{"TableName":"comp","Item":{"pk":{"S":"b"},"sk":{"N":"1"},"n":{"N":"7"}}}}]}`
	tests := []struct {
		name        string
		body        string
		wantMessage string
		wantReasons string
	}{{
		name: "a failed condition cancels with reasons in request order",
		body: `{"TransactItems":[
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"c"}}}},
			{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"n > :v","ExpressionAttributeValues":{":v":{"N":"10"}}}}]}`,
		wantMessage: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
		wantReasons: `[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]`,
	}, {
		name: "ALL_OLD puts the item into its reason",
		body: `{"TransactItems":[
			{"Update":{"TableName":"comp","Key":{"pk":{"S":"b"},"sk":{"N":"1"}},"UpdateExpression":"SET m = :v","ConditionExpression":"attribute_not_exists(pk)","ExpressionAttributeValues":{":v":{"N":"1"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
			{"Delete":{"TableName":"hash","Key":{"pk":{"S":"a"}}}}]}`,
		wantMessage: "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]",
		wantReasons: `[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"n":{"N":"7"},"pk":{"S":"b"},"sk":{"N":"1"}}},{"Code":"None"}]`,
	}, {
		name: "ALL_OLD on a missing item gives no item",
		body: `{"TransactItems":[
			{"Delete":{"TableName":"hash","Key":{"pk":{"S":"zz"}},"ConditionExpression":"attribute_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}]}`,
		wantMessage: "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]",
		wantReasons: `[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]`,
	}, {
		name: "updating a key attribute is a ValidationError reason",
		body: `{"TransactItems":[
			{"Update":{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET pk = :v","ExpressionAttributeValues":{":v":{"S":"z"}}}}]}`,
		wantMessage: "Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]",
		wantReasons: `[{"Code":"ValidationError","Message":"One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"}]`,
	}, {
		name: "a run-time update error is a ValidationError reason",
		body: `{"TransactItems":[
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"c"}}}},
			{"Update":{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"ADD s :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]}`,
		wantMessage: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]",
		wantReasons: `[{"Code":"None"},{"Code":"ValidationError","Message":"An operand in the update expression has an incorrect data type"}]`,
	}, {
		name: "every action is checked and reported",
		body: `{"TransactItems":[
			{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(pk)"}},
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"c"}}}},
			{"Update":{"TableName":"hash","Key":{"pk":{"S":"d"}},"UpdateExpression":"SET x = absent + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}},
			{"Delete":{"TableName":"comp","Key":{"pk":{"S":"b"},"sk":{"N":"1"}},"ConditionExpression":"n = :n","ExpressionAttributeValues":{":n":{"N":"8"}}}}]}`,
		wantMessage: "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, ValidationError, ConditionalCheckFailed]",
		wantReasons: `[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},{"Code":"None"},` +
			`{"Code":"ValidationError","Message":"The provided expression refers to an attribute that does not exist in the item"},` +
			`{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := siService(t)
			if _, err := txWrite(t, s, seed); err != nil {
				t.Fatal(err)
			}
			_, err := txWrite(t, s, tt.body)
			e, ok := apierr.As(err)
			if !ok || e.Message != tt.wantMessage || e.Status != 400 {
				t.Fatalf("got %v\nwant %s", err, tt.wantMessage)
			}
			if got := reasonsJSON(t, err); got != tt.wantReasons {
				t.Fatalf("reasons\n got %s\nwant %s", got, tt.wantReasons)
			}
			// Nothing was written.
			if out := siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"c"}}}`); out.Item != nil {
				t.Fatalf("a cancelled transaction wrote %v", out.Item)
			}
			if out := siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"a"}}}`); out.Item["n"].Str != "5" || out.Item["pk"].Str != "a" {
				t.Fatalf("a cancelled transaction changed %v", out.Item)
			}
			if out := siGet(t, s, `{"TableName":"comp","Key":{"pk":{"S":"b"},"sk":{"N":"1"}}}`); out.Item == nil || out.Item["m"].Type != 0 {
				t.Fatalf("a cancelled transaction changed %v", out.Item)
			}
		})
	}
}

func TestTransactWriteItemsValidation(t *testing.T) {
	big := strings.Repeat("x", 390*1024)
	var puts []string
	for i := range 11 {
		puts = append(puts, fmt.Sprintf(`{"Put":{"TableName":"hash","Item":{"pk":{"S":"k%d"},"d":{"S":"%s"}}}}`, i, big))
	}
	tests := []struct {
		name, body, code, msg string
	}{
		{"two actions on one item", `{"TransactItems":[
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"a"}}}},
			{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)"}}]}`,
			"ValidationException", "Transaction request cannot include multiple operations on one item"},
		{"one item named by table name and by ARN", `{"TransactItems":[
			{"Delete":{"TableName":"hash","Key":{"pk":{"S":"a"}}}},
			{"Delete":{"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/hash","Key":{"pk":{"S":"a"}}}}]}`,
			"ValidationException", "Transaction request cannot include multiple operations on one item"},
		{"two kinds of action in one element", `{"TransactItems":[
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"a"}}},"Delete":{"TableName":"hash","Key":{"pk":{"S":"b"}}}}]}`,
			"ValidationException", "TransactItems can only contain one of Check, Put, Update or Delete"},
		{"an empty element", `{"TransactItems":[{}]}`,
			"ValidationException", "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"},
		{"a missing table", `{"TransactItems":[{"Put":{"TableName":"nope","Item":{"pk":{"S":"a"}}}}]}`,
			"ResourceNotFoundException", "Requested resource not found"},
		{"a put without its key", `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"x":{"S":"a"}}}}]}`,
			"ValidationException", "One or more parameter values were invalid: Missing the key pk in the item"},
		{"a key that does not match the schema", `{"TransactItems":[{"Delete":{"TableName":"comp","Key":{"pk":{"S":"a"}}}}]}`,
			"ValidationException", "The provided key element does not match the schema"},
		{"an unused placeholder", `{"TransactItems":[{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{":x":{"N":"1"}}}}]}`,
			"ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"},
		{"more than 4 MB of items", `{"TransactItems":[` + strings.Join(puts, ",") + `]}`,
			"ValidationException", "Transaction payload size cannot exceed 4MB. Payload Size: 4393016"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := siService(t)
			_, err := txWrite(t, s, tt.body)
			siWantErr(t, err, tt.code, tt.msg)
		})
	}
}

func TestTransactWriteItemsConsumedCapacity(t *testing.T) {
	s, _ := siService(t)
	siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"big"},"d":{"S":"`+strings.Repeat("x", 1500)+`"}}}`)
	out, err := txWrite(t, s, `{"ReturnConsumedCapacity":"INDEXES","TransactItems":[
		{"Put":{"TableName":"hash","Item":{"pk":{"S":"a"}}}},
		{"Put":{"TableName":"comp","Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}},
		{"Delete":{"TableName":"hash","Key":{"pk":{"S":"big"}}}},
		{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":"none"}},"ConditionExpression":"attribute_not_exists(pk)"}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	// hash: put 2 + delete of a 2 KB item 4 + check 2; comp: put 2.
	want := `[{"TableName":"hash","CapacityUnits":8,"Table":{"CapacityUnits":8}},{"TableName":"comp","CapacityUnits":2,"Table":{"CapacityUnits":2}}]`
	if got := siJSON(t, out.ConsumedCapacity); got != want {
		t.Fatalf("ConsumedCapacity\n got %s\nwant %s", got, want)
	}
	out, err = txWrite(t, s, `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"pk":{"S":"b"}}}}]}`)
	if err != nil || out.ConsumedCapacity != nil {
		t.Fatalf("without ReturnConsumedCapacity: %v, %v", out, err)
	}
}

func TestTransactWriteItemsClientRequestToken(t *testing.T) {
	s, _ := siService(t)
	clk := withFakeClock(s)
	add := `{"ClientRequestToken":"tok-1","ReturnConsumedCapacity":"TOTAL","TransactItems":[
		{"Update":{"TableName":"hash","Key":{"pk":{"S":"n"}},"UpdateExpression":"ADD c :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]}`
	counter := func() string {
		return siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"n"}}}`).Item["c"].Str
	}
	out, err := txWrite(t, s, add)
	if err != nil {
		t.Fatal(err)
	}
	if got := siJSON(t, out.ConsumedCapacity); got != `[{"TableName":"hash","CapacityUnits":2}]` {
		t.Fatalf("first call ConsumedCapacity %s", got)
	}
	t.Run("the same request within 10 minutes does not write again", func(t *testing.T) {
		clk.Advance(9 * time.Minute)
		out, err := txWrite(t, s, add)
		if err != nil {
			t.Fatal(err)
		}
		if c := counter(); c != "1" {
			t.Fatalf("counter %s after a replay, want 1", c)
		}
		if got := siJSON(t, out.ConsumedCapacity); got != `[{"TableName":"hash","CapacityUnits":1}]` {
			t.Fatalf("replay ConsumedCapacity %s, want the read of the item", got)
		}
	})
	t.Run("the same token with other parameters is a mismatch", func(t *testing.T) {
		_, err := txWrite(t, s, strings.Replace(add, `"N":"1"`, `"N":"2"`, 1))
		siWantErr(t, err, "IdempotentParameterMismatchException", msgIdempotentMismatch)
	})
	t.Run("after 10 minutes the token is new again", func(t *testing.T) {
		clk.Advance(time.Minute + time.Second)
		if _, err := txWrite(t, s, add); err != nil {
			t.Fatal(err)
		}
		if c := counter(); c != "2" {
			t.Fatalf("counter %s, want 2", c)
		}
	})
	t.Run("a cancelled request runs again when retried", func(t *testing.T) {
		cond := `{"ClientRequestToken":"tok-2","TransactItems":[
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"later"}}}},
			{"ConditionCheck":{"TableName":"hash","Key":{"pk":{"S":"n"}},"ConditionExpression":"attribute_exists(ready)"}}]}`
		_, err := txWrite(t, s, cond)
		wantCode(t, err, "TransactionCanceledException")
		siUpdate(t, s, `{"TableName":"hash","Key":{"pk":{"S":"n"}},"UpdateExpression":"SET ready = :t","ExpressionAttributeValues":{":t":{"BOOL":true}}}`)
		if _, err = txWrite(t, s, cond); err != nil {
			t.Fatal(err)
		}
		if siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"later"}}}`).Item == nil {
			t.Fatal("the retried transaction did not write")
		}
		_, err = txWrite(t, s, strings.Replace(cond, "later", "other", 1))
		siWantErr(t, err, "IdempotentParameterMismatchException", msgIdempotentMismatch)
	})
}

func TestTransactWriteItemsConflict(t *testing.T) {
	body := `{"TransactItems":[
		{"Put":{"TableName":"hash","Item":{"pk":{"S":"free"}}}},
		{"Put":{"TableName":"hash","Item":{"pk":{"S":"held"}}}}]}`
	held := func(t *testing.T, s *Service) func() {
		k, err := keyFromKey(mustTable(t, s, "hash"), mustItem(t, `{"pk":{"S":"held"}}`))
		if err != nil {
			t.Fatal(err)
		}
		release, busy, err := s.txnItems.acquire(context.Background(), [][]byte{k.storage})
		if err != nil || busy != nil {
			t.Fatalf("acquire: %v %v", busy, err)
		}
		return release
	}
	t.Run("a transaction on an item held past the bound is cancelled with TransactionConflict", func(t *testing.T) {
		s, _ := siService(t)
		clk := withFakeClock(s)
		release := held(t, s)
		defer release()
		errc := make(chan error, 1)
		go func() { _, err := txWrite(t, s, body); errc <- err }()
		<-clk.called // the transaction waits
		clk.Advance(conflictWait)
		err := <-errc
		siWantErr(t, err, "TransactionCanceledException", "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]")
		if got, want := reasonsJSON(t, err), `[{"Code":"None"},{"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"}]`; got != want {
			t.Fatalf("reasons %s, want %s", got, want)
		}
		if out := siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"free"}}}`); out.Item != nil {
			t.Fatal("a cancelled transaction wrote")
		}
	})
	t.Run("a transaction waits for an item released within the bound", func(t *testing.T) {
		s, _ := siService(t)
		clk := withFakeClock(s)
		release := held(t, s)
		errc := make(chan error, 1)
		go func() { _, err := txWrite(t, s, body); errc <- err }()
		<-clk.called
		clk.Advance(conflictWait - time.Millisecond)
		release()
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		if out := siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"held"}}}`); out.Item == nil {
			t.Fatal("the transaction did not write")
		}
		if n := len(s.txnItems.held); n != 0 {
			t.Fatalf("%d items still held after the transaction", n)
		}
	})
}

func mustTable(t *testing.T, s *Service, name string) *catalog.Table {
	t.Helper()
	tb, err := s.table(siCtx(s), &name)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func mustItem(t *testing.T, js string) (it attr.Item) {
	t.Helper()
	if err := json.Unmarshal([]byte(js), &it); err != nil {
		t.Fatal(err)
	}
	return it
}

// TestTransactWriteItemsAreSerializable moves amounts between accounts
// with conditional transactions while plain UpdateItems add to the same
// accounts: every transfer and every add is either fully applied or not at
// all, so the final total is the start plus the adds.
func TestTransactWriteItemsAreSerializable(t *testing.T) {
	s, _ := siService(t)
	const accounts, start = 10, 100
	for i := range accounts {
		siPut(t, s, fmt.Sprintf(`{"TableName":"hash","Item":{"pk":{"S":"acct%d"},"bal":{"N":"%d"}}}`, i, start))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	adds := 0
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				from, to := (w+i)%accounts, (w+3*i+1)%accounts
				if from == to {
					to = (to + 1) % accounts
				}
				_, err := txWrite(t, s, fmt.Sprintf(`{"TransactItems":[
					{"Update":{"TableName":"hash","Key":{"pk":{"S":"acct%d"}},"UpdateExpression":"ADD bal :neg","ConditionExpression":"bal >= :amt","ExpressionAttributeValues":{":neg":{"N":"-7"},":amt":{"N":"7"}}}},
					{"Update":{"TableName":"hash","Key":{"pk":{"S":"acct%d"}},"UpdateExpression":"ADD bal :amt","ExpressionAttributeValues":{":amt":{"N":"7"}}}}]}`, from, to))
				if e, ok := apierr.As(err); err != nil && (!ok || e.Code != "TransactionCanceledException") {
					t.Error(err)
					return
				}
				if i%10 == 0 {
					siUpdate(t, s, fmt.Sprintf(`{"TableName":"hash","Key":{"pk":{"S":"acct%d"}},"UpdateExpression":"ADD bal :one","ExpressionAttributeValues":{":one":{"N":"1"}}}`, to))
					mu.Lock()
					adds++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for i := range accounts {
		var n int
		fmt.Sscan(siGet(t, s, fmt.Sprintf(`{"TableName":"hash","Key":{"pk":{"S":"acct%d"}}}`, i)).Item["bal"].Str, &n)
		if n < 0 {
			t.Errorf("account %d went negative: %d", i, n)
		}
		total += n
	}
	if want := accounts*start + adds; total != want {
		t.Fatalf("total %d, want %d", total, want)
	}
}

// BenchmarkTransactWriteItems4 measures TransactWriteItems of 4 Puts (one
// with a condition) from 16 concurrent callers through the Service on the
// in-memory engine (decoded requests: JSON is httpapi's), each with its own
// ClientRequestToken, as the SDKs always send one.
func BenchmarkTransactWriteItems4(b *testing.B) {
	s, _ := siService(b)
	ctx := siCtx(s)
	ins := make([]protocol.TransactWriteItemsInput, 4096)
	for i := range ins {
		siDecode(b, fmt.Sprintf(`{"TransactItems":[
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"a%[1]d"},"n":{"N":"1"},%[2]s},"ConditionExpression":"attribute_not_exists(gone)"}},
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"b%[1]d"},"n":{"N":"1"},%[2]s}}},
			{"Put":{"TableName":"hash","Item":{"pk":{"S":"c%[1]d"},"n":{"N":"1"},%[2]s}}},
			{"Put":{"TableName":"comp","Item":{"pk":{"S":"d%[1]d"},"sk":{"N":"1"},%[2]s}}}]}`, i, benchPayload), &ins[i])
	}
	var seq atomic.Int64
	b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	defer reportCPU(b, start)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			in := ins[n%int64(len(ins))]
			in.ClientRequestToken = ptr("t" + strconv.FormatInt(n, 10))
			if _, err := s.TransactWriteItems(ctx, &in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
