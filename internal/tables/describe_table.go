package tables

import (
	"context"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

// DescribeTable describes a table given by name or ARN.
func (s *Service) DescribeTable(ctx context.Context, in *protocol.DescribeTableInput) (*protocol.DescribeTableOutput, error) {
	t, err := s.lookup(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	d, err := s.describe(ctx, t, s.statusOf(t))
	if err != nil {
		return nil, err
	}
	return &protocol.DescribeTableOutput{Table: d}, nil
}

// lookup finds the caller's table nameOrArn in any status (including one
// still CREATING, or DELETING: status.go), answering a missing one with
// AWS's control-plane text (errors.md D49): "Requested resource not found:
// Table: <name> not found".
func (s *Service) lookup(ctx context.Context, nameOrArn *string) (*catalog.Table, error) {
	name, ok := catalog.NameFromARN(str(nameOrArn))
	if !ok {
		return nil, tableNotFound(str(nameOrArn))
	}
	t, err := s.find(caller.From(ctx).Namespace, name)
	if err != nil {
		if e, ok := apierr.As(err); ok && e.Code == "ResourceNotFoundException" {
			return nil, tableNotFound(str(nameOrArn))
		}
		return nil, err
	}
	return t, nil
}

// tableNotFound is AWS's ResourceNotFoundException for a control-plane
// operation on a missing table.
func tableNotFound(nameOrArn string) error {
	name, ok := catalog.NameFromARN(nameOrArn)
	if !ok {
		name = nameOrArn
	}
	return apierr.ResourceNotFound("Requested resource not found: Table: " + name + " not found")
}
