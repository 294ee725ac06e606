package e2e

// Fidelity audit of PartiQL (errors.md section N, partiql.md, behaviours.md
// section 14), DynamoDB Streams (errors.md section O, behaviours.md sections
// 11-12) and the service-side errors of section P. Every case names the row
// it enforces; raw HTTP so that the exact code, status and message are
// checked.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// apsCase is one request and the answer DynamoDB gives it.
type apsCase struct {
	name   string
	target string // default ExecuteStatement
	body   string
	status int    // default 400 when code is set, else 200
	code   string // the __type after '#'; "" for success
	msg    string // exact message
	check  func(t *testing.T, out map[string]any)
}

// apsRun sends every case and compares the answers.
func apsRun(t *testing.T, srv *servertest.Server, cases []apsCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			target := tc.target
			if target == "" {
				target = "ExecuteStatement"
			}
			status, body := srv.Do(t, target, tc.body)
			want := tc.status
			if want == 0 {
				want = 200
				if tc.code != "" {
					want = 400
				}
			}
			var out map[string]any
			if err := json.Unmarshal(body, &out); err != nil {
				t.Fatalf("%d %s: %v", status, body, err)
			}
			if status != want {
				t.Fatalf("status %d, want %d: %s", status, want, body)
			}
			if tc.code != "" {
				typ, _ := out["__type"].(string)
				_, code, _ := strings.Cut(typ, "#")
				if code != tc.code || out["message"] != tc.msg {
					t.Fatalf("got %s\nwant code %s message %q", body, tc.code, tc.msg)
				}
			}
			if tc.check != nil {
				tc.check(t, out)
			}
		})
	}
}

// apsDo sends one request that must succeed and returns its decoded body.
func apsDo(t *testing.T, srv *servertest.Server, target, body string) map[string]any {
	t.Helper()
	status, b := srv.Do(t, target, body)
	if status != 200 {
		t.Fatalf("%s %s: %d %s", target, body, status, b)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// apsJSON renders v as compact JSON, for comparisons.
func apsJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// apsStmt is an ExecuteStatement body.
func apsStmt(stmt string, extra ...string) string {
	s, _ := json.Marshal(stmt)
	return `{"Statement":` + string(s) + strings.Join(extra, "") + `}`
}

// apsStatements is the list of statements of a BatchExecuteStatement or
// ExecuteTransaction body.
func apsStatements(stmts ...string) string {
	parts := make([]string, len(stmts))
	for i, s := range stmts {
		parts[i] = apsStmt(s)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// apsWant returns a check that the body's member equals want (JSON).
func apsWant(member, want string) func(t *testing.T, out map[string]any) {
	return func(t *testing.T, out map[string]any) {
		t.Helper()
		if got := apsJSON(out[member]); got != want {
			t.Fatalf("%s = %s\nwant %s", member, got, want)
		}
	}
}

// apsServer starts a server with tables qtt (pk S, sk N) and hkk (pk S),
// qtt holding a/1..a/3 and b/1 (n = sk*10) and hkk holding x and y.
func apsServer(t *testing.T, opts ...servertest.Option) *servertest.Server {
	t.Helper()
	srv := servertest.Start(t, opts...)
	apsDo(t, srv, "CreateTable", `{"TableName":"qtt","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}]}`)
	apsDo(t, srv, "CreateTable", `{"TableName":"hkk","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}`)
	for _, k := range []string{"a/1", "a/2", "a/3", "b/1"} {
		pk, sk, _ := strings.Cut(k, "/")
		apsDo(t, srv, "PutItem", fmt.Sprintf(`{"TableName":"qtt","Item":{"pk":{"S":%q},"sk":{"N":%q},"n":{"N":"%s0"}}}`, pk, sk, sk))
	}
	for _, k := range []string{"x", "y"} {
		apsDo(t, srv, "PutItem", fmt.Sprintf(`{"TableName":"hkk","Item":{"pk":{"S":%q},"v":{"N":"1"}}}`, k))
	}
	return srv
}

const apsCancelled = "Transaction cancelled, please refer cancellation reasons for specific reasons "

func TestAuditPartiQLErrors(t *testing.T) {
	srv := apsServer(t)
	many := func(n int, f func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	cases := []apsCase{
		{name: "N1 unparsable statement", body: apsStmt("SELEC * FROM qt1"),
			code: "ValidationException", msg: "Statement wasn't well formed, can't be processed: SELEC * FROM qt1"},
		{name: "N1 missing projection", body: apsStmt("SELECT FROM qtt"),
			code: "ValidationException", msg: "Statement wasn't well formed, can't be processed: SELECT FROM qtt"},
		// An empty statement breaks the model's length constraint (1..8192),
		// which AWS checks before anything else (errors.md "N validation
		// errors" format; DynamoDB Local instead says "wasn't well formed").
		{name: "N1 empty statement (model constraint)", body: apsStmt(""),
			code: "ValidationException", msg: "1 validation error detected: Value '' at 'statement' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "N2/N22 INSERT of an existing key", body: apsStmt("INSERT INTO qtt VALUE {'pk': 'a', 'sk': 1}"),
			code: "DuplicateItemException", msg: "Duplicate primary key exists in table"},
		{name: "N3 INSERT without the partition key", body: apsStmt("INSERT INTO qtt VALUE {'sk': 1}"),
			code: "ValidationException", msg: "Key attribute should be present in the item: Key pk"},
		{name: "N3 INSERT without the sort key", body: apsStmt("INSERT INTO qtt VALUE {'pk': 'z'}"),
			code: "ValidationException", msg: "Key attribute should be present in the item: Key sk"},
		{name: "N4 INSERT with a key of the wrong type", body: apsStmt("INSERT INTO qtt VALUE {'pk': 1, 'sk': 1}"),
			code: "ValidationException", msg: "Key attribute's data type should match its data type in table's schema: Key pk"},
		{name: "N4 INSERT with a sort key of the wrong type", body: apsStmt("INSERT INTO qtt VALUE {'pk': 'z', 'sk': '1'}"),
			code: "ValidationException", msg: "Key attribute's data type should match its data type in table's schema: Key sk"},
		{name: "N5 UPDATE without the sort key", body: apsStmt("UPDATE qtt SET x = 1 WHERE pk = 'a'"),
			code: "ValidationException", msg: "Where clause does not contain a mandatory equality on all key attributes"},
		{name: "N5 UPDATE with a range on the sort key", body: apsStmt("UPDATE qtt SET x = 1 WHERE pk = 'a' AND sk > 1"),
			code: "ValidationException", msg: "Where clause does not contain a mandatory equality on all key attributes"},
		{name: "N5 DELETE without the sort key", body: apsStmt("DELETE FROM qtt WHERE pk = 'a'"),
			code: "ValidationException", msg: "Where clause does not contain a mandatory equality on all key attributes"},
		{name: "N5 DELETE with an OR of keys", body: apsStmt("DELETE FROM hkk WHERE pk = 'x' OR pk = 'y'"),
			code: "ValidationException", msg: "Where clause does not contain a mandatory equality on all key attributes"},
		{name: "N6 UPDATE setting the partition key", body: apsStmt("UPDATE qtt SET pk = 'z' WHERE pk = 'a' AND sk = 1"),
			code: "ValidationException", msg: "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
		{name: "N6 UPDATE setting the sort key", body: apsStmt("UPDATE qtt SET sk = 5 WHERE pk = 'a' AND sk = 1"),
			code: "ValidationException", msg: "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key"},
		{name: "N7 fewer parameters than placeholders", body: apsStmt("SELECT * FROM qtt WHERE pk = ? AND sk = ?", `,"Parameters":[{"S":"a"}]`),
			code: "ValidationException", msg: "Number of parameters in request and statement don't match."},
		{name: "N7 placeholders without parameters", body: apsStmt("INSERT INTO qtt VALUE {'pk': ?, 'sk': 9}"),
			code: "ValidationException", msg: "Number of parameters in request and statement don't match."},
		{name: "N8 unknown function in WHERE", body: apsStmt("SELECT * FROM qtt WHERE foo(pk)"),
			code: "ValidationException", msg: "Unrecognized function: foo"},
		{name: "N8 unknown function as an operand", body: apsStmt("SELECT * FROM qtt WHERE pk = 'a' AND foo(n) = 1"),
			code: "ValidationException", msg: "Unrecognized function: foo"},
		{name: "N9 ORDER BY without WHERE", body: apsStmt("SELECT * FROM qtt ORDER BY pk"),
			code: "ValidationException", msg: "Must have WHERE clause in the statement when using ORDER BY clause."},
		{name: "N10 CREATE TABLE", body: apsStmt("CREATE TABLE foo"),
			code: "ValidationException", msg: "Unsupported operation: CreateTable"},
		{name: "N11 EXISTS in ExecuteStatement", body: apsStmt("EXISTS(SELECT * FROM qtt WHERE pk = 'a' AND sk = 1 AND n = 10)"),
			code: "ValidationException", msg: "EXISTS can only be used in ExecuteTransaction write requests."},
		{name: "N12 garbage NextToken", body: apsStmt("SELECT * FROM qtt", `,"NextToken":"garbage"`),
			code: "ValidationException", msg: "Invalid NextToken"},
		// N13, N14 and N16 are DynamoDB Local texts; AWS applies the model's
		// list-length constraints (1..25, 1..100) first, in the "N validation
		// errors" form (the value part is a Java rendering, not compared).
		{name: "N13 BatchExecuteStatement with 26 statements (model constraint)", target: "BatchExecuteStatement",
			body: `{"Statements":` + apsStatements(many(26, func(i int) string { return fmt.Sprintf("SELECT * FROM hkk WHERE pk = 'k%d'", i) })...) + `}`,
			check: func(t *testing.T, out map[string]any) {
				msg, _ := out["message"].(string)
				if !strings.HasPrefix(msg, "1 validation error detected: Value '") ||
					!strings.HasSuffix(msg, "' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25") {
					t.Fatalf("%v", out)
				}
			}, status: 400},
		{name: "N14 BatchExecuteStatement with no statements (model constraint)", target: "BatchExecuteStatement", body: `{"Statements":[]}`,
			code: "ValidationException", msg: "1 validation error detected: Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "N15 BatchExecuteStatement mixing reads and writes", target: "BatchExecuteStatement",
			body: `{"Statements":` + apsStatements("SELECT * FROM hkk WHERE pk = 'x'", "INSERT INTO hkk VALUE {'pk': 'n15'}") + `}`,
			code: "ValidationException", msg: "Read and write requests together in the same batch is not supported."},
		{name: "N16 ExecuteTransaction with no statements (model constraint)", target: "ExecuteTransaction", body: `{"TransactStatements":[]}`,
			code: "ValidationException", msg: "1 validation error detected: Value '[]' at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "N17 ExecuteTransaction mixing reads and writes", target: "ExecuteTransaction",
			body: `{"TransactStatements":` + apsStatements("SELECT * FROM hkk WHERE pk = 'x'", "INSERT INTO hkk VALUE {'pk': 'n17'}") + `}`,
			code: "ValidationException", msg: "ExecuteTransaction API does not support both read and write operations in the same request."},
		{name: "N18 ExecuteTransaction INSERT of an existing key", target: "ExecuteTransaction",
			body: `{"TransactStatements":` + apsStatements("INSERT INTO hkk VALUE {'pk': 'x'}", "INSERT INTO hkk VALUE {'pk': 'n18'}") + `}`,
			code: "TransactionCanceledException", msg: apsCancelled + "[ValidationError, None]",
			check: apsWant("CancellationReasons", `[{"Code":"ValidationError","Message":"Duplicate primary key exists in table"},{"Code":"None"}]`)},
		{name: "N19 ExecuteTransaction UPDATE of a missing item", target: "ExecuteTransaction",
			body: `{"TransactStatements":` + apsStatements("UPDATE hkk SET v = 2 WHERE pk = 'nope'") + `}`,
			code: "TransactionCanceledException", msg: apsCancelled + "[ConditionalCheckFailed]",
			check: apsWant("CancellationReasons", `[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]`)},
		{name: "N20 ExecuteTransaction SELECT without the full key", target: "ExecuteTransaction",
			body: `{"TransactStatements":` + apsStatements("SELECT * FROM qtt WHERE pk = 'a'") + `}`,
			code: "ValidationException", msg: "Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause."},
		{name: "N20 second statement", target: "ExecuteTransaction",
			body: `{"TransactStatements":` + apsStatements("SELECT * FROM hkk WHERE pk = 'x'", "SELECT * FROM hkk") + `}`,
			code: "ValidationException", msg: "Validation failed in TransactStatements[1]: Select statements within ExecuteTransaction must specify the primary key in the where clause."},
		{name: "N21 EXISTS without an extra condition", target: "ExecuteTransaction",
			body: `{"TransactStatements":` + apsStatements("EXISTS(SELECT * FROM hkk WHERE pk = 'x')") + `}`,
			code: "ValidationException", msg: "Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition"},
		{name: "N23 BatchExecuteStatement duplicate INSERT", target: "BatchExecuteStatement",
			body: `{"Statements":` + apsStatements("INSERT INTO hkk VALUE {'pk': 'x'}", "INSERT INTO hkk VALUE {'pk': 'n23'}") + `}`,
			check: apsWant("Responses", `[{"Error":{"Code":"DuplicateItem","Message":"Duplicate primary key exists in table"},"TableName":"hkk"},{"TableName":"hkk"}]`)},
		{name: "N23 BatchExecuteStatement false condition", target: "BatchExecuteStatement",
			body: `{"Statements":` + apsStatements("UPDATE hkk SET v = 5 WHERE pk = 'x' AND v = 99") + `}`,
			check: apsWant("Responses", `[{"Error":{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},"TableName":"hkk"}]`)},
		{name: "N24 BatchExecuteStatement SELECT that is not a single-item read", target: "BatchExecuteStatement",
			body: `{"Statements":` + apsStatements("SELECT * FROM qtt WHERE pk = 'a'", "SELECT * FROM hkk WHERE pk = 'x'") + `}`,
			check: apsWant("Responses", `[{"Error":{"Code":"ValidationError","Message":"Only single item select is supported"},"TableName":"qtt"},{"Item":{"pk":{"S":"x"},"v":{"N":"1"}},"TableName":"hkk"}]`)},
		{name: "N25 BatchExecuteStatement syntax error", target: "BatchExecuteStatement",
			body: `{"Statements":` + apsStatements("SELEC * FROM qt2", "SELECT * FROM hkk WHERE pk = 'nope'") + `}`,
			check: apsWant("Responses", `[{"Error":{"Code":"ValidationError","Message":"Statement wasn't well formed, can't be processed: SELEC * FROM qt2"}},{"TableName":"hkk"}]`)},
		{name: "N26 BatchExecuteStatement on a missing table", target: "BatchExecuteStatement",
			body: `{"Statements":` + apsStatements("SELECT * FROM nosuch WHERE pk = 'x'") + `}`,
			check: apsWant("Responses", `[{"Error":{"Code":"ResourceNotFound","Message":"Cannot do operations on a non-existent table"},"TableName":"nosuch"}]`)},
		{name: "N27 BatchExecuteStatement with duplicate keys", target: "BatchExecuteStatement",
			body: `{"Statements":` + apsStatements("SELECT * FROM hkk WHERE pk = 'x'", "SELECT * FROM hkk WHERE pk = 'x'") + `}`,
			code: "ValidationException", msg: "Provided list of item keys contains duplicates"},
		{name: "J2 UPDATE of a missing item", body: apsStmt("UPDATE hkk SET v = 2 WHERE pk = 'nope'"),
			code: "ConditionalCheckFailedException", msg: "The conditional request failed"},
		{name: "J2 UPDATE whose extra condition is false", body: apsStmt("UPDATE hkk SET v = 2 WHERE pk = 'x' AND v = 99"),
			code: "ConditionalCheckFailedException", msg: "The conditional request failed"},
		{name: "J2 DELETE whose extra condition is false", body: apsStmt("DELETE FROM hkk WHERE pk = 'x' AND v = 99"),
			code: "ConditionalCheckFailedException", msg: "The conditional request failed"},
		{name: "K13 SELECT from a missing index", body: apsStmt(`SELECT * FROM "qtt"."nope"`),
			code: "ValidationException", msg: "The table does not have the specified index: nope"},
		{name: "C5 ExecuteStatement Limit 0", body: apsStmt("SELECT * FROM qtt", `,"Limit":0`),
			code: "ValidationException", msg: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "C12 statement longer than 8192 characters", body: apsStmt("SELECT * FROM qtt WHERE pk = '" + strings.Repeat("a", 8200) + "'"),
			check: func(t *testing.T, out map[string]any) {
				msg, _ := out["message"].(string)
				if !strings.HasPrefix(msg, "1 validation error detected: Value '") ||
					!strings.HasSuffix(msg, "' at 'statement' failed to satisfy constraint: Member must have length less than or equal to 8192") {
					t.Fatalf("%v", out)
				}
			}, status: 400},
		{name: "missing table in ExecuteStatement", body: apsStmt("SELECT * FROM nosuch"),
			code: "ResourceNotFoundException", msg: "Requested resource not found"},
	}
	apsRun(t, srv, cases)
}
