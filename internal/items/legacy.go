package items

import (
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/protocol"
)

// The legacy members (Expected, ConditionalOperator, AttributeUpdates,
// AttributesToGet) are converted by package expr into the same AST the
// expressions parse to; these helpers only map the wire structs onto expr's
// (expr must not import protocol).

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// legacyCondition converts Expected (+ ConditionalOperator, default AND).
func legacyCondition(expected map[string]protocol.ExpectedAttributeValue, condOp *string) (*expr.Condition, error) {
	m := make(map[string]expr.ExpectedAttributeValue, len(expected))
	for k, e := range expected {
		m[k] = expr.ExpectedAttributeValue{
			Value:              e.Value,
			Exists:             e.Exists,
			ComparisonOperator: str(e.ComparisonOperator),
			AttributeValueList: e.AttributeValueList,
		}
	}
	return expr.FromExpected(m, str(condOp))
}

// legacyUpdate converts AttributeUpdates.
func legacyUpdate(updates map[string]protocol.AttributeValueUpdate) (*expr.Update, error) {
	m := make(map[string]expr.AttributeValueUpdate, len(updates))
	for k, u := range updates {
		m[k] = expr.AttributeValueUpdate{Action: str(u.Action), Value: u.Value}
	}
	return expr.FromAttributeUpdates(m)
}

// legacyProjection converts AttributesToGet into a projection of those
// top-level attributes (duplicates: "Cannot have two attributes with the
// same name").
func legacyProjection(names []string) (*expr.Projection, error) {
	return expr.FromAttributesToGet(names)
}
