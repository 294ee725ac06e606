// Package items is the data plane's item operations: PutItem, GetItem,
// UpdateItem and DeleteItem (one file per operation), and the parts every
// item operation shares — key extraction and validation (key.go), request
// parameter checks (params.go), consumed capacity (capacity.go), return
// values (return_values.go) and the single write path (write.go).
//
// Every operation is prepare-then-execute: it validates the whole request
// with DynamoDB's messages in DynamoDB's order (expressions.md §9) without
// touching storage, then runs exactly one storage.Engine.Update locked on the
// item's key, in which it reads the old item, evaluates the condition,
// computes the new item as a pure function of the old one, writes it and
// maintains the table counters. Because the lock covers the read and the
// write, concurrent conditional writes to one item never lose an update.
//
// The package must not know about HTTP or JSON framing (package httpapi) nor
// about table lifecycles (package tables); it reads table metadata only
// through catalog.Catalog.Get.
package items
