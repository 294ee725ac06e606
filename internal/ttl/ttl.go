// Package ttl owns time to live: the expiry index kept beside the items of
// a table whose TTL is enabled, and the Sweeper that deletes expired items
// through the items write path, finding them in that index (never by
// scanning the table), so that its work grows with the expired items only.
//
// The expiry index holds one entry per item whose TTL attribute is a
// Number: keyspace.TTLEntry(tid, epoch seconds, item key). Track maintains
// it in the commit of every item write, for the TTL attribute of the table
// version current under the item's lock (catalog.Table.Current); enabling
// TTL on a table with items indexes them in a one-time pass (Sweeper,
// ENABLING), disabling drops the index (DISABLING).
//
// DynamoDB's rules (behaviours.md section 11, limits.md section 10): an
// item is expired when its TTL attribute is a top-level N holding epoch
// seconds in the past, but not more than five years in the past; any other
// value (S, a list, a nested attribute, milliseconds, which lie far in the
// future) is never expired. Expired items stay readable until deleted.
//
// The package must not import items (items imports it, for Track): the
// Sweeper deletes through an ExpireFunc the server wires to items.Expire.
package ttl

import (
	"strconv"
	"strings"
	"time"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// MaxAge is how far in the past a TTL value may lie and still expire its
// item: DynamoDB leaves items alone whose TTL is more than five years old
// (a guard against values that are not epoch seconds).
const MaxAge = 5 * 365 * 24 * time.Hour

// maxEpoch bounds the epochs the index holds (year ~146 billion), so that
// every epoch converts to int64 seconds.
const maxEpoch = 1 << 62

// Statuses DescribeTimeToLive reports.
const (
	StatusEnabling  = "ENABLING"
	StatusEnabled   = "ENABLED"
	StatusDisabling = "DISABLING"
	StatusDisabled  = "DISABLED"
)

// Status is the TimeToLiveStatus of a table's TTL setting (nil: never set).
func Status(t *catalog.TTL) string {
	switch {
	case t == nil:
		return StatusDisabled
	case t.Enabled && t.Transition:
		return StatusEnabling
	case t.Enabled:
		return StatusEnabled
	case t.Transition:
		return StatusDisabling
	}
	return StatusDisabled
}

// Epoch returns the expiry time, in whole epoch seconds, that value v of a
// TTL attribute stands for: ok is false unless v is a non-negative N (a
// fraction is truncated). Whether it is expired depends on the time: see
// Expired.
func Epoch(v attr.Value) (epoch uint64, ok bool) {
	if v.Type != attr.N || strings.HasPrefix(v.Str, "-") {
		return 0, false
	}
	s := v.Str // canonical: plain decimal digits with an optional fraction
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n >= maxEpoch {
		return 0, false
	}
	return n, true
}

// window is the range of epochs expired at now: [lo, hi).
func window(now time.Time) (lo, hi uint64) {
	sec := now.Unix()
	if sec <= 0 {
		return 0, 0
	}
	lo64 := sec - int64(MaxAge/time.Second)
	if lo64 < 0 {
		lo64 = 0
	}
	return uint64(lo64), uint64(sec)
}

// Expired reports whether item (nil: no item) is expired at now under TTL
// attribute name.
func Expired(item attr.Item, name string, now time.Time) bool {
	if item == nil {
		return false
	}
	e, ok := Epoch(item[name])
	lo, hi := window(now)
	return ok && e >= lo && e < hi
}

// Track adds to tx the expiry-index changes of one item going from old to
// new (either may be nil) under storage key itemKey in table t. It runs
// under the item's lock and reads the table's current version, so a write
// prepared before TTL was enabled still indexes its item.
func Track(tx storage.Txn, t *catalog.Table, itemKey []byte, old, new attr.Item) error {
	t = t.Current()
	if t.TTL == nil || !t.TTL.Enabled {
		return nil
	}
	name := t.TTL.AttributeName
	oe, oldOK := itemEpoch(old, name)
	ne, newOK := itemEpoch(new, name)
	if oldOK && newOK && oe == ne {
		return nil
	}
	if oldOK {
		tx.Delete(keyspace.TTLEntry(t.ID, oe, itemKey))
	}
	if newOK {
		tx.Set(keyspace.TTLEntry(t.ID, ne, itemKey), nil)
	}
	return nil
}

func itemEpoch(item attr.Item, name string) (uint64, bool) {
	if item == nil {
		return 0, false
	}
	v, ok := item[name]
	if !ok {
		return 0, false
	}
	return Epoch(v)
}

// DeletedItemCount is the number of items TTL has deleted from table tid
// (the TimeToLiveDeletedItemCount metric), read from r.
func DeletedItemCount(r storage.Reader, tid uint64) (int64, error) {
	b, _, err := r.Get(keyspace.TTLDeleted(tid))
	if err != nil {
		return 0, err
	}
	return storage.ReadInt64(b), nil
}
