package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// Fidelity audit of the item operations (PutItem, GetItem, UpdateItem,
// DeleteItem) against errors.md sections F, G, H, I and J. Every case names
// the row it enforces. Where errors.md only has a DynamoDB Local probe and the
// AWS text is known, the case says so.

// auServer starts a server with the audit tables:
// au_hash (pk S), au_comp (pk S, sk S), au_num (pk N), au_bin (pk B) and
// au_gsi (pk S; GSI gsi1 on g1 S, GSI gsib on bk B), and a seed item.
func auServer(t *testing.T) *servertest.Server {
	t.Helper()
	srv := servertest.Start(t)
	mk := func(body string) {
		t.Helper()
		if status, resp := srv.Do(t, "CreateTable", body); status != 200 {
			t.Fatalf("CreateTable: %d %s", status, resp)
		}
	}
	simple := func(name string, keys ...string) string {
		var ks, ad []string
		for i := 0; i+1 < len(keys); i += 2 {
			kt := "HASH"
			if i > 0 {
				kt = "RANGE"
			}
			ks = append(ks, `{"AttributeName":"`+keys[i]+`","KeyType":"`+kt+`"}`)
			ad = append(ad, `{"AttributeName":"`+keys[i]+`","AttributeType":"`+keys[i+1]+`"}`)
		}
		return `{"TableName":"` + name + `","BillingMode":"PAY_PER_REQUEST","KeySchema":[` + strings.Join(ks, ",") +
			`],"AttributeDefinitions":[` + strings.Join(ad, ",") + `]}`
	}
	mk(simple("au_hash", "pk", "S"))
	mk(simple("au_comp", "pk", "S", "sk", "S"))
	mk(simple("au_num", "pk", "N"))
	mk(simple("au_bin", "pk", "B"))
	mk(`{"TableName":"au_gsi","BillingMode":"PAY_PER_REQUEST",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g1","AttributeType":"S"},{"AttributeName":"bk","AttributeType":"B"}],
		"GlobalSecondaryIndexes":[
			{"IndexName":"gsi1","KeySchema":[{"AttributeName":"g1","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}},
			{"IndexName":"gsib","KeySchema":[{"AttributeName":"bk","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]}`)
	seed := `{"TableName":"au_hash","Item":{"pk":{"S":"seed"},"s":{"S":"str"},"n":{"N":"5"},
		"big":{"N":"9E+125"},"tiny":{"N":"1E-130"},"ss":{"SS":["a","b"]},"l":{"L":[{"N":"1"}]},"m":{"M":{"x":{"N":"1"}}}}}`
	if status, resp := srv.Do(t, "PutItem", seed); status != 200 {
		t.Fatalf("seed: %d %s", status, resp)
	}
	if status, resp := srv.Do(t, "PutItem", `{"TableName":"au_gsi","Item":{"pk":{"S":"seed"},"g1":{"S":"x"}}}`); status != 200 {
		t.Fatalf("seed: %d %s", status, resp)
	}
	return srv
}

type auCase struct{ name, op, body, code, msg string }

func auRun(t *testing.T, srv *servertest.Server, cases []auCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := srv.Do(t, tc.op, tc.body)
			if status != 400 {
				t.Fatalf("status %d, body %s", status, body)
			}
			code, msg := itRawError(t, status, body)
			if code != tc.code || msg != tc.msg {
				t.Fatalf("got  %s: %q\nwant %s: %q", code, msg, tc.code, tc.msg)
			}
		})
	}
}

const (
	auVal = "ValidationException"
	auRNF = "ResourceNotFoundException"
	auCCF = "ConditionalCheckFailedException"
)

// auPut is a PutItem on au_hash with extra item attributes (after pk).
func auPut(item string) string {
	return `{"TableName":"au_hash","Item":{"pk":{"S":"a"}` + item + `}}`
}

// auCond is a PutItem on au_hash with a ConditionExpression and extra members.
func auCond(ce, extra string) string {
	return `{"TableName":"au_hash","Item":{"pk":{"S":"a"}},"ConditionExpression":"` + ce + `"` + extra + `}`
}

// auUpd is an UpdateItem of the seed item of au_hash.
func auUpd(ue, extra string) string {
	return `{"TableName":"au_hash","Key":{"pk":{"S":"seed"}},"UpdateExpression":"` + ue + `"` + extra + `}`
}

// auGet is a GetItem of the seed item with a ProjectionExpression.
func auGet(pe, extra string) string {
	return `{"TableName":"au_hash","Key":{"pk":{"S":"seed"}},"ProjectionExpression":"` + pe + `"` + extra + `}`
}

func auV(kv string) string { return `,"ExpressionAttributeValues":{` + kv + `}` }

func TestAuditItemsF(t *testing.T) {
	srv := auServer(t)
	big := strings.Repeat("x", 409600)
	nested := `{"S":"x"}`
	for range 32 {
		nested = `{"L":[` + nested + `]}`
	}
	auRun(t, srv, []auCase{
		// F1: DynamoDB Local's text (nothing in errors.md records AWS's for this situation).
		{"F1 put without hash key", "PutItem", `{"TableName":"au_hash","Item":{"x":{"S":"a"}}}`, auVal, "One or more parameter values were invalid: Missing the key pk in the item"},
		{"F1 put without range key", "PutItem", `{"TableName":"au_comp","Item":{"pk":{"S":"a"}}}`, auVal, "One or more parameter values were invalid: Missing the key sk in the item"},
		{"F2 put hash key wrong type", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"N":"1"}}}`, auVal, "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"},
		{"F2 put range key wrong type", "PutItem", `{"TableName":"au_comp","Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}`, auVal, "One or more parameter values were invalid: Type mismatch for key sk expected: S actual: N"},
		{"F2 get key wrong type", "GetItem", `{"TableName":"au_hash","Key":{"pk":{"N":"1"}}}`, auVal, "The provided key element does not match the schema"},
		{"F2 delete key wrong type", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"B":"AA=="}}}`, auVal, "The provided key element does not match the schema"},
		{"F3 put empty S hash key", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":""}}}`, auVal, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"F3 get empty S hash key", "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":""}}}`, auVal, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"F3 update empty S hash key", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":""}}}`, auVal, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"F3 delete empty S hash key", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":""}}}`, auVal, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"F4 put empty B key", "PutItem", `{"TableName":"au_bin","Item":{"pk":{"B":""}}}`, auVal, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk"},
		{"F4 get empty B key", "GetItem", `{"TableName":"au_bin","Key":{"pk":{"B":""}}}`, auVal, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk"},
		{"F5 put empty S sort key", "PutItem", `{"TableName":"au_comp","Item":{"pk":{"S":"a"},"sk":{"S":""}}}`, auVal, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk"},
		{"F5 get empty S sort key", "GetItem", `{"TableName":"au_comp","Key":{"pk":{"S":"a"},"sk":{"S":""}}}`, auVal, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk"},
		{"F6 put empty S GSI key", "PutItem", `{"TableName":"au_gsi","Item":{"pk":{"S":"a"},"g1":{"S":""}}}`, auVal, "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: g1"},
		{"F7 put empty B GSI key", "PutItem", `{"TableName":"au_gsi","Item":{"pk":{"S":"a"},"bk":{"B":""}}}`, auVal, "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: gsib, IndexKey: bk"},
		// F8: DynamoDB Local stops after "Index Key"; AWS names the attribute, both types and the index.
		{"F8 put GSI key wrong type", "PutItem", `{"TableName":"au_gsi","Item":{"pk":{"S":"a"},"g1":{"N":"1"}}}`, auVal, "One or more parameter values were invalid: Type mismatch for Index Key g1 Expected: S Actual: N IndexName: gsi1"},
		{"F8 update GSI key wrong type", "UpdateItem", `{"TableName":"au_gsi","Key":{"pk":{"S":"seed"}},"UpdateExpression":"SET g1 = :v"` + auV(`":v":{"N":"1"}`) + `}`, auVal, "One or more parameter values were invalid: Type mismatch for Index Key g1 Expected: S Actual: N IndexName: gsi1"},
		{"F9 put GSI key too large", "PutItem", `{"TableName":"au_gsi","Item":{"pk":{"S":"a"},"g1":{"S":"` + strings.Repeat("k", 2049) + `"}}}`, auVal, "One or more parameter values were invalid: Size limit exceeded"},
		{"F9 update GSI key too large", "UpdateItem", `{"TableName":"au_gsi","Key":{"pk":{"S":"seed"}},"UpdateExpression":"SET g1 = :v"` + auV(`":v":{"S":"`+strings.Repeat("k", 2049)+`"}`) + `}`, auVal, "One or more parameter values were invalid: Size limit exceeded"},
		{"F10 put 2049-byte hash key", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"` + strings.Repeat("k", 2049) + `"}}}`, auVal, "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes"},
		{"F10 put 1025-byte range key", "PutItem", `{"TableName":"au_comp","Item":{"pk":{"S":"a"},"sk":{"S":"` + strings.Repeat("k", 1025) + `"}}}`, auVal, "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes"},
		{"F10 get 2049-byte hash key", "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":"` + strings.Repeat("k", 2049) + `"}}}`, auVal, "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes"},
		{"F11 empty SS", "PutItem", auPut(`,"s":{"SS":[]}`), auVal, "One or more parameter values were invalid: An string set  may not be empty"},
		{"F11 update key empty SS", "UpdateItem", auUpd("SET a = :v", auV(`":v":{"SS":[]}`)), auVal, "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v"},
		{"F12 empty NS", "PutItem", auPut(`,"s":{"NS":[]}`), auVal, "One or more parameter values were invalid: An number set  may not be empty"},
		{"F13 empty BS", "PutItem", auPut(`,"s":{"BS":[]}`), auVal, "One or more parameter values were invalid: Binary sets should not be empty"},
		{"F14 duplicate SS", "PutItem", auPut(`,"s":{"SS":["x","x"]}`), auVal, "One or more parameter values were invalid: Input collection [x, x] contains duplicates"},
		{"F15 duplicate NS", "PutItem", auPut(`,"s":{"NS":["1","1.0"]}`), auVal, "Input collection contains duplicates"},
		{"F16 duplicate BS", "PutItem", auPut(`,"s":{"BS":["AA==","AA=="]}`), auVal, "One or more parameter values were invalid: Input collection of type BS contains duplicates."},
		{"F17 N abc", "PutItem", auPut(`,"n":{"N":"abc"}`), auVal, "A value provided cannot be converted into a number"},
		{"F17 N empty", "PutItem", auPut(`,"n":{"N":""}`), auVal, "A value provided cannot be converted into a number"},
		{"F17 N NaN", "PutItem", auPut(`,"n":{"N":"NaN"}`), auVal, "A value provided cannot be converted into a number"},
		{"F17 N Infinity", "PutItem", auPut(`,"n":{"N":"Infinity"}`), auVal, "A value provided cannot be converted into a number"},
		{"F17 N hex", "PutItem", auPut(`,"n":{"N":"0x10"}`), auVal, "A value provided cannot be converted into a number"},
		{"F17 N leading space", "PutItem", auPut(`,"n":{"N":" 1"}`), auVal, "A value provided cannot be converted into a number"},
		{"F17 N in NS", "PutItem", auPut(`,"n":{"NS":["1","x"]}`), auVal, "A value provided cannot be converted into a number"},
		{"F17 N key", "GetItem", `{"TableName":"au_num","Key":{"pk":{"N":"x"}}}`, auVal, "A value provided cannot be converted into a number"},
		{"F17 N put key", "PutItem", `{"TableName":"au_num","Item":{"pk":{"N":"x"}}}`, auVal, "A value provided cannot be converted into a number"},
		{"F18 N overflow", "PutItem", auPut(`,"n":{"N":"1E126"}`), auVal, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"F18 N negative overflow", "PutItem", auPut(`,"n":{"N":"-1E126"}`), auVal, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"F19 N underflow", "PutItem", auPut(`,"n":{"N":"1E-131"}`), auVal, "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
		{"F20 N 39 digits", "PutItem", auPut(`,"n":{"N":"` + strings.Repeat("1", 39) + `"}`), auVal, "DynamoDB only supports precision up to 38 digits"},
		{"F20 sum needs 39 digits", "UpdateItem", auUpd("ADD n :v", auV(`":v":{"N":"`+strings.Repeat("1", 38)+`0"}`)), auVal, "DynamoDB only supports precision up to 38 digits"},
		{"F21 put over 400 KB", "PutItem", auPut(`,"d":{"S":"` + big + `"}`), auVal, "Item size has exceeded the maximum allowed size"},
		{"F22 update over 400 KB", "UpdateItem", auUpd("SET d = :v", auV(`":v":{"S":"`+big+`"}`)), auVal, "Item size to update has exceeded the maximum allowed size"},
		{"F23 empty attribute name", "PutItem", auPut(`,"":{"S":"x"}`), auVal, "Empty attribute name"},
		{"F24 nested 32 levels", "PutItem", auPut(`,"l":` + nested), auVal, "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"},
		{"F25 put ReturnValues ALL_NEW", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"a"}},"ReturnValues":"ALL_NEW"}`, auVal, "Return values set to invalid value"},
		{"F25 put ReturnValues UPDATED_OLD", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"a"}},"ReturnValues":"UPDATED_OLD"}`, auVal, "Return values set to invalid value"},
		{"F25 delete ReturnValues UPDATED_NEW", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}},"ReturnValues":"UPDATED_NEW"}`, auVal, "Return values set to invalid value"},
		// F26 is DynamoDB Local's text; F33 (AWS) wins.
		{"F33 put missing table", "PutItem", `{"TableName":"au_nope","Item":{"pk":{"S":"a"}}}`, auRNF, "Requested resource not found"},
		{"F33 get missing table", "GetItem", `{"TableName":"au_nope","Key":{"pk":{"S":"a"}}}`, auRNF, "Requested resource not found"},
		{"F33 update missing table", "UpdateItem", `{"TableName":"au_nope","Key":{"pk":{"S":"a"}}}`, auRNF, "Requested resource not found"},
		{"F33 delete missing table", "DeleteItem", `{"TableName":"au_nope","Key":{"pk":{"S":"a"}}}`, auRNF, "Requested resource not found"},
		// F27/F28: Item and Key are required members of the service model; AWS reports a missing
		// required member in the model-constraint form (C15, [aws-report]), which wins over
		// DynamoDB Local's "Item to put in PutItem cannot be null" / "Cannot have null key ...".
		{"F27 put without Item", "PutItem", `{"TableName":"au_hash"}`, auVal, "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null"},
		{"F28 get without Key", "GetItem", `{"TableName":"au_hash"}`, auVal, "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"},
		{"F28 update without Key", "UpdateItem", `{"TableName":"au_hash"}`, auVal, "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"},
		{"F28 delete without Key", "DeleteItem", `{"TableName":"au_hash"}`, auVal, "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"},
		// F29: DynamoDB Local says "The number of conditions on the keys is invalid"; AWS answers
		// "The provided key element does not match the schema" for every key-shape mismatch.
		{"F29 get without sort key", "GetItem", `{"TableName":"au_comp","Key":{"pk":{"S":"a"}}}`, auVal, "The provided key element does not match the schema"},
		{"F29 get with extra attribute", "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"},"x":{"S":"b"}}}`, auVal, "The provided key element does not match the schema"},
		{"F29 get with empty key", "GetItem", `{"TableName":"au_hash","Key":{}}`, auVal, "The provided key element does not match the schema"},
		{"F29 update without sort key", "UpdateItem", `{"TableName":"au_comp","Key":{"pk":{"S":"a"}}}`, auVal, "The provided key element does not match the schema"},
		{"F29 delete with extra attribute", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"},"x":{"S":"b"}}}`, auVal, "The provided key element does not match the schema"},
		{"F31 unused EAV empty set", "PutItem", auCond("attribute_exists(pk)", auV(`":v":{"SS":[]}`)), auVal, "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v"},
		{"F32 EAV empty value", "PutItem", auCond("attribute_exists(pk)", auV(`":v":{}`)), auVal, "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v"},
		{"F32 update EAV empty value", "UpdateItem", auUpd("SET a = :v", auV(`":v":{}`)), auVal, "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v"},
	})
}

func TestAuditItemsG(t *testing.T) {
	srv := auServer(t)
	sv := auV(`":v":{"S":"x"}`)
	nv := auV(`":n":{"N":"1"}`)
	long := strings.Repeat("a", 4097)
	deep := "a" + strings.Repeat(".b", 32)
	ops300 := make([]string, 301)
	for i := range ops300 {
		ops300[i] = fmt.Sprintf("a%d=:n+:n", i)
	}
	auRun(t, srv, []auCase{
		{"G1 SET a =", "UpdateItem", auUpd("SET a =", ""), auVal, `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="`},
		{"G2 PUT", "UpdateItem", auUpd("PUT a = :v", sv), auVal, `Invalid UpdateExpression: Syntax error; token: "PUT", near: "PUT a"`},
		{"G3 ==", "UpdateItem", auUpd("SET x = :v, y == :v", sv), auVal, `Invalid UpdateExpression: Syntax error; token: "=", near: "== :v"`},
		{"G4 trailing comma", "UpdateItem", auUpd("SET a = :v,", sv), auVal, `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","`},
		{"G4 trailing comma and spaces", "UpdateItem", auUpd("SET a  =   :v   ,  ", sv), auVal, `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ",  "`},
		{"G5 spaces only", "UpdateItem", auUpd("   ", ""), auVal, `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "   "`},
		{"G6 empty update", "UpdateItem", auUpd("", ""), auVal, "Invalid UpdateExpression: The expression can not be empty;"},
		{"G7 empty condition", "PutItem", auCond("", ""), auVal, "Invalid ConditionExpression: The expression can not be empty;"},
		{"G7 empty condition delete", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}},"ConditionExpression":""}`, auVal, "Invalid ConditionExpression: The expression can not be empty;"},
		{"G8 a = ", "PutItem", auCond("a = ", ""), auVal, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "`},
		{"G9 !=", "PutItem", auCond("a != :v", sv), auVal, `Invalid ConditionExpression: Syntax error; token: "!", near: "a !="`},
		{"G10 bare path", "PutItem", auCond("a", ""), auVal, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"`},
		{"G11 IN ()", "PutItem", auCond("a IN ()", ""), auVal, `Invalid ConditionExpression: Syntax error; token: ")", near: "()"`},
		{"G12 projection a,", "GetItem", auGet("a,", ""), auVal, `Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","`},
		{"G13 empty projection", "GetItem", auGet("", ""), auVal, "Invalid ProjectionExpression: The expression can not be empty;"},
		{"G14 projection size(a)", "GetItem", auGet("size(a)", ""), auVal, `Invalid ProjectionExpression: Syntax error; token: "(", near: "size(a"`},
		{"G15 projection :v", "GetItem", auGet(":v", ""), auVal, `Invalid ProjectionExpression: Syntax error; token: ":v", near: ":v"`},
		{"G19 l[-1]", "UpdateItem", auUpd("SET l[-1] = :v", sv), auVal, `Invalid UpdateExpression: Syntax error; token: "-", near: "[-1"`},
		{"G20 l[0.5]", "UpdateItem", auUpd("SET l[0.5] = :v", sv), auVal, `Invalid UpdateExpression: Syntax error; token: ".", near: "0.5"`},
		{"G21 1abc", "UpdateItem", auUpd("SET 1abc = :v", sv), auVal, `Invalid UpdateExpression: Syntax error; token: "1", near: "SET 1abc"`},
		{"G22 a-b", "UpdateItem", auUpd("SET a-b = :v", sv), auVal, `Invalid UpdateExpression: Syntax error; token: "-", near: "a-b"`},
		{"G23 reserved name", "UpdateItem", auUpd("SET name = :v", sv), auVal, "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{"G24 reserved as written", "UpdateItem", auUpd("SET Comment = :v", sv), auVal, "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Comment"},
		{"G24 reserved SIZE (documented list)", "UpdateItem", auUpd("SET size = :v", sv), auVal, "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: size"},
		{"G25 reserved in projection", "GetItem", auGet("name", ""), auVal, "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{"G25 reserved in condition", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(name)"}`, auVal, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"},
		{"G26 undefined value", "UpdateItem", auUpd("SET a = :nope", ""), auVal, "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"G27 undefined name", "UpdateItem", auUpd("SET #n = :v", sv), auVal, "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #n"},
		{"G28 undefined value in condition", "PutItem", auCond("a = :nope", ""), auVal, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"G28 update condition undefined value", "UpdateItem", auUpd("SET a = :v", sv+`,"ConditionExpression":"a = :nope"`), auVal, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"G29 undefined name in projection", "GetItem", auGet("#x", ""), auVal, "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"},
		{"G30 unused value", "UpdateItem", auUpd("SET a = :v", auV(`":v":{"S":"x"},":w":{"S":"y"}`)), auVal, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
		{"G30 unused value put", "PutItem", auCond("attribute_exists(pk)", auV(`":w":{"S":"y"}`)), auVal, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
		{"G31 unused names sorted", "UpdateItem", auUpd("SET a = :v", sv+`,"ExpressionAttributeNames":{"#n":"x","#m":"y"}`), auVal, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#m, #n}"},
		{"G31 names before values", "UpdateItem", auUpd("SET a = :v", auV(`":v":{"S":"x"},":w":{"S":"y"}`)+`,"ExpressionAttributeNames":{"#n":"x"}`), auVal, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"},
		{"G31 unused name in get", "GetItem", auGet("a", `,"ExpressionAttributeNames":{"#x":"x"}`), auVal, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}"},
		{"G32 empty names", "UpdateItem", auUpd("SET a = :v", sv+`,"ExpressionAttributeNames":{}`), auVal, "ExpressionAttributeNames must not be empty"},
		{"G32 empty names get", "GetItem", auGet("a", `,"ExpressionAttributeNames":{}`), auVal, "ExpressionAttributeNames must not be empty"},
		{"G33 empty values", "UpdateItem", auUpd("REMOVE a", auV("")), auVal, "ExpressionAttributeValues must not be empty"},
		{"G34 value key no colon", "UpdateItem", auUpd("SET a = :v", auV(`"v":{"S":"x"}`)), auVal, `ExpressionAttributeValues contains invalid key: Syntax error; key: "v"`},
		{"G35 name key no hash", "UpdateItem", auUpd("SET a = :v", sv+`,"ExpressionAttributeNames":{"a":"x"}`), auVal, `ExpressionAttributeNames contains invalid key: Syntax error; key: "a"`},
		{"G36 name key #", "GetItem", auGet("a", `,"ExpressionAttributeNames":{"#":"x"}`), auVal, `ExpressionAttributeNames contains invalid key: Syntax error; key: "#"`},
		{"G37 value key :v-1", "UpdateItem", auUpd("SET a = :v", auV(`":v-1":{"S":"x"}`)), auVal, `ExpressionAttributeValues contains invalid key: Syntax error; key: ":v-1"`},
		{"G38 empty name value", "GetItem", auGet("#a", `,"ExpressionAttributeNames":{"#a":""}`), auVal, "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"},
		{"G39 256-byte name key", "GetItem", auGet("a", `,"ExpressionAttributeNames":{"#`+strings.Repeat("a", 255)+`":"x"}`), auVal, "ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256"},
		{"G40 256-byte value key", "UpdateItem", auUpd("SET a = :v", auV(`":`+strings.Repeat("a", 255)+`":{"S":"x"}`)), auVal, "ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;"},
		{"G41 update values no expressions", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}}` + sv + `}`, auVal, "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"},
		{"G41 put values no expressions", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"a"}}` + sv + `}`, auVal, "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"},
		{"G41 delete values no expressions", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}}` + sv + `}`, auVal, "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"},
		{"G43 update names no expressions", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#a":"a"}}`, auVal, "ExpressionAttributeNames can only be specified when using expressions"},
		{"G43 get names no expressions", "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#a":"a"}}`, auVal, "ExpressionAttributeNames can only be specified when using expressions"},
		{"G43 put names no expressions", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#a":"a"}}`, auVal, "ExpressionAttributeNames can only be specified when using expressions"},
		{"G43 delete names no expressions", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#a":"a"}}`, auVal, "ExpressionAttributeNames can only be specified when using expressions"},
		{"G44 UpdateExpression with AttributeUpdates", "UpdateItem", auUpd("SET a = :v", sv+`,"AttributeUpdates":{"a":{"Action":"DELETE"}}`), auVal, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}"},
		{"G45 UpdateExpression with Expected", "UpdateItem", auUpd("REMOVE a", `,"Expected":{"a":{"Exists":false}}`), auVal, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {UpdateExpression}"},
		{"G45 both legacy and both expressions", "UpdateItem", auUpd("SET a = :v", sv+`,"ConditionExpression":"attribute_exists(a)","Expected":{"a":{"Exists":false}},"AttributeUpdates":{"a":{"Action":"DELETE"}}`), auVal, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {ConditionExpression, UpdateExpression}"},
		{"G45 ConditionExpression with Expected on put", "PutItem", auCond("attribute_exists(pk)", `,"Expected":{"a":{"Exists":false}}`), auVal, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"},
		{"G45 ConditionExpression with Expected on delete", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)","Expected":{"a":{"Exists":false}}}`, auVal, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"},
		{"G46 ProjectionExpression with AttributesToGet", "GetItem", auGet("a", `,"AttributesToGet":["a"]`), auVal, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"},
		{"G48 ConditionalOperator with ConditionExpression", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)","ConditionalOperator":"AND"}`, auVal, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ConditionalOperator} Expression parameters: {ConditionExpression}"},
		{"G49 long update", "UpdateItem", auUpd("REMOVE "+long, ""), auVal, "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;"},
		{"G50 long condition", "PutItem", auCond("attribute_exists("+long+")", ""), auVal, "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4115"},
		{"G51 long projection", "GetItem", auGet(long, ""), auVal, "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;"},
		{"G52 deep path update", "UpdateItem", auUpd("REMOVE "+deep, ""), auVal, "Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33"},
		{"G52 deep path condition", "PutItem", auCond("attribute_exists("+deep+")", ""), auVal, "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33"},
		{"G52 deep path projection", "GetItem", auGet(deep, ""), auVal, "Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33"},
		{"G53 huge index", "UpdateItem", auUpd("REMOVE l[99999999999]", ""), auVal, "Invalid UpdateExpression: List index is not within the allowable range; index: [99999999999]"},
		{"G54 301 operators", "UpdateItem", auUpd("SET "+strings.Join(ops300, ","), nv), auVal, "Invalid UpdateExpression: The expression contains too many operators; operator count: 301"},
		{"G55 two SET", "UpdateItem", auUpd("SET a = :v SET b = :v", sv), auVal, `Invalid UpdateExpression: The "SET" section can only be used once in an update expression;`},
		{"G56 two REMOVE", "UpdateItem", auUpd("REMOVE a REMOVE b", ""), auVal, `Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;`},
		{"G57 missing =", "UpdateItem", auUpd("SET a :v", sv), auVal, `Invalid UpdateExpression: Syntax error; token: ":v", near: "a :v"`},
		{"G59 chained +", "UpdateItem", auUpd("SET a = :n + :n + :n", nv), auVal, `Invalid UpdateExpression: Syntax error; token: "+", near: ":n + :n"`},
		{"G60 literal number", "UpdateItem", auUpd("SET a = 5", ""), auVal, `Invalid UpdateExpression: Syntax error; token: "5", near: "= 5"`},
		{"G61 string literal", "UpdateItem", auUpd("SET a = 'x'", ""), auVal, `Invalid UpdateExpression: Syntax error; token: "'", near: "= 'x"`},
		{"G62 keyword as name", "GetItem", auGet("add", ""), auVal, `Invalid ProjectionExpression: Syntax error; token: "add", near: "add"`},
		{"G62 keyword SET as name", "GetItem", auGet("a, set", ""), auVal, `Invalid ProjectionExpression: Syntax error; token: "set", near: ", set"`},
		{"G63 unclosed paren", "PutItem", auCond("(a = :v", sv), auVal, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":v"`},
		{"G64 IN trailing comma", "PutItem", auCond("a IN (:v,)", sv), auVal, `Invalid ConditionExpression: Syntax error; token: ")", near: ",)"`},
		{"G65 AND OR", "PutItem", auCond("attribute_exists(a) AND OR b = :v", sv), auVal, `Invalid ConditionExpression: Syntax error; token: "OR", near: "AND OR b"`},
		{"G66 word after action", "UpdateItem", auUpd("SET a = :v WHERE b", sv), auVal, `Invalid UpdateExpression: Syntax error; token: "WHERE", near: ":v WHERE b"`},
		// expressions.md §9: UpdateExpression syntax before ConditionExpression.
		{"G order update syntax before condition", "UpdateItem", auUpd("SET a =", `,"ConditionExpression":"b = "`), auVal, `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="`},
		// §9: table existence before expression errors; key errors before expression errors.
		{"G order table before expression", "UpdateItem", `{"TableName":"au_nope","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a ="}`, auRNF, "Requested resource not found"},
		{"G order key before expression", "UpdateItem", `{"TableName":"au_comp","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a ="}`, auVal, "The provided key element does not match the schema"},
	})
}

func TestAuditItemsH(t *testing.T) {
	srv := auServer(t)
	sv := auV(`":v":{"S":"x"}`)
	in101 := make([]string, 101)
	for i := range in101 {
		in101[i] = ":v"
	}
	auRun(t, srv, []auCase{
		{"H1 parent and child", "UpdateItem", auUpd("SET m = :v, m.x = :v", sv), auVal, "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, x]"},
		{"H2 same path twice", "UpdateItem", auUpd("SET a = :v, a = :v", sv), auVal, "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"H2 SET and REMOVE", "UpdateItem", auUpd("SET a = :v REMOVE a", sv), auVal, "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"H3 list element and child", "UpdateItem", auUpd("SET l[0] = :v, l[0].x = :v", sv), auVal, "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, [0], x]"},
		{"H4 projection overlap", "GetItem", auGet("m, m.x", ""), auVal, "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, x]"},
		{"H5 SET key", "UpdateItem", auUpd("SET pk = :v", sv), auVal, "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
		{"H5 REMOVE key", "UpdateItem", auUpd("REMOVE pk", ""), auVal, "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
		{"H5 SET sort key", "UpdateItem", `{"TableName":"au_comp","Key":{"pk":{"S":"a"},"sk":{"S":"b"}},"UpdateExpression":"SET sk = :v"` + sv + `}`, auVal, "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key"},
		{"H6 ADD list", "UpdateItem", auUpd("ADD l :v", auV(`":v":{"L":[]}`)), auVal, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND"},
		{"H7 ADD string", "UpdateItem", auUpd("ADD a :v", sv), auVal, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"},
		{"H8 DELETE string", "UpdateItem", auUpd("DELETE ss :v", sv), auVal, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND"},
		{"H9 + strings", "UpdateItem", auUpd("SET a = :s + :t", auV(`":s":{"S":"x"},":t":{"S":"y"}`)), auVal, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{"H10 - strings", "UpdateItem", auUpd("SET a = :v - :w", auV(`":v":{"S":"x"},":w":{"S":"y"}`)), auVal, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: -, operand type: S"},
		{"H11 list_append string", "UpdateItem", auUpd("SET l = list_append(l, :v)", sv), auVal, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S"},
		{"H12 list_append sets", "UpdateItem", auUpd("SET l = list_append(:v, :w)", auV(`":v":{"SS":["a"]},":w":{"SS":["b"]}`)), auVal, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: SS"},
		{"H13 list_append one operand", "UpdateItem", auUpd("SET l = list_append(l)", ""), auVal, "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"},
		{"H14 if_not_exists one operand", "UpdateItem", auUpd("SET a = if_not_exists(a)", ""), auVal, "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1"},
		{"H15 if_not_exists value first", "UpdateItem", auUpd("SET a = if_not_exists(:v, :v)", sv), auVal, "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"},
		{"H16 unknown function", "UpdateItem", auUpd("SET a = foo(:v)", sv), auVal, "Invalid UpdateExpression: Invalid function name; function: foo"},
		{"H17 LIST_APPEND", "UpdateItem", auUpd("SET l = LIST_APPEND(l, :v)", auV(`":v":{"L":[]}`)), auVal, "Invalid UpdateExpression: Invalid function name; function: LIST_APPEND"},
		{"H18 size in update", "UpdateItem", auUpd("SET a = size(l)", ""), auVal, "Invalid UpdateExpression: The function is not allowed in an update expression; function: size"},
		{"H19 attribute_exists in update", "UpdateItem", auUpd("SET a = attribute_exists(l)", ""), auVal, "Invalid UpdateExpression: The function is not allowed in an update expression; function: attribute_exists"},
		{"H20 if_not_exists list_append", "UpdateItem", auUpd("SET a = if_not_exists(a, list_append(l, :v))", auV(`":v":{"L":[]}`)), auVal, "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"},
		{"H20 nested list_append", "UpdateItem", auUpd("SET a = list_append(list_append(l, :v), :v)", auV(`":v":{"L":[]}`)), auVal, "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"},
		{"H21 a = a", "PutItem", auCond("a = a", ""), auVal, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"},
		{"H22 contains(a, a)", "PutItem", auCond("contains(a, a)", ""), auVal, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]"},
		{"H23 BETWEEN reversed", "PutItem", auCond("n BETWEEN :hi AND :lo", auV(`":hi":{"N":"10"},":lo":{"N":"1"}`)), auVal, "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}"},
		{"H24 BETWEEN types", "PutItem", auCond("n BETWEEN :lo AND :hi", auV(`":lo":{"N":"1"},":hi":{"S":"z"}`)), auVal, "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:z}"},
		{"H25 IN 101", "PutItem", auCond("a IN ("+strings.Join(in101, ",")+")", sv), auVal, "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101"},
		{"H26 unknown function", "PutItem", auCond("foo(a)", ""), auVal, "Invalid ConditionExpression: Invalid function name; function: foo"},
		{"H27 ATTRIBUTE_EXISTS", "PutItem", auCond("ATTRIBUTE_EXISTS(a)", ""), auVal, "Invalid ConditionExpression: Invalid function name; function: ATTRIBUTE_EXISTS"},
		{"H28 attribute_exists(:v)", "PutItem", auCond("attribute_exists(:v)", sv), auVal, "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"},
		{"H29 attribute_exists two args", "PutItem", auCond("attribute_exists(a, b)", ""), auVal, "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"},
		{"H30 attribute_type X", "PutItem", auCond("attribute_type(a, :t)", auV(`":t":{"S":"X"}`)), auVal, "Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}"},
		{"H31 attribute_type number", "PutItem", auCond("attribute_type(a, :t)", auV(`":t":{"N":"1"}`)), auVal, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"},
		{"H32 begins_with number", "PutItem", auCond("begins_with(a, :n)", auV(`":n":{"N":"1"}`)), auVal, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"H33 size as condition", "PutItem", auCond("size(a)", ""), auVal, "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"},
		{"H34 list_append in condition", "PutItem", auCond("list_append(a, :v) = :v", auV(`":v":{"L":[]}`)), auVal, "Invalid ConditionExpression: The function is not allowed in a condition expression; function: list_append"},
		{"H35 if_not_exists in condition", "PutItem", auCond("if_not_exists(a, :v) = :v", sv), auVal, "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists"},
		{"H36 < set", "PutItem", auCond("ss < :v", auV(`":v":{"SS":["a"]}`)), auVal, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: SS"},
		{"H37 < NULL", "PutItem", auCond("s < :v", auV(`":v":{"NULL":true}`)), auVal, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: NULL"},
		{"H37 >= BOOL", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"s >= :v"` + auV(`":v":{"BOOL":true}`) + `}`, auVal, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: >=, operand type: BOOL"},
		{"H37 BETWEEN list", "PutItem", auCond("s BETWEEN :v AND :w", auV(`":v":{"L":[]},":w":{"L":[]}`)), auVal, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: L"},
		{"H40 contains one arg", "PutItem", auCond("contains(a)", ""), auVal, "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1"},
		// expressions.md §9: unused placeholders are reported before static operand types.
		{"H order unused before operand type", "UpdateItem", auUpd("ADD a :v", auV(`":v":{"S":"x"},":w":{"S":"y"}`)), auVal, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
		{"H order unused before condition operand type", "PutItem", auCond("begins_with(a, :n)", auV(`":n":{"N":"1"},":w":{"S":"y"}`)), auVal, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
	})
}

func TestAuditItemsIJ(t *testing.T) {
	srv := auServer(t)
	nv := auV(`":n":{"N":"1"}`)
	auRun(t, srv, []auCase{
		{"I1 ADD to string", "UpdateItem", auUpd("ADD s :n", nv), auVal, "An operand in the update expression has an incorrect data type"},
		{"I1 ADD set of other type", "UpdateItem", auUpd("ADD ss :v", auV(`":v":{"NS":["1"]}`)), auVal, "An operand in the update expression has an incorrect data type"},
		{"I1 ADD number to set", "UpdateItem", auUpd("ADD ss :n", nv), auVal, "An operand in the update expression has an incorrect data type"},
		{"I1 DELETE from non-set", "UpdateItem", auUpd("DELETE s :v", auV(`":v":{"SS":["a"]}`)), auVal, "An operand in the update expression has an incorrect data type"},
		{"I1 DELETE set of other type", "UpdateItem", auUpd("DELETE ss :v", auV(`":v":{"NS":["1"]}`)), auVal, "An operand in the update expression has an incorrect data type"},
		{"I1 string + number", "UpdateItem", auUpd("SET a = s + :n", nv), auVal, "An operand in the update expression has an incorrect data type"},
		{"I1 list_append on a string", "UpdateItem", auUpd("SET a = list_append(s, :v)", auV(`":v":{"L":[]}`)), auVal, "An operand in the update expression has an incorrect data type"},
		{"I2 missing + n", "UpdateItem", auUpd("SET a = nothere + :n", nv), auVal, "The provided expression refers to an attribute that does not exist in the item"},
		{"I2 n - missing", "UpdateItem", auUpd("SET a = :n - nothere", nv), auVal, "The provided expression refers to an attribute that does not exist in the item"},
		{"I2 list_append missing", "UpdateItem", auUpd("SET a = list_append(nothere, :v)", auV(`":v":{"L":[]}`)), auVal, "The provided expression refers to an attribute that does not exist in the item"},
		{"I2 SET from missing path", "UpdateItem", auUpd("SET a = nothere", ""), auVal, "The provided expression refers to an attribute that does not exist in the item"},
		{"I2 on a new item", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"new"}},"UpdateExpression":"SET a = a + :n"` + nv + `}`, auVal, "The provided expression refers to an attribute that does not exist in the item"},
		{"I3 index on non-list", "UpdateItem", auUpd("SET s[0] = :n", nv), auVal, "The document path provided in the update expression is invalid for update"},
		{"I3 field on non-map", "UpdateItem", auUpd("SET s.x = :n", nv), auVal, "The document path provided in the update expression is invalid for update"},
		{"I3 SET under missing parent", "UpdateItem", auUpd("SET nothere.x = :n", nv), auVal, "The document path provided in the update expression is invalid for update"},
		{"I3 REMOVE under missing parent", "UpdateItem", auUpd("REMOVE nothere.x", ""), auVal, "The document path provided in the update expression is invalid for update"},
		{"I3 ADD under missing parent", "UpdateItem", auUpd("ADD nothere.x :n", nv), auVal, "The document path provided in the update expression is invalid for update"},
		{"I3 field on list", "UpdateItem", auUpd("SET l.x = :n", nv), auVal, "The document path provided in the update expression is invalid for update"},
		{"I4 GSI key set to empty", "UpdateItem", `{"TableName":"au_gsi","Key":{"pk":{"S":"seed"}},"UpdateExpression":"SET g1 = :v"` + auV(`":v":{"S":""}`) + `}`, auVal, "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value."},
		{"I5 overflow ADD", "UpdateItem", auUpd("ADD big :n", auV(`":n":{"N":"9E+125"}`)), auVal, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"I5 overflow SET", "UpdateItem", auUpd("SET a = big + :n", auV(`":n":{"N":"9E+125"}`)), auVal, "Number overflow. Attempting to store a number with magnitude larger than supported range"},
		{"I6 underflow", "UpdateItem", auUpd("SET a = tiny - :n", auV(`":n":{"N":"1.5E-130"}`)), auVal, "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
		{"J1 put condition false", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"seed"}},"ConditionExpression":"attribute_not_exists(pk)"}`, auCCF, "The conditional request failed"},
		{"J1 update condition false", "UpdateItem", auUpd("SET a = :n", nv+`,"ConditionExpression":"attribute_not_exists(pk)"`), auCCF, "The conditional request failed"},
		{"J1 delete condition false", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"seed"}},"ConditionExpression":"s = :v"` + auV(`":v":{"S":"other"}`) + `}`, auCCF, "The conditional request failed"},
		{"J1 condition on a missing item", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"none"}},"ConditionExpression":"attribute_exists(pk)"}`, auCCF, "The conditional request failed"},
		{"J1 condition before key update error", "UpdateItem", auUpd("SET pk = :n", nv+`,"ConditionExpression":"attribute_not_exists(pk)"`), auCCF, "The conditional request failed"},
		{"J1 condition before run-time error", "UpdateItem", auUpd("ADD s :n", nv+`,"ConditionExpression":"attribute_not_exists(pk)"`), auCCF, "The conditional request failed"},
		{"J1 legacy Expected false", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"seed"}},"Expected":{"pk":{"Exists":false}}}`, auCCF, "The conditional request failed"},
	})
	// The seed item survives every failed request.
	status, body := srv.Do(t, "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":"seed"}}}`)
	if status != 200 || !strings.Contains(string(body), `"s":{"S":"str"}`) || !strings.Contains(string(body), `"n":{"N":"5"}`) {
		t.Fatalf("seed changed: %d %s", status, body)
	}
}

// TestAuditItemsBehaviours checks behaviours.md §1 (number normalisation and
// arithmetic), §3 (empty values), §4 (write semantics), §5 (ReturnValues) and
// the ConsumedCapacity shapes through the four item operations; each step
// compares the whole response body.
func TestAuditItemsBehaviours(t *testing.T) {
	srv := auServer(t)
	type step struct{ name, op, body, want string }
	var steps []step
	// §1: every sent form comes back canonical (ALL_OLD of the next put
	// returns the previous one).
	norm := [][2]string{
		{"0001.500", "1.5"}, {"1E2", "100"}, {"1e2", "100"}, {"0.1E2", "10"}, {"1.23E+5", "123000"},
		{"-1.50", "-1.5"}, {"-0", "0"}, {"0.0", "0"}, {"-0.000", "0"}, {"00", "0"}, {"1.0", "1"},
		{"+5", "5"}, {"5.", "5"}, {".5", "0.5"}, {"1.00E-2", "0.01"}, {"0.000001", "0.000001"},
		{"12345678901234567890123456789012345678E-5", "123456789012345678901234567890123.45678"},
		{"1E+125", "1" + strings.Repeat("0", 125)}, {"1E-130", "0." + strings.Repeat("0", 129) + "1"},
		{strings.Repeat("1", 38) + "000", strings.Repeat("1", 38) + "000"},
	}
	for _, n := range norm {
		steps = append(steps, step{"§1 put " + n[0], "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"num"},"n":{"N":"` + n[0] + `"}}}`, `{}`},
			step{"§1 get " + n[0], "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":"num"}}}`, `{"Item":{"n":{"N":"` + n[1] + `"},"pk":{"S":"num"}}}`})
	}
	steps = append(steps,
		step{"§1 numeric key equality", "PutItem", `{"TableName":"au_num","Item":{"pk":{"N":"0010.50"},"a":{"S":"x"}}}`, `{}`},
		step{"§1 numeric key equality get", "GetItem", `{"TableName":"au_num","Key":{"pk":{"N":"10.5"}}}`, `{"Item":{"a":{"S":"x"},"pk":{"N":"10.5"}}}`},
		step{"§1 numeric condition equality", "DeleteItem", `{"TableName":"au_num","Key":{"pk":{"N":"10.5"}},"ConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":{"N":"10.500"}},"ReturnValues":"ALL_OLD"}`, `{"Attributes":{"a":{"S":"x"},"pk":{"N":"10.5"}}}`},
		step{"§1 exact zero from tiny operands", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"z"}},"UpdateExpression":"SET a = :v - :v, b = :w + :x","ExpressionAttributeValues":{":v":{"N":"2E-130"},":w":{"N":"0.1"},":x":{"N":"0.2"}},"ReturnValues":"UPDATED_NEW"}`, `{"Attributes":{"a":{"N":"0"},"b":{"N":"0.3"}}}`},
		step{"§1 exact ADD", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"z"}},"UpdateExpression":"ADD b :v","ExpressionAttributeValues":{":v":{"N":"-0.30"}},"ReturnValues":"UPDATED_NEW"}`, `{"Attributes":{"b":{"N":"0"}}}`},
		// §3: empty S/B outside keys, empty string in a set, empty L and M.
		step{"§3 empty values", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"e"},"s":{"S":""},"b":{"B":""},"ss":{"SS":["","a"]},"l":{"L":[]},"m":{"M":{}}}}`, `{}`},
		step{"§3 empty values get", "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":"e"}}}`, `{"Item":{"b":{"B":""},"l":{"L":[]},"m":{"M":{}},"pk":{"S":"e"},"s":{"S":""},"ss":{"SS":["","a"]}}}`},
		// §4 and §5.
		step{"§4 REMOVE-only update creates the item", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"r"}},"UpdateExpression":"REMOVE a","ReturnValues":"ALL_NEW"}`, `{"Attributes":{"pk":{"S":"r"}}}`},
		step{"§5 REMOVE-only UPDATED_NEW is empty", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"r2"}},"UpdateExpression":"REMOVE a","ReturnValues":"UPDATED_NEW"}`, `{"Attributes":{}}`},
		step{"§5 new item UPDATED_NEW without keys", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"r3"}},"UpdateExpression":"SET a = :v ADD c :n","ExpressionAttributeValues":{":v":{"S":"x"},":n":{"N":"3"}},"ReturnValues":"UPDATED_NEW"}`, `{"Attributes":{"a":{"S":"x"},"c":{"N":"3"}}}`},
		step{"§5 new item ALL_OLD absent", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"r4"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ReturnValues":"ALL_OLD"}`, `{}`},
		step{"§5 UPDATED_OLD", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"seed"}},"UpdateExpression":"SET s = s REMOVE nothere, n DELETE ss :d","ExpressionAttributeValues":{":d":{"SS":["a","b"]}},"ReturnValues":"UPDATED_OLD"}`, `{"Attributes":{"n":{"N":"5"},"s":{"S":"str"},"ss":{"SS":["a","b"]}}}`},
		step{"§4 DELETE of every element removes the attribute", "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":"seed"}},"ProjectionExpression":"ss, n, s"}`, `{"Item":{"s":{"S":"str"}}}`},
		step{"§5 UPDATED_NEW nested paths", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"seed"}},"UpdateExpression":"SET m.z = :v, l[0] = :v","ExpressionAttributeValues":{":v":{"S":"q"}},"ReturnValues":"UPDATED_NEW"}`, `{"Attributes":{"l":{"L":[{"S":"q"}]},"m":{"M":{"z":{"S":"q"}}}}}`},
		step{"§4 dotted placeholder name is top-level", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"seed"}},"UpdateExpression":"SET #d = :v","ExpressionAttributeNames":{"#d":"m.x"},"ExpressionAttributeValues":{":v":{"S":"q"}},"ReturnValues":"UPDATED_NEW"}`, `{"Attributes":{"m.x":{"S":"q"}}}`},
		step{"§4 list put", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"L"},"l":{"L":[{"N":"0"},{"N":"1"},{"N":"2"},{"N":"3"}]}}}`, `{}`},
		step{"§4 REMOVE list indexes", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"L"}},"UpdateExpression":"REMOVE l[1], l[2] ADD d :n","ExpressionAttributeValues":{":n":{"N":"1"}},"ReturnValues":"ALL_NEW"}`, `{"Attributes":{"d":{"N":"1"},"l":{"L":[{"N":"0"},{"N":"3"}]},"pk":{"S":"L"}}}`},
		step{"§4 SET past the end appends in index order", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"L"}},"UpdateExpression":"SET l[10] = :a, l[7] = :b","ExpressionAttributeValues":{":a":{"S":"a"},":b":{"S":"b"}},"ReturnValues":"ALL_NEW"}`, `{"Attributes":{"d":{"N":"1"},"l":{"L":[{"N":"0"},{"N":"3"},{"S":"b"},{"S":"a"}]},"pk":{"S":"L"}}}`},
		step{"§4 condition on a missing item: <> is true", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"c0"}},"ConditionExpression":"a <> :v AND attribute_not_exists(pk)","ExpressionAttributeValues":{":v":{"S":"x"}}}`, `{}`},
		step{"§5 put ALL_OLD without old item", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"none"}},"ReturnValues":"ALL_OLD"}`, `{}`},
		step{"§5 put ALL_OLD", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"none"},"a":{"S":"x"}},"ReturnValues":"ALL_OLD"}`, `{"Attributes":{"pk":{"S":"none"}}}`},
		step{"§5 delete ALL_OLD", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"none"}},"ReturnValues":"ALL_OLD"}`, `{"Attributes":{"a":{"S":"x"},"pk":{"S":"none"}}}`},
		step{"§5 ALL_OLD on condition failure", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"r3"}},"ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}`, `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"a":{"S":"x"},"c":{"N":"3"},"pk":{"S":"r3"}}}`},
		// ConsumedCapacity (behaviours.md §6, limits.md §12).
		step{"§6 delete missing item TOTAL", "DeleteItem", `{"TableName":"au_hash","Key":{"pk":{"S":"none2"}},"ReturnConsumedCapacity":"TOTAL"}`, `{"ConsumedCapacity":{"TableName":"au_hash","CapacityUnits":1}}`},
		step{"§6 get missing item eventually", "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":"none9"}},"ReturnConsumedCapacity":"TOTAL"}`, `{"ConsumedCapacity":{"TableName":"au_hash","CapacityUnits":0.5}}`},
		step{"§6 get missing item strongly INDEXES", "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":"none9"}},"ReturnConsumedCapacity":"INDEXES","ConsistentRead":true}`, `{"ConsumedCapacity":{"TableName":"au_hash","CapacityUnits":1,"Table":{"CapacityUnits":1}}}`},
		step{"§6 put with a GSI key INDEXES", "PutItem", `{"TableName":"au_gsi","Item":{"pk":{"S":"c1"},"g1":{"S":"x"}},"ReturnConsumedCapacity":"INDEXES"}`, `{"ConsumedCapacity":{"TableName":"au_gsi","CapacityUnits":2,"Table":{"CapacityUnits":1},"GlobalSecondaryIndexes":{"gsi1":{"CapacityUnits":1}}}}`},
		step{"§6 put without index keys INDEXES", "PutItem", `{"TableName":"au_gsi","Item":{"pk":{"S":"c2"}},"ReturnConsumedCapacity":"INDEXES"}`, `{"ConsumedCapacity":{"TableName":"au_gsi","CapacityUnits":1,"Table":{"CapacityUnits":1}}}`},
		step{"§6 put 5000 bytes", "PutItem", `{"TableName":"au_hash","Item":{"pk":{"S":"big"},"d":{"S":"` + strings.Repeat("x", 4990) + `"}},"ReturnConsumedCapacity":"TOTAL"}`, `{"ConsumedCapacity":{"TableName":"au_hash","CapacityUnits":5}}`},
		step{"§6 get 5000 bytes strongly", "GetItem", `{"TableName":"au_hash","Key":{"pk":{"S":"big"}},"ProjectionExpression":"pk","ConsistentRead":true,"ReturnConsumedCapacity":"TOTAL"}`, `{"Item":{"pk":{"S":"big"}},"ConsumedCapacity":{"TableName":"au_hash","CapacityUnits":2}}`},
		step{"§6 update uses the larger size", "UpdateItem", `{"TableName":"au_hash","Key":{"pk":{"S":"big"}},"UpdateExpression":"REMOVE d","ReturnConsumedCapacity":"TOTAL"}`, `{"ConsumedCapacity":{"TableName":"au_hash","CapacityUnits":5}}`},
	)
	for _, s := range steps {
		status, body := srv.Do(t, s.op, s.body)
		if string(body) != s.want {
			t.Fatalf("%s: status %d\ngot  %s\nwant %s", s.name, status, body, s.want)
		}
	}
}
