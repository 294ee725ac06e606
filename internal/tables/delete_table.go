package tables

import (
	"context"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

// DeleteTable deletes a table and all its items in one commit. The response
// reports DELETING as DynamoDB's does, but the table is already gone, so the
// SDK's TableNotExists waiter returns on its first poll. TODO(#5): realistic
// DELETING delays with -delayTransientStatuses.
func (s *Service) DeleteTable(ctx context.Context, in *protocol.DeleteTableInput) (*protocol.DeleteTableOutput, error) {
	t, err := s.lookup(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	// The description (with the final counters) is taken before the items go.
	d, err := s.describe(ctx, t, catalog.StatusDeleting)
	if err != nil {
		return nil, err
	}
	_, err = s.cat.Delete(ctx, caller.From(ctx).Namespace, t.Name, func(cur *catalog.Table) error {
		if cur.DeletionProtection {
			return apierr.Validation(msgDeletionProtected)
		}
		return nil
	})
	if err != nil {
		if e, ok := apierr.As(err); ok && e.Code == "ResourceNotFoundException" {
			return nil, tableNotFound(t.Name)
		}
		return nil, err
	}
	return &protocol.DeleteTableOutput{TableDescription: d}, nil
}
