package partiql

import (
	"context"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/protocol"
)

// maxBatchStatements is BatchExecuteStatement's statement limit
// (partiql.md §10).
const maxBatchStatements = 25

// batchEntry is one statement of a batch on its way through the phases.
type batchEntry struct {
	st    *Statement
	read  *readPlan
	write *writeOp
	err   error // the statement's own failure, reported in its response
}

// BatchExecuteStatement runs up to 25 statements, all single-item reads or
// all writes, each answered on its own: a statement's failure is its
// response's Error, and the call still succeeds (partiql.md §10,
// errors.md N13-N15, N23-N27). Request-wide problems (count, a mix of reads
// and writes, two statements on one item) fail the whole call.
func (s *Service) BatchExecuteStatement(ctx context.Context, in *protocol.BatchExecuteStatementInput) (*protocol.BatchExecuteStatementOutput, error) {
	switch n := len(in.Statements); {
	case n == 0:
		return nil, apierr.Validation(msgBatchEmpty)
	case n > maxBatchStatements:
		return nil, apierr.Validation(msgBatchTooMany)
	}
	entries := make([]batchEntry, len(in.Statements))
	reads, writes := 0, 0
	for i, req := range in.Statements {
		e := &entries[i]
		e.st, e.err = prepare(deref(req.Statement), req.Parameters)
		switch {
		case e.err != nil:
		case e.st.Kind == Exists:
			e.err = apierr.Validation(msgExistsOutsideTx)
		case isRead(e.st):
			reads++
		default:
			writes++
		}
	}
	if reads > 0 && writes > 0 {
		return nil, apierr.Validation(msgBatchMixed)
	}
	seen := map[string]bool{}
	for i, req := range in.Statements {
		e := &entries[i]
		if e.err != nil {
			continue
		}
		text := deref(req.Statement)
		var key attr.Item
		if isRead(e.st) {
			if e.read, e.err = s.planRead(ctx, e.st, text, req.Parameters); e.err == nil {
				if e.read.get == nil || e.read.index != "" {
					e.read, e.err = nil, apierr.Validation(msgBatchSingle)
				} else {
					key = e.read.get
				}
			}
		} else if e.write, e.err = s.planWrite(ctx, e.st, text, req.Parameters, nil); e.err == nil {
			key = e.write.key
		}
		if key != nil {
			id := e.st.Table + "\x00" + string(attr.AppendItemJSON(nil, key))
			if seen[id] {
				return nil, apierr.Validation(msgBatchDupKeys)
			}
			seen[id] = true
		}
	}
	out := &protocol.BatchExecuteStatementOutput{Responses: make([]protocol.BatchStatementResponse, len(entries))}
	var ccs []*protocol.ConsumedCapacity
	for i, req := range in.Statements {
		e, resp := &entries[i], &out.Responses[i]
		if e.st != nil {
			resp.TableName = &e.st.Table
		}
		if e.err == nil {
			var cc *protocol.ConsumedCapacity
			if e.read != nil {
				var res *protocol.GetItemOutput
				res, e.err = s.items.GetItem(ctx, &protocol.GetItemInput{TableName: &e.read.name, Key: e.read.get,
					ConsistentRead: req.ConsistentRead, ReturnConsumedCapacity: in.ReturnConsumedCapacity})
				if e.err == nil {
					cc = res.ConsumedCapacity
					if res.Item != nil {
						var its []attr.Item
						if its, e.err = e.read.collect(nil, []attr.Item{res.Item}); len(its) == 1 {
							resp.Item = its[0]
						}
					}
				}
			} else {
				_, cc, e.err = s.runWrite(ctx, e.write, in.ReturnConsumedCapacity)
			}
			ccs = append(ccs, cc)
		}
		if e.err != nil {
			be, err := batchError(e.err)
			if err != nil {
				return nil, err
			}
			resp.Error = be
		}
	}
	if in.ReturnConsumedCapacity != nil && *in.ReturnConsumedCapacity != "NONE" {
		out.ConsumedCapacity = capacityList(ccs)
	}
	return out, nil
}

// batchError converts a statement's failure into its BatchStatementError
// (codes from the API Reference, texts from errors.md N23-N26). Failures
// the client did not cause are returned as err and fail the whole call.
func batchError(err error) (*protocol.BatchStatementError, error) {
	e, ok := apierr.As(plainError(err))
	if !ok {
		return nil, err
	}
	code, msg := e.Code, e.Message
	switch e.Code {
	case "ValidationException":
		code = "ValidationError"
	case "ConditionalCheckFailedException":
		code = "ConditionalCheckFailed"
	case "ResourceNotFoundException":
		code, msg = "ResourceNotFound", msgBatchNoTable
	case "DuplicateItemException":
		code = "DuplicateItem"
	case "TransactionConflictException":
		code = "TransactionConflict"
	case "ProvisionedThroughputExceededException":
		code = "ProvisionedThroughputExceeded"
	case "ThrottlingException":
		code = "ThrottlingError"
	case "InternalServerError", "InternalFailure":
		return nil, err
	}
	return &protocol.BatchStatementError{Code: &code, Message: &msg}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
