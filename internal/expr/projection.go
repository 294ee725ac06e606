package expr

import (
	"sort"

	"github.com/petreldb/petrel/internal/attr"
)

// Projection is a parsed ProjectionExpression (or legacy AttributesToGet):
// the document paths to return. It is immutable after parsing and safe for
// concurrent use.
type Projection struct {
	Paths []Path
}

// String renders the projection as a comma-separated path list.
func (p *Projection) String() string {
	s := ""
	for i, q := range p.Paths {
		if i > 0 {
			s += ", "
		}
		s += q.String()
	}
	return s
}

// ParseProjection parses a ProjectionExpression (path { ',' path }),
// resolving placeholders from p; overlapping paths are rejected.
func ParseProjection(s string, p *Placeholders) (*Projection, error) {
	return parseProjection(s, p, nil)
}

// parseProjection is ParseProjection recording bindings for the cache (when
// b is not nil).
func parseProjection(s string, ph *Placeholders, b *bindings) (*Projection, error) {
	var pr *Projection
	err := parseBinding("ProjectionExpression", s, ph, b, func(p *parser) {
		var ops []*Operand
		for {
			ops = append(ops, p.parsePath())
			if !p.peek().is(",") {
				break
			}
			p.next()
		}
		p.expectEOF()
		p.resolveLeaves()
		pr = &Projection{Paths: make([]Path, len(ops))}
		for i, o := range ops {
			pr.Paths[i] = o.Path
		}
		if msg := checkOverlaps(pr.Paths); msg != "" {
			p.fail(msg)
		}
	})
	if err != nil {
		return nil, err
	}
	return pr, nil
}

// TopLevel returns the distinct top-level attribute names the projection
// reads, in first-use order (useful for index projection checks).
func (p *Projection) TopLevel() []string {
	var out []string
	seen := make(map[string]bool, len(p.Paths))
	for _, q := range p.Paths {
		if n := q[0].Name; !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// projNode is a node of the result tree built by Apply.
type projNode struct {
	leaf  *attr.Value
	keys  map[string]*projNode
	elems map[int]*projNode
}

// Apply returns the parts of item selected by the projection, shaped as
// DynamoDB returns them: nested elements inside their parent maps, selected
// list elements compacted in ascending index order, missing paths omitted.
// A nil item gives nil. item is not modified; the result shares leaf values
// with it.
func (p *Projection) Apply(item attr.Item) attr.Item {
	if item == nil {
		return nil
	}
	if allTopLevel(p.Paths) {
		// The common case needs no result tree.
		out := make(attr.Item, len(p.Paths))
		for _, q := range p.Paths {
			if v, ok := item[q[0].Name]; ok {
				out[q[0].Name] = v
			}
		}
		return out
	}
	return p.applyTree(item)
}

// applyTree is Apply for any paths: it builds the tree of the selected
// parts, then the result from it.
func (p *Projection) applyTree(item attr.Item) attr.Item {
	root := &projNode{keys: map[string]*projNode{}}
	for _, q := range p.Paths {
		if _, ok := lookup(item, q); !ok {
			continue
		}
		n := root
		v := attr.Value{Type: attr.M, Map: item}
		for _, e := range q {
			if e.IsIndex {
				v = v.List[e.Index]
				if n.elems == nil {
					n.elems = map[int]*projNode{}
				}
				c := n.elems[e.Index]
				if c == nil {
					c = &projNode{}
					n.elems[e.Index] = c
				}
				n = c
			} else {
				v = v.Map[e.Name]
				if n.keys == nil {
					n.keys = map[string]*projNode{}
				}
				c := n.keys[e.Name]
				if c == nil {
					c = &projNode{}
					n.keys[e.Name] = c
				}
				n = c
			}
		}
		leaf := v
		n.leaf = &leaf
	}
	out := make(attr.Item, len(root.keys))
	for k, c := range root.keys {
		out[k] = c.value()
	}
	return out
}

// allTopLevel reports whether every path is a single attribute name.
func allTopLevel(paths []Path) bool {
	for _, q := range paths {
		if len(q) != 1 || q[0].IsIndex {
			return false
		}
	}
	return true
}

func (n *projNode) value() attr.Value {
	if n.leaf != nil {
		return *n.leaf
	}
	if n.elems != nil {
		idx := make([]int, 0, len(n.elems))
		for i := range n.elems {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		l := make([]attr.Value, len(idx))
		for j, i := range idx {
			l[j] = n.elems[i].value()
		}
		return attr.Value{Type: attr.L, List: l}
	}
	m := make(map[string]attr.Value, len(n.keys))
	for k, c := range n.keys {
		m[k] = c.value()
	}
	return attr.Value{Type: attr.M, Map: m}
}
