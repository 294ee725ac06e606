package catalog

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// A deleted table's streams stay readable for 24 hours: "If you have
// DynamoDB Streams enabled on the table, then the corresponding stream on
// that table goes into the DISABLED state, and the stream is automatically
// deleted after 24 hours" (DeleteTable, dynamodb-2012-08-10 model). Delete
// therefore keeps the table's stream keys and, in the same commit, stores a
// RetiredStream descriptor per stream of its history; package streams
// serves them and deletes them, with the records, once they have expired.

// RetiredStream describes one stream of a deleted table.
//
// Persisted: the JSON encoding below is stored under
// keyspace.RetiredStream; add fields with omitempty, never rename or reuse
// a JSON name.
type RetiredStream struct {
	Namespace string `json:"ns"`
	Table     string `json:"name"`
	// TableID is the deleted table's numeric id, which prefixes the
	// stream's records (keyspace.StreamTable).
	TableID   uint64       `json:"id"`
	KeySchema []KeyElement `json:"keySchema"`
	Label     string       `json:"label"`
	ViewType  string       `json:"viewType"`
	// Disabled is when the stream stopped taking records: the table's
	// deletion, or its earlier disabling.
	Disabled time.Time `json:"disabled"`
	// Deleted is when the table was deleted.
	Deleted time.Time `json:"deleted"`
}

// StreamHistory returns t's streams, oldest first: t.Streams plus the
// stream a CreateTable enabled, which is not recorded in t.Streams until
// the table's stream setting first changes. The result may share
// t.Streams' array: callers must not modify it.
func (t *Table) StreamHistory() []StreamInfo {
	h := t.Streams
	if t.StreamLabel != "" && (len(h) == 0 || h[len(h)-1].Label != t.StreamLabel) {
		info := StreamInfo{Label: t.StreamLabel, ViewType: "KEYS_ONLY"}
		if t.Stream != nil {
			info.ViewType = t.Stream.ViewType
		}
		h = append(slices.Clip(h), info)
	}
	return h
}

// retire adds to tx the descriptors of t's streams, t being deleted at
// now. It reports whether there were any (the stream keys must then stay).
func retire(tx storage.Txn, t *Table, now time.Time) (bool, error) {
	h := t.StreamHistory()
	for _, info := range h {
		r := RetiredStream{Namespace: t.Namespace, Table: t.Name, TableID: t.ID, KeySchema: t.KeySchema,
			Label: info.Label, ViewType: info.ViewType, Disabled: info.Disabled, Deleted: now}
		if r.Disabled.IsZero() || r.Disabled.After(now) {
			r.Disabled = now
		}
		b, err := json.Marshal(&r)
		if err != nil {
			return false, fmt.Errorf("catalog: encoding a retired stream: %w", err)
		}
		tx.Set(keyspace.RetiredStream(t.Namespace, t.Name, info.Label), b)
	}
	return len(h) > 0, nil
}

// RetiredStream returns the descriptor of stream label of deleted table
// name of namespace ns; ok is false when there is none.
func (c *Catalog) RetiredStream(ns, name, label string) (r RetiredStream, ok bool, err error) {
	b, ok, err := c.eng.Get(keyspace.RetiredStream(ns, name, label))
	if err != nil || !ok {
		return r, false, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, false, fmt.Errorf("catalog: decoding retired stream %s/%s: %w", name, label, err)
	}
	return r, true, nil
}

// RetiredStreams returns the descriptors of namespace ns (of table name
// only, when name is not ""), ordered by table name and label.
func (c *Catalog) RetiredStreams(ns, name string) ([]RetiredStream, error) {
	lower, upper := keyspace.RetiredStreams(ns)
	if name != "" {
		lower, upper = keyspace.RetiredStreamsOf(ns, name)
	}
	return c.retired(lower, upper)
}

// AllRetiredStreams returns the descriptors of every namespace.
func (c *Catalog) AllRetiredStreams() ([]RetiredStream, error) {
	lower, upper := keyspace.AllRetiredStreams()
	return c.retired(lower, upper)
}

func (c *Catalog) retired(lower, upper []byte) ([]RetiredStream, error) {
	it := c.eng.Iter(lower, upper, false)
	var out []RetiredStream
	for it.Next() {
		var r RetiredStream
		if err := json.Unmarshal(it.Value(), &r); err != nil {
			it.Close()
			return nil, fmt.Errorf("catalog: decoding retired stream %q: %w", it.Key(), err)
		}
		out = append(out, r)
	}
	if err := it.Err(); err != nil {
		it.Close()
		return nil, fmt.Errorf("catalog: reading retired streams: %w", err)
	}
	if err := it.Close(); err != nil {
		return nil, fmt.Errorf("catalog: reading retired streams: %w", err)
	}
	return out, nil
}

// labelLayout is the stream label format (package streams' Label).
const labelLayout = "2006-01-02T15:04:05.000"

// freshStream makes nt's newest stream label (new in nt, not in old; old
// is nil for a new table) later than the labels of the table name's
// retired streams and of old's streams: a new table with the name of a
// deleted one gets a new stream ARN even when both streams were created in
// the same millisecond.
func (c *Catalog) freshStream(old, nt *Table) error {
	if nt.StreamLabel == "" || old != nil && old.StreamLabel == nt.StreamLabel {
		return nil
	}
	rs, err := c.RetiredStreams(nt.Namespace, nt.Name)
	if err != nil || len(rs) == 0 {
		return err
	}
	last := rs[len(rs)-1].Label
	if old != nil {
		for _, info := range old.StreamHistory() {
			last = max(last, info.Label)
		}
	}
	if nt.StreamLabel > last {
		return nil
	}
	at, err := time.Parse(labelLayout, last)
	if err != nil {
		return fmt.Errorf("catalog: bad stream label %q", last)
	}
	label := at.Add(time.Millisecond).UTC().Format(labelLayout)
	if n := len(nt.Streams); n > 0 && nt.Streams[n-1].Label == nt.StreamLabel {
		nt.Streams[n-1].Label = label
	}
	nt.StreamLabel = label
	return nil
}
