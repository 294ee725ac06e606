package streams

import (
	"strings"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	wire "github.com/petreldb/petrel/internal/protocol/streams"
)

func TestRecordCodec(t *testing.T) {
	keys := attr.Item{"pk": attr.Str("k")}
	full := attr.Item{"pk": attr.Str("k"), "a": attr.Str("1"), "l": {Type: attr.L, List: []attr.Value{attr.Num("2")}}}
	cases := []struct {
		name string
		r    record
		size int64
	}{
		{"a KEYS_ONLY insert", record{event: eventInsert, view: viewKeysOnly, stream: 1, keys: keys}, 3},
		{"a NEW_IMAGE insert", record{event: eventInsert, view: viewNew, stream: 2, created: 1700000000123, keys: keys, new: full}, 3 + 12},
		{"a NEW_AND_OLD_IMAGES modify", record{event: eventModify, view: viewNewAndOld, stream: 3, keys: keys, old: keys, new: full}, 3 + 3 + 12},
		{"a TTL remove", record{byService: true, event: eventRemove, view: viewOld, stream: 4, keys: keys, old: full}, 3 + 12},
	}
	for _, tc := range cases {
		t.Run(tc.name+" round-trips", func(t *testing.T) {
			b := tc.r.append(nil)
			got, err := decodeRecord(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.byService != tc.r.byService || got.event != tc.r.event || got.view != tc.r.view || got.stream != tc.r.stream ||
				got.created != tc.r.created || !attr.ItemsEqual(got.keys, tc.r.keys) ||
				(got.old == nil) != (tc.r.old == nil) || !attr.ItemsEqual(got.old, tc.r.old) ||
				(got.new == nil) != (tc.r.new == nil) || !attr.ItemsEqual(got.new, tc.r.new) {
				t.Fatalf("got %+v, want %+v", got, tc.r)
			}
			if recordStream(b) != tc.r.stream || recordCreated(b) != tc.r.created {
				t.Fatal("header fields")
			}
			setCreated(b, 42)
			if recordCreated(b) != 42 {
				t.Fatal("setCreated")
			}
			if got.sizeBytes() != tc.size {
				t.Fatalf("SizeBytes %d, want %d", got.sizeBytes(), tc.size)
			}
		})
	}
	t.Run("a truncated or foreign value is an error", func(t *testing.T) {
		b := cases[1].r.append(nil)
		for _, bad := range [][]byte{nil, b[:10], b[:len(b)-1], append([]byte{9}, b[1:]...)} {
			if _, err := decodeRecord(bad); err == nil {
				t.Fatalf("%x decoded", bad)
			}
		}
	})
	t.Run("the wire form has the envelope and the service identity", func(t *testing.T) {
		w := cases[3].r.wire(7, 12, "eu-west-1")
		if *w.EventName != "REMOVE" || *w.EventVersion != "1.1" || *w.EventSource != "aws:dynamodb" || *w.AwsRegion != "eu-west-1" ||
			*w.UserIdentity.Type != "Service" || *w.UserIdentity.PrincipalId != "dynamodb.amazonaws.com" ||
			*w.Dynamodb.SequenceNumber != "000000000000000000012" || *w.Dynamodb.StreamViewType != "OLD_IMAGE" || len(*w.EventID) != 36 {
			t.Fatalf("%+v %+v", w, w.Dynamodb)
		}
		if cases[1].r.wire(7, 12, "x").UserIdentity != nil {
			t.Fatal("a user's write has a userIdentity")
		}
		if *cases[1].r.wire(7, 12, "x").Dynamodb.ApproximateCreationDateTime != 1700000000 {
			t.Fatal("the time is not rounded down to the second")
		}
	})
}

func TestEventOf(t *testing.T) {
	a := attr.Item{"pk": attr.Str("k"), "v": attr.Num("1")}
	b := attr.Item{"pk": attr.Str("k"), "v": attr.Num("2")}
	cases := []struct {
		name     string
		old, new attr.Item
		want     byte
	}{
		{"a new item is an INSERT", nil, a, eventInsert},
		{"a changed item is a MODIFY", a, b, eventModify},
		{"a deleted item is a REMOVE", a, nil, eventRemove},
		{"an unchanged item has no record", a, attr.Item{"pk": attr.Str("k"), "v": attr.Num("1")}, 0},
		{"nothing before or after has none", nil, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := eventOf(tc.old, tc.new); got != tc.want {
				t.Fatalf("eventOf = %d", got)
			}
		})
	}
}

func TestIdentifiers(t *testing.T) {
	t.Run("a stream ARN parses back to table and label", func(t *testing.T) {
		arn := StreamARN("us-east-1", "123456789012", "Music", "2026-11-21T06:21:45.123")
		if arn != "arn:aws:dynamodb:us-east-1:123456789012:table/Music/stream/2026-11-21T06:21:45.123" {
			t.Fatal(arn)
		}
		name, label, ok := parseStreamARN(arn)
		if !ok || name != "Music" || label != "2026-11-21T06:21:45.123" {
			t.Fatalf("%q %q %v", name, label, ok)
		}
	})
	for _, bad := range []string{"", "arn:aws:dynamodb:r:a:table/Music", "arn:aws:dynamodb:r:a:table/Music/index/i",
		"arn:aws:s3:r:a:table/Music/stream/x", "arn:aws:dynamodb:r:a:table//stream/x", "Music"} {
		t.Run("not a stream ARN: "+bad, func(t *testing.T) {
			if _, _, ok := parseStreamARN(bad); ok {
				t.Fatal("parsed")
			}
		})
	}
	t.Run("labels are millisecond times and name stream ids", func(t *testing.T) {
		at := time.Date(2026, 11, 21, 6, 21, 45, 123456789, time.UTC)
		if l := Label(at); l != "2026-11-21T06:21:45.123" {
			t.Fatal(l)
		}
		id, err := StreamID(Label(at))
		if err != nil || id != uint64(at.UnixMilli()) {
			t.Fatalf("%d %v", id, err)
		}
		if _, err := StreamID("yesterday"); err == nil {
			t.Fatal("a bad label parsed")
		}
	})
	t.Run("shard ids look like DynamoDB's", func(t *testing.T) {
		id := shardID(5, 1795241319295)
		if len(id) != 37 || !strings.HasPrefix(id, "shardId-00000001795241319295-") || id != shardID(5, 1795241319295) || id == shardID(6, 1795241319295) {
			t.Fatal(id)
		}
	})
	seqs := []struct {
		s    string
		want uint64
		ok   bool
	}{
		{"000000000000000000012", 12, true},
		{"18446744073709551615", 1<<64 - 1, true},
		{"99999999999999999999999", 1<<64 - 1, true},
		{"", 0, false},
		{"12a", 0, false},
		{"-1", 0, false},
	}
	for _, tc := range seqs {
		t.Run("sequence number "+tc.s, func(t *testing.T) {
			got, ok := parseSequence(tc.s)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("%d %v", got, ok)
			}
		})
	}
}

func TestIterators(t *testing.T) {
	arn := "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-02T03:04:05.006"
	id, _ := StreamID("2026-01-02T03:04:05.006")
	it := iterator{arn: arn, tid: 3, stream: id, seq: 99, issued: 1234}
	t.Run("an iterator round-trips", func(t *testing.T) {
		s := it.String()
		if !strings.HasPrefix(s, arn+"|1|") {
			t.Fatal(s)
		}
		got, ok := parseIterator(s)
		if !ok || got != it {
			t.Fatalf("%+v %v", got, ok)
		}
	})
	good := it.String()
	other := iterator{arn: "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-02T03:04:05.007", tid: 3, stream: id, seq: 99}
	for name, bad := range map[string]string{
		"garbage":                      "garbage",
		"no payload":                   arn + "|1|",
		"a changed payload":            good[:len(good)-4] + "AAA=",
		"an ARN of another stream":     other.String(),
		"another version":              strings.Replace(good, "|1|", "|2|", 1),
		"a payload that is not base64": arn + "|1|!!!!",
	} {
		t.Run("rejects "+name, func(t *testing.T) {
			if _, ok := parseIterator(bad); ok {
				t.Fatal("parsed")
			}
		})
	}
}

func TestInputValidation(t *testing.T) {
	arn := "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-02T03:04:05.006"
	shard := "shardId-00000001795241319295-05a79688"
	cases := []struct {
		name string
		in   interface{ Validate() error }
		want string
	}{
		{"a ShardFilter is valid", &DescribeStreamInput{DescribeStreamInput: wire.DescribeStreamInput{StreamArn: &arn},
			ShardFilter: &ShardFilter{Type: ptr("CHILD_SHARDS"), ShardId: &shard}}, ""},
		{"a ShardFilter of another type is not", &DescribeStreamInput{DescribeStreamInput: wire.DescribeStreamInput{StreamArn: &arn},
			ShardFilter: &ShardFilter{Type: ptr("PARENT"), ShardId: &shard}},
			"1 validation error detected: Value 'PARENT' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]"},
		{"ShardFilter errors follow the generated ones", &DescribeStreamInput{ShardFilter: &ShardFilter{Type: ptr("CHILD_SHARDS"), ShardId: ptr("short")}},
			"2 validation errors detected: Value null at 'streamArn' failed to satisfy constraint: Member must not be null; " +
				"Value 'short' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length greater than or equal to 28"},
		{"AT_TIMESTAMP is an iterator type", &GetShardIteratorInput{GetShardIteratorInput: wire.GetShardIteratorInput{StreamArn: &arn, ShardId: &shard,
			ShardIteratorType: ptr("AT_TIMESTAMP")}}, ""},
		{"the enum listing includes AT_TIMESTAMP", &GetShardIteratorInput{GetShardIteratorInput: wire.GetShardIteratorInput{StreamArn: &arn, ShardId: &shard,
			ShardIteratorType: ptr("OLDEST")}},
			"1 validation error detected: Value 'OLDEST' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, LATEST, TRIM_HORIZON]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := apierr.As(err)
			if !ok || e.Code != "ValidationException" || e.Message != tc.want {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
}
