package catalog

import (
	"context"
	"sync/atomic"
)

// In-flight item writes per table version.
//
// An item write reads the table's current version under the item's lock
// (Current) to know which indexes to maintain. A write that read it just
// before UpdateTable added a global secondary index, and that commits a new
// item just after the index's backfill scanned past the item's key, would
// leave the item out of the index: the write did not know the index, the
// backfill did not see the item. To close that gap every item write is
// counted on the version that was current when it began (BeginWrite, before
// it takes its locks, until EndWrite, after its commit), and the backfill,
// once the index is in the catalog, waits (WaitWrites) until every write
// begun on an older version has ended before it scans. A write that begins
// later reads a version with the index and maintains it itself.
//
// The hot path costs two atomic adds and two atomic loads; a superseded
// version is only looked at again by WaitWrites and by the next publish.

// versionWrites counts the writes begun on one version of a table.
type versionWrites struct {
	n       atomic.Int64
	retired atomic.Bool // a newer version has been published
}

// BeginWrite counts an item write on the table's current version and
// returns that version. The caller must call EndWrite on the returned
// version once its storage commit has returned (whatever its outcome). The
// write may use this version or any newer one (Current) for its effects.
func (t *Table) BeginWrite() *Table {
	for {
		v := t.Current()
		if v.writes == nil { // a table the catalog never held (tests)
			return v
		}
		v.writes.n.Add(1)
		// If v is still current, the count was taken before any newer
		// version was published, so a WaitWrites that starts after that
		// publish sees it. Else count on the newer version instead.
		if t.Current() == v {
			return v
		}
		v.EndWrite()
	}
}

// EndWrite ends a write begun by BeginWrite on version t.
func (t *Table) EndWrite() {
	if t.writes == nil {
		return
	}
	if t.writes.n.Add(-1) == 0 && t.writes.retired.Load() && t.live != nil {
		t.live.signal()
	}
}

// WaitWrites blocks until every item write begun on a version of the table
// older than the current one has ended, or ctx is done (its error). It
// never waits for writes begun on the current version, so writes that keep
// coming cannot delay it for long.
func (t *Table) WaitWrites(ctx context.Context) error {
	l := t.live
	if l == nil {
		return nil
	}
	for {
		l.mu.Lock()
		l.prune()
		if len(l.old) == 0 {
			l.mu.Unlock()
			return nil
		}
		if l.drained == nil {
			l.drained = make(chan struct{})
		}
		ch := l.drained
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Writes is the number of item writes in flight begun on version t.
func (t *Table) Writes() int64 {
	if t.writes == nil {
		return 0
	}
	return t.writes.n.Load()
}

// OlderWrites is the number of item writes in flight that began on a
// version of the table older than the current one (what WaitWrites waits
// for).
func (t *Table) OlderWrites() int64 {
	l := t.live
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune()
	var n int64
	for _, v := range l.old {
		n += v.writes.n.Load()
	}
	return n
}

// retire records that prev has been superseded.
func (l *live) retire(prev *Table) {
	if prev.writes == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	prev.writes.retired.Store(true)
	l.old = append(l.old, prev)
	l.prune()
}

// prune forgets the superseded versions with no write in flight: none can
// begin on them any more (BeginWrite re-checks Current). l.mu is held.
func (l *live) prune() {
	keep := l.old[:0]
	for _, v := range l.old {
		if v.writes.n.Load() > 0 {
			keep = append(keep, v)
		}
	}
	clear(l.old[len(keep):])
	l.old = keep
}

// signal wakes the WaitWrites calls waiting now.
func (l *live) signal() {
	l.mu.Lock()
	if l.drained != nil {
		close(l.drained)
		l.drained = nil
	}
	l.mu.Unlock()
}
