package items

import (
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
)

// fakeClock is a clock tests move by hand. After's channels fire when
// Advance passes their time; each After call is announced on called.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []fakeTimer
	called chan struct{}
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), called: make(chan struct{}, 100)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	ch := make(chan time.Time, 1)
	c.timers = append(c.timers, fakeTimer{at: c.now.Add(d), ch: ch})
	c.mu.Unlock()
	c.called <- struct{}{}
	return ch
}

// Advance moves the clock by d and fires the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		t.ch <- c.now
	}
	c.timers = kept
}

// withFakeClock makes s use a fake clock (with fresh token and conflict
// state) and returns it.
func withFakeClock(s *Service) *fakeClock {
	c := newFakeClock()
	s.clock = c
	s.tokens = newIdempotency(c, maxIdempotencyTokens)
	s.txnItems = newTxnItems(c, conflictWait)
	return c
}

func hashOf(s string) [sha256.Size]byte { return sha256.Sum256([]byte(s)) }

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

func TestIdempotency(t *testing.T) {
	a, b := hashOf("a"), hashOf("b")
	type step struct {
		advance time.Duration
		op      string // "begin a", "begin b", "ok", "fail"
		want    string // for begin: "run", "replay" or an error code
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"a new token runs", []step{{0, "begin a", "run"}}},
		{"a succeeded token with the same parameters is replayed", []step{
			{0, "begin a", "run"}, {0, "ok", ""}, {9 * time.Minute, "begin a", "replay"},
		}},
		{"a token with other parameters is a mismatch", []step{
			{0, "begin a", "run"}, {0, "ok", ""}, {time.Minute, "begin b", "IdempotentParameterMismatchException"},
		}},
		{"a token whose request is still running is in progress", []step{
			{0, "begin a", "run"}, {0, "begin a", "TransactionInProgressException"},
		}},
		{"a running token with other parameters is a mismatch", []step{
			{0, "begin a", "run"}, {0, "begin b", "IdempotentParameterMismatchException"},
		}},
		{"a failed token runs again but keeps its parameters", []step{
			{0, "begin a", "run"}, {0, "fail", ""}, {0, "begin b", "IdempotentParameterMismatchException"},
			{0, "begin a", "run"}, {0, "ok", ""}, {0, "begin a", "replay"},
		}},
		{"a token is forgotten 10 minutes after its request finished", []step{
			{0, "begin a", "run"}, {5 * time.Minute, "ok", ""}, {10*time.Minute - time.Nanosecond, "begin b", "IdempotentParameterMismatchException"},
			{time.Nanosecond, "begin b", "run"},
		}},
		{"the window of a token run again starts at its last finish", []step{
			{0, "begin a", "run"}, {0, "fail", ""}, {9 * time.Minute, "begin a", "run"}, {0, "ok", ""},
			{2 * time.Minute, "begin a", "replay"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newFakeClock()
			idem := newIdempotency(c, 10)
			for i, st := range tt.steps {
				c.Advance(st.advance)
				switch st.op {
				case "ok", "fail":
					idem.finish("ns\x00tok", st.op == "ok")
					continue
				}
				h := a
				if st.op == "begin b" {
					h = b
				}
				replay, err := idem.begin("ns\x00tok", h)
				got := "run"
				switch {
				case err != nil:
					e, _ := apierr.As(err)
					got = e.Code
				case replay:
					got = "replay"
				}
				if got != st.want {
					t.Fatalf("step %d (%s): got %s, want %s", i, st.op, got, st.want)
				}
			}
		})
	}
}

func TestIdempotencyTokensArePerNamespace(t *testing.T) {
	idem := newIdempotency(newFakeClock(), 10)
	if _, err := idem.begin(tokenKey("ns1", "tok"), hashOf("a")); err != nil {
		t.Fatal(err)
	}
	idem.finish(tokenKey("ns1", "tok"), true)
	if replay, err := idem.begin(tokenKey("ns2", "tok"), hashOf("b")); err != nil || replay {
		t.Fatalf("another namespace's token: replay %v, err %v", replay, err)
	}
}

func TestIdempotencyMemoryIsBounded(t *testing.T) {
	c := newFakeClock()
	idem := newIdempotency(c, 100)
	for i := range 10_000 {
		k := tokenKey("ns", string(rune('a'+i%26))+time.Duration(i).String())
		if _, err := idem.begin(k, hashOf("x")); err != nil {
			t.Fatal(err)
		}
		idem.finish(k, true)
		c.Advance(time.Millisecond)
	}
	if n := idem.len(); n != 100 {
		t.Fatalf("%d tokens remembered, want the bound 100", n)
	}
	if n := len(idem.finished) - idem.head; n != 100 {
		t.Fatalf("%d queued tokens, want 100", n)
	}
	if cap(idem.finished) > 4096 {
		t.Fatalf("queue capacity %d: the consumed head is not reclaimed", cap(idem.finished))
	}
	c.Advance(idempotencyWindow)
	if _, err := idem.begin(tokenKey("ns", "new"), hashOf("x")); err != nil {
		t.Fatal(err)
	}
	if n := idem.len(); n != 1 {
		t.Fatalf("%d tokens remembered after the window, want 1 (the running one)", n)
	}
}
