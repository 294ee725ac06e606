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
	names      map[string]string
	values     attr.Item
	usedNames  map[string]struct{}
	usedValues map[string]struct{}
}

// NewPlaceholders wraps a request's placeholder maps (either may be nil).
func NewPlaceholders(names map[string]string, values attr.Item) *Placeholders {
	return &Placeholders{names: names, values: values}
}

func (p *Placeholders) name(key string) (string, bool) {
	if p == nil {
		return "", false
	}
	v, ok := p.names[key]
	if ok {
		if p.usedNames == nil {
			p.usedNames = make(map[string]struct{})
		}
		p.usedNames[key] = struct{}{}
	}
	return v, ok
}

func (p *Placeholders) value(key string) (attr.Value, bool) {
	if p == nil {
		return attr.Value{}, false
	}
	v, ok := p.values[key]
	if ok {
		if p.usedValues == nil {
			p.usedValues = make(map[string]struct{})
		}
		p.usedValues[key] = struct{}{}
	}
	return v, ok
}

// CheckUnused returns DynamoDB's error for placeholders that none of the
// request's parsed expressions used (names are checked before values), or
// nil. Call it after parsing every expression of the request.
func (p *Placeholders) CheckUnused() error {
	if p == nil {
		return nil
	}
	if keys := unused(p.names, p.usedNames); keys != "" {
		return apierr.Validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + keys + "}")
	}
	var vk []string
	for k := range p.values {
		if _, ok := p.usedValues[k]; !ok {
			vk = append(vk, k)
		}
	}
	if len(vk) > 0 {
		sort.Strings(vk)
		return apierr.Validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + strings.Join(vk, ", ") + "}")
	}
	return nil
}

func unused(m map[string]string, used map[string]struct{}) string {
	var keys []string
	for k := range m {
		if _, ok := used[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
