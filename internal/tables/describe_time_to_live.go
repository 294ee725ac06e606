package tables

import (
	"context"

	"github.com/petreldb/petrel/internal/protocol"
)

// DescribeTimeToLive reports a table's TTL status (ENABLING, ENABLED,
// DISABLING or DISABLED) and, unless DISABLED, its attribute.
func (s *Service) DescribeTimeToLive(ctx context.Context, in *protocol.DescribeTimeToLiveInput) (*protocol.DescribeTimeToLiveOutput, error) {
	t, err := s.lookup(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	d := &protocol.TimeToLiveDescription{TimeToLiveStatus: ptr(ttlStatus(t))}
	if t.TTL != nil && (t.TTL.Enabled || t.TTL.Transition) {
		d.AttributeName = ptr(t.TTL.AttributeName)
	}
	return &protocol.DescribeTimeToLiveOutput{TimeToLiveDescription: d}, nil
}
