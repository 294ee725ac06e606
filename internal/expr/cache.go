package expr

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/petreldb/petrel/internal/attr"
)

// Cache remembers recent parses so that a request repeating an expression —
// the common case: clients send one UpdateExpression text with the same
// ExpressionAttributeNames and new ExpressionAttributeValues thousands of
// times a second — skips the lexer, the parser and placeholder resolution.
// Its methods return exactly what the package-level Parse functions return,
// errors and recorded placeholder uses included. A nil *Cache caches
// nothing; the zero Cache is ready to use. A Cache is safe for concurrent
// use.
//
// Why a hit is exact: parsing runs in three phases (doc.go). Syntax depends
// on the text alone. Resolution depends on the text, on the attribute names
// the text's #names stand for and on which of its :values are defined; it
// fails only on an undefined placeholder or a text-only rule (reserved
// words, list indexes, nesting depth). The static rules then read the
// resolved tree, the values and Placeholders.DeferTypeChecks. An entry is
// keyed by the kind of expression and its text and holds the tree as it
// was after resolution, with its :value nodes emptied, and the bindings
// that produced it: every #name with the attribute name it stood for and
// every :value. A lookup hits only if the request's maps give every such
// #name the same attribute name and define every such :value; a fresh parse
// of that request would then pass syntax and resolution and build the same
// tree. So a hit marks the same placeholders used, puts the request's values
// into copies of the value nodes (and of their ancestors; everything else is
// shared) and reruns every static rule on the result, which produces the
// fresh parse's result or first error. Any other request misses and is
// parsed afresh. Unused placeholders are still found by
// Placeholders.CheckUnused, since a hit records exactly the uses a fresh
// parse would. Only parses that succeeded are stored; a parse never keeps a
// request's values, so one request's values never reach another's
// expression.
//
// The trees returned may be shared by concurrent requests (a projection, a
// condition without :values, the paths of any expression): parsed
// expressions are immutable and callers must not modify them.
//
// Memory is bounded: texts longer than maxCachedText are not cached, each
// text keeps at most maxVariants sets of name bindings, and once the
// entries stored weigh more than cacheBudget (an entry weighs its token
// count plus entryWeight) the whole cache is cleared.
type Cache struct {
	m      sync.Map     // cacheKey -> *cacheEntry
	weight atomic.Int64 // weight stored since the last clear, never less than the weight held
	mu     sync.Mutex   // serialises clearing
	budget int64        // cacheBudget when 0 (tests set a smaller one)
}

// Cache bounds. An entry costs up to about 230 bytes per unit of weight (a
// 1 KB condition or update made of many short comparisons or actions;
// projections cost far less), so a full cache holds at most about 15 MB.
const (
	maxCachedText = 1024    // bytes; longer expressions are parsed every time
	maxVariants   = 4       // name bindings kept per text
	entryWeight   = 8       // fixed weight of an entry, in tokens
	cacheBudget   = 1 << 16 // total weight before the cache is cleared
)

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{} }

// exprKind is the kind of expression an entry holds; the same text parses
// differently (or fails differently) as different kinds.
type exprKind uint8

const (
	kindCondition exprKind = iota
	kindFilter
	kindUpdate
	kindProjection
	kindKeyCondition
)

type cacheKey struct {
	kind exprKind
	text string
}

// cacheEntry is the immutable list of parses of one text, most recent
// first, one per distinct set of name bindings.
type cacheEntry struct {
	variants []*template
}

// bindings records which placeholders a parse resolved: each #name (once)
// with the attribute name it stood for, each :value (once), and the
// expression's token count, its weight in the cache.
type bindings struct {
	names  []nameBinding
	values []string
	tokens int
}

type nameBinding struct{ key, name string }

// addName records that key resolved to name and returns name as stored:
// the bindings keep their own copy, so an entry shares no memory with the
// request that created it.
func (b *bindings) addName(key, name string) string {
	for _, nb := range b.names {
		if nb.key == key {
			return nb.name
		}
	}
	name = strings.Clone(name)
	b.names = append(b.names, nameBinding{key, name})
	return name
}

func (b *bindings) addValue(key string) {
	for _, k := range b.values {
		if k == key {
			return
		}
	}
	b.values = append(b.values, key)
}

// sameNames reports whether b and c bind the same #names to the same
// attribute names (then they were parsed from the same text into the same
// tree and use the same :values).
func (b *bindings) sameNames(c *bindings) bool {
	if len(b.names) != len(c.names) {
		return false
	}
	for i := range b.names {
		if b.names[i] != c.names[i] {
			return false
		}
	}
	return true
}

// template is one cached parse: the resolved tree with empty :value nodes
// and the bindings it was resolved with. It is never modified once stored.
type template struct {
	bindings
	cond    *Condition     // ConditionExpression, FilterExpression, KeyConditionExpression
	actions []updateAction // UpdateExpression
	proj    *Projection    // ProjectionExpression
	copies  copyCounts     // nodes a hit copies to bind values (binder)
}

// lookup returns the entry for text that ph's maps bind as it was bound
// when parsed, after recording its placeholders as used in ph, or nil.
func (c *Cache) lookup(kind exprKind, text string, ph *Placeholders) *template {
	if c == nil || len(text) > maxCachedText {
		return nil
	}
	v, ok := c.m.Load(cacheKey{kind, text})
	if !ok {
		return nil
	}
	for _, t := range v.(*cacheEntry).variants {
		if ph.binds(&t.bindings) {
			ph.markUsed(&t.bindings)
			return t
		}
	}
	return nil
}

// prepare returns what a parse of text should record for the cache: nil
// when text is not cacheable (or c is nil), else empty bindings and a copy
// of text to parse instead, which the entry will keep (the request's
// string may share memory with its decoding buffer).
func (c *Cache) prepare(text string) (*bindings, string) {
	if c == nil || len(text) > maxCachedText {
		return nil, text
	}
	return &bindings{}, strings.Clone(text)
}

// store adds t as the most recent parse of text, dropping a previous parse
// with the same name bindings and the oldest beyond maxVariants, and clears
// the whole cache once it has grown past its budget.
func (c *Cache) store(kind exprKind, text string, t *template) {
	key := cacheKey{kind, text}
	vs := []*template{t}
	if v, ok := c.m.Load(key); ok {
		for _, o := range v.(*cacheEntry).variants {
			if len(vs) < maxVariants && !o.sameNames(&t.bindings) {
				vs = append(vs, o)
			}
		}
	}
	c.m.Store(key, &cacheEntry{variants: vs})
	// Replaced variants are not subtracted, and the counter is reset before
	// the map is cleared, so it never counts less than the cache holds.
	budget := c.budget
	if budget == 0 {
		budget = cacheBudget
	}
	if c.weight.Add(int64(t.tokens+entryWeight)) > budget {
		c.mu.Lock()
		if c.weight.Load() > budget {
			c.weight.Store(0)
			c.m.Clear()
		}
		c.mu.Unlock()
	}
}

// len returns the number of texts cached (for tests).
func (c *Cache) len() int {
	n := 0
	c.m.Range(func(any, any) bool { n++; return true })
	return n
}

// ParseCondition is ParseCondition through the cache.
func (c *Cache) ParseCondition(s string, ph *Placeholders) (*Condition, error) {
	return c.condition(kindCondition, "ConditionExpression", s, ph)
}

// ParseFilter is ParseFilter through the cache.
func (c *Cache) ParseFilter(s string, ph *Placeholders) (*Condition, error) {
	return c.condition(kindFilter, "FilterExpression", s, ph)
}

func (c *Cache) condition(k exprKind, kind, s string, ph *Placeholders) (*Condition, error) {
	var cond *Condition
	if t := c.lookup(k, s, ph); t != nil {
		cond = newBinder(ph.valueMap(), t.copies).cond(t.cond)
		if err := checkResolvedCondition(kind, ph, cond); err != nil {
			return nil, err
		}
		return cond, nil
	}
	b, text := c.prepare(s)
	err := parseBinding(kind, text, ph, b, func(p *parser) {
		cond = p.parseOr()
		p.expectEOF()
		p.resolveLeaves()
		p.checkCondition(cond)
	})
	if err != nil {
		return nil, err
	}
	if b != nil {
		var e binder
		c.store(k, text, &template{bindings: *b, cond: e.cond(cond), copies: e.n})
	}
	return cond, nil
}

// ParseUpdate is ParseUpdate through the cache.
func (c *Cache) ParseUpdate(s string, ph *Placeholders) (*Update, error) {
	const kind = "UpdateExpression"
	var u *Update
	if t := c.lookup(kindUpdate, s, ph); t != nil {
		return buildResolvedUpdate(ph, newBinder(ph.valueMap(), t.copies).actions(t.actions))
	}
	b, text := c.prepare(s)
	var actions []updateAction
	err := parseBinding(kind, text, ph, b, func(p *parser) {
		actions = p.parseUpdateActions()
		p.resolveLeaves()
		u = p.buildUpdate(actions)
	})
	if err != nil {
		return nil, err
	}
	if b != nil {
		var e binder
		c.store(kindUpdate, text, &template{bindings: *b, actions: e.actions(actions), copies: e.n})
	}
	return u, nil
}

// ParseProjection is ParseProjection through the cache. A projection holds
// no values and its only static rule (overlapping paths) reads nothing but
// the paths, so a hit returns the stored projection itself.
func (c *Cache) ParseProjection(s string, ph *Placeholders) (*Projection, error) {
	if t := c.lookup(kindProjection, s, ph); t != nil {
		return t.proj, nil
	}
	b, text := c.prepare(s)
	pr, err := parseProjection(text, ph, b)
	if err != nil {
		return nil, err
	}
	if b != nil {
		c.store(kindProjection, text, &template{bindings: *b, proj: pr})
	}
	return pr, nil
}

// ParseKeyCondition is ParseKeyCondition through the cache. The entry is
// the resolved condition; the key-condition rules, which read the values,
// and the checks against schema run on every request.
func (c *Cache) ParseKeyCondition(s string, ph *Placeholders, schema KeySchema) (*KeyCondition, error) {
	if t := c.lookup(kindKeyCondition, s, ph); t != nil {
		terms, err := resolvedKeyTerms(ph, newBinder(ph.valueMap(), t.copies).cond(t.cond))
		if err != nil {
			return nil, err
		}
		return buildKeyCondition(terms, schema)
	}
	b, text := c.prepare(s)
	var cond *Condition
	var terms []keyTerm
	err := parseBinding("KeyConditionExpression", text, ph, b, func(p *parser) {
		cond = p.parseOr()
		p.expectEOF()
		p.resolveLeaves()
		terms = p.keyTerms(cond, nil)
	})
	if err != nil {
		return nil, err
	}
	if b != nil {
		var e binder
		c.store(kindKeyCondition, text, &template{bindings: *b, cond: e.cond(cond), copies: e.n})
	}
	return buildKeyCondition(terms, schema)
}

// The static rules of a cache hit, run on the bound tree: they need no
// source text, and their parser stays off the heap.

func checkResolvedCondition(kind string, ph *Placeholders, c *Condition) (err error) {
	p := parser{kind: kind, ph: ph}
	defer recoverBailout(&err)
	p.checkCondition(c)
	return nil
}

func buildResolvedUpdate(ph *Placeholders, actions []updateAction) (u *Update, err error) {
	p := parser{kind: "UpdateExpression", ph: ph}
	defer recoverBailout(&err)
	return p.buildUpdate(actions), nil
}

func resolvedKeyTerms(ph *Placeholders, c *Condition) (terms []keyTerm, err error) {
	p := parser{kind: "KeyConditionExpression", ph: ph}
	defer recoverBailout(&err)
	return p.keyTerms(c, nil), nil
}

// binder copies the nodes of an entry's tree that lead to :value nodes,
// putting the request's values in (paths and subtrees without a :value are
// shared). It takes the copies from slabs sized by the entry's counts, so a
// hit allocates a few slabs rather than node after node; it falls back to
// single allocations when a slab is missing or full, and counts the copies
// it makes. Binding a fresh parse's tree with nil vals and no slabs empties
// its value nodes and counts the copies: that is how an entry is made.
type binder struct {
	vals  attr.Item
	ops   []Operand
	conds []Condition
	args  []*Operand
	n     copyCounts
}

// copyCounts counts the nodes binding an entry copies.
type copyCounts struct {
	ops, conds, args int
}

// newBinder returns a binder for an entry that copies n nodes.
func newBinder(vals attr.Item, n copyCounts) *binder {
	b := &binder{vals: vals}
	if n.ops > 0 {
		b.ops = make([]Operand, 0, n.ops)
	}
	if n.conds > 0 {
		b.conds = make([]Condition, 0, n.conds)
	}
	if n.args > 0 {
		b.args = make([]*Operand, 0, n.args)
	}
	return b
}

func (b *binder) copyOperand(o *Operand) *Operand {
	b.n.ops++
	var n *Operand
	if len(b.ops) < cap(b.ops) {
		b.ops = b.ops[:len(b.ops)+1]
		n = &b.ops[len(b.ops)-1]
	} else {
		n = new(Operand)
	}
	*n = *o
	return n
}

func (b *binder) copyCondition(c *Condition) *Condition {
	b.n.conds++
	var n *Condition
	if len(b.conds) < cap(b.conds) {
		b.conds = b.conds[:len(b.conds)+1]
		n = &b.conds[len(b.conds)-1]
	} else {
		n = new(Condition)
	}
	*n = *c
	return n
}

// copyArgs returns a copy of args, with its own capacity.
func (b *binder) copyArgs(args []*Operand) []*Operand {
	b.n.args += len(args)
	var out []*Operand
	if l := len(b.args); l+len(args) <= cap(b.args) {
		b.args = b.args[:l+len(args)]
		out = b.args[l : l+len(args) : l+len(args)]
	} else {
		out = make([]*Operand, len(args))
	}
	copy(out, args)
	return out
}

// cond returns c with the values in its :value nodes: c itself when it has
// no :value, else a copy.
func (b *binder) cond(c *Condition) *Condition {
	var l, r *Condition
	if c.Left != nil {
		l = b.cond(c.Left)
	}
	if c.Right != nil {
		r = b.cond(c.Right)
	}
	args := b.operands(c.Args)
	if l == c.Left && r == c.Right && args == nil {
		return c
	}
	n := b.copyCondition(c)
	n.Left, n.Right = l, r
	if args != nil {
		n.Args = args
	}
	return n
}

// operand is cond for an operand.
func (b *binder) operand(o *Operand) *Operand {
	switch o.Kind {
	case OperandPath:
		return o
	case OperandValue:
		n := b.copyOperand(o)
		n.Value = b.vals[o.ValueName]
		return n
	}
	args := b.operands(o.Args)
	if args == nil {
		return o
	}
	n := b.copyOperand(o)
	n.Args = args
	return n
}

// operands binds each operand of args; it returns nil when none changed,
// else a new slice.
func (b *binder) operands(args []*Operand) []*Operand {
	var out []*Operand
	for i, a := range args {
		o := b.operand(a)
		if o != a && out == nil {
			out = b.copyArgs(args)
		}
		if out != nil {
			out[i] = o
		}
	}
	return out
}

// actions binds the value operands of an update's actions; it returns
// actions itself when none has a :value.
func (b *binder) actions(actions []updateAction) []updateAction {
	var out []updateAction
	for i, a := range actions {
		if a.value == nil {
			continue
		}
		v := b.operand(a.value)
		if v == a.value {
			continue
		}
		if out == nil {
			out = make([]updateAction, len(actions))
			copy(out, actions)
		}
		out[i].value = v
	}
	if out == nil {
		return actions
	}
	return out
}
