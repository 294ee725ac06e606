package catalog

// Index is one secondary index of a table. TODO(#4): key schema,
// projection, status, backfill state and throughput.
//
// Persisted: part of Table's JSON; add fields with omitempty.
type Index struct {
	Name string `json:"name"`
}
