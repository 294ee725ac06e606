package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

func TestZZSmoke(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.Client()
	ctx := context.Background()
	out, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String("tbl1"),
		BillingMode: types.BillingModePayPerRequest,
		KeySchema:   []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange}},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: "S"}, {AttributeName: aws.String("sk"), AttributeType: "N"},
			{AttributeName: aws.String("g"), AttributeType: "S"}, {AttributeName: aws.String("l"), AttributeType: "S"},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{IndexName: aws.String("gsi"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}}},
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{{IndexName: aws.String("lsi"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("l"), KeyType: types.KeyTypeRange}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"x"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%+v\n", out.TableDescription.GlobalSecondaryIndexes)
	for i := 0; i < 5; i++ {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("tbl1"), Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "a"}, "sk": &types.AttributeValueMemberN{Value: fmt.Sprint(i)},
			"g": &types.AttributeValueMemberS{Value: "G"}, "l": &types.AttributeValueMemberS{Value: fmt.Sprint(9 - i)}, "x": &types.AttributeValueMemberN{Value: "1"}, "y": &types.AttributeValueMemberN{Value: "2"},
		}, ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
		if err != nil {
			t.Fatal(err)
		}
	}
	q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("tbl1"), IndexName: aws.String("gsi"), KeyConditionExpression: aws.String("g = :g"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": &types.AttributeValueMemberS{Value: "G"}}, Limit: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(len(q.Items), q.Items[0], q.LastEvaluatedKey)
	q, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("tbl1"), IndexName: aws.String("lsi"), KeyConditionExpression: aws.String("pk = :g"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": &types.AttributeValueMemberS{Value: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range q.Items {
		fmt.Println(it["l"], len(it))
	}
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("tbl1")})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range d.Table.GlobalSecondaryIndexes {
		fmt.Println(*g.IndexName, g.IndexStatus, *g.ItemCount, *g.IndexSizeBytes, *g.IndexArn)
	}
	for _, g := range d.Table.LocalSecondaryIndexes {
		fmt.Println(*g.IndexName, *g.ItemCount, *g.IndexSizeBytes, *g.IndexArn)
	}
}
