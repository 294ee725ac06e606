package streams

import (
	"cmp"
	"context"
	"slices"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	wire "github.com/petreldb/petrel/internal/protocol/streams"
)

// ListStreams lists the caller's readable streams — enabled ones, and
// those disabled, or whose table was deleted, less than 24 hours ago — of
// one table name or of all, ordered by table name and label, Limit
// (default and maximum 100) at a time. A table name that names neither a
// table nor a deleted table with a readable stream is
// ResourceNotFoundException.
func (s *Service) ListStreams(ctx context.Context, in *wire.ListStreamsInput) (*wire.ListStreamsOutput, error) {
	limit := 100
	if in.Limit != nil {
		if *in.Limit > 100 {
			return nil, apierr.Validation(msgListLimit)
		}
		limit = int(*in.Limit)
	}
	id := caller.From(ctx)
	var tables []*catalog.Table
	filter := ""
	if in.TableName != nil {
		name, ok := catalog.NameFromARN(*in.TableName)
		if !ok {
			name = *in.TableName
		}
		filter = name
		if t, err := s.cat.Get(id.Namespace, *in.TableName); err == nil {
			tables = append(tables, t)
		} else if !ok {
			return nil, apierr.ResourceNotFound("Requested resource not found: Table: " + name + " not found")
		}
	} else {
		for _, name := range s.cat.List(id.Namespace) {
			if t, err := s.cat.Get(id.Namespace, name); err == nil {
				tables = append(tables, t)
			}
		}
	}
	type entry struct{ table, label string }
	var all []entry
	now := s.now()
	for _, t := range tables {
		for _, info := range History(t) {
			if live(info, now) {
				all = append(all, entry{t.Name, info.Label})
			}
		}
	}
	retired, err := s.cat.RetiredStreams(id.Namespace, filter)
	if err != nil {
		return nil, err
	}
	for _, r := range retired {
		if live(retiredInfo(r), now) {
			all = append(all, entry{r.Table, r.Label})
		}
	}
	if filter != "" && len(tables) == 0 && len(all) == 0 {
		return nil, apierr.ResourceNotFound("Requested resource not found: Table: " + filter + " not found")
	}
	order := func(a, b entry) int { return cmp.Or(cmp.Compare(a.table, b.table), cmp.Compare(a.label, b.label)) }
	slices.SortFunc(all, order)
	if in.ExclusiveStartStreamArn != nil {
		if name, label, ok := parseStreamARN(*in.ExclusiveStartStreamArn); ok {
			start := entry{name, label}
			i, found := slices.BinarySearchFunc(all, start, order)
			if found {
				i++
			}
			all = all[i:]
		}
	}
	out := &wire.ListStreamsOutput{Streams: []wire.Stream{}}
	for i, e := range all {
		if i == limit {
			out.LastEvaluatedStreamArn = out.Streams[i-1].StreamArn
			break
		}
		out.Streams = append(out.Streams, wire.Stream{
			StreamArn:   ptr(StreamARN(id.Region, id.Account, e.table, e.label)),
			TableName:   ptr(e.table),
			StreamLabel: ptr(e.label),
		})
	}
	return out, nil
}
