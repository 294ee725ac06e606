package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// Fidelity audit of Query, Scan, the batch operations and the transactions
// against errors.md sections K, L and M, on tables and on secondary indexes
// (LSI, GSI, multi-attribute GSI), plus the paging, capacity and
// transaction behaviours of behaviours.md §6, §7, §8, §13 and
// multi-attribute-keys.md §5-§6. Every case names the row it enforces.
// Where a DynamoDB Local probe row and an AWS row cover the same
// situation, the AWS text is expected (and the case says so).

// arServer starts a server with the audit tables:
//   - ar_t (pk S, sk N) with LSI lsi1 (pk, l1 S; KEYS_ONLY), GSI gsi1
//     (g1 S, g2 N; INCLUDE inc) and GSI gall (g1 S; ALL), items p/1..p/5;
//   - ar_h (pk S), items h0..h11;
//   - ar_m (pk S) with multi-attribute GSI mgsi (HASH a S, b S; RANGE c S,
//     d N, e S; ALL).
func arServer(t *testing.T) *servertest.Server {
	t.Helper()
	srv := servertest.Start(t)
	arOK(t, srv, "CreateTable", `{"TableName":"ar_t","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
			{"AttributeName":"l1","AttributeType":"S"},{"AttributeName":"g1","AttributeType":"S"},{"AttributeName":"g2","AttributeType":"N"}],
		"LocalSecondaryIndexes":[{"IndexName":"lsi1","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l1","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
		"GlobalSecondaryIndexes":[
			{"IndexName":"gsi1","KeySchema":[{"AttributeName":"g1","KeyType":"HASH"},{"AttributeName":"g2","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["inc"]}},
			{"IndexName":"gall","KeySchema":[{"AttributeName":"g1","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`)
	arOK(t, srv, "CreateTable", `{"TableName":"ar_h","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}`)
	arOK(t, srv, "CreateTable", `{"TableName":"ar_m","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"S"},
			{"AttributeName":"c","AttributeType":"S"},{"AttributeName":"d","AttributeType":"N"},{"AttributeName":"e","AttributeType":"S"}],
		"GlobalSecondaryIndexes":[{"IndexName":"mgsi","KeySchema":[
			{"AttributeName":"a","KeyType":"HASH"},{"AttributeName":"b","KeyType":"HASH"},
			{"AttributeName":"c","KeyType":"RANGE"},{"AttributeName":"d","KeyType":"RANGE"},{"AttributeName":"e","KeyType":"RANGE"}],
			"Projection":{"ProjectionType":"ALL"}}]}`)
	for i := 1; i <= 5; i++ {
		arOK(t, srv, "PutItem", fmt.Sprintf(`{"TableName":"ar_t","Item":{"pk":{"S":"p"},"sk":{"N":"%d"},
			"l1":{"S":"l%d"},"g1":{"S":"g"},"g2":{"N":"%d"},"inc":{"S":"i"},"x":{"N":"%d"}}}`, i, 6-i, i, i))
	}
	for i := 0; i < 12; i++ {
		arOK(t, srv, "PutItem", fmt.Sprintf(`{"TableName":"ar_h","Item":{"pk":{"S":"h%d"},"x":{"N":"%d"}}}`, i, i))
	}
	// multi-attribute-keys.md §6 test vector: base items 001..004 in
	// partition WINTER2024/NA-EAST, 005 in NA-WEST.
	for _, it := range [][4]string{
		{"001", "NA-EAST", "FINALS", "CHAMPIONSHIP"},
		{"002", "NA-EAST", "SEMIFINALS", "UPPER"},
		{"003", "NA-EAST", "SEMIFINALS", "UPPER"},
		{"004", "NA-EAST", "QUARTERFINALS", "UPPER"},
		{"005", "NA-WEST", "FINALS", "CHAMPIONSHIP"},
	} {
		arOK(t, srv, "PutItem", fmt.Sprintf(`{"TableName":"ar_m","Item":{"pk":{"S":"match-%s"},"a":{"S":"WINTER2024"},
			"b":{"S":"%s"},"c":{"S":"%s"},"d":{"N":"1"},"e":{"S":"%s"}}}`, it[0], it[1], it[2], it[3]))
	}
	return srv
}

// arOK sends a request that must succeed and returns the decoded response.
func arOK(t *testing.T, srv *servertest.Server, op, body string) map[string]any {
	t.Helper()
	status, resp := srv.Do(t, op, body)
	if status != 200 {
		t.Fatalf("%s: %d %s", op, status, resp)
	}
	var out map[string]any
	if err := json.Unmarshal(resp, &out); err != nil {
		t.Fatalf("%s: %v: %s", op, err, resp)
	}
	return out
}

// arCase is one request DynamoDB rejects: the expected code and message,
// and optionally a check of the whole error body (CancellationReasons).
type arCase struct{ name, op, body, code, msg string }

// arCheck is an arCase with a check of the decoded error body.
type arCheck struct {
	arCase
	check func(t *testing.T, body map[string]any)
}

func arRun(t *testing.T, srv *servertest.Server, cases []arCase) {
	t.Helper()
	checks := make([]arCheck, len(cases))
	for i, c := range cases {
		checks[i] = arCheck{arCase: c}
	}
	arRunChecked(t, srv, checks)
}

func arRunChecked(t *testing.T, srv *servertest.Server, cases []arCheck) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := srv.Do(t, tc.op, tc.body)
			if status != 400 {
				t.Fatalf("status %d, body %s", status, body)
			}
			code, msg := itRawError(t, status, body)
			if code != tc.code || !arMatch(msg, tc.msg) {
				t.Fatalf("got  %s: %q\nwant %s: %q", code, msg, tc.code, tc.msg)
			}
			if tc.check != nil {
				var m map[string]any
				if err := json.Unmarshal(body, &m); err != nil {
					t.Fatal(err)
				}
				tc.check(t, m)
			}
		})
	}
}

// arMatch reports whether msg is want, where "<*>" in want stands for any
// text (the Java rendering of a structure, errors.md "N validation errors").
func arMatch(msg, want string) bool {
	pre, suf, wild := strings.Cut(want, "<*>")
	if !wild {
		return msg == want
	}
	return len(msg) >= len(pre)+len(suf) && strings.HasPrefix(msg, pre) && strings.HasSuffix(msg, suf)
}

// arQ is a Query of ar_t with the given KeyConditionExpression, values and
// extra members.
func arQ(kce, vals, extra string) string {
	return `{"TableName":"ar_t","KeyConditionExpression":"` + kce + `","ExpressionAttributeValues":{` + vals + `}` + extra + `}`
}

const (
	arP   = `":p":{"S":"p"}`
	arPN  = `":p":{"S":"p"},":n":{"N":"1"}`
	arIdx = `":g":{"S":"g"}`
)

// arReasons checks the CancellationReasons codes and messages ("" = no
// Message member).
func arReasons(want ...string) func(t *testing.T, body map[string]any) {
	return func(t *testing.T, body map[string]any) {
		t.Helper()
		rs, _ := body["CancellationReasons"].([]any)
		var got []string
		for _, r := range rs {
			m := r.(map[string]any)
			s := m["Code"].(string)
			if msg, ok := m["Message"].(string); ok {
				s += ": " + msg
			}
			got = append(got, s)
		}
		if strings.Join(got, " | ") != strings.Join(want, " | ") {
			t.Fatalf("reasons\ngot  %q\nwant %q", got, want)
		}
	}
}

func TestAuditReadsK(t *testing.T) {
	srv := arServer(t)
	const vE = "ValidationException"
	arRun(t, srv, []arCase{
		{"K1 Query without key condition", "Query", `{"TableName":"ar_t"}`, vE,
			"Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."},
		{"K1 Query on an index without key condition", "Query", `{"TableName":"ar_t","IndexName":"gsi1"}`, vE,
			"Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."},
		{"K2 key condition on a non-key attribute", "Query", arQ("x = :n", `":n":{"N":"1"}`, ""), vE,
			"Query condition missed key schema element"},
		{"K2 key condition without the partition key", "Query", arQ("sk = :n", `":n":{"N":"1"}`, ""), vE,
			"Query condition missed key schema element"},
		{"K2 GSI query without the GSI partition key", "Query", arQ("pk = :p", arP, `,"IndexName":"gsi1"`), vE,
			"Query condition missed key schema element"},
		{"K3 table sort key on an LSI query", "Query", arQ("pk = :p AND sk = :n", arPN, `,"IndexName":"lsi1"`), vE,
			"Query key condition not supported"},
		{"K3 partition key with >", "Query", arQ("pk > :p", arP, ""), vE, "Query key condition not supported"},
		{"K3 partition key with BETWEEN", "Query", arQ("pk BETWEEN :p AND :q", arP+`,":q":{"S":"q"}`, ""), vE,
			"Query key condition not supported"},
		{"K3 partition key with begins_with", "Query", arQ("begins_with(pk, :p)", arP, ""), vE,
			"Query key condition not supported"},
		{"K3 table sort key on a GSI query", "Query", arQ("g1 = :g AND sk = :n", arIdx+`,":n":{"N":"1"}`, `,"IndexName":"gsi1"`), vE,
			"Query key condition not supported"},
		{"K4 OR", "Query", arQ("pk = :p OR sk = :n", arPN, ""), vE, "Invalid operator used in KeyConditionExpression: OR"},
		{"K4 NOT", "Query", arQ("NOT pk = :p", arP, ""), vE, "Invalid operator used in KeyConditionExpression: NOT"},
		{"K4 IN", "Query", arQ("pk IN (:p)", arP, ""), vE, "Invalid operator used in KeyConditionExpression: IN"},
		{"K4 attribute_exists", "Query", arQ("pk = :p AND attribute_exists(sk)", arP, ""), vE,
			"Invalid operator used in KeyConditionExpression: attribute_exists"},
		{"K5 <> on the sort key", "Query", arQ("pk = :p AND sk <> :n", arPN, ""), vE, "Invalid operator used in KeyConditionExpression: <>"},
		{"K6 contains on the sort key", "Query", arQ("pk = :p AND contains(sk, :n)", arPN, ""), vE,
			"Invalid operator used in KeyConditionExpression: contains"},
		{"K7 two conditions on the sort key", "Query", arQ("pk = :p AND sk > :n AND sk < :n", arPN, ""), vE,
			"KeyConditionExpressions must only contain one condition per key"},
		{"K7 two conditions on the partition key", "Query", arQ("pk = :p AND pk = :p", arP, ""), vE,
			"KeyConditionExpressions must only contain one condition per key"},
		{"K8 size() in a key condition", "Query", arQ("size(pk) = :n", `":n":{"N":"1"}`, ""), vE,
			"KeyConditionExpressions cannot contain nested operations"},
		{"K9 map lookup on a key", "Query", arQ("pk.x = :p", arP, ""), vE,
			"Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"},
		{"K10 begins_with on an N sort key", "Query", arQ("pk = :p AND begins_with(sk, :n)", arPN, ""), vE,
			"Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"K11 partition value of the wrong type", "Query", arQ("pk = :n", `":n":{"N":"1"}`, ""), vE,
			"One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"K11 sort value of the wrong type", "Query", arQ("pk = :p AND sk > :s", arP+`,":s":{"S":"1"}`, ""), vE,
			"One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"K11 GSI key value of the wrong type", "Query", arQ("g1 = :g AND g2 = :s", arIdx+`,":s":{"S":"1"}`, `,"IndexName":"gsi1"`), vE,
			"One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"K12 BETWEEN with reversed bounds", "Query", arQ("pk = :p AND sk BETWEEN :b AND :a", arP+`,":b":{"N":"3"},":a":{"N":"1"}`, ""), vE,
			"Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:3}, upper bound operand: AttributeValue: {N:1}"},
		{"K13 Query on a missing index", "Query", arQ("pk = :p", arP, `,"IndexName":"nope"`), vE,
			"The table does not have the specified index: nope"},
		{"K13 Scan on a missing index", "Scan", `{"TableName":"ar_t","IndexName":"nope"}`, vE,
			"The table does not have the specified index: nope"},
		{"K14 consistent Query on a GSI", "Query", arQ("g1 = :g", arIdx, `,"IndexName":"gsi1","ConsistentRead":true`), vE,
			"Consistent reads are not supported on global secondary indexes"},
		{"K14 consistent Scan on a GSI", "Scan", `{"TableName":"ar_t","IndexName":"gsi1","ConsistentRead":true}`, vE,
			"Consistent reads are not supported on global secondary indexes"},
		{"K15 ALL_ATTRIBUTES on an INCLUDE GSI (Query)", "Query", arQ("g1 = :g", arIdx, `,"IndexName":"gsi1","Select":"ALL_ATTRIBUTES"`), vE,
			"One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index gsi1 because its projection type is not ALL"},
		{"K15 ALL_ATTRIBUTES on an INCLUDE GSI (Scan)", "Scan", `{"TableName":"ar_t","IndexName":"gsi1","Select":"ALL_ATTRIBUTES"}`, vE,
			"One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index gsi1 because its projection type is not ALL"},
		{"K16 projection of an unprojected attribute (Query)", "Query", arQ("g1 = :g", arIdx, `,"IndexName":"gsi1","ProjectionExpression":"x"`), vE,
			"One or more parameter values were invalid: Global secondary index gsi1 does not project [x]"},
		{"K16 projection of an unprojected attribute (Scan)", "Scan", `{"TableName":"ar_t","IndexName":"gsi1","ProjectionExpression":"inc, x"}`, vE,
			"One or more parameter values were invalid: Global secondary index gsi1 does not project [x]"},
		{"K17 ALL_PROJECTED_ATTRIBUTES without an index (Query)", "Query", arQ("pk = :p", arP, `,"Select":"ALL_PROJECTED_ATTRIBUTES"`), vE,
			"ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"},
		{"K17 ALL_PROJECTED_ATTRIBUTES without an index (Scan)", "Scan", `{"TableName":"ar_t","Select":"ALL_PROJECTED_ATTRIBUTES"}`, vE,
			"ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"},
		{"K18 SPECIFIC_ATTRIBUTES without a projection", "Query", arQ("pk = :p", arP, `,"Select":"SPECIFIC_ATTRIBUTES"`), vE,
			"Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"},
		{"K18 SPECIFIC_ATTRIBUTES without a projection (Scan)", "Scan", `{"TableName":"ar_t","Select":"SPECIFIC_ATTRIBUTES"}`, vE,
			"Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"},
		{"K19 COUNT with a projection", "Query", arQ("pk = :p", arP, `,"Select":"COUNT","ProjectionExpression":"x"`), vE,
			"Cannot specify the ProjectionExpression when choosing to get only the Count"},
		{"K20 ALL_ATTRIBUTES with a projection", "Scan", `{"TableName":"ar_t","Select":"ALL_ATTRIBUTES","ProjectionExpression":"x"}`, vE,
			"Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"},
		{"K21 ALL_PROJECTED_ATTRIBUTES with a projection", "Query", arQ("g1 = :g", arIdx, `,"IndexName":"gall","Select":"ALL_PROJECTED_ATTRIBUTES","ProjectionExpression":"x"`), vE,
			"Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES"},
		// K22: DynamoDB Local's own text; AWS checks the model enum first
		// (errors.md "Systematic differences": enum values are rejected in the
		// N validation error(s) format).
		{"K22 unknown Select (AWS model-enum form)", "Query", arQ("pk = :p", arP, `,"Select":"SOME"`), vE,
			"1 validation error detected: Value 'SOME' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, SPECIFIC_ATTRIBUTES]"},
		{"K23 ExclusiveStartKey without the sort key", "Query", arQ("pk = :p", arP, `,"ExclusiveStartKey":{"pk":{"S":"p"}}`), vE,
			"Exclusive Start Key must have same size as table's key schema"},
		{"K23 Scan ExclusiveStartKey without the sort key", "Scan", `{"TableName":"ar_t","ExclusiveStartKey":{"pk":{"S":"p"}}}`, vE,
			"Exclusive Start Key must have same size as table's key schema"},
		{"K24 ExclusiveStartKey outside the partition", "Query", arQ("pk = :p", arP, `,"ExclusiveStartKey":{"pk":{"S":"q"},"sk":{"N":"1"}}`), vE,
			"The provided starting key does not match the range key predicate"},
		{"K24 ExclusiveStartKey outside the sort-key range", "Query", arQ("pk = :p AND sk > :n", arPN, `,"ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"N":"0"}}`), vE,
			"The provided starting key does not match the range key predicate"},
		{"K25 ExclusiveStartKey of the wrong type", "Query", arQ("pk = :p", arP, `,"ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"S":"1"}}`), vE,
			"Type mismatch for attribute to update"},
		{"K26 LSI ExclusiveStartKey without the LSI key", "Query", arQ("pk = :p", arP, `,"IndexName":"lsi1","ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"N":"1"}}`), vE,
			"The provided starting key is invalid"},
		{"K26 GSI ExclusiveStartKey without the GSI key", "Query", arQ("g1 = :g", arIdx, `,"IndexName":"gsi1","ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"N":"1"}}`), vE,
			"The provided starting key is invalid"},
		{"K24 GSI ExclusiveStartKey outside the index partition", "Query", arQ("g1 = :g", arIdx, `,"IndexName":"gsi1","ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"N":"1"},"g1":{"S":"h"},"g2":{"N":"1"}}`), vE,
			"The provided starting key does not match the range key predicate"},
		{"K24 LSI ExclusiveStartKey outside the partition", "Query", arQ("pk = :p", arP, `,"IndexName":"lsi1","ExclusiveStartKey":{"pk":{"S":"q"},"sk":{"N":"1"},"l1":{"S":"l1"}}`), vE,
			"The provided starting key does not match the range key predicate"},
		{"K27 legacy EQ with two values", "Query", `{"TableName":"ar_t","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"p"},{"S":"q"}]}}}`, vE,
			"One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"},
		{"K28 Segment without TotalSegments", "Scan", `{"TableName":"ar_t","Segment":0}`, vE,
			"If segment is specified, total segment must also be specified"},
		{"K29 TotalSegments without Segment", "Scan", `{"TableName":"ar_t","TotalSegments":2}`, vE,
			"If total segments is specified, a particular segment must also be specified for this request"},
		{"H38 legacy QueryFilter on the partition key", "Query", `{"TableName":"ar_t","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"p"}]}},
			"QueryFilter":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"p"}]}}}`, vE,
			"QueryFilter can only contain non-primary key attributes: Primary key attribute: pk"},
		{"H39 FilterExpression on the sort key", "Query", arQ("pk = :p", arPN, `,"FilterExpression":"sk = :n"`), vE,
			"Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
		{"H38 GSI FilterExpression on the GSI partition key", "Query", arQ("g1 = :g", arIdx, `,"IndexName":"gsi1","FilterExpression":"g1 = :g"`), vE,
			"Filter Expression can only contain non-primary key attributes: Primary key attribute: g1"},
		{"K19 COUNT with AttributesToGet", "Query", `{"TableName":"ar_t","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"p"}]}},"Select":"COUNT","AttributesToGet":["x"]}`, vE,
			"Cannot specify the AttributesToGet when choosing to get only the Count"},
		{"K20 ALL_ATTRIBUTES with AttributesToGet", "Scan", `{"TableName":"ar_t","Select":"ALL_ATTRIBUTES","AttributesToGet":["x"]}`, vE,
			"Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES"},
		{"G41 Query values without value expressions", "Query", `{"TableName":"ar_t","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"p"}]}},"ExpressionAttributeValues":{":v":{"S":"p"}}}`, vE,
			"ExpressionAttributeValues can only be specified when using expressions: KeyConditionExpression and FilterExpression are null"},
		{"G42 Scan values without FilterExpression", "Scan", `{"TableName":"ar_t","ExpressionAttributeValues":{":v":{"S":"p"}}}`, vE,
			"ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null"},
		{"F33 Query on a missing table (AWS text)", "Query", `{"TableName":"nosuch","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}}}`,
			"ResourceNotFoundException", "Requested resource not found"},
		{"F33 Scan on a missing table (AWS text)", "Scan", `{"TableName":"nosuch"}`, "ResourceNotFoundException", "Requested resource not found"},
		{"D43 Query Limit 0", "Query", arQ("pk = :p", arP, `,"Limit":0`), vE,
			"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
	})

	// K30: a start key of segment 0 used in segment 1.
	t.Run("K30 ExclusiveStartKey of another segment", func(t *testing.T) {
		out := arOK(t, srv, "Scan", `{"TableName":"ar_h","Segment":0,"TotalSegments":2}`)
		items, _ := out["Items"].([]any)
		if len(items) == 0 {
			t.Fatal("segment 0 of 2 is empty")
		}
		pk, _ := json.Marshal(items[0].(map[string]any)["pk"])
		arRun(t, srv, []arCase{{"K30", "Scan", `{"TableName":"ar_h","Segment":1,"TotalSegments":2,"ExclusiveStartKey":{"pk":` + string(pk) + `}}`,
			vE, "Exclusive start key must lie within the segment"}})
	})
}

// TestAuditReadsMultiAttributeQuery checks the key-condition rules and
// result order of multi-attribute-keys.md §5 and §6.
func TestAuditReadsMultiAttributeQuery(t *testing.T) {
	srv := arServer(t)
	const vals = `":a":{"S":"WINTER2024"},":b":{"S":"NA-EAST"},":c":{"S":"SEMIFINALS"},":d":{"N":"1"},":e":{"S":"UPPER"}`
	q := func(kce string, extra string) string {
		used := map[string]bool{}
		for _, p := range []string{":a", ":b", ":c", ":d", ":e"} {
			if strings.Contains(kce, p) {
				used[p] = true
			}
		}
		var vs []string
		for _, v := range strings.Split(vals, `},`) {
			v = strings.TrimSuffix(v, "}") + "}"
			name := strings.Trim(strings.SplitN(v, ":{", 2)[0], `"`)
			if used[name] {
				vs = append(vs, v)
			}
		}
		return `{"TableName":"ar_m","IndexName":"mgsi","KeyConditionExpression":"` + kce + `","ExpressionAttributeValues":{` + strings.Join(vs, ",") + `}` + extra + `}`
	}
	const vE = "ValidationException"
	arRun(t, srv, []arCase{
		{"MAK5 one partition attribute missing", "Query", q("a = :a", ""), vE, "Query condition missed key schema element"},
		{"MAK5 first sort attribute skipped (documented text)", "Query", q("a = :a AND b = :b AND e = :e", ""), vE, "Query key condition not supported"},
		{"MAK5 gap in the sort attributes", "Query", q("a = :a AND b = :b AND c = :c AND e = :e", ""), vE, "Query key condition not supported"},
		{"MAK5 condition after an inequality", "Query", q("a = :a AND b = :b AND c > :c AND d = :d", ""), vE, "Query key condition not supported"},
		{"MAK5 begins_with followed by a condition", "Query", q("a = :a AND b = :b AND begins_with(c, :c) AND d = :d", ""), vE, "Query key condition not supported"},
		{"MAK5 inequality on a partition attribute", "Query", q("a = :a AND b > :b", ""), vE, "Query key condition not supported"},
		{"MAK5 begins_with on an N sort attribute", "Query", q("a = :a AND b = :b AND c = :c AND begins_with(d, :d)", ""), vE,
			"Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
	})
	order := func(t *testing.T, body string, want string) {
		t.Helper()
		out := arOK(t, srv, "Query", body)
		var got []string
		for _, it := range out["Items"].([]any) {
			got = append(got, it.(map[string]any)["pk"].(map[string]any)["S"].(string))
		}
		if strings.Join(got, ",") != want {
			t.Fatalf("got %v, want %s", got, want)
		}
	}
	t.Run("MAK6 hierarchical order ascending", func(t *testing.T) {
		order(t, q("a = :a AND b = :b", ""), "match-001,match-004,match-002,match-003")
	})
	t.Run("MAK6 hierarchical order descending", func(t *testing.T) {
		order(t, q("b = :b AND a = :a", `,"ScanIndexForward":false`), "match-003,match-002,match-004,match-001")
	})
	t.Run("MAK5 prefix of sort attributes in any text order", func(t *testing.T) {
		order(t, q("e = :e AND d = :d AND c = :c AND b = :b AND a = :a", ""), "match-002,match-003")
	})
	t.Run("MAK5 begins_with as the last condition", func(t *testing.T) {
		order(t, `{"TableName":"ar_m","IndexName":"mgsi","KeyConditionExpression":"a = :a AND b = :b AND begins_with(c, :c)",
			"ExpressionAttributeValues":{":a":{"S":"WINTER2024"},":b":{"S":"NA-EAST"},":c":{"S":"S"}}}`, "match-002,match-003")
	})
	t.Run("MAK5 LastEvaluatedKey holds every index key attribute", func(t *testing.T) {
		out := arOK(t, srv, "Query", q("a = :a AND b = :b", `,"Limit":1`))
		lek, _ := json.Marshal(out["LastEvaluatedKey"])
		want := `{"a":{"S":"WINTER2024"},"b":{"S":"NA-EAST"},"c":{"S":"FINALS"},"d":{"N":"1"},"e":{"S":"CHAMPIONSHIP"},"pk":{"S":"match-001"}}`
		if string(lek) != want {
			t.Fatalf("LastEvaluatedKey %s, want %s", lek, want)
		}
		order(t, q("a = :a AND b = :b", `,"ExclusiveStartKey":`+string(lek)), "match-004,match-002,match-003")
	})
}

// arPuts is a BatchWriteItem RequestItems entry of n PutRequests on table
// with partition keys prefix0..prefix(n-1).
func arPuts(table, prefix string, n int) string {
	var rs []string
	for i := 0; i < n; i++ {
		rs = append(rs, fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"%s%d"}}}}`, prefix, i))
	}
	return `"` + table + `":[` + strings.Join(rs, ",") + `]`
}

// arKeys is a BatchGetItem RequestItems entry of n keys.
func arKeys(table, prefix string, n int) string {
	var ks []string
	for i := 0; i < n; i++ {
		ks = append(ks, fmt.Sprintf(`{"pk":{"S":"%s%d"}}`, prefix, i))
	}
	return `"` + table + `":{"Keys":[` + strings.Join(ks, ",") + `]}`
}

func TestAuditReadsL(t *testing.T) {
	srv := arServer(t)
	arOK(t, srv, "CreateTable", `{"TableName":"ar_h2","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}`)
	const vE = "ValidationException"
	bw := func(items string) string { return `{"RequestItems":{` + items + `}}` }
	arRun(t, srv, []arCase{
		{"L1 26 write requests over two tables", "BatchWriteItem", bw(arPuts("ar_h", "a", 13) + "," + arPuts("ar_h2", "b", 13)), vE,
			"Too many items requested for the BatchWriteItem call"},
		{"C16 26 write requests for one table (AWS map-value form)", "BatchWriteItem", bw(arPuts("ar_h", "a", 26)), vE,
			"1 validation error detected: Value '<*>' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"},
		// L2, L3, L7 (one table), L8, L9: DynamoDB Local's own texts; AWS
		// checks the model constraints first (min 1 / max 25 on the
		// BatchWriteItem map and its values, as C16 shows; min 1 / max 100
		// on the BatchGetItem map and key lists), in the N validation
		// error(s) form.
		{"L2 empty RequestItems (AWS model form)", "BatchWriteItem", `{"RequestItems":{}}`, vE,
			"1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"L3 empty request list for a table (AWS map-value form, C16)", "BatchWriteItem", `{"RequestItems":{"ar_h":[]}}`, vE,
			"1 validation error detected: Value '<*>' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"},
		{"L4 PutRequest and DeleteRequest together", "BatchWriteItem", `{"RequestItems":{"ar_h":[{"PutRequest":{"Item":{"pk":{"S":"a"}}},"DeleteRequest":{"Key":{"pk":{"S":"b"}}}}]}}`, vE,
			"Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{"L4 neither PutRequest nor DeleteRequest", "BatchWriteItem", `{"RequestItems":{"ar_h":[{}]}}`, vE,
			"Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{"L5 put and put of one key", "BatchWriteItem", `{"RequestItems":{"ar_h":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}},{"PutRequest":{"Item":{"pk":{"S":"a"},"x":{"N":"1"}}}}]}}`, vE,
			"Provided list of item keys contains duplicates"},
		{"L5 put and delete of one key", "BatchWriteItem", `{"RequestItems":{"ar_t":[{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"a"},"sk":{"N":"1.0"}}}}]}}`, vE,
			"Provided list of item keys contains duplicates"},
		{"L6 BatchWriteItem on a missing table (AWS text, F33)", "BatchWriteItem", bw(arPuts("nosuch", "a", 1)), "ResourceNotFoundException",
			"Requested resource not found"},
		{"L6 BatchGetItem on a missing table (AWS text, F33)", "BatchGetItem", `{"RequestItems":{` + arKeys("nosuch", "a", 1) + `}}`, "ResourceNotFoundException",
			"Requested resource not found"},
		{"L7 101 keys over two tables", "BatchGetItem", `{"RequestItems":{` + arKeys("ar_h", "a", 51) + "," + arKeys("ar_h2", "b", 50) + `}}`, vE,
			"Too many items requested for the BatchGetItem call"},
		{"L7 101 keys for one table (AWS model form)", "BatchGetItem", `{"RequestItems":{` + arKeys("ar_h", "a", 101) + `}}`, vE,
			"1 validation error detected: Value '<*>' at 'requestItems.ar_h.member.keys' failed to satisfy constraint: Member must have length less than or equal to 100"},
		{"L8 empty RequestItems (AWS model form)", "BatchGetItem", `{"RequestItems":{}}`, vE,
			"1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"L9 empty key list (AWS model form)", "BatchGetItem", `{"RequestItems":{"ar_h":{"Keys":[]}}}`, vE,
			"1 validation error detected: Value '[]' at 'requestItems.ar_h.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"L10 the same key twice", "BatchGetItem", `{"RequestItems":{"ar_t":{"Keys":[{"pk":{"S":"p"},"sk":{"N":"1"}},{"pk":{"S":"p"},"sk":{"N":"1.00"}}]}}}`, vE,
			"Provided list of item keys contains duplicates"},
		{"F2 BatchGetItem key of the wrong type", "BatchGetItem", `{"RequestItems":{"ar_h":{"Keys":[{"pk":{"N":"1"}}]}}}`, vE,
			"The provided key element does not match the schema"},
	})
}

func TestAuditReadsM(t *testing.T) {
	srv := arServer(t)
	const vE = "ValidationException"
	tw := func(items ...string) string { return `{"TransactItems":[` + strings.Join(items, ",") + `]}` }
	put := func(pk, extra string) string {
		return `{"Put":{"TableName":"ar_h","Item":{"pk":{"S":"` + pk + `"}` + extra + `}}}`
	}
	cc := func(pk, cond string) string {
		return `{"ConditionCheck":{"TableName":"ar_h","Key":{"pk":{"S":"` + pk + `"}},"ConditionExpression":"` + cond + `"}}`
	}
	upd := func(pk, ue, vals string) string {
		v := ""
		if vals != "" {
			v = `,"ExpressionAttributeValues":{` + vals + `}`
		}
		return `{"Update":{"TableName":"ar_h","Key":{"pk":{"S":"` + pk + `"}},"UpdateExpression":"` + ue + `"` + v + `}}`
	}
	const cancelled = "Transaction cancelled, please refer cancellation reasons for specific reasons "
	const cE = "TransactionCanceledException"
	arOK(t, srv, "PutItem", `{"TableName":"ar_h","Item":{"pk":{"S":"mx"},"big":{"N":"9E+125"},"s":{"S":"str"}}}`)
	arRunChecked(t, srv, []arCheck{
		{arCase{"M1 two writes on one item", "TransactWriteItems", tw(put("h1", ""), cc("h1", "attribute_exists(pk)")), vE,
			"Transaction request cannot include multiple operations on one item"}, nil},
		{arCase{"M1 two gets of one item", "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"ar_h","Key":{"pk":{"S":"h1"}}}},{"Get":{"TableName":"ar_h","Key":{"pk":{"S":"h1"}}}}]}`, vE,
			"Transaction request cannot include multiple operations on one item"}, nil},
		{arCase{"M2 Put and Delete in one action", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"ar_h","Item":{"pk":{"S":"a"}}},"Delete":{"TableName":"ar_h","Key":{"pk":{"S":"a"}}}}]}`, vE,
			"TransactItems can only contain one of Check, Put, Update or Delete"}, nil},
		{arCase{"M3 empty action", "TransactWriteItems", `{"TransactItems":[{}]}`, vE,
			"Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"}, nil},
		{arCase{"M4 TransactWriteItems on a missing table (AWS text, F33)", "TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"nosuch","Item":{"pk":{"S":"a"}}}}]}`,
			"ResourceNotFoundException", "Requested resource not found"}, nil},
		{arCase{"M4 TransactGetItems on a missing table (AWS text, F33)", "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"nosuch","Key":{"pk":{"S":"a"}}}}]}`,
			"ResourceNotFoundException", "Requested resource not found"}, nil},
		{arCase{"M5 M9 M10 condition false in the second action", "TransactWriteItems", tw(put("n1", ""), cc("h1", "attribute_not_exists(pk)")), cE,
			cancelled + "[None, ConditionalCheckFailed]"},
			arReasons("None", "ConditionalCheckFailed: The conditional request failed")},
		{arCase{"M10 ALL_OLD puts the item in the reason", "TransactWriteItems",
			`{"TransactItems":[{"ConditionCheck":{"TableName":"ar_h","Key":{"pk":{"S":"h2"}},"ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}]}`, cE,
			cancelled + "[ConditionalCheckFailed]"},
			func(t *testing.T, body map[string]any) {
				r := body["CancellationReasons"].([]any)[0].(map[string]any)
				item, _ := json.Marshal(r["Item"])
				if string(item) != `{"pk":{"S":"h2"},"x":{"N":"2"}}` {
					t.Fatalf("reason Item %s", item)
				}
			}},
		{arCase{"M6 M17 Update of a key attribute", "TransactWriteItems", tw(upd("h1", "SET pk = :v", `":v":{"S":"z"}`)), cE, cancelled + "[ValidationError]"},
			arReasons("ValidationError: One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key")},
		{arCase{"M28 M22 number overflow", "TransactWriteItems", tw(put("n2", ""), upd("mx", "SET big = big + :v", `":v":{"N":"9E+125"}`)), cE, cancelled + "[None, ValidationError]"},
			arReasons("None", "ValidationError: Number overflow. Attempting to store a number with magnitude larger than supported range")},
		{arCase{"M28 M26 missing attribute", "TransactWriteItems", tw(upd("h3", "SET y = nope + :v", `":v":{"N":"1"}`)), cE, cancelled + "[ValidationError]"},
			arReasons("ValidationError: The provided expression refers to an attribute that does not exist in the item")},
		{arCase{"M28 M25 invalid document path", "TransactWriteItems", tw(upd("h3", "SET x.y = :v", `":v":{"N":"1"}`)), cE, cancelled + "[ValidationError]"},
			arReasons("ValidationError: The document path provided in the update expression is invalid for update")},
		{arCase{"M28 M20 operand of the wrong type", "TransactWriteItems", tw(upd("mx", "ADD s :v", `":v":{"N":"1"}`)), cE, cancelled + "[ValidationError]"},
			arReasons("ValidationError: An operand in the update expression has an incorrect data type")},
		{arCase{"M28 M21 item too large after the update", "TransactWriteItems", tw(upd("h3", "SET big = :v", `":v":{"S":"`+strings.Repeat("a", 400*1024)+`"}`)), cE, cancelled + "[ValidationError]"},
			arReasons("ValidationError: Item size to update has exceeded the maximum allowed size")},
		{arCase{"M19 index key of an unsupported type", "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"ar_t","Key":{"pk":{"S":"p"},"sk":{"N":"1"}},"UpdateExpression":"SET g1 = :v","ExpressionAttributeValues":{":v":{"N":"1"}}}}]}`, cE, cancelled + "[ValidationError]"},
			arReasons("ValidationError: One or more parameter values were invalid: Type mismatch for Index Key g1 Expected: S Actual: N IndexName: gsi1")},
	})
	t.Run("M8 payload over 4 MB", func(t *testing.T) {
		var acts []string
		for i := 0; i < 11; i++ {
			acts = append(acts, put(fmt.Sprintf("big%d", i), `,"v":{"S":"`+strings.Repeat("a", 390*1024)+`"}`))
		}
		status, body := srv.Do(t, "TransactWriteItems", tw(acts...))
		code, msg := itRawError(t, status, body)
		if status != 400 || code != vE || !strings.HasPrefix(msg, "Transaction payload size cannot exceed 4MB. Payload Size: ") {
			t.Fatalf("%d %s %q", status, code, msg)
		}
	})
	t.Run("M7 same token, different parameters", func(t *testing.T) {
		arOK(t, srv, "TransactWriteItems", `{"ClientRequestToken":"tok1","TransactItems":[`+put("i1", "")+`]}`)
		arOK(t, srv, "TransactWriteItems", `{"ClientRequestToken":"tok1","TransactItems":[`+put("i1", "")+`]}`)
		status, body := srv.Do(t, "TransactWriteItems", `{"ClientRequestToken":"tok1","TransactItems":[`+put("i2", "")+`]}`)
		code, _ := itRawError(t, status, body)
		if status != 400 || code != "IdempotentParameterMismatchException" {
			t.Fatalf("%d %s", status, body)
		}
	})
}

// arJSON renders a decoded member as compact JSON (map keys sorted).
func arJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAuditReadsPaging checks behaviours.md §7-§8: Limit before the
// filter, Count/ScannedCount, LastEvaluatedKey presence and contents on a
// table, an LSI and a GSI, and parallel scan segments.
func TestAuditReadsPaging(t *testing.T) {
	srv := arServer(t)
	t.Run("B7 Limit then filter: an empty page with LastEvaluatedKey", func(t *testing.T) {
		out := arOK(t, srv, "Query", arQ("pk = :p", arP+`,":z":{"N":"99"}`, `,"Limit":4,"FilterExpression":"x = :z"`))
		if arJSON(t, out["Items"]) != "[]" || out["Count"] != 0.0 || out["ScannedCount"] != 4.0 || out["LastEvaluatedKey"] == nil {
			t.Fatalf("%v", out)
		}
	})
	t.Run("B7 Limit equal to the remaining items still returns LastEvaluatedKey", func(t *testing.T) {
		out := arOK(t, srv, "Query", arQ("pk = :p", arP, `,"Limit":5`))
		if got := arJSON(t, out["LastEvaluatedKey"]); got != `{"pk":{"S":"p"},"sk":{"N":"5"}}` {
			t.Fatalf("LastEvaluatedKey %s", got)
		}
		out = arOK(t, srv, "Query", arQ("pk = :p", arP, `,"ExclusiveStartKey":{"pk":{"S":"p"},"sk":{"N":"5"}}`))
		if out["Count"] != 0.0 || out["LastEvaluatedKey"] != nil {
			t.Fatalf("%v", out)
		}
	})
	t.Run("B7 Select COUNT has Count and ScannedCount but no Items", func(t *testing.T) {
		out := arOK(t, srv, "Scan", `{"TableName":"ar_t","Select":"COUNT","FilterExpression":"x > :n","ExpressionAttributeValues":{":n":{"N":"2"}}}`)
		if _, ok := out["Items"]; ok || out["Count"] != 3.0 || out["ScannedCount"] != 5.0 {
			t.Fatalf("%v", out)
		}
	})
	for _, tc := range []struct{ name, body, lek string }{
		{"B7 table LastEvaluatedKey is the table key", arQ("pk = :p", arP, `,"Limit":1`), `{"pk":{"S":"p"},"sk":{"N":"1"}}`},
		{"B7 LSI LastEvaluatedKey is the table key and the LSI sort key", arQ("pk = :p", arP, `,"Limit":1,"IndexName":"lsi1"`),
			`{"l1":{"S":"l1"},"pk":{"S":"p"},"sk":{"N":"5"}}`},
		{"B7 GSI LastEvaluatedKey is the table key and the GSI key", arQ("g1 = :g", arIdx, `,"Limit":1,"IndexName":"gsi1"`),
			`{"g1":{"S":"g"},"g2":{"N":"1"},"pk":{"S":"p"},"sk":{"N":"1"}}`},
		{"B7 GSI Scan LastEvaluatedKey is the table key and the GSI key", `{"TableName":"ar_t","IndexName":"gsi1","Limit":1}`,
			`{"g1":{"S":"g"},"g2":{"N":"1"},"pk":{"S":"p"},"sk":{"N":"1"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op := "Scan"
			if strings.Contains(tc.body, "KeyConditionExpression") {
				op = "Query"
			}
			out := arOK(t, srv, op, tc.body)
			if got := arJSON(t, out["LastEvaluatedKey"]); got != tc.lek {
				t.Fatalf("LastEvaluatedKey %s, want %s", got, tc.lek)
			}
			// The key resumes the read after the first item.
			var body map[string]any
			if err := json.Unmarshal([]byte(tc.body), &body); err != nil {
				t.Fatal(err)
			}
			body["ExclusiveStartKey"] = out["LastEvaluatedKey"]
			delete(body, "Limit")
			next := arOK(t, srv, op, arJSON(t, body))
			if next["Count"] != 4.0 {
				t.Fatalf("resumed read: %v", next)
			}
		})
	}
	t.Run("B8 parallel scan segments cover the table exactly once", func(t *testing.T) {
		for _, total := range []int{1, 2, 4, 20} {
			seen := map[string]int{}
			for seg := 0; seg < total; seg++ {
				var esk string
				for {
					out := arOK(t, srv, "Scan", fmt.Sprintf(`{"TableName":"ar_h","Segment":%d,"TotalSegments":%d,"Limit":2%s}`, seg, total, esk))
					for _, it := range out["Items"].([]any) {
						seen[arJSON(t, it.(map[string]any)["pk"])]++
					}
					if out["LastEvaluatedKey"] == nil {
						break
					}
					esk = `,"ExclusiveStartKey":` + arJSON(t, out["LastEvaluatedKey"])
				}
			}
			if len(seen) != 12 {
				t.Fatalf("TotalSegments %d: %d distinct items, want 12", total, len(seen))
			}
			for k, n := range seen {
				if n != 1 {
					t.Fatalf("TotalSegments %d: %s seen %d times", total, k, n)
				}
			}
		}
	})
}

// TestAuditReadsCapacity checks behaviours.md §6 and §13 for the
// multi-item writes: INDEXES breakdowns, ItemCollectionMetrics on a table
// with an LSI, double transactional cost and the idempotent replay.
func TestAuditReadsCapacity(t *testing.T) {
	srv := arServer(t)
	item := func(sk int) string {
		return fmt.Sprintf(`{"pk":{"S":"c"},"sk":{"N":"%d"},"l1":{"S":"l"},"g1":{"S":"g"},"g2":{"N":"1"}}`, sk)
	}
	t.Run("B6 BatchWriteItem reports index capacity and item collections", func(t *testing.T) {
		out := arOK(t, srv, "BatchWriteItem", `{"ReturnConsumedCapacity":"INDEXES","ReturnItemCollectionMetrics":"SIZE","RequestItems":{
			"ar_t":[{"PutRequest":{"Item":`+item(1)+`}},{"PutRequest":{"Item":`+item(2)+`}}],"ar_h":[{"PutRequest":{"Item":{"pk":{"S":"c"}}}}]}}`)
		cc := arJSON(t, out["ConsumedCapacity"])
		// One entry per table (Petrel lists them by table name; DynamoDB
		// promises no order).
		want := `[{"CapacityUnits":1,"Table":{"CapacityUnits":1},"TableName":"ar_h"},` +
			`{"CapacityUnits":8,"GlobalSecondaryIndexes":{"gall":{"CapacityUnits":2},"gsi1":{"CapacityUnits":2}},"LocalSecondaryIndexes":{"lsi1":{"CapacityUnits":2}},"Table":{"CapacityUnits":2},"TableName":"ar_t"}]`
		if cc != want {
			t.Fatalf("ConsumedCapacity\ngot  %s\nwant %s", cc, want)
		}
		icm := arJSON(t, out["ItemCollectionMetrics"])
		wantICM := `{"ar_t":[{"ItemCollectionKey":{"pk":{"S":"c"}},"SizeEstimateRangeGB":[0,1]},{"ItemCollectionKey":{"pk":{"S":"c"}},"SizeEstimateRangeGB":[0,1]}]}`
		if icm != wantICM {
			t.Fatalf("ItemCollectionMetrics\ngot  %s\nwant %s", icm, wantICM)
		}
	})
	t.Run("B6 BatchWriteItem delete on an LSI table (TOTAL includes the indexes)", func(t *testing.T) {
		out := arOK(t, srv, "BatchWriteItem", `{"ReturnConsumedCapacity":"TOTAL","RequestItems":{"ar_t":[{"DeleteRequest":{"Key":{"pk":{"S":"c"},"sk":{"N":"2"}}}}]}}`)
		if cc := arJSON(t, out["ConsumedCapacity"]); cc != `[{"CapacityUnits":4,"TableName":"ar_t"}]` {
			t.Fatalf("ConsumedCapacity %s", cc)
		}
	})
	t.Run("B13 TransactWriteItems costs double, index parts included", func(t *testing.T) {
		out := arOK(t, srv, "TransactWriteItems", `{"ReturnConsumedCapacity":"INDEXES","ReturnItemCollectionMetrics":"SIZE","ClientRequestToken":"cap1",
			"TransactItems":[{"Put":{"TableName":"ar_t","Item":`+item(3)+`}}]}`)
		cc := arJSON(t, out["ConsumedCapacity"])
		want := `[{"CapacityUnits":8,"GlobalSecondaryIndexes":{"gall":{"CapacityUnits":2},"gsi1":{"CapacityUnits":2}},"LocalSecondaryIndexes":{"lsi1":{"CapacityUnits":2}},"Table":{"CapacityUnits":2},"TableName":"ar_t"}]`
		if cc != want {
			t.Fatalf("ConsumedCapacity\ngot  %s\nwant %s", cc, want)
		}
		if icm := arJSON(t, out["ItemCollectionMetrics"]); icm != `{"ar_t":[{"ItemCollectionKey":{"pk":{"S":"c"}},"SizeEstimateRangeGB":[0,1]}]}` {
			t.Fatalf("ItemCollectionMetrics %s", icm)
		}
		// The replay writes nothing and reports reading the item.
		out = arOK(t, srv, "TransactWriteItems", `{"ReturnConsumedCapacity":"TOTAL","ClientRequestToken":"cap1",
			"TransactItems":[{"Put":{"TableName":"ar_t","Item":`+item(3)+`}}]}`)
		if cc := arJSON(t, out["ConsumedCapacity"]); !strings.Contains(cc, `"TableName":"ar_t"`) {
			t.Fatalf("replay ConsumedCapacity %s", cc)
		}
	})
}
