package catalog

import (
	"fmt"
	"slices"

	"github.com/petreldb/petrel/internal/attr"
)

// Projection types of an index (the ProjectionType enum).
const (
	ProjectionAll      = "ALL"
	ProjectionKeysOnly = "KEYS_ONLY"
	ProjectionInclude  = "INCLUDE"
)

// Index is one secondary index of a table: a local one (same partition key
// as the table, created with it) or a global one (any key, up to 4 partition
// and 4 sort attributes, multi-attribute-keys.md).
//
// Persisted: part of Table's JSON; add fields with omitempty, never rename or
// reuse a JSON name.
type Index struct {
	Name string `json:"name"`
	// ID numbers the index's storage keys (keyspace.IndexEntry). It is
	// allocated from Table.IndexSeq and never reused within a table, so the
	// entries of a deleted index can never reappear in a new one.
	ID     uint32 `json:"id"`
	Global bool   `json:"global,omitempty"`
	// KeySchema lists the HASH elements, then the RANGE elements, in the
	// order they were given (which is the order of a multi-attribute key).
	KeySchema  []KeyElement `json:"keySchema"`
	Projection Projection   `json:"projection"`
	// Status is ACTIVE, CREATING, UPDATING or DELETING (the IndexStatus of
	// a GSI; an LSI is always ACTIVE).
	Status string `json:"status"`
	// Backfilling is true while a GSI added by UpdateTable copies the
	// table's existing items.
	Backfilling bool `json:"backfilling,omitempty"`
	// Online marks a GSI added by UpdateTable: DescribeTable reports its
	// Backfilling member while it is CREATING (behaviours.md §9).
	Online bool `json:"online,omitempty"`
	// Throughput is a GSI's provisioned throughput (zero on an on-demand
	// table and for LSIs, which use the table's).
	Throughput Throughput `json:"throughput,omitzero"`

	// Derived by Table.derive.
	hash      []KeyAttr
	rng       []KeyAttr
	include   map[string]bool
	tabKeys   [2]string // the table's key attribute names ("" if none)
	projected []string  // what a non-ALL projection holds, without repeats
}

// Projection is an index's projection.
type Projection struct {
	Type             string   `json:"type"`
	NonKeyAttributes []string `json:"nonKey,omitempty"`
}

// KeyAttr is one key attribute of an index with its declared type.
type KeyAttr struct {
	Name string
	Type attr.Type
}

// HashKeys returns the index's partition-key attributes in key-schema order.
func (ix *Index) HashKeys() []KeyAttr { return ix.hash }

// RangeKeys returns the index's sort-key attributes in key-schema order
// (none for a hash-only GSI).
func (ix *Index) RangeKeys() []KeyAttr { return ix.rng }

// IsKey reports whether name is one of the index's key attributes.
func (ix *Index) IsKey(name string) bool {
	for _, k := range ix.hash {
		if k.Name == name {
			return true
		}
	}
	for _, k := range ix.rng {
		if k.Name == name {
			return true
		}
	}
	return false
}

// Projects reports whether the index holds attribute name of its items:
// every attribute for ALL; the table's and the index's key attributes for
// KEYS_ONLY; those plus the NonKeyAttributes for INCLUDE.
func (ix *Index) Projects(name string) bool {
	if ix.Projection.Type == ProjectionAll {
		return true
	}
	if name == ix.tabKeys[0] || name == ix.tabKeys[1] || ix.IsKey(name) {
		return true
	}
	return ix.include[name]
}

// ProjectedNames returns the attributes a KEYS_ONLY or INCLUDE index holds:
// the table's key attributes, the index's key attributes, then the
// NonKeyAttributes, each once. It is nil for an ALL projection.
func (ix *Index) ProjectedNames() []string { return ix.projected }

// Readable reports whether Query and Scan may use the index: only an
// ACTIVE (or UPDATING, i.e. changing throughput) index can be read.
func (ix *Index) Readable() bool { return ix.Status == StatusActive || ix.Status == StatusUpdating }

// Maintained reports whether item writes must keep the index up to date:
// every index that is not being deleted, including one being backfilled.
func (ix *Index) Maintained() bool { return ix.Status != StatusDeleting }

// ARN is the index's ARN: the table ARN + "/index/" + name.
func (ix *Index) ARN(region, account, table string) string {
	return TableARN(region, account, table) + "/index/" + ix.Name
}

// derive fills the index's unexported fields from t.
func (ix *Index) derive(t *Table) error {
	ix.hash, ix.rng = ix.hash[:0], ix.rng[:0]
	for _, k := range ix.KeySchema {
		typ := attr.TypeFromString(t.AttributeType(k.AttributeName))
		if typ == attr.TypeInvalid {
			return fmt.Errorf("catalog: table %q index %q: key %q has no attribute definition", t.Name, ix.Name, k.AttributeName)
		}
		switch k.KeyType {
		case KeyTypeHash:
			ix.hash = append(ix.hash, KeyAttr{k.AttributeName, typ})
		case KeyTypeRange:
			ix.rng = append(ix.rng, KeyAttr{k.AttributeName, typ})
		default:
			return fmt.Errorf("catalog: table %q index %q: bad key type %q", t.Name, ix.Name, k.KeyType)
		}
	}
	if len(ix.hash) == 0 {
		return fmt.Errorf("catalog: table %q index %q: no hash key", t.Name, ix.Name)
	}
	ix.include = nil
	if ix.Projection.Type == ProjectionInclude {
		ix.include = make(map[string]bool, len(ix.Projection.NonKeyAttributes))
		for _, n := range ix.Projection.NonKeyAttributes {
			ix.include[n] = true
		}
	}
	ix.tabKeys = [2]string{t.hashName, t.rangeName}
	ix.projected = nil
	if ix.Projection.Type != ProjectionAll {
		add := func(n string) {
			if n != "" && !slices.Contains(ix.projected, n) {
				ix.projected = append(ix.projected, n)
			}
		}
		add(t.hashName)
		add(t.rangeName)
		for _, k := range ix.KeySchema {
			add(k.AttributeName)
		}
		for _, n := range ix.Projection.NonKeyAttributes {
			add(n)
		}
	}
	return nil
}

// Index returns the table's index called name, or nil.
func (t *Table) Index(name string) *Index {
	for i := range t.Indexes {
		if t.Indexes[i].Name == name {
			return &t.Indexes[i]
		}
	}
	return nil
}

// HasLocalIndexes reports whether the table has local secondary indexes
// (which make it track item-collection sizes).
func (t *Table) HasLocalIndexes() bool {
	return slices.ContainsFunc(t.Indexes, func(ix Index) bool { return !ix.Global })
}

// All returns every table of every namespace, in no particular order. It is
// meant for startup work (resuming index backfills), not request paths.
func (c *Catalog) All() []*Table {
	c.mu.RLock()
	out := make([]*Table, 0, len(c.tables))
	for _, t := range c.tables {
		out = append(out, t)
	}
	c.mu.RUnlock()
	return out
}
