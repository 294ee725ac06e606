package e2e

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// ttlEpoch is the fake clock's start in the TTL tests.
var ttlEpoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// ttlServer starts a server on a fake clock, without background loops
// (the tests call Sweep), with a table "attributes" (pk S) whose stream is
// NEW_AND_OLD_IMAGES.
func ttlServer(t *testing.T) (*servertest.Server, *servertest.Clock, *dynamodb.Client) {
	t.Helper()
	clock := servertest.NewClock(ttlEpoch)
	srv := servertest.Start(t, servertest.WithClock(clock))
	c := srv.Client()
	_, err := c.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:            aws.String("attributes"),
		KeySchema:            keySchema("pk", "HASH"),
		AttributeDefinitions: attrDefs("pk", "S"),
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages},
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv, clock, c
}

func ttlPut(t *testing.T, c *dynamodb.Client, pk string, attrs map[string]types.AttributeValue) {
	t.Helper()
	item := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}
	for k, v := range attrs {
		item[k] = v
	}
	if _, err := c.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String("attributes"), Item: item}); err != nil {
		t.Fatalf("PutItem %s: %v", pk, err)
	}
}

func ttlN(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

// ttlExists reports whether item pk is in the table.
func ttlExists(t *testing.T, c *dynamodb.Client, pk string) bool {
	t.Helper()
	out, err := c.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String("attributes"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item != nil
}

func ttlDescribe(t *testing.T, c *dynamodb.Client) (types.TimeToLiveStatus, string) {
	t.Helper()
	out, err := c.DescribeTimeToLive(context.Background(), &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("attributes")})
	if err != nil {
		t.Fatal(err)
	}
	return out.TimeToLiveDescription.TimeToLiveStatus, aws.ToString(out.TimeToLiveDescription.AttributeName)
}

func ttlUpdate(c *dynamodb.Client, enabled bool, attr string) (*dynamodb.UpdateTimeToLiveOutput, error) {
	return c.UpdateTimeToLive(context.Background(), &dynamodb.UpdateTimeToLiveInput{
		TableName:               aws.String("attributes"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(enabled), AttributeName: aws.String(attr)},
	})
}

// The seed use case: session tokens with a ttl_timestamp expire on
// their own, permanent items are never touched, and the table's stream
// shows the deletions as the service's.
func TestTimeToLiveDeletesExactlyTheExpiredItems(t *testing.T) {
	srv, clock, c := ttlServer(t)
	now := ttlEpoch.Unix()

	// Items written before TTL is enabled are indexed when it is.
	ttlPut(t, c, "token#before", map[string]types.AttributeValue{"ttl_timestamp": ttlN(now - 60)})
	for i := range 20 {
		ttlPut(t, c, "permanent#"+strconv.Itoa(i), map[string]types.AttributeValue{"v": ttlN(int64(i))})
	}
	out, err := ttlUpdate(c, true, "ttl_timestamp")
	if err != nil {
		t.Fatal(err)
	}
	if s := out.TimeToLiveSpecification; !aws.ToBool(s.Enabled) || aws.ToString(s.AttributeName) != "ttl_timestamp" {
		t.Fatalf("UpdateTimeToLive answered %+v", s)
	}
	if st, name := ttlDescribe(t, c); st != types.TimeToLiveStatusEnabling || name != "ttl_timestamp" {
		t.Fatalf("right after enabling: %s %q, want ENABLING ttl_timestamp", st, name)
	}

	// Items written after.
	ttlPut(t, c, "token#expired", map[string]types.AttributeValue{"ttl_timestamp": ttlN(now - 1)})
	ttlPut(t, c, "token#fraction", map[string]types.AttributeValue{"ttl_timestamp": &types.AttributeValueMemberN{Value: strconv.FormatInt(now-2, 10) + ".75"}})
	ttlPut(t, c, "token#future", map[string]types.AttributeValue{"ttl_timestamp": ttlN(now + 100)})
	ttlPut(t, c, "token#saved", map[string]types.AttributeValue{"ttl_timestamp": ttlN(now - 30)})
	keep := map[string]map[string]types.AttributeValue{
		"string":        {"ttl_timestamp": &types.AttributeValueMemberS{Value: strconv.FormatInt(now-10, 10)}},
		"six-years-old": {"ttl_timestamp": ttlN(now - 6*365*24*3600)},
		"milliseconds":  {"ttl_timestamp": ttlN((now - 10) * 1000)},
		"negative":      {"ttl_timestamp": ttlN(-5)},
		"nested":        {"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"ttl_timestamp": ttlN(now - 10)}}},
		"number-set":    {"ttl_timestamp": &types.AttributeValueMemberNS{Value: []string{strconv.FormatInt(now-10, 10)}}},
		"other-attr":    {"expires": ttlN(now - 10)},
	}
	for pk, attrs := range keep {
		ttlPut(t, c, pk, attrs)
	}

	t.Run("expired items are still readable until the expirer runs", func(t *testing.T) {
		for _, pk := range []string{"token#before", "token#expired", "token#fraction"} {
			if !ttlExists(t, c, pk) {
				t.Fatalf("%s is gone before any sweep", pk)
			}
		}
	})
	// Updating the TTL attribute in time saves the item.
	if _, err := c.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
		TableName: aws.String("attributes"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "token#saved"}},
		UpdateExpression:          aws.String("SET ttl_timestamp = :t"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": ttlN(now + 3600)},
	}); err != nil {
		t.Fatal(err)
	}

	st := srv.Sweep(t)
	t.Run("one sweep finishes ENABLING and deletes exactly the expired items", func(t *testing.T) {
		if s, _ := ttlDescribe(t, c); s != types.TimeToLiveStatusEnabled {
			t.Fatalf("status %s after a sweep", s)
		}
		if st.Deleted != 3 {
			t.Fatalf("sweep stats %+v, want 3 deletions", st)
		}
		for _, pk := range []string{"token#before", "token#expired", "token#fraction"} {
			if ttlExists(t, c, pk) {
				t.Errorf("%s survived", pk)
			}
		}
		for _, pk := range []string{"token#future", "token#saved"} {
			if !ttlExists(t, c, pk) {
				t.Errorf("%s was deleted", pk)
			}
		}
		for pk := range keep {
			if !ttlExists(t, c, pk) {
				t.Errorf("%s (never expires) was deleted", pk)
			}
		}
		for i := range 20 {
			if !ttlExists(t, c, "permanent#"+strconv.Itoa(i)) {
				t.Fatalf("permanent#%d was deleted", i)
			}
		}
	})

	t.Run("a future item expires once the clock passes it", func(t *testing.T) {
		if st := srv.Sweep(t); st.Deleted != 0 {
			t.Fatalf("a second sweep at the same time deleted %d", st.Deleted)
		}
		clock.Advance(101 * time.Second)
		if st := srv.Sweep(t); st.Deleted != 1 || st.Entries != 1 {
			t.Fatalf("sweep stats %+v, want 1 entry and 1 deletion", st)
		}
		if ttlExists(t, c, "token#future") || !ttlExists(t, c, "token#saved") {
			t.Fatal("wrong item expired")
		}
	})

	t.Run("the table counters and TimeToLiveDeletedItemCount follow", func(t *testing.T) {
		d, err := c.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String("attributes")})
		if err != nil {
			t.Fatal(err)
		}
		if n := aws.ToInt64(d.Table.ItemCount); n != int64(20+len(keep)+1) {
			t.Fatalf("ItemCount %d", n)
		}
		if n := srv.TTLDeletedItemCount(t, "attributes"); n != 4 {
			t.Fatalf("TimeToLiveDeletedItemCount %d, want 4", n)
		}
	})

	t.Run("the stream shows TTL deletions as REMOVE records by the service", func(t *testing.T) {
		if _, err := c.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{
			TableName: aws.String("attributes"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "permanent#0"}},
		}); err != nil {
			t.Fatal(err)
		}
		d, err := c.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String("attributes")})
		if err != nil {
			t.Fatal(err)
		}
		recs := stReadAll(t, srv.StreamsClient(), aws.ToString(d.Table.LatestStreamArn))
		removed := map[string]streamtypes.Record{}
		for _, r := range recs {
			if r.EventName == streamtypes.OperationTypeRemove {
				removed[r.Dynamodb.Keys["pk"].(*streamtypes.AttributeValueMemberS).Value] = r
			}
		}
		if len(removed) != 5 {
			t.Fatalf("%d REMOVE records, want 5", len(removed))
		}
		for _, pk := range []string{"token#before", "token#expired", "token#fraction", "token#future"} {
			r := removed[pk]
			if r.UserIdentity == nil || aws.ToString(r.UserIdentity.Type) != "Service" || aws.ToString(r.UserIdentity.PrincipalId) != "dynamodb.amazonaws.com" {
				t.Errorf("REMOVE of %s has userIdentity %+v", pk, r.UserIdentity)
			}
			if r.Dynamodb.OldImage["ttl_timestamp"] == nil || r.Dynamodb.NewImage != nil {
				t.Errorf("REMOVE of %s images: old %v new %v", pk, r.Dynamodb.OldImage, r.Dynamodb.NewImage)
			}
		}
		if r := removed["permanent#0"]; r.UserIdentity != nil {
			t.Errorf("a user's DeleteItem has userIdentity %+v", r.UserIdentity)
		}
	})
}

func TestTimeToLiveSettings(t *testing.T) {
	srv, clock, c := ttlServer(t)
	ctx := context.Background()

	t.Run("a table starts DISABLED with no attribute", func(t *testing.T) {
		if st, name := ttlDescribe(t, c); st != types.TimeToLiveStatusDisabled || name != "" {
			t.Fatalf("%s %q", st, name)
		}
	})
	if _, err := ttlUpdate(c, true, "exp"); err != nil {
		t.Fatal(err)
	}
	srv.Sweep(t)
	errs := []struct {
		name    string
		enabled bool
		attr    string
		msg     string
	}{
		{"enabling it again is refused", true, "exp", "TimeToLive is already enabled"},
		{"enabling another attribute is refused", true, "other", "TimeToLive is active on a different AttributeName"},
		{"disabling another attribute is refused", false, "other", "TimeToLive is active on a different AttributeName"},
		{"a second change within the hour is refused", false, "exp", "Time to live has been modified multiple times within a fixed interval"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ttlUpdate(c, tc.enabled, tc.attr)
			wantAPIError(t, err, "ValidationException", tc.msg)
		})
	}
	t.Run("an hour later it can be disabled: DISABLING, then DISABLED", func(t *testing.T) {
		clock.Advance(time.Hour)
		if _, err := ttlUpdate(c, false, "exp"); err != nil {
			t.Fatal(err)
		}
		if st, name := ttlDescribe(t, c); st != types.TimeToLiveStatusDisabling || name != "exp" {
			t.Fatalf("%s %q", st, name)
		}
		srv.Sweep(t)
		if st, name := ttlDescribe(t, c); st != types.TimeToLiveStatusDisabled || name != "" {
			t.Fatalf("%s %q", st, name)
		}
	})
	t.Run("disabling a disabled TTL is refused", func(t *testing.T) {
		clock.Advance(time.Hour)
		_, err := ttlUpdate(c, false, "exp")
		wantAPIError(t, err, "ValidationException", "TimeToLive is already disabled")
	})
	t.Run("a missing table is ResourceNotFoundException", func(t *testing.T) {
		_, err := c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("nosuch")})
		wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: nosuch not found")
		_, err = c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("nosuch"),
			TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("x")}})
		wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: nosuch not found")
	})
	t.Run("model constraints come first", func(t *testing.T) {
		status, body := srv.Do(t, "UpdateTimeToLive", `{"TableName":"attributes","TimeToLiveSpecification":{"Enabled":true,"AttributeName":""}}`)
		want := `{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1"}`
		if status != 400 || string(body) != want {
			t.Fatalf("%d %s", status, body)
		}
	})
	t.Run("disabling stops the expirer; enabling again re-indexes existing items", func(t *testing.T) {
		now := clock.Now().Unix()
		ttlPut(t, c, "while-disabled", map[string]types.AttributeValue{"exp": ttlN(now - 5)})
		srv.Sweep(t)
		if !ttlExists(t, c, "while-disabled") {
			t.Fatal("an item expired while TTL was disabled")
		}
		if _, err := ttlUpdate(c, true, "exp"); err != nil {
			t.Fatal(err)
		}
		st := srv.Sweep(t)
		if ttlExists(t, c, "while-disabled") || st.Indexed != 1 || st.Deleted != 1 {
			t.Fatalf("after re-enabling: stats %+v", st)
		}
	})
}

// With the background expirer on (a short --ttl-interval and the real
// clock), expired items go away on their own.
func TestTimeToLiveBackgroundExpirer(t *testing.T) {
	srv := servertest.Start(t, servertest.WithTTLInterval(20*time.Millisecond))
	c := srv.Client()
	ctx := context.Background()
	if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("attributes"), KeySchema: keySchema("pk", "HASH"), AttributeDefinitions: attrDefs("pk", "S"),
		BillingMode: types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := ttlUpdate(c, true, "ttl_timestamp"); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Unix() - 10
	ttlPut(t, c, "gone", map[string]types.AttributeValue{"ttl_timestamp": ttlN(past)})
	ttlPut(t, c, "kept", nil)
	deadline := time.Now().Add(10 * time.Second)
	for ttlExists(t, c, "gone") {
		if time.Now().After(deadline) {
			t.Fatal("the expired item is still there after 10s")
		}
		time.Sleep(10 * time.Millisecond) // waiting for the real background loop is the point here
	}
	if st, _ := ttlDescribe(t, c); st != types.TimeToLiveStatusEnabled {
		t.Fatalf("status %s", st)
	}
	if !ttlExists(t, c, "kept") {
		t.Fatal("the permanent item is gone")
	}
}
