package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// stConsumer follows one shard's iterators, as a stream consumer does.
type stConsumer struct {
	sc    *dynamodbstreams.Client
	iter  *string
	limit int32
	recs  []streamtypes.Record
}

func stNewConsumer(t *testing.T, sc *dynamodbstreams.Client, arn string, typ streamtypes.ShardIteratorType, limit int32) *stConsumer {
	t.Helper()
	ctx := context.Background()
	d, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.StreamDescription.Shards) != 1 {
		t.Fatalf("%d shards", len(d.StreamDescription.Shards))
	}
	it, err := sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
		StreamArn: aws.String(arn), ShardId: d.StreamDescription.Shards[0].ShardId, ShardIteratorType: typ,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &stConsumer{sc: sc, iter: it.ShardIterator, limit: limit}
}

// poll reads until GetRecords returns nothing (or the shard is closed and
// read to its end).
func (c *stConsumer) poll(t *testing.T) {
	t.Helper()
	for c.iter != nil {
		out, err := c.sc.GetRecords(context.Background(), &dynamodbstreams.GetRecordsInput{ShardIterator: c.iter, Limit: aws.Int32(c.limit)})
		if err != nil {
			t.Fatal(err)
		}
		c.recs = append(c.recs, out.Records...)
		c.iter = out.NextShardIterator
		if len(out.Records) == 0 {
			return
		}
	}
}

// stReadAll reads stream arn's one shard from its trim horizon to now.
func stReadAll(t *testing.T, sc *dynamodbstreams.Client, arn string) []streamtypes.Record {
	t.Helper()
	c := stNewConsumer(t, sc, arn, streamtypes.ShardIteratorTypeTrimHorizon, 1000)
	c.poll(t)
	return c.recs
}

// stItem is an item of the workload model: attribute name to a canonical
// rendering of its value.
type stItem map[string]string

func (it stItem) String() string {
	keys := make([]string, 0, len(it))
	for k := range it {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s;", k, it[k])
	}
	return b.String()
}

func stAttr(v types.AttributeValue) string {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return "S:" + v.Value
	case *types.AttributeValueMemberN:
		return "N:" + v.Value
	case *types.AttributeValueMemberL:
		var parts []string
		for _, e := range v.Value {
			parts = append(parts, stAttr(e))
		}
		return "L:[" + strings.Join(parts, ",") + "]"
	}
	return fmt.Sprintf("?%T", v)
}

func stStreamAttr(v streamtypes.AttributeValue) string {
	switch v := v.(type) {
	case *streamtypes.AttributeValueMemberS:
		return "S:" + v.Value
	case *streamtypes.AttributeValueMemberN:
		return "N:" + v.Value
	case *streamtypes.AttributeValueMemberL:
		var parts []string
		for _, e := range v.Value {
			parts = append(parts, stStreamAttr(e))
		}
		return "L:[" + strings.Join(parts, ",") + "]"
	}
	return fmt.Sprintf("?%T", v)
}

func stFromSDK(m map[string]types.AttributeValue) stItem {
	if m == nil {
		return nil
	}
	out := stItem{}
	for k, v := range m {
		out[k] = stAttr(v)
	}
	return out
}

func stFromStream(m map[string]streamtypes.AttributeValue) stItem {
	if m == nil {
		return nil
	}
	out := stItem{}
	for k, v := range m {
		out[k] = stStreamAttr(v)
	}
	return out
}

// stSize is the DynamoDB size of a model item (S, N of small integers, L of
// S only), for SizeBytes.
func stSize(it stItem) int64 {
	var n int64
	for k, v := range it {
		n += int64(len(k)) + stValueSize(v)
	}
	return n
}

func stValueSize(v string) int64 {
	switch {
	case strings.HasPrefix(v, "S:"):
		return int64(len(v) - 2)
	case strings.HasPrefix(v, "N:"): // non-negative integers in the workload
		digits := strings.TrimPrefix(v, "N:")
		if digits == "0" {
			return 1
		}
		for len(digits) > 2 && strings.HasSuffix(digits, "00") {
			digits = digits[:len(digits)-2]
		}
		return int64((len(digits)+1)/2 + 1)
	case strings.HasPrefix(v, "L:["):
		inner := strings.TrimSuffix(strings.TrimPrefix(v, "L:["), "]")
		n := int64(3)
		if inner != "" {
			for _, e := range strings.Split(inner, ",") {
				n += 1 + stValueSize(e)
			}
		}
		return n
	}
	return 0
}

// stExpected is one record a consumer must see.
type stExpected struct {
	event    streamtypes.OperationType
	keys     stItem
	old, new stItem
}

// stWorkload runs n random writes on table name (pk S, sk N) of ten
// partitions times three sort keys, keeping a model of the table, and
// returns the records DynamoDB would write: one per change, none for a
// write that changes nothing. Reads happen through poll every few writes.
func stWorkload(t *testing.T, c *dynamodb.Client, name string, n int, rng *rand.Rand, poll func()) []stExpected {
	t.Helper()
	ctx := context.Background()
	model := map[string]stItem{}
	var want []stExpected
	vals := []string{"x", "y", "z"}
	for i := range n {
		pk, sk := "p"+strconv.Itoa(rng.IntN(10)), strconv.Itoa(rng.IntN(3))
		key := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberN{Value: sk}}
		keys := stFromSDK(key)
		id := keys.String()
		old := model[id]
		var nw stItem
		switch op := rng.IntN(10); {
		case op < 4: // PutItem, often identical to what is there
			item := map[string]types.AttributeValue{"pk": key["pk"], "sk": key["sk"], "a": &types.AttributeValueMemberS{Value: vals[rng.IntN(len(vals))]}}
			if rng.IntN(2) == 0 {
				item["l"] = &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberS{Value: vals[rng.IntN(len(vals))]}}}
			}
			if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(name), Item: item}); err != nil {
				t.Fatal(err)
			}
			nw = stFromSDK(item)
		case op < 8: // UpdateItem: creates, changes, or sets the same value
			v := vals[rng.IntN(len(vals))]
			out, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName: aws.String(name), Key: key,
				UpdateExpression:          aws.String("SET a = :v ADD n :one"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberS{Value: v}, ":one": &types.AttributeValueMemberN{Value: strconv.Itoa(rng.IntN(2))}},
				ReturnValues:              types.ReturnValueAllNew,
			})
			if err != nil {
				t.Fatal(err)
			}
			nw = stFromSDK(out.Attributes)
		default: // DeleteItem, of a present or a missing item
			if _, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(name), Key: key}); err != nil {
				t.Fatal(err)
			}
		}
		switch {
		case old == nil && nw == nil:
		case old == nil:
			want = append(want, stExpected{streamtypes.OperationTypeInsert, keys, nil, nw})
		case nw == nil:
			want = append(want, stExpected{streamtypes.OperationTypeRemove, keys, old, nil})
		case old.String() != nw.String():
			want = append(want, stExpected{streamtypes.OperationTypeModify, keys, old, nw})
		}
		if nw == nil {
			delete(model, id)
		} else {
			model[id] = nw
		}
		if i%17 == 0 {
			poll()
		}
	}
	return want
}

// stCheck compares the records a consumer saw with the expected ones, for
// view type view.
func stCheck(t *testing.T, got []streamtypes.Record, want []stExpected, view streamtypes.StreamViewType) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	showNew := view == streamtypes.StreamViewTypeNewImage || view == streamtypes.StreamViewTypeNewAndOldImages
	showOld := view == streamtypes.StreamViewTypeOldImage || view == streamtypes.StreamViewTypeNewAndOldImages
	prev := ""
	ids := map[string]bool{}
	for i, r := range got {
		w := want[i]
		d := r.Dynamodb
		if r.EventName != w.event || stFromStream(d.Keys).String() != w.keys.String() {
			t.Fatalf("record %d: %s %v, want %s %v", i, r.EventName, stFromStream(d.Keys), w.event, w.keys)
		}
		wantNew, wantOld := stItem(nil), stItem(nil)
		if showNew {
			wantNew = w.new
		}
		if showOld {
			wantOld = w.old
		}
		if g := stFromStream(d.NewImage); (g == nil) != (wantNew == nil) || g.String() != wantNew.String() {
			t.Fatalf("record %d (%s): NewImage %v, want %v", i, r.EventName, g, wantNew)
		}
		if g := stFromStream(d.OldImage); (g == nil) != (wantOld == nil) || g.String() != wantOld.String() {
			t.Fatalf("record %d (%s): OldImage %v, want %v", i, r.EventName, g, wantOld)
		}
		if size := stSize(w.keys) + stSize(wantNew) + stSize(wantOld); aws.ToInt64(d.SizeBytes) != size {
			t.Fatalf("record %d: SizeBytes %d, want %d", i, aws.ToInt64(d.SizeBytes), size)
		}
		seq := aws.ToString(d.SequenceNumber)
		if len(seq) < 21 || seq <= prev {
			t.Fatalf("record %d: SequenceNumber %q after %q", i, seq, prev)
		}
		prev = seq
		if d.StreamViewType != view || d.ApproximateCreationDateTime == nil {
			t.Fatalf("record %d: view %s, time %v", i, d.StreamViewType, d.ApproximateCreationDateTime)
		}
		if aws.ToString(r.EventVersion) != "1.1" || aws.ToString(r.EventSource) != "aws:dynamodb" ||
			aws.ToString(r.AwsRegion) != servertest.Region || r.UserIdentity != nil || ids[aws.ToString(r.EventID)] {
			t.Fatalf("record %d envelope: %+v", i, r)
		}
		ids[aws.ToString(r.EventID)] = true
	}
}

func stCreate(t *testing.T, c *dynamodb.Client, name string, view types.StreamViewType) string {
	t.Helper()
	out, err := c.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		KeySchema:            keySchema("pk", "HASH", "sk", "RANGE"),
		AttributeDefinitions: attrDefs("pk", "S", "sk", "N"),
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: view},
	})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.TableDescription.LatestStreamArn)
}

// A consumer following the shard iterators while a random workload runs
// sees every INSERT, MODIFY and REMOVE, in order, exactly once, with the
// images of the stream's view type; writes that change nothing have no
// record.
func TestStreamsConsumerSeesARandomWorkload(t *testing.T) {
	srv := servertest.Start(t)
	c, sc := srv.Client(), srv.StreamsClient()
	for i, view := range []types.StreamViewType{types.StreamViewTypeKeysOnly, types.StreamViewTypeNewImage,
		types.StreamViewTypeOldImage, types.StreamViewTypeNewAndOldImages} {
		t.Run(string(view), func(t *testing.T) {
			arn := stCreate(t, c, "workload_"+strings.ToLower(string(view)), view)
			con := stNewConsumer(t, sc, arn, streamtypes.ShardIteratorTypeTrimHorizon, int32(1+i*3))
			want := stWorkload(t, c, "workload_"+strings.ToLower(string(view)), 400, rand.New(rand.NewPCG(uint64(i), 5)), func() { con.poll(t) })
			con.poll(t)
			stCheck(t, con.recs, want, streamtypes.StreamViewType(view))
			if con.iter == nil {
				t.Fatal("an open shard ended its iterators")
			}
		})
	}
}

// Writers on several connections at once: every record is seen once, and
// the records of each item are in the order of its writes.
func TestStreamsConcurrentWritersKeepPerItemOrder(t *testing.T) {
	srv := servertest.Start(t)
	c, sc := srv.Client(), srv.StreamsClient()
	arn := stCreate(t, c, "concurrent", types.StreamViewTypeNewImage)
	con := stNewConsumer(t, sc, arn, streamtypes.ShardIteratorTypeTrimHorizon, 50)
	const writers, writes = 4, 150
	var wg sync.WaitGroup
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // a consumer reading concurrently
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
				con.poll(t)
			}
		}
	}()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range writes {
				pk := "p" + strconv.Itoa(i%5)
				_, err := c.UpdateItem(context.Background(), &dynamodb.UpdateItemInput{
					TableName: aws.String("concurrent"),
					Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk},
						"sk": &types.AttributeValueMemberN{Value: strconv.Itoa(w)}},
					UpdateExpression:          aws.String("SET v = :v"),
					ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.Itoa(i)}},
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-done
	con.poll(t)
	if len(con.recs) != writers*writes {
		t.Fatalf("%d records, want %d", len(con.recs), writers*writes)
	}
	last := map[string]int{}
	prev := ""
	for _, r := range con.recs {
		seq := aws.ToString(r.Dynamodb.SequenceNumber)
		if seq <= prev {
			t.Fatalf("sequence %s after %s", seq, prev)
		}
		prev = seq
		id := stFromStream(r.Dynamodb.Keys).String()
		v, _ := strconv.Atoi(r.Dynamodb.NewImage["v"].(*streamtypes.AttributeValueMemberN).Value)
		if p, ok := last[id]; ok && v != p+5 {
			t.Fatalf("item %s: v=%d after v=%d", id, v, p)
		}
		last[id] = v
	}
}

func TestStreamsAPI(t *testing.T) {
	ctx := context.Background()
	clock := servertest.NewClock(time.Date(2026, 11, 21, 6, 21, 45, 123e6, time.UTC))
	srv := servertest.Start(t, servertest.WithClock(clock))
	c, sc := srv.Client(), srv.StreamsClient()
	arn := stCreate(t, c, "music", types.StreamViewTypeNewAndOldImages)
	put := func(pk string) {
		t.Helper()
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("music"), Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberN{Value: "1"}}}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("the ARN and label are AWS-shaped", func(t *testing.T) {
		want := "arn:aws:dynamodb:us-east-1:" // account depends on the namespace mode
		if !strings.HasPrefix(arn, want) || !strings.HasSuffix(arn, ":table/music/stream/2026-11-21T06:21:45.123") {
			t.Fatalf("LatestStreamArn %s", arn)
		}
	})
	var shardID string
	t.Run("DescribeStream shows one open shard", func(t *testing.T) {
		d, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		s := d.StreamDescription
		if aws.ToString(s.StreamArn) != arn || aws.ToString(s.StreamLabel) != "2026-11-21T06:21:45.123" || s.StreamStatus != streamtypes.StreamStatusEnabled ||
			s.StreamViewType != streamtypes.StreamViewTypeNewAndOldImages || aws.ToString(s.TableName) != "music" || len(s.KeySchema) != 2 ||
			s.CreationRequestDateTime == nil || !s.CreationRequestDateTime.Equal(clock.Now()) {
			t.Fatalf("%+v", s)
		}
		if len(s.Shards) != 1 {
			t.Fatalf("shards %+v", s.Shards)
		}
		sh := s.Shards[0]
		shardID = aws.ToString(sh.ShardId)
		if len(shardID) != 37 || !strings.HasPrefix(shardID, "shardId-") || sh.ParentShardId != nil ||
			len(aws.ToString(sh.SequenceNumberRange.StartingSequenceNumber)) != 21 || sh.SequenceNumberRange.EndingSequenceNumber != nil {
			t.Fatalf("shard %+v %+v", sh, sh.SequenceNumberRange)
		}
		d, err = sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn),
			ShardFilter: &streamtypes.ShardFilter{Type: streamtypes.ShardFilterTypeChildShards, ShardId: aws.String(shardID)}})
		if err != nil || len(d.StreamDescription.Shards) != 0 {
			t.Fatalf("children: %v %+v", err, d)
		}
	})

	put("a")
	put("b")
	srv.Sweep(t) // records are stamped when sequenced: in production within a second
	clock.Advance(10 * time.Second)
	put("c")
	recs := stReadAll(t, sc, arn)
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	seqOf := func(i int) string { return aws.ToString(recs[i].Dynamodb.SequenceNumber) }
	iterator := func(typ streamtypes.ShardIteratorType, seq *string, ts *time.Time) []streamtypes.Record {
		t.Helper()
		it, err := sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shardID),
			ShardIteratorType: typ, SequenceNumber: seq, Timestamp: ts})
		if err != nil {
			t.Fatal(err)
		}
		out, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
		if err != nil {
			t.Fatal(err)
		}
		if out.NextShardIterator == nil {
			t.Fatal("no NextShardIterator on an open shard")
		}
		return out.Records
	}
	pks := func(rs []streamtypes.Record) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Dynamodb.Keys["pk"].(*streamtypes.AttributeValueMemberS).Value)
		}
		return strings.Join(s, ",")
	}
	t.Run("iterator types", func(t *testing.T) {
		cases := []struct {
			typ  streamtypes.ShardIteratorType
			seq  *string
			ts   *time.Time
			want string
		}{
			{streamtypes.ShardIteratorTypeTrimHorizon, nil, nil, "a,b,c"},
			{streamtypes.ShardIteratorTypeLatest, nil, nil, ""},
			{streamtypes.ShardIteratorTypeAtSequenceNumber, aws.String(seqOf(1)), nil, "b,c"},
			{streamtypes.ShardIteratorTypeAfterSequenceNumber, aws.String(seqOf(1)), nil, "c"},
			{streamtypes.ShardIteratorTypeAtTimestamp, nil, aws.Time(clock.Now().Add(-5 * time.Second)), "c"},
			{streamtypes.ShardIteratorTypeAtTimestamp, nil, aws.Time(clock.Now().Add(-time.Hour)), "a,b,c"},
		}
		for _, tc := range cases {
			if got := pks(iterator(tc.typ, tc.seq, tc.ts)); got != tc.want {
				t.Errorf("%s: %q, want %q", tc.typ, got, tc.want)
			}
		}
		if got := aws.ToTime(recs[2].Dynamodb.ApproximateCreationDateTime); !got.Equal(clock.Now().Truncate(time.Second)) {
			t.Errorf("ApproximateCreationDateTime %v, want %v", got, clock.Now())
		}
	})
	t.Run("ListStreams pages and filters", func(t *testing.T) {
		stCreate(t, c, "aaa", types.StreamViewTypeKeysOnly)
		stCreate(t, c, "zzz", types.StreamViewTypeKeysOnly)
		var all []string
		var start *string
		for {
			out, err := sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{Limit: aws.Int32(2), ExclusiveStartStreamArn: start})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range out.Streams {
				all = append(all, aws.ToString(s.TableName))
			}
			if start = out.LastEvaluatedStreamArn; start == nil {
				break
			}
		}
		if strings.Join(all, ",") != "aaa,music,zzz" {
			t.Fatalf("streams %v", all)
		}
		out, err := sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("music")})
		if err != nil || len(out.Streams) != 1 || aws.ToString(out.Streams[0].StreamArn) != arn {
			t.Fatalf("%v %+v", err, out)
		}
	})

	var oldArn = arn
	t.Run("disabling closes the shard; re-enabling makes a new stream", func(t *testing.T) {
		if _, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("music"),
			StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(false)}}); err != nil {
			t.Fatal(err)
		}
		put("d") // not recorded anywhere
		d, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(oldArn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.StreamDescription.StreamStatus != streamtypes.StreamStatusDisabled ||
			aws.ToString(d.StreamDescription.Shards[0].SequenceNumberRange.EndingSequenceNumber) != seqOf(2) {
			t.Fatalf("%+v %+v", d.StreamDescription, d.StreamDescription.Shards[0].SequenceNumberRange)
		}
		c2 := stNewConsumer(t, sc, oldArn, streamtypes.ShardIteratorTypeTrimHorizon, 1000)
		c2.poll(t)
		if pks(c2.recs) != "a,b,c" || c2.iter != nil {
			t.Fatalf("closed shard: %q, next %v", pks(c2.recs), c2.iter)
		}
		out, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("music"),
			StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeKeysOnly}})
		if err != nil {
			t.Fatal(err)
		}
		arn = aws.ToString(out.TableDescription.LatestStreamArn)
		if arn == oldArn {
			t.Fatal("re-enabling kept the stream ARN")
		}
		put("e")
		if got := pks(stReadAll(t, sc, arn)); got != "e" {
			t.Fatalf("new stream: %q", got)
		}
		l, err := sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("music")})
		if err != nil || len(l.Streams) != 2 {
			t.Fatalf("%v %+v", err, l)
		}
	})

	t.Run("errors", func(t *testing.T) {
		it, err := sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(oldArn), ShardId: aws.String(shardID),
			ShardIteratorType: streamtypes.ShardIteratorTypeTrimHorizon})
		if err != nil {
			t.Fatal(err)
		}
		bad := "arn:aws:dynamodb:us-east-1:000000000000:table/nosuch/stream/2020-01-01T00:00:00.000"
		cases := []struct {
			name string
			call func() error
			code string
			msg  string
		}{
			{"an unknown stream", func() error {
				_, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(bad)})
				return err
			}, "ResourceNotFoundException", "Requested resource not found: Stream: " + bad + " not found"},
			{"an unknown shard", func() error {
				_, err := sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shardID),
					ShardIteratorType: streamtypes.ShardIteratorTypeLatest})
				return err
			}, "ResourceNotFoundException", "Shard does not exist"},
			{"a sequence number outside the shard", func() error {
				_, err := sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(oldArn), ShardId: aws.String(shardID),
					ShardIteratorType: streamtypes.ShardIteratorTypeAtSequenceNumber, SequenceNumber: aws.String("999999999999999999999")})
				return err
			}, "ResourceNotFoundException", "Shard does not exist"},
			{"AT_SEQUENCE_NUMBER without a sequence number", func() error {
				_, err := sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(oldArn), ShardId: aws.String(shardID),
					ShardIteratorType: streamtypes.ShardIteratorTypeAtSequenceNumber})
				return err
			}, "ValidationException", "One or more parameter values were invalid: Invalid SequenceNumber"},
			{"LATEST with a sequence number", func() error {
				_, err := sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(oldArn), ShardId: aws.String(shardID),
					ShardIteratorType: streamtypes.ShardIteratorTypeLatest, SequenceNumber: aws.String(seqOf(0))})
				return err
			}, "ValidationException", "One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type"},
			{"a malformed iterator", func() error {
				_, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String("garbage")})
				return err
			}, "ValidationException", "Invalid ShardIterator"},
			{"GetRecords Limit 1001", func() error {
				_, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator, Limit: aws.Int32(1001)})
				return err
			}, "ValidationException", "One or more parameter values were invalid: Limit should be less than or equal to 1000"},
			{"ListStreams Limit 101", func() error {
				_, err := sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{Limit: aws.Int32(101)})
				return err
			}, "ValidationException", "One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100"},
			{"DescribeStream Limit 101", func() error {
				_, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), Limit: aws.Int32(101)})
				return err
			}, "ValidationException", "One or more parameter values were invalid: Limit cannot be greater than the maximum: 100"},
			{"ListStreams of a missing table", func() error {
				_, err := sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("nosuch")})
				return err
			}, "ResourceNotFoundException", "Requested resource not found: Table: nosuch not found"},
			{"an iterator older than 15 minutes", func() error {
				clock.Advance(15*time.Minute + time.Second)
				_, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
				return err
			}, "ExpiredIteratorException", "The provided iterator exceeds the maximum age allowed."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.call(), tc.code, tc.msg) })
		}
	})

	t.Run("records older than 24 hours are trimmed", func(t *testing.T) {
		clock.Advance(23 * time.Hour)
		put("f")
		clock.Advance(time.Hour + time.Second)
		srv.Sweep(t)
		got := stReadAll(t, sc, arn)
		if pks(got) != "f" {
			t.Fatalf("after trimming: %q", pks(got))
		}
		d, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn),
			ShardId:           d.StreamDescription.Shards[0].ShardId,
			ShardIteratorType: streamtypes.ShardIteratorTypeAtSequenceNumber, SequenceNumber: d.StreamDescription.Shards[0].SequenceNumberRange.StartingSequenceNumber})
		wantAPIError(t, err, "TrimmedDataAccessException", "The data you are trying to access has been trimmed.")
		// The stream disabled more than 24 hours ago is gone.
		_, err = sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(oldArn)})
		wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Stream: "+oldArn+" not found")
		if slices.ContainsFunc(stList(t, sc), func(s string) bool { return s == oldArn }) {
			t.Fatal("ListStreams still lists the expired stream")
		}
	})
}

func stList(t *testing.T, sc *dynamodbstreams.Client) []string {
	t.Helper()
	out, err := sc.ListStreams(context.Background(), &dynamodbstreams.ListStreamsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, s := range out.Streams {
		arns = append(arns, aws.ToString(s.StreamArn))
	}
	return arns
}

// Records written before a restart, sequenced or not, are read after it,
// and sequence numbers keep increasing; the TTL setting survives too.
func TestStreamsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	clock := servertest.NewClock(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	put := func(t *testing.T, c *dynamodb.Client, pk string) {
		t.Helper()
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("durable"), Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberN{Value: "1"}}}); err != nil {
			t.Fatal(err)
		}
	}
	var arn, lastSeq string
	t.Run("before the restart", func(t *testing.T) { // the server stops when the subtest ends
		srv := servertest.Start(t, servertest.WithDataDir(dir), servertest.WithClock(clock))
		c := srv.Client()
		arn = stCreate(t, c, "durable", types.StreamViewTypeKeysOnly)
		if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("durable"),
			TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("exp")}}); err != nil {
			t.Fatal(err)
		}
		put(t, c, "a")
		recs := stReadAll(t, srv.StreamsClient(), arn) // "a" is sequenced
		lastSeq = aws.ToString(recs[0].Dynamodb.SequenceNumber)
		put(t, c, "b") // "b" stays pending across the restart
	})
	t.Run("after the restart", func(t *testing.T) {
		srv := servertest.Start(t, servertest.WithDataDir(dir), servertest.WithClock(clock))
		c := srv.Client()
		put(t, c, "c")
		recs := stReadAll(t, srv.StreamsClient(), arn)
		var got []string
		for _, r := range recs {
			got = append(got, r.Dynamodb.Keys["pk"].(*streamtypes.AttributeValueMemberS).Value)
		}
		if strings.Join(got, ",") != "a,b,c" || aws.ToString(recs[0].Dynamodb.SequenceNumber) != lastSeq ||
			aws.ToString(recs[1].Dynamodb.SequenceNumber) <= lastSeq || aws.ToString(recs[2].Dynamodb.SequenceNumber) <= aws.ToString(recs[1].Dynamodb.SequenceNumber) {
			t.Fatalf("records %v, sequence numbers %v %v %v (a was %s)", got, aws.ToString(recs[0].Dynamodb.SequenceNumber),
				aws.ToString(recs[1].Dynamodb.SequenceNumber), aws.ToString(recs[2].Dynamodb.SequenceNumber), lastSeq)
		}
		out, err := c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("durable")})
		if err != nil || out.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusEnabling {
			t.Fatalf("%v %+v", err, out)
		}
		srv.Sweep(t)
		out, err = c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("durable")})
		if err != nil || out.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusEnabled {
			t.Fatalf("%v %+v", err, out)
		}
	})
}
