package items

import (
	"context"

	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/storage"
)

// Service implements the item operations on one catalog and storage engine.
// It holds no per-request state and is safe for concurrent use.
type Service struct {
	cat *catalog.Catalog
	eng storage.Engine
	// clock is the time source (tests inject a fake one instead of sleeping).
	clock clock
	// tokens remembers TransactWriteItems ClientRequestTokens for their
	// 10-minute idempotency window (idempotency.go).
	tokens *idempotency
	// txnItems holds the items of the write transactions in flight, for
	// TransactionConflict (transact_conflict.go).
	txnItems *txnItems
	// exprs caches the parses of recent expression texts, which clients
	// repeat request after request (expr.Cache).
	exprs *expr.Cache
}

// New returns the item service over cat and eng.
func New(cat *catalog.Catalog, eng storage.Engine) *Service {
	s := &Service{cat: cat, eng: eng, clock: systemClock{}, exprs: expr.NewCache()}
	s.tokens = newIdempotency(s.clock, maxIdempotencyTokens)
	s.txnItems = newTxnItems(s.clock, conflictWait)
	return s
}

// table resolves the request's table name (or ARN) in the caller's
// namespace. A missing table is apierr.TableNotFound (errors.md F33).
func (s *Service) table(ctx context.Context, name *string) (*catalog.Table, error) {
	n := ""
	if name != nil {
		n = *name
	}
	return s.cat.Get(caller.From(ctx).Namespace, n)
}
