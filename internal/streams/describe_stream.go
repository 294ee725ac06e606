package streams

import (
	"context"

	"github.com/petreldb/petrel/internal/apierr"
	wire "github.com/petreldb/petrel/internal/protocol/streams"
)

// DescribeStream describes a stream and its shard. Each stream has one
// shard, with no parent; a ShardFilter asking for the children of a shard
// therefore selects none.
func (s *Service) DescribeStream(ctx context.Context, in *DescribeStreamInput) (*wire.DescribeStreamOutput, error) {
	if in.Limit != nil && *in.Limit > 100 {
		return nil, apierr.Validation(msgDescribeLimit)
	}
	st, err := s.resolve(ctx, *in.StreamArn)
	if err != nil {
		return nil, err
	}
	status := wire.StreamStatusEnabled
	if !st.open {
		status = wire.StreamStatusDisabled
	}
	created := float64(st.id) / 1000 // the label's time
	d := &wire.StreamDescription{
		StreamArn:               ptr(st.arn),
		StreamLabel:             ptr(st.info.Label),
		StreamStatus:            ptr(status),
		StreamViewType:          ptr(st.info.ViewType),
		CreationRequestDateTime: &created,
		TableName:               ptr(st.table),
		KeySchema:               keySchema(st.keys),
		Shards:                  []wire.Shard{},
	}
	sh, err := s.shard(st)
	if err != nil {
		return nil, err
	}
	include := in.ShardFilter == nil // no shard has children
	if in.ExclusiveStartShardId != nil && *in.ExclusiveStartShardId >= *sh.ShardId {
		include = false
	}
	if include {
		d.Shards = append(d.Shards, sh)
	}
	return &wire.DescribeStreamOutput{StreamDescription: d}, nil
}
