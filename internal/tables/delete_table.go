package tables

import (
	"context"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

// DeleteTable deletes a table and all its items in one commit. The response
// reports DELETING as DynamoDB's does; the control plane keeps reporting
// DELETING until the transient delay has passed (status.go), so the SDK's
// TableNotExists waiter works either way. A table that is CREATING or
// UPDATING cannot be deleted (ResourceInUseException); deleting a DELETING
// table again is no error, as DynamoDB documents.
func (s *Service) DeleteTable(ctx context.Context, in *protocol.DeleteTableInput) (*protocol.DeleteTableOutput, error) {
	t, err := s.lookup(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	switch s.statusOf(t) {
	case catalog.StatusDeleting:
		d, err := s.describe(ctx, t, catalog.StatusDeleting)
		if err != nil {
			return nil, err
		}
		return &protocol.DeleteTableOutput{TableDescription: d}, nil
	case catalog.StatusCreating, catalog.StatusUpdating:
		return nil, s.inUse(t)
	}
	// The description (with the final counters) is taken before the items go.
	d, err := s.describe(ctx, t, catalog.StatusDeleting)
	if err != nil {
		return nil, err
	}
	gone, err := s.cat.Delete(ctx, caller.From(ctx).Namespace, t.Name, func(cur *catalog.Table) error {
		if err := s.inUse(cur); err != nil {
			return err
		}
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
	s.markDeleted(gone, s.nowMillis())
	return &protocol.DeleteTableOutput{TableDescription: d}, nil
}
