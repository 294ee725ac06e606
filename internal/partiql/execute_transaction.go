package partiql

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/items"
	"github.com/petreldb/petrel/internal/protocol"
)

// ExecuteTransaction runs up to 100 statements as one all-or-nothing
// transaction: all single-item reads (as TransactGetItems) or all writes and
// EXISTS checks (as TransactWriteItems, with ClientRequestToken for
// idempotency). A cancellation reports one reason per statement
// (partiql.md §11, errors.md N16-N21).
func (s *Service) ExecuteTransaction(ctx context.Context, in *protocol.ExecuteTransactionInput) (_ *protocol.ExecuteTransactionOutput, err error) {
	defer func() { err = plainError(err) }()
	if len(in.TransactStatements) == 0 {
		return nil, apierr.Validation(msgTxEmpty)
	}
	stmts := make([]*Statement, len(in.TransactStatements))
	reads, writes := 0, 0
	for i, ps := range in.TransactStatements {
		st, err := prepare(deref(ps.Statement), ps.Parameters)
		if err != nil {
			return nil, err
		}
		stmts[i] = st
		if isRead(st) {
			reads++
		} else {
			writes++
		}
	}
	if reads > 0 && writes > 0 {
		return nil, apierr.Validation(msgTxMixed)
	}
	if reads > 0 {
		return s.transactRead(ctx, in, stmts)
	}
	return s.transactWrite(ctx, in, stmts)
}

// transactRead runs an all-SELECT transaction.
func (s *Service) transactRead(ctx context.Context, in *protocol.ExecuteTransactionInput, stmts []*Statement) (*protocol.ExecuteTransactionOutput, error) {
	plans := make([]*readPlan, len(stmts))
	tin := &protocol.TransactGetItemsInput{ReturnConsumedCapacity: in.ReturnConsumedCapacity}
	for i, st := range stmts {
		ps := in.TransactStatements[i]
		p, err := s.planRead(ctx, st, deref(ps.Statement), ps.Parameters)
		if err != nil {
			return nil, err
		}
		if p.get == nil || p.index != "" {
			return nil, apierr.Validationf(msgTxPrefix+msgTxSelectKey, i)
		}
		plans[i] = p
		tin.TransactItems = append(tin.TransactItems, protocol.TransactGetItem{Get: &protocol.Get{TableName: &p.name, Key: p.get}})
	}
	res, err := s.items.TransactGetItems(ctx, tin)
	if err != nil {
		return nil, err
	}
	out := &protocol.ExecuteTransactionOutput{Responses: make([]protocol.ItemResponse, len(plans)), ConsumedCapacity: res.ConsumedCapacity}
	for i, r := range res.Responses {
		if i >= len(plans) || r.Item == nil {
			continue
		}
		its, err := plans[i].collect(nil, []attr.Item{r.Item})
		if err != nil {
			return nil, err
		}
		if len(its) == 1 {
			out.Responses[i].Item = its[0]
		}
	}
	return out, nil
}

// transactWrite runs a transaction of writes and EXISTS checks.
func (s *Service) transactWrite(ctx context.Context, in *protocol.ExecuteTransactionInput, stmts []*Statement) (*protocol.ExecuteTransactionOutput, error) {
	tin, err := s.transactItems(ctx, in, stmts)
	if err != nil {
		return nil, err
	}
	res, err := s.items.TransactWriteItems(ctx, tin)
	if err != nil {
		return nil, rewriteCancellation(err, stmts)
	}
	return &protocol.ExecuteTransactionOutput{ConsumedCapacity: res.ConsumedCapacity}, nil
}

// transactItems maps write statements onto TransactWriteItems actions:
// INSERT to a Put that requires the key to be absent, UPDATE to an Update
// that requires the item to exist, DELETE to a Delete and EXISTS to a
// ConditionCheck.
func (s *Service) transactItems(ctx context.Context, in *protocol.ExecuteTransactionInput, stmts []*Statement) (*protocol.TransactWriteItemsInput, error) {
	tin := &protocol.TransactWriteItemsInput{ClientRequestToken: in.ClientRequestToken, ReturnConsumedCapacity: in.ReturnConsumedCapacity}
	for i, st := range stmts {
		ps := in.TransactStatements[i]
		w, err := s.planWrite(ctx, st, deref(ps.Statement), ps.Parameters, nil)
		if err != nil {
			if e, ok := apierr.As(err); ok && e.Message == msgTxExistsCond {
				return nil, apierr.Validationf(msgTxPrefix+msgTxExistsCond, i)
			}
			return nil, err
		}
		var a protocol.TransactWriteItem
		switch {
		case w.put != nil:
			a.Put = &protocol.Put{TableName: w.put.TableName, Item: w.put.Item, ConditionExpression: w.put.ConditionExpression,
				ExpressionAttributeNames: w.put.ExpressionAttributeNames, ExpressionAttributeValues: w.put.ExpressionAttributeValues}
		case w.update != nil:
			a.Update = &protocol.Update{TableName: w.update.TableName, Key: w.update.Key, UpdateExpression: w.update.UpdateExpression,
				ConditionExpression: w.update.ConditionExpression, ExpressionAttributeNames: w.update.ExpressionAttributeNames,
				ExpressionAttributeValues: w.update.ExpressionAttributeValues}
		case w.del != nil:
			a.Delete = &protocol.Delete{TableName: w.del.TableName, Key: w.del.Key, ConditionExpression: w.del.ConditionExpression,
				ExpressionAttributeNames: w.del.ExpressionAttributeNames, ExpressionAttributeValues: w.del.ExpressionAttributeValues}
		case w.check != nil:
			a.ConditionCheck = w.check
		}
		tin.TransactItems = append(tin.TransactItems, a)
	}
	return tin, nil
}

// rewriteCancellation reports an INSERT whose key exists as DynamoDB's
// PartiQL does: a ValidationError reason "Duplicate primary key exists in
// table" instead of the ConditionalCheckFailed of the underlying Put
// (errors.md N18).
func rewriteCancellation(err error, stmts []*Statement) error {
	e, ok := apierr.As(err)
	if !ok || e.Code != "TransactionCanceledException" {
		return err
	}
	reasons, ok := e.Fields["CancellationReasons"].([]items.CancellationReason)
	if !ok || len(reasons) != len(stmts) {
		return err
	}
	reasons = slices.Clone(reasons)
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		if stmts[i].Kind == Insert && r.Code == "ConditionalCheckFailed" {
			msg := msgDuplicate
			reasons[i] = items.CancellationReason{Code: "ValidationError", Message: &msg}
		}
		codes[i] = reasons[i].Code
	}
	fields := maps.Clone(e.Fields)
	fields["CancellationReasons"] = reasons
	return &apierr.Error{Code: e.Code, Status: e.Status, Fields: fields,
		Message: "Transaction cancelled, please refer cancellation reasons for specific reasons [" + strings.Join(codes, ", ") + "]"}
}
