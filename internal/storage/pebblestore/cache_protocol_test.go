package pebblestore

import (
	"fmt"
	"testing"
)

// These tests drive the read cache's protocol step by step, in the
// interleavings that the argument in cache.go reasons about.

// protocolCache is a readCache with helpers naming protocol steps.
type protocolCache struct {
	t *testing.T
	*readCache
}

// set is a writeSet that sets key to value.
func (c protocolCache) set(key, value string) *writeSet {
	return &writeSet{keys: []keyWrite{{
		hash: c.hash([]byte(key)), key: []byte(key), value: []byte(value), present: true, known: true,
	}}}
}

// merge is a writeSet that merges into key (outcome unknown).
func (c protocolCache) merge(key string) *writeSet {
	return &writeSet{keys: []keyWrite{{hash: c.hash([]byte(key)), key: []byte(key)}}}
}

// read is a Get's first half: the lookup.
func (c protocolCache) read(key string) (got, ticket) {
	v, ok, hit, tk := c.lookup([]byte(key))
	return got{value: string(v), present: ok, hit: hit}, tk
}

// cacheRead is a whole Get that finds value in Pebble on a miss.
func (c protocolCache) cacheRead(key, value string) got {
	g, tk := c.read(key)
	if !g.hit {
		c.fill([]byte(key), tk, []byte(value), true)
		g.value, g.present = value, true
	}
	return g
}

// want fails the test unless key is cached as value ("" for not cached).
func (c protocolCache) want(key, value string) {
	c.t.Helper()
	g, _ := c.read(key)
	switch {
	case value == "" && g.hit:
		c.t.Errorf("%s is cached as %v, want not cached", key, g)
	case value != "" && (!g.hit || g.value != value):
		c.t.Errorf("%s is %v, want a hit of %q", key, g, value)
	}
}

// sameShard returns a key other than key in key's shard.
func (c protocolCache) sameShard(key string) string {
	h := c.hash([]byte(key))
	for i := 0; ; i++ {
		k := fmt.Sprintf("other%d", i)
		if h2 := c.hash([]byte(k)); c.shard(h2) == c.shard(h) && h2 != h {
			return k
		}
	}
}

func TestReadCacheProtocol(t *testing.T) {
	all := &writeSet{all: true}
	tests := []struct {
		name string
		run  func(c protocolCache)
	}{
		{"a fill after a write of the key began and ended is refused", func(c protocolCache) {
			_, tk := c.read("k")
			w := c.set("k", "new")
			c.pre(w)
			c.post(w, true)
			c.fill([]byte("k"), tk, []byte("old"), true)
			c.want("k", "")
		}},
		{"a fill after a write of the key began is refused", func(c protocolCache) {
			_, tk := c.read("k")
			w := c.set("k", "new")
			c.pre(w)
			c.fill([]byte("k"), tk, []byte("old"), true)
			c.want("k", "")
			c.post(w, true)
			c.want("k", "")
		}},
		{"a fill after a write of another key of the shard is refused", func(c protocolCache) {
			_, tk := c.read("k")
			w := c.set(c.sameShard("k"), "new")
			c.pre(w)
			c.post(w, true)
			c.fill([]byte("k"), tk, []byte("old"), true)
			c.want("k", "")
		}},
		{"a lookup while a write is in flight neither hits nor fills", func(c protocolCache) {
			c.cacheRead("k", "old")
			w := c.set("k", "new")
			c.pre(w)
			g, tk := c.read("k")
			if g.hit || tk.fill {
				c.t.Errorf("lookup during a write: hit %v, fill %v", g.hit, tk.fill)
			}
			c.fill([]byte("k"), tk, []byte("old"), true)
			c.want("k", "")
			c.post(w, true)
		}},
		{"a fill of a read that began during a write is refused after it", func(c protocolCache) {
			w := c.set("k", "new")
			c.pre(w)
			_, tk := c.read("k")
			tk.fill = true // ignore the lookup's hint: the version must suffice
			c.post(w, true)
			c.fill([]byte("k"), tk, []byte("old"), true)
			c.want("k", "")
		}},
		{"a fill of a read that began during a range write is refused after it", func(c protocolCache) {
			c.pre(all)
			_, tk := c.read("k")
			tk.fill = true
			c.post(all, true)
			c.fill([]byte("k"), tk, []byte("old"), true)
			c.want("k", "")
		}},
		{"a sole writer of a cached key refreshes it", func(c protocolCache) {
			c.cacheRead("k", "old")
			w := c.set("k", "new")
			c.pre(w)
			c.post(w, true)
			c.want("k", "new")
		}},
		{"a sole writer of an uncached key does not cache it", func(c protocolCache) {
			w := c.set("k", "new")
			c.pre(w)
			c.post(w, true)
			c.want("k", "")
		}},
		{"a failed commit leaves the key uncached", func(c protocolCache) {
			c.cacheRead("k", "old")
			w := c.set("k", "new")
			c.pre(w)
			c.post(w, false)
			c.want("k", "")
		}},
		{"a merge leaves the key uncached", func(c protocolCache) {
			c.cacheRead("k", "old")
			w := c.merge("k")
			c.pre(w)
			c.post(w, true)
			c.want("k", "")
		}},
		{"overlapping writers of a key leave it uncached, first out first", func(c protocolCache) {
			c.cacheRead("k", "old")
			w1, w2 := c.set("k", "one"), c.set("k", "two")
			c.pre(w1)
			c.pre(w2)
			c.post(w1, true)
			c.want("k", "")
			c.post(w2, true)
			c.want("k", "")
		}},
		{"overlapping writers of a key leave it uncached, last out first", func(c protocolCache) {
			c.cacheRead("k", "old")
			w1, w2 := c.set("k", "one"), c.set("k", "two")
			c.pre(w1)
			c.pre(w2)
			c.post(w2, true)
			c.want("k", "")
			c.post(w1, true)
			c.want("k", "")
		}},
		{"a range write blocks hits and fills in every shard", func(c protocolCache) {
			c.cacheRead("k", "old")
			c.pre(all)
			c.want("k", "")
			_, tk := c.read("j")
			c.fill([]byte("j"), tk, []byte("old"), true)
			c.want("j", "")
			c.post(all, true)
			c.want("k", "")
			c.want("j", "")
			c.cacheRead("j", "fresh")
			c.want("j", "fresh")
		}},
		{"a point write that began during a range write leaves the key uncached", func(c protocolCache) {
			c.cacheRead("k", "old")
			c.pre(all)
			w := c.set("k", "new")
			c.pre(w)
			c.post(all, true)
			c.post(w, true)
			c.want("k", "")
		}},
		{"a point write in flight when a range write began does not refresh", func(c protocolCache) {
			c.cacheRead("k", "old")
			w := c.set("k", "new")
			c.pre(w)
			c.pre(all)
			c.post(all, true)
			c.post(w, true)
			c.want("k", "")
		}},
		{"writers that do not overlap each refresh", func(c protocolCache) {
			c.cacheRead("k", "old")
			for _, v := range []string{"one", "two", "three"} {
				w := c.set("k", v)
				c.pre(w)
				c.post(w, true)
				c.want("k", v)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := protocolCache{t: t, readCache: newReadCache(DefaultReadCacheSize)}
			tc.run(c)
			if st := c.stats(); st.pending != 0 {
				t.Errorf("%d keys still pending", st.pending)
			}
		})
	}
}
