package tables

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/catalog/catalogtest"
	"github.com/petreldb/petrel/internal/protocol"
)

// fixedNow is the clock of the unit tests.
var fixedNow = time.Date(2024, 5, 1, 10, 20, 30, 123456789, time.UTC)

func newService(t *testing.T) *Service {
	t.Helper()
	eng := catalogtest.NewEngine()
	cat, err := catalog.Open(eng)
	if err != nil {
		t.Fatal(err)
	}
	return New(cat, eng).WithClock(func() time.Time { return fixedNow })
}

func ks(elems ...string) []protocol.KeySchemaElement {
	var out []protocol.KeySchemaElement
	for i := 0; i+1 < len(elems); i += 2 {
		out = append(out, protocol.KeySchemaElement{AttributeName: ptr(elems[i]), KeyType: ptr(elems[i+1])})
	}
	return out
}

func defs(elems ...string) []protocol.AttributeDefinition {
	var out []protocol.AttributeDefinition
	for i := 0; i+1 < len(elems); i += 2 {
		out = append(out, protocol.AttributeDefinition{AttributeName: ptr(elems[i]), AttributeType: ptr(elems[i+1])})
	}
	return out
}

func pt(r, w int64) *protocol.ProvisionedThroughput {
	return &protocol.ProvisionedThroughput{ReadCapacityUnits: ptr(r), WriteCapacityUnits: ptr(w)}
}

// createIn is a valid on-demand CreateTable request for a hash+range table;
// mod changes it.
func createIn(name string, mod func(*protocol.CreateTableInput)) *protocol.CreateTableInput {
	in := &protocol.CreateTableInput{
		TableName:            ptr(name),
		KeySchema:            ks("pk", "HASH", "sk", "RANGE"),
		AttributeDefinitions: defs("pk", "S", "sk", "N"),
		BillingMode:          ptr("PAY_PER_REQUEST"),
	}
	if mod != nil {
		mod(in)
	}
	return in
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok {
		t.Fatalf("err = %v, want %s: %s", err, code, msg)
	}
	if e.Code != code || e.Message != msg {
		t.Fatalf("err = %s: %q\nwant  %s: %q", e.Code, e.Message, code, msg)
	}
}

const validation = "ValidationException"

func TestCreateTableValidation(t *testing.T) {
	tests := []struct {
		name string
		in   *protocol.CreateTableInput
		code string
		msg  string
	}{
		{"a two-character name is invalid", createIn("ab", nil), validation, msgTableName},
		{"a name with a space is invalid", createIn("a b c", nil), validation, msgTableName},
		{"a 256-character name is invalid", createIn(strings.Repeat("a", 256), nil), validation, msgTableName},
		{"a missing name is invalid", createIn("x", func(in *protocol.CreateTableInput) { in.TableName = nil }), validation, msgTableName},
		{"a missing key schema is rejected", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = nil }), validation, msgNoKeySchema},
		{"an empty key schema is rejected", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks() }), validation, msgNoKeySchema},
		{"three key elements are too many", createIn("t1x", func(in *protocol.CreateTableInput) {
			in.KeySchema = ks("pk", "HASH", "sk", "RANGE", "x", "RANGE")
		}), validation, msgKeySchemaTooBig},
		{"two hash keys are rejected", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks("pk", "HASH", "sk", "HASH") }), validation, msgTooManyHashKeys},
		{"range before hash is the wrong order", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks("sk", "RANGE", "pk", "HASH") }), validation, msgKeyOrder},
		{"a lone range key has no hash key", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks("sk", "RANGE") }), validation, msgNoHashKey},
		{"two range keys have no hash key", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks("pk", "RANGE", "sk", "RANGE") }), validation, msgNoHashKey},
		{"an unknown key type has no hash key", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks("pk", "PARTITION") }), validation, msgNoHashKey},
		{"hash and range of the same name", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks("pk", "HASH", "pk", "RANGE") }), validation, msgSameKeyName},
		{"an empty key name", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks("", "HASH") }), validation, msgKeyNameLength},
		{"a 256-byte key name", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks(strings.Repeat("k", 256), "HASH") }), validation, msgKeyNameLength},
		{"a 128-rune key name of 256 bytes", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks(strings.Repeat("é", 128), "HASH") }), validation, msgKeyNameLength},
		{"missing attribute definitions", createIn("t1x", func(in *protocol.CreateTableInput) { in.AttributeDefinitions = nil }), validation, msgNoAttrSchema},
		{"empty attribute definitions", createIn("t1x", func(in *protocol.CreateTableInput) { in.AttributeDefinitions = defs() }), validation, msgNoAttrSchema},
		{"an attribute defined twice", createIn("t1x", func(in *protocol.CreateTableInput) { in.AttributeDefinitions = defs("pk", "S", "pk", "N") }), validation, msgDuplicateAttr},
		{"a BOOL attribute type", createIn("t1x", func(in *protocol.CreateTableInput) { in.AttributeDefinitions = defs("pk", "BOOL", "sk", "N") }), validation, msgAttrType},
		{"an empty attribute definition name", createIn("t1x", func(in *protocol.CreateTableInput) { in.AttributeDefinitions = defs("pk", "S", "", "N") }), validation, msgKeyNameLength},
		{"the hash key is not defined", createIn("t1x", func(in *protocol.CreateTableInput) { in.AttributeDefinitions = defs("sk", "N", "x", "S") }), validation, msgHashNotDefined},
		{"the range key is not defined", createIn("t1x", func(in *protocol.CreateTableInput) { in.AttributeDefinitions = defs("pk", "S", "x", "S") }), validation, msgRangeNotDefined},
		{"an attribute used by no key", createIn("t1x", func(in *protocol.CreateTableInput) { in.AttributeDefinitions = defs("pk", "S", "sk", "N", "x", "B") }), validation, msgAttrCountMismatch},
		{"a hash-only table with a range definition", createIn("t1x", func(in *protocol.CreateTableInput) { in.KeySchema = ks("pk", "HASH") }), validation, msgAttrCountMismatch},
		{"an empty LSI list", createIn("t1x", func(in *protocol.CreateTableInput) { in.LocalSecondaryIndexes = []protocol.LocalSecondaryIndex{} }), validation, msgLSIListEmpty},
		{"an empty GSI list", createIn("t1x", func(in *protocol.CreateTableInput) { in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{} }), validation, msgGSIListEmpty},
		{"an LSI without a key schema", createIn("t1x", func(in *protocol.CreateTableInput) {
			in.LocalSecondaryIndexes = []protocol.LocalSecondaryIndex{{IndexName: ptr("lsi")}}
		}), validation, msgNoKeySchema},
		{"a GSI without a key schema", createIn("t1x", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{{IndexName: ptr("gsi")}}
		}), validation, msgNoKeySchema},
		{"PROVISIONED without throughput", createIn("t1x", func(in *protocol.CreateTableInput) { in.BillingMode = ptr("PROVISIONED") }), validation, msgNoThroughput},
		{"no billing mode and no throughput", createIn("t1x", func(in *protocol.CreateTableInput) { in.BillingMode = nil }), validation, msgNoThroughput},
		{"PAY_PER_REQUEST with throughput", createIn("t1x", func(in *protocol.CreateTableInput) { in.ProvisionedThroughput = pt(1, 1) }), validation, msgPayPerRequestPT},
		{"zero read capacity", createIn("t1x", func(in *protocol.CreateTableInput) { in.BillingMode, in.ProvisionedThroughput = nil, pt(0, 1) }), validation, msgThroughputTooLow},
		{"zero write capacity", createIn("t1x", func(in *protocol.CreateTableInput) { in.BillingMode, in.ProvisionedThroughput = nil, pt(1, 0) }), validation, msgThroughputTooLow},
		{"missing write capacity", createIn("t1x", func(in *protocol.CreateTableInput) {
			in.BillingMode, in.ProvisionedThroughput = nil, &protocol.ProvisionedThroughput{ReadCapacityUnits: ptr(int64(5))}
		}), validation, msgThroughputTooLow},
		{"read capacity over the table quota", createIn("t1x", func(in *protocol.CreateTableInput) { in.BillingMode, in.ProvisionedThroughput = nil, pt(40001, 1) }), validation, msgThroughputTooHigh},
		{"write capacity over the table quota", createIn("t1x", func(in *protocol.CreateTableInput) {
			in.BillingMode, in.ProvisionedThroughput = ptr("PROVISIONED"), pt(1, 40001)
		}), validation, msgThroughputTooHigh},
		{"a stream enabled without a view type", createIn("t1x", func(in *protocol.CreateTableInput) {
			in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(true)}
		}), validation, msgStreamNoViewType},
		{"a disabled stream with a view type", createIn("t1x", func(in *protocol.CreateTableInput) {
			in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(false), StreamViewType: ptr("KEYS_ONLY")}
		}), validation, msgStreamViewTypeOff},
		{"an existing table", createIn("exists", nil), "ResourceInUseException", "Table already exists: exists"},
	}
	s := newService(t)
	if _, err := s.CreateTable(context.Background(), createIn("exists", nil)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateTable(context.Background(), tt.in)
			wantErr(t, err, tt.code, tt.msg)
		})
	}
	if got := s.cat.List("shared"); len(got) != 1 {
		t.Fatalf("tables after failed creates: %v", got)
	}
}

func TestUpdateTableValidation(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	mustCreate(t, s, createIn("ondemand", nil))
	mustCreate(t, s, createIn("prov", func(in *protocol.CreateTableInput) { in.BillingMode, in.ProvisionedThroughput = nil, pt(5, 5) }))
	mustCreate(t, s, createIn("streamed", func(in *protocol.CreateTableInput) {
		in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(true), StreamViewType: ptr("NEW_IMAGE")}
	}))
	up := func(name string, mod func(*protocol.UpdateTableInput)) *protocol.UpdateTableInput {
		in := &protocol.UpdateTableInput{TableName: ptr(name)}
		if mod != nil {
			mod(in)
		}
		return in
	}
	notFound := "Requested resource not found: Table: nope not found"
	tests := []struct {
		name string
		in   *protocol.UpdateTableInput
		code string
		msg  string
	}{
		{"an invalid name", up("ab", func(in *protocol.UpdateTableInput) { in.TableClass = ptr("STANDARD") }), validation, msgTableName},
		{"only a table name is nothing to update", up("ondemand", nil), validation, msgNothingToUpdate},
		{"attribute definitions alone are nothing to update", up("ondemand", func(in *protocol.UpdateTableInput) { in.AttributeDefinitions = defs("x", "S") }), validation, msgNothingToUpdate},
		{"a missing table", up("nope", func(in *protocol.UpdateTableInput) { in.TableClass = ptr("STANDARD") }), "ResourceNotFoundException", notFound},
		{"a missing table by ARN", up("arn:aws:dynamodb:us-east-1:000000000000:table/nope", func(in *protocol.UpdateTableInput) { in.TableClass = ptr("STANDARD") }), "ResourceNotFoundException", notFound},
		{"a stream enabled without a view type", up("ondemand", func(in *protocol.UpdateTableInput) {
			in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(true)}
		}), validation, msgStreamNoViewType},
		{"a disabled stream with a view type", up("ondemand", func(in *protocol.UpdateTableInput) {
			in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(false), StreamViewType: ptr("NEW_IMAGE")}
		}), validation, msgStreamViewTypeOff},
		{"PAY_PER_REQUEST with throughput", up("prov", func(in *protocol.UpdateTableInput) {
			in.BillingMode, in.ProvisionedThroughput = ptr("PAY_PER_REQUEST"), pt(1, 1)
		}), validation, msgPayPerRequestPT},
		{"throughput on an on-demand table", up("ondemand", func(in *protocol.UpdateTableInput) { in.ProvisionedThroughput = pt(1, 1) }), validation, msgPayPerRequestPT},
		{"zero read capacity", up("prov", func(in *protocol.UpdateTableInput) { in.ProvisionedThroughput = pt(0, 1) }), validation, msgThroughputTooLow},
		{"capacity over the table quota", up("prov", func(in *protocol.UpdateTableInput) { in.ProvisionedThroughput = pt(1, 40001) }), validation, msgThroughputTooHigh},
		{"switching to PROVISIONED without throughput", up("ondemand", func(in *protocol.UpdateTableInput) { in.BillingMode = ptr("PROVISIONED") }), validation, msgProvisionedNeedsPT},
		{"unchanged throughput", up("prov", func(in *protocol.UpdateTableInput) { in.ProvisionedThroughput = pt(5, 5) }), validation,
			"The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."},
		{"enabling a stream twice", up("streamed", func(in *protocol.UpdateTableInput) {
			in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(true), StreamViewType: ptr("KEYS_ONLY")}
		}), "ResourceInUseException", msgStreamAlreadyOn},
		{"disabling a stream that is not there", up("ondemand", func(in *protocol.UpdateTableInput) {
			in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(false)}
		}), validation, msgNoStreamToDisable},
		{"an empty index update action", up("ondemand", func(in *protocol.UpdateTableInput) {
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{}}
		}), validation, msgGSIActionNull},
		{"replica updates are not supported", up("ondemand", func(in *protocol.UpdateTableInput) {
			in.ReplicaUpdates = []protocol.ReplicationGroupUpdate{{}}
		}), validation, msgReplicasUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.UpdateTable(ctx, tt.in)
			wantErr(t, err, tt.code, tt.msg)
		})
	}
}

func TestDescribeDeleteListValidation(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	mustCreate(t, s, createIn("protected", nil))
	if _, err := s.cat.Update(ctx, "shared", "protected", func(t *catalog.Table) error {
		t.DeletionProtection = true
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rnf := "ResourceNotFoundException"
	tests := []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"DescribeTable of a missing table", func() error {
			_, err := s.DescribeTable(ctx, &protocol.DescribeTableInput{TableName: ptr("nope")})
			return err
		}, rnf, "Requested resource not found: Table: nope not found"},
		{"DescribeTable of a missing table ARN", func() error {
			_, err := s.DescribeTable(ctx, &protocol.DescribeTableInput{TableName: ptr("arn:aws:dynamodb:us-east-1:000000000000:table/gone")})
			return err
		}, rnf, "Requested resource not found: Table: gone not found"},
		{"DescribeTable of an index ARN", func() error {
			_, err := s.DescribeTable(ctx, &protocol.DescribeTableInput{TableName: ptr("arn:aws:dynamodb:us-east-1:000000000000:table/protected/index/i")})
			return err
		}, rnf, "Requested resource not found: Table: arn:aws:dynamodb:us-east-1:000000000000:table/protected/index/i not found"},
		{"DescribeTable names are case-sensitive", func() error {
			_, err := s.DescribeTable(ctx, &protocol.DescribeTableInput{TableName: ptr("PROTECTED")})
			return err
		}, rnf, "Requested resource not found: Table: PROTECTED not found"},
		{"DeleteTable of a missing table", func() error {
			_, err := s.DeleteTable(ctx, &protocol.DeleteTableInput{TableName: ptr("nope")})
			return err
		}, rnf, "Requested resource not found: Table: nope not found"},
		{"DeleteTable of a protected table", func() error {
			_, err := s.DeleteTable(ctx, &protocol.DeleteTableInput{TableName: ptr("protected")})
			return err
		}, validation, msgDeletionProtected},
		{"ListTables with Limit 0", func() error {
			_, err := s.ListTables(ctx, &protocol.ListTablesInput{Limit: ptr(int32(0))})
			return err
		}, validation, msgListLimitLow},
		{"ListTables with Limit 101", func() error {
			_, err := s.ListTables(ctx, &protocol.ListTablesInput{Limit: ptr(int32(101))})
			return err
		}, validation, msgListLimitHigh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErr(t, tt.call(), tt.code, tt.msg) })
	}
	if _, err := s.DescribeTable(ctx, &protocol.DescribeTableInput{TableName: ptr("protected")}); err != nil {
		t.Fatalf("protected table was deleted: %v", err)
	}
}

func mustCreate(t *testing.T, s *Service, in *protocol.CreateTableInput) *protocol.TableDescription {
	t.Helper()
	out, err := s.CreateTable(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out.TableDescription
}
