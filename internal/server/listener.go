package server

import (
	"crypto/tls"
	"net"
	"sync"
	"sync/atomic"

	"github.com/valyala/fasthttp"
)

// listener wraps the server's listener for what fasthttp does not offer:
// knowing that Serve has started (fasthttp's ShutdownWithContext misses a
// listener Serve has not registered yet, which it does before its first
// Accept), closing idle keep-alive connections during a graceful shutdown
// (fasthttp leaves them to their idle timeout), and closing every
// connection when the shutdown runs out of time.
type listener struct {
	net.Listener
	once    sync.Once
	serving chan struct{} // closed at the first Accept

	mu    sync.Mutex
	conns map[*conn]struct{}
}

func newListener(ln net.Listener) *listener {
	return &listener{Listener: ln, serving: make(chan struct{}), conns: map[*conn]struct{}{}}
}

func (l *listener) Accept() (net.Conn, error) {
	l.once.Do(func() { close(l.serving) })
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &conn{Conn: c, l: l}
	l.mu.Lock()
	l.conns[tc] = struct{}{}
	l.mu.Unlock()
	return tc, nil
}

// connState is the fasthttp.Server ConnState hook: it records each
// connection's state for closeIdle.
func connState(c net.Conn, st fasthttp.ConnState) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if tc, ok := c.(*conn); ok {
		tc.state.Store(int32(st))
	}
}

// closeIdle closes the connections waiting for their next request, and
// those that never sent a byte: fasthttp counts a new connection active
// while it waits for its first request, and HTTP clients open spare
// connections they may never use (Go's Transport dials while it waits for
// a busy one and keeps the spare).
func (l *listener) closeIdle() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for c := range l.conns {
		if fasthttp.ConnState(c.state.Load()) == fasthttp.StateIdle || !c.used.Load() {
			c.Conn.Close()
		}
	}
}

// closeAll closes every open connection.
func (l *listener) closeAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for c := range l.conns {
		c.Conn.Close()
	}
}

// conn removes itself from its listener when closed.
type conn struct {
	net.Conn
	l     *listener
	state atomic.Int32 // fasthttp.ConnState
	used  atomic.Bool  // a byte has been read
	once  sync.Once
}

func (c *conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && !c.used.Load() {
		c.used.Store(true)
	}
	return n, err
}

func (c *conn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
