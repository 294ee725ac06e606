// Package items is the data plane: every item operation, one file per
// operation — PutItem, GetItem, UpdateItem, DeleteItem, Query, Scan,
// BatchGetItem, BatchWriteItem, TransactWriteItems, TransactGetItems — plus
// Expire, the TTL expirer's only way to delete. The parts they share: key
// extraction and validation (key.go), request parameter checks (params.go),
// consumed capacity (capacity.go), key conditions and paging for Query and
// Scan (key_condition.go, paging.go, index_read.go for reads through a
// secondary index), ClientRequestToken idempotency (idempotency.go,
// transact_conflict.go), the output of PutItem, UpdateItem and DeleteItem
// (single_write.go), the parses of recent expression texts (an expr.Cache
// in the Service, so that a request repeating an expression is not parsed
// again), and the single write path.
//
// Every operation is prepare-then-execute: it validates the whole request
// with DynamoDB's messages in DynamoDB's order (expressions.md §9) without
// touching storage, then runs exactly one storage.Engine.Update locked on the
// keys of the items it writes (write.go for one item, write_many.go for a
// batch or a transaction), in which it reads the old items, evaluates the
// conditions, computes each new item as a pure function of the old one,
// writes it, maintains the table counters and, through effects.go, writes the
// item's secondary-index entries, TTL expiry entry and stream record in the
// same commit. Because the lock covers the read and the write, concurrent
// conditional writes to one item never lose an update, and a transaction is
// serializable against every other write.
//
// The package must not know about HTTP or JSON framing (package httpapi) nor
// about table lifecycles (package tables); it reads table metadata only
// through catalog.Catalog.
package items
