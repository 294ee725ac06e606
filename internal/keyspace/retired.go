package keyspace

// Retired streams: the streams of deleted tables, readable for 24 hours
// after the deletion (package catalog writes them, package streams reads
// and sweeps them):
//
//	0x03 ns 0x00 name 0x00 label     JSON descriptor (catalog.RetiredStream)
//
// Table names and labels never contain 0x00, so the descriptors of one
// namespace are ordered by table name, then label.
//
// Persisted: do not change the prefix or the layout.
const prefixRetiredStream = 0x03

// RetiredStream is the key of the descriptor of stream label of deleted
// table name of namespace ns.
func RetiredStream(ns, name, label string) []byte {
	k := make([]byte, 0, 3+len(ns)+len(name)+len(label))
	k = append(k, prefixRetiredStream)
	k = append(k, ns...)
	k = append(k, 0)
	k = append(k, name...)
	k = append(k, 0)
	return append(k, label...)
}

// RetiredStreams bounds the descriptors of namespace ns: [lower, upper).
func RetiredStreams(ns string) (lower, upper []byte) {
	lower = append(append([]byte{prefixRetiredStream}, ns...), 0)
	upper = append(append([]byte{prefixRetiredStream}, ns...), 1)
	return lower, upper
}

// RetiredStreamsOf bounds the descriptors of table name of namespace ns.
func RetiredStreamsOf(ns, name string) (lower, upper []byte) {
	lower = append(append(append(append([]byte{prefixRetiredStream}, ns...), 0), name...), 0)
	upper = append(append(append(append([]byte{prefixRetiredStream}, ns...), 0), name...), 1)
	return lower, upper
}

// AllRetiredStreams bounds the descriptors of every namespace.
func AllRetiredStreams() (lower, upper []byte) {
	return []byte{prefixRetiredStream}, []byte{prefixRetiredStream + 1}
}
