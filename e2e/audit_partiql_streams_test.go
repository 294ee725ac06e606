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
	"time"

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
			body:  `{"Statements":` + apsStatements("INSERT INTO hkk VALUE {'pk': 'x'}", "INSERT INTO hkk VALUE {'pk': 'n23'}") + `}`,
			check: apsWant("Responses", `[{"Error":{"Code":"DuplicateItem","Message":"Duplicate primary key exists in table"},"TableName":"hkk"},{"TableName":"hkk"}]`)},
		{name: "N23 BatchExecuteStatement false condition", target: "BatchExecuteStatement",
			body:  `{"Statements":` + apsStatements("UPDATE hkk SET v = 5 WHERE pk = 'x' AND v = 99") + `}`,
			check: apsWant("Responses", `[{"Error":{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},"TableName":"hkk"}]`)},
		{name: "N24 BatchExecuteStatement SELECT that is not a single-item read", target: "BatchExecuteStatement",
			body:  `{"Statements":` + apsStatements("SELECT * FROM qtt WHERE pk = 'a'", "SELECT * FROM hkk WHERE pk = 'x'") + `}`,
			check: apsWant("Responses", `[{"Error":{"Code":"ValidationError","Message":"Only single item select is supported"},"TableName":"qtt"},{"Item":{"pk":{"S":"x"},"v":{"N":"1"}},"TableName":"hkk"}]`)},
		{name: "N25 BatchExecuteStatement syntax error", target: "BatchExecuteStatement",
			body:  `{"Statements":` + apsStatements("SELEC * FROM qt2", "SELECT * FROM hkk WHERE pk = 'nope'") + `}`,
			check: apsWant("Responses", `[{"Error":{"Code":"ValidationError","Message":"Statement wasn't well formed, can't be processed: SELEC * FROM qt2"}},{"TableName":"hkk"}]`)},
		{name: "N26 BatchExecuteStatement on a missing table", target: "BatchExecuteStatement",
			body:  `{"Statements":` + apsStatements("SELECT * FROM nosuch WHERE pk = 'x'") + `}`,
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

// apsItems returns the Items of an ExecuteStatement answer as compact JSON
// strings, in answer order.
func apsItems(out map[string]any) []string {
	list, _ := out["Items"].([]any)
	got := make([]string, len(list))
	for i, it := range list {
		got[i] = apsJSON(it)
	}
	return got
}

func TestAuditPartiQLBehaviour(t *testing.T) {
	srv := apsServer(t)
	apsDo(t, srv, "CreateTable", `{"TableName":"ixt","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"r","AttributeType":"N"}],
		"GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}`)
	for i := range 6 {
		apsDo(t, srv, "PutItem", fmt.Sprintf(`{"TableName":"ixt","Item":{"pk":{"S":"i%d"},"g":{"S":"%c"},"r":{"N":"%d"}}}`, i, "xy"[i%2], i))
	}
	for i := range 12 {
		apsDo(t, srv, "PutItem", fmt.Sprintf(`{"TableName":"qtt","Item":{"pk":{"S":"c"},"sk":{"N":"%d"}}}`, i))
	}
	for i := range 15 {
		apsDo(t, srv, "PutItem", fmt.Sprintf(`{"TableName":"hkk","Item":{"pk":{"S":"k%02d"}}}`, i))
	}
	keys := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprintf("'k%02d'", i)
		}
		return strings.Join(s, ", ")
	}
	nums := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprint(i)
		}
		return strings.Join(s, ", ")
	}
	items := func(want ...string) func(t *testing.T, out map[string]any) {
		return func(t *testing.T, out map[string]any) {
			t.Helper()
			if got := apsItems(out); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("Items %v\nwant  %v", got, want)
			}
		}
	}
	count := func(n int, next bool) func(t *testing.T, out map[string]any) {
		return func(t *testing.T, out map[string]any) {
			t.Helper()
			if got := len(apsItems(out)); got != n || (out["NextToken"] != nil) != next {
				t.Fatalf("%d items, NextToken %v; want %d, %v", got, out["NextToken"], n, next)
			}
		}
	}
	a1 := `{"n":{"N":"10"},"pk":{"S":"a"},"sk":{"N":"1"}}`
	b1 := `{"n":{"N":"10"},"pk":{"S":"b"},"sk":{"N":"1"}}`
	cases := []apsCase{
		// partiql.md §4: an equality on the partition key is a Query; with
		// Limit 1 it evaluates only that partition's first item (a Scan
		// would evaluate whichever item comes first in the table).
		{name: "§4 partition-key equality is a Query (a)", body: apsStmt("SELECT * FROM qtt WHERE pk = 'a' AND n = 10", `,"Limit":1`), check: items(a1)},
		{name: "§4 partition-key equality is a Query (b)", body: apsStmt("SELECT * FROM qtt WHERE pk = 'b' AND n = 10", `,"Limit":1`), check: items(b1)},
		{name: "§4 full key is one item", body: apsStmt("SELECT * FROM qtt WHERE pk = 'a' AND sk = 1"), check: items(a1)},
		{name: "§4 no match is an empty list", body: apsStmt("SELECT * FROM qtt WHERE pk = 'zz'"), check: apsWant("Items", `[]`)},
		{name: "§4 OR of equalities is a Query per key", body: apsStmt("SELECT * FROM qtt WHERE pk = 'b' OR pk = 'a' AND sk = 1"), check: items(b1, a1)},
		{name: "§4 sort-key order with ORDER BY DESC", body: apsStmt("SELECT sk FROM qtt WHERE pk = 'a' ORDER BY sk DESC"),
			check: items(`{"sk":{"N":"3"}}`, `{"sk":{"N":"2"}}`, `{"sk":{"N":"1"}}`)},
		{name: "§4 projected attribute the item lacks is absent", body: apsStmt("SELECT nope, n FROM qtt WHERE pk = 'b' AND sk = 1"), check: items(`{"n":{"N":"10"}}`)},
		{name: "§4 IN paging: 15 keys give 10 items and a NextToken", body: apsStmt("SELECT * FROM hkk WHERE pk IN [" + keys(15) + "]"), check: count(10, true)},
		{name: "§4 IN paging: 12 items of one key give 10 and a NextToken", body: apsStmt("SELECT * FROM qtt WHERE pk IN ['c']"), check: count(10, true)},
		{name: "§4 IN with 50 key values", body: apsStmt("SELECT * FROM hkk WHERE pk IN [" + keys(50) + "]"), check: count(10, true)},
		{name: "§4 IN with 51 key values", body: apsStmt("SELECT * FROM hkk WHERE pk IN [" + keys(51) + "]"),
			code: "ValidationException", msg: "The IN operator is provided with too many operands; number of operands: 51"},
		{name: "§8 IN with 100 non-key values", body: apsStmt("SELECT * FROM qtt WHERE n IN [" + nums(100) + "]"), check: count(4, false)},
		{name: "§8 IN with 101 non-key values (no expression member named)", body: apsStmt("SELECT * FROM qtt WHERE n IN [" + nums(101) + "]"),
			code: "ValidationException", msg: "The IN operator is provided with too many operands; number of operands: 101"},
		{name: "§8 BETWEEN error names no expression member", body: apsStmt("SELECT * FROM qtt WHERE n BETWEEN 2 AND 1"),
			code: "ValidationException", msg: "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}"},
		{name: "§6 UPDATE error names no expression member", body: apsStmt("UPDATE hkk SET v = 'x' + 1 WHERE pk = 'x'"),
			code: "ValidationException", msg: "Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{name: "§2 IS STRING", body: apsStmt("SELECT pk FROM hkk WHERE pk = 'x' AND pk IS STRING"), check: items(`{"pk":{"S":"x"}}`)},
		{name: "§2 IS NOT NUMBER", body: apsStmt("SELECT pk FROM hkk WHERE pk = 'x' AND v IS NOT NUMBER"), check: items()},
		{name: "§2 IS NULL of a missing attribute", body: apsStmt("SELECT pk FROM hkk WHERE pk = 'x' AND w IS NULL"), check: items(`{"pk":{"S":"x"}}`)},
		{name: "§2 keywords are case-insensitive", body: apsStmt("select pk from hkk where pk = 'y' and v is not missing"), check: items(`{"pk":{"S":"y"}}`)},
		{name: "§14 a double-quoted value is an attribute name", body: apsStmt(`SELECT * FROM hkk WHERE pk = "y"`), check: apsWant("Items", `[]`)},
		{name: "§3 extra parameters are ignored", body: apsStmt("SELECT pk FROM hkk WHERE pk = ?", `,"Parameters":[{"S":"y"},{"S":"z"}]`), check: items(`{"pk":{"S":"y"}}`)},
		{name: "§4 SELECT on an index with its partition key is a Query", body: apsStmt(`SELECT pk FROM "ixt"."gsi" WHERE g = 'y' AND r >= 3`, `,"Limit":1`),
			check: items(`{"pk":{"S":"i3"}}`)},
		{name: "§4 index Query ORDER BY its sort key", body: apsStmt(`SELECT r FROM "ixt"."gsi" WHERE g = 'x' ORDER BY r DESC`),
			check: items(`{"r":{"N":"4"}}`, `{"r":{"N":"2"}}`, `{"r":{"N":"0"}}`)},
		{name: "§4 index without a WHERE is a Scan", body: apsStmt(`SELECT * FROM "ixt"."gsi"`), check: count(6, false)},
		{name: "K14 ConsistentRead on a GSI", body: apsStmt(`SELECT * FROM "ixt"."gsi" WHERE g = 'x'`, `,"ConsistentRead":true`),
			code: "ValidationException", msg: "Consistent reads are not supported on global secondary indexes"},
		{name: "§5 INSERT answers an empty Items", body: apsStmt("INSERT INTO hkk VALUE {'pk': 'ins', 'a': [1, 'b', <<'s'>>], 'm': {'k': null, 'b': true}}"), check: apsWant("Items", `[]`)},
		{name: "§3 literals are stored as typed", body: apsStmt("SELECT a, m FROM hkk WHERE pk = 'ins'"),
			check: items(`{"a":{"L":[{"N":"1"},{"S":"b"},{"SS":["s"]}]},"m":{"M":{"b":{"BOOL":true},"k":{"NULL":true}}}}`)},
		{name: "§6 UPDATE RETURNING ALL NEW", body: apsStmt("UPDATE hkk SET v = 5, w = 1 WHERE pk = 'y' RETURNING ALL NEW *"),
			check: items(`{"pk":{"S":"y"},"v":{"N":"5"},"w":{"N":"1"}}`)},
		{name: "§6 UPDATE RETURNING MODIFIED OLD", body: apsStmt("UPDATE hkk SET v = 6 REMOVE w WHERE pk = 'y' RETURNING MODIFIED OLD *"),
			check: items(`{"v":{"N":"5"},"w":{"N":"1"}}`)},
		{name: "§6 UPDATE RETURNING MODIFIED NEW", body: apsStmt("UPDATE hkk SET v = v + 1 WHERE pk = 'y' RETURNING MODIFIED NEW *"),
			check: items(`{"v":{"N":"7"}}`)},
		{name: "§6 UPDATE RETURNING ALL OLD", body: apsStmt("UPDATE hkk SET v = 8 WHERE pk = 'y' RETURNING ALL OLD *"),
			check: items(`{"pk":{"S":"y"},"v":{"N":"7"}}`)},
		{name: "§6 UPDATE with a true extra condition", body: apsStmt("UPDATE hkk SET v = 9 WHERE pk = 'y' AND v = 8"), check: apsWant("Items", `[]`)},
		{name: "§6 DELETE of a missing item succeeds", body: apsStmt("DELETE FROM hkk WHERE pk = 'nope' AND v = 1"), check: apsWant("Items", `[]`)},
		{name: "§6 DELETE RETURNING ALL OLD", body: apsStmt("DELETE FROM hkk WHERE pk = 'y' RETURNING ALL OLD *"),
			check: items(`{"pk":{"S":"y"},"v":{"N":"9"}}`)},
		{name: "§11 ExecuteTransaction read shapes", target: "ExecuteTransaction",
			body:  `{"TransactStatements":` + apsStatements("SELECT v FROM hkk WHERE pk = 'x'", "SELECT nope FROM hkk WHERE pk = 'k01'", "SELECT * FROM hkk WHERE pk = 'gone'") + `}`,
			check: apsWant("Responses", `[{"Item":{"v":{"N":"1"}}},{"Item":{}},{}]`)},
		{name: "§11 ExecuteTransaction writes answer no Responses", target: "ExecuteTransaction",
			body: `{"TransactStatements":` + apsStatements("INSERT INTO hkk VALUE {'pk': 't1'}", "UPDATE hkk SET v = 2 WHERE pk = 'x'", "EXISTS(SELECT * FROM qtt WHERE pk = 'a' AND sk = 1 AND n = 10)") + `}`,
			check: func(t *testing.T, out map[string]any) {
				if len(out) != 0 {
					t.Fatalf("%v", out)
				}
			}},
		{name: "§11 ExecuteTransaction EXISTS whose condition fails", target: "ExecuteTransaction",
			body: `{"TransactStatements":` + apsStatements("INSERT INTO hkk VALUE {'pk': 't2'}", "EXISTS(SELECT * FROM qtt WHERE pk = 'a' AND sk = 1 AND n = 99)") + `}`,
			code: "TransactionCanceledException", msg: apsCancelled + "[None, ConditionalCheckFailed]"},
		{name: "§10 BatchExecuteStatement writes", target: "BatchExecuteStatement",
			body:  `{"Statements":` + apsStatements("INSERT INTO hkk VALUE {'pk': 'b1'}", "DELETE FROM hkk WHERE pk = 'k00'", "UPDATE hkk SET v = 1 WHERE pk = 'nope'") + `}`,
			check: apsWant("Responses", `[{"TableName":"hkk"},{"TableName":"hkk"},{"Error":{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},"TableName":"hkk"}]`)},
	}
	apsRun(t, srv, cases)

	t.Run("§4 IN paging continues with NextToken", func(t *testing.T) {
		var got []string
		tok := ""
		for page := 0; ; page++ {
			extra := ""
			if tok != "" {
				extra = `,"NextToken":` + apsJSON(tok)
			}
			out := apsDo(t, srv, "ExecuteStatement", apsStmt("SELECT pk, sk FROM qtt WHERE pk IN ['c', 'b']", extra))
			its := apsItems(out)
			if len(its) > 10 || page > 3 {
				t.Fatalf("page %d: %d items", page, len(its))
			}
			got = append(got, its...)
			next, _ := out["NextToken"].(string)
			if next == "" {
				break
			}
			tok = next
		}
		if len(got) != 13 {
			t.Fatalf("%d items: %v", len(got), got)
		}
	})
}

const apsStreams = "DynamoDBStreams_20120810."

func TestAuditStreams(t *testing.T) {
	clock := servertest.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
	srv := servertest.Start(t, servertest.WithClock(clock))
	d := apsDo(t, srv, "CreateTable", `{"TableName":"stt","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}}`)
	arn := d["TableDescription"].(map[string]any)["LatestStreamArn"].(string)
	apsDo(t, srv, "UpdateTimeToLive", `{"TableName":"stt","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`)
	desc := apsDo(t, srv, apsStreams+"DescribeStream", `{"StreamArn":"`+arn+`"}`)
	shard := desc["StreamDescription"].(map[string]any)["Shards"].([]any)[0].(map[string]any)["ShardId"].(string)
	iter := func(typ, extra string) string {
		t.Helper()
		out := apsDo(t, srv, apsStreams+"GetShardIterator", `{"StreamArn":"`+arn+`","ShardId":"`+shard+`","ShardIteratorType":"`+typ+`"`+extra+`}`)
		return out["ShardIterator"].(string)
	}

	// behaviours.md §12: one record per change, none when nothing changes.
	for _, req := range []struct{ op, body string }{
		{"PutItem", `{"TableName":"stt","Item":{"pk":{"S":"k"},"a":{"S":"1"}}}`},                                                                  // INSERT
		{"PutItem", `{"TableName":"stt","Item":{"pk":{"S":"k"},"a":{"S":"1"}}}`},                                                                  // identical: none
		{"UpdateItem", `{"TableName":"stt","Key":{"pk":{"S":"k"}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"1"}}}`}, // same value: none
		{"UpdateItem", `{"TableName":"stt","Key":{"pk":{"S":"k"}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"2"}}}`}, // MODIFY
		{"DeleteItem", `{"TableName":"stt","Key":{"pk":{"S":"nope"}}}`},                                                                           // missing: none
		{"DeleteItem", `{"TableName":"stt","Key":{"pk":{"S":"k"}}}`},                                                                              // REMOVE
		{"PutItem", `{"TableName":"stt","Item":{"pk":{"S":"t"},"exp":{"N":"1777629600"}}}`},                                                       // INSERT, expires at clock + 1 h
	} {
		apsDo(t, srv, req.op, req.body)
	}
	srv.Sweep(t)
	clock.Advance(2 * time.Hour)
	srv.Sweep(t) // the TTL delete
	start := iter("TRIM_HORIZON", "")
	recs := apsDo(t, srv, apsStreams+"GetRecords", `{"ShardIterator":"`+start+`"}`)["Records"].([]any)
	var got []string
	for _, r := range recs {
		r := r.(map[string]any)
		ddb := r["dynamodb"].(map[string]any)
		if r["eventVersion"] != "1.1" || r["eventSource"] != "aws:dynamodb" || r["awsRegion"] != "us-east-1" || len(r["eventID"].(string)) != 36 ||
			ddb["StreamViewType"] != "NEW_AND_OLD_IMAGES" || ddb["ApproximateCreationDateTime"] == nil || len(ddb["SequenceNumber"].(string)) == 0 {
			t.Fatalf("record envelope %v", r)
		}
		line := fmt.Sprintf("%s keys=%s new=%s old=%s size=%v", r["eventName"], apsJSON(ddb["Keys"]), apsJSON(ddb["NewImage"]), apsJSON(ddb["OldImage"]), ddb["SizeBytes"])
		if id, ok := r["userIdentity"]; ok {
			line += " user=" + apsJSON(id)
		}
		got = append(got, line)
	}
	want := []string{
		`INSERT keys={"pk":{"S":"k"}} new={"a":{"S":"1"},"pk":{"S":"k"}} old=null size=8`,
		`MODIFY keys={"pk":{"S":"k"}} new={"a":{"S":"2"},"pk":{"S":"k"}} old={"a":{"S":"1"},"pk":{"S":"k"}} size=13`,
		`REMOVE keys={"pk":{"S":"k"}} new=null old={"a":{"S":"2"},"pk":{"S":"k"}} size=8`,
		`INSERT keys={"pk":{"S":"t"}} new={"exp":{"N":"1777629600"},"pk":{"S":"t"}} old=null size=14`,
		// behaviours.md §11: AWS's TTL record (DynamoDB Local's is malformed).
		`REMOVE keys={"pk":{"S":"t"}} new=null old={"exp":{"N":"1777629600"},"pk":{"S":"t"}} size=14 user={"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	firstSeq := recs[0].(map[string]any)["dynamodb"].(map[string]any)["SequenceNumber"].(string)

	arnNoSuch := "arn:aws:dynamodb:us-east-1:000000000000:table/nosuch/stream/2020-01-01T00:00:00.000"
	fresh := iter("LATEST", "")
	cases := []apsCase{
		{name: "O1 DescribeStream of an unknown stream", target: apsStreams + "DescribeStream", body: `{"StreamArn":"` + arnNoSuch + `"}`,
			code: "ResourceNotFoundException", msg: "Requested resource not found: Stream: " + arnNoSuch + " not found"},
		{name: "O2 GetShardIterator of an unknown shard", target: apsStreams + "GetShardIterator",
			body: `{"StreamArn":"` + arn + `","ShardId":"shardId-00000000000000000000-00000000","ShardIteratorType":"TRIM_HORIZON"}`,
			code: "ResourceNotFoundException", msg: "Shard does not exist"},
		{name: "O2 sequence number outside the shard", target: apsStreams + "GetShardIterator",
			body: `{"StreamArn":"` + arn + `","ShardId":"` + shard + `","ShardIteratorType":"AT_SEQUENCE_NUMBER","SequenceNumber":"999999999999999999999"}`,
			code: "ResourceNotFoundException", msg: "Shard does not exist"},
		{name: "O3 AT_SEQUENCE_NUMBER without SequenceNumber", target: apsStreams + "GetShardIterator",
			body: `{"StreamArn":"` + arn + `","ShardId":"` + shard + `","ShardIteratorType":"AT_SEQUENCE_NUMBER"}`,
			code: "ValidationException", msg: "One or more parameter values were invalid: Invalid SequenceNumber"},
		{name: "O3 AFTER_SEQUENCE_NUMBER without SequenceNumber", target: apsStreams + "GetShardIterator",
			body: `{"StreamArn":"` + arn + `","ShardId":"` + shard + `","ShardIteratorType":"AFTER_SEQUENCE_NUMBER"}`,
			code: "ValidationException", msg: "One or more parameter values were invalid: Invalid SequenceNumber"},
		{name: "O4 TRIM_HORIZON with a SequenceNumber", target: apsStreams + "GetShardIterator",
			body: `{"StreamArn":"` + arn + `","ShardId":"` + shard + `","ShardIteratorType":"TRIM_HORIZON","SequenceNumber":"` + firstSeq + `"}`,
			code: "ValidationException", msg: "One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type"},
		{name: "O4 LATEST with a SequenceNumber", target: apsStreams + "GetShardIterator",
			body: `{"StreamArn":"` + arn + `","ShardId":"` + shard + `","ShardIteratorType":"LATEST","SequenceNumber":"` + firstSeq + `"}`,
			code: "ValidationException", msg: "One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type"},
		{name: "O5 GetRecords with a malformed iterator", target: apsStreams + "GetRecords", body: `{"ShardIterator":"garbage"}`,
			code: "ValidationException", msg: "Invalid ShardIterator"},
		{name: "O6 GetRecords Limit 1001", target: apsStreams + "GetRecords", body: `{"ShardIterator":"` + fresh + `","Limit":1001}`,
			code: "ValidationException", msg: "One or more parameter values were invalid: Limit should be less than or equal to 1000"},
		{name: "O7 ListStreams Limit 101", target: apsStreams + "ListStreams", body: `{"Limit":101}`,
			code: "ValidationException", msg: "One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100"},
		{name: "O8 DescribeStream Limit 101", target: apsStreams + "DescribeStream", body: `{"StreamArn":"` + arn + `","Limit":101}`,
			code: "ValidationException", msg: "One or more parameter values were invalid: Limit cannot be greater than the maximum: 100"},
		// O11 is DynamoDB Local's 500; AWS answers the model's enum constraint.
		{name: "O11 unknown ShardIteratorType (AWS: enum constraint)", target: apsStreams + "GetShardIterator",
			body: `{"StreamArn":"` + arn + `","ShardId":"` + shard + `","ShardIteratorType":"BOGUS"}`, status: 400,
			check: func(t *testing.T, out map[string]any) {
				msg, _ := out["message"].(string)
				if !strings.HasSuffix(apsJSON(out["__type"]), `#ValidationException"`) ||
					!strings.HasPrefix(msg, "1 validation error detected: Value 'BOGUS' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [") {
					t.Fatalf("%v", out)
				}
			}},
		{name: "P7 malformed JSON is a 400 SerializationException, not DynamoDB Local's 500", target: apsStreams + "GetRecords", body: `{"ShardIterator":`,
			status: 400, check: func(t *testing.T, out map[string]any) {
				if !strings.HasSuffix(apsJSON(out["__type"]), `#SerializationException"`) {
					t.Fatalf("%v", out)
				}
			}},
		{name: "P7 unknown operation", target: apsStreams + "Nope", body: `{}`, code: "UnknownOperationException", msg: "An unknown operation was requested."},
	}
	apsRun(t, srv, cases)

	clock.Advance(16 * time.Minute)
	apsRun(t, srv, []apsCase{{name: "O9 iterator older than 15 minutes", target: apsStreams + "GetRecords", body: `{"ShardIterator":"` + fresh + `"}`,
		code: "ExpiredIteratorException", msg: "The provided iterator exceeds the maximum age allowed."}})
	clock.Advance(25 * time.Hour)
	srv.Sweep(t)
	apsRun(t, srv, []apsCase{{name: "O10 sequence number past the 24 h trim point", target: apsStreams + "GetShardIterator",
		body: `{"StreamArn":"` + arn + `","ShardId":"` + shard + `","ShardIteratorType":"AT_SEQUENCE_NUMBER","SequenceNumber":"` + firstSeq + `"}`,
		code: "TrimmedDataAccessException", msg: "The data you are trying to access has been trimmed."}})
}
