package items

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/httpapi"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/storage"
)

func TestWriteMany(t *testing.T) {
	put := func(it attr.Item) mutation { return func(attr.Item) (attr.Item, error) { return it, nil } }
	del := func(attr.Item) (attr.Item, error) { return nil, nil }
	bad := func(attr.Item) (attr.Item, error) { return nil, apierr.Validation("no") }
	internal := func(attr.Item) (attr.Item, error) { return nil, errors.New("disk on fire") }
	exists, err := expr.ParseCondition("attribute_exists(pk)", nil)
	if err != nil {
		t.Fatal(err)
	}
	type write struct {
		pk     string
		cond   *expr.Condition
		mutate mutation
	}
	tests := []struct {
		name        string
		writes      []write
		wantRefused []bool // nil: none refused
		wantErr     bool
		wantItems   []string // pks present afterwards (of a, b, c, old)
	}{
		{"every write is applied", []write{{"a", nil, put(attr.Item{"pk": attr.Str("a")})}, {"old", nil, del}},
			nil, false, []string{"a"}},
		{"a failed condition refuses the group", []write{{"a", nil, put(attr.Item{"pk": attr.Str("a")})}, {"b", exists, del}},
			[]bool{false, true}, false, []string{"old"}},
		{"every refusal is reported", []write{{"a", exists, del}, {"old", nil, bad}, {"c", exists, del}},
			[]bool{true, true, true}, false, []string{"old"}},
		{"a check only writes nothing", []write{{"old", exists, nil}, {"b", nil, put(attr.Item{"pk": attr.Str("b")})}},
			nil, false, []string{"b", "old"}},
		{"an internal error writes nothing", []write{{"a", nil, put(attr.Item{"pk": attr.Str("a")})}, {"b", nil, internal}},
			nil, true, []string{"old"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ctx := siService(t)
			siPut(t, s, `{"TableName":"hash","Item":{"pk":{"S":"old"}}}`)
			tbl := mustTable(t, s, "hash")
			ws := make([]writeReq, len(tt.writes))
			for i, w := range tt.writes {
				k, err := keyFromKey(tbl, attr.Item{"pk": attr.Str(w.pk)})
				if err != nil {
					t.Fatal(err)
				}
				ws[i] = writeReq{table: tbl, key: &k, cond: w.cond, mutate: w.mutate}
			}
			_, refused, err := s.writeMany(ctx, ws)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if (refused != nil) != (tt.wantRefused != nil) {
				t.Fatalf("refused %v, want %v", refused, tt.wantRefused)
			}
			for i, want := range tt.wantRefused {
				if (refused[i] != nil) != want {
					t.Fatalf("refused[%d] = %v, want refused %v", i, refused[i], want)
				}
			}
			var got []string
			for _, pk := range []string{"a", "b", "c", "old"} {
				if siGet(t, s, `{"TableName":"hash","Key":{"pk":{"S":"`+pk+`"}}}`).Item != nil {
					got = append(got, pk)
				}
			}
			if siJSON(t, got) != siJSON(t, tt.wantItems) {
				t.Fatalf("items %v, want %v", got, tt.wantItems)
			}
			c, _, _ := s.eng.Get(keyspace.ItemCount(tbl.ID))
			if n := storage.ReadInt64(c); n != int64(len(tt.wantItems)) {
				t.Fatalf("item count %d, want %d", n, len(tt.wantItems))
			}
		})
	}
}

// countingEngine counts the storage Updates (commits) made through it.
type countingEngine struct {
	storage.Engine
	updates atomic.Int64
}

func (e *countingEngine) Update(ctx context.Context, lockKeys [][]byte, fn func(storage.Txn) error) error {
	e.updates.Add(1)
	return e.Engine.Update(ctx, lockKeys, fn)
}

func TestBatchWriteItemAndTransactionsCommitOnce(t *testing.T) {
	s, ctx := siService(t)
	eng := &countingEngine{Engine: s.eng}
	s.eng = eng
	var reqs []string
	var actions []string
	for i := range 25 {
		reqs = append(reqs, fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"k%d"}}}}`, i))
		actions = append(actions, fmt.Sprintf(`{"Put":{"TableName":"hash","Item":{"pk":{"S":"t%d"}}}}`, i))
	}
	var in protocol.BatchWriteItemInput
	siDecode(t, `{"RequestItems":{"hash":[`+strings.Join(reqs, ",")+`]}}`, &in)
	if _, err := s.BatchWriteItem(ctx, &in); err != nil {
		t.Fatal(err)
	}
	if n := eng.updates.Load(); n != 1 {
		t.Fatalf("BatchWriteItem of 25 items made %d commits, want 1", n)
	}
	if _, err := txWrite(t, s, `{"TransactItems":[`+strings.Join(actions, ",")+`]}`); err != nil {
		t.Fatal(err)
	}
	if n := eng.updates.Load(); n != 2 {
		t.Fatalf("TransactWriteItems of 25 items made %d commits, want 1", n-1)
	}
}

// BenchmarkBatchWriteItem25Wire measures the server's work for one
// BatchWriteItem of 25 ~300-byte puts from the JSON request body to the
// JSON response (httpapi.Op: decode, Validate, execute, encode), on the
// in-memory engine. Target: at most 300 µs of CPU.
func BenchmarkBatchWriteItem25Wire(b *testing.B) {
	s, ctx := siService(b)
	op := httpapi.Op(s.BatchWriteItem)
	var reqs []string
	for i := range 25 {
		reqs = append(reqs, fmt.Sprintf(`{"PutRequest":{"Item":{"pk":{"S":"k%d"},"n":{"N":"%d"},%s}}}`, i, i, benchPayload))
	}
	body := []byte(`{"RequestItems":{"hash":[` + strings.Join(reqs, ",") + `]}}`)
	dst := make([]byte, 0, 4096)
	b.ReportAllocs()
	start := cpuTime(b)
	defer reportCPU(b, start)
	for b.Loop() {
		var err error
		if dst, err = op(ctx, body, dst[:0]); err != nil {
			b.Fatal(err)
		}
	}
}
