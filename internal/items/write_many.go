package items

import (
	"context"
	"errors"
	"slices"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/storage"
)

// errDeclined makes writeMany's storage Update write nothing after a write
// was refused; it never leaves writeMany.
var errDeclined = errors.New("items: multi-item write declined")

// writeMany runs prepared writes on distinct items as ONE storage Update
// locked on all their keys, and so as one atomic, durable commit (one sync
// on disk): BatchWriteItem's writes and a TransactWriteItems transaction.
//
// Every write is first decided (old item read, condition evaluated, new
// item computed: decide, as for a single write), and only if every
// decision succeeds are they all applied (apply: item, counters and
// effects for each changed item). The storage engine takes the item locks
// in a deadlock-free order, so the whole group is serializable against
// every single-item write and every other group.
//
// When a decision fails with a client error (*apierr.Error: a failed
// condition, an invalid update; or an effect refuses a new item), nothing is written and refused holds one
// entry per write: nil for writes that would have succeeded, the error for
// the others (every write is decided, so that a transaction can report a
// reason for each action). err is for everything else (storage failures,
// a cancelled ctx), after which nothing is written either. The results are
// those decided, valid when both refused and err are nil.
func (s *Service) writeMany(ctx context.Context, ws []writeReq) (res []writeResult, refused []error, err error) {
	keys := make([][]byte, len(ws))
	for i := range ws {
		keys[i] = ws[i].key.storage
	}
	// In flight on each table's current version until the commit has
	// returned, as for a single write (write.go).
	var begun []*catalog.Table
	for i := range ws {
		if !slices.ContainsFunc(begun, func(v *catalog.Table) bool { return v.ID == ws[i].table.ID }) {
			begun = append(begun, ws[i].table.BeginWrite())
		}
	}
	defer func() {
		for _, v := range begun {
			v.EndWrite()
		}
	}()
	res = make([]writeResult, len(ws))
	err = s.eng.Update(ctx, keys, func(tx storage.Txn) error {
		refused = nil
		for i := range ws {
			r, err := decide(tx, &ws[i])
			if err != nil {
				if _, ok := apierr.As(err); !ok {
					return err
				}
				if refused == nil {
					refused = make([]error, len(ws))
				}
				refused[i] = err
			}
			res[i] = r
		}
		if refused != nil {
			return errDeclined
		}
		for i := range ws {
			if err := apply(tx, &ws[i], &res[i]); err != nil {
				if _, ok := apierr.As(err); ok {
					// An effect refused the new item (say, an invalid
					// index key): the whole group is refused.
					refused = make([]error, len(ws))
					refused[i] = err
					return errDeclined
				}
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errDeclined) {
		err = nil
	} else if err != nil {
		refused = nil
	}
	return res, refused, err
}
