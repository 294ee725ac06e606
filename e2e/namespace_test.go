package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/petreldb/petrel/internal/server/servertest"
	"github.com/petreldb/petrel/internal/sigv4"
)

// nsTable creates a hash-key table called name through c.
func nsTable(t *testing.T, c *dynamodb.Client, name string) *types.TableDescription {
	t.Helper()
	return createTable(t, c, name, "pk", "S")
}

// nsPut writes {pk: pk, owner: owner} into table name.
func nsPut(t *testing.T, c *dynamodb.Client, name, pk, owner string) {
	t.Helper()
	_, err := c.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(name), Item: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: pk}, "owner": &types.AttributeValueMemberS{Value: owner},
	}})
	if err != nil {
		t.Fatalf("PutItem: %v", err)
	}
}

// nsOwner reads the owner attribute of item pk of table name ("" if the item
// is missing).
func nsOwner(t *testing.T, c *dynamodb.Client, name, pk string) string {
	t.Helper()
	out, err := c.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(name),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	if s, ok := out.Item["owner"].(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

func nsList(t *testing.T, c *dynamodb.Client) []string {
	t.Helper()
	out, err := c.ListTables(context.Background(), &dynamodb.ListTablesInput{})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	return out.TableNames
}

func TestNamespacesPerAccessKeyAndRegion(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	alice := srv.ClientWith("AKIDALICE", "any-secret", "us-east-1")
	bob := srv.ClientWith("AKIDBOB", "another-secret", "us-east-1")
	aliceEU := srv.ClientWith("AKIDALICE", "any-secret", "eu-west-1")

	d := nsTable(t, alice, "orders")
	nsPut(t, alice, "orders", "o1", "alice")

	t.Run("the ARN carries the account derived from the key and the signing region", func(t *testing.T) {
		want := "arn:aws:dynamodb:us-east-1:" + sigv4.DevAccount("AKIDALICE") + ":table/orders"
		if got := aws.ToString(d.TableArn); got != want {
			t.Errorf("TableArn = %s, want %s", got, want)
		}
	})
	t.Run("the default test client keeps working in its own namespace", func(t *testing.T) {
		if got := nsList(t, srv.Client()); len(got) != 0 {
			t.Errorf("AKIDEXAMPLE sees %v", got)
		}
	})
	for _, other := range []struct {
		name string
		c    *dynamodb.Client
	}{{"another access key", bob}, {"the same key in another region", aliceEU}} {
		t.Run(other.name+" sees none of the tables", func(t *testing.T) {
			if got := nsList(t, other.c); len(got) != 0 {
				t.Errorf("ListTables = %v, want none", got)
			}
			_, err := other.c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"),
				Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "o1"}}})
			wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found")
		})
	}
	t.Run("a table of the same name elsewhere is a different table", func(t *testing.T) {
		nsTable(t, bob, "orders")
		nsTable(t, aliceEU, "orders")
		nsPut(t, bob, "orders", "o1", "bob")
		nsPut(t, aliceEU, "orders", "o1", "alice-eu")
		for _, c := range []struct {
			c    *dynamodb.Client
			want string
		}{{alice, "alice"}, {bob, "bob"}, {aliceEU, "alice-eu"}} {
			if got := nsOwner(t, c.c, "orders", "o1"); got != c.want {
				t.Errorf("owner = %q, want %q", got, c.want)
			}
		}
		d, err := aliceEU.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})
		if err != nil {
			t.Fatal(err)
		}
		if want := "arn:aws:dynamodb:eu-west-1:" + sigv4.DevAccount("AKIDALICE") + ":table/orders"; aws.ToString(d.Table.TableArn) != want {
			t.Errorf("TableArn = %s, want %s", aws.ToString(d.Table.TableArn), want)
		}
	})
	t.Run("deleting one namespace's table leaves the others", func(t *testing.T) {
		if _, err := bob.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("orders")}); err != nil {
			t.Fatal(err)
		}
		if got := nsOwner(t, alice, "orders", "o1"); got != "alice" {
			t.Errorf("alice's item is %q after bob's DeleteTable", got)
		}
	})
}

func TestSharedDBSeesOneNamespace(t *testing.T) {
	srv := servertest.Start(t, servertest.WithSharedDB())
	alice := srv.ClientWith("AKIDALICE", "s", "us-east-1")
	bobEU := srv.ClientWith("AKIDBOB", "t", "eu-west-1")

	nsTable(t, alice, "shared_tbl")
	nsPut(t, alice, "shared_tbl", "k", "alice")
	if got := nsList(t, bobEU); !slices.Equal(got, []string{"shared_tbl"}) {
		t.Fatalf("another key in another region lists %v", got)
	}
	if got := nsOwner(t, bobEU, "shared_tbl", "k"); got != "alice" {
		t.Errorf("another key reads owner %q", got)
	}
	nsPut(t, bobEU, "shared_tbl", "k", "bob")
	if got := nsOwner(t, alice, "shared_tbl", "k"); got != "bob" {
		t.Errorf("the first key reads owner %q after the other's write", got)
	}
	_, err := bobEU.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName: aws.String("shared_tbl"), KeySchema: keySchema("pk", "HASH"), AttributeDefinitions: attrDefs("pk", "S"),
		BillingMode: types.BillingModePayPerRequest,
	})
	wantAPIError(t, err, "ResourceInUseException", "Table already exists: shared_tbl")
}

func TestNotFoundInAnotherNamespaceIsLoggedWithAHint(t *testing.T) {
	ctx := context.Background()
	var logs servertest.LogBuffer
	srv := servertest.Start(t, servertest.WithLogs(&logs), servertest.WithLogLevel(slog.LevelInfo))
	nsTable(t, srv.Client(), "hinted")
	other := srv.ClientWith("AKIDOTHERTOOL", "x", "us-west-2")

	_, err := other.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("hinted")})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: hinted not found")
	_, err = other.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		"hinted": {Keys: []map[string]types.AttributeValue{{"pk": &types.AttributeValueMemberS{Value: "a"}}}},
	}})
	if err == nil {
		t.Fatal("BatchGetItem of another namespace's table succeeded")
	}
	_, err = other.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("nowhere")})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: nowhere not found")

	log := logs.String()
	hints := 0
	for _, line := range strings.Split(log, "\n") {
		if !strings.Contains(line, "table exists in another namespace; start Petrel with -sharedDb") {
			continue
		}
		hints++
		for _, want := range []string{"level=INFO", "table=hinted", "access_key=AKIDOTHERTOOL", "region=us-west-2",
			"other_namespaces=[" + sigv4.DevAccount(servertest.AccessKey) + "/us-east-1]"} {
			if !strings.Contains(line, want) {
				t.Errorf("hint lacks %q: %s", want, line)
			}
		}
	}
	if hints != 2 {
		t.Errorf("%d hints (want one for DescribeTable, one for BatchGetItem):\n%s", hints, log)
	}
	if strings.Contains(log, "table=nowhere") {
		t.Errorf("a table that exists nowhere was hinted:\n%s", log)
	}
}

// TestParallelSuitesWithTheirOwnKeysAreIsolated is a test suite running 8
// parallel processes, each with its own access key: each creates the same
// table names and never sees another's tables or items.
func TestParallelSuitesWithTheirOwnKeysAreIsolated(t *testing.T) {
	srv := servertest.Start(t)
	for i := range 8 {
		key := fmt.Sprintf("AKIDWORKER%d", i)
		t.Run("worker "+key+" sees only its own tables", func(t *testing.T) {
			t.Parallel()
			c := srv.ClientWith(key, "secret", "us-east-1")
			for _, name := range []string{"users", "orders", "events"} {
				nsTable(t, c, name)
				for j := range 10 {
					nsPut(t, c, name, fmt.Sprint(j), key)
				}
			}
			if got := nsList(t, c); !slices.Equal(got, []string{"events", "orders", "users"}) {
				t.Errorf("ListTables = %v", got)
			}
			out, err := c.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String("users"), ConsistentRead: aws.Bool(true)})
			if err != nil {
				t.Fatal(err)
			}
			if out.Count != 10 {
				t.Errorf("Scan counted %d items, want 10", out.Count)
			}
			for _, it := range out.Items {
				if o := it["owner"].(*types.AttributeValueMemberS).Value; o != key {
					t.Errorf("sees an item of %s", o)
				}
			}
		})
	}
}
