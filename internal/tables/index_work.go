package tables

import (
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/index"
	"github.com/petreldb/petrel/internal/protocol"
)

// startIndexWork starts the background backfill or deletion of t's
// CREATING or DELETING global secondary indexes (index.Builder). With a
// transient delay (status.go) the work starts once the delay has passed,
// so the index stays CREATING (or DELETING) at least that long.
func (s *Service) startIndexWork(t *catalog.Table) {
	if index.Pending(t) {
		s.builder.Start(t, s.status.delay)
	}
}

// WaitIndexes blocks until no index backfill or deletion is running and
// returns the last background failure, if any (tests).
func (s *Service) WaitIndexes() error { return s.builder.Wait() }

// Close stops the background index work; what is left resumes at the next
// start (New).
func (s *Service) Close() { s.builder.Close() }

// setIndexStatuses overrides the IndexStatus d reports for the named GSIs
// (UpdateTable and CreateTable report the transient status of what they
// changed, as DynamoDB's responses do).
func setIndexStatuses(d *protocol.TableDescription, statuses map[string]string) {
	for i := range d.GlobalSecondaryIndexes {
		g := &d.GlobalSecondaryIndexes[i]
		if st, ok := statuses[*g.IndexName]; ok {
			g.IndexStatus = ptr(st)
		}
	}
}

// creatingIndexes maps every GSI of t to CREATING (CreateTable's response).
func creatingIndexes(t *catalog.Table) map[string]string {
	m := make(map[string]string)
	for _, ix := range t.Indexes {
		if ix.Global {
			m[ix.Name] = catalog.StatusCreating
		}
	}
	return m
}
