package e2e

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// txTable creates an on-demand table with partition key pk (S) and, when
// sk is true, sort key sk (N).
func txTable(t testing.TB, c *dynamodb.Client, name string, sk bool) {
	t.Helper()
	if sk {
		createTable(t, c, name, "pk", "S", "sk", "N")
		return
	}
	createTable(t, c, name, "pk", "S")
}

// txClient returns an SDK client of srv for many concurrent callers: it
// keeps up to 64 idle connections (the SDK keeps 10, so 12 callers would
// keep opening new ones) and closes them when the test ends, before the
// server stops. A connection the client opened but never used would
// otherwise hold the server's graceful shutdown for 5 seconds (net/http
// waits that long for a new connection's first request).
func txClient(t testing.TB, srv *servertest.Server) *dynamodb.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	t.Cleanup(tr.CloseIdleConnections) // cleanups run last-in first-out: before the server's
	return dynamodb.New(srv.Client().Options(), func(o *dynamodb.Options) { o.HTTPClient = &http.Client{Transport: tr} })
}

func txS(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
func txN(n int) types.AttributeValue    { return &types.AttributeValueMemberN{Value: strconv.Itoa(n)} }

func txKey(pk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": txS(pk)}
}

// txCanceled returns the reasons of a TransactionCanceledException.
func txCanceled(t *testing.T, err error, wantMessage string) []types.CancellationReason {
	t.Helper()
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("err = %v, want TransactionCanceledException", err)
	}
	if tce.ErrorMessage() != wantMessage {
		t.Fatalf("message %q\nwant %q", tce.ErrorMessage(), wantMessage)
	}
	return tce.CancellationReasons
}

// txReason renders a reason as Code/Message/Item pk for comparisons.
func txReason(r types.CancellationReason) string {
	s := aws.ToString(r.Code)
	if r.Message != nil {
		s += ": " + *r.Message
	}
	if r.Item != nil {
		s += fmt.Sprintf(" (item %d attributes)", len(r.Item))
	}
	return s
}

func TestTransactionCancellationReasons(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	txTable(t, c, "tx_a", false)
	txTable(t, c, "tx_b", true)
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("tx_a"),
		Item: map[string]types.AttributeValue{"pk": txS("acct"), "bal": txN(10), "name": txS("x")}}); err != nil {
		t.Fatal(err)
	}
	newItem := types.TransactWriteItem{Put: &types.Put{TableName: aws.String("tx_b"),
		Item: map[string]types.AttributeValue{"pk": txS("new"), "sk": txN(1)}}}
	tests := []struct {
		name        string
		items       []types.TransactWriteItem
		wantMessage string
		wantReasons []string
	}{{
		name: "a failed condition with ALL_OLD reports the item, the other actions None",
		items: []types.TransactWriteItem{newItem, {Update: &types.Update{TableName: aws.String("tx_a"), Key: txKey("acct"),
			UpdateExpression:                    aws.String("ADD bal :neg"),
			ConditionExpression:                 aws.String("bal >= :amt"),
			ExpressionAttributeValues:           map[string]types.AttributeValue{":neg": txN(-20), ":amt": txN(20)},
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}}},
		wantMessage: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
		wantReasons: []string{"None", "ConditionalCheckFailed: The conditional request failed (item 3 attributes)"},
	}, {
		name: "a failed ConditionCheck without ALL_OLD has no item",
		items: []types.TransactWriteItem{{ConditionCheck: &types.ConditionCheck{TableName: aws.String("tx_a"), Key: txKey("acct"),
			ConditionExpression: aws.String("attribute_not_exists(pk)"),
		}}, newItem},
		wantMessage: "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]",
		wantReasons: []string{"ConditionalCheckFailed: The conditional request failed", "None"},
	}, {
		name: "an update of a key attribute is a ValidationError",
		items: []types.TransactWriteItem{newItem, {Update: &types.Update{TableName: aws.String("tx_a"), Key: txKey("acct"),
			UpdateExpression: aws.String("SET pk = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": txS("z")},
		}}},
		wantMessage: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]",
		wantReasons: []string{"None", "ValidationError: One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
	}, {
		name: "an update on a wrong operand type is a ValidationError",
		items: []types.TransactWriteItem{{Update: &types.Update{TableName: aws.String("tx_a"), Key: txKey("acct"),
			UpdateExpression: aws.String("ADD #n :one"), ExpressionAttributeNames: map[string]string{"#n": "name"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": txN(1)},
		}}, {Delete: &types.Delete{TableName: aws.String("tx_a"), Key: txKey("other"),
			ConditionExpression: aws.String("attribute_exists(pk)")}}},
		wantMessage: "Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, ConditionalCheckFailed]",
		wantReasons: []string{"ValidationError: An operand in the update expression has an incorrect data type", "ConditionalCheckFailed: The conditional request failed"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tt.items})
			reasons := txCanceled(t, err, tt.wantMessage)
			if len(reasons) != len(tt.wantReasons) {
				t.Fatalf("%d reasons, want %d", len(reasons), len(tt.wantReasons))
			}
			for i, r := range reasons {
				if got := txReason(r); got != tt.wantReasons[i] {
					t.Errorf("reason %d: %q\nwant %q", i, got, tt.wantReasons[i])
				}
			}
			// Nothing was written.
			out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("tx_b"),
				Key: map[string]types.AttributeValue{"pk": txS("new"), "sk": txN(1)}})
			if err != nil || out.Item != nil {
				t.Fatalf("a cancelled transaction wrote %v (%v)", out.Item, err)
			}
		})
	}

	t.Run("the failed item comes back as the SDK models it", func(t *testing.T) {
		_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tests[0].items})
		r := txCanceled(t, err, tests[0].wantMessage)[1]
		if bal, ok := r.Item["bal"].(*types.AttributeValueMemberN); !ok || bal.Value != "10" {
			t.Fatalf("reason item %#v", r.Item)
		}
	})
}

func TestTransactionsApplyAndRead(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	txTable(t, c, "tx_a", false)
	txTable(t, c, "tx_b", true)
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("tx_a"), Item: map[string]types.AttributeValue{"pk": txS("gone"), "v": txN(1)}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: aws.String("tx_a"), Item: map[string]types.AttributeValue{"pk": txS("p"), "v": txN(1)}}},
			{Update: &types.Update{TableName: aws.String("tx_b"), Key: map[string]types.AttributeValue{"pk": txS("u"), "sk": txN(1)},
				UpdateExpression: aws.String("SET v = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": txN(2)}}},
			{Delete: &types.Delete{TableName: aws.String("tx_a"), Key: txKey("gone")}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ConsumedCapacity) != 2 || aws.ToString(out.ConsumedCapacity[0].TableName) != "tx_a" ||
		aws.ToFloat64(out.ConsumedCapacity[0].CapacityUnits) != 4 || aws.ToFloat64(out.ConsumedCapacity[1].CapacityUnits) != 2 {
		t.Fatalf("ConsumedCapacity %+v, want tx_a 4 then tx_b 2", out.ConsumedCapacity)
	}
	got, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		TransactItems: []types.TransactGetItem{
			{Get: &types.Get{TableName: aws.String("tx_a"), Key: txKey("p")}},
			{Get: &types.Get{TableName: aws.String("tx_a"), Key: txKey("gone")}},
			{Get: &types.Get{TableName: aws.String("tx_b"), Key: map[string]types.AttributeValue{"pk": txS("u"), "sk": txN(1)}, ProjectionExpression: aws.String("v")}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Responses) != 3 || got.Responses[0].Item["v"].(*types.AttributeValueMemberN).Value != "1" ||
		got.Responses[1].Item != nil || len(got.Responses[2].Item) != 1 {
		t.Fatalf("Responses %+v", got.Responses)
	}
	if len(got.ConsumedCapacity) != 2 || aws.ToFloat64(got.ConsumedCapacity[0].CapacityUnits) != 4 {
		t.Fatalf("ConsumedCapacity %+v", got.ConsumedCapacity)
	}
}

func TestTransactionsClientRequestToken(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	txTable(t, c, "tx_a", false)
	add := func(token string, n int) error {
		_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
			ClientRequestToken: aws.String(token),
			TransactItems: []types.TransactWriteItem{{Update: &types.Update{TableName: aws.String("tx_a"), Key: txKey("ctr"),
				UpdateExpression: aws.String("ADD n :n"), ExpressionAttributeValues: map[string]types.AttributeValue{":n": txN(n)}}}},
		})
		return err
	}
	counter := func() string {
		out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("tx_a"), Key: txKey("ctr")})
		if err != nil {
			t.Fatal(err)
		}
		return out.Item["n"].(*types.AttributeValueMemberN).Value
	}
	for range 3 {
		if err := add("token-1", 1); err != nil {
			t.Fatal(err)
		}
	}
	if n := counter(); n != "1" {
		t.Fatalf("counter %s after three calls with one token, want 1", n)
	}
	err := add("token-1", 2)
	var mismatch *types.IdempotentParameterMismatchException
	if !errors.As(err, &mismatch) {
		t.Fatalf("err = %v, want IdempotentParameterMismatchException", err)
	}
	if err := add("token-2", 2); err != nil {
		t.Fatal(err)
	}
	if err := add("", 0); err == nil {
		t.Fatal("an empty ClientRequestToken passed the model constraint")
	}
	// The SDK fills in a fresh token for every call that has none.
	for range 2 {
		if _, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
			TransactItems: []types.TransactWriteItem{{Update: &types.Update{TableName: aws.String("tx_a"), Key: txKey("ctr"),
				UpdateExpression: aws.String("ADD n :n"), ExpressionAttributeValues: map[string]types.AttributeValue{":n": txN(10)}}}},
		}); err != nil {
			t.Fatal(err)
		}
	}
	if n := counter(); n != "23" {
		t.Fatalf("counter %s, want 23", n)
	}
}

func TestInvalidTransactions(t *testing.T) {
	srv := servertest.Start(t)
	txTable(t, srv.Client(), "tx_a", false)
	put := func(pk string) string { return `{"Put":{"TableName":"tx_a","Item":{"pk":{"S":"` + pk + `"}}}}` }
	runRawErrors(t, srv, []qsRawError{
		{"two actions on one item", "TransactWriteItems",
			`{"TransactItems":[` + put("a") + `,{"Delete":{"TableName":"tx_a","Key":{"pk":{"S":"a"}}}}]}`,
			"ValidationException", "Transaction request cannot include multiple operations on one item"},
		{"two actions in one element", "TransactWriteItems",
			`{"TransactItems":[{"Put":{"TableName":"tx_a","Item":{"pk":{"S":"a"}}},"Delete":{"TableName":"tx_a","Key":{"pk":{"S":"b"}}}}]}`,
			"ValidationException", "TransactItems can only contain one of Check, Put, Update or Delete"},
		{"an empty element", "TransactWriteItems", `{"TransactItems":[{}]}`,
			"ValidationException", "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"},
		{"a ConditionCheck without its expression", "TransactWriteItems",
			`{"TransactItems":[{"ConditionCheck":{"TableName":"tx_a","Key":{"pk":{"S":"a"}}}}]}`,
			"ValidationException", "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null"},
		{"no actions", "TransactWriteItems", `{"TransactItems":[]}`,
			"ValidationException", "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"a missing table", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"nope","Item":{"pk":{"S":"a"}}}}]}`,
			"ResourceNotFoundException", "Requested resource not found"},
		{"the same item read twice", "TransactGetItems",
			`{"TransactItems":[{"Get":{"TableName":"tx_a","Key":{"pk":{"S":"a"}}}},{"Get":{"TableName":"tx_a","Key":{"pk":{"S":"a"}}}}]}`,
			"ValidationException", "Transaction request cannot include multiple operations on one item"},
		{"a Get without its key", "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"tx_a"}}]}`,
			"ValidationException", "1 validation error detected: Value null at 'transactItems.1.member.get.key' failed to satisfy constraint: Member must not be null"},
	})
	t.Run("the cancellation reasons are on the wire in request order", func(t *testing.T) {
		status, body := srv.Do(t, "TransactWriteItems", `{"TransactItems":[`+put("b")+`,
			{"ConditionCheck":{"TableName":"tx_a","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)"}}]}`)
		want := `{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",` +
			`"CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}`
		if status != 400 || string(body) != want {
			t.Fatalf("got %d %s\nwant 400 %s", status, body, want)
		}
	})
}

// transferSeconds is how long TestTransactionsTransfersKeepTheTotal runs:
// 3 seconds by default (1 with -short), or PETREL_TRANSFER_SECONDS, e.g.
// PETREL_TRANSFER_SECONDS=10 go test ./e2e -run TransfersKeepTheTotal.
func transferSeconds(t *testing.T) time.Duration {
	if v := os.Getenv("PETREL_TRANSFER_SECONDS"); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n <= 0 {
			t.Fatalf("PETREL_TRANSFER_SECONDS=%q: want a positive number of seconds", v)
		}
		return time.Duration(n * float64(time.Second))
	}
	if testing.Short() {
		return time.Second
	}
	return 3 * time.Second
}

// TestTransactionsTransfersKeepTheTotal is the bank test: 8 clients move
// random amounts between 50 accounts with TransactWriteItems (the debit
// conditional on balance >= amount) while 4 clients read all 50 accounts
// with TransactGetItems. Every snapshot must sum to the starting total, no
// balance may go negative, and the final total must be unchanged.
func TestTransactionsTransfersKeepTheTotal(t *testing.T) {
	const (
		accounts = 50
		start    = 1000
		writers  = 8
		readers  = 4
	)
	ctx := context.Background()
	c := txClient(t, servertest.Start(t))
	txTable(t, c, "bank", false)
	acct := func(i int) map[string]types.AttributeValue { return txKey(fmt.Sprintf("acct%02d", i)) }
	for i := range accounts {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("bank"),
			Item: map[string]types.AttributeValue{"pk": acct(i)["pk"], "bal": txN(start)}}); err != nil {
			t.Fatal(err)
		}
	}
	gets := make([]types.TransactGetItem, accounts)
	for i := range gets {
		gets[i] = types.TransactGetItem{Get: &types.Get{TableName: aws.String("bank"), Key: acct(i)}}
	}
	sum := func(out *dynamodb.TransactGetItemsOutput) (int, error) {
		total := 0
		for i, r := range out.Responses {
			n, err := strconv.Atoi(r.Item["bal"].(*types.AttributeValueMemberN).Value)
			if err != nil {
				return 0, err
			}
			if n < 0 {
				return 0, fmt.Errorf("account %d has a negative balance %d", i, n)
			}
			total += n
		}
		return total, nil
	}

	deadline := time.Now().Add(transferSeconds(t))
	var done, cancelled, conflicts, snapshots atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers+readers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for time.Now().Before(deadline) {
				from, to := rng.IntN(accounts), rng.IntN(accounts-1)
				if to >= from {
					to++
				}
				amt := 1 + rng.IntN(300)
				_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
					{Update: &types.Update{TableName: aws.String("bank"), Key: acct(from),
						UpdateExpression: aws.String("SET bal = bal - :amt"), ConditionExpression: aws.String("bal >= :amt"),
						ExpressionAttributeValues: map[string]types.AttributeValue{":amt": txN(amt)}}},
					{Update: &types.Update{TableName: aws.String("bank"), Key: acct(to),
						UpdateExpression: aws.String("SET bal = bal + :amt"), ExpressionAttributeValues: map[string]types.AttributeValue{":amt": txN(amt)}}},
				}})
				var tce *types.TransactionCanceledException
				switch {
				case err == nil:
					done.Add(1)
				case errors.As(err, &tce):
					// Insufficient balance, or a conflict: nothing written.
					cancelled.Add(1)
					for _, r := range tce.CancellationReasons {
						if aws.ToString(r.Code) == "TransactionConflict" {
							conflicts.Add(1)
						}
					}
				default:
					errs <- err
					return
				}
			}
		}()
	}
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				out, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: gets})
				if err != nil {
					errs <- err
					return
				}
				total, err := sum(out)
				if err != nil {
					errs <- err
					return
				}
				if total != accounts*start {
					errs <- fmt.Errorf("a snapshot sums to %d, want %d", total, accounts*start)
					return
				}
				snapshots.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	out, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: gets})
	if err != nil {
		t.Fatal(err)
	}
	if total, err := sum(out); err != nil || total != accounts*start {
		t.Fatalf("final total %d (%v), want %d", total, err, accounts*start)
	}
	if done.Load() == 0 || snapshots.Load() == 0 {
		t.Fatalf("%d transfers, %d snapshots: the test did nothing", done.Load(), snapshots.Load())
	}
	t.Logf("%d transfers, %d cancelled (%d for conflicts), %d consistent snapshots",
		done.Load(), cancelled.Load(), conflicts.Load(), snapshots.Load())
}

// BenchmarkTransactWriteItems4 runs TransactWriteItems of 4 Puts from 16
// concurrent SDK clients (one goroutine each) against an in-process server,
// in memory and on disk.
func BenchmarkTransactWriteItems4(b *testing.B) {
	for _, disk := range []bool{false, true} {
		name := "memory"
		if disk {
			name = "disk"
		}
		b.Run(name, func(b *testing.B) {
			var opts []servertest.Option
			if disk {
				opts = append(opts, servertest.WithDataDir(b.TempDir()))
			}
			c := txClient(b, servertest.Start(b, opts...))
			txTable(b, c, "bench", false)
			var seq atomic.Int64
			payload := txS(strings.Repeat("x", 200))
			b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0))) // 16 clients
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					n := seq.Add(1)
					items := make([]types.TransactWriteItem, 4)
					for i := range items {
						items[i] = types.TransactWriteItem{Put: &types.Put{TableName: aws.String("bench"),
							Item: map[string]types.AttributeValue{"pk": txS(fmt.Sprintf("k%d-%d", n, i)), "d": payload}}}
					}
					if _, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
