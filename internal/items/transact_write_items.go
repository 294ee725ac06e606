package items

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

// Transaction limits (limits.md §8). The 100-action limit is a model
// constraint checked by Validate.
const maxTransactionBytes = 4 << 20

// Messages of errors.md M.
const (
	msgTxSameItem    = "Transaction request cannot include multiple operations on one item"
	msgTxManyActions = "TransactItems can only contain one of Check, Put, Update or Delete"
	msgTxNoAction    = "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"
	msgTxPayload     = "Transaction payload size cannot exceed 4MB. Payload Size: "
	msgTxCancelled   = "Transaction cancelled, please refer cancellation reasons for specific reasons ["
	msgTxConflict    = "Transaction is ongoing for the item"
	codeTxCancelled  = "TransactionCanceledException"
	reasonNone       = "None"
	reasonCondition  = "ConditionalCheckFailed"
	reasonValidation = "ValidationError"
	reasonConflict   = "TransactionConflict"
	reasonThrottling = "ThrottlingError"
)

// transactUnitFactor: transactional reads and writes cost double, for the
// prepare and the commit (limits.md §12).
const transactUnitFactor = 2

// CancellationReason is one entry of a TransactionCanceledException's
// CancellationReasons, in the wire form: {"Code":"None"} for an action
// without error, else the code, DynamoDB's message and, for a failed
// condition with ReturnValuesOnConditionCheckFailure ALL_OLD, the item.
// The error's Fields["CancellationReasons"] is a []CancellationReason.
type CancellationReason struct {
	Code    string    `json:"Code"`
	Message *string   `json:"Message,omitempty"`
	Item    attr.Item `json:"Item,omitempty"`
}

// TransactWriteItems applies up to 100 Put, Update, Delete and
// ConditionCheck actions on distinct items, in one or more tables, all or
// none. Every action is validated first (prepare, then execute); the
// actions then run as one storage commit locked on all their items
// (writeMany), so the transaction is serializable against every other
// write. If any condition fails or any update is invalid for the stored
// item, nothing is written and the answer is TransactionCanceledException
// with one reason per action, in request order.
//
// A ClientRequestToken makes the call idempotent for 10 minutes
// (idempotency.go); a transaction that meets another one on an item waits
// for it, up to conflictWait (transact_conflict.go).
func (s *Service) TransactWriteItems(ctx context.Context, in *protocol.TransactWriteItemsInput) (*protocol.TransactWriteItemsOutput, error) {
	ws, err := s.prepareTransactWrite(ctx, in)
	if err != nil {
		return nil, err
	}
	if in.ClientRequestToken != nil {
		hash := hashTransactItems(in.TransactItems)
		key := tokenKey(caller.From(ctx).Namespace, *in.ClientRequestToken)
		replay, err := s.tokens.begin(key, hash)
		if err != nil {
			return nil, err
		}
		if replay {
			return s.replayTransactWrite(in, ws)
		}
		succeeded := false
		defer func() { s.tokens.finish(key, succeeded) }()
		out, err := s.transactWrite(ctx, in, ws)
		succeeded = err == nil
		return out, err
	}
	return s.transactWrite(ctx, in, ws)
}

// transactWrite executes a prepared transaction.
func (s *Service) transactWrite(ctx context.Context, in *protocol.TransactWriteItemsInput, ws []writeReq) (*protocol.TransactWriteItemsOutput, error) {
	keys := make([][]byte, len(ws))
	for i := range ws {
		keys[i] = ws[i].key.storage
	}
	release, busy, err := s.txnItems.acquire(ctx, keys)
	if err != nil {
		return nil, err
	}
	if busy != nil {
		refused := make([]error, len(ws))
		for _, i := range busy {
			refused[i] = apierr.New("TransactionConflictException", http.StatusBadRequest, msgTxConflict)
		}
		return nil, transactionCanceled(refused)
	}
	defer release()
	res, refused, err := s.writeMany(ctx, ws)
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, transactionCanceled(refused)
	}
	out := &protocol.TransactWriteItemsOutput{
		ConsumedCapacity: writesCapacity(in.ReturnConsumedCapacity, ws, res, transactUnitFactor),
	}
	if out.ItemCollectionMetrics, err = s.writesCollectionMetrics(in.ReturnItemCollectionMetrics, ws); err != nil {
		return nil, err
	}
	return out, nil
}

// replayTransactWrite answers a request whose token already succeeded with
// the same parameters: success, without writing. Its ConsumedCapacity is
// the read capacity of reading the items (behaviours.md §13): one strongly
// consistent read of each item's key.
func (s *Service) replayTransactWrite(in *protocol.TransactWriteItemsInput, ws []writeReq) (*protocol.TransactWriteItemsOutput, error) {
	out := &protocol.TransactWriteItemsOutput{}
	if in.ReturnConsumedCapacity == nil || *in.ReturnConsumedCapacity == "NONE" {
		return out, nil
	}
	snap := s.eng.NewSnapshot()
	defer snap.Close()
	units := make([]float64, len(ws))
	for i := range ws {
		raw, ok, err := snap.Get(ws[i].key.storage)
		if err != nil {
			return nil, fmt.Errorf("items: TransactWriteItems replay: %w", err)
		}
		size := 0
		if ok {
			item, err := attr.DecodeItem(raw)
			if err != nil {
				return nil, fmt.Errorf("items: TransactWriteItems replay: decoding stored item: %w", err)
			}
			size = attr.ItemSize(item)
		}
		units[i] = readUnits(size, true)
	}
	out.ConsumedCapacity = perTableCapacity(in.ReturnConsumedCapacity, ws, units)
	return out, nil
}

// prepareTransactWrite validates every action, in request order, with the
// messages of the matching single-item operation (the actions are
// PutItem, UpdateItem and DeleteItem requests; a ConditionCheck is
// validated as a DeleteItem whose write is dropped), then the rules of
// transactions: one action per TransactWriteItem (errors.md M2, M3), one
// action per item (M1) and at most 4 MB of items (M8). It returns one
// write per action.
func (s *Service) prepareTransactWrite(ctx context.Context, in *protocol.TransactWriteItemsInput) ([]writeReq, error) {
	ws := make([]writeReq, len(in.TransactItems))
	seen := make(map[string]struct{}, len(in.TransactItems))
	size := 0
	for i := range in.TransactItems {
		w, n, err := s.prepareTransactAction(ctx, &in.TransactItems[i])
		if err != nil {
			return nil, err
		}
		if _, dup := seen[string(w.key.storage)]; dup {
			return nil, apierr.Validation(msgTxSameItem)
		}
		seen[string(w.key.storage)] = struct{}{}
		ws[i] = w
		size += n
	}
	if size > maxTransactionBytes {
		return nil, apierr.Validation(msgTxPayload + strconv.Itoa(size))
	}
	return ws, nil
}

// prepareTransactAction validates one action and returns its write and
// its size towards the 4 MB limit: the item of a Put, the key of the
// other actions.
func (s *Service) prepareTransactAction(ctx context.Context, a *protocol.TransactWriteItem) (writeReq, int, error) {
	n := 0
	for _, set := range [...]bool{a.ConditionCheck != nil, a.Put != nil, a.Delete != nil, a.Update != nil} {
		if set {
			n++
		}
	}
	switch {
	case n == 0:
		return writeReq{}, 0, apierr.Validation(msgTxNoAction)
	case n > 1:
		return writeReq{}, 0, apierr.Validation(msgTxManyActions)
	}
	v := actionOf(a)
	var (
		w   writeReq
		err error
	)
	switch v.kind {
	case 'P':
		w, _, err = s.preparePut(ctx, &protocol.PutItemInput{
			TableName: v.table, Item: v.item, ConditionExpression: v.cond,
			ExpressionAttributeNames: v.names, ExpressionAttributeValues: v.values,
			ReturnValuesOnConditionCheckFailure: v.returnOnFailure,
		})
	case 'U':
		w, _, _, err = s.prepareUpdate(ctx, &protocol.UpdateItemInput{
			TableName: v.table, Key: v.item, UpdateExpression: v.update, ConditionExpression: v.cond,
			ExpressionAttributeNames: v.names, ExpressionAttributeValues: v.values,
			ReturnValuesOnConditionCheckFailure: v.returnOnFailure,
		})
	default: // 'D', and 'C', which DeleteItem's rules validate but writes nothing
		w, _, err = s.prepareDelete(ctx, &protocol.DeleteItemInput{
			TableName: v.table, Key: v.item, ConditionExpression: v.cond,
			ExpressionAttributeNames: v.names, ExpressionAttributeValues: v.values,
			ReturnValuesOnConditionCheckFailure: v.returnOnFailure,
		})
		if v.kind == 'C' {
			w.mutate = nil // check only
		}
	}
	if err != nil {
		return writeReq{}, 0, err
	}
	return w, attr.ItemSize(v.item), nil
}

// txAction is one TransactWriteItem action through the members its four
// kinds share, for preparing it and for hashing it (hashTransactItems).
type txAction struct {
	kind            byte      // 'C' ConditionCheck, 'P' Put, 'D' Delete, 'U' Update; 0 none
	table           *string   // TableName
	item            attr.Item // the Item of a Put, the Key of the others
	update          *string   // UpdateExpression, of an Update only
	cond            *string   // ConditionExpression
	names           map[string]string
	values          attr.Item
	returnOnFailure *string // ReturnValuesOnConditionCheckFailure
}

// actionOf returns a's action: the first one set of ConditionCheck, Put,
// Delete and Update.
func actionOf(a *protocol.TransactWriteItem) txAction {
	switch {
	case a.ConditionCheck != nil:
		c := a.ConditionCheck
		return txAction{'C', c.TableName, c.Key, nil, c.ConditionExpression,
			c.ExpressionAttributeNames, c.ExpressionAttributeValues, c.ReturnValuesOnConditionCheckFailure}
	case a.Put != nil:
		p := a.Put
		return txAction{'P', p.TableName, p.Item, nil, p.ConditionExpression,
			p.ExpressionAttributeNames, p.ExpressionAttributeValues, p.ReturnValuesOnConditionCheckFailure}
	case a.Delete != nil:
		d := a.Delete
		return txAction{'D', d.TableName, d.Key, nil, d.ConditionExpression,
			d.ExpressionAttributeNames, d.ExpressionAttributeValues, d.ReturnValuesOnConditionCheckFailure}
	case a.Update != nil:
		u := a.Update
		return txAction{'U', u.TableName, u.Key, u.UpdateExpression, u.ConditionExpression,
			u.ExpressionAttributeNames, u.ExpressionAttributeValues, u.ReturnValuesOnConditionCheckFailure}
	}
	return txAction{}
}

// transactionCanceled builds the TransactionCanceledException for the
// per-action errors refused (nil: no error): one CancellationReason per
// action in request order, and the codes listed in the message, e.g.
// "Transaction cancelled, please refer cancellation reasons for specific
// reasons [None, ConditionalCheckFailed]" (errors.md M5).
//
// Reason messages are those of the matching single-item error ("The
// conditional request failed", the ValidationException text): the API
// Reference lists them with a trailing period, but AWS sends the reasons
// with the exceptions' own texts.
func transactionCanceled(refused []error) *apierr.Error {
	reasons := make([]CancellationReason, len(refused))
	var msg strings.Builder
	msg.WriteString(msgTxCancelled)
	for i, err := range refused {
		reasons[i] = cancellationReason(err)
		if i > 0 {
			msg.WriteString(", ")
		}
		msg.WriteString(reasons[i].Code)
	}
	msg.WriteByte(']')
	e := apierr.New(codeTxCancelled, http.StatusBadRequest, msg.String())
	e.Fields = map[string]any{"CancellationReasons": reasons}
	return e
}

// cancellationReason is the reason for one action's error (nil: None).
func cancellationReason(err error) CancellationReason {
	if err == nil {
		return CancellationReason{Code: reasonNone}
	}
	e, ok := apierr.As(err)
	if !ok {
		e = apierr.Internal()
	}
	r := CancellationReason{Message: &e.Message}
	switch e.Code {
	case "ConditionalCheckFailedException":
		r.Code = reasonCondition
		if it, ok := e.Fields["Item"].(attr.Item); ok {
			r.Item = it
		}
	case "ValidationException":
		r.Code = reasonValidation
	case "ThrottlingException":
		r.Code = reasonThrottling
	default:
		// TransactionConflict, ItemCollectionSizeLimitExceeded,
		// ProvisionedThroughputExceeded, ...: the exception's name.
		r.Code = strings.TrimSuffix(e.Code, "Exception")
	}
	return r
}

// perTableCapacity is the ConsumedCapacity list of a transaction whose
// action i (on table ws[i].table) consumed units[i]: one entry per table,
// in order of first use, as ReturnConsumedCapacity asks (nil for NONE).
func perTableCapacity(mode *string, ws []writeReq, units []float64) []protocol.ConsumedCapacity {
	tables := make([]*catalog.Table, len(ws))
	for i := range ws {
		tables[i] = ws[i].table
	}
	return tableCapacity(mode, tables, units)
}

// tableCapacity sums units per table (tables[i] consumed units[i]) into
// one ConsumedCapacity per table, in order of first use.
func tableCapacity(mode *string, tables []*catalog.Table, units []float64) []protocol.ConsumedCapacity {
	if mode == nil || (*mode != rccTotal && *mode != rccIndexes) {
		return nil
	}
	var out []protocol.ConsumedCapacity
	sums := make([]float64, 0, 4)
	var order []*catalog.Table
	for i, t := range tables {
		j := 0
		for j < len(order) && order[j].Name != t.Name {
			j++
		}
		if j == len(order) {
			order = append(order, t)
			sums = append(sums, 0)
		}
		sums[j] += units[i]
	}
	for j, t := range order {
		out = append(out, *consumedCapacity(mode, t.Name, sums[j]))
	}
	return out
}
