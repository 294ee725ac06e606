package items

import (
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/keyspace"
)

// Reading through a secondary index (Query and Scan with IndexName).
//
// An index entry's value is the projected item, so an index read is a range
// read of entries (keyspace.IndexEntry) like a table read of items. What
// differs, as in DynamoDB (behaviours.md §7, §9; errors.md K13-K16, K26):
// only ACTIVE indexes can be read; a GSI refuses ConsistentRead and any
// attribute it does not project; Select defaults to ALL_PROJECTED_ATTRIBUTES;
// an LSI read that needs attributes the index does not project fetches
// them from the table (in the same snapshot); the 1 MB page counts projected
// sizes; LastEvaluatedKey and ExclusiveStartKey hold the table key plus the
// index key attributes.

// Messages of errors.md K14-K16, K26.
const (
	msgGSIConsistentRead = "Consistent reads are not supported on global secondary indexes"
	msgGSISelectAll      = "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index %s because its projection type is not ALL"
	msgGSINotProjected   = "One or more parameter values were invalid: Global secondary index %s does not project [%s]"
	msgIndexStartKey     = "The provided starting key is invalid"
)

// resolveIndex returns the readable index name of t, or nil when name is
// nil (a table read). A missing index, or one not ACTIVE yet (CREATING, being
// backfilled) or being deleted, is errors.md K13.
func resolveIndex(t *catalog.Table, name *string) (*catalog.Index, error) {
	if name == nil {
		return nil, nil
	}
	ix := t.Index(*name)
	if ix == nil || !ix.Readable() {
		return nil, apierr.Validation(msgNoIndexPrefix + *name)
	}
	return ix, nil
}

// checkIndexRead applies the per-index rules of a Query or Scan on ix
// (nil: a table read) to the effective Select sel and returns the Select to
// use: ALL_PROJECTED_ATTRIBUTES when the request gave neither Select nor a
// projection.
func checkIndexRead(ix *catalog.Index, selGiven bool, sel string, consistent *bool, proj *expr.Projection) (string, error) {
	if ix == nil {
		return sel, nil
	}
	if ix.Global && consistent != nil && *consistent {
		return "", apierr.Validation(msgGSIConsistentRead)
	}
	if !selGiven && sel == selectAll {
		sel = selectProjected
	}
	if !ix.Global {
		return sel, nil
	}
	if sel == selectAll && ix.Projection.Type != catalog.ProjectionAll {
		return "", apierr.Validationf(msgGSISelectAll, ix.Name)
	}
	if proj != nil {
		var missing []string
		for _, n := range proj.TopLevel() {
			if !ix.Projects(n) {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			return "", apierr.Validationf(msgGSINotProjected, ix.Name, strings.Join(missing, ", "))
		}
	}
	return sel, nil
}

// needsFetch reports whether an LSI read must fetch each item from the
// table: Select ALL_ATTRIBUTES on a partial projection, or a projection or
// filter naming an attribute the index does not hold.
func needsFetch(ix *catalog.Index, sel string, proj *expr.Projection, filter *expr.Condition) bool {
	if ix == nil || ix.Global || ix.Projection.Type == catalog.ProjectionAll {
		return false
	}
	if sel == selectAll {
		return true
	}
	if proj != nil {
		for _, n := range proj.TopLevel() {
			if !ix.Projects(n) {
				return true
			}
		}
	}
	return conditionNames(filter, func(n string) bool { return !ix.Projects(n) }) != ""
}

// indexKeySchema describes ix's key for expr's key-condition checks; the
// table's own key attributes that are not index keys are OtherKeys.
func indexKeySchema(t *catalog.Table, ix *catalog.Index) expr.KeySchema {
	var ks expr.KeySchema
	for _, k := range ix.HashKeys() {
		ks.Partitions = append(ks.Partitions, expr.KeyAttr{Name: k.Name, Type: k.Type})
	}
	for _, k := range ix.RangeKeys() {
		ks.Sorts = append(ks.Sorts, expr.KeyAttr{Name: k.Name, Type: k.Type})
	}
	hn, _ := t.HashKey()
	if !ix.IsKey(hn) {
		ks.OtherKeys = append(ks.OtherKeys, hn)
	}
	if rn, _, ok := t.RangeKey(); ok && !ix.IsKey(rn) {
		ks.OtherKeys = append(ks.OtherKeys, rn)
	}
	return ks
}

// indexPartition is the key prefix of the index partition kc selects.
func indexPartition(t *catalog.Table, ix *catalog.Index, kc *expr.KeyCondition) []byte {
	return keyspace.AppendIndexPartition(nil, t.ID, ix.ID, kc.PartitionValues)
}

// indexStartKey validates an ExclusiveStartKey for a read of ix: exactly
// the table's key attributes plus the index's, of their declared types
// (behaviours.md §7). It returns the entry key to resume after. nil in,
// nil out.
func indexStartKey(t *catalog.Table, ix *catalog.Index, esk attr.Item) ([]byte, error) {
	if esk == nil {
		return nil, nil
	}
	hv, rv, err := startKeyValues(t, esk)
	if err != nil {
		return nil, err
	}
	hn, _ := t.HashKey()
	rn, _, hasRange := t.RangeKey()
	want := map[string]bool{hn: true}
	if hasRange {
		want[rn] = true
	}
	var vals []attr.Value
	for _, parts := range [2][]catalog.KeyAttr{ix.HashKeys(), ix.RangeKeys()} {
		for _, k := range parts {
			v, ok := esk[k.Name]
			if !ok {
				return nil, apierr.Validation(msgIndexStartKey)
			}
			if err := checkKeyValue(k.Name, v, k.Type, msgStartKeyType); err != nil {
				return nil, err
			}
			want[k.Name] = true
			vals = append(vals, v)
		}
	}
	if len(esk) != len(want) {
		return nil, apierr.Validation(msgIndexStartKey)
	}
	nh := len(ix.HashKeys())
	return keyspace.IndexEntry(t.ID, ix.ID, vals[:nh], vals[nh:], hv, rv, hasRange), nil
}

// indexKeyAttributes returns the LastEvaluatedKey of an index read whose
// last entry held item: the table key plus the index key attributes.
func indexKeyAttributes(t *catalog.Table, ix *catalog.Index, item attr.Item) attr.Item {
	k := keyAttributes(t, item)
	for _, parts := range [2][]catalog.KeyAttr{ix.HashKeys(), ix.RangeKeys()} {
		for _, a := range parts {
			if v, ok := item[a.Name]; ok {
				k[a.Name] = v
			}
		}
	}
	return k
}

// indexFilterKey returns the first key attribute of ix a Query filter on
// the index reads (errors.md H38/H39 name the queried key's attributes), or
// "".
func indexFilterKey(c *expr.Condition, ix *catalog.Index) string {
	return conditionNames(c, ix.IsKey)
}

// indexScanRange bounds the entries of ix a Scan reads: all of them, or
// segment seg of total.
func indexScanRange(t *catalog.Table, ix *catalog.Index, seg, total int) (lower, upper []byte) {
	if total == 0 {
		return keyspace.IndexEntries(t.ID, ix.ID)
	}
	return keyspace.IndexSegment(t.ID, ix.ID, seg, total)
}

// fetchItem reads the table item an LSI entry points to from r (the read's
// snapshot); nil when it is gone.
func fetchItem(r interface {
	Get([]byte) ([]byte, bool, error)
}, t *catalog.Table, entry attr.Item) (attr.Item, error) {
	hn, _ := t.HashKey()
	rn, _, hasRange := t.RangeKey()
	raw, ok, err := r.Get(keyspace.Item(t.ID, entry[hn], entry[rn], hasRange))
	if err != nil || !ok {
		return nil, err
	}
	return attr.DecodeItem(raw)
}
