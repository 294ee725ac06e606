package streams

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
	wire "github.com/petreldb/petrel/internal/protocol/streams"
)

// The Streams model in aws-models (2012-08-10, as generated into
// protocol/streams) predates two members that DynamoDB Streams has since
// gained and that aws-sdk-go-v2's dynamodbstreams client sends:
// DescribeStream's ShardFilter and GetShardIterator's Timestamp (with the
// AT_TIMESTAMP iterator type). These inputs add them to the generated ones,
// with the same validation form. A generator overlay for the Streams model,
// like gen/overlay-dynamodb.json, would be the cleaner home for them.

// Shard filter and iterator type values the generated model lacks.
const (
	ShardFilterChildShards       = "CHILD_SHARDS"
	ShardIteratorTypeAtTimestamp = "AT_TIMESTAMP"
)

// DescribeStreamInput is the request of DescribeStream.
type DescribeStreamInput struct {
	wire.DescribeStreamInput
	// ShardFilter selects the children of a shard (CHILD_SHARDS).
	ShardFilter *ShardFilter `json:"ShardFilter,omitzero"`
}

// ShardFilter is DescribeStream's filter on shards.
type ShardFilter struct {
	Type    *string `json:"Type,omitzero"`
	ShardId *string `json:"ShardId,omitzero"`
}

// Validate checks the model constraints, ShardFilter's included.
func (x *DescribeStreamInput) Validate() error {
	err := x.DescribeStreamInput.Validate()
	var extra []string
	if f := x.ShardFilter; f != nil {
		if f.Type == nil {
			extra = append(extra, "Value null at 'shardFilter.type' failed to satisfy constraint: Member must not be null")
		} else if *f.Type != ShardFilterChildShards {
			extra = append(extra, fmt.Sprintf("Value '%s' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [%s]", *f.Type, ShardFilterChildShards))
		}
		if f.ShardId == nil {
			extra = append(extra, "Value null at 'shardFilter.shardId' failed to satisfy constraint: Member must not be null")
		} else if n := len([]rune(*f.ShardId)); n < 28 {
			extra = append(extra, fmt.Sprintf("Value '%s' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length greater than or equal to 28", *f.ShardId))
		} else if n > 65 {
			extra = append(extra, fmt.Sprintf("Value '%s' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length less than or equal to 65", *f.ShardId))
		}
	}
	return mergeValidation(err, extra)
}

// GetShardIteratorInput is the request of GetShardIterator.
type GetShardIteratorInput struct {
	wire.GetShardIteratorInput
	// Timestamp (epoch seconds) is where an AT_TIMESTAMP iterator starts.
	Timestamp *float64 `json:"Timestamp,omitzero"`
}

const (
	iteratorTypes    = "[AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, LATEST, TRIM_HORIZON]"
	iteratorTypesNew = "[AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, LATEST, TRIM_HORIZON]"
)

// Validate checks the model constraints, with AT_TIMESTAMP in the iterator
// type enum.
func (x *GetShardIteratorInput) Validate() error {
	in := x.GetShardIteratorInput
	if in.ShardIteratorType != nil && *in.ShardIteratorType == ShardIteratorTypeAtTimestamp {
		in.ShardIteratorType = ptr(wire.ShardIteratorTypeTrimHorizon)
	}
	err := in.Validate()
	if e, ok := apierr.As(err); ok && strings.Contains(e.Message, iteratorTypes) {
		return apierr.Validation(strings.Replace(e.Message, iteratorTypes, iteratorTypesNew, 1))
	}
	return err
}

// mergeValidation appends extra constraint violations to err (a generated
// "N validation error(s) detected: ..." ValidationException, or nil).
func mergeValidation(err error, extra []string) error {
	if len(extra) == 0 {
		return err
	}
	n := 0
	var items []string
	if err != nil {
		e, ok := apierr.As(err)
		if !ok {
			return err
		}
		head, rest, found := strings.Cut(e.Message, " detected: ")
		count, _, _ := strings.Cut(head, " ")
		c, cerr := strconv.Atoi(count)
		if !found || cerr != nil {
			return err
		}
		n, items = c, []string{rest}
	}
	items = append(items, extra...)
	return apierr.Validation(validationText(n+len(extra), items))
}

func validationText(n int, items []string) string {
	if n == 1 {
		return "1 validation error detected: " + strings.Join(items, "; ")
	}
	return strconv.Itoa(n) + " validation errors detected: " + strings.Join(items, "; ")
}
