package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// Deletion protection through the SDK: set on CreateTable, reported by
// DescribeTable (false when off, as DynamoDB always reports it), enforced by
// DeleteTable, and turned off with UpdateTable.
func TestDeletionProtection(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	schema := func(name string, protect *bool) *dynamodb.CreateTableInput {
		return &dynamodb.CreateTableInput{
			TableName:                 aws.String(name),
			KeySchema:                 []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
			AttributeDefinitions:      []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
			BillingMode:               types.BillingModePayPerRequest,
			DeletionProtectionEnabled: protect,
		}
	}
	protected := func(name string) bool {
		t.Helper()
		d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Table.DeletionProtectionEnabled == nil {
			t.Fatalf("DescribeTable of %s has no DeletionProtectionEnabled", name)
		}
		return *d.Table.DeletionProtectionEnabled
	}

	if _, err := c.CreateTable(ctx, schema("plain", nil)); err != nil {
		t.Fatal(err)
	}
	if protected("plain") {
		t.Fatal("a table created without deletion protection reports it on")
	}
	if _, err := c.CreateTable(ctx, schema("guarded", aws.Bool(true))); err != nil {
		t.Fatal(err)
	}
	if !protected("guarded") {
		t.Fatal("DeletionProtectionEnabled=true was not kept")
	}
	_, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("guarded")})
	wantAPIError(t, err, "ValidationException",
		"Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
	if _, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("guarded"), DeletionProtectionEnabled: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	if protected("guarded") {
		t.Fatal("UpdateTable DeletionProtectionEnabled=false was not applied")
	}
	if _, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("guarded")}); err != nil {
		t.Fatal(err)
	}
}
