package server

import (
	"context"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/httpapi"
	"github.com/petreldb/petrel/internal/items"
	"github.com/petreldb/petrel/internal/partiql"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/protocol/streams"
	"github.com/petreldb/petrel/internal/storage"
	"github.com/petreldb/petrel/internal/tables"
)

// operations builds the two operation maps the front end routes by
// X-Amz-Target: every implemented operation, listed explicitly here (no
// init-time registration), and every other operation of the service models
// answering notImplemented. README.md's supported-operations table mirrors
// this list. transientDelay is Config.TransientStatusDelay; bg receives the
// TTL expirer and the Streams service, on bg's clock.
func operations(cat *catalog.Catalog, eng storage.Engine, transientDelay time.Duration, bg *background) (dynamo, streamsOps map[string]httpapi.Operation) {
	ts := tables.New(cat, eng).WithTransientDelay(transientDelay).WithClock(bg.clock).WithTTLNotify(bg.kick)
	bg.indexBuilds = ts.Close
	is := items.New(cat, eng)
	ss := bg.attach(cat, eng, is)
	ps := partiql.New(cat, is)
	dynamo = map[string]httpapi.Operation{
		// Control plane (internal/tables).
		"CreateTable":   httpapi.Op(ts.CreateTable),
		"DescribeTable": httpapi.Op(ts.DescribeTable),
		"ListTables":    httpapi.Op(ts.ListTables),
		"DeleteTable":   httpapi.Op(ts.DeleteTable),
		"UpdateTable":   httpapi.Op(ts.UpdateTable),
		// Time to live (internal/tables; the expirer is internal/ttl).
		"UpdateTimeToLive":   httpapi.Op(ts.UpdateTimeToLive),
		"DescribeTimeToLive": httpapi.Op(ts.DescribeTimeToLive),
		// Tags, limits and endpoint discovery (internal/tables, #5).
		"TagResource":        httpapi.Op(ts.TagResource),
		"UntagResource":      httpapi.Op(ts.UntagResource),
		"ListTagsOfResource": httpapi.Op(ts.ListTagsOfResource),
		"DescribeLimits":     httpapi.Op(ts.DescribeLimits),
		"DescribeEndpoints":  httpapi.Op(ts.DescribeEndpoints),

		// Data plane (internal/items).
		"PutItem":        httpapi.Op(is.PutItem),
		"GetItem":        httpapi.Op(is.GetItem),
		"UpdateItem":     httpapi.Op(is.UpdateItem),
		"DeleteItem":     httpapi.Op(is.DeleteItem),
		"Query":          httpapi.Op(is.Query),
		"Scan":           httpapi.Op(is.Scan),
		"BatchGetItem":   httpapi.Op(is.BatchGetItem),
		"BatchWriteItem": httpapi.Op(is.BatchWriteItem),

		// PartiQL (internal/partiql).
		"ExecuteStatement":      httpapi.Op(ps.ExecuteStatement),
		"BatchExecuteStatement": httpapi.Op(ps.BatchExecuteStatement),
		"ExecuteTransaction":    httpapi.Op(ps.ExecuteTransaction),

		// Transactions (internal/items).
		"TransactWriteItems": httpapi.Op(is.TransactWriteItems),
		"TransactGetItems":   httpapi.Op(is.TransactGetItems),
	}
	streamsOps = map[string]httpapi.Operation{
		// DynamoDB Streams (internal/streams).
		"ListStreams":      httpapi.Op(ss.ListStreams),
		"DescribeStream":   httpapi.Op(ss.DescribeStream),
		"GetShardIterator": httpapi.Op(ss.GetShardIterator),
		"GetRecords":       httpapi.Op(ss.GetRecords),
	}
	for _, name := range protocol.DynamoDBOperations {
		if dynamo[name] == nil {
			dynamo[name] = notImplemented
		}
	}
	for _, name := range streams.Operations {
		if streamsOps[name] == nil {
			streamsOps[name] = notImplemented
		}
	}
	return dynamo, streamsOps
}

// notImplemented answers an operation of the model that Petrel does not
// support yet: a clear 400, the same one DynamoDB gives an unknown operation,
// never a 500.
func notImplemented(context.Context, []byte, []byte) ([]byte, error) {
	return nil, apierr.UnknownOperation()
}
