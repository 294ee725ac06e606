package partiql

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
)

// DynamoDB's PartiQL messages (aws-docs/errors.md §N; DynamoDB Local texts
// where AWS documents none).
const (
	msgNotWellFormed   = "Statement wasn't well formed, can't be processed: "
	msgDuplicate       = "Duplicate primary key exists in table"
	msgKeyAbsent       = "Key attribute should be present in the item: Key "
	msgKeyType         = "Key attribute's data type should match its data type in table's schema: Key "
	msgNoFullKey       = "Where clause does not contain a mandatory equality on all key attributes"
	msgUpdateKey       = "One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key"
	msgParamCount      = "Number of parameters in request and statement don't match."
	msgUnknownFunc     = "Unrecognized function: "
	msgOrderNoWhere    = "Must have WHERE clause in the statement when using ORDER BY clause."
	msgExistsOutsideTx = "EXISTS can only be used in ExecuteTransaction write requests."
	msgBadNextToken    = "Invalid NextToken"
	msgBatchTooMany    = "BatchGetItem cannot fetch more than 25 items"
	msgBatchEmpty      = "The statement was empty."
	msgBatchMixed      = "Read and write requests together in the same batch is not supported."
	msgBatchDupKeys    = "Provided list of item keys contains duplicates"
	msgBatchSingle     = "Only single item select is supported"
	msgBatchNoTable    = "Cannot do operations on a non-existent table"
	msgTxEmpty         = "ExecutePartiQLTransaction can not have empty statement."
	msgTxMixed         = "ExecuteTransaction API does not support both read and write operations in the same request."
	msgTxSelectKey     = "Select statements within ExecuteTransaction must specify the primary key in the where clause."
	msgTxExistsCond    = "EXISTS() must contain a single item read with additional condition"
	msgTxPrefix        = "Validation failed in TransactStatements[%d]: "
)

// SyntaxError is a statement the parser rejected. Its client-visible form
// (Error, and APIError) is DynamoDB's single "wasn't well formed" message
// quoting the statement; Pos and Reason locate the problem for tests and
// logs.
type SyntaxError struct {
	Statement string
	Pos       int
	Reason    string
}

// Error is the client-visible message.
func (e *SyntaxError) Error() string { return msgNotWellFormed + e.Statement }

// Detail is the position and reason, for golden tests and logs.
func (e *SyntaxError) Detail() string { return fmt.Sprintf("at %d: %s", e.Pos, e.Reason) }

// APIError is the ValidationException a client sees (errors.md N1).
func (e *SyntaxError) APIError() *apierr.Error { return apierr.Validation(e.Error()) }

// syntaxErr builds a SyntaxError without the statement; Parse fills it in.
func syntaxErr(pos int, reason string) *SyntaxError {
	return &SyntaxError{Pos: pos, Reason: reason}
}

// duplicateItem is the answer to an INSERT of an existing key (errors.md
// N22: AWS documents the exception name, DynamoDB Local the text).
func duplicateItem() *apierr.Error {
	return apierr.New("DuplicateItemException", http.StatusBadRequest, msgDuplicate)
}

// unsupported is the ValidationException for a construct DynamoDB's
// dialect does not have.
func unsupported(what string) *apierr.Error {
	return apierr.Validation("Unsupported operation: " + what)
}

// invalidKeyWhere is errors.md N5: a write (or a single-item read) whose
// WHERE lacks an equality on every key attribute.
func invalidKeyWhere() *apierr.Error { return apierr.Validation(msgNoFullKey) }

// exprPrefixes are the heads of package expr's messages, which name an
// expression member ("Invalid FilterExpression: ...") that a PartiQL caller
// never wrote.
var exprPrefixes = []string{"Invalid FilterExpression: ", "Invalid ConditionExpression: ",
	"Invalid UpdateExpression: ", "Invalid ProjectionExpression: ", "Invalid KeyConditionExpression: "}

// plainError drops the expression-member head from a ValidationException
// raised by the expressions a statement was translated into, keeping the
// reason ("The IN operator is provided with too many operands; ...").
func plainError(err error) error {
	e, ok := apierr.As(err)
	if !ok || e.Code != "ValidationException" {
		return err
	}
	for _, p := range exprPrefixes {
		if msg, ok := strings.CutPrefix(e.Message, p); ok {
			c := *e
			c.Message = msg
			return &c
		}
	}
	return err
}
