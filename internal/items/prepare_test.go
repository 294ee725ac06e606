package items

import (
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/protocol"
)

// TestPrepareErrors checks the prepare step's messages and their order
// against errors.md; nothing in these requests may reach storage.
func TestPrepareErrors(t *testing.T) {
	s, ctx := siService(t)
	big := strings.Repeat("x", 409600)
	const (
		val = "ValidationException"
		rnf = "ResourceNotFoundException"
	)
	tests := []struct {
		name, op, body, code, msg string
	}{
		{"put on a missing table is ResourceNotFound", "put", `{"TableName":"nope","Item":{"pk":{"S":"a"}}}`, rnf, "Requested resource not found"},
		{"put without the hash key", "put", `{"TableName":"hash","Item":{"x":{"S":"a"}}}`, val, "One or more parameter values were invalid: Missing the key pk in the item"},
		{"put without the range key", "put", `{"TableName":"comp","Item":{"pk":{"S":"a"}}}`, val, "One or more parameter values were invalid: Missing the key sk in the item"},
		{"put with a mistyped key", "put", `{"TableName":"hash","Item":{"pk":{"N":"1"}}}`, val, "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"},
		{"put with an empty string key", "put", `{"TableName":"hash","Item":{"pk":{"S":""}}}`, val, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"put with an empty binary key", "put", `{"TableName":"bin","Item":{"pk":{"B":""}}}`, val, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk"},
		{"put with a 2049-byte hash key", "put", `{"TableName":"hash","Item":{"pk":{"S":"` + strings.Repeat("k", 2049) + `"}}}`, val, "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes"},
		{"put with a bad key number", "put", `{"TableName":"comp","Item":{"pk":{"S":"a"},"sk":{"N":"abc"}}}`, val, "A value provided cannot be converted into a number"},
		{"put with ReturnValues UPDATED_NEW", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ReturnValues":"UPDATED_NEW"}`, val, "Return values set to invalid value"},
		{"put mixing ConditionExpression and Expected", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)","Expected":{"pk":{"Exists":false}}}`, val, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"},
		{"put with values but no expression", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ExpressionAttributeValues":{":v":{"S":"x"}}}`, val, "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"},
		{"put with names but no expression", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#n":"x"}}`, val, "ExpressionAttributeNames can only be specified when using expressions"},
		{"put with empty names", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)","ExpressionAttributeNames":{}}`, val, "ExpressionAttributeNames must not be empty"},
		{"put with an invalid value key", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{"v":{"S":"x"}}}`, val, `ExpressionAttributeValues contains invalid key: Syntax error; key: "v"`},
		{"put with an empty set value", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{":v":{"SS":[]}}}`, val, "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v"},
		{"put with an unused value", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{":w":{"S":"x"}}}`, val, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
		{"put with an undefined value", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ConditionExpression":"pk = :nope"}`, val, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"put with a condition syntax error", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"ConditionExpression":"a = "}`, val, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "`},
		{"put of an item over 400 KB", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"},"d":{"S":"` + big + `"}}}`, val, "Item size has exceeded the maximum allowed size"},
		{"put with an empty set attribute", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"},"s":{"NS":[]}}}`, val, "One or more parameter values were invalid: An number set  may not be empty"},
		{"put with an empty attribute name", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"},"":{"S":"x"}}}`, val, "Empty attribute name"},
		{"put with a legacy Exists:false and a value", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"Expected":{"a":{"Exists":false,"Value":{"S":"x"}}}}`, val, "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a"},
		{"put with a legacy EQ of two values", "put", `{"TableName":"hash","Item":{"pk":{"S":"a"}},"Expected":{"a":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"x"},{"S":"y"}]}}}`, val, "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"},

		{"get with an extra key attribute", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"},"x":{"S":"b"}}}`, val, "The provided key element does not match the schema"},
		{"get without the range key", "get", `{"TableName":"comp","Key":{"pk":{"S":"a"}}}`, val, "The provided key element does not match the schema"},
		{"get with a mistyped key", "get", `{"TableName":"comp","Key":{"pk":{"S":"a"},"sk":{"S":"1"}}}`, val, "The provided key element does not match the schema"},
		{"get with an empty key", "get", `{"TableName":"hash","Key":{}}`, val, "The provided key element does not match the schema"},
		{"get with an empty range key", "get", `{"TableName":"comp","Key":{"pk":{"S":""},"sk":{"N":"1"}}}`, val, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"get on a missing table", "get", `{"TableName":"nope","Key":{"pk":{"S":"a"}}}`, rnf, "Requested resource not found"},
		{"get mixing projection kinds", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"AttributesToGet":["a"],"ProjectionExpression":"a"}`, val, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"},
		{"get with names but no projection", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ExpressionAttributeNames":{"#a":"a"}}`, val, "ExpressionAttributeNames can only be specified when using expressions"},
		{"get with duplicate AttributesToGet", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"AttributesToGet":["a","a"]}`, val, "Cannot have two attributes with the same name"},
		{"get with unused names", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"a","ExpressionAttributeNames":{"#n":"x","#m":"y"}}`, val, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#m, #n}"},
		{"get with a reserved word", "get", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ProjectionExpression":"name"}`, val, "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"},

		{"update mixing UpdateExpression and AttributeUpdates", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :v","AttributeUpdates":{"a":{"Action":"DELETE"}},"ExpressionAttributeValues":{":v":{"S":"x"}}}`, val, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}"},
		{"update with values but no expressions", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ExpressionAttributeValues":{":v":{"S":"x"}}}`, val, "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"},
		{"update with an incomplete SET", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a ="}`, val, `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="`},
		{"update with overlapping paths", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET m = :v, m.x = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}`, val, "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, x]"},
		{"update of the hash key", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET pk = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}`, val, "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
		{"update of a key whose condition fails reports the condition", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET pk = :v","ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{":v":{"S":"x"}}}`, "ConditionalCheckFailedException", "The conditional request failed"},
		{"update syntax is checked before the condition", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a =","ConditionExpression":"a = "}`, val, `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="`},
		{"update with a legacy PUT without value", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"AttributeUpdates":{"a":{"Action":"PUT"}}}`, val, "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified"},
		{"update result over 400 KB", "update", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET d = :v","ExpressionAttributeValues":{":v":{"S":"` + big + `"}}}`, val, "Item size to update has exceeded the maximum allowed size"},

		{"delete with ReturnValues ALL_NEW", "delete", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ReturnValues":"ALL_NEW"}`, val, "Return values set to invalid value"},
		{"delete with a key missing the hash key", "delete", `{"TableName":"comp","Key":{"sk":{"N":"1"},"x":{"S":"a"}}}`, val, "The provided key element does not match the schema"},
		{"delete with a failing condition", "delete", `{"TableName":"hash","Key":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)"}`, "ConditionalCheckFailedException", "The conditional request failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			switch tc.op {
			case "put":
				var in protocol.PutItemInput
				siDecode(t, tc.body, &in)
				_, err = s.PutItem(ctx, &in)
			case "get":
				var in protocol.GetItemInput
				siDecode(t, tc.body, &in)
				_, err = s.GetItem(ctx, &in)
			case "update":
				var in protocol.UpdateItemInput
				siDecode(t, tc.body, &in)
				_, err = s.UpdateItem(ctx, &in)
			case "delete":
				var in protocol.DeleteItemInput
				siDecode(t, tc.body, &in)
				_, err = s.DeleteItem(ctx, &in)
			}
			siWantErr(t, err, tc.code, tc.msg)
		})
	}
}
