package e2e

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// pqServer starts a server with table pq_t (pk S, sk N) and skips the test
// while the PartiQL operations are not routed (they answer
// UnknownOperationException until internal/server wires internal/partiql).
func pqServer(t *testing.T) *dynamodb.Client {
	t.Helper()
	c := servertest.Start(t).Client()
	ctx := context.Background()
	createTable(t, c, "pq_t", "pk", "S", "sk", "N")
	_, err := c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(`SELECT * FROM "pq_t"`)})
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "UnknownOperationException" {
		t.Skip("ExecuteStatement is not routed yet (internal/server/operations.go)")
	}
	if err != nil {
		t.Fatalf("ExecuteStatement: %v", err)
	}
	return c
}

func pqS(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
func pqN(n string) types.AttributeValue { return &types.AttributeValueMemberN{Value: n} }

// pqExec runs one statement with parameters and fails the test on error.
func pqExec(t *testing.T, c *dynamodb.Client, stmt string, params ...types.AttributeValue) *dynamodb.ExecuteStatementOutput {
	t.Helper()
	out, err := c.ExecuteStatement(context.Background(), &dynamodb.ExecuteStatementInput{Statement: aws.String(stmt), Parameters: params})
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	return out
}

// pqSeed inserts p/1..p/5 (n = sk*10) and q/1, q/2 with INSERT statements.
func pqSeed(t *testing.T, c *dynamodb.Client) {
	t.Helper()
	for _, k := range [][2]string{{"p", "1"}, {"p", "2"}, {"p", "3"}, {"p", "4"}, {"p", "5"}, {"q", "1"}, {"q", "2"}} {
		pqExec(t, c, `INSERT INTO "pq_t" VALUE {'pk': ?, 'sk': ?, 'n': ?, 'tags': <<'a', 'b'>>}`, pqS(k[0]), pqN(k[1]), pqN(k[1]+"0"))
	}
}

// pqSorted orders items by pk then sk for set comparisons.
func pqSorted(items []map[string]types.AttributeValue) []map[string]types.AttributeValue {
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if x, y := a["pk"].(*types.AttributeValueMemberS).Value, b["pk"].(*types.AttributeValueMemberS).Value; x != y {
			return x < y
		}
		return a["sk"].(*types.AttributeValueMemberN).Value < b["sk"].(*types.AttributeValueMemberN).Value
	})
	return items
}

func TestPartiQLSelectMatchesGetItemQueryAndScan(t *testing.T) {
	c := pqServer(t)
	ctx := context.Background()
	pqSeed(t, c)

	t.Run("a full-key SELECT returns the GetItem item", func(t *testing.T) {
		got := pqExec(t, c, `SELECT * FROM pq_t WHERE pk = ? AND sk = ?`, pqS("p"), pqN("2"))
		want, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("pq_t"), Key: map[string]types.AttributeValue{"pk": pqS("p"), "sk": pqN("2")}})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Items) != 1 || !reflect.DeepEqual(got.Items[0], want.Item) {
			t.Fatalf("SELECT = %#v, GetItem = %#v", got.Items, want.Item)
		}
	})
	t.Run("a partition-key SELECT with a sort-key range returns the Query items in order", func(t *testing.T) {
		got := pqExec(t, c, `SELECT * FROM "pq_t" WHERE "pk" = 'p' AND sk > 1 AND n <> 30 ORDER BY sk DESC`)
		want, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("pq_t"),
			KeyConditionExpression: aws.String("pk = :p AND sk > :one"), FilterExpression: aws.String("n <> :n"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": pqS("p"), ":one": pqN("1"), ":n": pqN("30")},
			ScanIndexForward:          aws.Bool(false)})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Items, want.Items) || len(got.Items) != 3 {
			t.Fatalf("SELECT = %v\nQuery = %v", got.Items, want.Items)
		}
	})
	t.Run("a SELECT without a key condition returns the Scan items", func(t *testing.T) {
		got := pqExec(t, c, `SELECT pk, sk FROM pq_t WHERE n >= 20 AND contains(tags, 'a')`)
		want, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("pq_t"),
			FilterExpression: aws.String("n >= :n AND contains(tags, :a)"), ProjectionExpression: aws.String("pk, sk"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":n": pqN("20"), ":a": pqS("a")}})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pqSorted(got.Items), pqSorted(want.Items)) || len(got.Items) != 5 {
			t.Fatalf("SELECT = %v\nScan = %v", got.Items, want.Items)
		}
	})
	t.Run("IN on the partition key reads every listed partition", func(t *testing.T) {
		got := pqExec(t, c, `SELECT sk FROM pq_t WHERE pk IN ['q', 'nosuch'] AND sk IS NOT MISSING`)
		if len(got.Items) != 2 {
			t.Fatalf("items = %v", got.Items)
		}
	})
}

func TestPartiQLPagingWithNextToken(t *testing.T) {
	c := pqServer(t)
	ctx := context.Background()
	pqSeed(t, c)
	for _, stmt := range []string{
		`SELECT * FROM pq_t`,
		`SELECT * FROM pq_t WHERE pk = 'p'`,
		`SELECT * FROM pq_t WHERE pk IN ['p', 'q'] AND n > 10`,
	} {
		t.Run(stmt, func(t *testing.T) {
			all := pqExec(t, c, stmt).Items
			var paged []map[string]types.AttributeValue
			var token *string
			for pages := 0; ; pages++ {
				if pages > 20 {
					t.Fatal("paging does not end")
				}
				out, err := c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(stmt), Limit: aws.Int32(2), NextToken: token})
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, out.Items...)
				if token = out.NextToken; token == nil {
					break
				}
			}
			if !reflect.DeepEqual(paged, all) {
				t.Fatalf("paged = %v\n  all = %v", paged, all)
			}
		})
	}
	_, err := c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(`SELECT * FROM pq_t`), NextToken: aws.String("bogus")})
	wantAPIError(t, err, "ValidationException", "Invalid NextToken")
}

func TestPartiQLWritesMatchItemOperations(t *testing.T) {
	c := pqServer(t)
	ctx := context.Background()
	pqSeed(t, c)
	key := map[string]types.AttributeValue{"pk": pqS("p"), "sk": pqN("1")}

	out := pqExec(t, c, `UPDATE pq_t SET n = n + 5 SET extra = {'a': [1, 'x']} REMOVE tags WHERE pk = 'p' AND sk = 1 RETURNING ALL NEW *`)
	got, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("pq_t"), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Items) != 1 || !reflect.DeepEqual(out.Items[0], got.Item) {
		t.Fatalf("RETURNING ALL NEW = %v, GetItem = %v", out.Items, got.Item)
	}
	if n := got.Item["n"].(*types.AttributeValueMemberN).Value; n != "15" {
		t.Fatalf("n = %s, want 15", n)
	}

	_, err = c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(`INSERT INTO pq_t VALUE {'pk': 'p', 'sk': 1}`)})
	var dup *types.DuplicateItemException
	if !errors.As(err, &dup) {
		t.Fatalf("duplicate INSERT: err = %v, want DuplicateItemException", err)
	}
	wantAPIError(t, err, "DuplicateItemException", "Duplicate primary key exists in table")

	_, err = c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(`UPDATE pq_t SET n = 1 WHERE pk = 'nosuch' AND sk = 1`)})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("UPDATE of a missing item: err = %v, want ConditionalCheckFailedException", err)
	}
	_, err = c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(`UPDATE pq_t SET n = 1 WHERE pk = 'p'`)})
	wantAPIError(t, err, "ValidationException", "Where clause does not contain a mandatory equality on all key attributes")
	_, err = c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(`SELEC * FROM pq_t`)})
	wantAPIError(t, err, "ValidationException", "Statement wasn't well formed, can't be processed: SELEC * FROM pq_t")
	_, err = c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(`SELECT * FROM nosuch`)})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("missing table: err = %v", err)
	}

	del := pqExec(t, c, `DELETE FROM pq_t WHERE pk = 'p' AND sk = 1 RETURNING ALL OLD *`)
	if len(del.Items) != 1 || !reflect.DeepEqual(del.Items[0], got.Item) {
		t.Fatalf("RETURNING ALL OLD = %v, want %v", del.Items, got.Item)
	}
	gone, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("pq_t"), Key: key})
	if err != nil || gone.Item != nil {
		t.Fatalf("after DELETE: %v, %v", gone.Item, err)
	}
}

func TestPartiQLBatchExecuteStatement(t *testing.T) {
	c := pqServer(t)
	ctx := context.Background()
	pqSeed(t, c)
	w, err := c.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String(`INSERT INTO pq_t VALUE {'pk': 'r', 'sk': 1}`)},
		{Statement: aws.String(`INSERT INTO pq_t VALUE {'pk': 'p', 'sk': 1}`)},
		{Statement: aws.String(`UPDATE pq_t SET n = ? WHERE pk = 'p' AND sk = 2`), Parameters: []types.AttributeValue{pqN("99")}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Responses) != 3 || w.Responses[0].Error != nil || w.Responses[2].Error != nil ||
		w.Responses[1].Error == nil || w.Responses[1].Error.Code != types.BatchStatementErrorCodeEnumDuplicateItem {
		t.Fatalf("responses = %+v", w.Responses)
	}
	r, err := c.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String(`SELECT n FROM pq_t WHERE pk = 'p' AND sk = 2`)},
		{Statement: aws.String(`SELECT * FROM pq_t WHERE pk = 'r' AND sk = 1`)},
		{Statement: aws.String(`SELECT * FROM pq_t WHERE pk = 'p'`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Responses[0].Item["n"].(*types.AttributeValueMemberN).Value; n != "99" {
		t.Fatalf("n = %s", n)
	}
	if r.Responses[1].Item == nil || r.Responses[2].Error == nil || *r.Responses[2].Error.Message != "Only single item select is supported" {
		t.Fatalf("responses = %+v", r.Responses)
	}
	_, err = c.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String(`SELECT * FROM pq_t WHERE pk = 'r' AND sk = 1`)},
		{Statement: aws.String(`DELETE FROM pq_t WHERE pk = 'r' AND sk = 1`)},
	}})
	wantAPIError(t, err, "ValidationException", "Read and write requests together in the same batch is not supported.")
}

func TestPartiQLExecuteTransaction(t *testing.T) {
	c := pqServer(t)
	ctx := context.Background()
	pqSeed(t, c)
	_, err := c.ExecuteTransaction(ctx, &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		{Statement: aws.String(`SELECT * FROM pq_t WHERE pk = 'p' AND sk = 1`)},
		{Statement: aws.String(`DELETE FROM pq_t WHERE pk = 'p' AND sk = 1`)},
	}})
	wantAPIError(t, err, "ValidationException", "ExecuteTransaction API does not support both read and write operations in the same request.")

	_, err = c.ExecuteTransaction(ctx, &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		{Statement: aws.String(`UPDATE pq_t SET n = 0 WHERE pk = 'p' AND sk = 1`)},
		{Statement: aws.String(`INSERT INTO pq_t VALUE {'pk': 'p', 'sk': 2}`)},
	}})
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "ValidationException" && ae.ErrorMessage() == "ExecuteTransaction is not supported yet: this server does not implement transactions" {
		t.Skip("TODO(#4): transactions are not implemented yet")
	}
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("err = %v, want TransactionCanceledException", err)
	}
	if len(tce.CancellationReasons) != 2 || aws.ToString(tce.CancellationReasons[1].Code) != "ValidationError" ||
		aws.ToString(tce.CancellationReasons[1].Message) != "Duplicate primary key exists in table" {
		t.Fatalf("reasons = %+v", tce.CancellationReasons)
	}
	got := pqExec(t, c, `SELECT n FROM pq_t WHERE pk = 'p' AND sk = 1`)
	if n := got.Items[0]["n"].(*types.AttributeValueMemberN).Value; n != "10" {
		t.Fatalf("a cancelled transaction wrote n = %s", n)
	}
	if _, err := c.ExecuteTransaction(ctx, &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		{Statement: aws.String(`UPDATE pq_t SET n = 0 WHERE pk = 'p' AND sk = 1`)},
		{Statement: aws.String(`EXISTS(SELECT * FROM pq_t WHERE pk = 'q' AND sk = 1 AND n = 10)`)},
	}}); err != nil {
		t.Fatal(err)
	}
	rd, err := c.ExecuteTransaction(ctx, &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		{Statement: aws.String(`SELECT n FROM pq_t WHERE pk = 'p' AND sk = 1`)},
		{Statement: aws.String(`SELECT * FROM pq_t WHERE pk = 'nosuch' AND sk = 1`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rd.Responses) != 2 || rd.Responses[0].Item["n"].(*types.AttributeValueMemberN).Value != "0" || rd.Responses[1].Item != nil {
		t.Fatalf("responses = %+v", rd.Responses)
	}
}
