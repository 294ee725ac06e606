// Package streams owns DynamoDB Streams: the change record of every item
// write, added to the item's own storage commit, and the Streams API
// (ListStreams, DescribeStream, GetShardIterator, GetRecords) that reads the
// records back, plus their 24-hour trimming.
//
// Records are written in two steps. Append, inside the item's commit, adds a
// pending record keyed by a time-ordered hint (keyspace.StreamPending), so
// no acknowledged change can lack its record. The sequencer (sequence.go)
// later gives pending records their sequence numbers, in the order their
// commits became visible, and moves them into the stream's log
// (keyspace.StreamRecord). This is what makes a consumer that follows shard
// iterators see every record exactly once: a sequence number allocated
// inside a commit could become visible after a higher one, and a reader
// positioned past it would skip it. Readers run the sequencer before
// reading, so a record is readable as soon as its write is acknowledged;
// the server also runs it every second (Service.Maintain).
//
// Records of one item keep their order: writes of one item are serialized
// by the item's lock, each pending record's hint is also listed under the
// item (keyspace.StreamItemPending), above the item's previous one,
// and the sequencer, under the item's lock, sequences an item's pending
// records in that order, older ones first, whenever it meets one of them.
//
// Each stream has one shard (DynamoDB may split a stream into several; one
// shard that is never split is a valid stream). Sequence numbers are per
// table, increasing, 21 decimal digits; ApproximateCreationDateTime is the
// time the record was sequenced, by the injected clock (within about a
// second of the write; DynamoDB documents the time as approximate).
//
// A stream outlives its table by Retention: catalog.Delete keeps the
// deleted table's stream keys and stores a catalog.RetiredStream per
// stream, which resolve falls back on (the stream is DISABLED, its shard
// closed); Maintain sequences and trims them like any other and deletes
// them, records and descriptors, once none is readable. A stream disabled
// by UpdateTable stays in the table's history, readable, for as long.
//
// The package must not import items (items imports it for Append) nor
// tables; it reads table metadata through catalog.
package streams

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// Change describes one item write for the stream.
type Change struct {
	Keys     attr.Item // the item's primary key attributes
	Old, New attr.Item // nil when absent
	// ByService marks a deletion made by the service itself (TTL), reported
	// with userIdentity {"type":"Service","principalId":"dynamodb.amazonaws.com"}.
	ByService bool
}

// Append adds to tx the pending stream record of c when the table has a
// stream enabled. It runs under the item's lock and reads the table's
// current version (catalog.Table.Current), so a write prepared before the
// stream was enabled is recorded. A write that leaves the item as it was
// (or deletes a missing item) has no record, as on DynamoDB.
func Append(tx storage.Txn, t *catalog.Table, c Change) error {
	t = t.Current()
	if t.Stream == nil {
		return nil
	}
	ev := eventOf(c.Old, c.New)
	if ev == 0 {
		return nil
	}
	id, err := StreamID(t.StreamLabel)
	if err != nil {
		return err
	}
	view := viewCode(t.Stream.ViewType)
	r := record{byService: c.ByService, event: ev, view: view, stream: id, keys: c.Keys}
	if view == viewOld || view == viewNewAndOld {
		r.old = c.Old
	}
	if view == viewNew || view == viewNewAndOld {
		r.new = c.New
	}
	itemKey, err := storageKey(t, c.Keys)
	if err != nil {
		return err
	}
	// The ordering hint is the wall clock (not the injected clock: it only
	// orders pending records, it is never shown), kept above the hint of
	// the item's newest pending record.
	ts := uint64(time.Now().UnixNano())
	byItem := keyspace.StreamItemPending(t.ID, itemKey)
	hints, _, err := tx.Get(byItem)
	if err != nil {
		return fmt.Errorf("streams: reading pending records: %w", err)
	}
	if n := len(hints); n >= 8 {
		if prev := binary.BigEndian.Uint64(hints[n-8:]); ts <= prev {
			ts = prev + 1
		}
	}
	tx.Set(keyspace.StreamPending(t.ID, ts, itemKey), r.append(nil))
	tx.Set(byItem, binary.BigEndian.AppendUint64(hints, ts))
	return nil
}

// eventOf classifies a change: INSERT, MODIFY, REMOVE, or 0 for none.
func eventOf(old, new attr.Item) byte {
	switch {
	case old == nil && new == nil:
		return 0
	case old == nil:
		return eventInsert
	case new == nil:
		return eventRemove
	case attr.ItemsEqual(old, new):
		return 0
	}
	return eventModify
}

// storageKey rebuilds the item's storage key from its key attributes.
func storageKey(t *catalog.Table, keys attr.Item) ([]byte, error) {
	hn, _ := t.HashKey()
	hv, ok := keys[hn]
	if !ok {
		return nil, fmt.Errorf("streams: change of table %q lacks key %q", t.Name, hn)
	}
	rn, _, hasRange := t.RangeKey()
	var rv attr.Value
	if hasRange {
		if rv, ok = keys[rn]; !ok {
			return nil, fmt.Errorf("streams: change of table %q lacks key %q", t.Name, rn)
		}
	}
	return keyspace.Item(t.ID, hv, rv, hasRange), nil
}
