package tables

import (
	"context"

	"github.com/petreldb/petrel/internal/protocol"
)

// UntagResource removes the tags with the given keys from a table; keys it
// does not have are ignored. The keys follow TagResource's rules (a key with
// the reserved aws: prefix is refused), and tags cannot be changed while the
// table is CREATING or DELETING (ResourceInUseException).
func (s *Service) UntagResource(ctx context.Context, in *protocol.UntagResourceInput) (*protocol.UntagResourceOutput, error) {
	arn := str(in.ResourceArn)
	name, ours, err := resourceName(ctx, arn)
	if err != nil {
		return nil, err
	}
	for _, k := range in.TagKeys {
		if err := checkTagKey(k); err != nil {
			return nil, err
		}
	}
	err = s.changeTags(ctx, arn, name, ours, func(tags map[string]string) error {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &protocol.UntagResourceOutput{}, nil
}
