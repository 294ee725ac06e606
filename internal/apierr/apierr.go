// Package apierr owns the one error type a client ever sees: a DynamoDB error
// code, its HTTP status, its __type namespace and DynamoDB's exact message.
//
// Every client-caused failure anywhere in Petrel is an *Error built here;
// anything else is an internal failure that httpapi logs and answers with a
// generic InternalServerError. This package must not import other Petrel
// packages.
package apierr

import (
	"errors"
	"fmt"
	"net/http"
)

// Namespaces of the __type member, as DynamoDB sends them.
const (
	nsValidate = "com.amazon.coral.validate#"
	nsService  = "com.amazon.coral.service#"
	nsDynamo   = "com.amazonaws.dynamodb.v20120810#"
)

// Error is a client-visible DynamoDB error.
type Error struct {
	Code    string // e.g. "ValidationException"
	Message string
	Status  int // HTTP status
	// Fields are extra top-level members of the error body, e.g. "Item" for
	// ConditionalCheckFailedException or "CancellationReasons" for
	// TransactionCanceledException. Values must be JSON-marshalable.
	Fields map[string]any
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Type is the __type member of the error body: namespace#Code.
func (e *Error) Type() string {
	switch e.Code {
	case "ValidationException":
		return nsValidate + e.Code
	case "SerializationException", "UnknownOperationException", "MissingAuthenticationTokenException",
		"IncompleteSignatureException", "InvalidSignatureException", "UnrecognizedClientException",
		"AccessDeniedException", "InternalFailure", "ServiceUnavailableException", "ThrottlingException",
		"RequestEntityTooLarge", "RequestHeaderFieldsTooLarge", "RequestTimeoutException":
		return nsService + e.Code
	}
	return nsDynamo + e.Code
}

// As reports whether err is (or wraps) an *Error and returns it.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// New builds an error with an explicit code and status.
func New(code string, status int, msg string) *Error {
	return &Error{Code: code, Message: msg, Status: status}
}

// Validation is DynamoDB's ValidationException with the given message.
func Validation(msg string) *Error { return New("ValidationException", http.StatusBadRequest, msg) }

// Validationf formats a ValidationException message.
func Validationf(format string, args ...any) *Error { return Validation(fmt.Sprintf(format, args...)) }

// Serialization is a SerializationException (malformed JSON or wrong member type).
func Serialization(msg string) *Error {
	return New("SerializationException", http.StatusBadRequest, msg)
}

// ResourceNotFound is a ResourceNotFoundException.
func ResourceNotFound(msg string) *Error {
	return New("ResourceNotFoundException", http.StatusBadRequest, msg)
}

// TableNotFound is the ResourceNotFoundException for a missing table.
// errors.md F: "Requested resource not found" (AWS adds the table name in some
// operations; DescribeTable uses "Requested resource not found: Table: <name> not found").
func TableNotFound() *Error { return ResourceNotFound("Requested resource not found") }

// ResourceInUse is a ResourceInUseException.
func ResourceInUse(msg string) *Error {
	return New("ResourceInUseException", http.StatusBadRequest, msg)
}

// ConditionalCheckFailed is the ConditionalCheckFailedException; item is the
// old item (already in wire form) when ReturnValuesOnConditionCheckFailure is
// ALL_OLD, else nil.
func ConditionalCheckFailed(item any) *Error {
	e := New("ConditionalCheckFailedException", http.StatusBadRequest, "The conditional request failed")
	if item != nil {
		e.Fields = map[string]any{"Item": item}
	}
	return e
}

// UnknownOperation is the answer to an X-Amz-Target naming no operation.
func UnknownOperation() *Error {
	return New("UnknownOperationException", http.StatusBadRequest, "An unknown operation was requested.")
}

// MissingAuthenticationToken is the answer to a request without a signature.
// The text is AWS's documented one (errors.md A5); DynamoDB Local words it
// differently (A2), but SDK users of the real service see this.
func MissingAuthenticationToken() *Error {
	return New("MissingAuthenticationTokenException", http.StatusBadRequest,
		"Request must contain a valid (registered) AWS Access Key ID.")
}

// LimitExceeded is a LimitExceededException.
func LimitExceeded(msg string) *Error {
	return New("LimitExceededException", http.StatusBadRequest, msg)
}

// Internal is the generic 500 a client sees for any unexpected failure. It
// carries no detail: the cause is logged with the request id instead.
func Internal() *Error {
	return New("InternalServerError", http.StatusInternalServerError, "Internal server error")
}
