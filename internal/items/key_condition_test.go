package items

import (
	"bytes"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/keyspace"
)

// randKeyValue returns a random non-empty S, N or B key value. Values are
// drawn from a small alphabet so that prefixes, equal values and escapes
// (0x00, 0xFE, 0xFF in B) are common.
func randKeyValue(r *rand.Rand, t attr.Type) attr.Value {
	switch t {
	case attr.S:
		const alpha = "aAb\x00z~é😀"
		runes := []rune(alpha)
		n := 1 + r.IntN(4)
		var sb strings.Builder
		for range n {
			sb.WriteRune(runes[r.IntN(len(runes))])
		}
		return attr.Str(sb.String())
	case attr.B:
		alpha := []byte{0x00, 0x01, 0x41, 0x7f, 0x80, 0xfe, 0xff}
		n := 1 + r.IntN(4)
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[r.IntN(len(alpha))]
		}
		return attr.Bin(b)
	}
	digits := 1 + r.IntN(5)
	var sb strings.Builder
	if r.IntN(3) == 0 {
		sb.WriteByte('-')
	}
	for range digits {
		sb.WriteByte(byte('0' + r.IntN(10)))
	}
	fmt.Fprintf(&sb, "E%d", r.IntN(9)-4)
	s, err := attr.CanonicalNumber(sb.String())
	if err != nil {
		panic(err)
	}
	return attr.Num(s)
}

// refCompare is an independent implementation of DynamoDB's key order
// (behaviours.md §2): N numerically (exact rationals), S and B by unsigned
// bytes.
func refCompare(a, b attr.Value) int {
	switch a.Type {
	case attr.N:
		x, _ := new(big.Rat).SetString(a.Str)
		y, _ := new(big.Rat).SetString(b.Str)
		return x.Cmp(y)
	case attr.S:
		return bytes.Compare([]byte(a.Str), []byte(b.Str))
	}
	return bytes.Compare(a.Bytes, b.Bytes)
}

// refMatch is an independent implementation of the sort-key predicates.
func refMatch(op string, sk attr.Value, vals []attr.Value) bool {
	c := refCompare(sk, vals[0])
	switch op {
	case expr.SortEQ:
		return c == 0
	case expr.SortLT:
		return c < 0
	case expr.SortLE:
		return c <= 0
	case expr.SortGT:
		return c > 0
	case expr.SortGE:
		return c >= 0
	case expr.SortBetween:
		return c >= 0 && refCompare(sk, vals[1]) <= 0
	case expr.SortBeginsWith:
		if sk.Type == attr.S {
			return strings.HasPrefix(sk.Str, vals[0].Str)
		}
		return bytes.HasPrefix(sk.Bytes, vals[0].Bytes)
	}
	panic(op)
}

func TestKeyRangeSelectsExactlyTheMatchingSortKeys(t *testing.T) {
	const tid = 7
	pk := attr.Str("p")
	r := rand.New(rand.NewPCG(1, 2))
	for _, typ := range []attr.Type{attr.S, attr.N, attr.B} {
		ops := []string{expr.SortEQ, expr.SortLT, expr.SortLE, expr.SortGT, expr.SortGE, expr.SortBetween}
		if typ != attr.N {
			ops = append(ops, expr.SortBeginsWith)
		}
		for _, op := range ops {
			t.Run(fmt.Sprintf("%v sort key with %s", typ, op), func(t *testing.T) {
				for range 200 {
					vals := []attr.Value{randKeyValue(r, typ)}
					if op == expr.SortBetween {
						vals = append(vals, randKeyValue(r, typ))
						if refCompare(vals[0], vals[1]) > 0 {
							vals[0], vals[1] = vals[1], vals[0]
						}
					}
					kc := &expr.KeyCondition{Partition: "pk", PartitionValue: pk, Sort: "sk", SortOp: op, SortValues: vals}
					lo, hi := keyRange(tid, kc)
					for range 20 {
						sk := randKeyValue(r, typ)
						key := keyspace.Item(tid, pk, sk, true)
						if got, want := inRange(key, lo, hi), refMatch(op, sk, vals); got != want {
							t.Fatalf("sk %#v, condition %v: in range %v, want %v", sk, kc, got, want)
						}
					}
				}
			})
		}
	}
}

func TestKeyRangeStaysInsideThePartition(t *testing.T) {
	const tid = 3
	kc := &expr.KeyCondition{Partition: "pk", PartitionValue: attr.Str("a"), Sort: "sk", SortOp: expr.SortGE, SortValues: []attr.Value{attr.Str("m")}}
	lo, hi := keyRange(tid, kc)
	for _, other := range []string{"", "b", "a\x00", "ab"} {
		if other == "" {
			continue
		}
		key := keyspace.Item(tid, attr.Str(other), attr.Str("z"), true)
		if inRange(key, lo, hi) {
			t.Errorf("item of partition %q is inside the range of partition \"a\"", other)
		}
	}
	if !inRange(keyspace.Item(tid, attr.Str("a"), attr.Str("z"), true), lo, hi) {
		t.Error("matching item of the partition is outside the range")
	}
}

func TestStorageOrderIsDynamoDBSortOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, typ := range []attr.Type{attr.S, attr.N, attr.B} {
		t.Run(fmt.Sprintf("%v sort keys sort like the reference", typ), func(t *testing.T) {
			vals := make([]attr.Value, 300)
			for i := range vals {
				vals[i] = randKeyValue(r, typ)
			}
			byKey := slices.Clone(vals)
			sort.SliceStable(byKey, func(i, j int) bool {
				return bytes.Compare(keyspace.Item(1, attr.Str("p"), byKey[i], true), keyspace.Item(1, attr.Str("p"), byKey[j], true)) < 0
			})
			for i := 1; i < len(byKey); i++ {
				if refCompare(byKey[i-1], byKey[i]) > 0 {
					t.Fatalf("%#v sorts before %#v", byKey[i-1], byKey[i])
				}
			}
		})
	}
}

func TestFilterKeyAttribute(t *testing.T) {
	svc, ctx := pagingService(t)
	tbl, err := svc.table(ctx, ptr("qn"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, filter string
		want         string
	}{
		{"a filter on other attributes names no key", "a = :v AND size(b) > :v", ""},
		{"the partition key is found in a comparison", "a = :v OR pk = :v", "pk"},
		{"the sort key is found inside a function", "NOT begins_with(sk, :v)", "sk"},
		{"a nested path under a key attribute still counts", "size(pk) > :v", "pk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ph := expr.NewPlaceholders(nil, attr.Item{":v": attr.Str("x")})
			c, err := expr.ParseFilter(tt.filter, ph)
			if err != nil {
				t.Fatal(err)
			}
			if got := filterKeyAttribute(c, tbl); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
