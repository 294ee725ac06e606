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

// ListStreams lists the caller's readable streams — enabled ones and those
// disabled less than 24 hours ago — of one table or of all, ordered by
// table name and label, Limit (default and maximum 100) at a time.
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
	if in.TableName != nil {
		t, err := s.cat.Get(id.Namespace, *in.TableName)
		if err != nil {
			name, ok := catalog.NameFromARN(*in.TableName)
			if !ok {
				name = *in.TableName
			}
			return nil, apierr.ResourceNotFound("Requested resource not found: Table: " + name + " not found")
		}
		tables = append(tables, t)
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
