package items

import (
	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/protocol"
)

// This file turns a Query's key condition (KeyConditionExpression, parsed
// and checked by expr.Cache.ParseKeyCondition, or the legacy KeyConditions
// map) into the storage range it selects. Because item keys are
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

// prepareKeyCondition parses the Query's key condition against schema (the
// table's, tableKeySchema, or an index's, indexKeySchema): the expression
// when given, else the legacy KeyConditions. The caller has rejected
// requests with neither (K1) and requests mixing the two kinds
// (params.check).
func (s *Service) prepareKeyCondition(schema expr.KeySchema, kce *string, legacy map[string]protocol.Condition, ph *expr.Placeholders) (*expr.KeyCondition, error) {
	var kc *expr.KeyCondition
	var err error
	if kce != nil {
		kc, err = s.exprs.ParseKeyCondition(*kce, ph, schema)
	} else {
		kc, err = expr.FromKeyConditions(legacyConditions(legacy), schema)
	}
	if err != nil {
		return nil, err
	}
	if err := checkKeyConditionValues(kc, schema); err != nil {
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
func checkKeyConditionValues(kc *expr.KeyCondition, schema expr.KeySchema) error {
	names := []string{kc.Partition}
	if len(schema.Partitions) > 0 {
		names = names[:0]
		for _, k := range schema.Partitions {
			names = append(names, k.Name)
		}
	}
	for i, v := range kc.PartitionValues {
		if err := emptyKeyValue(names[i], v); err != nil {
			return err
		}
	}
	for i, v := range kc.SortPrefix {
		if err := emptyKeyValue(schema.Sorts[i].Name, v); err != nil {
			return err
		}
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
func keyRange(tid uint64, kc *expr.KeyCondition) (lower, upper []byte) {
	p, _ := keyspace.Partition(tid, kc.PartitionValue)
	return rangeIn(p, kc)
}

// rangeIn returns the range [lower, upper) of the keys that start with the
// partition prefix p (an item partition, keyspace.Partition, or an index
// partition, keyspace.AppendIndexPartition) and satisfy kc's sort
// conditions.
//
// Within a partition, keys are p+AppendKey(sk)[+suffix], where an index
// entry's suffix is the table key and a multi-attribute sort key is several
// encodings in a row. AppendKey encodings are prefix-free and never contain
// or begin with 0xFF, so for any run of encodings E the keys that start
// with E are exactly [E, E+0xFF): that bounds "= v" and is where "> v"
// starts. For S and B values the escaped bytes of a prefix v (its encoding
// minus the 0x00 0x01 terminator) start every encoding of a value beginning
// with v, which gives begins_with. Equalities on the leading sort
// attributes of a multi-attribute key (kc.SortPrefix) extend p first.
func rangeIn(p []byte, kc *expr.KeyCondition) (lower, upper []byte) {
	if len(kc.SortPrefix) > 0 {
		q := append(make([]byte, 0, len(p)+32), p...)
		for _, v := range kc.SortPrefix {
			q = attr.AppendKey(q, v)
		}
		p = q
	}
	lower = p
	upper = append(append(make([]byte, 0, len(p)+1), p...), 0xFF)
	if kc.SortOp == "" {
		return lower, upper
	}
	enc := func(v attr.Value, suffix ...byte) []byte {
		k := make([]byte, 0, len(p)+16+len(v.Str)+len(v.Bytes))
		k = append(k, p...)
		k = attr.AppendKey(k, v)
		return append(k, suffix...)
	}
	v := kc.SortValues[0]
	switch kc.SortOp {
	case expr.SortEQ:
		return enc(v), enc(v, 0xFF)
	case expr.SortLT:
		return lower, enc(v)
	case expr.SortLE:
		return lower, enc(v, 0xFF)
	case expr.SortGT:
		return enc(v, 0xFF), upper
	case expr.SortGE:
		return enc(v), upper
	case expr.SortBetween:
		return enc(v), enc(kc.SortValues[1], 0xFF)
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
	hn, _ := t.HashKey()
	rn, _, hasRange := t.RangeKey()
	return conditionNames(c, func(n string) bool { return n == hn || (hasRange && n == rn) })
}

// conditionNames returns the first top-level attribute name c reads for
// which match is true, or "" (also for a nil c).
func conditionNames(c *expr.Condition, match func(string) bool) string {
	if c == nil {
		return ""
	}
	var walkOp func(o *expr.Operand) string
	walkOp = func(o *expr.Operand) string {
		if o == nil {
			return ""
		}
		if o.Kind == expr.OperandPath && len(o.Path) > 0 && match(o.Path[0].Name) {
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
