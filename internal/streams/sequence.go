package streams

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// sequenceBatch bounds the pending records (and so the item locks) one
// sequencer commit takes.
const sequenceBatch = 256

// seqLock returns the mutex serializing the sequencer of table tid.
func (s *Service) seqLock(tid uint64) *sync.Mutex {
	s.seqMu.Lock()
	defer s.seqMu.Unlock()
	mu := s.seq[tid]
	if mu == nil {
		mu = new(sync.Mutex)
		s.seq[tid] = mu
	}
	return mu
}

// sequence gives every pending record of table tid visible now its
// sequence number and moves it into its stream's log, stamped with the
// current time. Pending records are taken in hint order; for each, under
// its item's lock, every pending record of that item is sequenced in the
// item's order (an older one may have become visible after the scan passed
// its hint). So records of one item keep their order, and a record becomes
// readable only with a sequence number above every one already readable —
// which is what a reader following shard iterators needs.
func (s *Service) sequence(ctx context.Context, tid uint64) error {
	mu := s.seqLock(tid)
	mu.Lock()
	defer mu.Unlock()
	lower, upper := keyspace.StreamPendingRange(tid)
	for {
		pending, err := collectKeys(s.eng, lower, upper, sequenceBatch)
		if err != nil || len(pending) == 0 {
			return err
		}
		items := make([][]byte, len(pending))
		for i, k := range pending {
			_, items[i], _ = keyspace.ParseStreamPending(k)
		}
		err = s.eng.Update(ctx, items, func(tx storage.Txn) error {
			next, err := NextSequence(tx, tid)
			if err != nil {
				return err
			}
			created := s.now().UnixMilli()
			started := make(map[uint64]bool) // streams whose start is known
			// The txn reads committed data only: an item met twice in the
			// batch must be sequenced once.
			seen := make(map[string]bool, len(items))
			for _, item := range items {
				if seen[string(item)] {
					continue
				}
				seen[string(item)] = true
				if next, err = sequenceItem(tx, tid, item, next, created, started); err != nil {
					return err
				}
			}
			tx.Set(keyspace.StreamNext(tid), be64(next))
			return nil
		})
		if err != nil {
			return fmt.Errorf("streams: sequencing: %w", err)
		}
		lower = append(pending[len(pending)-1], 0)
	}
}

// sequenceItem sequences, in order, the pending records of the item stored
// under itemKey, numbering them from next; it returns the next free number.
// The first record of a stream records the stream's start
// (keyspace.StreamStart); started caches the streams known to have one.
// The caller holds the item's lock.
func sequenceItem(tx storage.Txn, tid uint64, itemKey []byte, next uint64, created int64, started map[uint64]bool) (uint64, error) {
	lower, upper := keyspace.StreamItemPendingRange(tid, itemKey)
	it := tx.Iter(lower, upper, false)
	var hints []uint64
	for it.Next() {
		if ts, ok := keyspace.ParseStreamItemPending(it.Key()); ok {
			hints = append(hints, ts)
		}
	}
	err := it.Err()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return next, fmt.Errorf("streams: reading pending records: %w", err)
	}
	for _, ts := range hints {
		byItem := keyspace.StreamItemPending(tid, itemKey, ts)
		pk := keyspace.StreamPending(tid, ts, itemKey)
		raw, ok, err := tx.Get(pk)
		if err != nil {
			return next, fmt.Errorf("streams: reading pending record: %w", err)
		}
		if ok && len(raw) >= recordHeader {
			setCreated(raw, created)
			id := recordStream(raw)
			if !started[id] {
				k := keyspace.StreamStart(tid, id)
				if _, ok, err := tx.Get(k); err != nil {
					return next, fmt.Errorf("streams: reading a stream start: %w", err)
				} else if !ok {
					tx.Set(k, be64(next))
				}
				started[id] = true
			}
			tx.Set(keyspace.StreamRecord(tid, id, next), raw)
			next++
		}
		tx.Delete(pk)
		tx.Delete(byItem)
	}
	return next, nil
}

// collectKeys returns up to n keys of [lower, upper), copied.
func collectKeys(r storage.Reader, lower, upper []byte, n int) ([][]byte, error) {
	it := r.Iter(lower, upper, false)
	var keys [][]byte
	for len(keys) < n && it.Next() {
		keys = append(keys, append([]byte(nil), it.Key()...))
	}
	if err := it.Err(); err != nil {
		it.Close()
		return nil, err
	}
	return keys, it.Close()
}

func be64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func beUint64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }
