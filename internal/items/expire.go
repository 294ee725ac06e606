package items

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
)

// errNotExpired aborts an Expire write whose item is no longer expired.
var errNotExpired = errors.New("items: item is not expired")

// Expire deletes the item stored under storage key key of table t, if
// expired holds for it inside the write's lock, and reports whether it did.
// It is the TTL expirer's deletion (package ttl): it goes through the single
// write path, so the table counters, secondary indexes, expiry index and
// stream stay right, and the deletion is service-authored (its stream record
// carries userIdentity dynamodb.amazonaws.com). The re-check under the lock
// makes an item updated or deleted since the expirer found it survive.
func (s *Service) Expire(ctx context.Context, t *catalog.Table, key []byte, expired func(attr.Item) bool) (bool, error) {
	raw, ok, err := s.eng.Get(key)
	if err != nil {
		return false, fmt.Errorf("items: expire: reading item: %w", err)
	}
	if !ok {
		return false, nil
	}
	item, err := attr.DecodeItem(raw)
	if err != nil {
		return false, fmt.Errorf("items: expire: decoding item: %w", err)
	}
	k, err := keyFromItem(t, item)
	if err != nil {
		return false, fmt.Errorf("items: expire: stored item has no valid key: %w", err)
	}
	if !bytes.Equal(k.storage, key) {
		return false, fmt.Errorf("items: expire: stored item's key does not match its storage key %x", key)
	}
	w := writeReq{
		table: t,
		key:   &k,
		mutate: func(old attr.Item) (attr.Item, error) {
			if old == nil || !expired(old) {
				return nil, errNotExpired
			}
			return nil, nil
		},
		byService: true,
	}
	if _, err := s.write(ctx, &w); err != nil {
		if errors.Is(err, errNotExpired) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}
