package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
)

// model is the part of a botocore-style service model the generator uses.
type model struct {
	TargetPrefix string
	Ops          []operation // in model order (alphabetical)
	Shapes       map[string]*shape
}

type operation struct {
	Name, Input, Output, Doc string
}

type shape struct {
	Name      string
	Type      string // structure, string, integer, long, double, boolean, blob, timestamp, list, map
	Members   []member
	Required  map[string]bool
	Member    string // list element shape
	Key       string // map key shape
	Value     string // map value shape
	Min, Max  *int64
	Pattern   string
	Enum      []string
	Exception bool
	Doc       string
}

type member struct {
	Name, Shape, Doc string
}

type rawShape struct {
	Type          string          `json:"type"`
	Members       json.RawMessage `json:"members"`
	Required      []string        `json:"required"`
	Member        *rawRef         `json:"member"`
	Key           *rawRef         `json:"key"`
	Value         *rawRef         `json:"value"`
	Min           *int64          `json:"min"`
	Max           *int64          `json:"max"`
	Pattern       string          `json:"pattern"`
	Enum          []string        `json:"enum"`
	Exception     bool            `json:"exception"`
	Documentation string          `json:"documentation"`
}

type rawRef struct {
	Shape         string `json:"shape"`
	Documentation string `json:"documentation"`
}

// loadModel reads a service model, keeping structure members in model order
// (the order in which validation errors are reported).
func loadModel(path, overlay string) (*model, error) {
	m, err := readModel(path)
	if err != nil {
		return nil, err
	}
	if overlay == "" {
		return m, m.check()
	}
	o, err := readModel(overlay)
	if err != nil {
		return nil, err
	}
	m.merge(o)
	return m, m.check()
}

// merge adds an overlay model: new operations and shapes are added; members
// of an existing structure that it lacks are appended (with their required
// flags); an overlay enum replaces the model's value set.
func (m *model) merge(o *model) {
	have := map[string]bool{}
	for _, op := range m.Ops {
		have[op.Name] = true
	}
	for _, op := range o.Ops {
		if !have[op.Name] {
			m.Ops = append(m.Ops, op)
		}
	}
	sort.Slice(m.Ops, func(i, j int) bool { return m.Ops[i].Name < m.Ops[j].Name })
	names := make([]string, 0, len(o.Shapes))
	for n := range o.Shapes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		os, ms := o.Shapes[n], m.Shapes[n]
		switch {
		case ms == nil:
			m.Shapes[n] = os
		case ms.Type == "structure":
			for _, mb := range os.Members {
				if !slices.ContainsFunc(ms.Members, func(x member) bool { return x.Name == mb.Name }) {
					ms.Members = append(ms.Members, mb)
				}
				if os.Required[mb.Name] {
					ms.Required[mb.Name] = true
				}
			}
		case len(os.Enum) > 0:
			ms.Enum = os.Enum
		}
	}
}

// check verifies that every shape reference resolves.
func (m *model) check() error {
	for _, s := range m.Shapes {
		for _, ref := range append([]string{s.Member, s.Key, s.Value}, memberShapes(s)...) {
			if ref != "" && m.Shapes[ref] == nil {
				return fmt.Errorf("shape %s refers to unknown shape %s", s.Name, ref)
			}
		}
	}
	return nil
}

func readModel(path string) (*model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Metadata struct {
			TargetPrefix string `json:"targetPrefix"`
		} `json:"metadata"`
		Operations json.RawMessage            `json:"operations"`
		Shapes     map[string]json.RawMessage `json:"shapes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := &model{TargetPrefix: raw.Metadata.TargetPrefix, Shapes: map[string]*shape{}}
	opNames, opRaws, err := orderedObject(raw.Operations)
	if len(raw.Operations) == 0 {
		opNames, opRaws, err = nil, nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("operations: %w", err)
	}
	for i, name := range opNames {
		var o struct {
			Input         *rawRef `json:"input"`
			Output        *rawRef `json:"output"`
			Documentation string  `json:"documentation"`
		}
		if err := json.Unmarshal(opRaws[i], &o); err != nil {
			return nil, fmt.Errorf("operation %s: %w", name, err)
		}
		op := operation{Name: name, Doc: o.Documentation}
		if o.Input != nil {
			op.Input = o.Input.Shape
		}
		if o.Output != nil {
			op.Output = o.Output.Shape
		}
		m.Ops = append(m.Ops, op)
	}
	for name, r := range raw.Shapes {
		var rs rawShape
		if err := json.Unmarshal(r, &rs); err != nil {
			return nil, fmt.Errorf("shape %s: %w", name, err)
		}
		s := &shape{
			Name: name, Type: rs.Type, Min: rs.Min, Max: rs.Max, Pattern: rs.Pattern,
			Enum: rs.Enum, Exception: rs.Exception, Doc: rs.Documentation,
			Required: map[string]bool{},
		}
		for _, req := range rs.Required {
			s.Required[req] = true
		}
		if rs.Member != nil {
			s.Member = rs.Member.Shape
		}
		if rs.Key != nil {
			s.Key = rs.Key.Shape
		}
		if rs.Value != nil {
			s.Value = rs.Value.Shape
		}
		if len(rs.Members) > 0 {
			names, raws, err := orderedObject(rs.Members)
			if err != nil {
				return nil, fmt.Errorf("shape %s members: %w", name, err)
			}
			for i, mn := range names {
				var ref rawRef
				if err := json.Unmarshal(raws[i], &ref); err != nil {
					return nil, fmt.Errorf("shape %s member %s: %w", name, mn, err)
				}
				s.Members = append(s.Members, member{Name: mn, Shape: ref.Shape, Doc: ref.Documentation})
			}
		}
		m.Shapes[name] = s
	}
	return m, nil
}

func memberShapes(s *shape) []string {
	out := make([]string, len(s.Members))
	for i, mb := range s.Members {
		out[i] = mb.Shape
	}
	return out
}

// orderedObject splits a JSON object into its keys and raw values, in order.
func orderedObject(data []byte) ([]string, []json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, fmt.Errorf("want object, got %v", tok)
	}
	var keys []string
	var vals []json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		keys = append(keys, tok.(string))
		vals = append(vals, v)
	}
	return keys, vals, nil
}
