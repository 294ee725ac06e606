package items

import (
	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
)

// DynamoDB's key messages (errors.md F).
const (
	msgKeySchema    = "The provided key element does not match the schema"
	msgKeyType      = "One or more parameter values were invalid: Type mismatch for key"
	msgKeyTooLarge  = "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes"
	msgEmptyKeyS    = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: "
	msgEmptyKeyB    = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: "
	msgNullKeyParam = "Cannot have null key for GetItem, DeleteItem, or UpdateItem"
)

// itemKey is a validated primary key of one item of one table.
type itemKey struct {
	hashName  string
	hash      attr.Value
	rangeName string
	rng       attr.Value
	hasRange  bool
	// storage is the item's storage key, keyspace.Item(...).
	storage []byte
}

// attrs returns the key as an item holding only the key attributes.
func (k *itemKey) attrs() attr.Item {
	it := attr.Item{k.hashName: k.hash}
	if k.hasRange {
		it[k.rangeName] = k.rng
	}
	return it
}

// isKeyAttr reports whether name is one of the table's key attributes.
func (k *itemKey) isKeyAttr(name string) bool {
	return name == k.hashName || (k.hasRange && name == k.rangeName)
}

// keyFromKey validates the Key member of GetItem, DeleteItem and UpdateItem
// (and later BatchGetItem/DeleteRequest keys): exactly the table's key
// attributes, of the schema's types, non-empty and within the size limits.
// A missing, extra or mistyped attribute is DynamoDB's "The provided key
// element does not match the schema".
func keyFromKey(t *catalog.Table, key attr.Item) (itemKey, error) {
	if key == nil {
		return itemKey{}, apierr.Validation(msgNullKeyParam)
	}
	hn, ht := t.HashKey()
	rn, rt, hasRange := t.RangeKey()
	want := 1
	if hasRange {
		want = 2
	}
	hv, ok := key[hn]
	if !ok || len(key) != want {
		return itemKey{}, apierr.Validation(msgKeySchema)
	}
	var rv attr.Value
	if hasRange {
		if rv, ok = key[rn]; !ok {
			return itemKey{}, apierr.Validation(msgKeySchema)
		}
	}
	if err := checkKeyValue(hn, hv, ht, msgKeySchema); err != nil {
		return itemKey{}, err
	}
	if hasRange {
		if err := checkKeyValue(rn, rv, rt, msgKeySchema); err != nil {
			return itemKey{}, err
		}
	}
	return finishKey(t, hn, hv, rn, rv, hasRange)
}

// keyFromItem extracts and validates the key of a whole item (PutItem, and
// later BatchWriteItem PutRequest): the key attributes must be present
// (AWS: "Missing the key <name> in the item"; DynamoDB Local says "One of
// the required keys was not given a value") with the schema's types
// ("Type mismatch for key"); other attributes are not checked here.
func keyFromItem(t *catalog.Table, item attr.Item) (itemKey, error) {
	hn, ht := t.HashKey()
	rn, rt, hasRange := t.RangeKey()
	hv, ok := item[hn]
	if !ok {
		return itemKey{}, missingKeyInItem(hn)
	}
	var rv attr.Value
	if hasRange {
		if rv, ok = item[rn]; !ok {
			return itemKey{}, missingKeyInItem(rn)
		}
	}
	if err := checkKeyValue(hn, hv, ht, msgKeyType); err != nil {
		return itemKey{}, err
	}
	if hasRange {
		if err := checkKeyValue(rn, rv, rt, msgKeyType); err != nil {
			return itemKey{}, err
		}
	}
	return finishKey(t, hn, hv, rn, rv, hasRange)
}

// checkKeyValue checks one key value's type and emptiness. A value that
// failed decoding reports its own error; a type different from the schema's
// reports mismatch.
func checkKeyValue(name string, v attr.Value, want attr.Type, mismatch string) error {
	if v.Type == attr.TypeInvalid {
		return attr.ValidateValue(v)
	}
	if v.Type != want {
		if mismatch == msgKeyType {
			// AWS names the attribute and both types (DynamoDB Local stops
			// after "for key"): "... Type mismatch for key pk expected: S actual: N".
			return apierr.Validation(mismatch + " " + name + " expected: " + want.String() + " actual: " + v.Type.String())
		}
		return apierr.Validation(mismatch)
	}
	switch {
	case v.Type == attr.S && v.Str == "":
		return apierr.Validation(msgEmptyKeyS + name)
	case v.Type == attr.B && len(v.Bytes) == 0:
		return apierr.Validation(msgEmptyKeyB + name)
	}
	return nil
}

func finishKey(t *catalog.Table, hn string, hv attr.Value, rn string, rv attr.Value, hasRange bool) (itemKey, error) {
	if attr.KeySize(hv) > attr.MaxPartitionKeySize || (hasRange && attr.KeySize(rv) > attr.MaxSortKeySize) {
		return itemKey{}, apierr.Validation(msgKeyTooLarge)
	}
	return itemKey{
		hashName: hn, hash: hv,
		rangeName: rn, rng: rv, hasRange: hasRange,
		storage: keyspace.Item(t.ID, hv, rv, hasRange),
	}, nil
}

// missingKeyInItem is AWS's answer to an item without one of the table's key
// attributes.
func missingKeyInItem(name string) error {
	return apierr.Validation("One or more parameter values were invalid: Missing the key " + name + " in the item")
}
