package items

import (
	"crypto/sha256"
	"encoding/binary"
	"net/http"
	"sync"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/protocol"
)

// clock is the service's time source, injected so that tests of the
// idempotency window and of conflict waits do not sleep.
type clock interface {
	Now() time.Time
	// After is time.After.
	After(d time.Duration) <-chan time.Time
}

// systemClock is the real clock.
type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// ClientRequestToken rules (limits.md §8).
const (
	// idempotencyWindow is how long a token is remembered after the request
	// that used it finished.
	idempotencyWindow = 10 * time.Minute
	// maxIdempotencyTokens bounds the memory the tokens take (about 150
	// bytes each, so ~15 MB). Past it the oldest finished tokens are
	// forgotten before their 10 minutes: SDKs retry within seconds, so
	// only a client replaying a token minutes later, after more than this
	// many other transactions, could see its request applied twice.
	maxIdempotencyTokens = 100_000
)

// Messages of the idempotency errors. AWS does not document the texts
// (DynamoDB Local sends an empty message for the mismatch, errors.md M7);
// these are the service model's descriptions of the exceptions.
const (
	msgIdempotentMismatch    = "DynamoDB rejected the request because you retried a request with a different payload but with an idempotent token that was already used."
	msgTransactionInProgress = "The transaction with the given request token is already in progress."
)

// tokenState is where the request that used a token is.
type tokenState uint8

const (
	tokenRunning   tokenState = iota // the first request is still running
	tokenSucceeded                   // it succeeded: a replay answers success without writing
	tokenFailed                      // it failed and wrote nothing: a replay runs again
)

// tokenEntry is one remembered token.
type tokenEntry struct {
	hash  [sha256.Size]byte // of the request's parameters
	state tokenState
	// seq numbers the token's latest finish; its queue entry carries it.
	seq uint64
}

// idempotency remembers, per namespace, the ClientRequestTokens of the
// TransactWriteItems requests of the last 10 minutes (behaviours.md §13):
// the same token with the same parameters is answered without writing
// again, with different parameters it is IdempotentParameterMismatch, and
// while the first request runs TransactionInProgress.
//
// Finished tokens expire in the order they finished, so a FIFO queue of
// them is also their expiry order: expired tokens are dropped from its
// head on every use, and the oldest is dropped early when the queue is
// full (maxIdempotencyTokens).
type idempotency struct {
	clock clock
	max   int

	mu      sync.Mutex
	entries map[string]tokenEntry
	// finished holds finished tokens in finishing order from finished[head].
	finished []finishedToken
	head     int
	seq      uint64 // last finish number
}

// finishedToken is a finished token and when it expires. A token that
// failed and ran again is queued once per finish; only the queue entry of
// its latest finish (same seq) forgets it.
type finishedToken struct {
	key     string
	expires time.Time
	seq     uint64
}

func newIdempotency(c clock, max int) *idempotency {
	return &idempotency{clock: c, max: max, entries: make(map[string]tokenEntry)}
}

// tokenKey is the cache key of token in namespace ns.
func tokenKey(ns, token string) string { return ns + "\x00" + token }

// hashTransactItems fingerprints a TransactWriteItems request's
// parameters: every member of every action, length-prefixed, with items in
// their canonical JSON (members sorted, numbers canonical) and name maps
// sorted, so a resent request hashes the same and any change to it hashes
// differently. ReturnConsumedCapacity and ReturnItemCollectionMetrics are
// left out: they shape the response, not what is written.
func hashTransactItems(items []protocol.TransactWriteItem) [sha256.Size]byte {
	h := sha256.New()
	var buf []byte
	str := func(p *string) {
		if p == nil {
			buf = append(buf, 0)
			return
		}
		buf = binary.AppendUvarint(append(buf, 1), uint64(len(*p)))
		buf = append(buf, *p...)
	}
	item := func(it attr.Item) {
		if it == nil {
			buf = append(buf, 0)
			return
		}
		buf = attr.AppendItemJSON(append(buf, 1), it)
	}
	names := func(m map[string]string) {
		buf = binary.AppendUvarint(buf, uint64(len(m)))
		for _, k := range sortedKeysIf(true, m) {
			v := m[k]
			str(&k)
			str(&v)
		}
	}
	for i := range items {
		if v := actionOf(&items[i]); v.kind != 0 {
			buf = append(buf, v.kind)
			str(v.table)
			item(v.item)
			if v.kind == 'U' {
				str(v.update)
			}
			str(v.cond)
			names(v.names)
			item(v.values)
			str(v.returnOnFailure)
		}
		h.Write(buf)
		buf = buf[:0]
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// begin claims key for a request with parameters hash. replay is true when
// a request with the same token and parameters already succeeded: the
// caller answers success without writing. Otherwise the token is marked
// running and the caller must call finish.
func (c *idempotency) begin(key string, hash [sha256.Size]byte) (replay bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(c.clock.Now())
	e, ok := c.entries[key]
	switch {
	case !ok:
	case e.hash != hash:
		return false, apierr.New("IdempotentParameterMismatchException", http.StatusBadRequest, msgIdempotentMismatch)
	case e.state == tokenRunning:
		return false, apierr.New("TransactionInProgressException", http.StatusBadRequest, msgTransactionInProgress)
	case e.state == tokenSucceeded:
		return true, nil
	default:
		// A failed request wrote nothing, so running it again is still
		// "the same effect as one single call". The token keeps its place
		// in finished; its window restarts when this run finishes.
	}
	e.hash, e.state = hash, tokenRunning
	c.entries[key] = e
	return false, nil
}

// finish records the outcome of the request that began key and starts its
// 10-minute window.
func (c *idempotency) finish(key string, succeeded bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return
	}
	e.state = tokenFailed
	if succeeded {
		e.state = tokenSucceeded
	}
	c.seq++
	e.seq = c.seq
	c.entries[key] = e
	now := c.clock.Now()
	c.finished = append(c.finished, finishedToken{key: key, expires: now.Add(idempotencyWindow), seq: e.seq})
	for len(c.finished)-c.head > c.max {
		c.drop()
	}
	c.expire(now)
}

// expire forgets the tokens whose window ended before now.
func (c *idempotency) expire(now time.Time) {
	for c.head < len(c.finished) && !c.finished[c.head].expires.After(now) {
		c.drop()
	}
}

// drop forgets the oldest finished token, unless it finished again later
// or is running again.
func (c *idempotency) drop() {
	f := c.finished[c.head]
	c.finished[c.head] = finishedToken{}
	c.head++
	if e, ok := c.entries[f.key]; ok && e.seq == f.seq && e.state != tokenRunning {
		delete(c.entries, f.key)
	}
	// Reclaim the consumed head of the queue once it is half the slice.
	if c.head > 1024 && c.head*2 > len(c.finished) {
		n := copy(c.finished, c.finished[c.head:])
		clear(c.finished[n:])
		c.finished = c.finished[:n]
		c.head = 0
	}
}

// len reports how many tokens are remembered (for tests).
func (c *idempotency) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
