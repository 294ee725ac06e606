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
// current time. Pending records are taken in hint order (for writes that
// did not overlap, their commit order); for each, under its item's lock,
// the item's pending records up to it are sequenced in the item's order (an
// older one may have become visible after the scan passed its hint). So
// records of one item keep their order, and a record becomes readable only
// with a sequence number above every one already readable — which is what
// a reader following shard iterators needs.
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
			b := batch{tid: tid, next: next, created: created, hints: make(map[string][]uint64), started: make(map[uint64]bool)}
			for i, item := range items {
				ts, _, _ := keyspace.ParseStreamPending(pending[i])
				if err := b.sequenceItem(tx, item, ts); err != nil {
					return err
				}
			}
			next = b.next
			tx.Set(keyspace.StreamNext(tid), be64(next))
			return nil
		})
		if err != nil {
			return fmt.Errorf("streams: sequencing: %w", err)
		}
		lower = append(pending[len(pending)-1], 0)
	}
}

// batch is the state of one sequencer commit.
type batch struct {
	tid     uint64
	next    uint64 // the next sequence number
	created int64  // the records' creation time, Unix milliseconds
	// hints holds the pending hints left per item (by StreamItemPending
	// key) after this commit: its reads see committed data only.
	hints map[string][]uint64
	// started holds the streams known to have a recorded start.
	started map[uint64]bool
}

// sequenceItem sequences, in order, the pending records of the item stored
// under itemKey up to hint upTo: the one the scan met and any older one the
// scan missed because it became visible after the scan passed its hint.
// Newer ones wait for their own turn, so that records of different items
// keep the order of their hints. The first record of a stream records the
// stream's start (keyspace.StreamStart). The caller holds the item's lock.
func (b *batch) sequenceItem(tx storage.Txn, itemKey []byte, upTo uint64) error {
	byItem := keyspace.StreamItemPending(b.tid, itemKey)
	hints, ok := b.hints[string(byItem)]
	if !ok {
		raw, _, err := tx.Get(byItem)
		if err != nil {
			return fmt.Errorf("streams: reading pending records: %w", err)
		}
		for ; len(raw) >= 8; raw = raw[8:] {
			hints = append(hints, beUint64(raw))
		}
	}
	removed := false // the item's last record sequenced here is a REMOVE
	for len(hints) > 0 && hints[0] <= upTo {
		ts := hints[0]
		hints = hints[1:]
		pk := keyspace.StreamPending(b.tid, ts, itemKey)
		raw, ok, err := tx.Get(pk)
		if err != nil {
			return fmt.Errorf("streams: reading pending record: %w", err)
		}
		if ok && len(raw) >= recordHeader {
			setCreated(raw, b.created)
			id := recordStream(raw)
			if !b.started[id] {
				k := keyspace.StreamStart(b.tid, id)
				if _, ok, err := tx.Get(k); err != nil {
					return fmt.Errorf("streams: reading a stream start: %w", err)
				} else if !ok {
					tx.Set(k, be64(b.next))
				}
				b.started[id] = true
			}
			tx.Set(keyspace.StreamRecord(b.tid, id, b.next), raw)
			b.next++
			removed = raw[2] == eventRemove
		}
		tx.Delete(pk)
	}
	b.hints[string(byItem)] = hints
	if len(hints) == 0 {
		// An empty list stays while the item exists: finding a tombstone
		// would make the next write's Get skip the key's older versions.
		if removed {
			tx.Delete(byItem)
		} else {
			tx.Set(byItem, nil)
		}
		return nil
	}
	var v []byte
	for _, h := range hints {
		v = binary.BigEndian.AppendUint64(v, h)
	}
	tx.Set(byItem, v)
	return nil
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
