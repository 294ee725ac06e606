package partiql

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/protocol"
)

// msgOrderBy answers an ORDER BY that the read plan cannot honour: a key
// other than the partition or sort key, or a statement planned as a Scan.
// DynamoDB's text for this case is not documented (partiql.md §4).
const msgOrderBy = "ORDER BY is only supported on the primary key attributes of a query that specifies the partition key in the WHERE clause."

// ExecuteStatement runs one PartiQL statement: a SELECT as a GetItem, Query
// or Scan page, or a single-item write (aws-docs/partiql.md §4-§6, §9).
func (s *Service) ExecuteStatement(ctx context.Context, in *protocol.ExecuteStatementInput) (_ *protocol.ExecuteStatementOutput, err error) {
	defer func() { err = plainError(err) }()
	text := ""
	if in.Statement != nil {
		text = *in.Statement
	}
	st, err := prepare(text, in.Parameters)
	if err != nil {
		return nil, err
	}
	switch st.Kind {
	case Select:
		p, err := s.planRead(ctx, st, text, in.Parameters)
		if err != nil {
			return nil, err
		}
		return s.runRead(ctx, p, text, in)
	case Exists:
		return nil, apierr.Validation(msgExistsOutsideTx)
	}
	w, err := s.planWrite(ctx, st, text, in.Parameters, in.ReturnValuesOnConditionCheckFailure)
	if err != nil {
		return nil, err
	}
	its, cc, err := s.runWrite(ctx, w, in.ReturnConsumedCapacity)
	if err != nil {
		return nil, err
	}
	return &protocol.ExecuteStatementOutput{Items: its, ConsumedCapacity: cc}, nil
}

// readPlan is a SELECT planned as item reads.
type readPlan struct {
	table *catalog.Table
	name  string // the table as written in the statement
	index string
	// get is the primary key when the WHERE pins exactly one item.
	get attr.Item
	// keys are the values of partition-key attribute hashName of a Query
	// (one Query each, in order); nil for a Scan. fixed holds the other
	// attributes of an index's multi-attribute partition key.
	keys     []attr.Value
	hashName string
	fixed    attr.Item
	// pageSize caps the items of a page (0: no cap): partition keys listed
	// with IN are read 10 items a page (partiql.md §4).
	pageSize int
	// skCond is the sort-key condition of the Queries ("" for none), over
	// skNames/skValues.
	skCond   string
	skNames  map[string]string
	skValues attr.Item
	reverse  bool
	filter   *expr.Condition
	proj     *expr.Projection
}

// planRead chooses GetItem, Query or Scan for a SELECT (behaviours.md §14).
func (s *Service) planRead(ctx context.Context, st *Statement, text string, params []attr.Value) (*readPlan, error) {
	if len(st.OrderBy) > 0 && st.Where == nil {
		return nil, apierr.Validation(msgOrderNoWhere)
	}
	b := newBuilder(text, params)
	filter, proj, err := filterOf(b, st)
	if err != nil {
		return nil, err
	}
	t, err := s.table(ctx, st.Table)
	if err != nil {
		return nil, err
	}
	p := &readPlan{table: t, name: st.Table, index: st.Index, filter: filter, proj: proj}
	hn, _ := t.HashKey()
	rn, rt, hasRange := t.RangeKey()
	if st.Index != "" {
		// An index is read like a table (partiql.md §4): a Query when the
		// WHERE pins its partition key, else a Scan. An unknown index is
		// left to the Scan, which reports it (errors.md K13).
		ix := t.Index(st.Index)
		if ix == nil || len(ix.HashKeys()) == 0 {
			return p, nil
		}
		hks := ix.HashKeys()
		hn = hks[0].Name
		// The other attributes of a multi-attribute partition key must
		// each be pinned to one value.
		for _, k := range hks[1:] {
			vals, err := b.pinnedValues(st.Where, k.Name)
			if err != nil {
				return nil, err
			}
			if len(vals) != 1 {
				if len(st.OrderBy) > 0 {
					return nil, apierr.Validation(msgOrderBy)
				}
				return p, nil
			}
			if p.fixed == nil {
				p.fixed = attr.Item{}
			}
			p.fixed[k.Name] = vals[0]
		}
		rks := ix.RangeKeys()
		hasRange = len(rks) == 1
		if hasRange {
			rn, rt = rks[0].Name, rks[0].Type
		}
	}
	p.hashName = hn
	b.inPinned = false
	if p.keys, err = b.pinnedValues(st.Where, hn); err != nil {
		return nil, err
	}
	if b.inPinned {
		p.pageSize = inPageSize
	}
	if st.Index == "" && len(p.keys) == 1 && len(st.OrderBy) == 0 {
		if key, _, err := b.fullKey(t, st.Where); err == nil {
			p.get = key
			return p, nil
		}
	}
	if hasRange && p.keys != nil {
		kb := newBuilder(text, params)
		if p.skCond, err = sortKeyCondition(kb, st.Where, rn, rt); err != nil {
			return nil, err
		}
		p.skNames, p.skValues = kb.names, kb.values
	}
	for _, k := range st.OrderBy {
		switch {
		case p.keys == nil || len(k.Path) != 1:
			return nil, apierr.Validation(msgOrderBy)
		case k.Path[0].Name == hn:
			slices.SortStableFunc(p.keys, func(a, b attr.Value) int {
				c, _ := attr.Compare(a, b)
				if k.Desc {
					return -c
				}
				return c
			})
		case hasRange && k.Path[0].Name == rn:
			p.reverse = k.Desc
		default:
			return nil, apierr.Validation(msgOrderBy)
		}
	}
	return p, nil
}

// inPageSize is the page size of a SELECT whose partition key is listed
// with IN (partiql.md §4, §8: "Results are returned in pages of up to 10
// items").
const inPageSize = 10

// pageToken is the content of a NextToken: which Query of the plan to
// continue (0 for a Scan) and where, bound to the statement text so that a
// token is not replayed against another statement.
type pageToken struct {
	Statement uint64          `json:"s"`
	Query     int             `json:"q,omitempty"`
	Key       json.RawMessage `json:"k,omitempty"`
}

func statementHash(text string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(text))
	return h.Sum64()
}

// encodeToken renders a NextToken (opaque: base64 of JSON).
func encodeToken(text string, query int, lek attr.Item) *string {
	tok := pageToken{Statement: statementHash(text), Query: query}
	if lek != nil {
		tok.Key = attr.AppendItemJSON(nil, lek)
	}
	b, _ := json.Marshal(tok) // cannot fail: plain fields and valid JSON
	s := base64.RawURLEncoding.EncodeToString(b)
	return &s
}

// decodeToken parses a NextToken (errors.md N12 for anything not ours).
func decodeToken(text, s string, queries int) (int, attr.Item, error) {
	bad := apierr.Validation(msgBadNextToken)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, nil, bad
	}
	var tok pageToken
	if json.Unmarshal(raw, &tok) != nil || tok.Statement != statementHash(text) || tok.Query < 0 || tok.Query > queries {
		return 0, nil, bad
	}
	var lek attr.Item
	if tok.Key != nil {
		if lek, err = attr.ParseItem(tok.Key); err != nil || attr.ValidateItem(lek) != nil {
			return 0, nil, bad
		}
	}
	return tok.Query, lek, nil
}

// runRead executes one page of a planned SELECT.
func (s *Service) runRead(ctx context.Context, p *readPlan, text string, in *protocol.ExecuteStatementInput) (*protocol.ExecuteStatementOutput, error) {
	out := &protocol.ExecuteStatementOutput{Items: []attr.Item{}}
	start, lek := 0, attr.Item(nil)
	if in.NextToken != nil {
		var err error
		if start, lek, err = decodeToken(text, *in.NextToken, len(p.keys)); err != nil {
			return nil, err
		}
	}
	if p.get != nil {
		if in.NextToken != nil {
			return out, nil
		}
		res, err := s.items.GetItem(ctx, &protocol.GetItemInput{TableName: &p.name, Key: p.get,
			ConsistentRead: in.ConsistentRead, ReturnConsumedCapacity: in.ReturnConsumedCapacity})
		if err != nil {
			return nil, err
		}
		out.ConsumedCapacity = res.ConsumedCapacity
		if res.Item != nil {
			out.Items, err = p.collect(out.Items, []attr.Item{res.Item})
		}
		return out, err
	}
	limit := 0
	if in.Limit != nil {
		limit = int(*in.Limit)
	}
	if p.keys == nil {
		sc := &protocol.ScanInput{TableName: &p.name, ExclusiveStartKey: lek, ConsistentRead: in.ConsistentRead,
			ReturnConsumedCapacity: in.ReturnConsumedCapacity, Limit: in.Limit}
		if p.index != "" {
			sc.IndexName = &p.index
		}
		res, err := s.items.Scan(ctx, sc)
		if err != nil {
			return nil, err
		}
		out.ConsumedCapacity = res.ConsumedCapacity
		if out.Items, err = p.collect(out.Items, res.Items); err != nil {
			return nil, err
		}
		if res.LastEvaluatedKey != nil {
			out.LastEvaluatedKey = res.LastEvaluatedKey
			out.NextToken = encodeToken(text, 0, res.LastEvaluatedKey)
		}
		return out, nil
	}
	for i := start; i < len(p.keys); {
		q := p.query(i, in)
		q.ExclusiveStartKey = lek
		// The Query evaluates at most what is left of Limit and of the
		// page; capped records that the page size set its Limit.
		qlimit, capped := limit, false
		if p.pageSize > 0 {
			if r := p.pageSize - len(out.Items); qlimit == 0 || r < qlimit {
				qlimit, capped = r, true
			}
		}
		if qlimit > 0 {
			q.Limit = ptr(int32(qlimit))
		}
		res, err := s.items.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		addCapacity(&out.ConsumedCapacity, res.ConsumedCapacity)
		if out.Items, err = p.collect(out.Items, res.Items); err != nil {
			return nil, err
		}
		scanned := 0
		if res.ScannedCount != nil {
			scanned = int(*res.ScannedCount)
		}
		if limit > 0 {
			limit -= scanned
		}
		limitDone := in.Limit != nil && limit <= 0
		pageFull := p.pageSize > 0 && len(out.Items) >= p.pageSize
		if lek = res.LastEvaluatedKey; lek != nil {
			// The page ends here unless only the page size stopped a
			// Query whose items the WHERE filtered out.
			if !capped || limitDone || pageFull || scanned < qlimit {
				out.LastEvaluatedKey = lek
				out.NextToken = encodeToken(text, i, lek)
				return out, nil
			}
			continue
		}
		i++
		if (limitDone || pageFull) && i < len(p.keys) {
			out.NextToken = encodeToken(text, i, nil)
			return out, nil
		}
	}
	return out, nil
}

// query builds the Query of partition key value i.
func (p *readPlan) query(i int, in *protocol.ExecuteStatementInput) *protocol.QueryInput {
	names := map[string]string{"#pk": p.hashName}
	values := attr.Item{":pk": p.keys[i]}
	kc := "#pk = :pk"
	for _, n := range slices.Sorted(maps.Keys(p.fixed)) {
		ph := strconv.Itoa(len(names))
		names["#pk"+ph], values[":pk"+ph] = n, p.fixed[n]
		kc += " AND #pk" + ph + " = :pk" + ph
	}
	for k, v := range p.skNames {
		names[k] = v
	}
	for k, v := range p.skValues {
		values[k] = v
	}
	if p.skCond != "" {
		kc += " AND " + p.skCond
	}
	q := &protocol.QueryInput{TableName: &p.name, KeyConditionExpression: &kc,
		ExpressionAttributeNames: names, ExpressionAttributeValues: values,
		ConsistentRead: in.ConsistentRead, ReturnConsumedCapacity: in.ReturnConsumedCapacity}
	if p.reverse {
		q.ScanIndexForward = ptr(false)
	}
	if p.index != "" {
		q.IndexName = &p.index
	}
	return q
}

// collect appends to dst the items of src that satisfy the WHERE, projected.
func (p *readPlan) collect(dst, src []attr.Item) ([]attr.Item, error) {
	for _, it := range src {
		if p.filter != nil {
			ok, err := p.filter.Eval(it)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		if p.proj != nil {
			it = p.proj.Apply(it)
		}
		dst = append(dst, it)
	}
	return dst, nil
}

func ptr[T any](v T) *T { return &v }
