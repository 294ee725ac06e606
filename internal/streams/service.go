package streams

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// Service implements the Streams API and the sequencing and trimming of
// stream records, on one catalog and storage engine. It is safe for
// concurrent use.
type Service struct {
	cat *catalog.Catalog
	eng storage.Engine
	now func() time.Time

	// seq serializes the sequencer per table (seqLock).
	seqMu sync.Mutex
	seq   map[uint64]*sync.Mutex
	// maintainMu runs one Maintain at a time (two trims of one stream
	// could otherwise move its trim point back).
	maintainMu sync.Mutex
}

// New returns the Streams service over cat and eng, with clock now (nil:
// time.Now) for record times, iterator ages and retention.
func New(cat *catalog.Catalog, eng storage.Engine, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{cat: cat, eng: eng, now: now, seq: make(map[uint64]*sync.Mutex)}
}

// MaintainInterval is how often the server runs Maintain.
const MaintainInterval = time.Second

// Maintain sequences the pending records of every table and trims records
// older than Retention; it does the same for the streams of deleted tables
// and deletes them, records and descriptors, once they have expired
// (sweepRetired). The server runs it every MaintainInterval; tests call it
// directly.
func (s *Service) Maintain(ctx context.Context) error {
	s.maintainMu.Lock()
	defer s.maintainMu.Unlock()
	var errs []error
	now := s.now()
	for _, t := range s.cat.All() {
		h := History(t)
		if len(h) == 0 {
			continue
		}
		if err := s.sequence(ctx, t.ID); err != nil {
			errs = append(errs, err)
			continue
		}
		for _, info := range h {
			if err := s.trim(ctx, t.ID, info, now); err != nil {
				errs = append(errs, err)
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if err := s.sweepRetired(ctx, now); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// sweepRetired maintains the streams of deleted tables
// (catalog.RetiredStream): a deleted table's streams are sequenced and
// trimmed like any other while one of them is readable; once none is, its
// stream keys and their descriptors are deleted in one commit.
func (s *Service) sweepRetired(ctx context.Context, now time.Time) error {
	all, err := s.cat.AllRetiredStreams()
	if err != nil {
		return err
	}
	byTable := make(map[uint64][]catalog.RetiredStream)
	var order []uint64
	for _, r := range all {
		if byTable[r.TableID] == nil {
			order = append(order, r.TableID)
		}
		byTable[r.TableID] = append(byTable[r.TableID], r)
	}
	var errs []error
	for _, tid := range order {
		rs := byTable[tid]
		if !slices.ContainsFunc(rs, func(r catalog.RetiredStream) bool { return live(retiredInfo(r), now) }) {
			if err := s.dropRetired(ctx, tid, rs); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		if err := s.sequence(ctx, tid); err != nil {
			errs = append(errs, err)
			continue
		}
		for _, r := range rs {
			if err := s.trim(ctx, tid, retiredInfo(r), now); err != nil {
				errs = append(errs, err)
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return errors.Join(errs...)
}

// dropRetired deletes the stream keys of deleted table tid and the
// descriptors rs of its streams.
func (s *Service) dropRetired(ctx context.Context, tid uint64, rs []catalog.RetiredStream) error {
	mu := s.seqLock(tid) // not while the sequencer runs
	mu.Lock()
	err := s.eng.Update(ctx, nil, func(tx storage.Txn) error {
		lo, hi := keyspace.StreamTable(tid)
		tx.DeleteRange(lo, hi)
		for _, r := range rs {
			tx.Delete(keyspace.RetiredStream(r.Namespace, r.Table, r.Label))
		}
		return nil
	})
	mu.Unlock()
	if err != nil {
		return fmt.Errorf("streams: deleting the streams of a deleted table: %w", err)
	}
	s.seqMu.Lock()
	delete(s.seq, tid)
	s.seqMu.Unlock()
	return nil
}

// Run calls Maintain every interval until ctx ends, reporting failures to
// logf.
func (s *Service) Run(ctx context.Context, interval time.Duration, logf func(error)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := s.Maintain(ctx); err != nil && ctx.Err() == nil {
			logf(err)
		}
	}
}

// trim deletes the records of stream info of table tid created more than
// Retention before now and remembers the highest trimmed sequence number,
// so that reading from there is TrimmedDataAccessException. Its cost is
// proportional to the trimmed records.
func (s *Service) trim(ctx context.Context, tid uint64, info catalog.StreamInfo, now time.Time) error {
	id, err := StreamID(info.Label)
	if err != nil {
		return err
	}
	cutoff := now.Add(-Retention).UnixMilli()
	lower, upper := keyspace.StreamRecords(tid, id, 0, 0)
	it := s.eng.Iter(lower, upper, false)
	var last uint64
	n := 0
	for it.Next() {
		if recordCreated(it.Value()) >= cutoff {
			break
		}
		last, _ = keyspace.ParseStreamRecord(it.Key())
		n++
	}
	if err := it.Err(); err != nil {
		it.Close()
		return fmt.Errorf("streams: trimming: %w", err)
	}
	if err := it.Close(); err != nil {
		return fmt.Errorf("streams: trimming: %w", err)
	}
	if n == 0 {
		return nil
	}
	_, end := keyspace.StreamRecords(tid, id, 0, last+1)
	return s.eng.Update(ctx, nil, func(tx storage.Txn) error {
		tx.DeleteRange(lower, end)
		tx.Set(keyspace.StreamTrim(tid, id), be64(last))
		return nil
	})
}

// trimPoint is the highest trimmed sequence number of stream id of table
// tid (0: nothing trimmed).
func (s *Service) trimPoint(tid, id uint64) (uint64, error) {
	b, ok, err := s.eng.Get(keyspace.StreamTrim(tid, id))
	if err != nil {
		return 0, fmt.Errorf("streams: reading the trim point: %w", err)
	}
	if !ok || len(b) != 8 {
		return 0, nil
	}
	return beUint64(b), nil
}
