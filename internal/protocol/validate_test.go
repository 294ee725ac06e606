package protocol

import (
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

func ptr[T any](v T) *T { return &v }

func keySchema(n int) []KeySchemaElement {
	ks := []KeySchemaElement{{AttributeName: ptr("pk"), KeyType: ptr(KeyTypeHash)}}
	for len(ks) < n {
		ks = append(ks, KeySchemaElement{AttributeName: ptr("sk"), KeyType: ptr(KeyTypeRange)})
	}
	return ks
}

func createTable(name string) *CreateTableInput {
	return &CreateTableInput{
		TableName:            ptr(name),
		AttributeDefinitions: []AttributeDefinition{{AttributeName: ptr("pk"), AttributeType: ptr(ScalarAttributeTypeS)}},
		KeySchema:            keySchema(1),
		BillingMode:          ptr(BillingModePayPerRequest),
	}
}

type validator interface{ Validate() error }

func TestValidate(t *testing.T) {
	longARN := "arn:aws:dynamodb:us-east-1:123456789012:table/" + strings.Repeat("t", 1000)
	tests := []struct {
		name string
		in   validator
		want string // "" = valid; a "*" prefix means "message contains"
	}{
		{"a valid CreateTable passes", createTable("abc"), ""},
		{"a two-character table name is too short", createTable("ab"),
			"1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"a short name with an illegal character gives two errors", createTable("a$"),
			"2 validation errors detected: Value 'a$' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
				"Value 'a$' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
		{"a quoted table name fails the pattern", createTable(`"smart-dcb-messages"`),
			`1 validation error detected: Value '"smart-dcb-messages"' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`},
		{"a table ARN is accepted as a table name", createTable("arn:aws:dynamodb:us-east-1:123456789012:table/t1"), ""},
		{"a table ARN over 1024 characters is rejected", createTable(longARN),
			"1 validation error detected: Value '" + longARN + "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 1024"},
		{"a missing TableName is null", &GetItemInput{Key: attr.Item{"pk": attr.Str("a")}},
			"1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{"two missing members are both listed", &GetItemInput{},
			"2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'key' failed to satisfy constraint: Member must not be null"},
		{"a bad ReturnValues lists the enum sorted", &PutItemInput{TableName: ptr("tbl"), Item: attr.Item{}, ReturnValues: ptr("ALL")},
			"1 validation error detected: Value 'ALL' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, ALL_OLD, NONE, UPDATED_NEW, UPDATED_OLD]"},
		{"ReturnValuesOnConditionCheckFailure ALL_NEW is rejected", &PutItemInput{TableName: ptr("tbl"), Item: attr.Item{}, ReturnValuesOnConditionCheckFailure: ptr("ALL_NEW")},
			"1 validation error detected: Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]"},
		{"Scan TotalSegments 1000001 is too large", &ScanInput{TableName: ptr("tbl"), TotalSegments: ptr(int32(1000001))},
			"1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000"},
		{"ExecuteStatement Limit 0 is too small", &ExecuteStatementInput{Statement: ptr("SELECT * FROM t"), Limit: ptr(int32(0))},
			"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"an empty KeySchema is too short", func() *CreateTableInput { c := createTable("tbl"); c.KeySchema = []KeySchemaElement{}; return c }(),
			"1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"a multi-attribute KeySchema of 8 is not capped at 2", func() *CreateTableInput { c := createTable("tbl"); c.KeySchema = keySchema(8); return c }(), ""},
		{"a 37-character ClientRequestToken is too long", &TransactWriteItemsInput{
			TransactItems:      []TransactWriteItem{{Put: &Put{TableName: ptr("tbl"), Item: attr.Item{}}}},
			ClientRequestToken: ptr(strings.Repeat("t", 37))},
			"1 validation error detected: Value 'ttttttttttttttttttttttttttttttttttttt' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36"},
		{"a nested missing member has a list path", &TransactWriteItemsInput{
			TransactItems: []TransactWriteItem{{ConditionCheck: &ConditionCheck{TableName: ptr("tbl"), Key: attr.Item{}}}}},
			"1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null"},
		{"an empty TransactItems list is too short", &TransactWriteItemsInput{TransactItems: []TransactWriteItem{}},
			"1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"26 writes for one table violate the map value constraint", &BatchWriteItemInput{
			RequestItems: map[string][]WriteRequest{"tbl": make([]WriteRequest, 26)}},
			"*at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"},
		{"a short table name as a BatchGetItem key violates the map key constraint", &BatchGetItemInput{
			RequestItems: map[string]KeysAndAttributes{"ab": {Keys: []attr.Item{{}}}}},
			"*at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"},
		{"an operation without constraints is valid", &DescribeLimitsInput{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			e, ok := apierr.As(err)
			if !ok {
				t.Fatalf("Validate() = %v, want *apierr.Error", err)
			}
			if e.Code != "ValidationException" || e.Status != 400 {
				t.Errorf("code/status = %s/%d, want ValidationException/400", e.Code, e.Status)
			}
			if want, ok := strings.CutPrefix(tt.want, "*"); ok {
				if !strings.Contains(e.Message, want) || !strings.HasPrefix(e.Message, "1 validation error detected: Value '") {
					t.Errorf("message = %q\nwant it to contain %q", e.Message, want)
				}
			} else if e.Message != tt.want {
				t.Errorf("message = %q\nwant      %q", e.Message, tt.want)
			}
		})
	}
}

// TestValidateDoesNotAllocate: Validate runs on every request, so a valid
// input must not allocate.
func TestValidateDoesNotAllocate(t *testing.T) {
	inputs := []struct {
		name string
		in   validator
	}{
		{"CreateTable", createTable("some_table.name-1")},
		{"PutItem", &PutItemInput{TableName: ptr("tbl"), Item: attr.Item{"pk": attr.Str("a")}, ReturnValues: ptr(ReturnValueAllOld)}},
		{"TransactWriteItems", &TransactWriteItemsInput{TransactItems: []TransactWriteItem{
			{Put: &Put{TableName: ptr("tbl"), Item: attr.Item{}}},
			{ConditionCheck: &ConditionCheck{TableName: ptr("tbl"), Key: attr.Item{}, ConditionExpression: ptr("attribute_exists(pk)")}},
		}}},
		{"BatchWriteItem", &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{
			"tbl": {{PutRequest: &PutRequest{Item: attr.Item{}}}, {DeleteRequest: &DeleteRequest{Key: attr.Item{}}}},
		}}},
	}
	for _, tt := range inputs {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.in.Validate(); err != nil {
				t.Fatalf("Validate() = %v", err)
			}
			if n := testing.AllocsPerRun(100, func() { _ = tt.in.Validate() }); n != 0 {
				t.Errorf("Validate allocated %v times per run, want 0", n)
			}
		})
	}
}
