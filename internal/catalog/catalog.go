// Package catalog owns table metadata: it persists every table's definition in
// the storage engine under keyspace.Catalog, caches all of them in memory, and
// allocates the numeric table IDs that prefix item keys.
//
// Lookups (Get) happen on every item request, so they cost one map read under
// a read lock. Tables are immutable values: Create, Update and Delete build a
// new *Table, commit it durably, then swap it into the map, so a reader holding
// a *Table never sees it change. Mutations are serialized by one mutex (the
// control plane is rare and this keeps the map and the store in step).
//
// The catalog knows nothing of the wire protocol or of DynamoDB's validation
// rules: that is package tables. It must not import packages above storage.
package catalog

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// Catalog is the in-memory, storage-backed set of tables of every namespace.
type Catalog struct {
	eng storage.Engine

	// wmu serializes mutations: store commit plus map swap are one step.
	wmu sync.Mutex

	mu     sync.RWMutex
	tables map[tableKey]*Table

	// now is the clock Get compares transient statuses with (status.go).
	now func() time.Time
}

type tableKey struct{ ns, name string }

// Open loads every table from eng.
func Open(eng storage.Engine) (*Catalog, error) {
	c := &Catalog{eng: eng, tables: make(map[tableKey]*Table), now: time.Now}
	lower, upper := keyspace.AllCatalog()
	it := eng.Iter(lower, upper, false)
	for it.Next() {
		t, err := decode(it.Value())
		if err != nil {
			it.Close()
			return nil, fmt.Errorf("catalog: key %q: %w", it.Key(), err)
		}
		t.publish()
		c.tables[tableKey{t.Namespace, t.Name}] = t
	}
	if err := it.Err(); err != nil {
		it.Close()
		return nil, fmt.Errorf("catalog: loading: %w", err)
	}
	if err := it.Close(); err != nil {
		return nil, fmt.Errorf("catalog: loading: %w", err)
	}
	return c, nil
}

// NameFromARN returns the table name of nameOrArn: the name itself, or the
// part after "table/" of a table ARN
// (arn:aws:dynamodb:<region>:<account>:table/<name>). ok is false for an ARN
// that does not name a table (e.g. an index or stream ARN).
func NameFromARN(nameOrArn string) (name string, ok bool) {
	if !strings.HasPrefix(nameOrArn, "arn:") {
		return nameOrArn, true
	}
	parts := strings.SplitN(nameOrArn, ":", 6)
	if len(parts) != 6 || parts[2] != "dynamodb" {
		return "", false
	}
	name, found := strings.CutPrefix(parts[5], "table/")
	if !found || name == "" || strings.Contains(name, "/") {
		return "", false
	}
	return name, true
}

// Get returns table nameOrArn (a name or a table ARN) of namespace ns. A
// missing table is apierr.TableNotFound ("Requested resource not found", the
// data-plane text); control-plane operations substitute their own message.
// A table that is still CREATING counts as missing: DynamoDB serves reads and
// writes only on ACTIVE (or UPDATING) tables. The control plane uses Lookup.
func (c *Catalog) Get(ns, nameOrArn string) (*Table, error) {
	t, err := c.Lookup(ns, nameOrArn)
	if err != nil {
		return nil, err
	}
	if t.Status == StatusCreating && t.StatusAt(c.now()) == StatusCreating {
		return nil, apierr.TableNotFound()
	}
	return t, nil
}

// Lookup is Get whatever the table's status: the control plane's view, which
// also sees tables that are still being created.
func (c *Catalog) Lookup(ns, nameOrArn string) (*Table, error) {
	name := nameOrArn
	if strings.HasPrefix(name, "arn:") {
		var ok bool
		if name, ok = NameFromARN(nameOrArn); !ok {
			return nil, apierr.TableNotFound()
		}
	}
	c.mu.RLock()
	t := c.tables[tableKey{ns, name}]
	c.mu.RUnlock()
	if t == nil {
		return nil, apierr.TableNotFound()
	}
	return t, nil
}

// List returns the sorted names of namespace ns's tables.
func (c *Catalog) List(ns string) []string {
	return c.sortedKeys(func(k tableKey) (string, bool) { return k.name, k.ns == ns })
}

// sortedKeys returns, sorted, the strings pick returns for the table keys it
// accepts.
func (c *Catalog) sortedKeys(pick func(tableKey) (string, bool)) []string {
	c.mu.RLock()
	var out []string
	for k := range c.tables {
		if v, ok := pick(k); ok {
			out = append(out, v)
		}
	}
	c.mu.RUnlock()
	sort.Strings(out)
	return out
}

// Create stores t as a new table. It allocates t's ID (and TableID when
// empty) and returns the stored table; t itself is not retained. An existing
// table of the same namespace and name is DynamoDB's ResourceInUseException
// "Table already exists: <name>".
func (c *Catalog) Create(ctx context.Context, t *Table) (*Table, error) {
	nt, err := t.clone()
	if err != nil {
		return nil, err
	}
	if nt.TableID == "" {
		nt.TableID = newUUID()
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.Lookup(nt.Namespace, nt.Name); err == nil {
		return nil, apierr.ResourceInUse("Table already exists: " + nt.Name)
	}
	if err := c.freshStream(nil, nt); err != nil {
		return nil, err
	}
	key := keyspace.Catalog(nt.Namespace, nt.Name)
	seq := keyspace.TableSeq()
	err = c.eng.Update(ctx, [][]byte{key, seq}, func(tx storage.Txn) error {
		b, ok, err := tx.Get(seq)
		if err != nil {
			return err
		}
		var last uint64
		if ok && len(b) == 8 {
			last = binary.BigEndian.Uint64(b)
		}
		nt.ID = last + 1
		tx.Set(seq, binary.BigEndian.AppendUint64(nil, nt.ID))
		v, err := nt.encode()
		if err != nil {
			return err
		}
		tx.Set(key, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catalog: creating %q: %w", nt.Name, err)
	}
	nt.Version = formatVersion
	c.swap(nt.Namespace, nt.Name, nt)
	return nt, nil
}

// Update applies fn to a copy of table name of namespace ns and stores the
// result; an error from fn aborts the update and is returned as is. The
// table's name, namespace and IDs cannot be changed. It returns the new
// table, or apierr.TableNotFound.
func (c *Catalog) Update(ctx context.Context, ns, name string, fn func(*Table) error) (*Table, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	old, err := c.Lookup(ns, name)
	if err != nil {
		return nil, err
	}
	nt, err := old.clone()
	if err != nil {
		return nil, err
	}
	if err := fn(nt); err != nil {
		return nil, err
	}
	nt.Namespace, nt.Name, nt.ID, nt.TableID = old.Namespace, old.Name, old.ID, old.TableID
	if err := c.freshStream(old, nt); err != nil {
		return nil, err
	}
	if err := nt.derive(); err != nil {
		return nil, err
	}
	v, err := nt.encode()
	if err != nil {
		return nil, err
	}
	key := keyspace.Catalog(ns, old.Name)
	err = c.eng.Update(ctx, [][]byte{key}, func(tx storage.Txn) error {
		tx.Set(key, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catalog: updating %q: %w", name, err)
	}
	nt.Version = formatVersion
	c.swap(ns, old.Name, nt)
	return nt, nil
}

// Delete removes table name of namespace ns together with its items and
// counters, in one storage commit, and returns the table as it was. Its
// streams stay readable (retired.go): their records are kept, with a
// RetiredStream descriptor each, until package streams sweeps them. If check
// is not nil it runs first (under the mutation lock) and its error aborts the
// deletion — e.g. deletion protection. A missing table is
// apierr.TableNotFound.
func (c *Catalog) Delete(ctx context.Context, ns, name string, check func(*Table) error) (*Table, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	t, err := c.Lookup(ns, name)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(t); err != nil {
			return nil, err
		}
	}
	key := keyspace.Catalog(ns, t.Name)
	now := c.now()
	err = c.eng.Update(ctx, [][]byte{key}, func(tx storage.Txn) error {
		tx.Delete(key)
		lo, hi := keyspace.Items(t.ID)
		tx.DeleteRange(lo, hi)
		lo, hi = keyspace.Counters(t.ID)
		tx.DeleteRange(lo, hi)
		lo, hi = keyspace.TableIndexData(t.ID)
		tx.DeleteRange(lo, hi)
		kept, err := retire(tx, t, now)
		if err != nil {
			return err
		}
		if !kept {
			lo, hi = keyspace.StreamTable(t.ID)
			tx.DeleteRange(lo, hi)
		}
		lo, hi = keyspace.TTLTable(t.ID)
		tx.DeleteRange(lo, hi)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catalog: deleting %q: %w", name, err)
	}
	c.swap(ns, t.Name, nil)
	return t, nil
}

// swap installs t (or removes the entry when t is nil).
func (c *Catalog) swap(ns, name string, t *Table) {
	c.mu.Lock()
	if t == nil {
		delete(c.tables, tableKey{ns, name})
	} else {
		c.tables[tableKey{ns, name}] = t
		t.publish() // writes holding an older version see this one (Table.Current)
	}
	c.mu.Unlock()
}

// newUUID returns a random (version 4) UUID in its canonical text form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
