package catalog

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/petreldb/petrel/internal/attr"
)

// formatVersion is the version of the persisted Table encoding. Open refuses
// entries written by a newer version rather than misreading them.
const formatVersion = 1

// Table statuses, as DescribeTable reports them.
const (
	StatusCreating = "CREATING"
	StatusActive   = "ACTIVE"
	StatusUpdating = "UPDATING"
	StatusDeleting = "DELETING"
)

// Billing modes.
const (
	BillingProvisioned   = "PROVISIONED"
	BillingPayPerRequest = "PAY_PER_REQUEST"
)

// Key types of a KeySchema element.
const (
	KeyTypeHash  = "HASH"
	KeyTypeRange = "RANGE"
)

// Table is the metadata of one table: everything DescribeTable reports plus
// the internal numeric ID that prefixes its storage keys.
//
// A *Table obtained from the Catalog is immutable: Update works on a deep
// copy and swaps it in, so readers may keep and use a *Table without locks.
//
// Persisted: the JSON encoding below is stored under keyspace.Catalog; add
// fields with omitempty, never rename or reuse a JSON name.
type Table struct {
	Version   int    `json:"v"`
	Namespace string `json:"ns"`
	Name      string `json:"name"`
	// ID is the numeric table id allocated from keyspace.TableSeq; it is
	// never reused, so items of a deleted table can never reappear.
	ID uint64 `json:"id"`
	// TableID is the UUID DynamoDB reports as TableId.
	TableID string `json:"uuid"`
	// Status is ACTIVE, or the transient status (CREATING, UPDATING) the
	// table reports until StatusUntil; see StatusAt (status.go).
	Status string `json:"status"`
	// StatusUntil is when a transient Status ends; zero when Status is
	// final (no -delayTransientStatuses).
	StatusUntil time.Time `json:"statusUntil,omitzero"`
	CreatedAt   time.Time `json:"created"`

	KeySchema            []KeyElement          `json:"keySchema"`
	AttributeDefinitions []AttributeDefinition `json:"attrDefs"`

	BillingMode string `json:"billing"`
	// LastUpdateToPayPerRequest is when the table last switched to (or was
	// created with) PAY_PER_REQUEST; zero if never.
	LastUpdateToPayPerRequest time.Time  `json:"lastPPR,omitzero"`
	Throughput                Throughput `json:"throughput"`

	DeletionProtection bool `json:"deletionProtection,omitempty"`
	// TableClass is "" when never set (DescribeTable then omits
	// TableClassSummary), else STANDARD or STANDARD_INFREQUENT_ACCESS.
	TableClass           string    `json:"tableClass,omitempty"`
	TableClassUpdateTime time.Time `json:"tableClassUpdated,omitzero"`
	SSE                  *SSE      `json:"sse,omitempty"`

	// Stream is the current stream specification; nil when no stream is
	// enabled.
	Stream *Stream `json:"stream,omitempty"`
	// StreamLabel is the label of the latest stream ever enabled ("" if
	// none); DescribeTable keeps reporting it after the stream is disabled.
	StreamLabel string `json:"streamLabel,omitempty"`
	// Streams is the table's stream history, oldest first: every stream
	// enabled by UpdateTable that is still readable (the enabled one last,
	// disabled ones for 24 hours). A stream enabled by CreateTable is added
	// on its first change (package streams, History).
	Streams []StreamInfo `json:"streams,omitempty"`

	// Indexes are the table's local and global secondary indexes, in
	// creation order (index.go).
	Indexes []Index `json:"indexes,omitempty"`
	// IndexSeq is the last index ID allocated (Index.ID); IDs are never
	// reused within the table.
	IndexSeq uint32 `json:"indexSeq,omitempty"`

	TTL  *TTL              `json:"ttl,omitempty"`
	Tags map[string]string `json:"tags,omitempty"`

	// Derived at load time from KeySchema and AttributeDefinitions.
	hashName  string
	hashType  attr.Type
	rangeName string
	rangeType attr.Type
	hasRange  bool

	// live is shared by every version of this table in this process (see
	// Current).
	live *live
	// writes counts the item writes begun on this version (writes.go).
	writes *versionWrites
}

// live holds the version of a table the catalog serves now, and the
// superseded versions that may still have item writes in flight
// (writes.go).
type live struct {
	cur atomic.Pointer[Table]

	mu sync.Mutex
	// old are superseded versions whose write count was not zero when
	// last looked at.
	old []*Table
	// drained is closed (and replaced) when a superseded version's last
	// write ends.
	drained chan struct{}
}

// Current returns the version of the table the catalog holds now, which
// may be newer than t (or t itself when the table was never changed in
// this process). The write path reads it under the item's lock, so that an
// index added or removed while a write was being prepared is maintained by
// that write (package index).
func (t *Table) Current() *Table {
	if t.live != nil {
		if c := t.live.cur.Load(); c != nil {
			return c
		}
	}
	return t
}

// publish makes t the version Current returns; the catalog calls it when
// it installs t. The version it replaces is retired (writes.go).
func (t *Table) publish() {
	if t.live == nil {
		return
	}
	if prev := t.live.cur.Swap(t); prev != nil && prev != t {
		t.live.retire(prev)
	}
}

// KeyElement is one KeySchema element.
type KeyElement struct {
	AttributeName string `json:"name"`
	KeyType       string `json:"type"` // HASH or RANGE
}

// AttributeDefinition is one AttributeDefinitions element.
type AttributeDefinition struct {
	AttributeName string `json:"name"`
	AttributeType string `json:"type"` // S, N or B
}

// Throughput is the provisioned throughput of a table and its history.
type Throughput struct {
	ReadCapacityUnits      int64     `json:"rcu"`
	WriteCapacityUnits     int64     `json:"wcu"`
	LastIncrease           time.Time `json:"lastIncrease,omitzero"`
	LastDecrease           time.Time `json:"lastDecrease,omitzero"`
	NumberOfDecreasesToday int64     `json:"decreasesToday,omitempty"`
}

// SSE is the table's server-side encryption setting, as last requested.
type SSE struct {
	Enabled         bool   `json:"enabled"`
	SSEType         string `json:"type,omitempty"` // AES256 or KMS
	KMSMasterKeyArn string `json:"kmsKey,omitempty"`
}

// Stream is an enabled stream specification.
type Stream struct {
	ViewType string `json:"viewType"`
}

// TTL is the table's time-to-live setting (issue #5).
//
// Enabled is true while ENABLING or ENABLED; Transition marks the
// ENABLING/DISABLING phase in which the expirer builds or drops the table's
// expiry index (package ttl). Updated is the last UpdateTimeToLive, for
// DynamoDB's one-change-per-hour rule.
type TTL struct {
	AttributeName string    `json:"attr"`
	Enabled       bool      `json:"enabled"`
	Transition    bool      `json:"transition,omitempty"`
	Updated       time.Time `json:"updated,omitzero"`
}

// StreamInfo is one stream of a table (see Table.Streams).
type StreamInfo struct {
	// Label is the stream's label, its creation time as
	// "2006-01-02T15:04:05.000"; unique within the table.
	Label    string `json:"label"`
	ViewType string `json:"viewType"`
	// Disabled is when the stream was disabled; zero while it is enabled.
	Disabled time.Time `json:"disabled,omitzero"`
}

// HashKey returns the partition key's attribute name and type.
func (t *Table) HashKey() (name string, typ attr.Type) { return t.hashName, t.hashType }

// RangeKey returns the sort key's attribute name and type; ok is false for a
// table without a sort key.
func (t *Table) RangeKey() (name string, typ attr.Type, ok bool) {
	return t.rangeName, t.rangeType, t.hasRange
}

// ARN is the table's ARN for the given region and account.
func (t *Table) ARN(region, account string) string { return TableARN(region, account, t.Name) }

// TableARN builds arn:aws:dynamodb:<region>:<account>:table/<name>.
func TableARN(region, account, name string) string {
	return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name
}

// StreamARN is the ARN of the table's latest stream ("" if it never had
// one): the table ARN + "/stream/" + label.
func (t *Table) StreamARN(region, account string) string {
	if t.StreamLabel == "" {
		return ""
	}
	return t.ARN(region, account) + "/stream/" + t.StreamLabel
}

// AttributeType returns the declared type of attribute name, or "" if the
// table does not define it.
func (t *Table) AttributeType(name string) string {
	for _, d := range t.AttributeDefinitions {
		if d.AttributeName == name {
			return d.AttributeType
		}
	}
	return ""
}

// derive fills the unexported fields from the persisted ones.
func (t *Table) derive() error {
	t.hashName, t.hashType = "", attr.TypeInvalid
	t.rangeName, t.rangeType, t.hasRange = "", attr.TypeInvalid, false
	for _, k := range t.KeySchema {
		typ := attr.TypeFromString(t.AttributeType(k.AttributeName))
		if typ == attr.TypeInvalid {
			return fmt.Errorf("catalog: table %q: key %q has no attribute definition", t.Name, k.AttributeName)
		}
		switch k.KeyType {
		case KeyTypeHash:
			t.hashName, t.hashType = k.AttributeName, typ
		case KeyTypeRange:
			t.rangeName, t.rangeType, t.hasRange = k.AttributeName, typ, true
		default:
			return fmt.Errorf("catalog: table %q: bad key type %q", t.Name, k.KeyType)
		}
	}
	if t.hashName == "" {
		return fmt.Errorf("catalog: table %q: no hash key", t.Name)
	}
	for i := range t.Indexes {
		if err := t.Indexes[i].derive(t); err != nil {
			return err
		}
	}
	return nil
}

// clone returns a deep copy of t. It round-trips through the persisted
// encoding so that fields added later are copied without extra code.
func (t *Table) clone() (*Table, error) {
	b, err := t.encode()
	if err != nil {
		return nil, err
	}
	c, err := decode(b)
	if err != nil {
		return nil, err
	}
	if t.live != nil {
		c.live = t.live // a new version of the same table
	}
	return c, nil
}

// encode marshals t at the current format version without modifying t
// (which may be shared with readers).
func (t *Table) encode() ([]byte, error) {
	c := *t
	c.Version = formatVersion
	return json.Marshal(&c)
}

func decode(b []byte) (*Table, error) {
	t := new(Table)
	if err := json.Unmarshal(b, t); err != nil {
		return nil, fmt.Errorf("catalog: decoding table: %w", err)
	}
	if t.Version > formatVersion {
		return nil, fmt.Errorf("catalog: table %q has format version %d, newer than %d", t.Name, t.Version, formatVersion)
	}
	if err := t.derive(); err != nil {
		return nil, err
	}
	t.live = new(live)
	t.writes = new(versionWrites)
	return t, nil
}
