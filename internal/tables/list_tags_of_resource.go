package tables

import (
	"context"
	"maps"
	"slices"
	"sort"

	"github.com/petreldb/petrel/internal/protocol"
)

// ListTagsOfResource lists a table's tags in key order, tagsPageSize at a
// time. NextToken is the last key of a page when more tags follow; a request
// with NextToken continues after that key (an unknown token is simply a
// position in key order). A table without tags answers {"Tags":[]}. Tags can
// be listed in every table status, DELETING included.
func (s *Service) ListTagsOfResource(ctx context.Context, in *protocol.ListTagsOfResourceInput) (*protocol.ListTagsOfResourceOutput, error) {
	arn := str(in.ResourceArn)
	name, ours, err := resourceName(ctx, arn)
	if err != nil {
		return nil, err
	}
	t, err := s.resource(ctx, arn, name, ours)
	if err != nil {
		return nil, err
	}
	keys := slices.Sorted(maps.Keys(t.Tags))
	if in.NextToken != nil {
		after := *in.NextToken
		keys = keys[sort.Search(len(keys), func(i int) bool { return keys[i] > after }):]
	}
	out := &protocol.ListTagsOfResourceOutput{Tags: []protocol.Tag{}}
	if len(keys) > tagsPageSize {
		keys = keys[:tagsPageSize]
		out.NextToken = ptr(keys[len(keys)-1])
	}
	for _, k := range keys {
		out.Tags = append(out.Tags, protocol.Tag{Key: ptr(k), Value: ptr(t.Tags[k])})
	}
	return out, nil
}
