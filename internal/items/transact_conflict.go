package items

import (
	"context"
	"sync"
	"time"
)

// conflictWait bounds how long a write transaction waits for items that
// other write transactions hold before it is cancelled with
// TransactionConflict reasons.
//
// DynamoDB detects conflicts rather than waiting: a transaction that meets
// another one on an item is cancelled at once (behaviours.md §13). Petrel
// runs a transaction as one short storage commit under item locks, so a
// transaction that waits for another is served a few milliseconds later
// instead of failing; it is cancelled only when it could not get its items
// within this bound, which takes a hot item under sustained contention.
// Single-item writes and TransactGetItems never conflict: writes wait for
// the item lock held only during the transaction's commit (DynamoDB would
// answer TransactionConflictException), reads use a snapshot that sees a
// transaction entirely or not at all.
const conflictWait = time.Second

// txnItems is the set of items held by the write transactions in flight.
// A transaction takes all its items at once or none of them and then
// waits, so no transaction holds items while waiting for others: there is
// no deadlock, whatever the order of the items in the requests.
type txnItems struct {
	clock clock
	wait  time.Duration

	mu sync.Mutex
	// held maps an item's storage key to a channel its holder closes when
	// it releases its items.
	held map[string]chan struct{}
}

func newTxnItems(c clock, wait time.Duration) *txnItems {
	return &txnItems{clock: c, wait: wait, held: make(map[string]chan struct{})}
}

// acquire takes the items with storage keys keys for one transaction,
// waiting up to t.wait for other transactions to release them. On success
// it returns the function that releases them. If some are still held when
// the wait ends, busy lists their indexes in keys (and nothing is taken).
// err is ctx's error if ctx ends first.
func (t *txnItems) acquire(ctx context.Context, keys [][]byte) (release func(), busy []int, err error) {
	var deadline <-chan time.Time
	expired := false
	for {
		t.mu.Lock()
		var holder chan struct{}
		for _, k := range keys {
			if ch, ok := t.held[string(k)]; ok {
				holder = ch
				break
			}
		}
		if holder == nil {
			done := make(chan struct{})
			for _, k := range keys {
				t.held[string(k)] = done
			}
			t.mu.Unlock()
			return func() { t.release(keys, done) }, nil, nil
		}
		if expired {
			for i, k := range keys {
				if _, ok := t.held[string(k)]; ok {
					busy = append(busy, i)
				}
			}
			t.mu.Unlock()
			return nil, busy, nil
		}
		t.mu.Unlock()
		if deadline == nil {
			deadline = t.clock.After(t.wait)
		}
		select {
		case <-holder:
		case <-deadline:
			expired = true // one last look, then give up
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

// release frees keys taken by acquire and wakes the transactions waiting
// for them.
func (t *txnItems) release(keys [][]byte, done chan struct{}) {
	t.mu.Lock()
	for _, k := range keys {
		if t.held[string(k)] == done {
			delete(t.held, string(k))
		}
	}
	t.mu.Unlock()
	close(done)
}
