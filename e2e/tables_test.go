package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/petreldb/petrel/internal/server/servertest"
)

func keySchema(elems ...string) []types.KeySchemaElement {
	var out []types.KeySchemaElement
	for i := 0; i+1 < len(elems); i += 2 {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(elems[i]), KeyType: types.KeyType(elems[i+1])})
	}
	return out
}

func attrDefs(elems ...string) []types.AttributeDefinition {
	var out []types.AttributeDefinition
	for i := 0; i+1 < len(elems); i += 2 {
		out = append(out, types.AttributeDefinition{AttributeName: aws.String(elems[i]), AttributeType: types.ScalarAttributeType(elems[i+1])})
	}
	return out
}

// createTable creates an on-demand table called name through c, keyed on
// elems: name and type pairs, the partition key then, if given, the sort
// key ("pk", "S", "sk", "N"). It returns the new table's description.
func createTable(t testing.TB, c *dynamodb.Client, name string, elems ...string) *types.TableDescription {
	t.Helper()
	in := &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest}
	for i := 0; i+1 < len(elems); i += 2 {
		kt := types.KeyTypeHash
		if i > 0 {
			kt = types.KeyTypeRange
		}
		in.KeySchema = append(in.KeySchema, types.KeySchemaElement{AttributeName: aws.String(elems[i]), KeyType: kt})
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String(elems[i]), AttributeType: types.ScalarAttributeType(elems[i+1])})
	}
	out, err := c.CreateTable(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateTable %s: %v", name, err)
	}
	return out.TableDescription
}

// onDemand is a valid CreateTable request for a hash+range on-demand table.
func onDemand(name string, mod func(*dynamodb.CreateTableInput)) *dynamodb.CreateTableInput {
	in := &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		KeySchema:            keySchema("pk", "HASH", "sk", "RANGE"),
		AttributeDefinitions: attrDefs("pk", "S", "sk", "N"),
		BillingMode:          types.BillingModePayPerRequest,
	}
	if mod != nil {
		mod(in)
	}
	return in
}

// wantAPIError checks that err is the API error code: msg.
func wantAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s: %s", err, code, msg)
	}
	if ae.ErrorCode() != code || ae.ErrorMessage() != msg {
		t.Fatalf("got  %s: %q\nwant %s: %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

func TestTableLifecycle(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	c := srv.Client()

	out, err := c.CreateTable(ctx, onDemand("lifecycle", func(in *dynamodb.CreateTableInput) {
		in.BillingMode = types.BillingModeProvisioned
		in.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(6)}
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeKeysOnly}
	}))
	if err != nil {
		t.Fatal(err)
	}
	d := out.TableDescription
	if d.TableStatus != types.TableStatusCreating {
		t.Fatalf("CreateTable status %s", d.TableStatus)
	}
	arn := aws.ToString(d.TableArn)
	if !strings.HasPrefix(arn, "arn:aws:dynamodb:"+servertest.Region+":") || !strings.HasSuffix(arn, ":table/lifecycle") {
		t.Fatalf("TableArn %s", arn)
	}
	if aws.ToString(d.LatestStreamArn) != arn+"/stream/"+aws.ToString(d.LatestStreamLabel) {
		t.Fatalf("stream arn %s", aws.ToString(d.LatestStreamArn))
	}

	t.Run("the TableExists waiter returns on its first poll", func(t *testing.T) {
		start := time.Now()
		err := dynamodb.NewTableExistsWaiter(c).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("lifecycle")}, 30*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("waiter took %v", el)
		}
	})
	t.Run("DescribeTable by name and by ARN", func(t *testing.T) {
		for _, name := range []string{"lifecycle", arn} {
			out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			tb := out.Table
			if tb.TableStatus != types.TableStatusActive || aws.ToInt64(tb.ItemCount) != 0 || aws.ToString(tb.TableId) != aws.ToString(d.TableId) ||
				aws.ToInt64(tb.ProvisionedThroughput.ReadCapacityUnits) != 5 || tb.CreationDateTime == nil || len(tb.KeySchema) != 2 {
				t.Fatalf("%s: %+v", name, tb)
			}
		}
	})
	t.Run("UpdateTable switches to on-demand", func(t *testing.T) {
		out, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("lifecycle"), BillingMode: types.BillingModePayPerRequest})
		if err != nil {
			t.Fatal(err)
		}
		bm := out.TableDescription.BillingModeSummary
		if bm == nil || bm.BillingMode != types.BillingModePayPerRequest || aws.ToInt64(out.TableDescription.ProvisionedThroughput.ReadCapacityUnits) != 0 {
			t.Fatalf("%+v", out.TableDescription)
		}
	})
	t.Run("DeleteTable, then the TableNotExists waiter returns at once", func(t *testing.T) {
		out, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("lifecycle")})
		if err != nil {
			t.Fatal(err)
		}
		if out.TableDescription.TableStatus != types.TableStatusDeleting {
			t.Fatalf("status %s", out.TableDescription.TableStatus)
		}
		start := time.Now()
		err = dynamodb.NewTableNotExistsWaiter(c).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("lifecycle")}, 30*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("waiter took %v", el)
		}
		_, err = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("lifecycle")})
		wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: lifecycle not found")
	})
}

func TestListTablesPagingE2E(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	var want []string
	for i := range 7 {
		name := fmt.Sprintf("list-%02d", i)
		want = append(want, name)
		if _, err := c.CreateTable(ctx, onDemand(name, nil)); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("the paginator visits every table once, in order", func(t *testing.T) {
		var got []string
		pages := 0
		p := dynamodb.NewListTablesPaginator(c, &dynamodb.ListTablesInput{Limit: aws.Int32(3)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			got = append(got, out.TableNames...)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || pages != 3 {
			t.Fatalf("%d pages: %v", pages, got)
		}
	})
	t.Run("a page ends with LastEvaluatedTableName only when more follow", func(t *testing.T) {
		out, err := c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(2), ExclusiveStartTableName: aws.String("list-04")})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(out.TableNames) != "[list-05 list-06]" || out.LastEvaluatedTableName != nil {
			t.Fatalf("%v %v", out.TableNames, aws.ToString(out.LastEvaluatedTableName))
		}
		out, err = c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(2)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.LastEvaluatedTableName) != "list-01" {
			t.Fatalf("LastEvaluatedTableName %v", aws.ToString(out.LastEvaluatedTableName))
		}
	})
}

const (
	vex = "ValidationException"
	rnf = "ResourceNotFoundException"
)

// TestInvalidTableRequests sends invalid control-plane requests through the
// SDK and checks DynamoDB's error code and exact message.
func TestInvalidTableRequests(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	if _, err := c.CreateTable(ctx, onDemand("existing", nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateTable(ctx, onDemand("provisioned", func(in *dynamodb.CreateTableInput) {
		in.BillingMode = types.BillingModeProvisioned
		in.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)}
	})); err != nil {
		t.Fatal(err)
	}
	create := func(mod func(*dynamodb.CreateTableInput)) func() error {
		return func() error { _, err := c.CreateTable(ctx, onDemand("newtable", mod)); return err }
	}
	update := func(in *dynamodb.UpdateTableInput) func() error {
		return func() error { _, err := c.UpdateTable(ctx, in); return err }
	}
	pt := func(r, w int64) *types.ProvisionedThroughput {
		return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(r), WriteCapacityUnits: aws.Int64(w)}
	}
	tests := []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"CreateTable of an existing table", func() error { _, err := c.CreateTable(ctx, onDemand("existing", nil)); return err },
			"ResourceInUseException", "Table already exists: existing"},
		{"a two-character table name", func() error { _, err := c.CreateTable(ctx, onDemand("ab", nil)); return err }, vex,
			"1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"three key elements", create(func(in *dynamodb.CreateTableInput) {
			in.KeySchema = keySchema("pk", "HASH", "sk", "RANGE", "x", "RANGE")
		}), vex,
			"Key Schema too big.  Key Schema must at most consist of the hash and range key of a table"},
		{"two hash keys", create(func(in *dynamodb.CreateTableInput) { in.KeySchema = keySchema("pk", "HASH", "sk", "HASH") }), vex,
			"Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key"},
		{"range before hash", create(func(in *dynamodb.CreateTableInput) { in.KeySchema = keySchema("sk", "RANGE", "pk", "HASH") }), vex,
			"Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second"},
		{"only a range key", create(func(in *dynamodb.CreateTableInput) { in.KeySchema = keySchema("sk", "RANGE") }), vex,
			"No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key"},
		{"the same attribute as hash and range", create(func(in *dynamodb.CreateTableInput) { in.KeySchema = keySchema("pk", "HASH", "pk", "RANGE") }), vex,
			"Two keys can not have the same name"},
		{"an attribute defined twice", create(func(in *dynamodb.CreateTableInput) {
			in.AttributeDefinitions = attrDefs("pk", "S", "pk", "S", "sk", "N")
		}), vex,
			"Cannot have two attributes with the same name"},
		{"a key attribute without a definition", create(func(in *dynamodb.CreateTableInput) { in.AttributeDefinitions = attrDefs("sk", "N") }), vex,
			"Hash Key not specified in Attribute Definitions.  Type unknown."},
		{"a definition no key uses", create(func(in *dynamodb.CreateTableInput) {
			in.AttributeDefinitions = attrDefs("pk", "S", "sk", "N", "x", "S")
		}), vex,
			"The number of attributes in key schema must match the number of attributes defined in attribute definitions."},
		{"a 256-byte key attribute name", create(func(in *dynamodb.CreateTableInput) {
			long := strings.Repeat("é", 128)
			in.KeySchema, in.AttributeDefinitions = keySchema(long, "HASH"), attrDefs(long, "S")
		}), vex, "Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive"},
		{"a GSI projecting INCLUDE without attributes", create(func(in *dynamodb.CreateTableInput) {
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{{IndexName: aws.String("gsi"), KeySchema: keySchema("sk", "HASH"),
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeInclude}}}
		}), vex, "If Projection type INCLUDE is specified, some non-key attributes to include in the projection must be specified as well"},
		{"PROVISIONED without throughput", create(func(in *dynamodb.CreateTableInput) { in.BillingMode = types.BillingModeProvisioned }), vex,
			"No provisioned throughput specified for the table"},
		{"PAY_PER_REQUEST with throughput", create(func(in *dynamodb.CreateTableInput) { in.ProvisionedThroughput = pt(1, 1) }), vex,
			"One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
		{"read capacity over 40,000", create(func(in *dynamodb.CreateTableInput) { in.BillingMode, in.ProvisionedThroughput = "", pt(40001, 1) }), vex,
			"Cannot increase provisioned throughput to more than 40,000 units per table"},
		{"a stream without a view type", create(func(in *dynamodb.CreateTableInput) {
			in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true)}
		}), vex, "Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams."},
		{"a disabled stream with a view type", create(func(in *dynamodb.CreateTableInput) {
			in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(false), StreamViewType: types.StreamViewTypeNewImage}
		}), vex, "Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present."},
		{"DescribeTable of a missing table", func() error {
			_, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("missing")})
			return err
		}, rnf, "Requested resource not found: Table: missing not found"},
		{"DeleteTable of a missing table", func() error {
			_, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("missing")})
			return err
		}, rnf, "Requested resource not found: Table: missing not found"},
		{"UpdateTable of a missing table", update(&dynamodb.UpdateTableInput{TableName: aws.String("missing"), BillingMode: types.BillingModePayPerRequest}),
			rnf, "Requested resource not found: Table: missing not found"},
		{"UpdateTable with nothing to update", update(&dynamodb.UpdateTableInput{TableName: aws.String("existing")}), vex, "Nothing to update"},
		{"UpdateTable to PROVISIONED without throughput", update(&dynamodb.UpdateTableInput{TableName: aws.String("existing"), BillingMode: types.BillingModeProvisioned}),
			vex, "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED"},
		{"UpdateTable to PAY_PER_REQUEST with throughput", update(&dynamodb.UpdateTableInput{TableName: aws.String("provisioned"),
			BillingMode: types.BillingModePayPerRequest, ProvisionedThroughput: pt(2, 2)}),
			vex, "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
		{"UpdateTable with unchanged throughput", update(&dynamodb.UpdateTableInput{TableName: aws.String("provisioned"), ProvisionedThroughput: pt(5, 5)}),
			vex, "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."},
		{"UpdateTable disabling a stream that is not there", update(&dynamodb.UpdateTableInput{TableName: aws.String("existing"),
			StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(false)}}), vex, "Table has no stream to disable"},
		{"ListTables with Limit 101", func() error {
			_, err := c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(101)})
			return err
		}, vex,
			"1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"ListTables with Limit 0", func() error { _, err := c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(0)}); return err }, vex,
			"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			wantAPIError(t, err, tt.code, tt.msg)
		})
	}
}

// TestInvalidTableRequestsRaw covers requests the SDK would refuse to send
// (missing required members), over raw HTTP.
func TestInvalidTableRequestsRaw(t *testing.T) {
	srv := servertest.Start(t)
	tests := []struct {
		name, target, body string
		code, msg          string
	}{
		{"CreateTable without a table name", "CreateTable",
			`{"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`,
			vex, "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{"CreateTable with an empty key schema", "CreateTable",
			`{"TableName":"rawt","KeySchema":[],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}`,
			vex, "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"CreateTable with an empty GSI list", "CreateTable",
			`{"TableName":"rawt","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[]}`,
			vex, "GSI list is empty/invalid"},
		{"DescribeTable without a table name", "DescribeTable", `{}`,
			vex, "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{"DeleteTable without a table name", "DeleteTable", `{}`,
			vex, "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := srv.Do(t, tt.target, tt.body)
			var e struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
				Msg2    string `json:"Message"`
			}
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			msg := e.Message + e.Msg2
			if status != 400 || !strings.HasSuffix(e.Type, "#"+tt.code) || msg != tt.msg {
				t.Fatalf("got %d %s %q\nwant 400 %s %q", status, e.Type, msg, tt.code, tt.msg)
			}
		})
	}
}
