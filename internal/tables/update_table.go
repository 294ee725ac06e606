package tables

import (
	"context"
	"fmt"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/streams"
)

// UpdateTable changes a table's billing mode, provisioned throughput, stream,
// SSE, table class or deletion protection. The change is effective at once;
// the response reports UPDATING as DynamoDB's does, and DescribeTable too
// until the transient delay has passed (status.go). A table that is not
// ACTIVE cannot be updated (ResourceInUseException).
func (s *Service) UpdateTable(ctx context.Context, in *protocol.UpdateTableInput) (*protocol.UpdateTableOutput, error) {
	if err := checkUpdate(in); err != nil {
		return nil, err
	}
	cur, err := s.lookup(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	if err := s.inUse(cur); err != nil {
		return nil, err
	}
	name, _ := catalog.NameFromARN(str(in.TableName))
	now := s.nowMillis()
	var statuses map[string]string // of the indexes this call changes
	t, err := s.cat.Update(ctx, caller.From(ctx).Namespace, name, func(t *catalog.Table) error {
		if err := s.inUse(t); err != nil {
			return err
		}
		wasBilling := t.BillingMode
		if err := applyUpdate(t, in, now); err != nil {
			return err
		}
		if statuses, err = applyIndexUpdates(t, in, wasBilling, now); err != nil {
			return err
		}
		t.Status, t.StatusUntil = s.transient(catalog.StatusUpdating, now)
		return nil
	})
	if err != nil {
		if e, ok := apierr.As(err); ok && e.Code == "ResourceNotFoundException" && e.Message == "Requested resource not found" && !isIndexNotFound(err) {
			return nil, tableNotFound(name)
		}
		return nil, err
	}
	s.startIndexWork(t)
	d, err := s.describe(ctx, t, catalog.StatusUpdating)
	if err != nil {
		return nil, err
	}
	setIndexStatuses(d, statuses)
	return &protocol.UpdateTableOutput{TableDescription: d}, nil
}

// checkUpdate runs the checks that do not depend on the table.
func checkUpdate(in *protocol.UpdateTableInput) error {
	if err := checkTableNameOrARN(in.TableName); err != nil {
		return err
	}
	if in.BillingMode == nil && in.ProvisionedThroughput == nil && in.GlobalSecondaryIndexUpdates == nil &&
		in.StreamSpecification == nil && in.SSESpecification == nil && in.ReplicaUpdates == nil &&
		in.TableClass == nil && updateDeletionProtection(in) == nil {
		return apierr.Validation(msgNothingToUpdate)
	}
	if in.StreamSpecification != nil {
		if _, err := streamSpec(in.StreamSpecification); err != nil {
			return err
		}
	}
	if str(in.BillingMode) == catalog.BillingPayPerRequest && in.ProvisionedThroughput != nil {
		return apierr.Validation(msgPayPerRequestPT)
	}
	if in.ProvisionedThroughput != nil {
		if err := throughputValues(in.ProvisionedThroughput); err != nil {
			return err
		}
	}
	if err := checkIndexUpdates(in.GlobalSecondaryIndexUpdates); err != nil { // index_updates.go
		return err
	}
	if in.ReplicaUpdates != nil {
		return apierr.Validation(msgReplicasUnsupported)
	}
	return nil
}

// checkTableNameOrARN accepts a valid table name or any ARN (a missing
// table is reported later).
func checkTableNameOrARN(name *string) error {
	if name != nil {
		if _, ok := catalog.NameFromARN(*name); ok && len(*name) > 4 && (*name)[:4] == "arn:" {
			return nil
		}
	}
	return checkTableName(name)
}

// applyUpdate applies in to a copy of the table, with the checks that
// depend on the table's current state, in DynamoDB's order.
func applyUpdate(t *catalog.Table, in *protocol.UpdateTableInput, now time.Time) error {
	target := t.BillingMode
	if in.BillingMode != nil {
		target = *in.BillingMode
	}
	switch target {
	case catalog.BillingPayPerRequest:
		if in.ProvisionedThroughput != nil {
			return apierr.Validation(msgPayPerRequestPT)
		}
		if t.BillingMode != catalog.BillingPayPerRequest {
			t.BillingMode = catalog.BillingPayPerRequest
			t.LastUpdateToPayPerRequest = now
			t.Throughput.ReadCapacityUnits, t.Throughput.WriteCapacityUnits = 0, 0
		}
	case catalog.BillingProvisioned:
		pt := in.ProvisionedThroughput
		if t.BillingMode == catalog.BillingPayPerRequest {
			if pt == nil {
				return apierr.Validation(msgProvisionedNeedsPT)
			}
			t.BillingMode = catalog.BillingProvisioned
			t.Throughput.ReadCapacityUnits = *pt.ReadCapacityUnits
			t.Throughput.WriteCapacityUnits = *pt.WriteCapacityUnits
		} else if pt != nil {
			if err := changeThroughput(&t.Throughput, *pt.ReadCapacityUnits, *pt.WriteCapacityUnits, now); err != nil {
				return err
			}
		}
	}

	if in.StreamSpecification != nil {
		st, err := streamSpec(in.StreamSpecification)
		if err != nil {
			return err
		}
		switch {
		case st != nil && t.Stream != nil:
			// AWS documents ResourceInUseException here (errors.md D50);
			// DynamoDB Local's text.
			return apierr.ResourceInUse(msgStreamAlreadyOn)
		case st == nil && t.Stream == nil:
			return apierr.Validation(msgNoStreamToDisable)
		case st != nil:
			streams.Enable(t, st.ViewType, now) // a new stream, with a new label
		default:
			streams.Disable(t, now) // LatestStreamLabel/Arn keep naming the old stream
		}
	}
	if in.SSESpecification != nil {
		t.SSE = sseSpec(in.SSESpecification)
	}
	if in.TableClass != nil {
		t.TableClass, t.TableClassUpdateTime = *in.TableClass, now
	}
	if dp := updateDeletionProtection(in); dp != nil {
		t.DeletionProtection = *dp
	}
	return nil
}

// changeThroughput sets a provisioned table's throughput, recording
// increases and decreases as DescribeTable reports them.
func changeThroughput(tp *catalog.Throughput, r, w int64, now time.Time) error {
	if r == tp.ReadCapacityUnits && w == tp.WriteCapacityUnits {
		return apierr.Validation(fmt.Sprintf("The provisioned throughput for the table will not change. The requested value equals the current value. "+
			"Current ReadCapacityUnits provisioned for the table: %d. Requested ReadCapacityUnits: %d. "+
			"Current WriteCapacityUnits provisioned for the table: %d. Requested WriteCapacityUnits: %d. "+
			"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
			tp.ReadCapacityUnits, r, tp.WriteCapacityUnits, w))
	}
	if r > tp.ReadCapacityUnits || w > tp.WriteCapacityUnits {
		tp.LastIncrease = now
	}
	if r < tp.ReadCapacityUnits || w < tp.WriteCapacityUnits {
		// The daily decrease quota (limits.md section 5) is counted but not
		// enforced (README: known differences).
		tp.NumberOfDecreasesToday = decreasesToday(*tp, now) + 1
		tp.LastDecrease = now
	}
	tp.ReadCapacityUnits, tp.WriteCapacityUnits = r, w
	return nil
}
