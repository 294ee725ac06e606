package items

import (
	"slices"
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/expr"
)

// maxPlaceholderKey is the longest ExpressionAttributeNames/Values key
// accepted (errors.md G39/G40: 256 bytes is rejected).
const maxPlaceholderKey = 255

// params lists which expression and legacy members a request set, for the
// rule that the two kinds cannot be mixed (expressions.md §8). Fixed arrays
// keep the common path free of allocations.
type params struct {
	expression [3]string // e.g. "ConditionExpression"
	legacy     [4]string // e.g. "Expected"
	ne, nl     int
}

// expr records expression member name when set is true.
func (p *params) expr(name string, set bool) {
	if set {
		p.expression[p.ne] = name
		p.ne++
	}
}

// old records legacy member name when set is true.
func (p *params) old(name string, set bool) {
	if set {
		p.legacy[p.nl] = name
		p.nl++
	}
}

// check returns DynamoDB's error when both kinds are present: "Can not use
// both expression and non-expression parameters in the same request:
// Non-expression parameters: {A, B} Expression parameters: {C}" with each
// list sorted (errors.md G44-G48).
func (p *params) check() error {
	if p.ne == 0 || p.nl == 0 {
		return nil
	}
	legacy, expression := p.legacy[:p.nl], p.expression[:p.ne]
	slices.Sort(legacy)
	slices.Sort(expression)
	return apierr.Validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {" +
		strings.Join(legacy, ", ") + "} Expression parameters: {" + strings.Join(expression, ", ") + "}")
}

// checkPlaceholderMaps validates the ExpressionAttributeNames and
// ExpressionAttributeValues maps themselves (errors.md G32-G43, F31-F32)
// before any expression is parsed. namesUsable says whether the request has
// an expression that may use names, valuesUsable one that may use values (a
// ProjectionExpression takes names but no values); nullExprs is the
// operation's text for values given without such an expression, e.g.
// "UpdateExpression and ConditionExpression are null".
func checkPlaceholderMaps(names map[string]string, values attr.Item, namesUsable, valuesUsable bool, nullExprs string) error {
	if names != nil && !namesUsable {
		return apierr.Validation("ExpressionAttributeNames can only be specified when using expressions")
	}
	if values != nil && !valuesUsable {
		return apierr.Validation("ExpressionAttributeValues can only be specified when using expressions: " + nullExprs)
	}
	if names != nil {
		if len(names) == 0 {
			return apierr.Validation("ExpressionAttributeNames must not be empty")
		}
		// Check in key order only when something is wrong, so that the
		// error reported is deterministic but the valid case allocates
		// nothing.
		ok := true
		for k, v := range names {
			ok = ok && len(k) <= maxPlaceholderKey && placeholderSyntax(k, '#') && v != ""
		}
		for _, k := range sortedKeysIf(!ok, names) {
			if len(k) > maxPlaceholderKey {
				return apierr.Validationf("ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: %d", len(k))
			}
			if !placeholderSyntax(k, '#') {
				return apierr.Validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "` + k + `"`)
			}
			if names[k] == "" {
				return apierr.Validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key " + k)
			}
		}
	}
	if values != nil {
		if len(values) == 0 {
			return apierr.Validation("ExpressionAttributeValues must not be empty")
		}
		ok := true
		for k, v := range values {
			ok = ok && len(k) <= maxPlaceholderKey && placeholderSyntax(k, ':') && attr.IsValid(v)
		}
		for _, k := range sortedKeysIf(!ok, values) {
			if len(k) > maxPlaceholderKey {
				return apierr.Validation("ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;")
			}
			if !placeholderSyntax(k, ':') {
				return apierr.Validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "` + k + `"`)
			}
			if err := attr.ValidateValue(values[k]); err != nil {
				msg := err.Error()
				if e, ok := apierr.As(err); ok {
					msg = e.Message
				}
				return apierr.Validation("ExpressionAttributeValues contains invalid value: " + msg + " for key " + k)
			}
		}
	}
	return nil
}

// placeholderSyntax reports whether k is prefix followed by one or more of
// [A-Za-z0-9_].
func placeholderSyntax(k string, prefix byte) bool {
	if len(k) < 2 || k[0] != prefix {
		return false
	}
	for i := 1; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// sortedKeysIf returns m's keys in order when want is true, else nil.
func sortedKeysIf[V any](want bool, m map[string]V) []string {
	if !want {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Allowed ReturnValues per operation (behaviours.md §5).
const (
	rvNone       = "NONE"
	rvAllOld     = "ALL_OLD"
	rvUpdatedOld = "UPDATED_OLD"
	rvAllNew     = "ALL_NEW"
	rvUpdatedNew = "UPDATED_NEW"
)

// returnValues validates an operation's ReturnValues member: PutItem and
// DeleteItem accept NONE and ALL_OLD, UpdateItem all five (update true).
// Absent means NONE. Anything else is "Return values set to invalid value"
// (errors.md F25).
func returnValues(rv *string, update bool) (string, error) {
	if rv == nil {
		return rvNone, nil
	}
	switch *rv {
	case rvNone, rvAllOld:
		return *rv, nil
	case rvUpdatedOld, rvAllNew, rvUpdatedNew:
		if update {
			return *rv, nil
		}
	}
	return "", apierr.Validation("Return values set to invalid value")
}

// allOldOnFailure reports whether ReturnValuesOnConditionCheckFailure asks
// for the old item in ConditionalCheckFailedException.
func allOldOnFailure(v *string) bool { return v != nil && *v == rvAllOld }

// placeholders returns the request's ExpressionAttributeNames and
// ExpressionAttributeValues for the expression parsers, or nil when it gave
// neither.
func placeholders(names map[string]string, values attr.Item) *expr.Placeholders {
	if names == nil && values == nil {
		return nil
	}
	return expr.NewPlaceholders(names, values)
}

// conditionalWriteParams runs the checks PutItem and DeleteItem start with,
// in DynamoDB's order (expressions.md §9): ConditionExpression against the
// legacy Expected/ConditionalOperator, the placeholder maps, ReturnValues
// (NONE or ALL_OLD). It returns the ReturnValues.
func conditionalWriteParams(cond *string, hasExpected bool, condOp *string,
	names map[string]string, values attr.Item, rv *string) (string, error) {
	var p params
	p.expr("ConditionExpression", cond != nil)
	p.old("Expected", hasExpected)
	p.old("ConditionalOperator", condOp != nil)
	if err := p.check(); err != nil {
		return "", err
	}
	if err := checkPlaceholderMaps(names, values, cond != nil, cond != nil, "ConditionExpression is null"); err != nil {
		return "", err
	}
	return returnValues(rv, false)
}
