package server

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/items"
	"github.com/petreldb/petrel/internal/storage"
	"github.com/petreldb/petrel/internal/streams"
	"github.com/petreldb/petrel/internal/ttl"
)

// DefaultTTLInterval is how often the TTL expirer runs unless
// Config.TTLInterval says otherwise. DynamoDB takes up to a few days; a
// few seconds lets applications and tests see expiry happen.
const DefaultTTLInterval = 5 * time.Second

// background is the server's background work (issue #5): the TTL expirer
// (ttl.Sweeper) and the sequencing and trimming of stream records
// (streams.Service.Maintain), both on the configured clock.
type background struct {
	clock    func() time.Time
	interval time.Duration // TTL; <= 0: no loops (Sweep on demand)
	log      *slog.Logger

	sweeper *ttl.Sweeper
	streams *streams.Service
	// indexBuilds stops the control plane's GSI backfills (tables.Service.Close).
	indexBuilds func()

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// newBackground reads the clock and TTL interval from cfg.
func newBackground(cfg Config, log *slog.Logger) *background {
	b := &background{clock: time.Now, interval: cfg.TTLInterval, log: log}
	if cfg.Clock != nil {
		b.clock = cfg.Clock.Now
	}
	if b.interval == 0 {
		b.interval = DefaultTTLInterval
	}
	return b
}

// attach builds the sweeper and the Streams service over the engine and
// the items service (whose Expire is the sweeper's only way to delete).
func (b *background) attach(cat *catalog.Catalog, eng storage.Engine, is *items.Service) *streams.Service {
	b.sweeper = ttl.NewSweeper(cat, eng, is.Expire, b.clock, b.log)
	b.streams = streams.New(cat, eng, b.clock)
	return b.streams
}

// kick tells a running expirer that a table's TTL setting changed.
func (b *background) kick() {
	if b.sweeper != nil {
		b.sweeper.Kick()
	}
}

// start runs the loops until stop (unless the interval is negative).
func (b *background) start() {
	if b.interval < 0 || b.sweeper == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	b.wg.Add(2)
	go func() {
		defer b.wg.Done()
		b.sweeper.Run(ctx, b.interval)
	}()
	go func() {
		defer b.wg.Done()
		b.streams.Run(ctx, streams.MaintainInterval, func(err error) {
			b.log.Error("streams: maintenance failed", "error", err)
		})
	}()
}

// stop ends the loops and the index backfills and waits for them (before
// the engine closes). An unfinished backfill resumes at the next start.
func (b *background) stop() {
	if b.indexBuilds != nil {
		b.indexBuilds()
	}
	if b.cancel != nil {
		b.cancel()
		b.wg.Wait()
		b.cancel = nil
	}
}

// Sweep runs one TTL expirer pass and one stream maintenance pass now, on
// the configured clock. Tests with a fake clock (and TTLInterval < 0) call
// it instead of waiting for the background loops.
func (s *Server) Sweep(ctx context.Context) (ttl.Stats, error) {
	st, err := s.bg.sweeper.Sweep(ctx)
	if err != nil {
		return st, err
	}
	return st, s.bg.streams.Maintain(ctx)
}

// TTLDeleted is one table's TimeToLiveDeletedItemCount.
type TTLDeleted struct {
	Namespace, Table string
	Count            int64
}

// TTLDeletedItems returns, for every table whose items the expirer has
// deleted, how many it deleted (the TimeToLiveDeletedItemCount metric),
// sorted by namespace and table.
func (s *Server) TTLDeletedItems() ([]TTLDeleted, error) {
	var out []TTLDeleted
	for _, t := range s.cat.All() {
		n, err := ttl.DeletedItemCount(s.eng, t.ID)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, TTLDeleted{Namespace: t.Namespace, Table: t.Name, Count: n})
		}
	}
	slices.SortFunc(out, func(a, b TTLDeleted) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Table, b.Table))
	})
	return out, nil
}
