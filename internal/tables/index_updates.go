package tables

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

// UpdateTable's GlobalSecondaryIndexUpdates: Create (the index is CREATING
// until the background backfill of index.Builder makes it ACTIVE), Update
// (provisioned throughput) and Delete (DELETING until the builder has
// removed its entries). DynamoDB allows one Create or Delete per call and
// none while another index is being created or deleted (limits.md §5).

// checkIndexUpdates runs the checks of GlobalSecondaryIndexUpdates that do
// not depend on the table (errors.md D39, D40).
func checkIndexUpdates(ups []protocol.GlobalSecondaryIndexUpdate) error {
	online := 0
	for _, u := range ups {
		n := 0
		for _, set := range []bool{u.Create != nil, u.Update != nil, u.Delete != nil} {
			if set {
				n++
			}
		}
		switch {
		case n == 0:
			return apierr.Validation(msgGSIActionNull)
		case n > 1:
			return apierr.LimitExceeded(msgOneIndexAtATime)
		}
		if u.Create != nil || u.Delete != nil {
			online++
		}
	}
	if online > 1 {
		return apierr.LimitExceeded(msgOneIndexAtATime)
	}
	return nil
}

// applyIndexUpdates applies in's GlobalSecondaryIndexUpdates to t (a copy
// being updated, whose billing mode applyUpdate has already changed from
// wasBilling) and returns the statuses UpdateTable's response reports for
// the indexes it changed.
func applyIndexUpdates(t *catalog.Table, in *protocol.UpdateTableInput, wasBilling string, now time.Time) (map[string]string, error) {
	statuses := make(map[string]string)
	online := slices.ContainsFunc(in.GlobalSecondaryIndexUpdates, func(u protocol.GlobalSecondaryIndexUpdate) bool {
		return u.Create != nil || u.Delete != nil
	})
	if online && slices.ContainsFunc(t.Indexes, func(ix catalog.Index) bool {
		return ix.Status == catalog.StatusCreating || ix.Status == catalog.StatusDeleting
	}) {
		return nil, apierr.LimitExceeded(msgOneIndexAtATime)
	}
	given := make(map[string]bool) // GSIs given a throughput by this call
	for _, u := range in.GlobalSecondaryIndexUpdates {
		var err error
		switch {
		case u.Update != nil:
			err = updateIndexThroughput(t, u.Update, now)
			if err == nil {
				given[str(u.Update.IndexName)] = true
				statuses[str(u.Update.IndexName)] = catalog.StatusUpdating
			}
		case u.Delete != nil:
			ix := t.Index(str(u.Delete.IndexName))
			if ix == nil || !ix.Global {
				return nil, indexNotFound()
			}
			ix.Status = catalog.StatusDeleting
			statuses[ix.Name] = catalog.StatusDeleting
		case u.Create != nil:
			err = createIndex(t, u.Create, in.AttributeDefinitions)
			if err == nil {
				given[str(u.Create.IndexName)] = true
				statuses[str(u.Create.IndexName)] = catalog.StatusCreating
			}
		}
		if err != nil {
			return nil, err
		}
	}
	switch {
	case t.BillingMode == catalog.BillingPayPerRequest && wasBilling != catalog.BillingPayPerRequest:
		for i := range t.Indexes {
			t.Indexes[i].Throughput.ReadCapacityUnits, t.Indexes[i].Throughput.WriteCapacityUnits = 0, 0
		}
	case t.BillingMode == catalog.BillingProvisioned && wasBilling == catalog.BillingPayPerRequest:
		// Every GSI needs its own throughput once the table is provisioned.
		for _, ix := range t.Indexes {
			if ix.Global && ix.Status != catalog.StatusDeleting && !given[ix.Name] {
				return nil, apierr.Validation(msgGSINeedsThroughput + ix.Name)
			}
		}
	}
	return statuses, nil
}

// updateIndexThroughput is an Update action: a GSI's new provisioned
// throughput, with the table-level rules (throughputValues, no-op change).
func updateIndexThroughput(t *catalog.Table, u *protocol.UpdateGlobalSecondaryIndexAction, now time.Time) error {
	name := str(u.IndexName)
	ix := t.Index(name)
	if ix == nil || !ix.Global {
		return indexNotFound()
	}
	if ix.Status == catalog.StatusDeleting {
		return apierr.ResourceInUse(msgIndexUpdateDeleting + name)
	}
	pt := u.ProvisionedThroughput
	if t.BillingMode == catalog.BillingPayPerRequest {
		return apierr.Validationf(msgGSIPayPerRequestPT, name)
	}
	if pt == nil {
		return apierr.Validation(msgGSINoThroughput)
	}
	if err := throughputValues(pt); err != nil {
		return err
	}
	tp := &ix.Throughput
	r, w := *pt.ReadCapacityUnits, *pt.WriteCapacityUnits
	if tp.ReadCapacityUnits == 0 && tp.WriteCapacityUnits == 0 {
		// Switching from on-demand: the first throughput, not a change.
		tp.ReadCapacityUnits, tp.WriteCapacityUnits = r, w
		return nil
	}
	if r == tp.ReadCapacityUnits && w == tp.WriteCapacityUnits {
		return apierr.Validation(fmt.Sprintf("The provisioned throughput for the index %s will not change. The requested value equals the current value. "+
			"Current ReadCapacityUnits provisioned for the index %s: %d. Requested ReadCapacityUnits: %d. "+
			"Current WriteCapacityUnits provisioned for the index %s: %d. Requested WriteCapacityUnits: %d. "+
			"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
			name, name, tp.ReadCapacityUnits, r, name, tp.WriteCapacityUnits, w))
	}
	return changeThroughput(tp, r, w, now)
}

// createIndex is a Create action: it validates the new GSI against the
// table (attribute definitions merged with the request's, name, count,
// projected-attribute total, billing mode) and adds it CREATING.
func createIndex(t *catalog.Table, c *protocol.CreateGlobalSecondaryIndexAction, reqDefs []protocol.AttributeDefinition) error {
	name := str(c.IndexName)
	if t.Index(name) != nil {
		return apierr.Validation(msgIndexExists)
	}
	if len(reqDefs) == 0 {
		return apierr.Validation(msgNoAttrSchema) // errors.md D38
	}
	newDefs, err := attributeDefinitions(reqDefs)
	if err != nil {
		return err
	}
	defs := append([]catalog.AttributeDefinition(nil), t.AttributeDefinitions...)
	for _, d := range newDefs {
		switch typ := definedType(defs, d.AttributeName); {
		case typ == "":
			defs = append(defs, d)
		case typ != d.AttributeType:
			return apierr.Validationf(msgAttrDefConflict, d.AttributeName, typ)
		}
	}
	ix, err := globalIndex(c.IndexName, c.KeySchema, c.Projection, c.ProvisionedThroughput, defs, t.BillingMode)
	if err != nil {
		return err
	}
	globals, projected := 1, len(ix.Projection.NonKeyAttributes)
	for _, o := range t.Indexes {
		if o.Global {
			globals++
		}
		projected += len(o.Projection.NonKeyAttributes)
	}
	if globals > maxGlobalIndexes {
		return apierr.Validation(msgTooManyGSIs)
	}
	if projected > maxProjectedAttrs {
		return apierr.Validationf(msgTooManyProjected, projected)
	}
	all := append(slices.Clone(t.Indexes), ix)
	if keyAttributeCount(t.KeySchema, all) != len(defs) {
		return apierr.Validation(msgAttrCountMismatch) // a definition no key uses (D10)
	}
	t.IndexSeq++
	ix.ID = t.IndexSeq
	ix.Status, ix.Online, ix.Backfilling = catalog.StatusCreating, true, false
	t.Indexes = all
	t.Indexes[len(all)-1] = ix
	t.AttributeDefinitions = defs
	return nil
}

// indexNotFoundError is errors.md D37 for an index UpdateTable does not
// find. It has the text of the catalog's missing-table error, so it is
// wrapped for UpdateTable to tell the two apart (isIndexNotFound).
type indexNotFoundError struct{ err *apierr.Error }

func (e indexNotFoundError) Error() string { return e.err.Error() }
func (e indexNotFoundError) Unwrap() error { return e.err }

func indexNotFound() error {
	return indexNotFoundError{apierr.ResourceNotFound(msgIndexNotFound)}
}

// isIndexNotFound reports whether err is indexNotFound's.
func isIndexNotFound(err error) bool {
	var e indexNotFoundError
	return errors.As(err, &e)
}
