package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// A deleted table's stream goes DISABLED and stays readable for 24 hours
// (DeleteTable in the DynamoDB API reference): DescribeStream, ListStreams
// and GetRecords keep working, the shard is closed and ends after its last
// record; a new table of the same name gets a new stream; after 24 hours
// the stream is gone.
func TestStreamsOfADeletedTable(t *testing.T) {
	ctx := context.Background()
	clock := servertest.NewClock(time.Date(2026, 7, 4, 10, 0, 0, 0, time.UTC))
	srv := servertest.Start(t, servertest.WithClock(clock))
	c, sc := srv.Client(), srv.StreamsClient()
	arn := stCreate(t, c, "gone", types.StreamViewTypeNewImage)
	for _, pk := range []string{"a", "b", "c"} {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("gone"), Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberN{Value: "1"}}}); err != nil {
			t.Fatal(err)
		}
	}
	// A consumer reads the first record before the deletion, and continues after it.
	before := stNewConsumer(t, sc, arn, streamtypes.ShardIteratorTypeTrimHorizon, 1)
	out, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: before.iter, Limit: aws.Int32(1)})
	if err != nil || len(out.Records) != 1 || out.NextShardIterator == nil {
		t.Fatalf("before the deletion: %v %+v", err, out)
	}
	before.iter = out.NextShardIterator

	if _, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	pks := func(rs []streamtypes.Record) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Dynamodb.Keys["pk"].(*streamtypes.AttributeValueMemberS).Value)
		}
		return strings.Join(s, ",")
	}

	t.Run("DescribeStream reports it DISABLED with a closed shard", func(t *testing.T) {
		d, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		s := d.StreamDescription
		if s.StreamStatus != streamtypes.StreamStatusDisabled || aws.ToString(s.TableName) != "gone" || len(s.KeySchema) != 2 ||
			s.StreamViewType != streamtypes.StreamViewTypeNewImage || len(s.Shards) != 1 || s.Shards[0].SequenceNumberRange.EndingSequenceNumber == nil {
			t.Fatalf("%+v", s)
		}
	})
	t.Run("GetRecords reads the remaining records, then the shard ends", func(t *testing.T) {
		before.poll(t)
		if got := pks(before.recs); got != "b,c" || before.iter != nil {
			t.Fatalf("records %q, next iterator %v", got, before.iter)
		}
		if got := pks(stReadAll(t, sc, arn)); got != "a,b,c" {
			t.Fatalf("from TRIM_HORIZON: %q", got)
		}
	})
	t.Run("ListStreams lists it, with or without the table name", func(t *testing.T) {
		if !slices.Contains(stList(t, sc), arn) {
			t.Fatal("not listed")
		}
		l, err := sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("gone")})
		if err != nil || len(l.Streams) != 1 || aws.ToString(l.Streams[0].StreamArn) != arn {
			t.Fatalf("%v %+v", err, l)
		}
	})
	var newArn string
	t.Run("a new table of the same name gets a new stream", func(t *testing.T) {
		newArn = stCreate(t, c, "gone", types.StreamViewTypeKeysOnly) // the clock has not moved
		if newArn == arn {
			t.Fatal("the new table's stream has the deleted table's ARN")
		}
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("gone"), Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "new"}, "sk": &types.AttributeValueMemberN{Value: "1"}}}); err != nil {
			t.Fatal(err)
		}
		if got := pks(stReadAll(t, sc, newArn)); got != "new" {
			t.Fatalf("new stream: %q", got)
		}
		if got := pks(stReadAll(t, sc, arn)); got != "a,b,c" {
			t.Fatalf("old stream: %q", got)
		}
		l, err := sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("gone")})
		if err != nil || len(l.Streams) != 2 {
			t.Fatalf("%v %+v", err, l)
		}
	})
	t.Run("24 hours after the deletion it is gone", func(t *testing.T) {
		clock.Advance(24*time.Hour - time.Second)
		srv.Sweep(t)
		if _, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)}); err != nil {
			t.Fatalf("a second before 24 hours: %v", err)
		}
		clock.Advance(time.Second)
		srv.Sweep(t)
		_, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
		wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Stream: "+arn+" not found")
		if l := stList(t, sc); slices.Contains(l, arn) || !slices.Contains(l, newArn) {
			t.Fatalf("ListStreams after 24 hours: %v", l)
		}
	})
}
