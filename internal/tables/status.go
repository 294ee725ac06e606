package tables

import (
	"sort"
	"sync"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/catalog"
)

// Table status transitions (behaviours.md section 10): CREATING -> ACTIVE
// after CreateTable, ACTIVE -> UPDATING -> ACTIVE after UpdateTable,
// DELETING -> gone after DeleteTable.
//
// By default every change is complete when its response is sent: the
// responses report CREATING/UPDATING/DELETING as DynamoDB's do, and the next
// DescribeTable sees ACTIVE (or ResourceNotFoundException). With a transient
// delay (-delayTransientStatuses; WithTransientDelay) the statuses last that
// long, as on DynamoDB, so code that polls or uses the SDK waiters
// (TableExists, TableNotExists) is exercised for real.
//
// Nothing runs on a timer. CreateTable and UpdateTable store the status and
// the time it ends in the catalog (catalog.Table.Status/StatusUntil) and every
// reader computes the status with its clock (catalog.Table.StatusAt), so the
// unit tests move a fake clock instead of sleeping. The catalog hides a
// CREATING table from the data plane (catalog.Get), as DynamoDB serves reads
// and writes only on ACTIVE tables; an UPDATING table stays fully usable.
//
// DeleteTable removes the table and its items in one commit at once (so no
// half-deleted table can survive a restart) and remembers the deleted table
// in memory until the delay has passed: the control plane (DescribeTable,
// ListTables, DeleteTable, the tag operations) still sees it as DELETING, the
// data plane already answers ResourceNotFoundException. DynamoDB documents
// that it "might continue to accept" item operations on a DELETING table, so
// refusing them is faithful too. A restart forgets the DELETING tables early.
//
// While a table is CREATING, UPDATING or DELETING, the changes DynamoDB
// refuses get its ResourceInUseException (errors.md D48; the model's
// DeleteTable and UpdateTable documentation): UpdateTable, DeleteTable (except
// that deleting a DELETING table again is no error), CreateTable of the same
// name, and TagResource/UntagResource while CREATING or DELETING.

// DefaultTransientDelay is how long CREATING, UPDATING and DELETING last when
// delays are switched on without a duration (DynamoDB Local's
// -delayTransientStatuses takes none). DynamoDB itself usually takes seconds;
// half a second keeps test suites fast while still needing a real wait.
const DefaultTransientDelay = 500 * time.Millisecond

// WithTransientDelay makes CREATING, UPDATING and DELETING last d (0, the
// default, makes every change instant). It must be called before the service
// is shared.
func (s *Service) WithTransientDelay(d time.Duration) *Service {
	s.status.delay = max(d, 0)
	return s
}

// TransientDelay is the configured transient-status delay (0 when changes
// are instant); index builds may use it for their own statuses.
func (s *Service) TransientDelay() time.Duration { return s.status.delay }

// transitions is the Service's transient-status state.
type transitions struct {
	delay time.Duration

	mu sync.Mutex
	// deleting holds recently deleted tables (copies with Status DELETING and
	// StatusUntil set) until their DELETING status ends.
	deleting map[deletingKey]*catalog.Table
}

type deletingKey struct{ ns, name string }

// transient returns the status and end time a change made at now stores:
// status until now+delay, or ACTIVE at once without a delay.
func (s *Service) transient(status string, now time.Time) (string, time.Time) {
	if s.status.delay <= 0 {
		return catalog.StatusActive, time.Time{}
	}
	return status, now.Add(s.status.delay)
}

// statusOf is the status t reports now.
func (s *Service) statusOf(t *catalog.Table) string { return t.StatusAt(s.now()) }

// inUse is DynamoDB's ResourceInUseException for a change to a table that is
// still CREATING, UPDATING or DELETING, nil for an ACTIVE table. AWS's text
// for CREATING is errors.md D48; the UPDATING and DELETING texts follow the
// same form (AWS documents the code, not the text).
func (s *Service) inUse(t *catalog.Table) error {
	var what string
	switch s.statusOf(t) {
	case catalog.StatusCreating:
		what = "created"
	case catalog.StatusUpdating:
		what = "updated"
	case catalog.StatusDeleting:
		what = "deleted"
	default:
		return nil
	}
	return apierr.ResourceInUse("Attempt to change a resource which is still in use: Table is being " + what + ": " + t.Name)
}

// markDeleted remembers t, just deleted, as DELETING until the delay has
// passed (nothing without a delay).
func (s *Service) markDeleted(t *catalog.Table, now time.Time) {
	if s.status.delay <= 0 {
		return
	}
	d := *t // a copy: catalog tables are immutable
	d.Status, d.StatusUntil = catalog.StatusDeleting, now.Add(s.status.delay)
	s.status.mu.Lock()
	defer s.status.mu.Unlock()
	s.sweepLocked(now)
	if s.status.deleting == nil {
		s.status.deleting = make(map[deletingKey]*catalog.Table)
	}
	s.status.deleting[deletingKey{t.Namespace, t.Name}] = &d
}

// deleted returns table name of namespace ns if it is still DELETING.
func (s *Service) deleted(ns, name string) *catalog.Table {
	s.status.mu.Lock()
	defer s.status.mu.Unlock()
	t := s.status.deleting[deletingKey{ns, name}]
	if t == nil {
		return nil
	}
	if t.StatusAt(s.now()) != catalog.StatusDeleting {
		delete(s.status.deleting, deletingKey{ns, name})
		return nil
	}
	return t
}

// sweepLocked forgets the tables whose DELETING status is over.
func (s *Service) sweepLocked(now time.Time) {
	for k, t := range s.status.deleting {
		if t.StatusAt(now) != catalog.StatusDeleting {
			delete(s.status.deleting, k)
		}
	}
}

// find returns table name of namespace ns as the control plane sees it: a
// table of the catalog in any status, else a table that is still DELETING.
func (s *Service) find(ns, name string) (*catalog.Table, error) {
	t, err := s.cat.Lookup(ns, name)
	if err == nil {
		return t, nil
	}
	if e, ok := apierr.As(err); ok && e.Code == "ResourceNotFoundException" {
		if d := s.deleted(ns, name); d != nil {
			return d, nil
		}
	}
	return nil, err
}

// listNames is the sorted table names of namespace ns that ListTables
// reports: the catalog's plus the tables still DELETING.
func (s *Service) listNames(ns string) []string {
	names := s.cat.List(ns)
	s.status.mu.Lock()
	if len(s.status.deleting) > 0 {
		s.sweepLocked(s.now())
		added := false
		for k := range s.status.deleting {
			if k.ns == ns {
				names = append(names, k.name)
				added = true
			}
		}
		if added {
			sort.Strings(names)
			names = dedupSorted(names)
		}
	}
	s.status.mu.Unlock()
	return names
}

// dedupSorted removes adjacent duplicates (a name re-created while its old
// table is still DELETING).
func dedupSorted(names []string) []string {
	out := names[:0]
	for i, n := range names {
		if i == 0 || n != names[i-1] {
			out = append(out, n)
		}
	}
	return out
}

// checkCreatable refuses CreateTable of a name whose table is still
// CREATING, UPDATING or DELETING (errors.md D48 and its analogues); an ACTIVE
// table is left to the catalog ("Table already exists: <name>", D47).
func (s *Service) checkCreatable(ns, name string) error {
	t, err := s.find(ns, name)
	if err != nil {
		return s.checkTransitions(ns) // missing (or unreadable: the catalog will say)
	}
	if err := s.inUse(t); err != nil {
		return err
	}
	return s.checkTransitions(ns)
}

// maxTransitions is how many tables may be CREATING, UPDATING or DELETING
// at once (limits.md section 5).
const maxTransitions = 500

// checkTransitions refuses a new table when namespace ns already has
// maxTransitions tables CREATING, UPDATING or DELETING (errors.md D51).
// Without a transient delay no table is ever in such a status.
func (s *Service) checkTransitions(ns string) error {
	if s.status.delay <= 0 {
		return nil
	}
	now := s.now()
	n := 0
	for _, name := range s.cat.List(ns) {
		if t, err := s.cat.Lookup(ns, name); err == nil && t.StatusAt(now) != catalog.StatusActive {
			n++
		}
	}
	s.status.mu.Lock()
	s.sweepLocked(now)
	for k := range s.status.deleting {
		if k.ns == ns {
			n++
		}
	}
	s.status.mu.Unlock()
	if n >= maxTransitions {
		return apierr.LimitExceeded("Too many operations for a given subscriber.")
	}
	return nil
}
