package pebblestore

import "testing"

func BenchmarkUpdateMemCache(b *testing.B) {
	e, err := Open("", Options{InMemory: true, CacheSize: 64 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	benchUpdates(b, e, 1)
	b.StopTimer()
	m := e.db.Metrics()
	println(m.BlockCache.Count, m.BlockCache.Hits, m.BlockCache.Misses)
}
