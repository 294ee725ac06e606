package catalog

import "sort"

// NamespacesWith returns the sorted namespaces that hold a table called
// name. It walks every table, so it is meant for error paths only: the
// server calls it after a ResourceNotFoundException to tell a developer
// that the table exists under another access key or region.
func (c *Catalog) NamespacesWith(name string) []string {
	c.mu.RLock()
	var out []string
	for k := range c.tables {
		if k.name == name {
			out = append(out, k.ns)
		}
	}
	c.mu.RUnlock()
	sort.Strings(out)
	return out
}
