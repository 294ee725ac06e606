package streams

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
	"time"

	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/storage"
)

// Retention is how long stream records, and disabled streams, stay
// readable (limits.md section 11).
const Retention = 24 * time.Hour

// labelLayout is the stream label format: the creation time with
// milliseconds, e.g. "2015-05-11T21:21:33.291".
const labelLayout = "2006-01-02T15:04:05.000"

// Label is the label of a stream created at t.
func Label(t time.Time) string { return t.UTC().Format(labelLayout) }

// StreamID is the numeric id of the stream labelled label (its creation
// time in Unix milliseconds), which prefixes its records' keys.
func StreamID(label string) (uint64, error) {
	t, err := time.Parse(labelLayout, label)
	if err != nil {
		return 0, fmt.Errorf("streams: bad stream label %q", label)
	}
	return uint64(t.UnixMilli()), nil // before 1970 wraps, still unique
}

// History returns t's streams, oldest first (catalog.Table.StreamHistory):
// t.Streams plus the stream a CreateTable enabled, which is not recorded in
// t.Streams until the table's stream setting first changes. The result may
// share t.Streams' array: callers must not modify it.
func History(t *catalog.Table) []catalog.StreamInfo { return t.StreamHistory() }

// live reports whether stream s is still readable at now.
func live(s catalog.StreamInfo, now time.Time) bool {
	return s.Disabled.IsZero() || now.Sub(s.Disabled) < Retention
}

// Enable records in t (a copy being updated by catalog.Update) a new
// stream with view type viewType created at now. The label is made unique
// within the table, and streams disabled more than Retention ago are
// forgotten.
func Enable(t *catalog.Table, viewType string, now time.Time) {
	h := prune(History(t), now)
	label := Label(now)
	if n := len(h); n > 0 && label <= h[n-1].Label {
		if prev, err := time.Parse(labelLayout, h[n-1].Label); err == nil {
			label = Label(prev.Add(time.Millisecond))
		}
	}
	t.Streams = append(h, catalog.StreamInfo{Label: label, ViewType: viewType})
	t.Stream = &catalog.Stream{ViewType: viewType}
	t.StreamLabel = label
}

// Disable records in t (a copy being updated by catalog.Update) that its
// stream was disabled at now: its shard closes, and it stays readable for
// Retention.
func Disable(t *catalog.Table, now time.Time) {
	h := History(t)
	if n := len(h); n > 0 && t.Stream != nil {
		h = slices.Clone(h)
		h[n-1].Disabled = now
	}
	t.Streams = prune(h, now)
	t.Stream = nil
}

// prune returns a copy of h without the streams no longer readable.
func prune(h []catalog.StreamInfo, now time.Time) []catalog.StreamInfo {
	out := make([]catalog.StreamInfo, 0, len(h)+1)
	for _, s := range h {
		if live(s, now) {
			out = append(out, s)
		}
	}
	return out
}

// NextSequence returns the sequence number the next record of table tid
// will get (1 for a table that never had one).
func NextSequence(r storage.Reader, tid uint64) (uint64, error) {
	b, ok, err := r.Get(keyspace.StreamNext(tid))
	if err != nil {
		return 0, fmt.Errorf("streams: reading the sequence: %w", err)
	}
	if !ok || len(b) != 8 {
		return 1, nil
	}
	return binary.BigEndian.Uint64(b), nil
}

// FormatSequence renders a sequence number as DynamoDB does: a string of
// decimal digits, here zero-padded to 21 so that its order as a string is
// its numeric order.
func FormatSequence(seq uint64) string { return fmt.Sprintf("%021d", seq) }

// parseSequence reads a SequenceNumber; ok is false unless it is decimal
// digits (a value beyond uint64 is outside every shard: ok, but huge).
func parseSequence(s string) (seq uint64, ok bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if seq > (1<<64-1-d)/10 {
			return 1<<64 - 1, true
		}
		seq = seq*10 + d
	}
	return seq, true
}

// StreamARN is the ARN of stream label of table name:
// arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>.
func StreamARN(region, account, name, label string) string {
	return catalog.TableARN(region, account, name) + "/stream/" + label
}

// parseStreamARN returns the table name and label of a stream ARN.
func parseStreamARN(arn string) (name, label string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "dynamodb" {
		return "", "", false
	}
	rest, found := strings.CutPrefix(parts[5], "table/")
	if !found {
		return "", "", false
	}
	name, label, found = strings.Cut(rest, "/stream/")
	if !found || name == "" || label == "" || strings.Contains(name, "/") || strings.Contains(label, "/") {
		return "", "", false
	}
	return name, label, true
}

// shardID is the id of the one shard of stream id of table tid, shaped like
// DynamoDB's: "shardId-" 20 digits "-" 8 hex digits.
func shardID(tid, id uint64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], tid)
	binary.BigEndian.PutUint64(b[8:], id)
	return fmt.Sprintf("shardId-%020d-%08x", id, crc32.ChecksumIEEE(b[:]))
}
