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
	// deferTypes and typeErr: see DeferTypeChecks.
	deferTypes bool
	typeErr    error
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
	return p.typeErr
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
