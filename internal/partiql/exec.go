package partiql

import (
	"context"
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/items"
	"github.com/petreldb/petrel/internal/protocol"
)

// Service runs PartiQL statements over the item operations of one
// items.Service. It holds no per-request state and is safe for concurrent
// use.
type Service struct {
	cat   *catalog.Catalog
	items *items.Service
}

// New returns the PartiQL service over the item service is; cat is read
// only to plan key lookups (key schemas).
func New(cat *catalog.Catalog, is *items.Service) *Service {
	return &Service{cat: cat, items: is}
}

// table resolves a statement's table in the caller's namespace.
func (s *Service) table(ctx context.Context, name string) (*catalog.Table, error) {
	return s.cat.Get(caller.From(ctx).Namespace, name)
}

// prepare validates the parameters and parses the statement: parameter
// values first (as every operation validates its values before use), then
// the syntax, then the parameter count (errors.md N7; extra parameters are
// ignored, as DynamoDB Local does, behaviours.md §14).
func prepare(text string, params []attr.Value) (*Statement, error) {
	for _, v := range params {
		if err := attr.ValidateValue(v); err != nil {
			return nil, err
		}
	}
	st, err := Parse(text)
	if err != nil {
		if se, ok := err.(*SyntaxError); ok {
			return nil, se.APIError()
		}
		return nil, err
	}
	if st.Params > len(params) {
		return nil, apierr.Validation(msgParamCount)
	}
	return st, nil
}

// isRead reports whether st reads (SELECT) rather than writes.
func isRead(st *Statement) bool { return st.Kind == Select }

// writeOp is a write statement planned as one item operation.
type writeOp struct {
	kind   Kind
	table  string
	key    attr.Item // the item's primary key
	put    *protocol.PutItemInput
	update *protocol.UpdateItemInput
	del    *protocol.DeleteItemInput
	check  *protocol.ConditionCheck // EXISTS, only in ExecuteTransaction
}

// planWrite turns an INSERT, UPDATE, DELETE or EXISTS into one item
// operation. rvcf is ReturnValuesOnConditionCheckFailure.
func (s *Service) planWrite(ctx context.Context, st *Statement, text string, params []attr.Value, rvcf *string) (*writeOp, error) {
	b := newBuilder(text, params)
	t, err := s.table(ctx, st.Table)
	if err != nil {
		return nil, err
	}
	w := &writeOp{kind: st.Kind, table: st.Table}
	name := &st.Table
	switch st.Kind {
	case Insert:
		item, err := b.insertItem(t, st.Value)
		if err != nil {
			return nil, err
		}
		w.key = keyOf(t, item)
		hn, _ := t.HashKey()
		cond := "attribute_not_exists(" + b.name(hn) + ")"
		w.put = &protocol.PutItemInput{TableName: name, Item: item, ConditionExpression: &cond,
			ExpressionAttributeNames: b.nameMap()}
	case Update:
		if w.key, _, err = b.fullKey(t, st.Where); err != nil {
			return nil, err
		}
		for _, a := range st.Actions {
			for _, k := range keyNames(t) {
				if a.Path[0].Name == k {
					return nil, apierr.Validationf(msgUpdateKey, k)
				}
			}
		}
		upd, err := b.update(st.Actions)
		if err != nil {
			return nil, err
		}
		where, err := b.cond(st.Where)
		if err != nil {
			return nil, err
		}
		// The item must exist: UPDATE never creates one (partiql.md §6).
		hn, _ := t.HashKey()
		cond := "attribute_exists(" + b.name(hn) + ") AND " + where
		rv := map[string]string{"": "NONE", "ALL OLD": "ALL_OLD", "MODIFIED OLD": "UPDATED_OLD",
			"ALL NEW": "ALL_NEW", "MODIFIED NEW": "UPDATED_NEW"}[st.Returning]
		w.update = &protocol.UpdateItemInput{TableName: name, Key: w.key, UpdateExpression: &upd,
			ConditionExpression: &cond, ExpressionAttributeNames: b.nameMap(),
			ExpressionAttributeValues: b.valueMap(), ReturnValues: &rv,
			ReturnValuesOnConditionCheckFailure: rvcf}
	case Delete:
		if st.Returning != "" && st.Returning != "ALL OLD" {
			return nil, b.notWellFormed()
		}
		key, extra, err := b.fullKey(t, st.Where)
		if err != nil {
			return nil, err
		}
		w.key = key
		w.del = &protocol.DeleteItemInput{TableName: name, Key: key, ReturnValuesOnConditionCheckFailure: rvcf}
		if extra {
			// Deleting a missing item succeeds; the extra conditions apply
			// to an existing one (partiql.md §6).
			where, err := b.cond(st.Where)
			if err != nil {
				return nil, err
			}
			hn, _ := t.HashKey()
			cond := "(attribute_not_exists(" + b.name(hn) + ") OR " + where + ")"
			w.del.ConditionExpression = &cond
			w.del.ExpressionAttributeNames, w.del.ExpressionAttributeValues = b.nameMap(), b.valueMap()
		}
		if st.Returning != "" {
			rv := "ALL_OLD"
			w.del.ReturnValues = &rv
		}
	case Exists:
		key, extra, err := b.fullKey(t, st.Inner.Where)
		if err != nil || !extra || st.Inner.Index != "" {
			return nil, apierr.Validation(msgTxExistsCond)
		}
		where, err := b.cond(st.Inner.Where)
		if err != nil {
			return nil, err
		}
		hn, _ := t.HashKey()
		cond := "attribute_exists(" + b.name(hn) + ") AND " + where
		w.key = key
		w.check = &protocol.ConditionCheck{TableName: name, Key: key, ConditionExpression: &cond,
			ExpressionAttributeNames: b.nameMap(), ExpressionAttributeValues: b.valueMap(),
			ReturnValuesOnConditionCheckFailure: rvcf}
	default:
		return nil, b.notWellFormed()
	}
	return w, nil
}

// insertItem evaluates an INSERT's VALUE and checks its key attributes
// (errors.md N3, N4).
func (b *builder) insertItem(t *catalog.Table, e *Expr) (attr.Item, error) {
	v, ok, err := b.constant(e)
	if err != nil {
		return nil, err
	}
	if !ok || v.Type != attr.M {
		return nil, b.notWellFormed()
	}
	item := attr.Item(v.Map)
	hn, ht := t.HashKey()
	rn, rt, hasRange := t.RangeKey()
	for _, k := range []struct {
		name string
		typ  attr.Type
		use  bool
	}{{hn, ht, true}, {rn, rt, hasRange}} {
		if !k.use {
			continue
		}
		kv, ok := item[k.name]
		if !ok {
			return nil, apierr.Validation(msgKeyAbsent + k.name)
		}
		if kv.Type != k.typ {
			return nil, apierr.Validation(msgKeyType + k.name)
		}
	}
	return item, nil
}

// keyOf returns the key attributes of item.
func keyOf(t *catalog.Table, item attr.Item) attr.Item {
	k := attr.Item{}
	for _, n := range keyNames(t) {
		k[n] = item[n]
	}
	return k
}

// runWrite executes a planned write (not EXISTS) and returns the items of
// its RETURNING clause (empty without one) and its consumed capacity.
func (s *Service) runWrite(ctx context.Context, w *writeOp, rcc *string) ([]attr.Item, *protocol.ConsumedCapacity, error) {
	out := []attr.Item{}
	switch {
	case w.put != nil:
		in := *w.put
		in.ReturnConsumedCapacity = rcc
		res, err := s.items.PutItem(ctx, &in)
		if err != nil {
			if e, ok := apierr.As(err); ok && e.Code == "ConditionalCheckFailedException" {
				return nil, nil, duplicateItem()
			}
			return nil, nil, err
		}
		return out, res.ConsumedCapacity, nil
	case w.update != nil:
		in := *w.update
		in.ReturnConsumedCapacity = rcc
		res, err := s.items.UpdateItem(ctx, &in)
		if err != nil {
			return nil, nil, err
		}
		if res.Attributes != nil {
			out = append(out, res.Attributes)
		}
		return out, res.ConsumedCapacity, nil
	case w.del != nil:
		in := *w.del
		in.ReturnConsumedCapacity = rcc
		res, err := s.items.DeleteItem(ctx, &in)
		if err != nil {
			return nil, nil, err
		}
		if res.Attributes != nil {
			out = append(out, res.Attributes)
		}
		return out, res.ConsumedCapacity, nil
	}
	return nil, nil, apierr.Validation(msgExistsOutsideTx)
}

// filterOf parses the WHERE of a read into an expr condition (nil without a
// WHERE) and the projection (nil for *), using one builder's placeholders.
func filterOf(b *builder, st *Statement) (*expr.Condition, *expr.Projection, error) {
	var cond *expr.Condition
	if st.Where != nil {
		s, err := b.cond(st.Where)
		if err != nil {
			return nil, nil, err
		}
		if cond, err = expr.ParseFilter(s, expr.NewPlaceholders(b.names, b.values)); err != nil {
			return nil, nil, err
		}
	}
	if st.Projection == nil {
		return cond, nil, nil
	}
	paths := make([]string, len(st.Projection))
	for i, p := range st.Projection {
		paths[i] = b.path(p)
	}
	proj, err := expr.ParseProjection(strings.Join(paths, ", "), expr.NewPlaceholders(b.names, nil))
	if err != nil {
		return nil, nil, err
	}
	return cond, proj, nil
}

// addCapacity adds cc's units into *total (allocating it on first use).
func addCapacity(total **protocol.ConsumedCapacity, cc *protocol.ConsumedCapacity) {
	if cc == nil || cc.CapacityUnits == nil {
		return
	}
	if *total == nil {
		name := ""
		if cc.TableName != nil {
			name = *cc.TableName
		}
		var u float64
		*total = &protocol.ConsumedCapacity{TableName: &name, CapacityUnits: &u}
		if cc.Table != nil {
			var tu float64
			(*total).Table = &protocol.Capacity{CapacityUnits: &tu}
		}
	}
	*(*total).CapacityUnits += *cc.CapacityUnits
	if (*total).Table != nil && cc.Table != nil && cc.Table.CapacityUnits != nil {
		*(*total).Table.CapacityUnits += *cc.Table.CapacityUnits
	}
}

// capacityList merges per-statement capacities into one entry per table,
// in order of first use (BatchExecuteStatement, ExecuteTransaction).
func capacityList(ccs []*protocol.ConsumedCapacity) []protocol.ConsumedCapacity {
	var order []string
	byTable := map[string]*protocol.ConsumedCapacity{}
	for _, cc := range ccs {
		if cc == nil || cc.TableName == nil {
			continue
		}
		t := byTable[*cc.TableName]
		if t == nil {
			order = append(order, *cc.TableName)
		}
		addCapacity(&t, cc)
		byTable[*cc.TableName] = t
	}
	out := make([]protocol.ConsumedCapacity, 0, len(order))
	for _, n := range order {
		out = append(out, *byTable[n])
	}
	return out
}
