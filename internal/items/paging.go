package items

import (
	"bytes"
	"fmt"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/index"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/storage"
)

// This file holds what Query and Scan share: Select validation,
// ExclusiveStartKey validation and the page loop (behaviours.md §7): read
// items in key order, stop at Limit items or once 1 MB of item data has been
// read, apply the filter, then the projection.

// maxPageBytes is the most item data one Query or Scan page reads (limits.md
// §7). The item during which the mark is crossed is still returned, as
// DynamoDB Local does (11 x 100,000-byte items on one page).
const maxPageBytes = 1 << 20

// Select values.
const (
	selectAll       = "ALL_ATTRIBUTES"
	selectProjected = "ALL_PROJECTED_ATTRIBUTES"
	selectSpecific  = "SPECIFIC_ATTRIBUTES"
	selectCount     = "COUNT"
)

// Messages of errors.md K.
const (
	msgStartKeySize     = "Exclusive Start Key must have same size as table's key schema"
	msgStartKeyType     = "Type mismatch for attribute to update"
	msgStartKeyRange    = "The provided starting key does not match the range key predicate"
	msgStartKeySegment  = "Exclusive start key must lie within the segment"
	msgNoIndexPrefix    = "The table does not have the specified index: "
	msgProjectedNoIndex = "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"
	msgSpecificNoProj   = "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
)

// checkSelect applies the rules tying Select to the projection members
// (errors.md K17-K21) and returns the effective Select: SPECIFIC_ATTRIBUTES
// when a projection is given without Select, else ALL_ATTRIBUTES. Select
// values outside the enum were already rejected by the model validation.
func checkSelect(sel *string, index bool, projExpr, attrsToGet bool) (string, error) {
	if sel == nil {
		if projExpr || attrsToGet {
			return selectSpecific, nil
		}
		return selectAll, nil
	}
	member := ""
	switch {
	case projExpr:
		member = "ProjectionExpression"
	case attrsToGet:
		member = "AttributesToGet"
	}
	switch *sel {
	case selectAll:
		if member != "" {
			return "", apierr.Validation("Cannot specify the " + member + " when choosing to get ALL_ATTRIBUTES")
		}
	case selectProjected:
		if !index {
			return "", apierr.Validation(msgProjectedNoIndex)
		}
		if member != "" {
			return "", apierr.Validation("Cannot specify the " + member + " when choosing to get ALL_PROJECTED_ATTRIBUTES")
		}
	case selectCount:
		if member != "" {
			return "", apierr.Validation("Cannot specify the " + member + " when choosing to get only the Count")
		}
	case selectSpecific:
		if member == "" {
			return "", apierr.Validation(msgSpecificNoProj)
		}
	default:
		return "", apierr.Validation("Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or SPECIFIC_ATTRIBUTES")
	}
	return *sel, nil
}

// readStartKey validates the ExclusiveStartKey of a read of t against its
// key schema (errors.md K23, K25), or of a read of its index ix when not nil
// (indexStartKey), and returns the storage key to resume after. nil in, nil
// out.
func readStartKey(t *catalog.Table, ix *catalog.Index, esk attr.Item) ([]byte, error) {
	if esk == nil {
		return nil, nil
	}
	if ix != nil {
		return indexStartKey(t, ix, esk)
	}
	hn, _ := t.HashKey()
	rn, _, hasRange := t.RangeKey()
	want := 1
	if hasRange {
		want = 2
	}
	if len(esk) != want {
		return nil, apierr.Validation(msgStartKeySize)
	}
	hv, rv, err := startKeyValues(t, esk)
	if err != nil {
		return nil, err
	}
	k, err := finishKey(t, hn, hv, rn, rv, hasRange)
	if err != nil {
		return nil, err
	}
	return k.storage, nil
}

// startKeyValues returns the values of t's key attributes in the
// ExclusiveStartKey esk, checking that they are there (errors.md K23) and
// of their declared types (K25); a read through an index also holds the
// index's key attributes (indexStartKey).
func startKeyValues(t *catalog.Table, esk attr.Item) (hv, rv attr.Value, err error) {
	hn, ht := t.HashKey()
	rn, rt, hasRange := t.RangeKey()
	hv, ok := esk[hn]
	if !ok {
		return hv, rv, apierr.Validation(msgStartKeySize)
	}
	if hasRange {
		if rv, ok = esk[rn]; !ok {
			return hv, rv, apierr.Validation(msgStartKeySize)
		}
	}
	if err := checkKeyValue(hn, hv, ht, msgStartKeyType); err != nil {
		return hv, rv, err
	}
	if hasRange {
		if err := checkKeyValue(rn, rv, rt, msgStartKeyType); err != nil {
			return hv, rv, err
		}
	}
	return hv, rv, nil
}

// resumeAfter narrows the read range [lower, upper) to the keys after start
// in the read direction: ascending reads continue at the first key above
// start, descending ones below it. Resuming from the re-encoded key (rather
// than a position) is what makes paging stable under concurrent writes: an
// item that exists unchanged for the whole scan is read exactly once.
func resumeAfter(lower, upper, start []byte, reverse bool) (lo, hi []byte) {
	if start == nil {
		return lower, upper
	}
	if reverse {
		if bytes.Compare(start, upper) < 0 {
			upper = start
		}
		return lower, upper
	}
	next := append(append(make([]byte, 0, len(start)+1), start...), 0x00)
	if bytes.Compare(next, lower) > 0 {
		lower = next
	}
	return lower, upper
}

// inRange reports whether key lies in [lower, upper).
func inRange(key, lower, upper []byte) bool {
	return bytes.Compare(key, lower) >= 0 && bytes.Compare(key, upper) < 0
}

// pageSpec is one page read of a Query or Scan.
type pageSpec struct {
	lower, upper []byte
	reverse      bool
	limit        int // 0: no limit
	filter       *expr.Condition
	proj         *expr.Projection
	count        bool // Select COUNT: count matches, return no items
	// index, when not nil, makes the page read entries of that index of
	// the table (index_read.go): values are projected items and the 1 MB
	// counts their sizes; fetch makes it read each entry's item from the
	// table for what an LSI does not project.
	index *catalog.Index
	fetch bool
}

// page is the result of one page read.
type page struct {
	items   []attr.Item
	count   int // items matching the filter
	scanned int // items read
	bytes   int // total attr.ItemSize of the items (or index entries) read
	// fetchUnits is the read cost of the table items an LSI read fetched.
	fetchUnits float64
	// last holds the key attributes of the last item read when the read
	// stopped early (Limit or 1 MB), else nil: the LastEvaluatedKey.
	last attr.Item
}

// preparedQuery is a validated Query or Scan.
type preparedQuery struct {
	table *catalog.Table
	spec  pageSpec
}

// pageOutput is a page as Query and Scan answer it.
type pageOutput struct {
	items            []attr.Item // nil for Select COUNT, else never nil
	count, scanned   *int32
	lastEvaluatedKey attr.Item
	capacity         *protocol.ConsumedCapacity
}

// readPrepared reads the page of q from its own storage snapshot and
// returns it with its capacity per ReturnConsumedCapacity mode rcc.
func (s *Service) readPrepared(q *preparedQuery, rcc *string, consistent *bool) (*pageOutput, error) {
	snap := s.eng.NewSnapshot()
	pg, err := readPage(snap, q.table, &q.spec)
	snap.Close()
	if err != nil {
		return nil, err
	}
	out := &pageOutput{
		count:            int32p(pg.count),
		scanned:          int32p(pg.scanned),
		lastEvaluatedKey: pg.last,
		capacity:         readCapacity(rcc, q.table, q.spec.index, &pg, consistent != nil && *consistent),
	}
	if !q.spec.count {
		out.items = pg.items
		if out.items == nil {
			out.items = []attr.Item{}
		}
	}
	return out, nil
}

// pageLimit is the Limit member as pageSpec.limit: 0 when absent.
func pageLimit(limit *int32) int {
	if limit == nil {
		return 0
	}
	return int(*limit)
}

// readPage reads one page from r (a snapshot, so the page is a consistent
// view) over the table t.
func readPage(r storage.Reader, t *catalog.Table, spec *pageSpec) (page, error) {
	var pg page
	if bytes.Compare(spec.lower, spec.upper) >= 0 {
		return pg, nil
	}
	it := r.Iter(spec.lower, spec.upper, spec.reverse)
	var lastItem attr.Item
	stopped := false
	for it.Next() {
		var item attr.Item
		var err error
		if spec.index != nil {
			item, err = index.DecodeEntry(it.Value())
		} else {
			item, err = attr.DecodeItem(it.Value())
		}
		if err != nil {
			it.Close()
			return page{}, fmt.Errorf("items: decoding stored item %x: %w", it.Key(), err)
		}
		pg.scanned++
		pg.bytes += attr.ItemSize(item)
		full := item
		if spec.fetch {
			if full, err = fetchItem(r, t, item); err != nil {
				it.Close()
				return page{}, fmt.Errorf("items: fetching the item of an index entry: %w", err)
			}
			if full == nil {
				full = item
			}
			pg.fetchUnits += readUnits(attr.ItemSize(full), true)
		}
		match := true
		if spec.filter != nil {
			if match, err = spec.filter.Eval(full); err != nil {
				it.Close()
				return page{}, err
			}
		}
		if match {
			pg.count++
			if !spec.count {
				out := full
				if spec.proj != nil {
					out = spec.proj.Apply(full)
				}
				pg.items = append(pg.items, out)
			}
		}
		lastItem = item
		if (spec.limit > 0 && pg.scanned >= spec.limit) || pg.bytes >= maxPageBytes {
			stopped = true
			break
		}
	}
	if err := it.Err(); err != nil {
		it.Close()
		return page{}, fmt.Errorf("items: reading items: %w", err)
	}
	if err := it.Close(); err != nil {
		return page{}, fmt.Errorf("items: reading items: %w", err)
	}
	if stopped {
		if spec.index != nil {
			pg.last = indexKeyAttributes(t, spec.index, lastItem)
		} else {
			pg.last = keyAttributes(t, lastItem)
		}
	}
	return pg, nil
}

// keyAttributes returns the table key attributes of item.
func keyAttributes(t *catalog.Table, item attr.Item) attr.Item {
	hn, _ := t.HashKey()
	k := attr.Item{hn: item[hn]}
	if rn, _, ok := t.RangeKey(); ok {
		k[rn] = item[rn]
	}
	return k
}

// scanReadUnits is the read cost of a Query or Scan page: the sizes of all
// items read (not returned) summed, then rounded up to 4 KB (limits.md §12),
// at least one unit, halved when eventually consistent.
func scanReadUnits(bytes int, consistent bool) float64 { return readUnits(bytes, consistent) }

// int32p returns a pointer to n as the wire's Integer.
func int32p(n int) *int32 {
	v := int32(n)
	return &v
}
