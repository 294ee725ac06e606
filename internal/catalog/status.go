package catalog

import "time"

// Table statuses are computed, not driven by timers: a control-plane change
// stores the transient status it puts the table in (CREATING, UPDATING) and
// the time that status ends (Table.StatusUntil); readers compare that time
// with their clock. Without -delayTransientStatuses nothing is transient
// (Status is ACTIVE, StatusUntil zero) and no clock is read.

// StatusAt is the status the table reports at now: its transient Status
// until StatusUntil, ACTIVE from then on (and always when StatusUntil is
// zero).
func (t *Table) StatusAt(now time.Time) string {
	if t.Status == "" || t.StatusUntil.IsZero() || !now.Before(t.StatusUntil) {
		return StatusActive
	}
	return t.Status
}

// WithClock replaces the clock Get compares transient statuses with (tests;
// the default is time.Now). It must be called before the catalog is shared.
func (c *Catalog) WithClock(now func() time.Time) *Catalog {
	c.now = now
	return c
}
