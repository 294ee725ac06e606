package ttl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// ExpireFunc deletes the item stored under key in table t through the
// items write path, as a service-authored deletion, if expired still holds
// for it inside the write's lock; it reports whether it deleted the item.
// The server wires it to items.(*Service).Expire.
type ExpireFunc func(ctx context.Context, t *catalog.Table, key []byte, expired func(attr.Item) bool) (deleted bool, err error)

// Sweeper is the background expirer. One Sweep pass visits every table
// with TTL: it finishes ENABLING (indexing the items already there) and
// DISABLING (dropping the index) transitions, and deletes the items whose
// expiry-index entries lie in the expired window. Its cost is proportional
// to the expired (and stale) entries, not to the table.
type Sweeper struct {
	cat    *catalog.Catalog
	eng    storage.Engine
	expire ExpireFunc
	now    func() time.Time
	log    *slog.Logger
	// workers is how many deletions run at once: each is one durable
	// commit, and concurrent commits share a WAL sync.
	workers int

	mu   sync.Mutex    // one pass at a time
	kick chan struct{} // asks Run for a pass now
}

// NewSweeper returns a sweeper deleting through expire, with clock now
// (nil: time.Now) and logger log (nil: discard).
func NewSweeper(cat *catalog.Catalog, eng storage.Engine, expire ExpireFunc, now func() time.Time, log *slog.Logger) *Sweeper {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sweeper{cat: cat, eng: eng, expire: expire, now: now, log: log, workers: 8, kick: make(chan struct{}, 1)}
}

// Stats is what one Sweep did.
type Stats struct {
	Tables    int // tables with TTL enabled that were swept
	Entries   int // expiry-index entries in the expired window visited
	Deleted   int // items deleted
	Stale     int // entries dropped because their item was no longer expired
	Indexed   int // items indexed by ENABLING backfills
	Scanned   int // items read by ENABLING backfills
	Discarded int // entries dropped for lying more than MaxAge in the past
}

func (s *Stats) add(o Stats) {
	s.Tables += o.Tables
	s.Entries += o.Entries
	s.Deleted += o.Deleted
	s.Stale += o.Stale
	s.Indexed += o.Indexed
	s.Scanned += o.Scanned
	s.Discarded += o.Discarded
}

// Kick asks a running Run loop for a pass now (after UpdateTimeToLive, so
// that ENABLING and DISABLING end promptly). It never blocks.
func (s *Sweeper) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run sweeps every interval, and on Kick, until ctx ends.
func (s *Sweeper) Run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-s.kick:
		}
		if st, err := s.Sweep(ctx); err != nil {
			if ctx.Err() == nil {
				s.log.Error("ttl: sweep failed", "error", err)
			}
		} else if st.Deleted > 0 || st.Indexed > 0 {
			s.log.Debug("ttl: swept", "deleted", st.Deleted, "indexed", st.Indexed, "stale", st.Stale)
		}
	}
}

// Sweep runs one pass over every table with TTL (see Sweeper). Tests call
// it directly, with a fake clock, instead of waiting for Run.
func (s *Sweeper) Sweep(ctx context.Context) (Stats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var total Stats
	var errs []error
	for _, t := range s.cat.All() {
		if t.TTL == nil || (!t.TTL.Enabled && !t.TTL.Transition) {
			continue
		}
		st, err := s.sweepTable(ctx, t)
		total.add(st)
		if err != nil {
			if ctx.Err() != nil {
				return total, ctx.Err()
			}
			errs = append(errs, fmt.Errorf("ttl: table %q: %w", t.Name, err))
		}
	}
	return total, errors.Join(errs...)
}

func (s *Sweeper) sweepTable(ctx context.Context, t *catalog.Table) (Stats, error) {
	var st Stats
	if t.TTL.Transition {
		if t.TTL.Enabled {
			if err := s.backfill(ctx, t, &st); err != nil {
				return st, err
			}
		} else {
			lo, hi := keyspace.AllTTLEntries(t.ID)
			if err := s.eng.Update(ctx, nil, func(tx storage.Txn) error {
				tx.DeleteRange(lo, hi)
				return nil
			}); err != nil {
				return st, err
			}
		}
		nt, err := s.finishTransition(ctx, t)
		if err != nil || nt == nil {
			return st, err
		}
		t = nt
		if !t.TTL.Enabled {
			return st, nil
		}
	}
	st.Tables++
	err := s.expireTable(ctx, t, &st)
	return st, err
}

// errChanged aborts finishTransition when the table changed meanwhile.
var errChanged = errors.New("ttl: table changed during the transition")

// finishTransition ends t's ENABLING or DISABLING phase, unless the table
// or its TTL setting changed meanwhile; it returns the new table (nil if
// it changed).
func (s *Sweeper) finishTransition(ctx context.Context, t *catalog.Table) (*catalog.Table, error) {
	nt, err := s.cat.Update(ctx, t.Namespace, t.Name, func(c *catalog.Table) error {
		if c.ID != t.ID || !sameTTL(c.TTL, t.TTL) {
			return errChanged
		}
		c.TTL.Transition = false
		return nil
	})
	if errors.Is(err, errChanged) {
		return nil, nil
	}
	if e, ok := apierr.As(err); ok && e.Code == "ResourceNotFoundException" {
		return nil, nil // deleted meanwhile
	}
	return nt, err
}

func sameTTL(a, b *catalog.TTL) bool {
	return a != nil && b != nil && a.AttributeName == b.AttributeName && a.Enabled == b.Enabled &&
		a.Transition == b.Transition && a.Updated.Equal(b.Updated)
}

// batchSize bounds the keys one backfill commit locks and the entries one
// expiry round holds in memory.
const batchSize = 256

// backfill indexes the items already in t when its TTL is being enabled:
// the one pass over the table TTL needs, run once per enabling. It first
// waits for the writes that began before TTL was enabled (they may have read
// the table without TTL and may insert an item the scan has already passed);
// after that each batch of items is re-read under the items' locks, so a
// concurrent write either committed before (and is indexed here) or commits
// after and indexes itself (Track reads the current table version).
func (s *Sweeper) backfill(ctx context.Context, t *catalog.Table, st *Stats) error {
	if err := t.WaitWrites(ctx); err != nil {
		return err
	}
	name := t.TTL.AttributeName
	lower, upper := keyspace.Items(t.ID)
	for {
		keys, err := s.collect(lower, upper)
		if err != nil || len(keys) == 0 {
			return err
		}
		err = s.eng.Update(ctx, keys, func(tx storage.Txn) error {
			for _, k := range keys {
				raw, ok, err := tx.Get(k)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				item, err := attr.DecodeItem(raw)
				if err != nil {
					return fmt.Errorf("decoding item: %w", err)
				}
				st.Scanned++
				if e, ok := itemEpoch(item, name); ok {
					tx.Set(keyspace.TTLEntry(t.ID, e, k), nil)
					st.Indexed++
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		lower = append(keys[len(keys)-1], 0)
	}
}

// collect returns up to batchSize keys of [lower, upper), copied.
func (s *Sweeper) collect(lower, upper []byte) ([][]byte, error) {
	it := s.eng.Iter(lower, upper, false)
	var keys [][]byte
	for len(keys) < batchSize && it.Next() {
		keys = append(keys, append([]byte(nil), it.Key()...))
	}
	if err := it.Err(); err != nil {
		it.Close()
		return nil, err
	}
	return keys, it.Close()
}

// expireTable deletes the expired items of t, found in its expiry index.
func (s *Sweeper) expireTable(ctx context.Context, t *catalog.Table, st *Stats) error {
	now := s.now()
	lo, hi := window(now)
	if hi == 0 {
		return nil
	}
	// Entries older than MaxAge will never expire their item: drop them
	// (an update of the item re-indexes it).
	old, oldEnd := keyspace.TTLEntries(t.ID, 0, lo)
	if n, err := s.count(old, oldEnd); err != nil {
		return err
	} else if n > 0 {
		if err := s.eng.Update(ctx, nil, func(tx storage.Txn) error {
			tx.DeleteRange(old, oldEnd)
			return nil
		}); err != nil {
			return err
		}
		st.Discarded += n
	}

	name := t.TTL.AttributeName
	expired := func(it attr.Item) bool { return Expired(it, name, now) }
	lower, upper := keyspace.TTLEntries(t.ID, lo, hi)
	for {
		entries, err := s.collect(lower, upper)
		if err != nil || len(entries) == 0 {
			return err
		}
		st.Entries += len(entries)
		deleted, stale, err := s.expireBatch(ctx, t, entries, expired)
		st.Deleted += deleted
		st.Stale += stale
		if deleted > 0 {
			if cerr := s.eng.Update(ctx, nil, func(tx storage.Txn) error {
				tx.AddInt64(keyspace.TTLDeleted(t.ID), int64(deleted))
				return nil
			}); cerr != nil && err == nil {
				err = cerr
			}
		}
		if err != nil {
			return err
		}
		lower = append(entries[len(entries)-1], 0)
	}
}

// expireBatch deletes the items of entries with s.workers deletions in
// flight; an entry whose item is no longer expired is stale and dropped.
func (s *Sweeper) expireBatch(ctx context.Context, t *catalog.Table, entries [][]byte, expired func(attr.Item) bool) (deleted, stale int, err error) {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		next = make(chan []byte)
	)
	for range min(s.workers, len(entries)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for entry := range next {
				_, itemKey, _ := keyspace.ParseTTLEntry(entry)
				ok, err := s.expire(ctx, t, itemKey, expired)
				dropped := false
				if err == nil && !ok {
					dropped, err = s.dropStale(ctx, t, entry, itemKey)
				}
				mu.Lock()
				switch {
				case err != nil:
					errs = append(errs, err)
				case ok:
					deleted++
				case dropped:
					stale++
				}
				mu.Unlock()
			}
		}()
	}
	for _, e := range entries {
		if ctx.Err() != nil {
			break
		}
		next <- e
	}
	close(next)
	wg.Wait()
	if ctx.Err() != nil {
		errs = append(errs, ctx.Err())
	}
	return deleted, stale, errors.Join(errs...)
}

// dropStale deletes expiry-index entry (pointing at itemKey) unless, under
// the item's lock, the item's TTL attribute still has the entry's epoch.
func (s *Sweeper) dropStale(ctx context.Context, t *catalog.Table, entry, itemKey []byte) (bool, error) {
	epoch, _, _ := keyspace.ParseTTLEntry(entry)
	dropped := false
	err := s.eng.Update(ctx, [][]byte{itemKey}, func(tx storage.Txn) error {
		raw, ok, err := tx.Get(itemKey)
		if err != nil {
			return err
		}
		if ok {
			item, err := attr.DecodeItem(raw)
			if err != nil {
				return fmt.Errorf("decoding item: %w", err)
			}
			name := t.TTL.AttributeName
			if cur := t.Current(); cur.TTL != nil {
				name = cur.TTL.AttributeName
			}
			if e, ok := itemEpoch(item, name); ok && e == epoch {
				return nil
			}
		}
		tx.Delete(entry)
		dropped = true
		return nil
	})
	return dropped, err
}

// count returns the number of keys in [lower, upper).
func (s *Sweeper) count(lower, upper []byte) (int, error) {
	it := s.eng.Iter(lower, upper, false)
	n := 0
	for it.Next() {
		n++
	}
	if err := it.Err(); err != nil {
		it.Close()
		return 0, err
	}
	return n, it.Close()
}
