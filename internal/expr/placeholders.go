package expr

import (
	"sort"
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
)

// Placeholders holds one request's ExpressionAttributeNames and
// ExpressionAttributeValues and records which of them the request's
// expressions used, so that CheckUnused can reject the rest.
//
// The maps' own syntax (key format, empty maps, empty names, invalid values)
// is the caller's to validate before parsing; see errors.md G32-G40.
// A Placeholders is not safe for concurrent use.
type Placeholders struct {
	names  map[string]string
	values attr.Item
	// used lists, once each, the keys of names and values that expressions
	// used; nNames and nValues count them. A request uses a handful, so a
	// list in usedBuf beats two maps; usedSet indexes a long list.
	used            []usedKey
	usedBuf         [8]usedKey
	usedSet         map[usedKey]struct{}
	nNames, nValues int
	// deferTypes and typeErr: see DeferTypeChecks.
	deferTypes bool
	typeErr    error
}

// usedKey is a key of names (value false) or of values (value true).
type usedKey struct {
	key   string
	value bool
}

// usedSetMin is the length of used from which usedSet indexes it.
const usedSetMin = 16

// NewPlaceholders wraps a request's placeholder maps (either may be nil).
func NewPlaceholders(names map[string]string, values attr.Item) *Placeholders {
	return &Placeholders{names: names, values: values}
}

func (p *Placeholders) name(key string) (string, bool) {
	if p == nil {
		return "", false
	}
	v, ok := p.names[key]
	if ok && p.markKey(usedKey{key, false}) {
		p.nNames++
	}
	return v, ok
}

func (p *Placeholders) value(key string) (attr.Value, bool) {
	if p == nil {
		return attr.Value{}, false
	}
	v, ok := p.values[key]
	if ok && p.markKey(usedKey{key, true}) {
		p.nValues++
	}
	return v, ok
}

// markKey adds key to used and reports whether it was not there yet.
func (p *Placeholders) markKey(key usedKey) bool {
	if p.isUsed(key) {
		return false
	}
	if p.used == nil {
		p.used = p.usedBuf[:0]
	}
	p.used = append(p.used, key)
	switch {
	case p.usedSet != nil:
		p.usedSet[key] = struct{}{}
	case len(p.used) >= usedSetMin:
		p.usedSet = make(map[usedKey]struct{}, 2*len(p.used))
		for _, k := range p.used {
			p.usedSet[k] = struct{}{}
		}
	}
	return true
}

// isUsed reports whether an expression used key.
func (p *Placeholders) isUsed(key usedKey) bool {
	if p.usedSet != nil {
		_, ok := p.usedSet[key]
		return ok
	}
	for _, k := range p.used {
		if k == key {
			return true
		}
	}
	return false
}

// valueMap returns the ExpressionAttributeValues (nil for a nil p).
func (p *Placeholders) valueMap() attr.Item {
	if p == nil {
		return nil
	}
	return p.values
}

// binds reports whether p's maps resolve every placeholder of b as b
// records: each #name to the same attribute name, each :value defined.
func (p *Placeholders) binds(b *bindings) bool {
	if p == nil {
		return len(b.names) == 0 && len(b.values) == 0
	}
	for _, nb := range b.names {
		if v, ok := p.names[nb.key]; !ok || v != nb.name {
			return false
		}
	}
	for _, k := range b.values {
		if _, ok := p.values[k]; !ok {
			return false
		}
	}
	return true
}

// markUsed records every placeholder of b as used, as resolving them would.
// p must bind b (binds).
func (p *Placeholders) markUsed(b *bindings) {
	for _, nb := range b.names {
		if p.markKey(usedKey{nb.key, false}) {
			p.nNames++
		}
	}
	for _, k := range b.values {
		if p.markKey(usedKey{k, true}) {
			p.nValues++
		}
	}
}

// DeferTypeChecks makes the parsers record the first static operand-type
// error of the request's expressions (a :value of the wrong type for +, -,
// list_append, ADD, DELETE, <, BETWEEN, begins_with, attribute_type) instead
// of failing, so that CheckUnused can report it after the unused
// placeholders, in DynamoDB's order (expressions.md §9: syntax, placeholder
// definitions, unused placeholders, then static operand types). A caller
// that sets it must call CheckUnused before using the parsed expressions.
func (p *Placeholders) DeferTypeChecks() {
	if p != nil {
		p.deferTypes = true
	}
}

// CheckUnused returns DynamoDB's error for placeholders that none of the
// request's parsed expressions used (names are checked before values), then
// the operand-type error deferred by DeferTypeChecks, or nil. Call it after
// parsing every expression of the request.
func (p *Placeholders) CheckUnused() error {
	if p == nil {
		return nil
	}
	// Every key counted is a key of its map, so the counts equal the maps'
	// sizes exactly when nothing is unused.
	if p.nNames < len(p.names) {
		return apierr.Validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + unused(p, p.names, false) + "}")
	}
	if p.nValues < len(p.values) {
		return apierr.Validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + unused(p, p.values, true) + "}")
	}
	return p.typeErr
}

// unused lists the keys of m (values: m is the values map) that no
// expression used, sorted.
func unused[V any](p *Placeholders, m map[string]V, values bool) string {
	var keys []string
	for k := range m {
		if !p.isUsed(usedKey{k, values}) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
