package streams

import (
	"slices"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		in   interface{ Validate() error }
		want string
	}{
		{"GetRecords Limit 0 is too small", &GetRecordsInput{ShardIterator: ptr("it"), Limit: ptr(int32(0))},
			"ValidationException: 1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"ListStreams Limit 0 is too small", &ListStreamsInput{Limit: ptr(int32(0))},
			"ValidationException: 1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"a bad ShardIteratorType lists the enum sorted", &GetShardIteratorInput{
			StreamArn: ptr("arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2020-01-01T00:00:00.000"),
			ShardId:   ptr("shardId-00000000000000000000-00000000"), ShardIteratorType: ptr("FIRST")},
			"ValidationException: 1 validation error detected: Value 'FIRST' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, LATEST, TRIM_HORIZON]"},
		{"ListStreams accepts a table ARN", &ListStreamsInput{TableName: ptr("arn:aws:dynamodb:us-east-1:123456789012:table/t")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Validate() = %q\nwant         %q", got, tt.want)
			}
		})
	}
}

func TestOperations(t *testing.T) {
	want := []string{"DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"}
	if !slices.Equal(Operations, want) {
		t.Errorf("Operations = %v, want %v", Operations, want)
	}
	if TargetPrefix != "DynamoDBStreams_20120810" {
		t.Errorf("TargetPrefix = %q", TargetPrefix)
	}
}
