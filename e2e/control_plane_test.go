package e2e

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// Fast waiter polling: the SDK's defaults (20 s minimum) are for AWS.
func fastExists(o *dynamodb.TableExistsWaiterOptions) {
	o.MinDelay, o.MaxDelay = 10*time.Millisecond, 40*time.Millisecond
}

func fastNotExists(o *dynamodb.TableNotExistsWaiterOptions) {
	o.MinDelay, o.MaxDelay = 10*time.Millisecond, 40*time.Millisecond
}

func describeStatus(t *testing.T, c *dynamodb.Client, name string) types.TableStatus {
	t.Helper()
	out, err := c.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Table.TableStatus
}

func putOne(c *dynamodb.Client, table string) error {
	_, err := c.PutItem(context.Background(), &dynamodb.PutItemInput{
		TableName: aws.String(table),
		Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "a"}, "sk": &types.AttributeValueMemberN{Value: "1"},
		},
	})
	return err
}

func TestTableWaitersWithoutDelay(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	start := time.Now()
	out, err := c.CreateTable(ctx, onDemand("instant", nil))
	if err != nil {
		t.Fatal(err)
	}
	if out.TableDescription.TableStatus != types.TableStatusCreating {
		t.Fatalf("CreateTable answered %s", out.TableDescription.TableStatus)
	}
	if got := describeStatus(t, c, "instant"); got != types.TableStatusActive {
		t.Fatalf("DescribeTable right after CreateTable: %s", got)
	}
	if err := dynamodb.NewTableExistsWaiter(c, fastExists).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("instant")}, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := putOne(c, "instant"); err != nil {
		t.Fatal(err)
	}
	del, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("instant")})
	if err != nil {
		t.Fatal(err)
	}
	if del.TableDescription.TableStatus != types.TableStatusDeleting {
		t.Fatalf("DeleteTable answered %s", del.TableDescription.TableStatus)
	}
	if err := dynamodb.NewTableNotExistsWaiter(c, fastNotExists).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("instant")}, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("instant changes took %v", d)
	}
}

func TestTableWaitersWithDelay(t *testing.T) {
	ctx := context.Background()
	const delay = 200 * time.Millisecond
	c := servertest.Start(t, servertest.WithTransientStatusDelay(delay)).Client()
	name := aws.String("delayed")
	inUse := func(what string) string {
		return "Attempt to change a resource which is still in use: Table is being " + what + ": delayed"
	}

	start := time.Now()
	if _, err := c.CreateTable(ctx, onDemand("delayed", nil)); err != nil {
		t.Fatal(err)
	}
	t.Run("a new table is CREATING and refuses items and changes", func(t *testing.T) {
		if got := describeStatus(t, c, "delayed"); got != types.TableStatusCreating {
			t.Fatalf("DescribeTable: %s", got)
		}
		wantAPIError(t, putOne(c, "delayed"), "ResourceNotFoundException", "Requested resource not found")
		_, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: name, TableClass: types.TableClassStandard})
		wantAPIError(t, err, "ResourceInUseException", inUse("created"))
		_, err = c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: name})
		wantAPIError(t, err, "ResourceInUseException", inUse("created"))
		_, err = c.CreateTable(ctx, onDemand("delayed", nil))
		wantAPIError(t, err, "ResourceInUseException", inUse("created"))
	})
	t.Run("TableExistsWaiter returns once the table is ACTIVE", func(t *testing.T) {
		out, err := dynamodb.NewTableExistsWaiter(c, fastExists).WaitForOutput(ctx, &dynamodb.DescribeTableInput{TableName: name}, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if out.Table.TableStatus != types.TableStatusActive {
			t.Fatalf("waiter returned %s", out.Table.TableStatus)
		}
		if d := time.Since(start); d < delay-5*time.Millisecond {
			t.Fatalf("ACTIVE after %v, before the %v delay", d, delay)
		}
		if err := putOne(c, "delayed"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an updated table is UPDATING and keeps serving items", func(t *testing.T) {
		out, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: name, TableClass: types.TableClassStandard})
		if err != nil {
			t.Fatal(err)
		}
		if out.TableDescription.TableStatus != types.TableStatusUpdating {
			t.Fatalf("UpdateTable answered %s", out.TableDescription.TableStatus)
		}
		if got := describeStatus(t, c, "delayed"); got != types.TableStatusUpdating {
			t.Fatalf("DescribeTable: %s", got)
		}
		if err := putOne(c, "delayed"); err != nil {
			t.Fatal(err)
		}
		_, err = c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: name, TableClass: types.TableClassStandardInfrequentAccess})
		wantAPIError(t, err, "ResourceInUseException", inUse("updated"))
		if err := dynamodb.NewTableExistsWaiter(c, fastExists).Wait(ctx, &dynamodb.DescribeTableInput{TableName: name}, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a deleted table is DELETING until TableNotExistsWaiter returns", func(t *testing.T) {
		// The waiter above returned on ACTIVE, so the table can be deleted.
		out, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: name})
		if err != nil {
			t.Fatal(err)
		}
		deleted := time.Now()
		if out.TableDescription.TableStatus != types.TableStatusDeleting || aws.ToInt64(out.TableDescription.ItemCount) != 1 {
			t.Fatalf("DeleteTable answered %s with %d items", out.TableDescription.TableStatus, aws.ToInt64(out.TableDescription.ItemCount))
		}
		if got := describeStatus(t, c, "delayed"); got != types.TableStatusDeleting {
			t.Fatalf("DescribeTable: %s", got)
		}
		lt, err := c.ListTables(ctx, &dynamodb.ListTablesInput{})
		if err != nil || len(lt.TableNames) != 1 {
			t.Fatalf("ListTables while DELETING: %v %v", lt.TableNames, err)
		}
		wantAPIError(t, putOne(c, "delayed"), "ResourceNotFoundException", "Requested resource not found")
		if _, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: name}); err != nil {
			t.Fatalf("deleting a DELETING table again: %v", err)
		}
		_, err = c.CreateTable(ctx, onDemand("delayed", nil))
		wantAPIError(t, err, "ResourceInUseException", inUse("deleted"))
		if err := dynamodb.NewTableNotExistsWaiter(c, fastNotExists).Wait(ctx, &dynamodb.DescribeTableInput{TableName: name}, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(deleted); d < delay-20*time.Millisecond {
			t.Fatalf("gone after %v, before the %v delay", d, delay)
		}
		_, err = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: name})
		wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: delayed not found")
	})
	t.Run("the name can be used again once the table is gone", func(t *testing.T) {
		if _, err := c.CreateTable(ctx, onDemand("delayed", nil)); err != nil {
			t.Fatal(err)
		}
		if err := dynamodb.NewTableExistsWaiter(c, fastExists).Wait(ctx, &dynamodb.DescribeTableInput{TableName: name}, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDescribeLimitsAndEndpoints(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	c := srv.Client()
	t.Run("DescribeLimits answers DynamoDB's default quotas", func(t *testing.T) {
		out, err := c.DescribeLimits(ctx, &dynamodb.DescribeLimitsInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToInt64(out.AccountMaxReadCapacityUnits) != 80000 || aws.ToInt64(out.AccountMaxWriteCapacityUnits) != 80000 ||
			aws.ToInt64(out.TableMaxReadCapacityUnits) != 40000 || aws.ToInt64(out.TableMaxWriteCapacityUnits) != 40000 {
			t.Fatalf("limits %+v", out)
		}
	})
	t.Run("DescribeEndpoints answers the address the client used", func(t *testing.T) {
		out, err := c.DescribeEndpoints(ctx, &dynamodb.DescribeEndpointsInput{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Endpoints) != 1 || aws.ToString(out.Endpoints[0].Address) != srv.Addr() || out.Endpoints[0].CachePeriodInMinutes != 1440 {
			t.Fatalf("endpoints %+v, want %s", out.Endpoints, srv.Addr())
		}
	})
	t.Run("the wire bodies are DynamoDB's", func(t *testing.T) {
		status, body := srv.Do(t, "DescribeLimits", "{}")
		const limits = `{"AccountMaxReadCapacityUnits":80000,"AccountMaxWriteCapacityUnits":80000,"TableMaxReadCapacityUnits":40000,"TableMaxWriteCapacityUnits":40000}`
		if status != 200 || string(body) != limits {
			t.Fatalf("DescribeLimits: %d %s", status, body)
		}
		status, body = srv.Do(t, "DescribeEndpoints", "{}")
		var got struct {
			Endpoints []struct {
				Address              string
				CachePeriodInMinutes int64
			}
		}
		if err := json.Unmarshal(body, &got); err != nil || status != 200 || len(got.Endpoints) != 1 ||
			got.Endpoints[0].Address != srv.Addr() || got.Endpoints[0].CachePeriodInMinutes != 1440 {
			t.Fatalf("DescribeEndpoints: %d %s", status, body)
		}
	})
}
