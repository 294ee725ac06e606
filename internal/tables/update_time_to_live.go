package tables

import (
	"context"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/ttl"
)

// UpdateTimeToLive's messages (errors.md section E). "already disabled" is
// not documented; it follows the wording of "already enabled".
const (
	msgTTLAlreadyOn  = "TimeToLive is already enabled"
	msgTTLAlreadyOff = "TimeToLive is already disabled"
	msgTTLOtherAttr  = "TimeToLive is active on a different AttributeName"
	msgTTLTooOften   = "Time to live has been modified multiple times within a fixed interval"
)

// TTLChangeInterval is how often a table's TTL setting may change
// (limits.md section 10: once per hour).
const TTLChangeInterval = time.Hour

// WithTTLNotify makes UpdateTimeToLive call f after each change, so that
// the expirer (ttl.Sweeper.Kick) starts the ENABLING or DISABLING work at
// once. It must be called before the service is shared.
func (s *Service) WithTTLNotify(f func()) *Service {
	s.ttlChanged = f
	return s
}

// UpdateTimeToLive enables or disables time to live on a table. Enabling
// puts the table in ENABLING until the expirer has indexed the items
// already there; disabling puts it in DISABLING until the expirer has
// dropped the index (package ttl). One attribute per table; a second change
// within an hour of the last is refused, as on DynamoDB.
func (s *Service) UpdateTimeToLive(ctx context.Context, in *protocol.UpdateTimeToLiveInput) (*protocol.UpdateTimeToLiveOutput, error) {
	spec := in.TimeToLiveSpecification
	enable, name := *spec.Enabled, *spec.AttributeName
	cur, err := s.lookup(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	if err := s.inUse(cur); err != nil {
		return nil, err
	}
	now := s.nowMillis()
	_, err = s.cat.Update(ctx, caller.From(ctx).Namespace, cur.Name, func(t *catalog.Table) error {
		return applyTTL(t, enable, name, now)
	})
	if err != nil {
		if e, ok := apierr.As(err); ok && e.Code == "ResourceNotFoundException" {
			return nil, tableNotFound(cur.Name)
		}
		return nil, err
	}
	if s.ttlChanged != nil {
		s.ttlChanged()
	}
	return &protocol.UpdateTimeToLiveOutput{
		TimeToLiveSpecification: &protocol.TimeToLiveSpecification{Enabled: ptr(enable), AttributeName: ptr(name)},
	}, nil
}

// applyTTL checks a TTL change against the table's setting, in DynamoDB's
// order, and applies it to t (a copy being updated).
func applyTTL(t *catalog.Table, enable bool, name string, now time.Time) error {
	cur := t.TTL
	on := cur != nil && cur.Enabled // ENABLING or ENABLED
	switch {
	case enable && on && cur.AttributeName == name:
		return apierr.Validation(msgTTLAlreadyOn)
	case on && cur.AttributeName != name:
		return apierr.Validation(msgTTLOtherAttr)
	case !enable && !on:
		return apierr.Validation(msgTTLAlreadyOff)
	}
	if cur != nil && !cur.Updated.IsZero() && now.Sub(cur.Updated) < TTLChangeInterval {
		return apierr.Validation(msgTTLTooOften)
	}
	t.TTL = &catalog.TTL{AttributeName: name, Enabled: enable, Transition: true, Updated: now}
	return nil
}

// ttlStatus is the table's TimeToLiveStatus.
func ttlStatus(t *catalog.Table) string { return ttl.Status(t.TTL) }
