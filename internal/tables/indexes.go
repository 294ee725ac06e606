package tables

import (
	"context"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

// Secondary indexes in CreateTable and DescribeTable (UpdateTable's
// GlobalSecondaryIndexUpdates are in index_updates.go).

// Limits of limits.md §5 and multi-attribute-keys.md §8.
const (
	maxLocalIndexes     = 5
	maxGlobalIndexes    = 20
	maxProjectedAttrs   = 100 // NonKeyAttributes over all indexes of a table
	maxGlobalHashKeys   = 4
	maxGlobalRangeKeys  = 4
	maxLocalKeySchema   = 2
	maxGlobalKeySchemas = maxGlobalHashKeys + maxGlobalRangeKeys
)

// Index messages: errors.md section D where it has a row (DynamoDB Local
// texts, the only record there is); the others, marked "not documented",
// follow the same style.
const (
	msgLSIOnHashTable      = "Local Secondary indices are not allowed on hash tables, only hash and range tables"                                      // D18
	msgLSIHashKey          = "Local Secondary indices must have the same hash key as the main table"                                                   // D19
	msgTooManyLSIs         = "Cannot have more than 5 local secondary indexes per table"                                                               // D20
	msgLSIDuplicateName    = "Two local secondary indices have the same name"                                                                          // D21
	msgIncludeNoAttrs      = "If Projection type INCLUDE is specified, some non-key attributes to include in the projection must be specified as well" // D22
	msgAttrsNotInclude     = "No attributes should be specified to be projected unless projection type is INCLUDE"                                     // D23
	msgNoProjection        = "Indexes must have a projection specified"                                                                                // D24
	msgLSIRangeNotDefined  = "Local Secondary Index range key not specified in Attribute Definitions.Type unknown."                                    // D26
	msgTooManyGSIs         = "GlobalSecondaryIndex count exceeds the per-table limit"                                                                  // D29
	msgGSINoThroughput     = "No provisioned throughput specified for the global secondary index"                                                      // D30
	msgLSIAndGSIName       = "Local Secondary Indices AND Global Secondary Indices must have different names"                                          // D31
	msgGSIDuplicateName    = "Two global secondary indices have the same name"                                                                         // not documented (D21's form)
	msgGSIHashNotDefined   = "Global Secondary Index hash key not specified in Attribute Definitions.Type unknown."                                    // not documented (D26's form)
	msgGSIRangeNotDefined  = "Global Secondary Index range key not specified in Attribute Definitions.Type unknown."                                   // not documented (D26's form)
	msgLSINoRangeKey       = "One or more parameter values were invalid: Index KeySchema does not have a range key for index: "                        // not documented
	msgGSIKeySchemaTooBig  = "One or more parameter values were invalid: A global secondary index key schema can have at most 4 HASH and 4 RANGE key attributes. IndexName: "
	msgGSIPayPerRequestPT  = "One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: %s when BillingMode is PAY_PER_REQUEST"
	msgTooManyProjected    = "One or more parameter values were invalid: Number of projected attributes in all indexes exceeds limit of 100, provided: %d"
	msgIndexExists         = "Attempting to create an index which already exists"
	msgGSIActionNull       = "Update global secondary index action is null"                                                      // D40
	msgOneIndexAtATime     = "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table" // D39
	msgGSINeedsThroughput  = "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: "    // not documented
	msgAttrDefConflict     = "One or more parameter values were invalid: Attribute %s is already defined with type %s"           // not documented
	msgIndexNotFound       = "Requested resource not found"                                                                      // D37
	msgIndexUpdateDeleting = "Attempt to change a resource which is still in use: Index is being deleted: "                      // not documented
)

// createIndexes validates CreateTable's LocalSecondaryIndexes and
// GlobalSecondaryIndexes (errors.md D18-D32, multi-attribute-keys.md) and
// returns the indexes to store, LSIs first, with IDs from 1. billing is the
// table's billing mode.
func createIndexes(in *protocol.CreateTableInput, ks []catalog.KeyElement, defs []catalog.AttributeDefinition, billing string) ([]catalog.Index, error) {
	var out []catalog.Index
	names := make(map[string]bool)
	projected := 0
	if len(in.LocalSecondaryIndexes) > 0 {
		if len(ks) < 2 {
			return nil, apierr.Validation(msgLSIOnHashTable)
		}
		if len(in.LocalSecondaryIndexes) > maxLocalIndexes {
			return nil, apierr.Validation(msgTooManyLSIs)
		}
	}
	for _, l := range in.LocalSecondaryIndexes {
		name := str(l.IndexName)
		if !validTableName(name) {
			return nil, apierr.Validation(msgTableName)
		}
		if names[name] {
			return nil, apierr.Validation(msgLSIDuplicateName)
		}
		names[name] = true
		kse, err := indexKeySchema(l.KeySchema, false, name)
		if err != nil {
			return nil, err
		}
		if kse[0].AttributeName != ks[0].AttributeName {
			return nil, apierr.Validation(msgLSIHashKey)
		}
		if len(kse) < 2 {
			return nil, apierr.Validation(msgLSINoRangeKey + name)
		}
		if definedType(defs, kse[1].AttributeName) == "" {
			return nil, apierr.Validation(msgLSIRangeNotDefined)
		}
		p, err := projection(l.Projection)
		if err != nil {
			return nil, err
		}
		projected += len(p.NonKeyAttributes)
		out = append(out, catalog.Index{Name: name, KeySchema: kse, Projection: p, Status: catalog.StatusActive})
	}
	if len(in.GlobalSecondaryIndexes) > maxGlobalIndexes {
		return nil, apierr.Validation(msgTooManyGSIs)
	}
	gnames := make(map[string]bool)
	for _, g := range in.GlobalSecondaryIndexes {
		ix, err := globalIndex(g.IndexName, g.KeySchema, g.Projection, g.ProvisionedThroughput, defs, billing)
		if err != nil {
			return nil, err
		}
		switch {
		case gnames[ix.Name]:
			return nil, apierr.Validation(msgGSIDuplicateName)
		case names[ix.Name]:
			return nil, apierr.Validation(msgLSIAndGSIName)
		}
		gnames[ix.Name] = true
		projected += len(ix.Projection.NonKeyAttributes)
		out = append(out, ix)
	}
	if projected > maxProjectedAttrs {
		return nil, apierr.Validationf(msgTooManyProjected, projected)
	}
	for i := range out {
		out[i].ID = uint32(i + 1)
	}
	return out, nil
}

// globalIndex validates one GSI definition (CreateTable's
// GlobalSecondaryIndexes or UpdateTable's Create action) against the
// attribute definitions defs and the table's billing mode.
func globalIndex(nameP *string, kse []protocol.KeySchemaElement, p *protocol.Projection, tp *protocol.ProvisionedThroughput,
	defs []catalog.AttributeDefinition, billing string) (catalog.Index, error) {
	name := str(nameP)
	if !validTableName(name) {
		return catalog.Index{}, apierr.Validation(msgTableName)
	}
	ks, err := indexKeySchema(kse, true, name)
	if err != nil {
		return catalog.Index{}, err
	}
	for _, k := range ks {
		if definedType(defs, k.AttributeName) == "" {
			if k.KeyType == catalog.KeyTypeHash {
				return catalog.Index{}, apierr.Validation(msgGSIHashNotDefined)
			}
			return catalog.Index{}, apierr.Validation(msgGSIRangeNotDefined)
		}
	}
	proj, err := projection(p)
	if err != nil {
		return catalog.Index{}, err
	}
	ix := catalog.Index{Name: name, Global: true, KeySchema: ks, Projection: proj, Status: catalog.StatusActive}
	if billing == catalog.BillingPayPerRequest {
		if tp != nil {
			return catalog.Index{}, apierr.Validationf(msgGSIPayPerRequestPT, name)
		}
		return ix, nil
	}
	if tp == nil {
		return catalog.Index{}, apierr.Validation(msgGSINoThroughput)
	}
	if err := throughputValues(tp); err != nil {
		return catalog.Index{}, err
	}
	ix.Throughput.ReadCapacityUnits, ix.Throughput.WriteCapacityUnits = *tp.ReadCapacityUnits, *tp.WriteCapacityUnits
	return ix, nil
}

// indexKeySchema checks an index key schema. An LSI has exactly one HASH
// then one RANGE element, like a table (D4-D8); a GSI has 1 to 4 HASH
// elements followed by 0 to 4 RANGE elements, all distinct
// (multi-attribute-keys.md §2).
func indexKeySchema(kse []protocol.KeySchemaElement, global bool, name string) ([]catalog.KeyElement, error) {
	if len(kse) == 0 {
		return nil, apierr.Validation(msgNoKeySchema)
	}
	if !global && len(kse) > maxLocalKeySchema {
		return nil, apierr.Validation(msgKeySchemaTooBig)
	}
	out := make([]catalog.KeyElement, len(kse))
	hashes, ranges := 0, 0
	for i, k := range kse {
		n := str(k.AttributeName)
		if err := checkKeyNameLength(n); err != nil {
			return nil, err
		}
		out[i] = catalog.KeyElement{AttributeName: n, KeyType: str(k.KeyType)}
		switch out[i].KeyType {
		case catalog.KeyTypeHash:
			if ranges > 0 {
				return nil, apierr.Validation(msgKeyOrder)
			}
			hashes++
		case catalog.KeyTypeRange:
			ranges++
		default:
			return nil, apierr.Validation(msgNoHashKey)
		}
	}
	switch {
	case hashes == 0:
		return nil, apierr.Validation(msgNoHashKey)
	case !global && hashes > 1:
		return nil, apierr.Validation(msgTooManyHashKeys)
	case global && (hashes > maxGlobalHashKeys || ranges > maxGlobalRangeKeys):
		return nil, apierr.Validation(msgGSIKeySchemaTooBig + name)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[i].AttributeName == out[j].AttributeName {
				return nil, apierr.Validation(msgSameKeyName)
			}
		}
	}
	return out, nil
}

// projection checks an index's Projection (D22-D24, D28, D13).
func projection(p *protocol.Projection) (catalog.Projection, error) {
	if p == nil || p.ProjectionType == nil {
		return catalog.Projection{}, apierr.Validation(msgNoProjection)
	}
	typ := *p.ProjectionType
	switch {
	case typ == catalog.ProjectionInclude && len(p.NonKeyAttributes) == 0:
		return catalog.Projection{}, apierr.Validation(msgIncludeNoAttrs)
	case typ != catalog.ProjectionInclude && p.NonKeyAttributes != nil:
		return catalog.Projection{}, apierr.Validation(msgAttrsNotInclude)
	}
	seen := make(map[string]bool, len(p.NonKeyAttributes))
	for _, n := range p.NonKeyAttributes {
		if err := checkKeyNameLength(n); err != nil {
			return catalog.Projection{}, err
		}
		if seen[n] {
			return catalog.Projection{}, apierr.Validation(msgDuplicateAttr)
		}
		seen[n] = true
	}
	out := catalog.Projection{Type: typ}
	if typ == catalog.ProjectionInclude {
		out.NonKeyAttributes = append([]string(nil), p.NonKeyAttributes...)
	}
	return out, nil
}

// definedType is the type defs give attribute name, or "".
func definedType(defs []catalog.AttributeDefinition, name string) string {
	for _, d := range defs {
		if d.AttributeName == name {
			return d.AttributeType
		}
	}
	return ""
}

// keyAttributeCount is the number of distinct attributes the table's and
// its indexes' key schemas use (D10 compares it with the definitions).
func keyAttributeCount(ks []catalog.KeyElement, ixs []catalog.Index) int {
	seen := make(map[string]bool)
	for _, k := range ks {
		seen[k.AttributeName] = true
	}
	for _, ix := range ixs {
		for _, k := range ix.KeySchema {
			seen[k.AttributeName] = true
		}
	}
	return len(seen)
}

// describeIndexes adds t's indexes to d (behaviours.md §10): IndexName,
// KeySchema, Projection, IndexSizeBytes, ItemCount, IndexArn, and for GSIs
// IndexStatus, ProvisionedThroughput and, while an index added by
// UpdateTable is CREATING, Backfilling.
func (s *Service) describeIndexes(ctx context.Context, t *catalog.Table, d *protocol.TableDescription) error {
	id := caller.From(ctx)
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		count, size, err := s.stats.Get(s.eng, t, ix, s.now()) // index/stats.go
		if err != nil {
			return err
		}
		var kse []protocol.KeySchemaElement
		for _, k := range ix.KeySchema {
			kse = append(kse, protocol.KeySchemaElement{AttributeName: ptr(k.AttributeName), KeyType: ptr(k.KeyType)})
		}
		proj := &protocol.Projection{ProjectionType: ptr(ix.Projection.Type)}
		if len(ix.Projection.NonKeyAttributes) > 0 {
			proj.NonKeyAttributes = append([]string(nil), ix.Projection.NonKeyAttributes...)
		}
		arn := ix.ARN(id.Region, id.Account, t.Name)
		if !ix.Global {
			d.LocalSecondaryIndexes = append(d.LocalSecondaryIndexes, protocol.LocalSecondaryIndexDescription{
				IndexName: ptr(ix.Name), KeySchema: kse, Projection: proj,
				IndexSizeBytes: ptr(size), ItemCount: ptr(count), IndexArn: ptr(arn),
			})
			continue
		}
		status := ix.Status
		g := protocol.GlobalSecondaryIndexDescription{
			IndexName: ptr(ix.Name), KeySchema: kse, Projection: proj, IndexStatus: ptr(status),
			IndexSizeBytes: ptr(size), ItemCount: ptr(count), IndexArn: ptr(arn),
			ProvisionedThroughput: &protocol.ProvisionedThroughputDescription{
				ReadCapacityUnits:      ptr(ix.Throughput.ReadCapacityUnits),
				WriteCapacityUnits:     ptr(ix.Throughput.WriteCapacityUnits),
				NumberOfDecreasesToday: ptr(decreasesToday(ix.Throughput, s.now())),
				LastIncreaseDateTime:   epoch(ix.Throughput.LastIncrease),
				LastDecreaseDateTime:   epoch(ix.Throughput.LastDecrease),
			},
		}
		if ix.Online && status == catalog.StatusCreating {
			g.Backfilling = ptr(ix.Backfilling)
		}
		d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, g)
	}
	return nil
}
