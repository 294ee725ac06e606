// Package tables is the control plane: CreateTable, DescribeTable,
// ListTables, UpdateTable and DeleteTable, the tag operations (TagResource,
// UntagResource, ListTagsOfResource), DescribeLimits and DescribeEndpoints,
// one file per operation; table status transitions are in status.go.
//
// Each method does DynamoDB's semantic validation (in DynamoDB's order, with
// its exact messages; the model constraints were already checked by the
// generated Validate in httpapi), then changes the catalog. The catalog owns
// persistence and the table ID; this package owns the DynamoDB rules and the
// TableDescription rendering. It must not touch items except through the
// catalog (DeleteTable) and the per-table counters it reads.
package tables

import (
	"context"
	"fmt"
	"time"

	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/index"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/storage"
)

// Service implements the control-plane operations.
type Service struct {
	cat *catalog.Catalog
	eng storage.Engine
	now func() time.Time
	// status is the transient-status delay and the tables still DELETING
	// (status.go).
	status transitions
	// builder backfills and drops global secondary indexes in the
	// background (index_work.go); stats caches the ItemCount and
	// IndexSizeBytes of large indexes.
	builder *index.Builder
	stats   *index.Stats
	// ttlChanged is called after UpdateTimeToLive changed a table
	// (WithTTLNotify; nil: nobody to tell).
	ttlChanged func()
}

// New returns the control plane over cat, reading counters from eng. It
// resumes the index backfills and deletions a previous run left unfinished.
func New(cat *catalog.Catalog, eng storage.Engine) *Service {
	s := &Service{cat: cat, eng: eng, now: time.Now, builder: index.NewBuilder(cat, eng), stats: index.NewStats()}
	s.builder.Resume()
	return s
}

// WithClock replaces the service's clock (tests).
func (s *Service) WithClock(now func() time.Time) *Service {
	s.now = now
	return s
}

// nowMillis is the current time truncated to milliseconds, the precision
// DynamoDB reports (epoch seconds with a millisecond fraction).
func (s *Service) nowMillis() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

// epoch renders t as DynamoDB's epoch-seconds timestamp, nil when zero.
func epoch(t time.Time) *float64 {
	if t.IsZero() {
		return nil
	}
	v := float64(t.UnixMilli()) / 1000
	return &v
}

func ptr[T any](v T) *T { return &v }

// describe renders t as DynamoDB's TableDescription with the given status
// (CreateTable and DeleteTable report CREATING/DELETING while the stored
// table is already ACTIVE or gone).
func (s *Service) describe(ctx context.Context, t *catalog.Table, status string) (*protocol.TableDescription, error) {
	id := caller.From(ctx)
	d := &protocol.TableDescription{
		TableName:        ptr(t.Name),
		TableArn:         ptr(t.ARN(id.Region, id.Account)),
		TableId:          ptr(t.TableID),
		TableStatus:      ptr(status),
		CreationDateTime: epoch(t.CreatedAt),
	}
	for _, a := range t.AttributeDefinitions {
		d.AttributeDefinitions = append(d.AttributeDefinitions, protocol.AttributeDefinition{
			AttributeName: ptr(a.AttributeName), AttributeType: ptr(a.AttributeType),
		})
	}
	for _, k := range t.KeySchema {
		d.KeySchema = append(d.KeySchema, protocol.KeySchemaElement{
			AttributeName: ptr(k.AttributeName), KeyType: ptr(k.KeyType),
		})
	}

	// Counters are maintained by the data plane in the items' transactions.
	count, size, err := s.counters(t.ID)
	if err != nil {
		return nil, err
	}
	d.ItemCount, d.TableSizeBytes = ptr(count), ptr(size)
	if err := s.describeIndexes(ctx, t, d); err != nil { // indexes.go
		return nil, err
	}

	pt := &protocol.ProvisionedThroughputDescription{
		ReadCapacityUnits:      ptr(t.Throughput.ReadCapacityUnits),
		WriteCapacityUnits:     ptr(t.Throughput.WriteCapacityUnits),
		NumberOfDecreasesToday: ptr(decreasesToday(t.Throughput, s.now())),
		LastIncreaseDateTime:   epoch(t.Throughput.LastIncrease),
		LastDecreaseDateTime:   epoch(t.Throughput.LastDecrease),
	}
	if t.BillingMode == catalog.BillingPayPerRequest {
		pt.ReadCapacityUnits, pt.WriteCapacityUnits = ptr(int64(0)), ptr(int64(0))
	}
	d.ProvisionedThroughput = pt
	// DynamoDB reports BillingModeSummary for on-demand tables and for
	// tables that were ever on-demand; a table created PROVISIONED that never
	// switched has none.
	if t.BillingMode == catalog.BillingPayPerRequest || !t.LastUpdateToPayPerRequest.IsZero() {
		d.BillingModeSummary = &protocol.BillingModeSummary{
			BillingMode:                       ptr(t.BillingMode),
			LastUpdateToPayPerRequestDateTime: epoch(t.LastUpdateToPayPerRequest),
		}
	}

	if t.Stream != nil {
		d.StreamSpecification = &protocol.StreamSpecification{
			StreamEnabled: ptr(true), StreamViewType: ptr(t.Stream.ViewType),
		}
	}
	if t.StreamLabel != "" {
		d.LatestStreamLabel = ptr(t.StreamLabel)
		d.LatestStreamArn = ptr(t.StreamARN(id.Region, id.Account))
	}
	if t.SSE != nil && t.SSE.Enabled {
		key := t.SSE.KMSMasterKeyArn
		if key == "" {
			// The AWS managed key aws/dynamodb of the account.
			key = "arn:aws:kms:" + id.Region + ":" + id.Account + ":key/" + t.TableID
		}
		d.SSEDescription = &protocol.SSEDescription{
			Status: ptr("ENABLED"), SSEType: ptr("KMS"), KMSMasterKeyArn: ptr(key),
		}
	}
	if t.TableClass != "" {
		d.TableClassSummary = &protocol.TableClassSummary{
			TableClass: ptr(t.TableClass), LastUpdateDateTime: epoch(t.TableClassUpdateTime),
		}
	}
	setDeletionProtection(d, t.DeletionProtection)
	return d, nil
}

// counters reads the table's item count and size.
func (s *Service) counters(tid uint64) (count, size int64, err error) {
	c, _, err := s.eng.Get(keyspace.ItemCount(tid))
	if err != nil {
		return 0, 0, fmt.Errorf("tables: reading item count: %w", err)
	}
	z, _, err := s.eng.Get(keyspace.TableSize(tid))
	if err != nil {
		return 0, 0, fmt.Errorf("tables: reading table size: %w", err)
	}
	return storage.ReadInt64(c), storage.ReadInt64(z), nil
}

// decreasesToday is the number of throughput decreases in the current UTC
// day: the stored count is of the day of the last decrease.
func decreasesToday(tp catalog.Throughput, now time.Time) int64 {
	if tp.LastDecrease.IsZero() || !sameUTCDay(tp.LastDecrease, now) {
		return 0
	}
	return tp.NumberOfDecreasesToday
}

func sameUTCDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}

// streamLabel is the label of a stream enabled at t: its creation time,
// as DynamoDB formats it (e.g. "2024-05-01T10:20:30.123").
func streamLabel(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000") }
