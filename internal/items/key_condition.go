package items

import (
	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/protocol"
)

// This file turns a Query's key condition (KeyConditionExpression, parsed and
// checked by expr.ParseKeyCondition, or the legacy KeyConditions map) into
// the storage range it selects. Because item keys are
// prefix tid hash32(pk) AppendKey(pk) AppendKey(sk) and AppendKey preserves
// DynamoDB's order (N numerically, S and B by unsigned bytes), every sort-key
// condition is one contiguous key range of the partition: Query never reads
// an item it then has to drop for not matching the key condition.

// msgNoKeyCondition is errors.md K1.
const msgNoKeyCondition = "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."

// tableKeySchema describes t's primary key for expr's key-condition checks.
func tableKeySchema(t *catalog.Table) expr.KeySchema {
	hn, ht := t.HashKey()
	ks := expr.KeySchema{Partition: hn, PartitionType: ht}
	if rn, rt, ok := t.RangeKey(); ok {
		ks.Sort, ks.SortType = rn, rt
	}
	return ks
}

// prepareKeyCondition parses the Query's key condition: the expression when
// given, else the legacy KeyConditions. The caller has rejected requests
// with neither (K1) and requests mixing the two kinds (params.check).
func prepareKeyCondition(t *catalog.Table, kce *string, legacy map[string]protocol.Condition, ph *expr.Placeholders) (*expr.KeyCondition, error) {
	schema := tableKeySchema(t)
	var kc *expr.KeyCondition
	var err error
	if kce != nil {
		kc, err = expr.ParseKeyCondition(*kce, ph, schema)
	} else {
		kc, err = expr.FromKeyConditions(legacyConditions(legacy), schema)
	}
	if err != nil {
		return nil, err
	}
	if err := checkKeyConditionValues(kc); err != nil {
		return nil, err
	}
	return kc, nil
}

// legacyConditions converts the wire form of KeyConditions, QueryFilter or
// ScanFilter into expr's.
func legacyConditions(m map[string]protocol.Condition) map[string]expr.LegacyCondition {
	if m == nil {
		return nil
	}
	out := make(map[string]expr.LegacyCondition, len(m))
	for k, c := range m {
		op := ""
		if c.ComparisonOperator != nil {
			op = *c.ComparisonOperator
		}
		out[k] = expr.LegacyCondition{ComparisonOperator: op, AttributeValueList: c.AttributeValueList}
	}
	return out
}

// checkKeyConditionValues rejects empty S and B values compared with a key
// attribute, as DynamoDB does for every operation taking a key value
// (errors.md F3-F5). begins_with with an empty prefix is left alone: it is a
// prefix, not a key value.
func checkKeyConditionValues(kc *expr.KeyCondition) error {
	if err := emptyKeyValue(kc.Partition, kc.PartitionValue); err != nil {
		return err
	}
	if kc.SortOp == expr.SortBeginsWith {
		return nil
	}
	for _, v := range kc.SortValues {
		if err := emptyKeyValue(kc.Sort, v); err != nil {
			return err
		}
	}
	return nil
}

func emptyKeyValue(name string, v attr.Value) error {
	switch {
	case v.Type == attr.S && v.Str == "":
		return apierr.Validation(msgEmptyKeyS + name)
	case v.Type == attr.B && len(v.Bytes) == 0:
		return apierr.Validation(msgEmptyKeyB + name)
	}
	return nil
}

// keyRange returns the storage range [lower, upper) holding exactly the
// items of table tid that satisfy kc.
//
// Within a partition, keys are P+AppendKey(sk) where P is the partition
// prefix; AppendKey encodings are prefix-free and never begin with 0xFF, so
// P+0xFF bounds the partition, E+0x00 is the first key after the encoding E,
// and for S and B values the escaped bytes of a prefix p (the encoding minus
// its 0x00 0x01 terminator) start every encoding of a value beginning with p,
// with E'+0xFF bounding them.
func keyRange(tid uint64, kc *expr.KeyCondition) (lower, upper []byte) {
	lower, upper = keyspace.Partition(tid, kc.PartitionValue)
	if kc.SortOp == "" {
		return lower, upper
	}
	p := lower
	enc := func(v attr.Value, suffix ...byte) []byte {
		k := make([]byte, 0, len(p)+16+len(v.Str)+len(v.Bytes))
		k = append(k, p...)
		k = attr.AppendKey(k, v)
		return append(k, suffix...)
	}
	v := kc.SortValues[0]
	switch kc.SortOp {
	case expr.SortEQ:
		return enc(v), enc(v, 0x00)
	case expr.SortLT:
		return lower, enc(v)
	case expr.SortLE:
		return lower, enc(v, 0x00)
	case expr.SortGT:
		return enc(v, 0x00), upper
	case expr.SortGE:
		return enc(v), upper
	case expr.SortBetween:
		return enc(v), enc(kc.SortValues[1], 0x00)
	case expr.SortBeginsWith:
		e := enc(v)
		e = e[:len(e)-2] // drop the 0x00 0x01 terminator
		hi := append(append(make([]byte, 0, len(e)+1), e...), 0xFF)
		return e, hi
	}
	return lower, upper
}

// filterKeyAttribute returns the first table key attribute a Query filter
// reads, or "" if none: DynamoDB rejects those filters ("Filter Expression
// can only contain non-primary key attributes", errors.md H38/H39).
func filterKeyAttribute(c *expr.Condition, t *catalog.Table) string {
	if c == nil {
		return ""
	}
	hn, _ := t.HashKey()
	rn, _, hasRange := t.RangeKey()
	isKey := func(n string) bool { return n == hn || (hasRange && n == rn) }
	var walkOp func(o *expr.Operand) string
	walkOp = func(o *expr.Operand) string {
		if o == nil {
			return ""
		}
		if o.Kind == expr.OperandPath && len(o.Path) > 0 && isKey(o.Path[0].Name) {
			return o.Path[0].Name
		}
		for _, a := range o.Args {
			if n := walkOp(a); n != "" {
				return n
			}
		}
		return ""
	}
	var walk func(c *expr.Condition) string
	walk = func(c *expr.Condition) string {
		if c == nil {
			return ""
		}
		if n := walk(c.Left); n != "" {
			return n
		}
		if n := walk(c.Right); n != "" {
			return n
		}
		for _, a := range c.Args {
			if n := walkOp(a); n != "" {
				return n
			}
		}
		return ""
	}
	return walk(c)
}
