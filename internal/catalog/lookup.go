package catalog

// NamespacesWith returns the sorted namespaces that hold a table called
// name. It walks every table, so it is meant for error paths only: the
// server calls it after a ResourceNotFoundException to tell a developer
// that the table exists under another access key or region.
func (c *Catalog) NamespacesWith(name string) []string {
	return c.sortedKeys(func(k tableKey) (string, bool) { return k.ns, k.name == name })
}
