package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"

	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
)

// namespaceHint returns the httpapi NotFound hook: when a request fails
// with ResourceNotFoundException and a table it names exists in another
// namespace of this server, it logs so at info level, naming the flag that
// would make the table visible. Tables that "disappear" because a tool
// uses another access key or region are DynamoDB Local's classic trap.
//
// It runs on the error path only: decoding the body again and walking the
// catalog cost nothing on successful requests.
func namespaceHint(cat *catalog.Catalog, log *slog.Logger, shared bool) func(context.Context, string, []byte) {
	return func(ctx context.Context, target string, body []byte) {
		if !log.Enabled(ctx, slog.LevelInfo) {
			return
		}
		var in struct {
			TableName    string
			RequestItems map[string]json.RawMessage
		}
		if json.Unmarshal(body, &in) != nil {
			return
		}
		names := make([]string, 0, 1+len(in.RequestItems))
		if in.TableName != "" {
			names = append(names, in.TableName)
		}
		for n := range in.RequestItems {
			names = append(names, n)
		}
		id := caller.From(ctx)
		for _, n := range names {
			name, ok := catalog.NameFromARN(n)
			if !ok {
				continue
			}
			others := slices.DeleteFunc(cat.NamespacesWith(name), func(ns string) bool { return ns == id.Namespace })
			if len(others) == 0 {
				continue
			}
			msg := "table exists in another namespace; start Petrel with -sharedDb to share tables across access keys and regions"
			if shared {
				msg = "table exists in a per-access-key namespace; start Petrel without -sharedDb to see it"
			}
			log.LogAttrs(ctx, slog.LevelInfo, msg, slog.String("table", name), slog.String("target", target),
				slog.String("access_key", id.AccessKey), slog.String("region", id.Region),
				slog.String("namespace", id.Namespace), slog.Any("other_namespaces", others))
		}
	}
}
