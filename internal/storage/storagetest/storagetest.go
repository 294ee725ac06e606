// Package storagetest is the conformance suite every storage.Engine must
// pass: reads and writes, iteration order and bounds in both directions,
// snapshot isolation, atomicity, counters, DeleteRange, per-key lock
// serialization, closed-engine behaviour and, for persistent engines,
// durability across close and reopen.
//
// An engine's own tests call Run (and RunDurable if it persists):
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) storage.Engine { ... })
//	}
//
// The suite only uses the storage contract; it must not import an engine.
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/storage"
)

// Open returns a fresh, empty engine for one test. The suite closes it
// (ignoring storage.ErrClosed) when the test ends.
type Open func(t *testing.T) storage.Engine

// Run runs the conformance suite against engines made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e storage.Engine)
	}{
		{"Get returns a copy of what Set wrote", testSetGet},
		{"an empty value is present, not absent", testEmptyValue},
		{"Delete removes a key", testDelete},
		{"a large value round-trips", testLargeValue},
		{"Txn reads see committed data, not pending writes", testTxnReadsCommitted},
		{"an error from fn writes nothing and is returned", testAtomicity},
		{"a panic in fn writes nothing and releases the locks", testPanic},
		{"an Update without writes succeeds", testNoWrites},
		{"a cancelled context stops Update before fn", testCancelled},
		{"Iter walks bounds in both directions", testIterBounds},
		{"Iter orders binary keys bytewise", testIterBinaryOrder},
		{"Iter is safe to use inside Update", testTxnIter},
		{"a snapshot does not see later writes", testSnapshot},
		{"AddInt64 sums counters", testCounters},
		{"concurrent AddInt64 without locks loses nothing", testCountersConcurrent},
		{"DeleteRange deletes exactly [lower, upper)", testDeleteRange},
		{"locks serialize read-modify-write", testLockSerializes},
		{"overlapping multi-key locks do not deadlock", testLockOrder},
		{"a closed engine returns ErrClosed and never panics", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := open(t)
			t.Cleanup(func() {
				if err := e.Close(); err != nil && !errors.Is(err, storage.ErrClosed) {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, e)
		})
	}
}

// set commits key=value in one Update.
func set(t *testing.T, e storage.Engine, kv ...string) {
	t.Helper()
	err := e.Update(context.Background(), nil, func(tx storage.Txn) error {
		for i := 0; i+1 < len(kv); i += 2 {
			tx.Set([]byte(kv[i]), []byte(kv[i+1]))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// wantValue checks that r holds want at key, or nothing when !present.
func wantValue(t *testing.T, r storage.Reader, key string, want string, present bool) {
	t.Helper()
	v, ok, err := r.Get([]byte(key))
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if ok != present || (ok && string(v) != want) {
		t.Fatalf("Get(%q) = %q, %v; want %q, %v", key, v, ok, want, present)
	}
}

// collect drains r.Iter(lower, upper, reverse) as "k=v" strings.
func collect(t *testing.T, r storage.Reader, lower, upper []byte, reverse bool) []string {
	t.Helper()
	it := r.Iter(lower, upper, reverse)
	var out []string
	for it.Next() {
		out = append(out, string(it.Key())+"="+string(it.Value()))
	}
	if err := it.Err(); err != nil {
		t.Fatalf("Iter: %v", err)
	}
	if err := it.Close(); err != nil {
		t.Fatalf("Iter Close: %v", err)
	}
	return out
}

func testSetGet(t *testing.T, e storage.Engine) {
	key, val := []byte("k"), []byte("v1")
	err := e.Update(context.Background(), [][]byte{key}, func(tx storage.Txn) error {
		tx.Set(key, val)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	val[0], key[0] = 'X', 'X' // the engine must have copied both
	got, ok, err := e.Get([]byte("k"))
	if err != nil || !ok || string(got) != "v1" {
		t.Fatalf("Get = %q, %v, %v; want v1", got, ok, err)
	}
	got[0] = 'Y' // the caller owns the returned copy
	wantValue(t, e, "k", "v1", true)
	wantValue(t, e, "absent", "", false)
	set(t, e, "k", "v2")
	wantValue(t, e, "k", "v2", true)
}

func testEmptyValue(t *testing.T, e storage.Engine) {
	set(t, e, "k", "")
	v, ok, err := e.Get([]byte("k"))
	if err != nil || !ok || len(v) != 0 {
		t.Fatalf("Get = %q, %v, %v; want empty and present", v, ok, err)
	}
}

func testDelete(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1", "b", "2")
	err := e.Update(context.Background(), [][]byte{[]byte("a")}, func(tx storage.Txn) error {
		tx.Delete([]byte("a"))
		tx.Delete([]byte("never-written"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantValue(t, e, "a", "", false)
	wantValue(t, e, "b", "2", true)
}

func testLargeValue(t *testing.T, e storage.Engine) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	set(t, e, "big", string(big))
	v, ok, err := e.Get([]byte("big"))
	if err != nil || !ok || !bytes.Equal(v, big) {
		t.Fatalf("Get(big): len %d, %v, %v", len(v), ok, err)
	}
}

func testTxnReadsCommitted(t *testing.T, e storage.Engine) {
	set(t, e, "k", "old")
	err := e.Update(context.Background(), [][]byte{[]byte("k")}, func(tx storage.Txn) error {
		tx.Set([]byte("k"), []byte("new"))
		tx.Set([]byte("n"), []byte("new"))
		wantValue(t, tx, "k", "old", true)
		wantValue(t, tx, "n", "", false)
		if got := collect(t, tx, nil, nil, false); fmt.Sprint(got) != "[k=old]" {
			t.Errorf("Iter inside Update = %v; want [k=old]", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantValue(t, e, "k", "new", true)
	wantValue(t, e, "n", "new", true)
}

func testAtomicity(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1", "c", "3")
	boom := errors.New("boom")
	err := e.Update(context.Background(), [][]byte{[]byte("a")}, func(tx storage.Txn) error {
		tx.Set([]byte("a"), []byte("changed"))
		tx.Set([]byte("b"), []byte("new"))
		tx.Delete([]byte("c"))
		tx.DeleteRange([]byte("a"), []byte("z"))
		tx.AddInt64([]byte("n"), 5)
		return fmt.Errorf("wrapped: %w", boom)
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v; want the fn error", err)
	}
	if got := collect(t, e, nil, nil, false); fmt.Sprint(got) != "[a=1 c=3]" {
		t.Fatalf("after failed Update: %v; want [a=1 c=3]", got)
	}
}

func testPanic(t *testing.T, e storage.Engine) {
	key := []byte("k")
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic in fn did not reach the caller")
			}
		}()
		_ = e.Update(context.Background(), [][]byte{key}, func(tx storage.Txn) error {
			tx.Set(key, []byte("half"))
			panic("boom")
		})
	}()
	wantValue(t, e, "k", "", false)
	done := make(chan error, 1)
	go func() {
		done <- e.Update(context.Background(), [][]byte{key}, func(tx storage.Txn) error {
			tx.Set(key, []byte("after"))
			return nil
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the lock was not released after a panic")
	}
	wantValue(t, e, "k", "after", true)
}

func testNoWrites(t *testing.T, e storage.Engine) {
	ran := false
	err := e.Update(context.Background(), [][]byte{[]byte("k")}, func(tx storage.Txn) error {
		ran = true
		return nil
	})
	if err != nil || !ran {
		t.Fatalf("Update = %v, ran %v", err, ran)
	}
}

func testCancelled(t *testing.T, e storage.Engine) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := e.Update(ctx, [][]byte{[]byte("k")}, func(tx storage.Txn) error {
		t.Error("fn ran under a cancelled context")
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Update = %v; want context.Canceled", err)
	}
}

func testIterBounds(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1", "b", "2", "bb", "3", "c", "4", "d", "5")
	b := func(s string) []byte {
		if s == "<nil>" {
			return nil
		}
		return []byte(s)
	}
	tests := []struct {
		name         string
		lower, upper string
		want         string
	}{
		{"unbounded", "<nil>", "<nil>", "[a=1 b=2 bb=3 c=4 d=5]"},
		{"empty lower is the start", "", "<nil>", "[a=1 b=2 bb=3 c=4 d=5]"},
		{"lower is inclusive", "b", "<nil>", "[b=2 bb=3 c=4 d=5]"},
		{"upper is exclusive", "<nil>", "c", "[a=1 b=2 bb=3]"},
		{"both bounds", "b", "c", "[b=2 bb=3]"},
		{"bounds between keys", "ba", "bz", "[bb=3]"},
		{"empty range", "b", "b", "[]"},
		{"inverted range", "c", "b", "[]"},
		{"range past the end", "e", "<nil>", "[]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fwd := collect(t, e, b(tc.lower), b(tc.upper), false)
			if got := fmt.Sprint(fwd); got != tc.want {
				t.Errorf("forward = %v; want %v", got, tc.want)
			}
			rev := collect(t, e, b(tc.lower), b(tc.upper), true)
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			if got := fmt.Sprint(rev); got != tc.want {
				t.Errorf("reverse (reversed back) = %v; want %v", got, tc.want)
			}
		})
	}
}

func testIterBinaryOrder(t *testing.T, e storage.Engine) {
	keys := [][]byte{{0x00}, {0x00, 0x00}, {0x00, 0xff}, {0x01}, {0x7f}, {0x80}, {0xff}, {0xff, 0x00}, {0xff, 0xff}}
	err := e.Update(context.Background(), nil, func(tx storage.Txn) error {
		for i := len(keys) - 1; i >= 0; i-- {
			tx.Set(keys[i], []byte{byte(i)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, reverse := range []bool{false, true} {
		it := e.Iter(nil, nil, reverse)
		n := 0
		for it.Next() {
			i := n
			if reverse {
				i = len(keys) - 1 - n
			}
			if !bytes.Equal(it.Key(), keys[i]) || !bytes.Equal(it.Value(), []byte{byte(i)}) {
				t.Errorf("reverse=%v step %d: %x=%x; want %x", reverse, n, it.Key(), it.Value(), keys[i])
			}
			n++
		}
		if err := it.Err(); err != nil || n != len(keys) {
			t.Errorf("reverse=%v: %d keys, err %v", reverse, n, err)
		}
		if err := it.Close(); err != nil {
			t.Error(err)
		}
	}
	// The upper bound {0xff} must exclude {0xff, 0x00}.
	if got := len(collect(t, e, []byte{0x80}, []byte{0xff}, false)); got != 1 {
		t.Errorf("[0x80, 0xff) holds %d keys; want 1", got)
	}
}

func testTxnIter(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1", "b", "2")
	err := e.Update(context.Background(), [][]byte{[]byte("a")}, func(tx storage.Txn) error {
		it := tx.Iter(nil, nil, false)
		for it.Next() {
			tx.Delete(it.Key()) // the batch copies the key
		}
		// Left open on purpose: the engine must not leak it.
		return it.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := collect(t, e, nil, nil, false); len(got) != 0 {
		t.Fatalf("after deleting everything: %v", got)
	}
}

func testSnapshot(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1", "b", "2")
	snap := e.NewSnapshot()
	set(t, e, "a", "changed", "c", "3")
	err := e.Update(context.Background(), nil, func(tx storage.Txn) error {
		tx.Delete([]byte("b"))
		tx.AddInt64([]byte("n"), 1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantValue(t, snap, "a", "1", true)
	wantValue(t, snap, "b", "2", true)
	wantValue(t, snap, "c", "", false)
	if got := fmt.Sprint(collect(t, snap, nil, nil, false)); got != "[a=1 b=2]" {
		t.Errorf("snapshot Iter = %v", got)
	}
	if got := fmt.Sprint(collect(t, snap, nil, nil, true)); got != "[b=2 a=1]" {
		t.Errorf("snapshot reverse Iter = %v", got)
	}
	if got := fmt.Sprint(collect(t, e, nil, nil, false)); got != "[a=changed c=3 n=\x01\x00\x00\x00\x00\x00\x00\x00]" {
		t.Errorf("engine Iter = %q", got)
	}
	if err := snap.Close(); err != nil {
		t.Fatal(err)
	}
	if err := snap.Close(); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("second snapshot Close = %v; want ErrClosed", err)
	}
	if _, _, err := snap.Get([]byte("a")); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("Get on a closed snapshot = %v; want ErrClosed", err)
	}
}

// counter reads key as a counter.
func counter(t *testing.T, r storage.Reader, key string) int64 {
	t.Helper()
	v, _, err := r.Get([]byte(key))
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return storage.ReadInt64(v)
}

func testCounters(t *testing.T, e storage.Engine) {
	add := func(fn func(tx storage.Txn)) {
		t.Helper()
		if err := e.Update(context.Background(), nil, func(tx storage.Txn) error { fn(tx); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	le := func(v int64) []byte {
		b := make([]byte, 8)
		for i := range b {
			b[i] = byte(v >> (8 * i))
		}
		return b
	}
	tests := []struct {
		name      string
		setup     func(tx storage.Txn, k []byte)
		adds      []int64
		oneUpdate bool // all adds in one Update instead of one each
		want      int64
	}{
		{"absent counts as zero", nil, []int64{5}, false, 5},
		{"adds accumulate, negatives too", nil, []int64{5, 7, -20}, false, -8},
		{"several adds in one Update", nil, []int64{1, 1, 1}, true, 3},
		{"a Set value is the base", func(tx storage.Txn, k []byte) { tx.Set(k, le(100)) }, []int64{1, -2}, false, 99},
		{"a Delete resets to zero", func(tx storage.Txn, k []byte) { tx.AddInt64(k, 40); tx.Delete(k) }, []int64{2}, false, 2},
		{"a DeleteRange resets to zero", func(tx storage.Txn, k []byte) {
			tx.AddInt64(k, 40)
			tx.DeleteRange(k, append(bytes.Clone(k), 0))
		}, []int64{3}, false, 3},
		{"large values do not overflow", nil, []int64{1 << 62, 1 << 61, -(1 << 62)}, false, 1 << 61},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := []byte(fmt.Sprintf("counter/%02d", i))
			if tc.setup != nil {
				add(func(tx storage.Txn) { tc.setup(tx, k) })
			}
			if tc.oneUpdate {
				add(func(tx storage.Txn) {
					for _, d := range tc.adds {
						tx.AddInt64(k, d)
					}
				})
			} else {
				for _, d := range tc.adds {
					add(func(tx storage.Txn) { tx.AddInt64(k, d) })
				}
			}
			if got := counter(t, e, string(k)); got != tc.want {
				t.Errorf("counter = %d; want %d", got, tc.want)
			}
		})
	}
	// Set after adds overrides them.
	add(func(tx storage.Txn) { tx.AddInt64([]byte("c"), 9) })
	add(func(tx storage.Txn) { tx.Set([]byte("c"), le(1)) })
	if got := counter(t, e, "c"); got != 1 {
		t.Errorf("after Set: %d; want 1", got)
	}
	if got := counter(t, e, "never"); got != 0 {
		t.Errorf("absent counter reads %d", got)
	}
}

// workers runs fn(worker) on n goroutines and fails the test if they do
// not all finish within the deadline.
func workers(t *testing.T, n int, deadline time.Duration, fn func(w int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- fn(w)
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(deadline):
		t.Fatalf("workers did not finish within %v (deadlock?)", deadline)
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func testCountersConcurrent(t *testing.T, e storage.Engine) {
	const n, per = 16, 50
	workers(t, n, time.Minute, func(w int) error {
		for i := 0; i < per; i++ {
			err := e.Update(context.Background(), nil, func(tx storage.Txn) error {
				tx.AddInt64([]byte("total"), 2)
				tx.AddInt64([]byte("mine/"+fmt.Sprint(w)), 1)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if got := counter(t, e, "total"); got != 2*n*per {
		t.Errorf("total = %d; want %d", got, 2*n*per)
	}
	for w := 0; w < n; w++ {
		if got := counter(t, e, "mine/"+fmt.Sprint(w)); got != per {
			t.Errorf("mine/%d = %d; want %d", w, got, per)
		}
	}
}

func testDeleteRange(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1", "b", "2", "b\x00", "3", "bz", "4", "c", "5", "c\x00", "6")
	err := e.Update(context.Background(), nil, func(tx storage.Txn) error {
		tx.DeleteRange([]byte("b"), []byte("c"))
		tx.DeleteRange([]byte("x"), []byte("y")) // nothing there
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(collect(t, e, nil, nil, false)); got != "[a=1 c=5 c\x00=6]" {
		t.Errorf("after DeleteRange: %q", got)
	}
	if got := fmt.Sprint(collect(t, e, nil, nil, true)); got != "[c\x00=6 c=5 a=1]" {
		t.Errorf("after DeleteRange, reverse: %q", got)
	}
	set(t, e, "b", "again")
	wantValue(t, e, "b", "again", true)
}

func testLockSerializes(t *testing.T, e storage.Engine) {
	const n, per = 16, 25
	key := []byte("shared")
	workers(t, n, 2*time.Minute, func(int) error {
		for i := 0; i < per; i++ {
			err := e.Update(context.Background(), [][]byte{key}, func(tx storage.Txn) error {
				v, _, err := tx.Get(key)
				if err != nil {
					return err
				}
				next := storage.ReadInt64(v) + 1
				b := make([]byte, 8)
				for j := range b {
					b[j] = byte(next >> (8 * j))
				}
				tx.Set(key, b)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if got := counter(t, e, "shared"); got != n*per {
		t.Fatalf("count = %d; want %d (lost updates)", got, n*per)
	}
}

func testLockOrder(t *testing.T, e storage.Engine) {
	keys := [][]byte{[]byte("a"), []byte("b"), []byte("c"), []byte("d")}
	workers(t, 8, time.Minute, func(w int) error {
		for i := 0; i < 50; i++ {
			// Each worker names overlapping keys in its own order,
			// sometimes with duplicates.
			lk := [][]byte{keys[(w+i)%4], keys[(w+3*i+1)%4], keys[w%4], keys[(w+i)%4]}
			err := e.Update(context.Background(), lk, func(tx storage.Txn) error {
				for _, k := range lk {
					v, _, err := tx.Get(k)
					if err != nil {
						return err
					}
					_ = v
				}
				tx.AddInt64([]byte("n"), 1)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if got := counter(t, e, "n"); got != 8*50 {
		t.Errorf("n = %d; want %d", got, 8*50)
	}
}

func testClosed(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1")
	snap := e.NewSnapshot()
	it := e.Iter(nil, nil, false)
	if !it.Next() {
		t.Fatalf("Iter found nothing: %v", it.Err())
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	it = e.Iter(nil, nil, false) // left open across Close
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := e.Close(); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("second Close = %v; want ErrClosed", err)
	}
	if it.Next() || !errors.Is(it.Err(), storage.ErrClosed) {
		t.Errorf("Next on an iterator of a closed engine: err %v; want ErrClosed", it.Err())
	}
	_ = it.Close()
	if _, _, err := e.Get([]byte("a")); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("Get = %v; want ErrClosed", err)
	}
	it = e.Iter(nil, nil, true)
	if it.Next() || !errors.Is(it.Err(), storage.ErrClosed) {
		t.Errorf("Iter: err %v; want ErrClosed", it.Err())
	}
	_ = it.Close()
	err := e.Update(context.Background(), [][]byte{[]byte("a")}, func(tx storage.Txn) error {
		tx.Set([]byte("a"), []byte("2"))
		return nil
	})
	if !errors.Is(err, storage.ErrClosed) {
		t.Errorf("Update = %v; want ErrClosed", err)
	}
	if _, _, err := snap.Get([]byte("a")); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("Get on a snapshot of a closed engine = %v; want ErrClosed", err)
	}
	_ = snap.Close()
	s2 := e.NewSnapshot()
	if _, _, err := s2.Get([]byte("a")); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("NewSnapshot on a closed engine: Get = %v; want ErrClosed", err)
	}
	_ = s2.Close()
}
