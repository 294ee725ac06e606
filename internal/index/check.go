package index

import (
	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
)

// The messages DynamoDB gives an item whose index key value it cannot
// index. A missing index key attribute is fine (sparse index); a present
// one must have the declared type, must not be empty and must fit the key
// size limits (behaviours.md §3, limits.md §4).
const (
	// errors.md F8 is DynamoDB Local's text, which stops after "Index Key";
	// AWS names the attribute, both types and the index.
	msgIndexKeyType = "One or more parameter values were invalid: Type mismatch for Index Key "
	// errors.md F6/F7 (PutItem).
	msgIndexKeyEmptyPut = "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty "
	// errors.md I4 (UpdateItem).
	msgIndexKeyEmptyUpdate = "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty "
	// errors.md F9.
	msgIndexKeySize = "One or more parameter values were invalid: Size limit exceeded"
	// limits.md §1: with LSIs the 400 KB covers the item's LSI entries too.
	msgItemSizePut    = "Item size has exceeded the maximum allowed size"
	msgItemSizeUpdate = "Item size to update has exceeded the maximum allowed size"
)

// messages selects the PutItem or the UpdateItem wording.
type messages bool

const (
	putMessages    messages = false
	updateMessages messages = true
)

// checkKey checks one present index key value.
func checkKey(ix *catalog.Index, k catalog.KeyAttr, v attr.Value, hash bool, m messages) error {
	if v.Type == attr.TypeInvalid {
		return attr.ValidateValue(v)
	}
	if v.Type != k.Type {
		return apierr.Validation(msgIndexKeyType + k.Name + " Expected: " + k.Type.String() +
			" Actual: " + v.Type.String() + " IndexName: " + ix.Name)
	}
	empty := ""
	switch {
	case v.Type == attr.S && v.Str == "":
		empty = "string value."
	case v.Type == attr.B && len(v.Bytes) == 0:
		empty = "binary value."
	}
	if empty != "" {
		if m == updateMessages {
			return apierr.Validation(msgIndexKeyEmptyUpdate + empty)
		}
		return apierr.Validation(msgIndexKeyEmptyPut + empty + " IndexName: " + ix.Name + ", IndexKey: " + k.Name)
	}
	limit := attr.MaxSortKeySize
	if hash {
		limit = attr.MaxPartitionKeySize
	}
	if attr.KeySize(v) > limit {
		return apierr.Validation(msgIndexKeySize)
	}
	return nil
}

// CheckItem validates a whole item about to be put (PutItem, a
// BatchWriteItem or transaction Put) against the index key rules of every
// index of t, and the 400 KB limit including its LSI entries. It is the
// prepare-time form of the check Write repeats under the item's lock.
func CheckItem(t *catalog.Table, item attr.Item) error { return check(t, item, putMessages) }

// CheckUpdated is CheckItem for the result of an UpdateItem, with
// UpdateItem's wording (errors.md I4, F22).
func CheckUpdated(t *catalog.Table, item attr.Item) error { return check(t, item, updateMessages) }

func check(t *catalog.Table, item attr.Item, m messages) error {
	lsi := 0
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !ix.Maintained() {
			continue
		}
		present := true
		for j, parts := range [2][]catalog.KeyAttr{ix.HashKeys(), ix.RangeKeys()} {
			for _, k := range parts {
				v, ok := item[k.Name]
				if !ok {
					present = false
					continue
				}
				if err := checkKey(ix, k, v, j == 0, m); err != nil {
					return err
				}
			}
		}
		if present && !ix.Global {
			lsi += attr.ItemSize(Project(t, ix, item))
		}
	}
	if lsi > 0 && attr.ItemSize(item)+lsi > attr.MaxItemSize {
		if m == updateMessages {
			return apierr.Validation(msgItemSizeUpdate)
		}
		return apierr.Validation(msgItemSizePut)
	}
	return nil
}
