package tables

import (
	"context"
	"sort"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/protocol"
)

// defaultListLimit is ListTables' page size when Limit is absent (and its
// maximum).
const defaultListLimit = 100

// ListTables lists the caller's table names in ascending order, a page at a
// time: names after ExclusiveStartTableName (which need not exist), at most
// Limit of them. LastEvaluatedTableName is set to the page's last name only
// when more names follow.
func (s *Service) ListTables(ctx context.Context, in *protocol.ListTablesInput) (*protocol.ListTablesOutput, error) {
	limit := defaultListLimit
	if in.Limit != nil {
		switch l := *in.Limit; {
		case l < 1:
			return nil, apierr.Validation(msgListLimitLow)
		case l > defaultListLimit:
			return nil, apierr.Validation(msgListLimitHigh)
		default:
			limit = int(l)
		}
	}
	names := s.listNames(caller.From(ctx).Namespace) // with tables still DELETING
	if start := str(in.ExclusiveStartTableName); start != "" {
		i := sort.Search(len(names), func(i int) bool { return names[i] > start })
		names = names[i:]
	}
	out := &protocol.ListTablesOutput{TableNames: []string{}}
	if len(names) > limit {
		names = names[:limit]
		out.LastEvaluatedTableName = ptr(names[limit-1])
	}
	out.TableNames = append(out.TableNames, names...)
	return out, nil
}
