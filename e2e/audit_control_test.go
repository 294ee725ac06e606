package e2e

// Fidelity audit of errors.md sections A-E (protocol and routing,
// serialization and AttributeValue shape, model constraints, control plane,
// Time to Live) and behaviours.md sections 10, 11 and 15. Every case names
// the errors.md row it checks. Where a [ddblocal-probe] row and an AWS row
// ([doc]/[aws-report], or the documented "N validation error(s) detected"
// format for a model constraint) cover the same situation, the AWS answer is
// asserted and the case name says so.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// auditCase is one request and the error DynamoDB answers it with.
type auditCase struct {
	name   string   // starts with the errors.md row id
	setup  []string // "Target body" requests that must succeed first
	target string
	body   string
	code   string // error code (after '#'); "" with status 200 for a success
	msg    string // exact message; "" = checked by prefix/suffix only
	prefix string
	suffix string
}

// auditDo runs c against srv.
func auditDo(t *testing.T, srv *servertest.Server, c auditCase) {
	t.Helper()
	for _, s := range c.setup {
		target, body, _ := strings.Cut(s, " ")
		if st, b := srv.Do(t, target, body); st != http.StatusOK {
			t.Fatalf("setup %s: %d %s", target, st, b)
		}
	}
	status, body := srv.Do(t, c.target, c.body)
	auditCheck(t, c, status, body)
}

func auditCheck(t *testing.T, c auditCase, status int, body []byte) {
	t.Helper()
	if c.code == "" {
		if status != http.StatusOK {
			t.Fatalf("status %d %s, want 200", status, body)
		}
		return
	}
	if status != http.StatusBadRequest {
		t.Fatalf("status %d %s, want 400", status, body)
	}
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	if _, code, _ := strings.Cut(e.Type, "#"); code != c.code {
		t.Errorf("code %s (%q), want %s", e.Type, e.Message, c.code)
	}
	if c.msg != "" && e.Message != c.msg {
		t.Errorf("message\n got %q\nwant %q", e.Message, c.msg)
	}
	if !strings.HasPrefix(e.Message, c.prefix) || !strings.HasSuffix(e.Message, c.suffix) {
		t.Errorf("message %q, want prefix %q and suffix %q", e.Message, c.prefix, c.suffix)
	}
	// AWS spells the key "Message" in SerializationException bodies (B11),
	// "message" elsewhere; encoding/json above matches either.
	key := `"message":`
	if c.code == "SerializationException" {
		key = `"Message":`
	}
	if !strings.Contains(string(body), key) {
		t.Errorf("error body %s has no %s key", body, key)
	}
	if ns := auditNamespace(c.code); !strings.HasPrefix(e.Type, ns) {
		t.Errorf("__type %q, want namespace %q", e.Type, ns)
	}
}

// auditNamespace is the __type namespace DynamoDB uses for code (errors.md,
// "How errors look on the wire").
func auditNamespace(code string) string {
	switch code {
	case "ValidationException":
		return "com.amazon.coral.validate#"
	case "SerializationException", "UnknownOperationException", "MissingAuthenticationTokenException",
		"IncompleteSignatureException", "UnrecognizedClientException":
		return "com.amazon.coral.service#"
	}
	return "com.amazonaws.dynamodb.v20120810#"
}

// auditTable is a CreateTable body for an on-demand table with key pk (S).
func auditTable(name string) string {
	return `CreateTable {"TableName":"` + name + `","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],` +
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`
}

// auditComposite is a CreateTable body for an on-demand table with key pk
// (S) + sk (N).
func auditComposite(name string) string {
	return `CreateTable {"TableName":"` + name + `","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],` +
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"}`
}

const (
	auditDefsPK   = `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]`
	auditKeyPK    = `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]`
	auditOnDemand = `"BillingMode":"PAY_PER_REQUEST"`
	// auditDefs3 defines pk, sk and x (all S) for index cases.
	auditDefs3 = `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}]`
	auditKey2  = `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]`
)

func auditLSI(name, rangeKey, proj string) string {
	return `{"IndexName":"` + name + `","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"` + rangeKey + `","KeyType":"RANGE"}],"Projection":` + proj + `}`
}

func auditGSI(name, proj string) string {
	return `{"IndexName":"` + name + `","KeySchema":[{"AttributeName":"x","KeyType":"HASH"}],"Projection":` + proj + `}`
}

func TestAuditControlProtocol(t *testing.T) {
	srv := servertest.Start(t)
	send := func(t *testing.T, method, target, body string, sign bool) (int, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL()+"/", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if target != "" {
			req.Header.Set("X-Amz-Target", target)
		}
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		if sign {
			servertest.Sign(t, req, servertest.AccessKey, servertest.SecretKey, servertest.Region, time.Now(), body)
		}
		resp, err := srv.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, b
	}
	cases := []struct {
		c            auditCase
		method, tgt  string
		sign         bool
		skipDoCheck  bool
		wantHealthOK bool
	}{
		{c: auditCase{name: "A1 unknown operation", code: "UnknownOperationException", msg: "An unknown operation was requested."},
			method: http.MethodPost, tgt: "DynamoDB_20120810.FooBar", sign: true},
		{c: auditCase{name: "A2/A5 unsigned request (AWS text, A5)", code: "MissingAuthenticationTokenException",
			msg: "Request must contain a valid (registered) AWS Access Key ID."},
			method: http.MethodPost, tgt: "DynamoDB_20120810.ListTables"},
		{c: auditCase{name: "A4 unknown Streams operation", code: "UnknownOperationException", msg: "An unknown operation was requested."},
			method: http.MethodPost, tgt: "DynamoDBStreams_20120810.Foo", sign: true},
		{c: auditCase{name: "A9 the 2011 API", code: "InvalidAction", msg: "DynamoDB Local does not support v1 API."},
			method: http.MethodPost, tgt: "DynamoDB_20111205.ListTables", sign: true},
	}
	for _, tc := range cases {
		t.Run(tc.c.name, func(t *testing.T) {
			status, body := send(t, tc.method, tc.tgt, "{}", tc.sign)
			auditCheck(t, tc.c, status, body)
		})
	}
	t.Run("A6/A7 with signature verification", func(t *testing.T) {
		authed := servertest.Start(t, servertest.WithAuth(servertest.DefaultCredentials))
		call := func(t *testing.T, mutate func(*http.Request), access string) (int, []byte) {
			req, err := http.NewRequest(http.MethodPost, authed.URL()+"/", strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			servertest.Sign(t, req, access, servertest.SecretKey, servertest.Region, time.Now(), "{}")
			if mutate != nil {
				mutate(req)
			}
			resp, err := authed.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode, b
		}
		st, b := call(t, func(r *http.Request) {
			h := r.Header.Get("Authorization")
			i := strings.Index(h, "/")
			j := strings.Index(h, ",")
			r.Header.Set("Authorization", h[:i]+"/nodate"+h[j:]) // a credential scope without its parts
		}, servertest.AccessKey)
		auditCheck(t, auditCase{code: "IncompleteSignatureException", msg: "The request signature does not conform to AWS standards."}, st, b)
		st, b = call(t, nil, "AKIDUNKNOWN")
		auditCheck(t, auditCase{code: "UnrecognizedClientException", msg: "The Access Key ID or security token is invalid."}, st, b)
	})
	t.Run("A3 GET / is AWS's health check (behaviours.md 15), not DynamoDB Local's MissingAuthenticationToken", func(t *testing.T) {
		status, body := send(t, http.MethodGet, "", "", false)
		if status != http.StatusOK || !strings.HasPrefix(string(body), "healthy: ") {
			t.Fatalf("GET / = %d %q", status, body)
		}
	})
	t.Run("behaviours 15 response headers", func(t *testing.T) {
		for _, tgt := range []string{"DynamoDB_20120810.ListTables", "DynamoDB_20120810.FooBar"} {
			req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/", strings.NewReader("{}"))
			req.Header.Set("X-Amz-Target", tgt)
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			servertest.Sign(t, req, servertest.AccessKey, servertest.SecretKey, servertest.Region, time.Now(), "{}")
			resp, err := srv.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body) //nolint:errcheck
			resp.Body.Close()
			for _, h := range []string{"x-amzn-RequestId", "x-amz-crc32", "Content-Length", "Date"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("%s: no %s header", tgt, h)
				}
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.0" {
				t.Errorf("%s: Content-Type %q", tgt, ct)
			}
		}
	})
	t.Run("behaviours 15 unknown members are ignored", func(t *testing.T) {
		status, body := send(t, http.MethodPost, "DynamoDB_20120810.ListTables", `{"NoSuchMember":1,"Limit":5}`, true)
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
	})
}

func TestAuditControlSerialization(t *testing.T) {
	srv := servertest.Start(t)
	if st, b := srv.Do(t, "CreateTable", strings.TrimPrefix(auditTable("tbl_ser"), "CreateTable ")); st != http.StatusOK {
		t.Fatalf("%d %s", st, b)
	}
	put := func(v string) string { return `{"TableName":"tbl_ser","Item":{"pk":{"S":"a"},"v":` + v + `}}` }
	const empty = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	cases := []auditCase{
		{name: "B1 empty AttributeValue", target: "PutItem", body: put(`{}`), code: "ValidationException", msg: empty},
		{name: "B2 unknown type key", target: "PutItem", body: put(`{"X":"a"}`), code: "ValidationException", msg: empty},
		{name: "B3 S null", target: "PutItem", body: put(`{"S":null}`), code: "ValidationException", msg: empty},
		{name: "B4 two type keys", target: "PutItem", body: put(`{"S":"x","N":"1"}`), code: "ValidationException",
			msg: "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{name: "B5 NULL false", target: "PutItem", body: put(`{"NULL":false}`), code: "ValidationException",
			msg: "One or more parameter values were invalid: Null attribute value types must have the value of true"},
		{name: "B6/C15 TableName null (AWS form)", target: "PutItem", body: `{"TableName":null,"Item":{"pk":{"S":"a"}}}`, code: "ValidationException",
			msg: "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{name: "B7/C15 PutItem without TableName (AWS form)", target: "PutItem", body: `{"Item":{"pk":{"S":"a"}}}`, code: "ValidationException",
			msg: "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{name: "B8 N as a JSON number", target: "PutItem", body: put(`{"N":5}`), code: "SerializationException",
			msg: "NUMBER_VALUE cannot be converted to String"},
		{name: "B8 number where a string member is expected", target: "DescribeTable", body: `{"TableName":5}`, code: "SerializationException",
			msg: "NUMBER_VALUE cannot be converted to String"},
		{name: "B10 object in SS", target: "PutItem", body: put(`{"SS":{"a":"b"}}`), code: "SerializationException",
			msg: "Start of structure or map found where not expected"},
		{name: "B10 object as a string member", target: "DescribeTable", body: `{"TableName":{}}`, code: "SerializationException",
			msg: "Start of structure or map found where not expected"},
		{name: "B11 array in B", target: "PutItem", body: put(`{"B":["AA=="]}`), code: "SerializationException",
			msg: "Start of list found where not expected"},
		{name: "B12 string where a map is expected", target: "PutItem",
			body: `{"TableName":"tbl_ser","Item":{"pk":{"S":"a"}},"ExpressionAttributeNames":"{\"#a\":\"a\"}"}`, code: "SerializationException",
			msg: "Unexpected field type"},
		{name: "B13 string where a Long is expected", target: "CreateTable",
			body: `{"TableName":"tbl_ser13",` + auditDefsPK + `,` + auditKeyPK + `,"ProvisionedThroughput":{"ReadCapacityUnits":"5","WriteCapacityUnits":5}}`,
			code: "SerializationException", msg: "class java.lang.String can not be converted to an Long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { auditDo(t, srv, c) })
	}
}

func TestAuditControlModelConstraints(t *testing.T) {
	srv := servertest.Start(t)
	for _, s := range []string{auditTable("tbl_mc"), auditComposite("tbl_mc2")} {
		target, body, _ := strings.Cut(s, " ")
		if st, b := srv.Do(t, target, body); st != http.StatusOK {
			t.Fatalf("%d %s", st, b)
		}
	}
	check := func(i int) string {
		return fmt.Sprintf(`{"ConditionCheck":{"TableName":"tbl_mc","Key":{"pk":{"S":"c%d"}},"ConditionExpression":"attribute_not_exists(pk)"}}`, i)
	}
	actions := make([]string, 101)
	for i := range actions {
		actions[i] = check(i)
	}
	puts := make([]string, 26)
	for i := range puts {
		puts[i] = fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"p%d"}}}}`, i)
	}
	token := strings.Repeat("t", 37)
	stmt := "SELECT * FROM tbl_mc WHERE pk = '" + strings.Repeat("x", 8200-30) + "'"
	cases := []auditCase{
		{name: "C1 ReturnValuesOnConditionCheckFailure ALL_NEW", target: "PutItem",
			body: `{"TableName":"tbl_mc","Item":{"pk":{"S":"a"}},"ReturnValuesOnConditionCheckFailure":"ALL_NEW"}`, code: "ValidationException",
			msg: "1 validation error detected: Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]"},
		{name: "C2 TotalSegments 1000001", target: "Scan", body: `{"TableName":"tbl_mc","Segment":0,"TotalSegments":1000001}`, code: "ValidationException",
			msg: "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000"},
		{name: "C3 Segment 2 of 2", target: "Scan", body: `{"TableName":"tbl_mc","Segment":2,"TotalSegments":2}`, code: "ValidationException",
			msg: "1 validation error detected: Value '2' at 'segment' failed to satisfy constraint: Member must have value less than or equal to 1"},
		// DynamoDB Local reports the computed maximum; the model's min 0 is
		// checked first, as errors.md C4 says AWS would.
		{name: "C4 Segment -1 of 2 (model min, AWS form)", target: "Scan", body: `{"TableName":"tbl_mc","Segment":-1,"TotalSegments":2}`, code: "ValidationException",
			msg: "1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{name: "C5 ExecuteStatement Limit 0", target: "ExecuteStatement", body: `{"Statement":"SELECT * FROM tbl_mc","Limit":0}`, code: "ValidationException",
			msg: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "C6 Streams GetRecords Limit 0", target: "DynamoDBStreams_20120810.GetRecords", body: `{"ShardIterator":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","Limit":0}`,
			code: "ValidationException",
			msg:  "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "C7 Streams ListStreams Limit 0", target: "DynamoDBStreams_20120810.ListStreams", body: `{"Limit":0}`, code: "ValidationException",
			msg: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "C8 ConditionCheck without ConditionExpression (AWS form)", target: "TransactWriteItems",
			body: `{"TransactItems":[{"ConditionCheck":{"TableName":"tbl_mc","Key":{"pk":{"S":"a"}}}}]}`, code: "ValidationException",
			msg: "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null"},
		{name: "C9 ClientRequestToken of 37 characters (AWS form)", target: "TransactWriteItems",
			body: `{"TransactItems":[` + check(0) + `],"ClientRequestToken":"` + token + `"}`, code: "ValidationException",
			msg: "1 validation error detected: Value '" + token + "' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36"},
		{name: "C10 TransactItems [] (AWS form)", target: "TransactWriteItems", body: `{"TransactItems":[]}`, code: "ValidationException",
			msg: "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "C11 101 TransactItems (AWS form)", target: "TransactWriteItems", body: `{"TransactItems":[` + strings.Join(actions, ",") + `]}`,
			code: "ValidationException", prefix: "1 validation error detected: Value '[",
			suffix: "]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100"},
		{name: "C12 8,200-character statement (AWS form)", target: "ExecuteStatement", body: `{"Statement":"` + stmt + `"}`, code: "ValidationException",
			msg: "1 validation error detected: Value '" + stmt + "' at 'statement' failed to satisfy constraint: Member must have length less than or equal to 8192"},
		{name: "C13 TableName pattern", target: "DescribeTable", body: `{"TableName":"\"smart-dcb-messages\""}`, code: "ValidationException",
			msg: `1 validation error detected: Value '"smart-dcb-messages"' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`},
		{name: "C14 empty KeySchema", target: "CreateTable", body: `{"TableName":"tbl_c14",` + auditDefsPK + `,"KeySchema":[],` + auditOnDemand + `}`,
			code: "ValidationException",
			msg:  "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "C15 missing TableName", target: "DescribeTable", body: `{}`, code: "ValidationException",
			msg: "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{name: "C16 26 requests for one table", target: "BatchWriteItem", body: `{"RequestItems":{"tbl_mc":[` + strings.Join(puts, ",") + `]}}`,
			code: "ValidationException", prefix: "1 validation error detected: Value '{",
			suffix: "}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"},
		{name: "C format two errors joined by '; '", target: "CreateTable", body: `{"TableName":"ab",` + auditDefsPK + `}`, code: "ValidationException",
			msg: "2 validation errors detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
				"Value null at 'keySchema' failed to satisfy constraint: Member must not be null"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { auditDo(t, srv, c) })
	}
}

func TestAuditControlPlane(t *testing.T) {
	srv := servertest.Start(t)
	create := func(name, rest string) string {
		return `{"TableName":"tbl_` + name + `",` + rest + `}`
	}
	pt := `"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}`
	const allProj = `{"ProjectionType":"ALL"}`
	const (
		msgTableNotFound = "Requested resource not found: Table: %s not found"
		mismatch         = "The number of attributes in key schema must match the number of attributes defined in attribute definitions."
		msgNames         = "Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive"
	)
	wide := strings.Repeat("é", 200)
	lsis := func(n int) string {
		var s []string
		for i := range n {
			s = append(s, auditLSI(fmt.Sprintf("lsi%d", i), "x", allProj))
		}
		return `"LocalSecondaryIndexes":[` + strings.Join(s, ",") + `]`
	}
	gsis := func(n int) string {
		var s []string
		for i := range n {
			s = append(s, auditGSI(fmt.Sprintf("gsi%d", i), allProj))
		}
		return `"GlobalSecondaryIndexes":[` + strings.Join(s, ",") + `]`
	}
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf(`"a%d"`, i)
	}
	cases := []auditCase{
		{name: "D1 TableName ab (model constraint, AWS form)", target: "CreateTable",
			body: `{"TableName":"ab",` + auditDefsPK + "," + auditKeyPK + "," + auditOnDemand + `}`, code: "ValidationException",
			msg: "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{name: "D1 TableName with an invalid character (AWS form, C13)", target: "CreateTable",
			body: `{"TableName":"a b c",` + auditDefsPK + "," + auditKeyPK + "," + auditOnDemand + `}`, code: "ValidationException",
			msg: "1 validation error detected: Value 'a b c' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
		{name: "D1 TableName missing in CreateTable (AWS form)", target: "CreateTable",
			body: `{` + auditDefsPK + "," + auditKeyPK + "," + auditOnDemand + `}`, code: "ValidationException",
			msg: "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{name: "D2 no KeySchema (AWS form)", target: "CreateTable", body: create("d2", auditDefsPK+","+auditOnDemand), code: "ValidationException",
			msg: "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null"},
		{name: "D3 no AttributeDefinitions (AWS form)", target: "CreateTable", body: create("d3", auditKeyPK+","+auditOnDemand), code: "ValidationException",
			msg: "1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null"},
		{name: "D3 empty AttributeDefinitions", target: "CreateTable", body: create("d3", `"AttributeDefinitions":[],`+auditKeyPK+","+auditOnDemand),
			code: "ValidationException", msg: "No Attribute Schema Defined"},
		{name: "D4 three KeySchema elements", target: "CreateTable",
			body: create("d4", auditDefs3+`,"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"},{"AttributeName":"x","KeyType":"RANGE"}],`+auditOnDemand),
			code: "ValidationException", msg: "Key Schema too big.  Key Schema must at most consist of the hash and range key of a table"},
		{name: "D5 two HASH keys", target: "CreateTable",
			body: create("d5", auditDefs3+`,"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"HASH"}],`+auditOnDemand),
			code: "ValidationException", msg: "Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key"},
		{name: "D6 RANGE before HASH", target: "CreateTable",
			body: create("d6", auditDefs3+`,"KeySchema":[{"AttributeName":"sk","KeyType":"RANGE"},{"AttributeName":"pk","KeyType":"HASH"}],`+auditOnDemand),
			code: "ValidationException", msg: "Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second"},
		{name: "D7 only a RANGE key", target: "CreateTable",
			body: create("d7", auditDefsPK+`,"KeySchema":[{"AttributeName":"pk","KeyType":"RANGE"}],`+auditOnDemand),
			code: "ValidationException", msg: "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key"},
		{name: "D8 same attribute as HASH and RANGE", target: "CreateTable",
			body: create("d8", auditDefsPK+`,"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"pk","KeyType":"RANGE"}],`+auditOnDemand),
			code: "ValidationException", msg: "Two keys can not have the same name"},
		{name: "D9 key attribute not defined", target: "CreateTable",
			body: create("d9", `"AttributeDefinitions":[{"AttributeName":"other","AttributeType":"S"}],`+auditKeyPK+","+auditOnDemand),
			code: "ValidationException", msg: "Hash Key not specified in Attribute Definitions.  Type unknown."},
		{name: "D10 unused attribute definition", target: "CreateTable",
			body: create("d10", auditDefs3+","+auditKeyPK+","+auditOnDemand), code: "ValidationException", msg: mismatch},
		{name: "D11 attribute defined twice", target: "CreateTable",
			body: create("d11", `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"pk","AttributeType":"S"}],`+auditKeyPK+","+auditOnDemand),
			code: "ValidationException", msg: "Cannot have two attributes with the same name"},
		{name: "D12 AttributeType BOOL (AWS form of the model enum)", target: "CreateTable",
			body: create("d12", `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"BOOL"}],`+auditKeyPK+","+auditOnDemand),
			code: "ValidationException",
			msg:  "1 validation error detected: Value 'BOOL' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"},
		{name: "D13 empty key AttributeName (model min, AWS form)", target: "CreateTable",
			body: create("d13", `"AttributeDefinitions":[{"AttributeName":"","AttributeType":"S"}],"KeySchema":[{"AttributeName":"","KeyType":"HASH"}],`+auditOnDemand),
			code: "ValidationException",
			msg: "2 validation errors detected: Value '' at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "D13 key name of 200 characters but 400 bytes", target: "CreateTable",
			body: create("d13b", `"AttributeDefinitions":[{"AttributeName":"`+wide+`","AttributeType":"S"}],"KeySchema":[{"AttributeName":"`+wide+`","KeyType":"HASH"}],`+auditOnDemand),
			code: "ValidationException", msg: msgNames},
		{name: "D13 projected name of 400 bytes", target: "CreateTable",
			body: create("d13c", auditDefs3+","+auditKey2+","+auditOnDemand+`,"LocalSecondaryIndexes":[`+auditLSI("lsi", "x", `{"ProjectionType":"INCLUDE","NonKeyAttributes":["`+wide+`"]}`)+`]`),
			code: "ValidationException", msg: msgNames},
		{name: "D14 PROVISIONED without ProvisionedThroughput", target: "CreateTable",
			body: create("d14", auditDefsPK+","+auditKeyPK), code: "ValidationException", msg: "No provisioned throughput specified for the table"},
		{name: "D15 ReadCapacityUnits 0 (model min, AWS form)", target: "CreateTable",
			body: create("d15", auditDefsPK+","+auditKeyPK+`,"ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":5}`),
			code: "ValidationException",
			msg:  "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "D16 ReadCapacityUnits 40001", target: "CreateTable",
			body: create("d16", auditDefsPK+","+auditKeyPK+`,"ProvisionedThroughput":{"ReadCapacityUnits":40001,"WriteCapacityUnits":5}`),
			code: "ValidationException", msg: "Cannot increase provisioned throughput to more than 40,000 units per table"},
		{name: "D17/D47 existing table (AWS text)", setup: []string{auditTable("tbl_d17")}, target: "CreateTable",
			body: strings.TrimPrefix(auditTable("tbl_d17"), "CreateTable "), code: "ResourceInUseException", msg: "Table already exists: tbl_d17"},
		{name: "D18 LSI on a hash-only table", target: "CreateTable",
			body: create("d18", `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}],`+auditKeyPK+","+auditOnDemand+
				`,"LocalSecondaryIndexes":[`+auditLSI("lsi", "x", allProj)+`]`),
			code: "ValidationException", msg: "Local Secondary indices are not allowed on hash tables, only hash and range tables"},
		{name: "D19 LSI with another hash key", target: "CreateTable",
			body: create("d19", auditDefs3+","+auditKey2+","+auditOnDemand+
				`,"LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"x","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]`),
			code: "ValidationException", msg: "Local Secondary indices must have the same hash key as the main table"},
		{name: "D20 six LSIs", target: "CreateTable", body: create("d20", auditDefs3+","+auditKey2+","+auditOnDemand+","+lsis(6)),
			code: "ValidationException", msg: "Cannot have more than 5 local secondary indexes per table"},
		{name: "D21 two LSIs with the same name", target: "CreateTable",
			body: create("d21", auditDefs3+","+auditKey2+","+auditOnDemand+`,"LocalSecondaryIndexes":[`+auditLSI("lsi", "x", allProj)+","+auditLSI("lsi", "x", allProj)+`]`),
			code: "ValidationException", msg: "Two local secondary indices have the same name"},
		{name: "D22 INCLUDE without NonKeyAttributes", target: "CreateTable",
			body: create("d22", auditDefs3+","+auditKey2+","+auditOnDemand+`,"LocalSecondaryIndexes":[`+auditLSI("lsi", "x", `{"ProjectionType":"INCLUDE"}`)+`]`),
			code: "ValidationException", msg: "If Projection type INCLUDE is specified, some non-key attributes to include in the projection must be specified as well"},
		{name: "D23 ALL with NonKeyAttributes", target: "CreateTable",
			body: create("d23", auditDefs3+","+auditKey2+","+auditOnDemand+`,"LocalSecondaryIndexes":[`+auditLSI("lsi", "x", `{"ProjectionType":"ALL","NonKeyAttributes":["a"]}`)+`]`),
			code: "ValidationException", msg: "No attributes should be specified to be projected unless projection type is INCLUDE"},
		{name: "D24 index without Projection (AWS form of the required member)", target: "CreateTable",
			body: create("d24", auditDefs3+","+auditKey2+","+auditOnDemand+
				`,"LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"x","KeyType":"RANGE"}]}]`),
			code: "ValidationException",
			msg:  "1 validation error detected: Value null at 'localSecondaryIndexes.1.member.projection' failed to satisfy constraint: Member must not be null"},
		{name: "D25 LocalSecondaryIndexes []", target: "CreateTable", body: create("d25", auditDefs3+","+auditKey2+","+auditOnDemand+`,"LocalSecondaryIndexes":[]`),
			code: "ValidationException", msg: mismatch},
		{name: "D26 LSI range key not defined", target: "CreateTable",
			body: create("d26", `"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],`+auditKey2+","+auditOnDemand+
				`,"LocalSecondaryIndexes":[`+auditLSI("lsi", "y", allProj)+`]`),
			code: "ValidationException", msg: "Local Secondary Index range key not specified in Attribute Definitions.Type unknown."},
		{name: "D27 too many projected attributes (model max 20 per index, AWS form)", target: "CreateTable",
			body: create("d27", auditDefs3+","+auditKey2+","+auditOnDemand+`,"LocalSecondaryIndexes":[`+
				auditLSI("lsi", "x", `{"ProjectionType":"INCLUDE","NonKeyAttributes":[`+strings.Join(many, ",")+`]}`)+`]`),
			code: "ValidationException", prefix: "1 validation error detected: Value '[",
			suffix: "]' at 'localSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member must have length less than or equal to 20"},
		{name: "D27 more than 100 projected attributes over all indexes (limits.md 5)", target: "CreateTable",
			body: create("d27b", auditDefs3+","+auditKey2+","+auditOnDemand+`,"GlobalSecondaryIndexes":[`+strings.Join(func() []string {
				var g []string
				for i := range 6 {
					g = append(g, auditGSI(fmt.Sprintf("gsi%d", i), `{"ProjectionType":"INCLUDE","NonKeyAttributes":[`+strings.Join(many[:20], ",")+`]}`))
				}
				return g
			}(), ",")+`]`),
			code: "ValidationException", msg: "One or more parameter values were invalid: Number of projected attributes in all indexes exceeds limit of 100, provided: 120"},
		{name: "D28 duplicate NonKeyAttributes", target: "CreateTable",
			body: create("d28", auditDefs3+","+auditKey2+","+auditOnDemand+`,"LocalSecondaryIndexes":[`+auditLSI("lsi", "x", `{"ProjectionType":"INCLUDE","NonKeyAttributes":["a","a"]}`)+`]`),
			code: "ValidationException", msg: "Cannot have two attributes with the same name"},
		{name: "D28 duplicate AttributesToGet", setup: []string{auditTable("tbl_d28b")}, target: "GetItem",
			body: `{"TableName":"tbl_d28b","Key":{"pk":{"S":"a"}},"AttributesToGet":["a","a"]}`,
			code: "ValidationException", msg: "Cannot have two attributes with the same name"},
		{name: "D29 21 GSIs", target: "CreateTable", body: create("d29", auditDefs3+","+auditKey2+","+auditOnDemand+","+gsis(21)),
			code: "ValidationException", msg: "GlobalSecondaryIndex count exceeds the per-table limit"},
		{name: "D30 GSI without ProvisionedThroughput on a PROVISIONED table", target: "CreateTable",
			body: create("d30", auditDefs3+","+auditKey2+","+pt+","+gsis(1)),
			code: "ValidationException", msg: "No provisioned throughput specified for the global secondary index"},
		{name: "D31 GSI and LSI with the same name", target: "CreateTable",
			body: create("d31", auditDefs3+","+auditKey2+","+auditOnDemand+`,"LocalSecondaryIndexes":[`+auditLSI("gsi0", "x", allProj)+`],`+gsis(1)),
			code: "ValidationException", msg: "Local Secondary Indices AND Global Secondary Indices must have different names"},
		{name: "D32 GlobalSecondaryIndexes []", target: "CreateTable", body: create("d32", auditDefsPK+","+auditKeyPK+","+auditOnDemand+`,"GlobalSecondaryIndexes":[]`),
			code: "ValidationException", msg: "GSI list is empty/invalid"},
		{name: "D33 stream enabled without view type", target: "CreateTable",
			body: create("d33", auditDefsPK+","+auditKeyPK+","+auditOnDemand+`,"StreamSpecification":{"StreamEnabled":true}`),
			code: "ValidationException", msg: "Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams."},
		{name: "D34 stream disabled with a view type", target: "CreateTable",
			body: create("d34", auditDefsPK+","+auditKeyPK+","+auditOnDemand+`,"StreamSpecification":{"StreamEnabled":false,"StreamViewType":"KEYS_ONLY"}`),
			code: "ValidationException", msg: "Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present."},
		{name: "D35/D49 DescribeTable of a missing table (AWS text)", target: "DescribeTable", body: `{"TableName":"nope"}`,
			code: "ResourceNotFoundException", msg: fmt.Sprintf(msgTableNotFound, "nope")},
		{name: "D35/D49 DeleteTable of a missing table (AWS text)", target: "DeleteTable", body: `{"TableName":"nope"}`,
			code: "ResourceNotFoundException", msg: fmt.Sprintf(msgTableNotFound, "nope")},
		{name: "D35/D49 UpdateTable of a missing table (AWS text)", target: "UpdateTable", body: `{"TableName":"nope","BillingMode":"PAY_PER_REQUEST"}`,
			code: "ResourceNotFoundException", msg: fmt.Sprintf(msgTableNotFound, "nope")},
		{name: "D35/D49 DescribeTimeToLive of a missing table (AWS text)", target: "DescribeTimeToLive", body: `{"TableName":"nope"}`,
			code: "ResourceNotFoundException", msg: fmt.Sprintf(msgTableNotFound, "nope")},
		{name: "D35/D49 UpdateTimeToLive of a missing table (AWS text)", target: "UpdateTimeToLive",
			body: `{"TableName":"nope","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`,
			code: "ResourceNotFoundException", msg: fmt.Sprintf(msgTableNotFound, "nope")},
		{name: "D35/D49 table names are case-sensitive", setup: []string{auditTable("tbl_Case")}, target: "DescribeTable", body: `{"TableName":"tbl_case"}`,
			code: "ResourceNotFoundException", msg: fmt.Sprintf(msgTableNotFound, "tbl_case")},
		{name: "D36 UpdateTable with only TableName", setup: []string{auditTable("tbl_d36")}, target: "UpdateTable", body: `{"TableName":"tbl_d36"}`,
			code: "ValidationException", msg: "Nothing to update"},
		{name: "D37 deleting a missing GSI", setup: []string{auditTable("tbl_d37")}, target: "UpdateTable",
			body: `{"TableName":"tbl_d37","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"nope"}}]}`,
			code: "ResourceNotFoundException", msg: "Requested resource not found"},
		{name: "D38 creating a GSI without AttributeDefinitions", setup: []string{auditTable("tbl_d38")}, target: "UpdateTable",
			body: `{"TableName":"tbl_d38","GlobalSecondaryIndexUpdates":[{"Create":` + auditGSI("gsi", allProj) + `}]}`,
			code: "ValidationException", msg: "No Attribute Schema Defined"},
		{name: "D39 two GSI creates", setup: []string{auditTable("tbl_d39")}, target: "UpdateTable",
			body: `{"TableName":"tbl_d39",` + auditDefs3 + `,"GlobalSecondaryIndexUpdates":[{"Create":` + auditGSI("gsi1", allProj) + `},{"Create":` + auditGSI("gsi2", allProj) + `}]}`,
			code: "LimitExceededException", msg: "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"},
		{name: "D39 Create and Delete in one update entry", setup: []string{auditTable("tbl_d39b")}, target: "UpdateTable",
			body: `{"TableName":"tbl_d39b",` + auditDefs3 + `,"GlobalSecondaryIndexUpdates":[{"Create":` + auditGSI("gsi1", allProj) + `,"Delete":{"IndexName":"gsi1"}}]}`,
			code: "LimitExceededException", msg: "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"},
		{name: "D40 empty GSI update", setup: []string{auditTable("tbl_d40")}, target: "UpdateTable",
			body: `{"TableName":"tbl_d40","GlobalSecondaryIndexUpdates":[{}]}`, code: "ValidationException", msg: "Update global secondary index action is null"},
		{name: "D41/D50 enabling a second stream (AWS code, D50)",
			setup:  []string{`CreateTable ` + create("d41", auditDefsPK+","+auditKeyPK+","+auditOnDemand+`,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}`)},
			target: "UpdateTable", body: `{"TableName":"tbl_d41","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`,
			code: "ResourceInUseException", msg: "Table already has an enabled stream"},
		{name: "D42 disabling a stream that is not there", setup: []string{auditTable("tbl_d42")}, target: "UpdateTable",
			body: `{"TableName":"tbl_d42","StreamSpecification":{"StreamEnabled":false}}`, code: "ValidationException", msg: "Table has no stream to disable"},
		{name: "D43 ListTables Limit 0", target: "ListTables", body: `{"Limit":0}`, code: "ValidationException",
			msg: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "D44 ListTables Limit 101", target: "ListTables", body: `{"Limit":101}`, code: "ValidationException",
			msg: "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{name: "D45 DescribeTable given an index name (AWS text)",
			setup:  []string{`CreateTable ` + create("d45", auditDefs3+","+auditKey2+","+auditOnDemand+`,`+gsis(1))},
			target: "DescribeTable", body: `{"TableName":"gsi0"}`, code: "ResourceNotFoundException", msg: fmt.Sprintf(msgTableNotFound, "gsi0")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { auditDo(t, srv, c) })
	}
}

func TestAuditControlTableInUse(t *testing.T) {
	srv := servertest.Start(t, servertest.WithTransientStatusDelay(time.Minute))
	target, body, _ := strings.Cut(auditTable("busy"), " ")
	if st, b := srv.Do(t, target, body); st != http.StatusOK {
		t.Fatalf("%d %s", st, b)
	}
	const msg = "Attempt to change a resource which is still in use: Table is being created: busy"
	for _, c := range []auditCase{
		{name: "D48 CreateTable while CREATING", target: "CreateTable", body: body, code: "ResourceInUseException", msg: msg},
		{name: "D48 UpdateTable while CREATING", target: "UpdateTable", body: `{"TableName":"busy","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}`,
			code: "ResourceInUseException", msg: msg},
		{name: "D48 DeleteTable while CREATING", target: "DeleteTable", body: `{"TableName":"busy"}`, code: "ResourceInUseException", msg: msg},
	} {
		t.Run(c.name, func(t *testing.T) { auditDo(t, srv, c) })
	}
}

func TestAuditControlTimeToLive(t *testing.T) {
	clock := servertest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := servertest.Start(t, servertest.WithClock(clock))
	ttl := func(table string, enabled bool, name string) string {
		return fmt.Sprintf(`{"TableName":%q,"TimeToLiveSpecification":{"Enabled":%t,"AttributeName":%q}}`, table, enabled, name)
	}
	for _, s := range []string{auditTable("tbl_e1"), auditTable("tbl_e2"), auditTable("tbl_e3"), auditTable("tbl_e4")} {
		target, body, _ := strings.Cut(s, " ")
		if st, b := srv.Do(t, target, body); st != http.StatusOK {
			t.Fatalf("%d %s", st, b)
		}
	}
	cases := []auditCase{
		{name: "E1 empty AttributeName (AWS form of the model constraint)", target: "UpdateTimeToLive", body: ttl("tbl_e1", true, ""),
			code: "ValidationException",
			msg:  "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "E2 enabling an enabled TTL", setup: []string{"UpdateTimeToLive " + ttl("tbl_e2", true, "exp")}, target: "UpdateTimeToLive",
			body: ttl("tbl_e2", true, "exp"), code: "ValidationException", msg: "TimeToLive is already enabled"},
		{name: "E3/E5 enabling another attribute", setup: []string{"UpdateTimeToLive " + ttl("tbl_e3", true, "exp")}, target: "UpdateTimeToLive",
			body: ttl("tbl_e3", true, "other"), code: "ValidationException", msg: "TimeToLive is active on a different AttributeName"},
		{name: "E3 disabling naming the wrong attribute", target: "UpdateTimeToLive",
			body: ttl("tbl_e3", false, "other"), code: "ValidationException", msg: "TimeToLive is active on a different AttributeName"},
		{name: "E4 disabling within the hour", setup: []string{"UpdateTimeToLive " + ttl("tbl_e4", true, "exp")}, target: "UpdateTimeToLive",
			body: ttl("tbl_e4", false, "exp"), code: "ValidationException", msg: "Time to live has been modified multiple times within a fixed interval"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { auditDo(t, srv, c) })
	}
	t.Run("behaviours 11 UpdateTimeToLive and DescribeTimeToLive bodies", func(t *testing.T) {
		clock.Advance(2 * time.Hour)
		st, b := srv.Do(t, "UpdateTimeToLive", ttl("tbl_e4", false, "exp"))
		if st != http.StatusOK || string(b) != `{"TimeToLiveSpecification":{"AttributeName":"exp","Enabled":false}}` &&
			string(b) != `{"TimeToLiveSpecification":{"Enabled":false,"AttributeName":"exp"}}` {
			t.Fatalf("UpdateTimeToLive = %d %s", st, b)
		}
		st, b = srv.Do(t, "DescribeTimeToLive", `{"TableName":"tbl_e1"}`)
		if st != http.StatusOK || string(b) != `{"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}}` {
			t.Fatalf("DescribeTimeToLive = %d %s", st, b)
		}
	})
}

func TestAuditControlIndexInProgress(t *testing.T) {
	clock := servertest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := servertest.Start(t, servertest.WithClock(clock), servertest.WithTransientStatusDelay(time.Minute))
	const allProj = `{"ProjectionType":"ALL"}`
	target, body, _ := strings.Cut(auditTable("tbl_busy"), " ")
	if st, b := srv.Do(t, target, body); st != http.StatusOK {
		t.Fatalf("%d %s", st, b)
	}
	clock.Advance(2 * time.Minute)
	create := func(name string) string {
		return `{"TableName":"tbl_busy","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}],` +
			`"GlobalSecondaryIndexUpdates":[{"Create":` + auditGSI(name, allProj) + `}]}`
	}
	if st, b := srv.Do(t, "UpdateTable", create("gsi1")); st != http.StatusOK {
		t.Fatalf("%d %s", st, b)
	}
	t.Run("D48 another change while the table is UPDATING", func(t *testing.T) {
		auditDo(t, srv, auditCase{target: "UpdateTable", body: create("gsi2"), code: "ResourceInUseException",
			msg: "Attempt to change a resource which is still in use: Table is being updated: tbl_busy"})
	})
	clock.Advance(61 * time.Second) // the table is ACTIVE again, gsi1 still CREATING
	t.Run("D39 a create while another index is still being created", func(t *testing.T) {
		auditDo(t, srv, auditCase{target: "UpdateTable", body: create("gsi2"), code: "LimitExceededException",
			msg: "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"})
	})
}

func TestAuditControlTooManyTransitions(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 500 tables")
	}
	srv := servertest.Start(t, servertest.WithTransientStatusDelay(time.Hour))
	for i := range 500 {
		target, body, _ := strings.Cut(auditTable(fmt.Sprintf("tbl_%03d", i)), " ")
		if st, b := srv.Do(t, target, body); st != http.StatusOK {
			t.Fatalf("table %d: %d %s", i, st, b)
		}
	}
	target, body, _ := strings.Cut(auditTable("tbl_501"), " ")
	auditDo(t, srv, auditCase{name: "D51", target: target, body: body, code: "LimitExceededException",
		msg: "Too many operations for a given subscriber."})
}
