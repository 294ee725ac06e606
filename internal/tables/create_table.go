package tables

import (
	"context"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

// CreateTable creates a table. The response reports CREATING as DynamoDB's
// does; the table is ACTIVE at once, or after the transient delay
// (status.go), so SDK waiters work either way.
func (s *Service) CreateTable(ctx context.Context, in *protocol.CreateTableInput) (*protocol.CreateTableOutput, error) {
	t, err := s.prepareCreate(in)
	if err != nil {
		return nil, err
	}
	t.Namespace = caller.From(ctx).Namespace
	if err := s.checkCreatable(t.Namespace, t.Name); err != nil {
		return nil, err
	}
	t.Status, t.StatusUntil = s.transient(catalog.StatusCreating, t.CreatedAt)
	t, err = s.cat.Create(ctx, t)
	if err != nil {
		return nil, err
	}
	d, err := s.describe(ctx, t, catalog.StatusCreating)
	if err != nil {
		return nil, err
	}
	setIndexStatuses(d, creatingIndexes(t)) // the GSIs are CREATING with the table
	return &protocol.CreateTableOutput{TableDescription: d}, nil
}

// prepareCreate runs CreateTable's semantic checks in DynamoDB's order and
// builds the table to store.
func (s *Service) prepareCreate(in *protocol.CreateTableInput) (*catalog.Table, error) {
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	ks, err := keySchema(in.KeySchema)
	if err != nil {
		return nil, err
	}
	defs, err := attributeDefinitions(in.AttributeDefinitions)
	if err != nil {
		return nil, err
	}
	if err := keysDefined(ks, defs); err != nil {
		return nil, err
	}
	if in.LocalSecondaryIndexes != nil && len(in.LocalSecondaryIndexes) == 0 {
		return nil, apierr.Validation(msgLSIListEmpty)
	}
	if in.GlobalSecondaryIndexes != nil && len(in.GlobalSecondaryIndexes) == 0 {
		return nil, apierr.Validation(msgGSIListEmpty)
	}
	billing := str(in.BillingMode)
	if billing == "" {
		billing = catalog.BillingProvisioned
	}
	indexes, err := createIndexes(in, ks, defs, billing) // indexes.go
	if err != nil {
		return nil, err
	}
	if keyAttributeCount(ks, indexes) != len(defs) {
		return nil, apierr.Validation(msgAttrCountMismatch) // D10
	}

	now := s.nowMillis()
	t := &catalog.Table{
		Name:                 *in.TableName,
		Status:               catalog.StatusActive,
		CreatedAt:            now,
		KeySchema:            ks,
		AttributeDefinitions: defs,
		BillingMode:          str(in.BillingMode),
		Indexes:              indexes,
		IndexSeq:             uint32(len(indexes)),
	}
	switch t.BillingMode {
	case catalog.BillingPayPerRequest:
		if in.ProvisionedThroughput != nil {
			return nil, apierr.Validation(msgPayPerRequestPT)
		}
		t.LastUpdateToPayPerRequest = now
	default:
		t.BillingMode = catalog.BillingProvisioned
		if in.ProvisionedThroughput == nil {
			return nil, apierr.Validation(msgNoThroughput)
		}
		if err := throughputValues(in.ProvisionedThroughput); err != nil {
			return nil, err
		}
		t.Throughput.ReadCapacityUnits = *in.ProvisionedThroughput.ReadCapacityUnits
		t.Throughput.WriteCapacityUnits = *in.ProvisionedThroughput.WriteCapacityUnits
	}
	if in.StreamSpecification != nil {
		st, err := streamSpec(in.StreamSpecification)
		if err != nil {
			return nil, err
		}
		if st != nil {
			t.Stream = st
			t.StreamLabel = streamLabel(now)
		}
	}
	t.SSE = sseSpec(in.SSESpecification)
	if c := str(in.TableClass); c != "" {
		t.TableClass, t.TableClassUpdateTime = c, now
	}
	if dp := createDeletionProtection(in); dp != nil {
		t.DeletionProtection = *dp
	}
	if len(in.Tags) > 0 {
		// The tag rules of TagResource (tag_resource.go).
		if err := checkTags(in.Tags); err != nil {
			return nil, err
		}
		t.Tags = make(map[string]string, len(in.Tags))
		for _, tag := range in.Tags {
			t.Tags[str(tag.Key)] = str(tag.Value)
		}
		if len(t.Tags) > maxTags {
			return nil, apierr.Validation(msgTooManyTags)
		}
	}
	return t, nil
}
